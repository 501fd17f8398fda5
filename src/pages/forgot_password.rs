use cognito_core::api::{ConfirmForgotPassword, ConfirmForgotPasswordRequest, ForgotPassword, ForgotPasswordRequest};
use cognito_core::i18n::{k, Text};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::alerts::{ErrorAlert, Notice};
use crate::components::field::Field;
use crate::components::password_rules::{password_problem, repeat_problem, PasswordRules};
use crate::form::FormAction;
use crate::i18n::tr;
use crate::routes::Route;
use crate::session::use_session;

/// `/forgot-password`: username → ForgotPassword (a code is emailed) → code + new password →
/// ConfirmForgotPassword → `/login` with a notice.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let session = use_session();
    let config = session.config();
    let policy = config.password_policy.clone();
    let navigate = use_navigate();
    let query = use_query_map().get_untracked();

    let username = RwSignal::new(query.get("username").unwrap_or_default());
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let code_sent = RwSignal::new(false);
    let action = FormAction::new();
    let tried = action.tried();

    let names = config.sign_in_name;
    let username_error =
        Signal::derive(move || (tried.get() && username.get().trim().is_empty()).then(|| Text::new(names.missing())));
    let code_error =
        Signal::derive(move || (tried.get() && code.get().trim().is_empty()).then(|| Text::new(k::code::missing)));
    let password_error = password_problem(&policy, password, tried);
    let repeat_error = repeat_problem(password, repeat, tried);

    // Sends the code (the first form, and "Send a new code" on the second).
    let send_config = config.clone();
    let send_code = move || {
        if username.get_untracked().trim().is_empty() {
            tried.set(true);
            return None;
        }
        let request = ForgotPasswordRequest {
            client_id: send_config.client_id.clone(),
            username: username.get_untracked().trim().to_string(),
            client_metadata: None,
        };
        let config = send_config.clone();
        Some(async move {
            let answer = api::call::<ForgotPassword>(&config, &request).await?;
            let d = answer.code_delivery_details.unwrap_or_default();
            action.succeed(match d.destination {
                Some(to) => Text::new(k::forgot::sent_to).with("destination", to),
                None => Text::new(k::forgot::sent),
            });
            action.reset();
            code_sent.set(true);
            Ok(())
        })
    };
    let resend = send_code.clone();
    let on_request = move |ev: SubmitEvent| action.submit(&ev, k::code::sending, send_code.clone());

    let on_reset = move |ev: SubmitEvent| {
        action.submit(&ev, k::forgot::pending, || {
            if [code_error, password_error, repeat_error].iter().any(|e| e.get_untracked().is_some()) {
                return None;
            }
            let request = ConfirmForgotPasswordRequest {
                client_id: config.client_id.clone(),
                username: username.get_untracked().trim().to_string(),
                confirmation_code: code.get_untracked().trim().to_string(),
                password: password.get_untracked(),
                client_metadata: None,
            };
            let config = config.clone();
            let navigate = navigate.clone();
            Some(async move {
                api::call::<ConfirmForgotPassword>(&config, &request).await?;
                session.set_notice(k::forgot::done);
                navigate(&Route::login_as(request.username).href(), Default::default());
                Ok(())
            })
        })
    };

    view! {
        <section class="card" aria-labelledby="forgot-title">
            <h1 id="forgot-title">{tr(k::forgot::title)}</h1>
            <Notice message=action.notice() />
            <ErrorAlert message=action.error() />
            <Show
                when=move || code_sent.get()
                fallback=move || view! {
                    <p>{tr(names.missing())} " " {tr(k::forgot::explanation)}</p>
                    <form on:submit=on_request.clone() novalidate=true aria-busy=move || action.aria_busy()>
                        <Field id="username" label=names.label() value=username autocomplete="username" error=username_error disabled=action.busy() />
                        <button type="submit" disabled=move || action.is_busy()>{tr(k::forgot::send_code)}</button>
                    </form>
                }
            >
                <form on:submit=on_reset.clone() novalidate=true aria-busy=move || action.aria_busy()>
                    <Field id="code" label=k::forgot::code value=code autocomplete="one-time-code" inputmode="numeric" error=code_error disabled=action.busy() />
                    <Field id="new-password" label=k::password::new value=password input_type="password" autocomplete="new-password" error=password_error disabled=action.busy() />
                    <PasswordRules policy=policy.clone() password=password id="new-password-rules" />
                    <Field id="repeat-new-password" label=k::password::repeat_new value=repeat input_type="password" autocomplete="new-password" error=repeat_error disabled=action.busy() />
                    <button type="submit" disabled=move || action.is_busy()>{tr(k::forgot::submit)}</button>
                    <button type="button" class="secondary" disabled=move || action.is_busy() on:click={
                        let resend = resend.clone();
                        move |_| action.run(k::code::sending, resend.clone())
                    }>{tr(k::code::send_new)}</button>
                </form>
            </Show>
            <p class="progress" role="status">{move || action.pending()}</p>
            <p><A href=Route::LOGIN.href()>{tr(k::nav::back_to_sign_in)}</A></p>
        </section>
    }
}
