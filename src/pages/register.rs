use cognito_core::api::{AttributeType, SignUp, SignUpRequest};
use cognito_core::messages::looks_like_email;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::components::alerts::ErrorAlert;
use crate::components::field::Field;
use crate::components::password_rules::{password_problem, repeat_problem, PasswordRules};
use crate::form::FormAction;
use crate::routes::Route;
use crate::session::{use_session, Problem};

/// `/register`: username (unless the email is the username), name, email, password (+ confirmation) →
/// SignUp → `/confirm`.
#[component]
pub fn Register() -> impl IntoView {
    let session = use_session();
    let config = session.config();
    let policy = config.password_policy.clone();
    let navigate = use_navigate();
    let action = FormAction::new();

    let username = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let tried = action.tried();

    let shown = move |problem: Option<&str>| if tried.get() { problem.map(str::to_string) } else { None };
    let asks_username = config.sign_in_name.asks_username();
    let username_error = Signal::derive(move || {
        let u = username.get();
        shown(if !asks_username {
            None
        } else if u.trim().is_empty() {
            Some("Enter a username.")
        } else if u.chars().any(char::is_whitespace) {
            Some("A username cannot contain spaces.")
        } else {
            None
        })
    });
    let name_error = Signal::derive(move || shown(name.get().trim().is_empty().then_some("Enter your name.")));
    let email_error = Signal::derive(move || {
        let e = email.get();
        shown(if e.trim().is_empty() {
            Some("Enter your email address.")
        } else if !looks_like_email(e.trim()) {
            Some("Enter an email address like name@example.com.")
        } else {
            None
        })
    });
    let password_error = password_problem(&policy, password, tried);
    let confirm_error = repeat_problem(password, confirm, tried);

    let on_submit = move |ev: SubmitEvent| {
        action.submit(&ev, "Creating your account…", || {
            let invalid = [username_error, name_error, email_error, password_error, confirm_error]
                .iter()
                .any(|e| e.get_untracked().is_some());
            if invalid {
                action.fail(Problem::refused("Please correct the fields marked below."));
                return None;
            }
            let request = SignUpRequest {
                client_id: config.client_id.clone(),
                // In a pool whose users sign in with their email, it is the username too.
                username: if asks_username {
                    username.get_untracked().trim().to_string()
                } else {
                    email.get_untracked().trim().to_string()
                },
                password: password.get_untracked(),
                user_attributes: vec![
                    AttributeType::new("email", email.get_untracked().trim()),
                    AttributeType::new("name", name.get_untracked().trim()),
                ],
                ..Default::default()
            };
            let config = config.clone();
            let navigate = navigate.clone();
            Some(async move {
                let answer = api::call::<SignUp>(&config, &request).await?;
                let delivery = answer.code_delivery_details.unwrap_or_default();
                let target = Route::Confirm {
                    username: Some(request.username),
                    destination: delivery.destination,
                    medium: delivery.delivery_medium,
                    unconfirmed: false,
                };
                navigate(&target.href(), Default::default());
                Ok(())
            })
        })
    };

    view! {
        <section class="card" aria-labelledby="register-title">
            <h1 id="register-title">"Create an account"</h1>
            <ErrorAlert message=action.error() />
            <form on:submit=on_submit novalidate=true aria-busy=move || action.aria_busy()>
                {asks_username.then(|| view! {
                    <Field id="username" label="Username" value=username autocomplete="username" error=username_error disabled=action.busy() />
                })}
                <Field id="name" label="Name" value=name autocomplete="name" error=name_error disabled=action.busy() />
                <Field id="email" label="Email" value=email input_type="email" autocomplete="email" error=email_error disabled=action.busy() />
                <Field id="password" label="Password" value=password input_type="password" autocomplete="new-password" error=password_error disabled=action.busy() />
                <PasswordRules policy=policy password=password id="password-rules" />
                <Field id="confirm-password" label="Repeat the password" value=confirm input_type="password" autocomplete="new-password" error=confirm_error disabled=action.busy() />
                <button type="submit" disabled=move || action.is_busy()>
                    {move || action.pending().unwrap_or("Create account")}
                </button>
            </form>
            <p>"Already have an account? " <A href=Route::LOGIN.href()>"Sign in"</A></p>
        </section>
    }
}
