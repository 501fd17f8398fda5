use cognito_core::password_policy::PasswordPolicy;
use leptos::prelude::*;

/// The pool's password rules, each marked as met or not while the user types.
#[component]
pub fn PasswordRules(policy: PasswordPolicy, password: RwSignal<String>, #[prop(into)] id: String) -> impl IntoView {
    let rules = policy.requirements();
    view! {
        <ul class="password-rules" id=id aria-label="Password requirements">
            {rules
                .into_iter()
                .map(|rule| {
                    let met = move || rule.is_met(&password.get());
                    view! {
                        <li class:met=met>
                            <span aria-hidden="true">{move || if met() { "✓ " } else { "• " }}</span>
                            {rule.describe()}
                            <span class="visually-hidden">{move || if met() { " (done)" } else { " (not yet)" }}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
