use cognito_core::i18n::Text;
use leptos::prelude::*;

use crate::i18n::render;

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
