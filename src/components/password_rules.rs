use cognito_core::i18n::{k, Text};
use cognito_core::password_policy::PasswordPolicy;
use leptos::prelude::*;

use crate::i18n::{render, tr};

/// The first rule a new password breaks, once the user has tried to submit.
pub fn password_problem(
    policy: &PasswordPolicy,
    password: RwSignal<String>,
    tried: RwSignal<bool>,
) -> Signal<Option<Text>> {
    let policy = policy.clone();
    Signal::derive(
        move || if tried.get() { password.with(|p| policy.first_unmet(p)).map(|rule| rule.unmet()) } else { None },
    )
}

/// "The two passwords are not the same", once the user has tried to submit.
pub fn repeat_problem(
    password: RwSignal<String>,
    repeat: RwSignal<String>,
    tried: RwSignal<bool>,
) -> Signal<Option<Text>> {
    Signal::derive(move || (tried.get() && repeat.get() != password.get()).then(|| Text::new(k::password::not_same)))
}

/// The pool's password rules, each marked as met or not while the user types.
#[component]
pub fn PasswordRules(policy: PasswordPolicy, password: RwSignal<String>, #[prop(into)] id: String) -> impl IntoView {
    let rules = policy.requirements();
    view! {
        <ul class="password-rules" id=id aria-label=tr(k::password::rules)>
            {rules
                .into_iter()
                .map(|rule| {
                    let met = move || password.with(|p| rule.is_met(p));
                    let text = rule.describe();
                    view! {
                        <li class:met=met>
                            <span aria-hidden="true">{move || if met() { "✓ " } else { "• " }}</span>
                            {move || render(&text)}
                            <span class="visually-hidden">{move || if met() { tr(k::password::rule_met)() } else { tr(k::password::rule_unmet)() }}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
