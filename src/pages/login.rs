use cognito_core::messages::authenticator_code_problem;
use cognito_core::redirect::next_destination;
use cognito_core::srp::ClientEphemeral;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use zeroize::Zeroizing;

use crate::browser::{current_origin, resolve_url, yield_to_browser};
use crate::components::alerts::{ErrorAlert, Notice};
use crate::components::field::Field;
use crate::components::password_rules::{password_problem, repeat_problem, PasswordRules};
use crate::routes::Route;
use crate::session::{use_session, LoginStep, MfaChallenge, NewPasswordChallenge, Problem};
use crate::tasks::PageTasks;

/// Computes the next SRP ephemeral after the page has painted, so `A` is ready before the click.
fn prepare_ephemeral(tasks: &PageTasks, slot: StoredValue<Option<ClientEphemeral>>) {
    tasks.spawn(async move {
        yield_to_browser().await;
        if slot.with_value(Option::is_none) {
            if let Ok(ephemeral) = ClientEphemeral::generate() {
                slot.set_value(Some(ephemeral));
            }
        }
    });
}

fn label_for(attribute: &str) -> String {
    match attribute {
        "name" => "Name".into(),
        "email" => "Email".into(),
        "given_name" => "First name".into(),
        "family_name" => "Last name".into(),
        "phone_number" => "Phone number".into(),
        other => other.replace('_', " "),
    }
}

/// `/login`: username + password, SRP in wasm; then the page first asked for (default `/profile`).
#[component]
pub fn Login() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map().get_untracked();
    // Only a page of this site, as the browser's URL parser reads `next` (see cognito_core::redirect).
    let return_to = session.take_return_to();
    let raw_next = query.get("next").or(return_to);
    let next =
        next_destination(raw_next.as_deref(), raw_next.as_deref().and_then(resolve_url).as_ref(), &current_origin());

    let username = RwSignal::new(query.get("username").unwrap_or_default());
    let password = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(session.take_notice());
    let challenge = RwSignal::new(None::<NewPasswordChallenge>);
    let mfa = RwSignal::new(None::<MfaChallenge>);
    let ephemeral = StoredValue::new(None::<ClientEphemeral>);
    let tasks = PageTasks::new();
    prepare_ephemeral(&tasks, ephemeral);

    // Signed in (now, or already when the page opened): go where the user wanted to go.
    let go_next = navigate.clone();
    let target = next.clone();
    Effect::new(move |_| {
        if session.user().is_some() {
            go_next(&target, Default::default());
        }
    });

    let username_error = Signal::derive(move || {
        (tried.get() && username.get().trim().is_empty()).then(|| "Enter your username.".to_string())
    });
    let password_error =
        Signal::derive(move || (tried.get() && password.get().is_empty()).then(|| "Enter your password.".to_string()));
    let busy = Signal::derive(move || pending.get());

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        tried.set(true);
        error.set(None);
        notice.set(None);
        if username_error.get_untracked().is_some() || password_error.get_untracked().is_some() {
            return;
        }
        pending.set(true);
        let name = username.get_untracked().trim().to_string();
        let secret = Zeroizing::new(password.get_untracked()); // wiped when the task ends
        let navigate = navigate.clone();
        let next_tasks = tasks.clone();
        tasks.spawn(async move {
            yield_to_browser().await; // paint "Signing in…" before any big-number work
            let prepared = ephemeral.try_update_value(Option::take).flatten();
            let result = match prepared.map(Ok).unwrap_or_else(ClientEphemeral::generate) {
                Ok(eph) => session.login(&name, &secret, eph).await,
                Err(e) => Err(Problem::refused(format!("Cannot start signing in: {e}."))),
            };
            pending.set(false);
            prepare_ephemeral(&next_tasks, ephemeral);
            match result {
                Ok(LoginStep::Done) => {}
                Ok(LoginStep::NotConfirmed) => {
                    let target =
                        Route::Confirm { username: Some(name), destination: None, medium: None, unconfirmed: true };
                    navigate(&target.href(), Default::default())
                }
                Ok(LoginStep::NewPasswordRequired(c)) => {
                    password.set(String::new());
                    tried.set(false);
                    challenge.set(Some(c));
                }
                Ok(LoginStep::MfaRequired(c)) => {
                    password.set(String::new());
                    mfa.set(Some(c));
                }
                Err(problem) => error.set(Some(problem.message)),
            }
        });
    };

    view! {
        <section class="card" aria-labelledby="login-title">
            {move || match (challenge.get(), mfa.get()) {
                (_, Some(c)) => view! { <MfaCode challenge=c /> }.into_any(),
                (None, None) => view! {
                    <h1 id="login-title">"Sign in"</h1>
                    <Notice message=notice.into() />
                    <ErrorAlert message=error.into() />
                    <form on:submit=on_submit.clone() novalidate=true aria-busy=move || pending.get()>
                        <Field id="username" label="Username" value=username autocomplete="username" error=username_error disabled=busy />
                        <Field id="password" label="Password" value=password input_type="password" autocomplete="current-password" error=password_error disabled=busy />
                        <button type="submit" disabled=move || pending.get()>
                            {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                        </button>
                    </form>
                    <p>
                        <A href=move || Route::ForgotPassword { username: Some(username.get().trim().to_string()) }.href()>
                            "Forgot your password?"
                        </A>
                    </p>
                    <p>"No account yet? " <A href=Route::Register.href()>"Create one"</A></p>
                    <p>"Got a code by email? " <A href=Route::Confirm { username: None, destination: None, medium: None, unconfirmed: false }.href()>"Confirm your account"</A></p>
                }
                .into_any(),
                (Some(c), None) => view! { <NewPassword challenge=c /> }.into_any(),
            }}
        </section>
    }
}

