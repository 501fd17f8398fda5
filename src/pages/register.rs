use cognito_core::api::{AttributeType, SignUp, SignUpRequest};
use cognito_core::i18n::{k, Key, Text};
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
use crate::i18n::tr;
use crate::routes::Route;
use crate::session::{remember_way, use_session, Method, Problem};

/// `/register`: username (unless the email is the username), name, email, password (+ confirmation) →
/// SignUp → `/confirm`. Where the pool signs users in with emailed codes, the password is optional: the
/// user may choose codes instead (a passwordless sign-up), and that becomes their way of signing in.
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
    // Codes instead of a password (only offered where the pool allows email codes as a first factor).
    let codes_possible = config.passwordless.contains(&Method::EmailCode);
    let without_password = RwSignal::new(false);
    let tried = action.tried();

    let shown = move |problem: Option<Key>| if tried.get() { problem.map(Text::new) } else { None };
    let asks_username = config.sign_in_name.asks_username();
    let username_error = Signal::derive(move || {
        let u = username.get();
        shown(if !asks_username {
            None
        } else if u.trim().is_empty() {
            Some(k::register::username_missing)
        } else if u.chars().any(char::is_whitespace) {
            Some(k::register::username_spaces)
        } else {
            None
        })
    });
    let name_error = Signal::derive(move || shown(name.get().trim().is_empty().then_some(k::profile::name_missing)));
    let email_error = Signal::derive(move || {
        let e = email.get();
        shown(if e.trim().is_empty() {
            Some(k::register::email_missing)
        } else if !looks_like_email(e.trim()) {
            Some(k::profile::email_invalid)
        } else {
            None
        })
    });
    let password_error = password_problem(&policy, password, tried);
    let confirm_error = repeat_problem(password, confirm, tried);

    let on_submit = move |ev: SubmitEvent| {
        action.submit(&ev, k::register::pending, || {
            let wants_password = !without_password.get_untracked();
            let invalid = [username_error, name_error, email_error].iter().any(|e| e.get_untracked().is_some())
                || (wants_password && [password_error, confirm_error].iter().any(|e| e.get_untracked().is_some()));
            if invalid {
                action.fail(Problem::refused(k::form::correct_fields));
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
                password: wants_password.then(|| password.get_untracked()),
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
                if request.password.is_none() {
                    remember_way(&request.username, Method::EmailCode);
                }
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
            <h1 id="register-title">{tr(k::register::title)}</h1>
            <ErrorAlert message=action.error() />
            <form on:submit=on_submit novalidate=true aria-busy=move || action.aria_busy()>
                {asks_username.then(|| view! {
                    <Field id="username" label=k::sign_in_name::username value=username autocomplete="username" error=username_error disabled=action.busy() />
                })}
                <Field id="name" label=k::attribute::name value=name autocomplete="name" error=name_error disabled=action.busy() />
                <Field id="email" label=k::attribute::email value=email input_type="email" autocomplete="email" error=email_error disabled=action.busy() />
                {codes_possible.then(|| view! {
                    <fieldset class="choice" disabled=move || action.is_busy()>
                        <legend>{tr(k::register::how)}</legend>
                        <label>
                            <input type="radio" name="way" value="password" prop:checked=move || !without_password.get() on:change=move |_| without_password.set(false) />
                            {tr(k::register::with_password)}
                        </label>
                        <label>
                            <input type="radio" name="way" value="email-code" prop:checked=move || without_password.get() on:change=move |_| without_password.set(true) />
                            {tr(k::register::with_email_code)}
                        </label>
                    </fieldset>
                })}
                // Hidden, not removed, when codes are chosen: what was typed stays if the user changes back.
                <div hidden=move || without_password.get()>
                    <Field id="password" label=k::login::password value=password input_type="password" autocomplete="new-password" error=password_error disabled=action.busy() />
                    <PasswordRules policy=policy password=password id="password-rules" />
                    <Field id="confirm-password" label=k::password::repeat value=confirm input_type="password" autocomplete="new-password" error=confirm_error disabled=action.busy() />
                </div>
                <button type="submit" disabled=move || action.is_busy()>
                    {action.label(k::register::submit)}
                </button>
            </form>
            <p>{tr(k::register::have_account)} " " <A href=Route::LOGIN.href()>{tr(k::login::submit)}</A></p>
        </section>
    }
}
