use cognito_core::api::{ConfirmForgotPassword, ConfirmForgotPasswordRequest, ForgotPassword, ForgotPasswordRequest};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::alerts::{ErrorAlert, Notice};
use crate::components::field::Field;
use crate::components::password_rules::{password_problem, repeat_problem, PasswordRules};
use crate::routes::Route;
use crate::session::use_session;
use crate::tasks::PageTasks;

/// `/forgot-password`: username → ForgotPassword (a code is emailed) → code + new password →
/// ConfirmForgotPassword → `/login` with a notice.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let session = use_session();
    let config = session.config();
    let policy = config.password_policy.clone();
    let navigate = use_navigate();
    let tasks = PageTasks::new();
    let query = use_query_map().get_untracked();

    let username = RwSignal::new(query.get("username").unwrap_or_default());
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let code_sent = RwSignal::new(false);
    let tried = RwSignal::new(false);
    let pending = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = Signal::derive(move || pending.get().is_some());

    let username_error = Signal::derive(move || {
        (tried.get() && username.get().trim().is_empty()).then(|| "Enter your username.".to_string())
    });
    let code_error = Signal::derive(move || {
        (tried.get() && code.get().trim().is_empty()).then(|| "Enter the code from the email.".to_string())
    });
    let password_error = password_problem(&policy, password, tried);
    let repeat_error = repeat_problem(password, repeat, tried);

    let send_tasks = tasks.clone();
    let send_config = config.clone();
    let send_code = move || {
        if pending.get_untracked().is_some() {
            return;
        }
        tried.set(true);
        error.set(None);
        if username_error.get_untracked().is_some() {
            return;
        }
        pending.set(Some("Sending a code…"));
        let request = ForgotPasswordRequest {
            client_id: send_config.client_id.clone(),
            username: username.get_untracked().trim().to_string(),
            client_metadata: None,
        };
        let config = send_config.clone();
        send_tasks.spawn(async move {
            let result = api::call::<ForgotPassword>(&config, &request).await;
            pending.set(None);
            match result {
                Ok(answer) => {
                    let d = answer.code_delivery_details.unwrap_or_default();
                    let to = d.destination.map(|t| format!(" to {t}")).unwrap_or_default();
                    notice.set(Some(format!("We sent a code by email{to}. Enter it with your new password.")));
                    tried.set(false);
                    code_sent.set(true);
                }
                Err(problem) => error.set(Some(problem.message)),
            }
        });
    };
    let resend = send_code.clone();

    let on_request = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send_code();
    };

    let on_reset = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked().is_some() {
            return;
        }
        tried.set(true);
        error.set(None);
        if [code_error, password_error, repeat_error].iter().any(|e| e.get_untracked().is_some()) {
            return;
        }
        pending.set(Some("Saving your new password…"));
        let request = ConfirmForgotPasswordRequest {
            client_id: config.client_id.clone(),
            username: username.get_untracked().trim().to_string(),
            confirmation_code: code.get_untracked().trim().to_string(),
            password: password.get_untracked(),
            client_metadata: None,
        };
        let config = config.clone();
        let navigate = navigate.clone();
        tasks.spawn(async move {
            let result = api::call::<ConfirmForgotPassword>(&config, &request).await;
            pending.set(None);
            match result {
                Ok(_) => {
                    session.set_notice("Your password has been reset. Sign in with the new one.");
                    navigate(&Route::login_as(request.username.clone()).href(), Default::default());
                }
                Err(problem) => error.set(Some(problem.message)),
            }
        });
    };

    view! {
        <section class="card" aria-labelledby="forgot-title">
            <h1 id="forgot-title">"Reset your password"</h1>
            <Notice message=notice.into() />
            <ErrorAlert message=error.into() />
            <Show
                when=move || code_sent.get()
                fallback=move || view! {
                    <p>"Enter your username and we will email you a code to set a new password."</p>
                    <form on:submit=on_request.clone() novalidate=true aria-busy=move || busy.get()>
                        <Field id="username" label="Username" value=username autocomplete="username" error=username_error disabled=busy />
                        <button type="submit" disabled=move || busy.get()>"Send code"</button>
                    </form>
                }
            >
                <form on:submit=on_reset.clone() novalidate=true aria-busy=move || busy.get()>
                    <Field id="code" label="Code from the email" value=code autocomplete="one-time-code" inputmode="numeric" error=code_error disabled=busy />
                    <Field id="new-password" label="New password" value=password input_type="password" autocomplete="new-password" error=password_error disabled=busy />
                    <PasswordRules policy=policy.clone() password=password id="new-password-rules" />
                    <Field id="repeat-new-password" label="Repeat the new password" value=repeat input_type="password" autocomplete="new-password" error=repeat_error disabled=busy />
                    <button type="submit" disabled=move || busy.get()>"Set new password"</button>
                    <button type="button" class="secondary" disabled=move || busy.get() on:click={
                        let resend = resend.clone();
                        move |_| resend()
                    }>"Send a new code"</button>
                </form>
            </Show>
            <p class="progress" role="status">{move || pending.get()}</p>
            <p><A href=Route::LOGIN.href()>"Back to sign in"</A></p>
        </section>
    }
}
