//! The message catalogs (`locales/*.json`) against the code: every catalog has exactly the English one's
//! keys with the same `{arguments}`; every key exists for a reason (the code names it as
//! `k::group::name`; a key the code names that does not exist does not compile); plural messages give the
//! forms their language needs; the compiled form the browser reads (scripts/catalogs.mjs) is numbered as
//! the app numbers the keys. (That no words are left outside
//! the catalogs is shown in the browser: e2e/tests/i18n.test.mjs renders every page in a marked
//! pseudo-language and finds no unmarked text.)

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use cognito_core::i18n::{k, Catalog, Key, KEYS_FINGERPRINT, KEY_COUNT};
use cognito_core::json::FromJson;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn catalogs() -> BTreeMap<String, (String, Catalog)> {
    let mut all = BTreeMap::new();
    for entry in fs::read_dir(root().join("locales")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let tag = path.file_stem().unwrap().to_str().unwrap().to_string();
        let text = fs::read_to_string(&path).unwrap();
        let (catalog, unknown) = Catalog::from_source(&text).unwrap_or_else(|e| panic!("{tag}.json: {e}"));
        assert!(unknown.is_empty(), "{tag}.json has messages no key has: {unknown:?}");
        all.insert(tag, (text, catalog));
    }
    all
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().and_then(|e| e.to_str()) == Some("rs") {
            out.push(path);
        }
    }
}

/// Every key the app and the core name (`k::group::name`, `k::group::r#name`), as `"group.name"`.
fn keys_in_code() -> BTreeSet<String> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    rust_files(&root().join("crates/cognito-core/src"), &mut files);
    let mut keys = BTreeSet::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices("k::") {
            let ident = |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
            let rest = &text[at + 3..];
            let group = ident(rest);
            let Some(after) = rest[group.len()..].strip_prefix("::") else { continue };
            let name = ident(after.strip_prefix("r#").unwrap_or(after));
            if !group.is_empty() && !name.is_empty() {
                keys.insert(format!("{group}.{name}"));
            }
        }
    }
    keys
}

#[test]
fn every_catalog_has_the_english_keys_with_the_same_arguments() {
    let all = catalogs();
    let (_, en) = &all["en"];
    assert!(all.len() >= 12, "at least 12 languages: {:?}", all.keys());
    let mut problems = Vec::new();
    for (tag, (_, catalog)) in &all {
        problems.extend(catalog.differences(en).into_iter().map(|p| format!("{tag}.json: {p}")));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_key_is_named_by_the_code() {
    let all = catalogs();
    let (_, en) = &all["en"];
    let named = keys_in_code();
    // `"error.NotAuthorizedException.incorrect"` is `k::error::NotAuthorizedException_incorrect`.
    let as_written = |key: Key| {
        let (group, rest) = key.name().split_once('.').unwrap();
        format!("{group}.{}", rest.replace('.', "_"))
    };
    let unused: Vec<&str> = en
        .keys()
        .filter(|key| !named.contains(&as_written(*key)))
        .map(Key::name)
        .filter(|n| *n != "language.name")
        .collect();
    assert!(unused.is_empty(), "keys of locales/en.json no code names: {unused:?}");
    assert_eq!(en.keys().count(), KEY_COUNT);
    assert!(named.contains("login.title") && named.contains("error.CodeMismatchException"), "the scan finds keys");
}

#[test]
fn the_compiled_catalogs_are_numbered_as_the_app_numbers_keys() {
    // The browser's form, made by the same script the build runs.
    let out = std::env::temp_dir().join(format!("catalogs-test-{}", std::process::id()));
    let status = std::process::Command::new("node")
        .arg(root().join("scripts/catalogs.mjs"))
        .arg(&out)
        .current_dir(root())
        .status()
        .expect("node runs scripts/catalogs.mjs");
    assert!(status.success());
    let all = catalogs();
    for (tag, (_, source)) in &all {
        let file = out.join("locales").join(format!("{tag}.{KEYS_FINGERPRINT}.json"));
        let compiled = Catalog::from_json_text(&fs::read_to_string(&file).unwrap()).unwrap();
        for key in [k::login::title, k::error::CodeMismatchException, k::rule::min_length, k::unknown_outcome::other] {
            let args = [("count", "3")];
            assert_eq!(compiled.text(key, &args), source.text(key, &args), "{tag}: {}", key.name());
        }
        assert_eq!(compiled.keys().count(), KEY_COUNT, "{tag}");
    }
    let _ = fs::remove_dir_all(out);
}

#[test]
fn plural_messages_have_the_forms_of_their_language() {
    // CLDR's cardinal categories for integers, of the languages with more than "one"/"other".
    let needed: BTreeMap<&str, &[&str]> =
        [("ar", &["zero", "one", "two", "few", "many", "other"][..]), ("pl", &["one", "few", "many", "other"][..])]
            .into_iter()
            .collect();
    let all = catalogs();
    let (_, en) = &all["en"];
    let plural_keys: Vec<Key> = en.keys().filter(|key| en.plural_forms(*key).is_some()).collect();
    assert!(!plural_keys.is_empty());
    for (tag, (_, catalog)) in &all {
        for key in &plural_keys {
            let forms = catalog.plural_forms(*key).unwrap_or_else(|| panic!("{tag}: {} is plural", key.name()));
            for category in needed.get(tag.as_str()).copied().unwrap_or(&[]) {
                assert!(forms.contains(category), "{tag}.json: {} needs the {category:?} form", key.name());
            }
        }
    }
}

#[test]
fn every_language_names_itself_and_has_the_text_direction_it_needs() {
    let all = catalogs();
    for (tag, (_, catalog)) in &all {
        let name = catalog.text(k::language::name, &[]).unwrap_or_default();
        assert!(!name.is_empty(), "{tag}");
        assert!(name != "English" || tag == "en", "{tag} calls itself {name:?}");
    }
    assert!(all.keys().any(|t| cognito_core::i18n::is_rtl(t)), "a right-to-left language is offered");
    for tag in ["de", "fr", "es", "pt-BR", "ja", "zh-CN", "ko", "it", "nl", "pl", "ar"] {
        assert!(all.contains_key(tag), "{tag}.json");
    }
}
