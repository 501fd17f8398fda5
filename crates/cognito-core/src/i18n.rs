//! Message catalogs: one JSON file per language, `{"key": "text with {name}", "key": {"one": "…", "other":
//! "…"}}`, the language chosen from the browser's preferences among those offered, and the few facts a page
//! needs about a language (its direction). Pure: the browser supplies the preferences and, for plurals,
//! the CLDR category of a number (`Intl.PluralRules`), so no locale data is compiled into the app.
//!
//! The app does not use it yet: this is the pure half of issue 18's languages, tested on the host.

use std::collections::BTreeMap;

use crate::json::{FromJson, Json, JsonError};

/// One message: plain, or one text per CLDR plural category (`zero`, `one`, `two`, `few`, `many`,
/// `other`; `other` required).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Text(String),
    Plural(BTreeMap<String, String>),
}

/// A language's messages by key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    messages: BTreeMap<String, Message>,
}

const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

impl FromJson for Catalog {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let Json::Object(members) = value else { return Err(JsonError("expected a catalog (an object)".into())) };
        let mut messages = BTreeMap::new();
        for (key, value) in members {
            let message = match value {
                Json::String(text) => Message::Text(text.clone()),
                Json::Object(forms) => {
                    let mut by_category = BTreeMap::new();
                    for (category, text) in forms {
                        let Json::String(text) = text else {
                            return Err(JsonError(format!("{key}.{category}: expected a string")));
                        };
                        if !CATEGORIES.contains(&category.as_str()) {
                            return Err(JsonError(format!("{key}: {category:?} is not a plural category")));
                        }
                        by_category.insert(category.clone(), text.clone());
                    }
                    if !by_category.contains_key("other") {
                        return Err(JsonError(format!("{key}: a plural message needs \"other\"")));
                    }
                    Message::Plural(by_category)
                }
                _ => return Err(JsonError(format!("{key}: expected a string or plural forms"))),
            };
            messages.insert(key.clone(), message);
        }
        Ok(Catalog { messages })
    }
}

/// Replaces each `{name}` with its value; an unknown `{name}` stays as written, `{{` is a literal `{`.
pub fn interpolate(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        if let Some(stripped) = after.strip_prefix('{') {
            out.push('{');
            rest = stripped;
            continue;
        }
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

impl Catalog {
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.messages.keys().map(String::as_str)
    }

    /// The message `key` with its arguments, or None when this catalog lacks it (the caller falls back to
    /// the built-in language).
    pub fn text(&self, key: &str, args: &[(&str, &str)]) -> Option<String> {
        match self.messages.get(key)? {
            Message::Text(t) => Some(interpolate(t, args)),
            Message::Plural(forms) => forms.get("other").map(|t| interpolate(t, args)),
        }
    }

    /// The plural message `key` for a number whose CLDR category (from `Intl.PluralRules`) is `category`;
    /// `{count}` is the number as the caller formatted it.
    pub fn plural(&self, key: &str, category: &str, count: &str, args: &[(&str, &str)]) -> Option<String> {
        let mut all = vec![("count", count)];
        all.extend_from_slice(args);
        match self.messages.get(key)? {
            Message::Plural(forms) => forms.get(category).or_else(|| forms.get("other")).map(|t| interpolate(t, &all)),
            Message::Text(t) => Some(interpolate(t, &all)),
        }
    }

    /// Keys of `reference` this catalog lacks, and keys whose `{names}` differ (a translation that drops
    /// or invents an argument), for the completeness test.
    pub fn differences(&self, reference: &Catalog) -> Vec<String> {
        let mut problems = Vec::new();
        for (key, message) in &reference.messages {
            match self.messages.get(key) {
                None => problems.push(format!("{key}: missing")),
                Some(mine) if argument_names(mine) != argument_names(message) => problems.push(format!(
                    "{key}: arguments {:?}, expected {:?}",
                    argument_names(mine),
                    argument_names(message)
                )),
                Some(_) => {}
            }
        }
        problems.extend(
            self.messages.keys().filter(|k| !reference.messages.contains_key(*k)).map(|k| format!("{k}: unknown")),
        );
        problems
    }
}

