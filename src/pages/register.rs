use cognito_core::api::{AttributeType, SignUp, SignUpRequest};
use cognito_core::i18n::{k, Key, Text};
use cognito_core::messages::looks_like_email;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::components::alerts::ErrorAlert;
use crate::components::field::Field;
use crate::components::form::{ActionForm, SubmitButton};
use crate::components::new_password::{NewPasswordFields, NewPasswordInput};
use crate::form::{any_invalid, FormAction};
use crate::i18n::tr;
use crate::problem::Problem;
use crate::routes::Route;
use crate::session::preferences::remember_way;
use crate::session::{use_session, Method};

/// `/register`: username (unless the email is the username), name, email, password (+ confirmation) →
/// SignUp → `/confirm`. Where the pool signs users in with emailed codes, the password is optional: the
/// user may choose codes instead (a passwordless sign-up), and that becomes their way of signing in.
#[component]
pub fn Register() -> impl IntoView {
    let session = use_session();
    let config = session.config();
    let navigate = use_navigate();
    let action = FormAction::new();

    let username = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let input = NewPasswordInput::new(action, &config.password_policy);
    // Codes instead of a password (only offered where the pool allows email codes as a first factor).
    let codes_possible = config.passwordless.contains(&Method::EmailCode);
    let without_password = RwSignal::new(false);

    let asks_username = config.sign_in_name.asks_username();
    let username_error = action.shown(move || username.with(|u| username_problem(u, asks_username)).map(Text::new));
    let name_error = action.required(name, k::profile::name_missing);
    let email_error = action.shown(move || email.with(|e| email_problem(e)).map(Text::new));

    let submit = move || {
        let wants_password = !without_password.get_untracked();
        if any_invalid(&[username_error, name_error, email_error]) || (wants_password && input.invalid()) {
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
            password: wants_password.then(|| input.password.get_untracked()),
            user_attributes: vec![
                AttributeType::new("email", email.get_untracked().trim()),
                AttributeType::new("name", name.get_untracked().trim()),
            ],
            ..Default::default()
        };
        let navigate = navigate.clone();
        Some(async move {
            let answer = session.call::<SignUp>(&request).await?;
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
    };

    view! {
        <section class="card" aria-labelledby="register-title">
            <h1 id="register-title">{tr(k::register::title)}</h1>
            <ErrorAlert message=action.error() />
            <ActionForm action pending=k::register::pending submit>
                {asks_username
                    .then(|| {
                        view! {
                            <Field
                                id="username"
                                label=k::sign_in_name::username
                                value=username
                                autocomplete="username"
                                error=username_error
                                action
                            />
                        }
                    })}
                <Field id="name" label=k::attribute::name value=name autocomplete="name" error=name_error action />
                <Field
                    id="email"
                    label=k::attribute::email
                    value=email
                    input_type="email"
                    autocomplete="email"
                    error=email_error
                    action
                />
                {codes_possible.then(|| view! { <WayChoice action without_password /> })}
                // Hidden, not removed, when codes are chosen: what was typed stays if the user changes back.
                <div hidden=move || without_password.get()>
                    <NewPasswordFields
                        input
                        action
                        id="password"
                        label=k::login::password
                        repeat_id="confirm-password"
                        repeat_label=k::password::repeat
                    />
                </div>
                <SubmitButton action label=k::register::submit />
            </ActionForm>
            <p>{tr(k::register::have_account)} " " <A href=Route::LOGIN.href()>{tr(k::login::submit)}</A></p>
        </section>
    }
}

/// Where the pool signs users in with codes by email: "How will you sign in?", with a password or with a
/// code sent to the email (then no password is set).
#[component]
fn WayChoice(action: FormAction, without_password: RwSignal<bool>) -> impl IntoView {
    view! {
        <fieldset class="choice" disabled=move || action.is_busy()>
            <legend>{tr(k::register::how)}</legend>
            <label>
                <input
                    type="radio"
                    name="way"
                    value="password"
                    prop:checked=move || !without_password.get()
                    on:change=move |_| without_password.set(false)
                />
                {tr(k::register::with_password)}
            </label>
            <label>
                <input
                    type="radio"
                    name="way"
                    value="email-code"
                    prop:checked=move || without_password.get()
                    on:change=move |_| without_password.set(true)
                />
                {tr(k::register::with_email_code)}
            </label>
        </fieldset>
    }
}

/// What is wrong with the username typed (where the pool asks for one).
fn username_problem(username: &str, asked: bool) -> Option<Key> {
    if !asked {
        None
    } else if username.trim().is_empty() {
        Some(k::register::username_missing)
    } else if username.chars().any(char::is_whitespace) {
        Some(k::register::username_spaces)
    } else {
        None
    }
}

fn email_problem(email: &str) -> Option<Key> {
    if email.trim().is_empty() {
        Some(k::register::email_missing)
    } else if !looks_like_email(email.trim()) {
        Some(k::profile::email_invalid)
    } else {
        None
    }
}
