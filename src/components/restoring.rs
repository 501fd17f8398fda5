use leptos::prelude::*;

use crate::session::{use_session, AuthState};

/// Shown instead of a protected page while the session is being restored, or when the service could not
/// be reached to refresh it (with a retry): never a flash of the login page.
#[component]
pub fn Restoring() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="card" aria-busy=move || if matches!(session.state(), AuthState::Restoring) { "true" } else { "false" }>
            {move || match session.state() {
                AuthState::Unreachable { message } => view! {
                    <h1>"You are still signed in"</h1>
                    <div class="alert alert-error" role="alert">{message}</div>
                    <button type="button" on:click=move |_| session.retry_restore()>"Try again"</button>
                }
                .into_any(),
                _ => view! {
                    <p class="progress" role="status"><span class="spinner" aria-hidden="true"></span>"Restoring your session…"</p>
                }
                .into_any(),
            }}
        </section>
    }
}
