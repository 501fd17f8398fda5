use cognito_core::i18n::{k, Key};
use leptos::prelude::*;

use crate::form::FormAction;
use crate::i18n::tr;

/// An action that cannot be undone, asked twice: its button, then the question with the action again and
/// Cancel. Disabled while `action` runs.
#[component]
pub fn ConfirmAction(label: Key, question: Key, action: FormAction, confirmed: Callback<()>) -> impl IntoView {
    let asking = RwSignal::new(false);
    let ask = move || {
        view! {
            <button type="button" class="secondary" disabled=move || action.is_busy() on:click=move |_| asking.set(true)>
                {tr(label)}
            </button>
        }
    };
    view! {
        <div class="actions">
            <Show when=move || asking.get() fallback=ask>
                <span>{tr(question)}</span> " "
                <button type="button" class="danger" disabled=move || action.is_busy() on:click=move |_| confirmed.run(())>
                    {tr(label)}
                </button>
                <button type="button" class="secondary" disabled=move || action.is_busy() on:click=move |_| asking.set(false)>
                    {tr(k::action::cancel)}
                </button>
            </Show>
        </div>
    }
}
