//! Managed login's authorization-code flow with PKCE, as pure functions (issue 21): the secrets of one
//! flow (the code verifier and `state`), the `/oauth2/authorize` address, the callback's reading (code
//! and state, or the provider's error), the token request's form and the token answer, and the
//! `/logout` address. The app holds the flow's secrets only in session storage and for the one flow.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::api::AuthenticationResult;
use crate::json::{self, Json, JsonError};

/// The secrets of one sign-in through managed login: the PKCE code verifier (RFC 7636: 43 to 128
/// unreserved characters; here 32 random bytes, base64url: 43) and `state` (the callback must bring it
/// back unchanged).
pub struct FlowSecrets {
    pub verifier: Zeroizing<String>,
    pub state: String,
}

impl FlowSecrets {
    pub fn generate() -> Result<FlowSecrets, getrandom::Error> {
        let mut verifier = Zeroizing::new([0u8; 32]);
        let mut state = [0u8; 16];
        getrandom::fill(verifier.as_mut())?;
        getrandom::fill(&mut state)?;
        Ok(FlowSecrets {
            verifier: Zeroizing::new(URL_SAFE_NO_PAD.encode(verifier.as_ref())),
            state: URL_SAFE_NO_PAD.encode(state),
        })
    }
}

/// How long a flow started here may take to come back (codes themselves live five minutes).
pub const FLOW_SECONDS: i64 = 600;

/// What this tab keeps while the user is at managed login: the flow's secrets, when it started and
/// where to go afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowRecord {
    pub state: String,
    pub verifier: Zeroizing<String>,
    pub started_at: i64,
    pub next: String,
}

impl FlowRecord {
    /// One line each (none of them holds a line break: base64url, a number, a path that the browser's
    /// URL parser resolved).
    pub fn write(&self) -> Zeroizing<String> {
        let next = self.next.replace(['\n', '\r'], "");
        Zeroizing::new(format!("{}\n{}\n{}\n{}", self.state, *self.verifier, self.started_at, next))
    }

    /// The record, or None when it is not one or is older than [`FLOW_SECONDS`] at `now`.
    pub fn read(text: &str, now: i64) -> Option<FlowRecord> {
        let mut lines = text.splitn(4, '\n');
        let (state, verifier) = (lines.next()?, lines.next()?);
        let started_at: i64 = lines.next()?.parse().ok()?;
        let next = lines.next().unwrap_or_default();
        let fresh = (0..=FLOW_SECONDS).contains(&now.saturating_sub(started_at));
        (fresh && !state.is_empty() && !verifier.is_empty()).then(|| FlowRecord {
            state: state.to_string(),
            verifier: Zeroizing::new(verifier.to_string()),
            started_at,
            next: next.to_string(),
        })
    }
}

/// The S256 code challenge of a verifier: base64url (no padding) of its SHA-256.
pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// What one authorize request asks for.
pub struct AuthorizeRequest<'a> {
    /// The managed-login domain, e.g. `https://auth.example.com` (no trailing slash needed).
    pub domain: &'a str,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub scopes: &'a [String],
    pub state: &'a str,
    pub challenge: &'a str,
    /// `identity_provider` (a social or SAML/OIDC provider's name), or `idp_identifier`.
    pub provider: Option<Provider<'a>>,
    /// The page's language (managed login shows it in that language when it has it).
    pub lang: Option<&'a str>,
    pub login_hint: Option<&'a str>,
    /// `login` (ask again even with a managed-login session), `none`, `select_account` or `consent`.
    pub prompt: Option<&'a str>,
}

