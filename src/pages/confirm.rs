use cognito_core::api::{ConfirmSignUp, ConfirmSignUpRequest, ResendConfirmationCode, ResendConfirmationCodeRequest};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::alerts::{ErrorAlert, Notice};
use crate::components::field::Field;
use crate::routes::Route;
use crate::session::use_session;
use crate::tasks::PageTasks;

fn sent_to(destination: &str, medium: &str) -> String {
    let how = if medium.eq_ignore_ascii_case("SMS") { "by text message" } else { "by email" };
    if destination.is_empty() {
        format!("We sent you a code {how}.")
    } else {
        format!("We sent a code {how} to {destination}.")
    }
}

/// `/confirm`: username + emailed code → ConfirmSignUp → `/login`; can send the code again.
#[component]
pub fn Confirm() -> impl IntoView {
    let session = use_session();
    let config = session.config();
    let navigate = use_navigate();
    let tasks = PageTasks::new();
    let submit_tasks = tasks.clone();
    let query = use_query_map().get_untracked();
    let param = |name: &str| query.get(name).unwrap_or_default();

    let username = RwSignal::new(param("username"));
    let code = RwSignal::new(String::new());
    let pending = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<String>);
    let initial_notice = if param("unconfirmed") == "1" {
        Some("Your account is not confirmed yet. Enter the code we sent you, or ask for a new one.".to_string())
    } else if !param("destination").is_empty() || !param("medium").is_empty() {
        Some(sent_to(&param("destination"), &param("medium")))
    } else {
        None
    };
    let notice = RwSignal::new(initial_notice);
    let tried = RwSignal::new(false);
    let username_error = Signal::derive(move || {
        (tried.get() && username.get().trim().is_empty()).then(|| "Enter your username.".to_string())
    });
    let code_error = Signal::derive(move || {
        (tried.get() && code.get().trim().is_empty()).then(|| "Enter the code from the email.".to_string())
    });
    let busy = Signal::derive(move || pending.get().is_some());

    let confirm_config = config.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked().is_some() {
            return;
        }
        tried.set(true);
        error.set(None);
        if username_error.get_untracked().is_some() || code_error.get_untracked().is_some() {
            return;
        }
        pending.set(Some("Confirming…"));
        let request = ConfirmSignUpRequest {
            client_id: confirm_config.client_id.clone(),
            username: username.get_untracked().trim().to_string(),
            confirmation_code: code.get_untracked().trim().to_string(),
            ..Default::default()
        };
        let config = confirm_config.clone();
        let navigate = navigate.clone();
        submit_tasks.spawn(async move {
            let result = api::call::<ConfirmSignUp>(&config, &request).await;
            pending.set(None);
            match result {
                Ok(_) => {
                    session.set_notice("Your account is confirmed. You can sign in now.");
                    navigate(&Route::login_as(request.username.clone()).href(), Default::default());
                }
                Err(problem) => error.set(Some(problem.message)),
            }
        });
    };

    let resend = move |_| {
        if pending.get_untracked().is_some() {
            return;
        }
        error.set(None);
        notice.set(None);
        let name = username.get_untracked().trim().to_string();
        if name.is_empty() {
            tried.set(true);
            return;
        }
        pending.set(Some("Sending a new code…"));
        let request = ResendConfirmationCodeRequest {
            client_id: config.client_id.clone(),
            username: name,
            client_metadata: None,
        };
        let config = config.clone();
        tasks.spawn(async move {
            let result = api::call::<ResendConfirmationCode>(&config, &request).await;
            pending.set(None);
            match result {
                Ok(answer) => {
                    let d = answer.code_delivery_details.unwrap_or_default();
                    notice.set(Some(format!(
                        "New code sent. {}",
                        sent_to(d.destination.as_deref().unwrap_or(""), d.delivery_medium.as_deref().unwrap_or(""))
                    )));
                }
                Err(problem) => error.set(Some(problem.message)),
            }
        });
    };

    view! {
        <section class="card" aria-labelledby="confirm-title">
            <h1 id="confirm-title">"Confirm your account"</h1>
            <Notice message=notice.into() />
            <ErrorAlert message=error.into() />
            <form on:submit=on_submit novalidate=true aria-busy=move || pending.get().is_some()>
                <Field id="username" label="Username" value=username autocomplete="username" error=username_error disabled=busy />
                <Field id="code" label="Confirmation code" value=code autocomplete="one-time-code" inputmode="numeric" error=code_error disabled=busy />
                <button type="submit" disabled=move || pending.get().is_some()>"Confirm account"</button>
                <button type="button" class="secondary" disabled=move || pending.get().is_some() on:click=resend>
                    "Send a new code"
                </button>
            </form>
            <p class="progress" role="status">{move || pending.get()}</p>
            <p><A href=Route::LOGIN.href()>"Back to sign in"</A></p>
        </section>
    }
}
