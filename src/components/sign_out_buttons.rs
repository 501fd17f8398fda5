use cognito_core::i18n::k;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::alerts::ErrorAlert;
use crate::form::FormAction;
use crate::i18n::tr;
use crate::routes::Route;
use crate::session::{use_session, ProblemKind};

/// "Sign out" (this device) and "Sign out everywhere", with progress and errors; both land on /login.
#[component]
pub fn SignOutButtons() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let action = FormAction::new();
    let run = move |everywhere: bool| {
        let navigate = navigate.clone();
        let pending = if everywhere { k::sign_out::everywhere_pending } else { k::sign_out::pending };
        action.run(pending, || {
            Some(async move {
                let result = if everywhere { session.sign_out_everywhere().await } else { session.sign_out().await };
                match result {
                    Ok(()) => navigate(&Route::LOGIN.href(), Default::default()),
                    // Signed out locally all the same; the session's notice says what could not be done.
                    Err(_) if !everywhere => navigate(&Route::LOGIN.href(), Default::default()),
                    // The session was already over: the route guard sends the user to sign in, with a
                    // notice and a way back here (see SessionOwner::sign_out_everywhere).
                    Err(problem) if problem.kind == ProblemKind::SessionEnded => {}
                    Err(problem) => return Err(problem),
                }
                Ok(())
            })
        })
    };
    let run_here = run.clone();
    view! {
        <div class="actions">
            <button type="button" disabled=move || action.is_busy() on:click=move |_| run_here(false)>
                {tr(k::sign_out::title)}
            </button>
            <button type="button" class="secondary" disabled=move || action.is_busy() on:click=move |_| run(true)>
                {tr(k::sign_out::everywhere)}
            </button>
        </div>
        <p class="progress" role="status">{move || action.pending()}</p>
        <ErrorAlert message=action.error() />
    }
}
