//! The login page's ways through managed login: a button per identity provider config.json's `oauth`
//! names, and "Sign in with the hosted page" (see `session/oauth.rs`).

use cognito_core::config::ProviderButton;
use cognito_core::i18n::{k, Text};
use leptos::prelude::*;

use crate::browser::{go_to, sleep_ms};
use crate::form::FormAction;
use crate::i18n::{current, render, tr};
use crate::session::use_session;

/// How long "Taking you to the sign-in page…" stays while the browser leaves; should leaving fail, the
/// buttons work again after it.
const LEAVING_MS: i32 = 15_000;

/// The buttons, or nothing when managed login is not set up. `next` is where to come back to after
/// signing in; `username` is passed on as `login_hint`.
#[component]
pub fn ManagedLoginButtons(next: String, username: RwSignal<String>, action: FormAction) -> impl IntoView {
    let session = use_session();
    let settings = session.config().oauth.as_ref()?;
    // Back here instead of at the callback: a flow started earlier is abandoned.
    session.forget_managed_login();
    let next = StoredValue::new(next);
    let leave = move |provider: Option<ProviderButton>| {
        action.run(k::oauth::leaving, || {
            let hint = username.get_untracked().trim().to_string();
            let url = next
                .with_value(|next| session.start_managed_login(provider.as_ref(), Some(&hint), Some(next), current()));
            Some(async move {
                go_to(&url?);
                sleep_ms(LEAVING_MS).await;
                Ok(())
            })
        })
    };
    let buttons = settings
        .providers
        .iter()
        .map(|provider| {
            let label = Text::new(k::oauth::continue_with).with("name", provider.label.clone());
            let provider = provider.clone();
            let name = provider.name.clone();
            view! {
                <button
                    type="button"
                    class="secondary provider"
                    data-provider=name
                    disabled=move || action.is_busy()
                    on:click=move |_| leave(Some(provider.clone()))
                >
                    {move || render(&label)}
                </button>
            }
        })
        .collect_view();
    let hosted = settings.hosted_page.then(|| {
        view! {
            <button
                type="button"
                class="secondary provider"
                data-provider="hosted"
                disabled=move || action.is_busy()
                on:click=move |_| leave(None)
            >
                {tr(k::oauth::hosted_page)}
            </button>
        }
    });
    Some(view! {
        <div class="providers" role="group" aria-labelledby="providers-or">
            <p class="or" id="providers-or">
                {tr(k::oauth::or)}
            </p>
            {buttons}
            {hosted}
        </div>
    })
}
