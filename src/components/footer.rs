use leptos::prelude::*;

use crate::session::use_session;
use crate::theme::{self, ThemeChoice};

/// The bottom of every page: the deployer's terms, privacy and support links (config.json's branding),
/// and the light/dark switch.
#[component]
pub fn Footer() -> impl IntoView {
    let brand = &use_session().config().branding;
    let choice = RwSignal::new(theme::stored_choice());
    let link = |href: Option<String>, words: &'static str| href.map(|href| view! { <a href=href>{words}</a> });
    view! {
        <footer class="footer">
            {link(brand.terms.as_ref().map(|l| l.href.clone()), "Terms")}
            {link(brand.privacy.as_ref().map(|l| l.href.clone()), "Privacy")}
            {link(brand.support.as_ref().map(|l| l.href.clone()), "Help and support")}
            <label>
                "Theme "
                <select
                    data-testid="theme"
                    on:change=move |ev| {
                        let picked = ThemeChoice::parse(&event_target_value(&ev));
                        choice.set(picked);
                        theme::choose(picked);
                    }
                >
                    {ThemeChoice::ALL
                        .map(|c| view! { <option value=c.value() selected=move || choice.get() == c>{c.label()}</option> })}
                </select>
            </label>
        </footer>
    }
}
