use std::sync::Arc;

use cognito_core::i18n::{k, Text};
use cognito_core::messages::authenticator_code_problem;
use cognito_core::redirect::next_destination;
use cognito_core::srp::{self, ClientEphemeral};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use zeroize::Zeroizing;

use crate::browser::{current_origin, resolve_url, yield_to_browser};
use crate::components::account::mfa::AuthenticatorKey;
use crate::components::alerts::{ErrorAlert, Notice};
use crate::components::field::Field;
use crate::components::password_rules::{password_problem, repeat_problem, PasswordRules};
use crate::form::FormAction;
use crate::i18n::tr;
use crate::routes::Route;
use crate::session::{use_session, Challenge, LoginStep, MfaKind, Problem, Prompt, Reply};
use crate::tasks::PageTasks;

/// Computes the next SRP ephemeral after the page has painted, so `A` is ready before the click, and the
/// first time also exercises the password step's exponentiation so the browser has compiled it to fast
/// code before the user's click needs it (see [`srp::exercise`]).
fn prepare_ephemeral(tasks: &PageTasks, slot: StoredValue<Option<ClientEphemeral>>) {
    tasks.spawn(async move {
        yield_to_browser().await;
        if slot.with_value(Option::is_none) {
            if let Ok(ephemeral) = ClientEphemeral::generate() {
                slot.set_value(Some(ephemeral));
            }
        }
        if !EXERCISED.with(|done| done.replace(true)) {
            yield_to_browser().await;
            std::hint::black_box(srp::exercise());
        }
    });
}

thread_local! {
    /// Whether this page has run [`srp::exercise`] (once is enough for the browser to optimize it).
    static EXERCISED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The label of a user attribute the service asks for (a custom one by its own name).
fn label_for(attribute: &str) -> Text {
    match attribute {
        "name" => Text::new(k::attribute::name),
        "email" => Text::new(k::attribute::email),
        "given_name" => Text::new(k::attribute::given_name),
        "family_name" => Text::new(k::attribute::family_name),
        "phone_number" => Text::new(k::attribute::phone_number),
        other => Text::new(k::attribute::other).with("name", other.replace('_', " ")),
    }
}

/// The step of the sign-in page: one at a time, nothing in between.
#[derive(Clone)]
enum Stage {
    Credentials,
    /// The service asks for more; what is in [`Challenge::prompt`].
    Challenge(Arc<Challenge>),
}

/// `/login`: username + password, SRP in wasm, then whatever the service asks; then the page first asked
/// for (default `/profile`).
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

    let stage = RwSignal::new(Stage::Credentials);
    let action = FormAction::new().with_notice(session.take_notice());
    let username = RwSignal::new(query.get("username").unwrap_or_default());
    let password = RwSignal::new(String::new());
    let ephemeral = StoredValue::new(None::<ClientEphemeral>);
    let tasks = PageTasks::new();
    prepare_ephemeral(&tasks, ephemeral);

    // Signed in (now, or already when the page opened): go where the user wanted to go.
    let go_next = navigate.clone();
    Effect::new(move |_| {
        if session.user().is_some() {
            go_next(&next, Default::default());
        }
    });

    let tried = action.tried();
    let names = session.config().sign_in_name;
    let username_error =
        Signal::derive(move || (tried.get() && username.get().trim().is_empty()).then(|| Text::new(names.missing())));
    let password_error = Signal::derive(move || {
        (tried.get() && password.get().is_empty()).then(|| Text::new(k::login::password_missing))
    });

    // Every answer of the sign-in lands here, from any stage.
    let follow = move |step: LoginStep| match step {
        LoginStep::Done => {} // the effect above navigates
        LoginStep::NotConfirmed => {
            let name = username.get_untracked().trim().to_string();
            let target = Route::Confirm { username: Some(name), destination: None, medium: None, unconfirmed: true };
            navigate(&target.href(), Default::default())
        }
        LoginStep::Challenge(challenge) => {
            password.set(String::new());
            stage.set(Stage::Challenge(Arc::new(challenge)));
        }
    };
    let follow = StoredValue::new_local(follow);

    let on_submit = move |ev: SubmitEvent| {
        action.submit(&ev, k::login::pending, || {
            if username_error.get_untracked().is_some() || password_error.get_untracked().is_some() {
                return None;
            }
            let name = username.get_untracked().trim().to_string();
            let secret = Zeroizing::new(password.get_untracked()); // wiped when the task ends
            let next_tasks = tasks.clone();
            Some(async move {
                // No wait for a paint: `A` is ready (or takes ~2 ms), and "Signing in…" paints while
                // InitiateAuth is on the network.
                let prepared = ephemeral.try_update_value(Option::take).flatten();
                let ephemeral_now = prepared.map(Ok).unwrap_or_else(ClientEphemeral::generate);
                let result = match ephemeral_now {
                    Ok(eph) => session.login(&name, &secret, eph).await,
                    Err(e) => Err(Problem::refused(Text::new(k::login::cannot_start).with("detail", e.to_string()))),
                };
                prepare_ephemeral(&next_tasks, ephemeral);
                let step = result?;
                follow.with_value(|follow| follow(step));
                Ok(())
            })
        })
    };
    let answered = Callback::new(move |step: LoginStep| follow.with_value(|follow| follow(step)));

    view! {
        <section class="card" aria-labelledby="login-title">
            {move || match stage.get() {
                Stage::Credentials => view! {
                    <h1 id="login-title">{tr(k::login::title)}</h1>
                    <Notice message=action.notice() />
                    <ErrorAlert message=action.error() />
                    <form on:submit=on_submit.clone() novalidate=true aria-busy=move || action.aria_busy()>
                        <Field id="username" label=names.label() value=username autocomplete="username" error=username_error disabled=action.busy() />
                        <Field id="password" label=k::login::password value=password input_type="password" autocomplete="current-password" error=password_error disabled=action.busy() />
                        <button type="submit" disabled=move || action.is_busy()>
                            {action.label(k::login::submit)}
                        </button>
                    </form>
                    <p>
                        <A href=move || Route::ForgotPassword { username: Some(username.get().trim().to_string()) }.href()>
                            {tr(k::login::forgot)}
                        </A>
                    </p>
                    <p>{tr(k::login::no_account)} " " <A href=Route::Register.href()>{tr(k::login::create_one)}</A></p>
                    <p>{tr(k::login::got_code)} " " <A href=Route::Confirm { username: None, destination: None, medium: None, unconfirmed: false }.href()>{tr(k::login::confirm_account)}</A></p>
                }
                .into_any(),
                Stage::Challenge(challenge) => match &challenge.prompt {
                    Prompt::Mfa { kind } => {
                        let kind = *kind;
                        view! { <MfaCode challenge kind answered /> }.into_any()
                    }
                    Prompt::MfaSetup { .. } => {
                        let name = username.get_untracked().trim().to_string();
                        view! { <MfaSetup challenge name answered /> }.into_any()
                    }
                    Prompt::NewPassword { required_attributes } => {
                        let required_attributes = required_attributes.clone();
                        view! { <NewPassword challenge required_attributes answered /> }.into_any()
                    }
                    // The driver answers the SRP proof itself; the service never asks the page for it.
                    Prompt::PasswordVerifier(_) => view! { <p role="alert">{tr(k::login::unsupported_step)}</p> }.into_any(),
                },
            }}
        </section>
    }
}

