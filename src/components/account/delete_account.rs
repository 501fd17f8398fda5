use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::alerts::ErrorAlert;
use crate::components::field::Field;
use crate::routes::Route;
use crate::session::use_session;
use crate::tasks::PageTasks;

/// DeleteUser behind an explicit confirmation: the user types their username.
#[component]
pub fn DeleteAccount(#[prop(into)] username: String) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let tasks = PageTasks::new();
    let asked = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = Signal::derive(move || pending.get());
    let expected = username.clone();
    let matches = Signal::derive(move || typed.get().trim() == expected);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !matches.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let navigate = navigate.clone();
        tasks.spawn(async move {
            let result = session.delete_account().await;
            pending.set(false);
            match result {
                Ok(()) => navigate(&Route::LOGIN.href(), Default::default()),
                Err(problem) => error.set(Some(problem.message)),
            }
        });
    };

    view! {
        <section aria-labelledby="delete-title" class="section danger-zone">
            <h2 id="delete-title">"Delete account"</h2>
            <Show
                when=move || asked.get()
                fallback=move || view! {
                    <p>"Deleting your account removes it and signs you out everywhere. This cannot be undone."</p>
                    <button type="button" class="danger" on:click=move |_| asked.set(true)>"Delete my account…"</button>
                }
            >
                <ErrorAlert message=error.into() />
                <form on:submit=on_submit.clone() novalidate=true aria-busy=move || pending.get()>
                    <Field
                        id="confirm-delete"
                        label=format!("Type your username ({username}) to confirm")
                        value=typed
                        autocomplete="off"
                        disabled=busy
                    />
                    <button type="submit" class="danger" disabled=move || pending.get() || !matches.get()>
                        {move || if pending.get() { "Deleting…" } else { "Delete my account for good" }}
                    </button>
                    <button type="button" class="secondary" disabled=move || pending.get() on:click=move |_| {
                        asked.set(false);
                        typed.set(String::new());
                    }>"Cancel"</button>
                </form>
            </Show>
        </section>
    }
}
