//! The reader's language: which one (`navigator.languages`, or the one they picked, remembered), its
//! catalog (`locales/<tag>.json`, fetched beside config.json; only that one is loaded), and the words of
//! a [`Text`] or a key in it. Reading words is reactive: a view that shows `t(..)` or `render(..)` inside
//! a closure follows a change of language in place, so fields keep what was typed.
//!
//! Plurals and numbers follow the browser's CLDR data (`Intl.PluralRules`, `Intl.NumberFormat`), dates
//! `Intl.DateTimeFormat` through `Date.toLocaleString`; the app compiles in no locale data (see README
//! "Languages" for why not leptos_i18n or Fluent, with sizes).

use std::cell::RefCell;

use cognito_core::i18n::{is_rtl, k, negotiate, Catalog, Key, Locale, PlainEnglish, Text, KEYS_FINGERPRINT};
use cognito_core::json::FromJson;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::browser::{storage_get, storage_set};

// `LANGUAGES`: every `locales/<tag>.json` with its own name for itself, found by build.rs, so adding a
// language is adding its file.
include!(concat!(env!("OUT_DIR"), "/languages.rs"));

/// The language of the source texts, and the fallback when the reader's cannot be loaded.
pub const DEFAULT: &str = "en";
const KEY: &str = "cognito-spa.language";

struct Loaded {
    tag: &'static str,
    catalog: Catalog,
    plural: js_sys::Intl::PluralRules,
    number: js_sys::Function,
}

impl Locale for Loaded {
    fn plural_category(&self, n: u64) -> String {
        self.plural.select(n as f64).into()
    }
    fn number(&self, n: u64) -> String {
        let local = self.number.call1(&JsValue::NULL, &JsValue::from_f64(n as f64)).ok().and_then(|v| v.as_string());
        local.unwrap_or_else(|| n.to_string())
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Loaded>> = const { RefCell::new(None) };
    /// Notified when the language changes: every text read through [`t`] or [`render`] follows it.
    static CHANGED: ArcTrigger = ArcTrigger::new();
}

fn offered(tag: &str) -> Option<&'static str> {
    LANGUAGES.iter().map(|(t, _)| *t).find(|t| *t == tag)
}

/// The language to start in: the one the reader picked (if still offered), else the best match of the
/// browser's preferences.
pub fn initial() -> &'static str {
    if let Some(tag) = storage_get(KEY).as_deref().and_then(offered) {
        return tag;
    }
    let preferences: Vec<String> = web_sys::window()
        .map(|w| w.navigator().languages().iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default();
    let tags: Vec<&'static str> = LANGUAGES.iter().map(|(t, _)| *t).collect();
    negotiate(&preferences, &tags, DEFAULT)
}

/// Fetches `tag`'s catalog (compiled for this build's keys: `locales/<tag>.<fingerprint>.json`, cached for
/// good) and makes it the page's language (`<html lang dir>`, every shown text).
pub async fn load(tag: &'static str) -> Result<(), String> {
    let url = format!("/locales/{tag}.{KEYS_FINGERPRINT}.json");
    let response =
        gloo_net::http::Request::get(&url).send().await.map_err(|e| format!("{url} could not be loaded: {e}"))?;
    if !response.ok() {
        return Err(format!("{url} could not be loaded: the server answered {}", response.status()));
    }
    let text = response.text().await.map_err(|e| format!("{url} could not be read: {e}"))?;
    let catalog = Catalog::from_json_text(&text).map_err(|e| format!("{url} is not a catalog: {e}"))?;
    install(tag, catalog);
    Ok(())
}

/// The reader's language at start: theirs, else the default one.
pub async fn load_initial() -> Result<(), String> {
    let tag = initial();
    match load(tag).await {
        Err(_) if tag != DEFAULT => load(DEFAULT).await,
        other => other,
    }
}

fn install(tag: &'static str, catalog: Catalog) {
    let locales = js_sys::Array::of1(&JsValue::from_str(tag));
    let plural = js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new());
    let number = js_sys::Intl::NumberFormat::new(&locales, &js_sys::Object::new()).format();
    CURRENT.with(|c| *c.borrow_mut() = Some(Loaded { tag, catalog, plural, number }));
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", tag);
        let _ = root.set_attribute("dir", if is_rtl(tag) { "rtl" } else { "ltr" });
    }
    CHANGED.with(|c| c.notify());
}

/// Switches to `tag` (from the language menu) and remembers it; the page keeps its language if the
/// catalog cannot be loaded, and the error says so.
pub async fn choose(tag: &str) -> Result<(), Text> {
    let Some(tag) = offered(tag) else { return Ok(()) };
    load(tag).await.map_err(|_| Text::new(k::language::not_loaded))?;
    let _ = storage_set(KEY, tag);
    Ok(())
}

/// The page's language now (tracked).
pub fn current() -> &'static str {
    CHANGED.with(|c| c.track());
    CURRENT.with(|c| c.borrow().as_ref().map_or(DEFAULT, |l| l.tag))
}

/// `text` in the page's language (tracked: call it inside a closure of the view).
pub fn render(text: &Text) -> String {
    CHANGED.with(|c| c.track());
    CURRENT.with(|c| match c.borrow().as_ref() {
        Some(loaded) => loaded.catalog.render(text, loaded),
        None => Catalog::default().render(text, &PlainEnglish),
    })
}

/// The message `key` (tracked).
pub fn t(key: Key) -> String {
    render(&Text::new(key))
}

/// The message `key` as a view's text that follows the language (one type for every key, so the views
/// stay small).
pub fn tr(key: Key) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    move || t(key)
}

/// A moment (seconds since the epoch) in the page's language and the reader's time zone (tracked).
pub fn local_time(seconds: i64) -> String {
    let tag = current();
    let date = js_sys::Date::new(&JsValue::from_f64(seconds as f64 * 1000.0));
    String::from(date.to_locale_string(tag, &JsValue::UNDEFINED))
}

/// The crash message's words (title, text, link), safe to call from the panic hook: no tracking, and
/// English if the catalog is unavailable (the panic may have happened while it was being replaced).
pub fn crash_words() -> (String, String, String) {
    let keys = [k::crash::title, k::crash::text, k::crash::reload];
    let english =
        ["Something went wrong.", "The page stopped working. Reload it to continue; you stay signed in.", "Reload"];
    let said = CURRENT
        .try_with(|c| {
            let loaded = c.try_borrow().ok()?;
            let loaded = loaded.as_ref()?;
            Some(keys.map(|k| loaded.catalog.render(&Text::new(k), loaded)))
        })
        .ok()
        .flatten()
        .unwrap_or_else(|| english.map(str::to_string));
    let [title, text, reload] = said;
    (title, text, reload)
}

/// The names of the languages offered, each in itself, for the language menu.
pub fn languages() -> &'static [(&'static str, &'static str)] {
    LANGUAGES
}