/// A second factor: the code of the given kind. A wrong code can be corrected within the same sign-in.
#[component]
fn MfaCode(challenge: Arc<Challenge>, kind: MfaKind, answered: Callback<LoginStep>) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let code = RwSignal::new(String::new());
    let (explanation, label) = match kind {
        MfaKind::SoftwareToken => (k::mfa::sign_in_explanation, k::mfa::code_from_app),
    };
    let on_submit = move |ev: SubmitEvent| {
        let challenge = challenge.clone();
        action.submit(&ev, k::mfa::checking, || {
            let entered = code.get_untracked().trim().to_string();
            if let Some(problem) = authenticator_code_problem(&entered) {
                action.fail(Problem::refused(problem));
                return None;
            }
            Some(async move {
                let step = session.respond(&challenge, Reply::Code(&entered)).await;
                if step.is_err() {
                    code.set(String::new());
                }
                answered.run(step?);
                Ok(())
            })
        })
    };
    view! {
        <h1 id="login-title">{tr(k::mfa::enter_code_title)}</h1>
        <p>{tr(explanation)}</p>
        <ErrorAlert message=action.error() />
        <form on:submit=on_submit novalidate=true aria-busy=move || action.aria_busy()>
            <Field id="mfa-code" label=label value=code autocomplete="one-time-code" inputmode="numeric" disabled=action.busy() />
            <button type="submit" disabled=move || action.is_busy()>
                {action.label(k::mfa::submit)}
            </button>
        </form>
    }
}

