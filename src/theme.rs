//! The look: the deployer's brand colors as CSS custom properties and the product name as the page title
//! (config.json's `branding`, checked and corrected in `cognito_core::branding`), and the user's choice of
//! light or dark, remembered in localStorage and set as `<html data-theme>` (the stylesheet follows the
//! system's preference when there is none).

use cognito_core::branding::{Branding, ThemeColors};
use cognito_core::i18n::{k, Key};
use wasm_bindgen::JsCast;

use crate::browser::{storage_get, storage_remove, storage_set};

const KEY: &str = "cognito-spa.theme";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeChoice {
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    pub fn value(self) -> &'static str {
        match self {
            ThemeChoice::System => "system",
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
        }
    }

    /// Its name in the menu (a catalog key).
    pub fn label(self) -> Key {
        match self {
            ThemeChoice::System => k::theme::system,
            ThemeChoice::Light => k::theme::light,
            ThemeChoice::Dark => k::theme::dark,
        }
    }

    pub fn parse(value: &str) -> ThemeChoice {
        match value {
            "light" => ThemeChoice::Light,
            "dark" => ThemeChoice::Dark,
            _ => ThemeChoice::System,
        }
    }
}

fn root() -> Option<web_sys::HtmlElement> {
    web_sys::window()?.document()?.document_element()?.dyn_into().ok()
}

/// The remembered choice.
pub fn stored_choice() -> ThemeChoice {
    storage_get(KEY).map(|v| ThemeChoice::parse(&v)).unwrap_or(ThemeChoice::System)
}

/// Shows the page in `choice` and remembers it (where storage allows; the page follows it either way).
pub fn choose(choice: ThemeChoice) {
    apply(choice);
    match choice {
        ThemeChoice::System => storage_remove(KEY),
        other => {
            let _ = storage_set(KEY, other.value());
        }
    }
}

/// Shows the page in `choice` without remembering it (at start).
pub fn apply(choice: ThemeChoice) {
    if let Some(root) = root() {
        let _ = match choice {
            ThemeChoice::System => root.remove_attribute("data-theme"),
            other => root.set_attribute("data-theme", other.value()),
        };
    }
}

/// The product name as the page's title, in the page's language when the deployer gave none (tracked:
/// run it in an effect).
pub fn show_title(branding: &Branding) {
    let name = branding.product_name.clone().unwrap_or_else(|| crate::i18n::t(k::brand::default_name));
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&name);
    }
}

/// The brand's colors for both themes.
pub fn apply_branding(branding: &Branding) {
    let Some(style) = root().map(|r| r.style()) else { return };
    for (names, colors) in [
        (
            ["--brand-accent-light", "--brand-on-accent-light", "--brand-hover-light", "--brand-focus-light"],
            &branding.light,
        ),
        (["--brand-accent-dark", "--brand-on-accent-dark", "--brand-hover-dark", "--brand-focus-dark"], &branding.dark),
    ] {
        let ThemeColors { primary, on_primary, primary_hover, focus } = *colors;
        for (name, color) in names.into_iter().zip([primary, on_primary, primary_hover, focus]) {
            let _ = style.set_property(name, &color.css());
        }
    }
}