/// How a provider is named in the authorize request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider<'a> {
    /// `identity_provider`: `Google`, `SignInWithApple`, `Facebook`, `LoginWithAmazon`, a SAML or OIDC
    /// provider's name, or `COGNITO`.
    Name(&'a str),
    /// `idp_identifier`: an identifier the pool maps to a provider (e.g. a company's email domain).
    Identifier(&'a str),
}

/// The `/oauth2/authorize` address for the request (every value percent-encoded).
pub fn authorize_url(req: &AuthorizeRequest<'_>) -> String {
    let scope = req.scopes.join(" ");
    let mut pairs: Vec<(&str, &str)> = vec![
        ("response_type", "code"),
        ("client_id", req.client_id),
        ("redirect_uri", req.redirect_uri),
        ("scope", &scope),
        ("state", req.state),
        ("code_challenge", req.challenge),
        ("code_challenge_method", "S256"),
    ];
    match req.provider {
        Some(Provider::Name(name)) => pairs.push(("identity_provider", name)),
        Some(Provider::Identifier(id)) => pairs.push(("idp_identifier", id)),
        None => {}
    }
    if let Some(lang) = req.lang {
        pairs.push(("lang", lang));
    }
    if let Some(hint) = req.login_hint.filter(|h| !h.is_empty()) {
        pairs.push(("login_hint", hint));
    }
    if let Some(prompt) = req.prompt {
        pairs.push(("prompt", prompt));
    }
    format!("{}/oauth2/authorize?{}", req.domain.trim_end_matches('/'), form(&pairs))
}

/// `/logout`: ends the managed-login session, then back to `logout_uri` (registered on the client).
pub fn logout_url(domain: &str, client_id: &str, logout_uri: &str) -> String {
    format!("{}/logout?{}", domain.trim_end_matches('/'), form(&[("client_id", client_id), ("logout_uri", logout_uri)]))
}

/// What the callback's query says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// A code for the token endpoint.
    Code(String),
    /// The provider or managed login refused (`error`, and `error_description` when given).
    Refused { error: String, description: Option<String> },
    /// `state` missing or not this flow's: the answer is not for this browser's request (never used).
    WrongState,
    /// Neither a code nor an error.
    Malformed,
}

/// Reads the callback's query (`?code=…&state=…` or `?error=…`) against the flow's `state`.
pub fn read_callback(query: &str, expected_state: &str) -> Callback {
    let mut code = None;
    let mut state = None;
    let mut error = None;
    let mut description = None;
    for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value);
        match name {
            "code" => code = value,
            "state" => state = value,
            "error" => error = value,
            "error_description" => description = value,
            _ => {}
        }
    }
    // A refusal tells nothing secret and may come without state (an error page's link): show it. A code
    // is used only with this flow's state.
    if let Some(error) = error {
        return Callback::Refused { error, description };
    }
    if state.as_deref() != Some(expected_state) || expected_state.is_empty() {
        return Callback::WrongState;
    }
    match code {
        Some(code) if !code.is_empty() => Callback::Code(code),
        _ => Callback::Malformed,
    }
}

/// The token request's form body (authorization_code with the verifier).
pub fn token_request(client_id: &str, code: &str, redirect_uri: &str, verifier: &str) -> String {
    form(&[
        ("grant_type", "authorization_code"),
        ("client_id", client_id),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier),
    ])
}

/// The token endpoint's answer as the API's tokens (so the session code stores them like any sign-in's),
/// or its OAuth error (`{"error": "invalid_grant"}`) as `Err`.
pub fn read_token_answer(answer: &str) -> Result<AuthenticationResult, String> {
    let value = json::parse(answer).map_err(|JsonError(e)| e)?;
    // (JsonError's text says what is wrong with the answer, never what it holds.)
    let text = |name: &str| value.get(name).and_then(Json::as_str).map(str::to_string);
    if let Some(error) = text("error") {
        return Err(error);
    }
    Ok(AuthenticationResult {
        access_token: text("access_token").ok_or("no access_token")?,
        id_token: text("id_token").ok_or("no id_token")?,
        refresh_token: text("refresh_token"),
        expires_in: value.get("expires_in").and_then(Json::as_i64).unwrap_or(3600),
        token_type: text("token_type").unwrap_or_default(),
        new_device_metadata: None,
    })
}

