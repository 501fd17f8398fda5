use cognito_core::password_policy::PasswordPolicy;
use leptos::prelude::*;

/// The first rule a new password breaks, in words, once the user has tried to submit.
pub fn password_problem(
    policy: &PasswordPolicy,
    password: RwSignal<String>,
    tried: RwSignal<bool>,
) -> Signal<Option<String>> {
    let policy = policy.clone();
    Signal::derive(move || {
        let unmet = policy.first_unmet(&password.get());
        if tried.get() {
            unmet.map(|rule| format!("The password needs: {}.", rule.describe().to_lowercase()))
        } else {
            None
        }
    })
}

/// "The two passwords are not the same", once the user has tried to submit.
pub fn repeat_problem(
    password: RwSignal<String>,
    repeat: RwSignal<String>,
    tried: RwSignal<bool>,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        (tried.get() && repeat.get() != password.get()).then(|| "The two passwords are not the same.".to_string())
    })
}

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
