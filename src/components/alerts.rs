use leptos::prelude::*;

/// A form-level error, announced to screen readers when it appears.
#[component]
pub fn ErrorAlert(message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div class="alert alert-error" role="alert" hidden=move || message.get().is_none()>
            {move || message.get()}
        </div>
    }
}

/// A success or information message, announced politely.
#[component]
pub fn Notice(message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div class="alert alert-notice" role="status" hidden=move || message.get().is_none()>
            {move || message.get()}
        </div>
    }
}
