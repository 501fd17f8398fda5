//! Lists the languages the app offers: every `locales/<tag>.json`, with its `language.name` (the
//! language's name for itself, shown in the language menu). Adding a language is adding its file.

use std::fs;
use std::path::Path;

fn main() {
    let dir = Path::new("locales");
    println!("cargo:rerun-if-changed=locales");
    let mut languages = Vec::new();
    for entry in fs::read_dir(dir).expect("the locales/ folder") {
        let path = entry.expect("a file of locales/").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let tag = path.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 file name").to_string();
        let text = fs::read_to_string(&path).expect("a readable catalog");
        let catalog: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
        let name = catalog
            .get("language.name")
            .and_then(|n| n.as_str())
            .unwrap_or_else(|| panic!("{}: no \"language.name\"", path.display()))
            .to_string();
        languages.push((tag, name));
    }
    languages.sort();
    let items: Vec<String> = languages.iter().map(|(tag, name)| format!("({tag:?}, {name:?})")).collect();
    let code = format!(
        "/// Every catalog in locales/, as (tag, its own name), by tag.\npub const LANGUAGES: &[(&str, &str)] = &[{}];\n",
        items.join(", ")
    );
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("languages.rs");
    fs::write(out, code).expect("writing languages.rs");
}
