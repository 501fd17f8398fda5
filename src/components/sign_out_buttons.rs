use cognito_core::i18n::k;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::alerts::ErrorAlert;
use crate::components::form::{ActionButton, Progress};
use crate::form::FormAction;
use crate::problem::ProblemKind;
use crate::routes::Route;
use crate::session::use_session;

/// "Sign out" (this device) and "Sign out everywhere", with progress and errors; both land on /login.
#[component]
pub fn SignOutButtons() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let action = FormAction::new();
    let to_login = navigate.clone();
    let here = move || {
        let navigate = to_login.clone();
        action.run(k::sign_out::pending, || {
            Some(async move {
                // Signed out locally whatever the service said; the session's notice says what could not
                // be done.
                let _ = session.sign_out().await;
                navigate(&Route::LOGIN.href(), Default::default());
                Ok(())
            })
        })
    };
    let everywhere = move || {
        let navigate = navigate.clone();
        action.run(k::sign_out::everywhere_pending, || {
            Some(async move {
                match session.sign_out_everywhere().await {
                    Ok(()) => navigate(&Route::LOGIN.href(), Default::default()),
                    // The session was already over: the route guard sends the user to sign in, with a
                    // notice and a way back here (see SessionOwner::sign_out_everywhere).
                    Err(problem) if problem.kind == ProblemKind::SessionEnded => {}
                    Err(problem) => return Err(problem),
                }
                Ok(())
            })
        })
    };
    view! {
        <div class="actions">
            <ActionButton action label=k::sign_out::title on_click=here />
            <ActionButton action label=k::sign_out::everywhere class="secondary" on_click=everywhere />
        </div>
        <Progress action />
        <ErrorAlert message=action.error() />
    }
}
