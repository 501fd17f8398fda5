//! Message catalogs: one JSON file per language, `{"group.name": "text with {arg}", "group.other": {"one":
//! "…", "other": "…"}}` (`locales/<tag>.json`), the language chosen from the browser's preferences among
//! those offered, and the few facts a page needs about a language (its direction). Pure: the browser
//! supplies the preferences and, for plurals, the CLDR category of a number (`Intl.PluralRules`), so no
//! locale data is compiled into the app.
//!
//! What to say is decided as a [`Text`] (a typed [`Key`] and its arguments) by the core and the pages, and
//! turned into words only when the view renders it, in the language of that moment. The keys are
//! generated from `locales/en.json` (build.rs): `k::login::title` is `"login.title"`. The browser reads
//! catalogs compiled into the keys' order (scripts/catalogs.mjs), so it carries no key names.

use std::collections::BTreeMap;

use crate::json::{FromJson, Json, JsonError};

include!(concat!(env!("OUT_DIR"), "/keys.rs"));

/// A message of the catalogs (see [`k`]): its number in the keys' sorted order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key(pub usize);

impl Key {
    /// Its name in the catalogs' source files (`"login.title"`); for tests and tools.
    pub fn name(self) -> &'static str {
        KEY_NAMES.get(self.0).copied().unwrap_or("")
    }

    /// The key of a name, if there is one.
    pub fn named(name: &str) -> Option<Key> {
        KEY_NAMES.binary_search(&name).ok().map(Key)
    }
}

/// One message: plain, or one text per CLDR plural category (`zero`, `one`, `two`, `few`, `many`,
/// `other`; `other` required).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Text(String),
    Plural(BTreeMap<String, String>),
}

/// A language's messages, by key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    messages: Vec<Option<Message>>,
}

const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

fn message(name: &str, value: &Json) -> Result<Message, JsonError> {
    match value {
        Json::String(text) => Ok(Message::Text(text.clone())),
        Json::Object(forms) => {
            let mut by_category = BTreeMap::new();
            for (category, text) in forms {
                let Json::String(text) = text else {
                    return Err(JsonError(format!("{name}.{category}: expected a string")));
                };
                if !CATEGORIES.contains(&category.as_str()) {
                    return Err(JsonError(format!("{name}: {category:?} is not a plural category")));
                }
                by_category.insert(category.clone(), text.clone());
            }
            if !by_category.contains_key("other") {
                return Err(JsonError(format!("{name}: a plural message needs \"other\"")));
            }
            Ok(Message::Plural(by_category))
        }
        _ => Err(JsonError(format!("{name}: expected a string or plural forms"))),
    }
}

impl FromJson for Catalog {
    /// The compiled form the browser reads: `{"keys": KEYS_FINGERPRINT, "messages": [message or null, …]}`
    /// in the keys' order. A catalog compiled for other keys is refused.
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let f = value.fields("a compiled catalog")?;
        let keys: String = f.required("keys")?;
        if keys != KEYS_FINGERPRINT {
            return Err(JsonError(format!("compiled for keys {keys}, not {KEYS_FINGERPRINT}")));
        }
        let Some(Json::Array(items)) = value.get("messages") else {
            return Err(JsonError("expected \"messages\" (a list)".into()));
        };
        let mut messages = Vec::with_capacity(KEY_COUNT);
        for (index, item) in items.iter().take(KEY_COUNT).enumerate() {
            messages.push(match item {
                Json::Null => None,
                other => Some(message(&format!("#{index}"), other)?),
            });
        }
        Ok(Catalog { messages })
    }
}

impl Catalog {
    /// A catalog's source file (`locales/<tag>.json`, messages by name), with the names no key has.
    pub fn from_source(text: &str) -> Result<(Catalog, Vec<String>), JsonError> {
        let value = crate::json::parse(text)?;
        let Json::Object(members) = &value else { return Err(JsonError("expected a catalog (an object)".into())) };
        let mut messages = vec![None; KEY_COUNT];
        let mut unknown = Vec::new();
        for (name, item) in members {
            let parsed = message(name, item)?;
            match Key::named(name) {
                Some(key) => messages[key.0] = Some(parsed),
                None => unknown.push(name.clone()),
            }
        }
        Ok((Catalog { messages }, unknown))
    }

    fn get(&self, key: Key) -> Option<&Message> {
        self.messages.get(key.0).and_then(Option::as_ref)
    }

    /// The keys this catalog has.
    pub fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        self.messages.iter().enumerate().filter(|(_, m)| m.is_some()).map(|(i, _)| Key(i))
    }
}

