use cognito_core::i18n::{k, Text};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::alerts::ErrorAlert;
use crate::components::field::Field;
use crate::form::FormAction;
use crate::i18n::tr;
use crate::routes::Route;
use crate::session::use_session;

/// DeleteUser behind an explicit confirmation: the user types their username.
#[component]
pub fn DeleteAccount(#[prop(into)] username: String) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let action = FormAction::new();
    let asked = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let expected = username.clone();
    let matches = Signal::derive(move || typed.get().trim() == expected);

    let on_submit = move |ev: SubmitEvent| {
        action.submit(&ev, k::delete::pending, || {
            let navigate = navigate.clone();
            matches.get_untracked().then_some(async move {
                session.delete_account().await?;
                navigate(&Route::LOGIN.href(), Default::default());
                Ok(())
            })
        })
    };

    view! {
        <section aria-labelledby="delete-title" class="section danger-zone">
            <h2 id="delete-title">{tr(k::delete::title)}</h2>
            <Show
                when=move || asked.get()
                fallback=move || view! {
                    <p>{tr(k::delete::explanation)}</p>
                    <button type="button" class="danger" on:click=move |_| asked.set(true)>{tr(k::delete::start)}</button>
                }
            >
                <ErrorAlert message=action.error() />
                <form on:submit=on_submit.clone() novalidate=true aria-busy=move || action.aria_busy()>
                    <Field
                        id="confirm-delete"
                        label=Text::new(session.config().sign_in_name.type_to_confirm()).with("name", username.clone())
                        value=typed
                        autocomplete="off"
                        disabled=action.busy()
                    />
                    <button type="submit" class="danger" disabled=move || action.is_busy() || !matches.get()>
                        {action.label(k::delete::submit)}
                    </button>
                    <button type="button" class="secondary" disabled=move || action.is_busy() on:click=move |_| {
                        asked.set(false);
                        typed.set(String::new());
                    }>{tr(k::action::cancel)}</button>
                </form>
            </Show>
        </section>
    }
}
