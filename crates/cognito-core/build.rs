//! The message keys, typed: one constant per key of the English catalog (`locales/en.json` at the
//! workspace root, the source every other catalog follows), `k::<group>::<name>` for `"group.name"`, each
//! a [`Key`](crate::i18n::Key) numbered in the keys' sorted order. Catalogs are compiled for the browser
//! into that order (scripts/catalogs.mjs) and named by `KEYS_FINGERPRINT`, so the app carries no key
//! names and a catalog made for other keys is never read.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// FNV-1a (32 bits) of the sorted key names joined by `\n`: scripts/catalogs.mjs computes the same.
fn fingerprint(names: &[&String]) -> u32 {
    let joined = names.iter().map(|n| n.as_str()).collect::<Vec<_>>().join("\n");
    joined.bytes().fold(0x811c_9dc5_u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193))
}

fn main() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales/en.json");
    println!("cargo:rerun-if-changed={}", source.display());
    let text = std::fs::read_to_string(&source).expect("locales/en.json");
    let catalog: BTreeMap<String, serde_json::Value> = serde_json::from_str(&text).expect("locales/en.json: an object");
    let names: Vec<&String> = catalog.keys().collect(); // sorted: the compiled catalogs' order
    let mut groups: BTreeMap<&str, Vec<(String, usize)>> = BTreeMap::new();
    for (index, name) in names.iter().enumerate() {
        assert!(name.is_ascii(), "{name}: keys are ASCII");
        let (group, rest) = name.split_once('.').unwrap_or_else(|| panic!("{name}: a key is group.name"));
        let ident = rest.replace('.', "_");
        let valid = ident.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && group.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        assert!(valid, "{name}: letters, digits and _ only");
        let ident = if KEYWORDS.contains(&ident.as_str()) { format!("r#{ident}") } else { ident };
        groups.entry(group).or_default().push((ident, index));
    }
    let mut code = String::new();
    writeln!(code, "/// How many keys there are.\npub const KEY_COUNT: usize = {};", names.len()).unwrap();
    writeln!(code, "/// Names the compiled catalogs: `locales/<tag>.<fingerprint>.json`.").unwrap();
    writeln!(code, "pub const KEYS_FINGERPRINT: &str = \"{:08x}\";", fingerprint(&names)).unwrap();
    writeln!(code, "/// The key names, by number (for tests and tools; the app does not read them).").unwrap();
    let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    writeln!(code, "pub const KEY_NAMES: [&str; {}] = [{}];", names.len(), quoted.join(", ")).unwrap();
    writeln!(code, "/// Every key, as `k::group::name` for `\"group.name\"`.").unwrap();
    writeln!(code, "#[allow(non_upper_case_globals)]\npub mod k {{").unwrap();
    for (group, keys) in groups {
        writeln!(code, "    pub mod {group} {{\n        use crate::i18n::Key;").unwrap();
        for (ident, index) in keys {
            writeln!(code, "        pub const {ident}: Key = Key({index});").unwrap();
        }
        writeln!(code, "    }}").unwrap();
    }
    writeln!(code, "}}").unwrap();
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("keys.rs");
    std::fs::write(out, code).expect("writing keys.rs");
}
