use cognito_core::i18n::{Key, Text};
use leptos::prelude::*;

use crate::i18n::{render, tr};

/// A form-level error, announced to screen readers when it appears.
#[component]
pub fn ErrorAlert(message: Signal<Option<Text>>) -> impl IntoView {
    view! {
        <div class="alert alert-error" role="alert" hidden=move || message.with(Option::is_none)>
            {move || message.with(|m| m.as_ref().map(render))}
        </div>
    }
}

/// A success or information message, announced politely.
#[component]
pub fn Notice(message: Signal<Option<Text>>) -> impl IntoView {
    view! {
        <div class="alert alert-notice" role="status" hidden=move || message.with(Option::is_none)>
            {move || message.with(|m| m.as_ref().map(render))}
        </div>
    }
}

/// Work the page waits for before it can show anything ("Restoring your session…"), announced politely.
#[component]
pub fn Waiting(label: Key) -> impl IntoView {
    view! {
        <p class="progress" role="status">
            <span class="spinner" aria-hidden="true"></span>
            {tr(label)}
        </p>
    }
}