/// The MFA_SETUP step: the pool requires two-step verification and the user has none yet. A key for an
/// authenticator app is made at once (QR code and text), then its current code finishes the sign-in.
#[component]
fn MfaSetup(challenge: Arc<Challenge>, name: String, answered: Callback<LoginStep>) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let code = RwSignal::new(String::new());
    // The key, and the challenge with the session AssociateSoftwareToken returned.
    let setup = RwSignal::new(None::<(String, Arc<Challenge>)>);
    action.run(k::mfa::preparing, || {
        Some(async move {
            let (secret, next) = session.start_mfa_setup(&challenge).await?;
            setup.set(Some((secret, Arc::new(next))));
            Ok(())
        })
    });
    let on_submit = move |ev: SubmitEvent| {
        action.submit(&ev, k::mfa::checking, || {
            let entered = code.get_untracked().trim().to_string();
            if let Some(problem) = authenticator_code_problem(&entered) {
                action.fail(Problem::refused(problem));
                return None;
            }
            let (_, challenge) = setup.get_untracked()?;
            Some(async move {
                let step = session.finish_mfa_setup(&challenge, &entered).await;
                if step.is_err() {
                    code.set(String::new());
                }
                answered.run(step?);
                Ok(())
            })
        })
    };
    view! {
        <h1 id="login-title">{tr(k::mfa::setup_title)}</h1>
        <p>{tr(k::mfa::setup_required)}</p>
        <ErrorAlert message=action.error() />
        <p class="progress" role="status">{move || action.pending()}</p>
        {move || setup.get().map(|(secret, _)| view! { <AuthenticatorKey secret name=name.clone() /> })}
        <form on:submit=on_submit novalidate=true aria-busy=move || action.aria_busy()>
            <Field id="mfa-setup-code" label=k::mfa::code_from_app value=code autocomplete="one-time-code" inputmode="numeric" disabled=action.busy() />
            <button type="submit" disabled=move || action.is_busy() || setup.with(Option::is_none)>{tr(k::mfa::turn_on_and_sign_in)}</button>
        </form>
    }
}

/// The NEW_PASSWORD_REQUIRED step of an administrator-created account.
#[component]
fn NewPassword(
    challenge: Arc<Challenge>,
    required_attributes: Vec<String>,
    answered: Callback<LoginStep>,
) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let policy = session.config().password_policy.clone();
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let attributes: Vec<(String, RwSignal<String>)> =
        required_attributes.into_iter().map(|name| (name, RwSignal::new(String::new()))).collect();
    let tried = action.tried();
    let password_error = password_problem(&policy, password, tried);
    let confirm_error = repeat_problem(password, confirm, tried);

    let fields = attributes.clone();
    let on_submit = move |ev: SubmitEvent| {
        let challenge = challenge.clone();
        action.submit(&ev, k::new_password::pending, || {
            let missing = fields.iter().any(|(_, v)| v.get_untracked().trim().is_empty());
            if password_error.get_untracked().is_some() || confirm_error.get_untracked().is_some() || missing {
                action.fail(Problem::refused(k::form::correct_fields));
                return None;
            }
            let values: Vec<(String, String)> =
                fields.iter().map(|(name, v)| (name.clone(), v.get_untracked().trim().to_string())).collect();
            let secret = Zeroizing::new(password.get_untracked()); // wiped when the task ends
            Some(async move {
                let reply = Reply::NewPassword { password: &secret, attributes: &values };
                answered.run(session.respond(&challenge, reply).await?);
                Ok(())
            })
        })
    };

    view! {
        <h1 id="login-title">{tr(k::new_password::title)}</h1>
        <p>{tr(k::new_password::explanation)}</p>
        <ErrorAlert message=action.error() />
        <form on:submit=on_submit novalidate=true aria-busy=move || action.aria_busy()>
            {attributes
                .into_iter()
                .map(|(name, value)| {
                    let error = Signal::derive(move || {
                        (tried.get() && value.get().trim().is_empty()).then(|| Text::new(k::form::required))
                    });
                    view! { <Field id=format!("attr-{name}") label=label_for(&name) value=value error=error disabled=action.busy() /> }
                })
                .collect_view()}
            <Field id="new-password" label=k::password::new value=password input_type="password" autocomplete="new-password" error=password_error disabled=action.busy() />
            <PasswordRules policy=policy password=password id="new-password-rules" />
            <Field id="confirm-new-password" label=k::password::repeat_new value=confirm input_type="password" autocomplete="new-password" error=confirm_error disabled=action.busy() />
            <button type="submit" disabled=move || action.is_busy()>
                {action.label(k::new_password::submit)}
            </button>
        </form>
    }
}
