use cognito_core::i18n::Text;
use leptos::prelude::*;

use crate::form::FormAction;
use crate::i18n::render;

/// A labelled input bound to a signal, with an optional error under it (announced and linked through
/// aria-describedby) and an optional hint; disabled while its form's `action` runs.
#[component]
pub fn Field(
    /// Element id; also names the error and hint elements.
    #[prop(into)]
    id: String,
    #[prop(into)] label: Text,
    value: RwSignal<String>,
    #[prop(into, default = "text".to_string())] input_type: String,
    #[prop(into, default = String::new())] autocomplete: String,
    #[prop(into, default = String::new())] inputmode: String,
    #[prop(optional, into)] hint: Option<Text>,
    #[prop(optional)] error: Option<Signal<Option<Text>>>,
    action: FormAction,
) -> impl IntoView {
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let (error_id, hint_id, has_hint) = (error_id.clone(), hint_id.clone(), hint.is_some());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || render(&label)}</label>
            {hint
                .map(|hint| {
                    view! {
                        <p class="hint" id=hint_id.clone()>
                            {move || render(&hint)}
                        </p>
                    }
                })}
            <input
                id=id.clone()
                name=id.clone()
                type=input_type
                autocomplete=autocomplete
                inputmode=(!inputmode.is_empty()).then_some(inputmode)
                bind:value=value
                disabled=move || action.is_busy()
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=described_by
            />
            <p class="field-error" id=error_id role="alert">
                {move || error.with(|e| e.as_ref().map(render))}
            </p>
        </div>
    }
}
