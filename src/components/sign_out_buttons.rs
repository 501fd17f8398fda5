use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::routes::Route;
use crate::session::{use_session, ProblemKind};
use crate::tasks::PageTasks;

/// "Sign out" (this device) and "Sign out everywhere", with progress and errors; both land on /login.
#[component]
pub fn SignOutButtons() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let tasks = PageTasks::new();
    let pending = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<String>);
    let run = move |everywhere: bool| {
        let navigate = navigate.clone();
        let tasks = tasks.clone();
        pending.set(Some(if everywhere { "Signing out everywhere…" } else { "Signing out…" }));
        error.set(None);
        tasks.spawn(async move {
            let result = if everywhere { session.sign_out_everywhere().await } else { session.sign_out().await };
            pending.set(None);
            match result {
                Ok(()) => navigate(&Route::LOGIN.href(), Default::default()),
                // Signed out locally all the same; the session's notice says what could not be done.
                Err(_) if !everywhere => navigate(&Route::LOGIN.href(), Default::default()),
                // The session was already over: the route guard sends the user to sign in, with a notice
                // and a way back here (see SessionOwner::sign_out_everywhere).
                Err(problem) if problem.kind == ProblemKind::SessionEnded => {}
                Err(problem) => error.set(Some(problem.message)),
            }
        });
    };
    let run_here = run.clone();
    view! {
        <div class="actions">
            <button type="button" disabled=move || pending.get().is_some() on:click=move |_| run_here(false)>
                "Sign out"
            </button>
            <button type="button" class="secondary" disabled=move || pending.get().is_some() on:click=move |_| run(true)>
                "Sign out everywhere"
            </button>
        </div>
        <p class="progress" role="status">{move || pending.get()}</p>
        <div class="alert alert-error" role="alert" hidden=move || error.get().is_none()>{move || error.get()}</div>
    }
}
