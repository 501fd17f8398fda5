use cognito_core::api::{ChangePassword, ChangePasswordRequest};
use cognito_core::i18n::{k, Text};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::components::alerts::{ErrorAlert, Notice};
use crate::components::field::Field;
use crate::components::password_rules::{password_problem, repeat_problem, PasswordRules};
use crate::form::FormAction;
use crate::i18n::tr;
use crate::session::use_session;

/// ChangePassword with the access token: current password, new password twice.
#[component]
pub fn ChangePasswordForm() -> impl IntoView {
    let session = use_session();
    let policy = session.config().password_policy.clone();
    let action = FormAction::new();
    let current = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let tried = action.tried();
    let current_error = Signal::derive(move || {
        (tried.get() && current.get().is_empty()).then(|| Text::new(k::change_password::current_missing))
    });
    let password_error = password_problem(&policy, password, tried);
    let repeat_error = repeat_problem(password, repeat, tried);

    let on_submit = move |ev: SubmitEvent| {
        action.submit(&ev, k::change_password::pending, || {
            if [current_error, password_error, repeat_error].iter().any(|e| e.get_untracked().is_some()) {
                return None;
            }
            let (previous, proposed) = (current.get_untracked(), password.get_untracked());
            Some(async move {
                session
                    .authorized::<ChangePassword>(|access_token| ChangePasswordRequest {
                        previous_password: previous.clone(),
                        proposed_password: proposed.clone(),
                        access_token,
                    })
                    .await?;
                for field in [current, password, repeat] {
                    field.set(String::new());
                }
                action.reset();
                action.succeed(k::change_password::done);
                Ok(())
            })
        })
    };

    view! {
        <section aria-labelledby="change-password-title" class="section">
            <h2 id="change-password-title">{tr(k::change_password::title)}</h2>
            <Notice message=action.notice() />
            <ErrorAlert message=action.error() />
            <form on:submit=on_submit novalidate=true aria-busy=move || action.aria_busy()>
                <Field id="current-password" label=k::change_password::current value=current input_type="password" autocomplete="current-password" error=current_error disabled=action.busy() />
                <Field id="changed-password" label=k::password::new value=password input_type="password" autocomplete="new-password" error=password_error disabled=action.busy() />
                <PasswordRules policy=policy password=password id="changed-password-rules" />
                <Field id="repeat-changed-password" label=k::password::repeat_new value=repeat input_type="password" autocomplete="new-password" error=repeat_error disabled=action.busy() />
                <button type="submit" disabled=move || action.is_busy()>
                    {action.label(k::change_password::title)}
                </button>
            </form>
        </section>
    }
}
