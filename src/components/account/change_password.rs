use cognito_core::api::{ChangePassword, ChangePasswordRequest};
use leptos::prelude::*;

use crate::components::alerts::{ErrorAlert, Notice};
use crate::components::field::Field;
use crate::components::password_rules::{password_problem, repeat_problem, PasswordRules};
use crate::session::use_session;
use crate::tasks::PageTasks;

/// ChangePassword with the access token: current password, new password twice.
#[component]
pub fn ChangePasswordForm() -> impl IntoView {
    let session = use_session();
    let policy = session.config().password_policy;
    let tasks = PageTasks::new();
    let current = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = Signal::derive(move || pending.get());
    let current_error = Signal::derive(move || {
        (tried.get() && current.get().is_empty()).then(|| "Enter your current password.".to_string())
    });
    let password_error = password_problem(&policy, password, tried);
    let repeat_error = repeat_problem(password, repeat, tried);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        tried.set(true);
        error.set(None);
        notice.set(None);
        if [current_error, password_error, repeat_error].iter().any(|e| e.get_untracked().is_some()) {
            return;
        }
        pending.set(true);
        let (previous, proposed) = (current.get_untracked(), password.get_untracked());
        tasks.spawn(async move {
            let result = session
                .authorized::<ChangePassword>(|access_token| ChangePasswordRequest {
                    previous_password: previous.clone(),
                    proposed_password: proposed.clone(),
                    access_token,
                })
                .await;
            pending.set(false);
            match result {
                Ok(_) => {
                    for field in [current, password, repeat] {
                        field.set(String::new());
                    }
                    tried.set(false);
                    notice.set(Some("Your password has been changed.".into()));
                }
                Err(problem) => error.set(Some(problem.message)),
            }
        });
    };

    view! {
        <section aria-labelledby="change-password-title" class="section">
            <h2 id="change-password-title">"Change password"</h2>
            <Notice message=notice.into() />
            <ErrorAlert message=error.into() />
            <form on:submit=on_submit novalidate=true aria-busy=move || pending.get()>
                <Field id="current-password" label="Current password" value=current input_type="password" autocomplete="current-password" error=current_error disabled=busy />
                <Field id="changed-password" label="New password" value=password input_type="password" autocomplete="new-password" error=password_error disabled=busy />
                <PasswordRules policy=policy password=password id="changed-password-rules" />
                <Field id="repeat-changed-password" label="Repeat the new password" value=repeat input_type="password" autocomplete="new-password" error=repeat_error disabled=busy />
                <button type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Changing…" } else { "Change password" }}
                </button>
            </form>
        </section>
    }
}
