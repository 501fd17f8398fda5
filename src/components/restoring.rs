use leptos::prelude::*;

use crate::components::alerts::{ErrorAlert, Waiting};
use crate::i18n::tr;
use crate::session::{use_session, AuthState};
use cognito_core::i18n::k;

/// Shown instead of a protected page while the session is being restored, or when the service could not
/// be reached to refresh it (with a retry): never a flash of the login page.
#[component]
pub fn Restoring() -> impl IntoView {
    let session = use_session();
    view! {
        <section
            class="card"
            aria-busy=move || if matches!(session.state(), AuthState::Restoring) { "true" } else { "false" }
        >
            {move || match session.state() {
                AuthState::Unreachable { message } => {
                    view! {
                        <h1>{tr(k::restoring::still_signed_in)}</h1>
                        <ErrorAlert message=Signal::stored(Some(message)) />
                        <button type="button" on:click=move |_| session.retry_restore()>
                            {tr(k::action::try_again)}
                        </button>
                    }
                        .into_any()
                }
                _ => view! { <Waiting label=k::restoring::progress /> }.into_any(),
            }}
        </section>
    }
}
