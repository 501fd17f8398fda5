//! The form kit: the markup every form and action button shares, over one [`FormAction`]. A form is
//! `<ActionForm>` (submit bound, busy announced), its fields `<Field action>`, `<SubmitButton>` and
//! `<ActionButton>` for what it does, `<Progress>` for the words while it runs and `<Alerts>` for what
//! came of it. No form writes `disabled`, `aria-busy` or `prevent_default` itself.

use std::future::Future;

use cognito_core::i18n::Key;
use leptos::callback::UnsyncCallback;
use leptos::prelude::*;

use crate::components::alerts::{ErrorAlert, Notice};
use crate::form::FormAction;
use crate::i18n::tr;
use crate::problem::Problem;

/// A `<form>` that submits through `action`: `submit` checks the fields (`None`: they say what is wrong)
/// and returns the work, which runs with `pending` shown (see [`FormAction::submit`]).
#[component]
pub fn ActionForm<S, W>(
    action: FormAction,
    pending: Key,
    submit: S,
    #[prop(optional)] class: Option<&'static str>,
    children: Children,
) -> impl IntoView
where
    S: Fn() -> Option<W> + 'static,
    W: Future<Output = Result<(), Problem>> + 'static,
{
    view! {
        <form
            class=class
            on:submit=move |ev| action.submit(&ev, pending, &submit)
            novalidate=true
            aria-busy=move || action.aria_busy()
        >
            {children()}
        </form>
    }
}

/// The form's submit button: its words while the work runs, disabled meanwhile (and while `blocked`).
#[component]
pub fn SubmitButton(
    action: FormAction,
    label: Key,
    #[prop(optional)] class: Option<&'static str>,
    #[prop(optional, into)] blocked: Option<Signal<bool>>,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            class=class
            disabled=move || action.is_busy() || blocked.is_some_and(|b| b.get())
        >
            {action.label(label)}
        </button>
    }
}

/// A button for another action of the form or section ("Send a new code"), disabled while `action` runs.
#[component]
pub fn ActionButton(
    action: FormAction,
    label: Key,
    #[prop(into)] on_click: UnsyncCallback<()>,
    #[prop(optional)] class: Option<&'static str>,
) -> impl IntoView {
    view! {
        <button type="button" class=class disabled=move || action.is_busy() on:click=move |_| on_click.run(())>
            {tr(label)}
        </button>
    }
}

/// The words shown while `action` runs, announced politely.
#[component]
pub fn Progress(action: FormAction) -> impl IntoView {
    view! { <p class="progress" role="status">{move || action.pending()}</p> }
}

/// What came of `action`: its notice (a success the page stays on) and its problem.
#[component]
pub fn Alerts(action: FormAction) -> impl IntoView {
    view! {
        <Notice message=action.notice() />
        <ErrorAlert message=action.error() />
    }
}