/// Words to show, not yet in any language: a catalog key and the values of its `{names}`. A plural
/// message takes its number as the argument `count`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub key: Key,
    pub args: Vec<(&'static str, String)>,
}

impl Text {
    pub const fn new(key: Key) -> Self {
        Text { key, args: Vec::new() }
    }

    /// With the value of `{name}`.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// A plural message for `count`.
    pub fn count(key: Key, count: u64) -> Self {
        Text::new(key).with("count", count.to_string())
    }
}

impl From<Key> for Text {
    fn from(key: Key) -> Self {
        Text::new(key)
    }
}

/// What rendering needs from the language's rules: the CLDR plural category of a number and the number
/// written the local way (in the browser: `Intl.PluralRules` and `Intl.NumberFormat`).
pub trait Locale {
    fn plural_category(&self, n: u64) -> String;
    fn number(&self, n: u64) -> String;
}

/// English rules without locale data (host tests, and the fallback before a catalog loads).
pub struct PlainEnglish;

impl Locale for PlainEnglish {
    fn plural_category(&self, n: u64) -> String {
        if n == 1 { "one" } else { "other" }.to_string()
    }
    fn number(&self, n: u64) -> String {
        n.to_string()
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
    /// The text of `key` with its arguments (a plural message's `other` form), or None when this catalog
    /// lacks it.
    pub fn text(&self, key: Key, args: &[(&str, &str)]) -> Option<String> {
        match self.get(key)? {
            Message::Text(t) => Some(interpolate(t, args)),
            Message::Plural(forms) => forms.get("other").map(|t| interpolate(t, args)),
        }
    }

    /// `text` in words: its message with the arguments filled in; for a plural message, the form of its
    /// `count`'s category (`count` written the local way). A key this catalog lacks shows as `[number]`,
    /// which the compiled catalogs never lack (scripts/catalogs.mjs fills a gap with English).
    pub fn render(&self, text: &Text, locale: &dyn Locale) -> String {
        let Some(message) = self.get(text.key) else { return format!("[{}]", text.key.0) };
        let args: Vec<(&str, &str)> = text.args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        match message {
            Message::Text(t) => interpolate(t, &args),
            Message::Plural(forms) => {
                let count = text.args.iter().find(|(n, _)| *n == "count").and_then(|(_, v)| v.parse::<u64>().ok());
                let Some(n) = count else {
                    return forms.get("other").map(|t| interpolate(t, &args)).unwrap_or_default();
                };
                let category = locale.plural_category(n);
                let local = locale.number(n);
                let mut all: Vec<(&str, &str)> = vec![("count", &local)];
                all.extend(args.iter().filter(|(name, _)| *name != "count"));
                forms.get(&category).or_else(|| forms.get("other")).map(|t| interpolate(t, &all)).unwrap_or_default()
            }
        }
    }

    /// Whether this catalog has `key` as a plural message, and its categories.
    pub fn plural_forms(&self, key: Key) -> Option<Vec<&str>> {
        match self.get(key)? {
            Message::Plural(forms) => Some(forms.keys().map(String::as_str).collect()),
            Message::Text(_) => None,
        }
    }

    /// Keys of `reference` this catalog lacks, and keys whose `{names}` differ (a translation that drops
    /// or invents an argument), for the completeness test.
    pub fn differences(&self, reference: &Catalog) -> Vec<String> {
        let mut problems = Vec::new();
        for key in reference.keys() {
            let (Some(message), mine) = (reference.get(key), self.get(key)) else { continue };
            match mine {
                None => problems.push(format!("{}: missing", key.name())),
                Some(mine) if argument_names(mine) != argument_names(message) => problems.push(format!(
                    "{}: arguments {:?}, expected {:?}",
                    key.name(),
                    argument_names(mine),
                    argument_names(message)
                )),
                Some(_) => {}
            }
        }
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

    fn source(json: &str) -> Catalog {
        let (catalog, unknown) = Catalog::from_source(json).unwrap();
        assert!(unknown.is_empty(), "{unknown:?}");
        catalog
    }

    #[test]
    fn keys_are_typed_and_named_as_in_the_source() {
        assert_eq!(k::login::title.name(), "login.title");
        assert_eq!(Key::named("error.CodeMismatchException"), Some(k::error::CodeMismatchException));
        assert_eq!(Key::named("login.nothing"), None);
        assert!(KEY_NAMES.windows(2).all(|w| w[0] < w[1]), "numbered in sorted order");
        assert_eq!(KEY_NAMES.len(), KEY_COUNT);
        assert_eq!(KEYS_FINGERPRINT.len(), 8);
    }

    #[test]
    fn messages_interpolate_and_pluralize() {
        let de = source(
            r#"{"admin.welcome": "Hallo {name}!", "rule.min_length": {"one": "Noch {count} Zeichen", "other": "Noch {count} Zeichen!"}}"#,
        );
        assert_eq!(de.text(k::admin::welcome, &[("name", "Ada")]).as_deref(), Some("Hallo Ada!"));
        assert_eq!(de.render(&Text::count(k::rule::min_length, 1), &PlainEnglish), "Noch 1 Zeichen");
        assert_eq!(de.render(&Text::count(k::rule::min_length, 3), &PlainEnglish), "Noch 3 Zeichen!");
        assert_eq!(de.text(k::login::title, &[]), None);
        assert_eq!(de.render(&Text::new(k::login::title), &PlainEnglish), format!("[{}]", k::login::title.0));
        assert_eq!(interpolate("{a} {{b}} {c", &[("a", "x")]), "x {b}} {c");
        assert_eq!(interpolate("{unknown}", &[]), "{unknown}");
    }

    #[test]
    fn texts_render_with_local_numbers_and_plural_forms() {
        struct Eastern;
        impl Locale for Eastern {
            fn plural_category(&self, n: u64) -> String {
                if n == 2 { "two" } else { "other" }.to_string()
            }
            fn number(&self, n: u64) -> String {
                n.to_string().chars().map(|d| char::from_u32(0x660 + d.to_digit(10).unwrap()).unwrap()).collect()
            }
        }
        let ar = source(
            r#"{"rule.min_length": {"two": "حرفان", "other": "{count} أحرف"}, "admin.welcome": "مرحبا {name}"}"#,
        );
        assert_eq!(ar.render(&Text::count(k::rule::min_length, 2), &Eastern), "حرفان");
        assert_eq!(ar.render(&Text::count(k::rule::min_length, 8), &Eastern), "٨ أحرف");
        assert_eq!(ar.render(&Text::new(k::admin::welcome).with("name", "Ada"), &Eastern), "مرحبا Ada");
        assert_eq!(ar.plural_forms(k::rule::min_length), Some(vec!["other", "two"]));
        assert_eq!(ar.plural_forms(k::admin::welcome), None);
    }

    #[test]
    fn compiled_catalogs_are_read_in_key_order_and_only_for_these_keys() {
        let mut items = vec!["null".to_string(); KEY_COUNT];
        items[k::login::title.0] = "\"Anmelden\"".into();
        items[k::rule::min_length.0] = r#"{"other": "{count} Zeichen"}"#.into();
        let compiled = format!(r#"{{"keys": "{KEYS_FINGERPRINT}", "messages": [{}]}}"#, items.join(","));
        let catalog = Catalog::from_json_text(&compiled).unwrap();
        assert_eq!(catalog.render(&k::login::title.into(), &PlainEnglish), "Anmelden");
        assert_eq!(catalog.render(&Text::count(k::rule::min_length, 9), &PlainEnglish), "9 Zeichen");
        assert_eq!(catalog.keys().count(), 2);
        let other = compiled.replace(KEYS_FINGERPRINT, "00000000");
        assert!(Catalog::from_json_text(&other).unwrap_err().0.contains("compiled for keys"));
    }

    #[test]
    fn bad_catalogs_are_refused() {
        for bad in [
            r#"{"login.title": 1}"#,
            r#"{"rule.min_length": {"one": "x"}}"#,
            r#"{"rule.min_length": {"several": "x", "other": "y"}}"#,
            r#"["login.title"]"#,
        ] {
            assert!(Catalog::from_source(bad).is_err(), "{bad}");
        }
        let (_, unknown) = Catalog::from_source(r#"{"login.title": "x", "login.nothing": "y"}"#).unwrap();
        assert_eq!(unknown, vec!["login.nothing".to_string()]);
    }

    #[test]
    fn differences_name_missing_keys_and_changed_arguments() {
        let en = source(
            r#"{"admin.welcome": "A {name}", "login.title": "B", "rule.min_length": {"one": "{count} c", "other": "{count} cs"}}"#,
        );
        let fr =
            source(r#"{"admin.welcome": "A {nom}", "rule.min_length": {"one": "{count} c", "other": "{count} cs"}}"#);
        assert_eq!(
            fr.differences(&en),
            vec![
                "admin.welcome: arguments [\"nom\"], expected [\"name\"]".to_string(),
                "login.title: missing".to_string()
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