/// The SOFTWARE_TOKEN_MFA step: the six-digit code from the authenticator app. A wrong code can be
/// corrected within the same sign-in.
#[component]
fn MfaCode(challenge: MfaChallenge) -> impl IntoView {
    let session = use_session();
    let tasks = PageTasks::new();
    let code = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = Signal::derive(move || pending.get());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entered = code.get_untracked().trim().to_string();
        if pending.get_untracked() {
            return;
        }
        if let Some(problem) = authenticator_code_problem(&entered) {
            error.set(Some(problem.into()));
            return;
        }
        pending.set(true);
        error.set(None);
        let challenge = challenge.clone();
        tasks.spawn(async move {
            let result = session.answer_mfa(&challenge, &entered).await;
            pending.set(false);
            match result {
                Ok(LoginStep::Done) => {}
                Ok(_) => {
                    error.set(Some("The sign-in service asked for another step this app does not support.".into()))
                }
                Err(problem) => {
                    code.set(String::new());
                    error.set(Some(problem.message));
                }
            }
        });
    };
    view! {
        <h1 id="login-title">"Enter your code"</h1>
        <p>"Open your authenticator app and enter the six-digit code it shows for this site."</p>
        <ErrorAlert message=error.into() />
        <form on:submit=on_submit novalidate=true aria-busy=move || pending.get()>
            <Field id="mfa-code" label="Code from the app" value=code autocomplete="one-time-code" inputmode="numeric" disabled=busy />
            <button type="submit" disabled=move || pending.get()>
                {move || if pending.get() { "Checking…" } else { "Continue" }}
            </button>
        </form>
    }
}

/// The NEW_PASSWORD_REQUIRED step of an administrator-created account.
#[component]
fn NewPassword(challenge: NewPasswordChallenge) -> impl IntoView {
    let session = use_session();
    let tasks = PageTasks::new();
    let policy = session.config().password_policy;
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let attributes: Vec<(String, RwSignal<String>)> =
        challenge.required_attributes.iter().map(|name| (name.clone(), RwSignal::new(String::new()))).collect();
    let tried = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = Signal::derive(move || pending.get());
    let password_error = password_problem(&policy, password, tried);
    let confirm_error = repeat_problem(password, confirm, tried);

    let fields = attributes.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        tried.set(true);
        error.set(None);
        let missing = fields.iter().any(|(_, v)| v.get_untracked().trim().is_empty());
        if password_error.get_untracked().is_some() || confirm_error.get_untracked().is_some() || missing {
            error.set(Some("Please correct the fields marked below.".into()));
            return;
        }
        pending.set(true);
        let values: Vec<(String, String)> =
            fields.iter().map(|(name, v)| (name.clone(), v.get_untracked().trim().to_string())).collect();
        let secret = Zeroizing::new(password.get_untracked()); // wiped when the task ends
        let challenge = challenge.clone();
        tasks.spawn(async move {
            let result = session.complete_new_password(&challenge, &secret, values).await;
            pending.set(false);
            match result {
                Ok(LoginStep::Done) => {}
                Ok(_) => {
                    error.set(Some("The sign-in service asked for another step this app does not support.".into()))
                }
                Err(problem) => error.set(Some(problem.message)),
            }
        });
    };

    view! {
        <h1 id="login-title">"Choose a new password"</h1>
        <p>"Your account was created with a temporary password. Choose your own to continue."</p>
        <ErrorAlert message=error.into() />
        <form on:submit=on_submit novalidate=true aria-busy=move || pending.get()>
            {attributes
                .into_iter()
                .map(|(name, value)| {
                    let error = Signal::derive(move || {
                        (tried.get() && value.get().trim().is_empty()).then(|| "This is required.".to_string())
                    });
                    view! { <Field id=format!("attr-{name}") label=label_for(&name) value=value error=error disabled=busy /> }
                })
                .collect_view()}
            <Field id="new-password" label="New password" value=password input_type="password" autocomplete="new-password" error=password_error disabled=busy />
            <PasswordRules policy=policy password=password id="new-password-rules" />
            <Field id="confirm-new-password" label="Repeat the new password" value=confirm input_type="password" autocomplete="new-password" error=confirm_error disabled=busy />
            <button type="submit" disabled=move || pending.get()>
                {move || if pending.get() { "Saving…" } else { "Set password and sign in" }}
            </button>
        </form>
    }
}
