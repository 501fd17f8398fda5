//! Where the browser goes after signing in: the page first asked for (`/login?next=…`), only when it is on
//! this site. The text is not judged by its looks: the browser's own URL parser resolves it against the
//! current page (`new URL(next, location.href)`; it drops tabs and line breaks, turns `\` into `/`, and
//! so on), and this module decides on what the parser made of it. Host tests use the `url` crate, an
//! implementation of the same WHATWG URL standard, as the parser.

/// Where a signed-in user goes when `next` is missing or refused.
pub const DEFAULT_DESTINATION: &str = "/profile";

/// A URL as the browser's URL parser resolved it: the parts `URL` exposes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedUrl {
    /// `https://example.com` (`URL.origin`).
    pub origin: String,
    /// `/profile` (`URL.pathname`).
    pub pathname: String,
    /// `?tab=1` or empty (`URL.search`).
    pub search: String,
    /// `#top` or empty (`URL.hash`).
    pub hash: String,
}

/// The path to navigate to after signing in, given the raw `next` value (already taken out of the query
/// string), what the URL parser resolved it to (None when it could not), and this page's origin:
/// `pathname + search + hash` of a URL of the same origin, else [`DEFAULT_DESTINATION`]. Refused outright:
/// any control character (the parser would silently drop tabs and line breaks, so the text shown is
/// not the text followed), a path starting `//` (the router would read it as another host), and the
/// sign-in page itself.
pub fn next_destination(raw: Option<&str>, resolved: Option<&ResolvedUrl>, current_origin: &str) -> String {
    let accepted = match (raw, resolved) {
        (Some(raw), Some(url)) if !raw.is_empty() && !raw.chars().any(char::is_control) => {
            let same_site = url.origin == current_origin && current_origin != "null";
            let path_ok = url.pathname.starts_with('/')
                && !url.pathname.starts_with("//")
                && url.pathname != "/login"
                && !url.pathname.starts_with("/login/");
            (same_site && path_ok).then(|| format!("{}{}{}", url.pathname, url.search, url.hash))
        }
        _ => None,
    };
    accepted.unwrap_or_else(|| DEFAULT_DESTINATION.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(origin: &str, pathname: &str, search: &str, hash: &str) -> ResolvedUrl {
        ResolvedUrl { origin: origin.into(), pathname: pathname.into(), search: search.into(), hash: hash.into() }
    }

    const SITE: &str = "https://app.example";

    #[test]
    fn same_origin_paths_are_followed_with_query_and_fragment() {
        let target = url(SITE, "/admin", "?tab=1", "#top");
        assert_eq!(next_destination(Some("/admin?tab=1#top"), Some(&target), SITE), "/admin?tab=1#top");
    }

    #[test]
    fn other_origins_control_characters_and_double_slashes_are_refused() {
        let evil = url("https://evil.example", "/", "", "");
        assert_eq!(next_destination(Some("//evil.example"), Some(&evil), SITE), DEFAULT_DESTINATION);
        let same = url(SITE, "/profile", "", "");
        assert_eq!(next_destination(Some("/pro\tfile"), Some(&same), SITE), DEFAULT_DESTINATION);
        let double = url(SITE, "//evil.example", "", "");
        assert_eq!(next_destination(Some("/.//evil.example"), Some(&double), SITE), DEFAULT_DESTINATION);
        let login = url(SITE, "/login", "?next=/x", "");
        assert_eq!(next_destination(Some("/login?next=/x"), Some(&login), SITE), DEFAULT_DESTINATION);
        assert_eq!(next_destination(None, None, SITE), DEFAULT_DESTINATION);
        assert_eq!(next_destination(Some("http://["), None, SITE), DEFAULT_DESTINATION);
        let opaque = url("null", "/x", "", "");
        assert_eq!(next_destination(Some("/x"), Some(&opaque), "null"), DEFAULT_DESTINATION);
    }
}