fn argument_names(message: &Message) -> Vec<String> {
    let texts: Vec<&String> = match message {
        Message::Text(t) => vec![t],
        Message::Plural(forms) => forms.values().collect(),
    };
    let mut names: Vec<String> = texts
        .into_iter()
        .flat_map(|t| {
            t.split('{').skip(1).filter(|s| !s.is_empty()).filter_map(|s| s.split_once('}').map(|(n, _)| n.to_string()))
        })
        .filter(|n| n != "count")
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The offered language that best matches the browser's preferences (`navigator.languages`, best
/// first): an exact tag, else the same language (`de-AT` → `de`, `pt-PT` → `pt-BR` when that is all
/// there is), else `default`. Tags compare without case.
pub fn negotiate<'a>(preferences: &[String], offered: &[&'a str], default: &'a str) -> &'a str {
    let language = |tag: &str| tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    for wanted in preferences {
        if let Some(exact) = offered.iter().find(|o| o.eq_ignore_ascii_case(wanted)) {
            return exact;
        }
        if let Some(same) = offered.iter().find(|o| language(o) == language(wanted)) {
            return same;
        }
    }
    default
}

/// Whether a language is written right to left (`<html dir="rtl">`).
pub fn is_rtl(tag: &str) -> bool {
    let language = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    matches!(language.as_str(), "ar" | "he" | "fa" | "ur" | "ps" | "yi" | "dv" | "ckb")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(json: &str) -> Catalog {
        Catalog::from_json_text(json).unwrap()
    }

    #[test]
    fn messages_interpolate_and_pluralize() {
        let de = catalog(
            r#"{"hello": "Hallo {name}!", "left": {"one": "Noch {count} Versuch", "other": "Noch {count} Versuche"}}"#,
        );
        assert_eq!(de.text("hello", &[("name", "Ada")]).as_deref(), Some("Hallo Ada!"));
        assert_eq!(de.plural("left", "one", "1", &[]).as_deref(), Some("Noch 1 Versuch"));
        assert_eq!(de.plural("left", "other", "3", &[]).as_deref(), Some("Noch 3 Versuche"));
        // Arabic has six categories; a catalog that gives fewer falls back to "other".
        assert_eq!(de.plural("left", "few", "3", &[]).as_deref(), Some("Noch 3 Versuche"));
        assert_eq!(de.text("missing", &[]), None);
        assert_eq!(interpolate("{a} {{b}} {c", &[("a", "x")]), "x {b}} {c");
        assert_eq!(interpolate("{unknown}", &[]), "{unknown}");
    }

    #[test]
    fn bad_catalogs_are_refused() {
        for bad in [r#"{"k": 1}"#, r#"{"k": {"one": "x"}}"#, r#"{"k": {"several": "x", "other": "y"}}"#, r#"["k"]"#] {
            assert!(Catalog::from_json_text(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn differences_name_missing_unknown_and_changed_arguments() {
        let en = catalog(r#"{"a": "A {name}", "b": "B", "c": {"one": "{count} c", "other": "{count} cs"}}"#);
        let fr = catalog(r#"{"a": "A {nom}", "c": {"one": "{count} c", "other": "{count} cs"}, "z": "Z"}"#);
        assert_eq!(
            fr.differences(&en),
            vec![
                "a: arguments [\"nom\"], expected [\"name\"]".to_string(),
                "b: missing".to_string(),
                "z: unknown".to_string(),
            ]
        );
        assert!(en.differences(&en).is_empty());
    }

    #[test]
    fn the_language_follows_the_browser_preferences() {
        let offered = ["en", "de", "pt-BR", "zh-CN", "ar"];
        let prefs = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(negotiate(&prefs(&["de-AT", "en"]), &offered, "en"), "de");
        assert_eq!(negotiate(&prefs(&["pt-PT"]), &offered, "en"), "pt-BR");
        assert_eq!(negotiate(&prefs(&["ZH-cn"]), &offered, "en"), "zh-CN");
        assert_eq!(negotiate(&prefs(&["ja", "ar-EG"]), &offered, "en"), "ar");
        assert_eq!(negotiate(&prefs(&["ja"]), &offered, "en"), "en");
        assert_eq!(negotiate(&[], &offered, "en"), "en");
        assert!(is_rtl("ar") && is_rtl("he-IL") && !is_rtl("de") && !is_rtl(""));
    }
}
