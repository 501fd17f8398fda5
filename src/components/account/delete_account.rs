use cognito_core::i18n::{k, Text};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::alerts::ErrorAlert;
use crate::components::field::Field;
use crate::components::form::{ActionButton, ActionForm, SubmitButton};
use crate::form::FormAction;
use crate::i18n::tr;
use crate::routes::Route;
use crate::session::use_session;

/// DeleteUser behind an explicit confirmation: the user types the name they sign in with.
#[component]
pub fn DeleteAccountSection() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let action = FormAction::new();
    let asked = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    // Read once: a token refresh must not rebuild the form (and lose what was typed).
    let username = untrack(|| session.user()).map(|u| u.shown_as).unwrap_or_default();
    let expected = username.clone();
    let matches = Signal::derive(move || typed.get().trim() == expected);
    let submit = move || {
        let navigate = navigate.clone();
        matches.get_untracked().then_some(async move {
            session.account().delete_account().await?;
            navigate(&Route::LOGIN.href(), Default::default());
            Ok(())
        })
    };
    let cancel = move || {
        asked.set(false);
        typed.set(String::new());
    };
    let question = StoredValue::new(Text::new(session.config().sign_in_name.type_to_confirm()).with("name", username));
    view! {
        <section aria-labelledby="delete-title" class="section danger-zone">
            <h2 id="delete-title">{tr(k::delete::title)}</h2>
            <Show
                when=move || asked.get()
                fallback=move || {
                    view! {
                        <p>{tr(k::delete::explanation)}</p>
                        <ActionButton action label=k::delete::start class="danger" on_click=move || asked.set(true) />
                    }
                }
            >
                <ErrorAlert message=action.error() />
                <ActionForm action pending=k::delete::pending submit=submit.clone()>
                    <Field id="confirm-delete" label=question.get_value() value=typed autocomplete="off" action />
                    <SubmitButton
                        action
                        label=k::delete::submit
                        class="danger"
                        blocked=Signal::derive(move || !matches.get())
                    />
                    <ActionButton action label=k::action::cancel class="secondary" on_click=cancel />
                </ActionForm>
            </Show>
        </section>
    }
}