/// `application/x-www-form-urlencoded` pairs (RFC 3986 unreserved characters kept, the rest
/// percent-encoded, spaces as `%20`); also the query of an address.
pub fn form(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        for b in value.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// A query value decoded (`+` as a space, `%XX`); None when not UTF-8 or a broken escape.
fn percent_decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = value.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_challenge_is_rfc_7636s() {
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let (one, two) = (FlowSecrets::generate().unwrap(), FlowSecrets::generate().unwrap());
        assert_eq!(one.verifier.len(), 43);
        assert!(one.verifier.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(*one.verifier, *two.verifier);
        assert_ne!(one.state, two.state);
    }

    #[test]
    fn the_authorize_and_logout_addresses() {
        let scopes = vec!["openid".to_string(), "email".to_string()];
        let url = authorize_url(&AuthorizeRequest {
            domain: "https://auth.example.com/",
            client_id: "c1",
            redirect_uri: "https://app.example.com/oauth/callback",
            scopes: &scopes,
            state: "s-1",
            challenge: "E9M",
            provider: Some(Provider::Name("Google")),
            lang: Some("pt-BR"),
            login_hint: Some("ana@example.com"),
            prompt: Some("login"),
        });
        assert_eq!(
            url,
            "https://auth.example.com/oauth2/authorize?response_type=code&client_id=c1\
             &redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback&scope=openid%20email&state=s-1\
             &code_challenge=E9M&code_challenge_method=S256&identity_provider=Google&lang=pt-BR\
             &login_hint=ana%40example.com&prompt=login"
        );
        assert_eq!(
            logout_url("https://auth.example.com", "c1", "https://app.example.com/login"),
            "https://auth.example.com/logout?client_id=c1&logout_uri=https%3A%2F%2Fapp.example.com%2Flogin"
        );
    }

    #[test]
    fn a_flow_record_reads_back_only_while_fresh() {
        let record = FlowRecord {
            state: "s-1".into(),
            verifier: Zeroizing::new("v".repeat(43)),
            started_at: 1_000,
            next: "/admin?x=1\n".into(),
        };
        let text = record.write();
        let back = FlowRecord::read(&text, 1_000 + FLOW_SECONDS).unwrap();
        assert_eq!((back.state.as_str(), back.next.as_str()), ("s-1", "/admin?x=1"));
        assert_eq!(*back.verifier, "v".repeat(43));
        assert_eq!(FlowRecord::read(&text, 1_001 + FLOW_SECONDS), None, "too old");
        assert_eq!(FlowRecord::read(&text, 999), None, "from the future");
        for bad in ["", "s-1", "s-1\nv\nsoon\n/", "\nv\n1000\n/"] {
            assert_eq!(FlowRecord::read(bad, 1_000), None, "{bad:?}");
        }
    }

    #[test]
    fn the_callback_is_used_only_with_this_flows_state() {
        assert_eq!(read_callback("?code=abc&state=s-1", "s-1"), Callback::Code("abc".into()));
        assert_eq!(read_callback("?code=abc&state=s-2", "s-1"), Callback::WrongState);
        assert_eq!(read_callback("?code=abc", "s-1"), Callback::WrongState);
        assert_eq!(read_callback("?code=abc&state=", ""), Callback::WrongState);
        assert_eq!(read_callback("?state=s-1", "s-1"), Callback::Malformed);
        assert_eq!(
            read_callback("?error=access_denied&error_description=User+cancelled%21&state=s-1", "s-1"),
            Callback::Refused { error: "access_denied".into(), description: Some("User cancelled!".into()) }
        );
        assert_eq!(read_callback("?code=%ZZ&state=s-1", "s-1"), Callback::Malformed);
    }

    #[test]
    fn the_token_request_and_answer() {
        assert_eq!(
            token_request("c1", "a b", "https://x/cb", "v"),
            "grant_type=authorization_code&client_id=c1&code=a%20b&redirect_uri=https%3A%2F%2Fx%2Fcb&code_verifier=v"
        );
        let tokens = read_token_answer(
            r#"{"id_token":"i","access_token":"a","refresh_token":"r","token_type":"Bearer","expires_in":3600}"#,
        )
        .unwrap();
        assert_eq!(
            (tokens.id_token.as_str(), tokens.refresh_token.as_deref(), tokens.expires_in),
            ("i", Some("r"), 3600)
        );
        assert_eq!(read_token_answer(r#"{"error":"invalid_grant"}"#).unwrap_err(), "invalid_grant");
        assert!(read_token_answer(r#"{"access_token":"a"}"#).is_err());
        assert!(read_token_answer("not json").is_err());
    }
}
