//! The form kit: the markup every form and action button shares, over one [`FormAction`]. A form is
//! `<ActionForm>` (submit bound, busy announced), its fields `<Field action>`, `<SubmitButton>` and
//! `<ActionButton>` for what it does, `<Progress>` for the words while it runs and `<Alerts>` for what
//! came of it. No form writes `disabled`, `aria-busy` or `prevent_default` itself.

use std::future::Future;

use cognito_core::i18n::Key;
use leptos::prelude::*;

use crate::components::alerts::{ErrorAlert, Notice};
use crate::form::{FormAction, Work};
use crate::i18n::tr;
use crate::problem::Problem;

/// A `<form>` that submits through `action`: `submit` checks the fields (`None`: they say what is wrong)
/// and returns the work, which runs with `pending` shown (see [`FormAction::submit`]).
#[component]
pub fn ActionForm(
    action: FormAction,
    pending: Key,
    #[prop(into)] submit: Submit,
    #[prop(optional)] class: Option<&'static str>,
    /// The sign-in form: `data-passkey-autofill="waiting"` while a passkey request waits in its autofill.
    #[prop(optional, into)]
    autofill_waiting: Option<Signal<bool>>,
    children: Children,
) -> impl IntoView {
    view! {
        <form
            class=class
            data-passkey-autofill=move || autofill_waiting.and_then(|w| w.get().then_some("waiting"))
            on:submit=move |ev| action.submit(&ev, pending, || submit.0())
            novalidate=true
            aria-busy=move || action.aria_busy()
        >
            {children()}
        </form>
    }
}

/// A form's submit handler with its work boxed, so that `<ActionForm>` is compiled once for every form
/// (a generic component is compiled again for each closure it is given).
pub struct Submit(Box<dyn Fn() -> Option<Work>>);

impl<F, W> From<F> for Submit
where
    F: Fn() -> Option<W> + 'static,
    W: Future<Output = Result<(), Problem>> + 'static,
{
    fn from(start: F) -> Self {
        Submit(Box::new(move || start().map(|work| Box::pin(work) as Work)))
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
        <button type="submit" class=class disabled=move || action.is_busy() || blocked.is_some_and(|b| b.get())>
            {action.label(label)}
        </button>
    }
}

/// A button for another action of the form or section ("Send a new code"), disabled while `action` runs.
#[component]
pub fn ActionButton(
    action: FormAction,
    label: Key,
    #[prop(into)] on_click: OnClick,
    #[prop(optional)] class: Option<&'static str>,
) -> impl IntoView {
    view! {
        <button type="button" class=class disabled=move || action.is_busy() on:click=move |_| (on_click.0)()>
            {tr(label)}
        </button>
    }
}

/// What a button does, boxed (one compiled `<ActionButton>` for every button).
pub struct OnClick(Box<dyn Fn()>);

impl<F: Fn() + 'static> From<F> for OnClick {
    fn from(f: F) -> Self {
        OnClick(Box::new(f))
    }
}

/// The words shown while `action` runs, announced politely.
#[component]
pub fn Progress(action: FormAction) -> impl IntoView {
    view! {
        <p class="progress" role="status">
            {move || action.pending()}
        </p>
    }
}

/// What came of `action`: its notice (a success the page stays on) and its problem.
#[component]
pub fn Alerts(action: FormAction) -> impl IntoView {
    view! {
        <Notice message=action.notice() />
        <ErrorAlert message=action.error() />
    }
}
