use cognito_core::i18n::{k, Key};
use leptos::callback::UnsyncCallback;
use leptos::prelude::*;

use crate::components::form::ActionButton;
use crate::form::FormAction;
use crate::i18n::tr;

/// An action that cannot be undone, asked twice: its button, then the question with the action again and
/// Cancel. Disabled while `action` runs.
#[component]
pub fn ConfirmAction(
    label: Key,
    question: Key,
    action: FormAction,
    #[prop(into)] confirmed: UnsyncCallback<()>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    view! {
        <div class="actions">
            <Show
                when=move || asking.get()
                fallback=move || {
                    view! { <ActionButton action label class="secondary" on_click=move || asking.set(true) /> }
                }
            >
                <span>{tr(question)}</span>
                " "
                <ActionButton action label class="danger" on_click=move || confirmed.run(()) />
                <ActionButton action label=k::action::cancel class="secondary" on_click=move || asking.set(false) />
            </Show>
        </div>
    }
}
