use cognito_core::i18n::{k, Key, Text};
use leptos::prelude::*;

use crate::i18n::{self, render, tr};
use crate::session::use_session;
use crate::theme::{self, ThemeChoice};

/// The bottom of every page: the deployer's terms, privacy and support links (config.json's branding),
/// the language menu and the light/dark switch.
#[component]
pub fn Footer() -> impl IntoView {
    let brand = &use_session().config().branding;
    let choice = RwSignal::new(theme::stored_choice());
    let link = |href: Option<String>, words: Key| href.map(|href| view! { <a href=href>{tr(words)}</a> });
    view! {
        <footer class="footer">
            {link(brand.terms.as_ref().map(|l| l.href.clone()), k::footer::terms)}
            {link(brand.privacy.as_ref().map(|l| l.href.clone()), k::footer::privacy)}
            {link(brand.support.as_ref().map(|l| l.href.clone()), k::footer::support)} <LanguageMenu />
            <label>
                {tr(k::footer::theme)} " "
                <select
                    data-testid="theme"
                    on:change=move |ev| {
                        let picked = ThemeChoice::parse(&event_target_value(&ev));
                        choice.set(picked);
                        theme::choose(picked);
                    }
                >
                    {ThemeChoice::ALL
                        .map(|c| {
                            view! {
                                <option value=c.value() selected=move || choice.get() == c>
                                    {tr(c.label())}
                                </option>
                            }
                        })}
                </select>
            </label>
        </footer>
    }
}

/// Every offered language by its own name; picking one switches the page in place (what was typed stays)
/// and is remembered.
#[component]
fn LanguageMenu() -> impl IntoView {
    let problem = RwSignal::new(None::<Text>);
    let busy = RwSignal::new(false);
    view! {
        <label>
            {tr(k::footer::language)} " "
            <select
                data-testid="language"
                disabled=move || busy.get()
                on:change=move |ev| {
                    let menu = event_target::<web_sys::HtmlSelectElement>(&ev);
                    busy.set(true);
                    problem.set(None);
                    leptos::task::spawn_local(async move {
                        let result = i18n::choose(&menu.value()).await;
                        busy.set(false);
                        if result.is_err() {
                            menu.set_value(i18n::current());
                        }
                        problem.set(result.err());
                    });
                }
            >
                {i18n::languages()
                    .iter()
                    .map(|(tag, name)| {
                        let tag = *tag;
                        view! {
                            <option value=tag lang=tag selected=move || i18n::current() == tag>
                                {*name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
        <span class="field-error" role="alert">
            {move || problem.with(|p| p.as_ref().map(render))}
        </span>
    }
}
