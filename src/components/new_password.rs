//! A new password: the field, the pool's rules marked while the user types, and the field that repeats it.

use cognito_core::i18n::{k, Key, Text};
use cognito_core::password_policy::PasswordPolicy;
use leptos::prelude::*;

use crate::components::field::Field;
use crate::form::{any_invalid, FormAction};
use crate::i18n::{render, tr};

/// The two values of a new password and what is wrong with them once the form was submitted: the first
/// rule of `policy` it breaks, and "the two passwords are not the same".
#[derive(Clone, Copy)]
pub struct NewPasswordInput {
    pub password: RwSignal<String>,
    pub repeat: RwSignal<String>,
    error: Signal<Option<Text>>,
    repeat_error: Signal<Option<Text>>,
    policy: &'static PasswordPolicy,
}

impl NewPasswordInput {
    pub fn new(action: FormAction, policy: &'static PasswordPolicy) -> Self {
        let (password, repeat) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
        let error = action.shown(move || password.with(|p| policy.first_unmet(p)).map(|rule| rule.unmet()));
        let repeat_error = action.check(move || repeat.get() != password.get(), k::password::not_same);
        NewPasswordInput { password, repeat, error, repeat_error, policy }
    }

    /// Whether either field shows an error (read without tracking, in a submit handler).
    pub fn invalid(&self) -> bool {
        any_invalid(&[self.error, self.repeat_error])
    }

    /// Both fields emptied (after a success).
    pub fn clear(&self) {
        self.password.set(String::new());
        self.repeat.set(String::new());
    }
}

/// The new password's field (`id`), its rules (`{id}-rules`) and the field that repeats it (`repeat_id`).
#[component]
pub fn NewPasswordFields(
    input: NewPasswordInput,
    action: FormAction,
    id: &'static str,
    #[prop(default = k::password::new)] label: Key,
    repeat_id: &'static str,
    #[prop(default = k::password::repeat_new)] repeat_label: Key,
) -> impl IntoView {
    view! {
        <Field
            id=id
            label=label
            value=input.password
            input_type="password"
            autocomplete="new-password"
            error=input.error
            action
        />
        <PasswordRules policy=input.policy password=input.password id=format!("{id}-rules") />
        <Field
            id=repeat_id
            label=repeat_label
            value=input.repeat
            input_type="password"
            autocomplete="new-password"
            error=input.repeat_error
            action
        />
    }
}

/// The pool's password rules, each marked as met or not while the user types.
#[component]
fn PasswordRules(policy: &'static PasswordPolicy, password: RwSignal<String>, id: String) -> impl IntoView {
    view! {
        <ul class="password-rules" id=id aria-label=tr(k::password::rules)>
            {policy
                .requirements()
                .into_iter()
                .map(|rule| {
                    let met = move || password.with(|p| rule.is_met(p));
                    let text = rule.describe();
                    view! {
                        <li class:met=met>
                            <span aria-hidden="true">{move || if met() { "✓ " } else { "• " }}</span>
                            {move || render(&text)}
                            <span class="visually-hidden">
                                {move || {
                                    if met() { tr(k::password::rule_met)() } else { tr(k::password::rule_unmet)() }
                                }}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
