use std::sync::Arc;

use cognito_core::i18n::{k, Text};
use cognito_core::messages::{authenticator_code_problem, looks_like_email};
use cognito_core::redirect::next_destination;
use cognito_core::srp::{self, ClientEphemeral};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use zeroize::Zeroizing;

use crate::browser::{current_origin, resolve_url, sleep_ms, yield_to_browser};
use crate::components::account::mfa::AuthenticatorKey;
use crate::components::alerts::{ErrorAlert, Notice};
use crate::components::field::Field;
use crate::components::managed_login::ManagedLoginButtons;
use crate::components::password_rules::{password_problem, repeat_problem, PasswordRules};
use crate::form::FormAction;
use crate::i18n::{render, tr};
use crate::passkey::{self, Autofill};
use crate::routes::Route;
use crate::session::{
    forget_passkey_user, remember_passkey_user, remember_way, remembered_passkey_user, remembered_way, use_session,
    Challenge, CodeMedium, LoginStep, Method, MfaKind, Problem, Prompt, Reply,
};
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

/// A passkey challenge offered in the autofill is renewed before the sign-in's session (3 minutes) ends,
/// for half an hour at most.
const AUTOFILL_RENEW_MS: i32 = 170_000;
const AUTOFILL_ROUNDS: usize = 10;

/// The step of the sign-in page: one at a time, nothing in between.
#[derive(Clone)]
enum Stage {
    /// The username, and the password unless sign-in is choice-based (then the username alone first).
    Credentials,
    /// Choice-based sign-in by password (picked, or the way of last time).
    Password,
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

    let next_page = StoredValue::new(next.clone());
    let stage = RwSignal::new(Stage::Credentials);
    // Choice-based sign-in (USER_AUTH): the username first, then the way the user picks or took last time.
    let choice_based = !session.config().passwordless.is_empty();
    let way = StoredValue::new(None::<Method>);
    let passkeys_on = choice_based && session.config().passwordless.contains(&Method::Passkey);
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
        // The effect above navigates.
        LoginStep::Done => {
            if let (true, Some(way)) = (choice_based, way.get_value()) {
                let name = username.get_untracked();
                remember_way(&name, way);
                if way == Method::Passkey {
                    remember_passkey_user(&name);
                } else if passkeys_on {
                    session.offer_passkey();
                }
            }
        }
        LoginStep::NotConfirmed => {
            let name = username.get_untracked().trim().to_string();
            let target = Route::Confirm { username: Some(name), destination: None, medium: None, unconfirmed: true };
            navigate(&target.href(), Default::default())
        }
        LoginStep::Challenge(challenge) => {
            password.set(String::new());
            match &challenge.prompt {
                Prompt::SignInCode { medium, .. } => {
                    way.set_value(Some(if *medium == CodeMedium::Email { Method::EmailCode } else { Method::SmsCode }))
                }
                Prompt::Passkey { .. } => way.set_value(Some(Method::Passkey)),
                _ => {}
            }
            stage.set(Stage::Challenge(Arc::new(challenge)));
        }
    };
    let follow = StoredValue::new_local(follow);

    // Passkey autofill: the passkeys of whoever signed in with one here last are offered in the username
    // field's autofill; picking one signs in at once. Anything else typed or clicked stops the offer.
    let autofill = StoredValue::new_local(None::<Autofill>);
    // Shown on the form as `data-passkey-autofill` while a request waits there (for tests and styling).
    let armed = RwSignal::new(false);
    let stop_autofill = move || {
        if let Some(offer) = autofill.try_update_value(Option::take).flatten() {
            offer.abort();
        }
        armed.try_set(false);
    };
    on_cleanup(stop_autofill);
    if let Some(name) = remembered_passkey_user().filter(|_| passkeys_on) {
        let timers = tasks.clone();
        tasks.spawn(async move {
            if !passkey::autofill_available().await {
                return;
            }
            for _ in 0..AUTOFILL_ROUNDS {
                let Some(offer) = Autofill::new() else { return };
                let challenge = match session.start_choice(&name, Some(Method::Passkey)).await {
                    Ok(LoginStep::Challenge(challenge)) => challenge,
                    Err(problem) if problem.is_transient() => return,
                    // No such user any more, or no passkey: nothing to offer.
                    _ => return forget_passkey_user(),
                };
                let Prompt::Passkey { options } = &challenge.prompt else { return forget_passkey_user() };
                if !matches!(stage.get_untracked(), Stage::Credentials) || untrack(|| action.is_busy()) {
                    return;
                }
                autofill.set_value(Some(offer.clone()));
                armed.set(true);
                let renewal = StoredValue::new(false);
                let expiring = offer.clone();
                timers.spawn(async move {
                    sleep_ms(AUTOFILL_RENEW_MS).await;
                    renewal.set_value(true);
                    expiring.abort();
                });
                let picked = offer.sign(options).await;
                armed.try_set(false);
                match picked {
                    Ok(credential) => {
                        autofill.set_value(None);
                        username.set(name.clone());
                        way.set_value(Some(Method::Passkey));
                        action.run(k::login::pending, || {
                            Some(async move {
                                let step = session.respond(&challenge, Reply::Passkey(&credential)).await?;
                                follow.with_value(|follow| follow(step));
                                Ok(())
                            })
                        });
                        return;
                    }
                    Err(_) if renewal.get_value() => continue,
                    Err(_) => return,
                }
            }
        });
    }

    let on_submit = move |ev: SubmitEvent| {
        action.submit(&ev, k::login::pending, || {
            if username_error.get_untracked().is_some() || password_error.get_untracked().is_some() {
                return None;
            }
            stop_autofill();
            let name = username.get_untracked().trim().to_string();
            let secret = Zeroizing::new(password.get_untracked()); // wiped when the task ends
            let next_tasks = tasks.clone();
            way.set_value(Some(Method::Password));
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

    // Choice-based, the username alone: the way of last time, else the ways this user has.
    let on_continue = move |ev: SubmitEvent| {
        action.submit(&ev, k::login::pending, || {
            if username_error.get_untracked().is_some() {
                return None;
            }
            stop_autofill();
            let name = username.get_untracked().trim().to_string();
            let preferred = remembered_way(&name);
            if preferred == Some(Method::Password) {
                stage.set(Stage::Password);
                return None;
            }
            Some(async move {
                let step = session.start_choice(&name, preferred).await?;
                follow.with_value(|follow| follow(step));
                Ok(())
            })
        })
    };
    let other_way = move |_| {
        action.run(k::login::pending, || {
            let name = username.get_untracked().trim().to_string();
            way.set_value(None);
            Some(async move {
                let step = session.start_choice(&name, None).await?;
                follow.with_value(|follow| follow(step));
                Ok(())
            })
        })
    };
    let password_chosen = Callback::new(move |()| {
        action.reset();
        stage.set(Stage::Password);
    });
    let links = move || {
        view! {
            <p>
                <A href=move || Route::ForgotPassword { username: Some(username.get().trim().to_string()) }.href()>
                    {tr(k::login::forgot)}
                </A>
            </p>
            <p>{tr(k::login::no_account)} " " <A href=Route::Register.href()>{tr(k::login::create_one)}</A></p>
            <p>{tr(k::login::got_code)} " " <A href=Route::Confirm { username: None, destination: None, medium: None, unconfirmed: false }.href()>{tr(k::login::confirm_account)}</A></p>
        }
    };

    view! {
        <section class="card" aria-labelledby="login-title">
            {move || match stage.get() {
                // The username, with the password unless choice-based sign-in asks for the username
                // alone first (then the password comes when picked, or as the way of last time).
                Stage::Credentials | Stage::Password => {
                    let asks_password = !choice_based || matches!(stage.get_untracked(), Stage::Password);
                    let submit = on_submit.clone();
                    view! {
                        <h1 id="login-title">{tr(k::login::title)}</h1>
                        <Notice message=action.notice() />
                        <ErrorAlert message=action.error() />
                        <form
                            on:submit=move |ev| if asks_password { submit(ev) } else { on_continue(ev) }
                            data-passkey-autofill=move || armed.get().then_some("waiting")
                            novalidate=true
                            aria-busy=move || action.aria_busy()
                        >
                            <Field id="username" label=names.label() value=username autocomplete=if passkeys_on { "username webauthn" } else { "username" } error=username_error disabled=action.busy() />
                            {asks_password.then(|| view! {
                                <Field id="password" label=k::login::password value=password input_type="password" autocomplete="current-password" error=password_error disabled=action.busy() />
                            })}
                            <button type="submit" disabled=move || action.is_busy()>
                                {action.label(if asks_password { k::login::submit } else { k::login::next })}
                            </button>
                            {(choice_based && asks_password).then(|| view! {
                                <button type="button" class="secondary" disabled=move || action.is_busy() on:click=other_way>
                                    {tr(k::login::other_way)}
                                </button>
                            })}
                        </form>
                        <ManagedLoginButtons next=next_page.get_value() username action />
                        {links()}
                    }
                    .into_any()
                }
                Stage::Challenge(challenge) => match &challenge.prompt {
                    Prompt::Mfa { kind, destination } => {
                        let (kind, destination) = (*kind, destination.clone());
                        view! { <MfaCode challenge kind destination answered /> }.into_any()
                    }
                    Prompt::SelectMfa { kinds } => {
                        let kinds = kinds.clone();
                        view! { <ChooseMfa challenge kinds answered /> }.into_any()
                    }
                    Prompt::MfaSetup { kinds } => {
                        let name = username.get_untracked().trim().to_string();
                        let kinds = kinds.clone();
                        view! { <MfaSetupChoice challenge kinds name answered /> }.into_any()
                    }
                    Prompt::NewPassword { required_attributes } => {
                        let required_attributes = required_attributes.clone();
                        view! { <NewPassword challenge required_attributes answered /> }.into_any()
                    }
                    Prompt::ChooseMethod { methods } => {
                        let methods = methods.clone();
                        view! { <ChooseWay challenge methods password_chosen answered /> }.into_any()
                    }
                    Prompt::Passkey { options } => {
                        let options = options.clone();
                        let name = username.get_untracked().trim().to_string();
                        view! { <PasskeySignIn challenge options name answered /> }.into_any()
                    }
                    Prompt::SignInCode { medium, destination } => {
                        let (medium, destination) = (*medium, destination.clone());
                        let name = username.get_untracked().trim().to_string();
                        view! { <SignInCode challenge medium destination name answered /> }.into_any()
                    }
                    // The driver answers the SRP proofs (the password's, the device's) itself; the service
                    // never asks the page for them.
                    Prompt::PasswordVerifier(_) | Prompt::DeviceSrpAuth | Prompt::DevicePasswordVerifier { .. } => {
                        view! { <p role="alert">{tr(k::login::unsupported_step)}</p> }.into_any()
                    }
                },
            }}
        </section>
    }
}

/// A second factor: the code of the given kind (from the authenticator app, or sent by text message or
/// email, where it went shown). A wrong code can be corrected within the same sign-in.
#[component]
fn MfaCode(
    challenge: Arc<Challenge>,
    kind: MfaKind,
    destination: Option<String>,
    answered: Callback<LoginStep>,
) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let code = RwSignal::new(String::new());
    let (explanation, label) = match (kind, destination) {
        (MfaKind::SoftwareToken, _) => (Text::new(k::mfa::sign_in_explanation), k::mfa::code_from_app),
        (MfaKind::Sms, Some(to)) => (Text::new(k::otp::sent_sms).with("destination", to), k::otp::code),
        (MfaKind::Sms, None) => (Text::new(k::otp::sent_sms_anywhere), k::otp::code),
        (MfaKind::Email, Some(to)) => (Text::new(k::otp::sent_email).with("destination", to), k::otp::code),
        (MfaKind::Email, None) => (Text::new(k::otp::sent_email_anywhere), k::otp::code),
    };
    let on_submit = move |ev: SubmitEvent| {
        let challenge = challenge.clone();
        action.submit(&ev, k::mfa::checking, || {
            let entered = code.get_untracked().trim().to_string();
            let problem = match kind {
                MfaKind::SoftwareToken => authenticator_code_problem(&entered),
                _ => entered.is_empty().then(|| Text::new(k::otp::code_missing)),
            };
            if let Some(problem) = problem {
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
        <p>{move || render(&explanation)}</p>
        <ErrorAlert message=action.error() />
        <form on:submit=on_submit novalidate=true aria-busy=move || action.aria_busy()>
            <Field id="mfa-code" label=label value=code autocomplete="one-time-code" inputmode="numeric" disabled=action.busy() />
            <button type="submit" disabled=move || action.is_busy()>
                {action.label(k::mfa::submit)}
            </button>
        </form>
    }
}

/// Several second factors and none preferred (SELECT_MFA_TYPE): the user picks the one for this sign-in.
#[component]
fn ChooseMfa(challenge: Arc<Challenge>, kinds: Vec<MfaKind>, answered: Callback<LoginStep>) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let pick = move |kind: MfaKind| {
        let challenge = challenge.clone();
        let pending = if kind == MfaKind::SoftwareToken { k::login::pending } else { k::code::sending };
        action.run(pending, || {
            Some(async move {
                answered.run(session.respond(&challenge, Reply::SelectMfa(kind)).await?);
                Ok(())
            })
        })
    };
    view! {
        <h1 id="login-title">{tr(k::mfa::choose_title)}</h1>
        <ErrorAlert message=action.error() />
        <div class="actions ways">
            {kinds
                .into_iter()
                .map(|kind| {
                    let pick = pick.clone();
                    let label = match kind {
                        MfaKind::SoftwareToken => k::mfa::by_app,
                        MfaKind::Sms => k::way::sms_code,
                        MfaKind::Email => k::way::email_code,
                    };
                    view! {
                        <button type="button" disabled=move || action.is_busy() on:click=move |_| pick(kind)>{tr(label)}</button>
                    }
                })
                .collect_view()}
        </div>
        <p class="progress" role="status">{move || action.pending()}</p>
    }
}

/// The MFA_SETUP step: the pool requires two-step verification and the user has none yet. With codes by
/// email allowed too, the user chooses first; codes by email need only the address (the first code goes
/// there and comes back as the next step).
#[component]
fn MfaSetupChoice(
    challenge: Arc<Challenge>,
    kinds: Vec<MfaKind>,
    name: String,
    answered: Callback<LoginStep>,
) -> impl IntoView {
    let by_email = kinds.contains(&MfaKind::Email);
    let by_app = kinds.contains(&MfaKind::SoftwareToken);
    // Which one is being set up (None: still to choose).
    let chosen = RwSignal::new(match (by_app, by_email) {
        (true, false) => Some(MfaKind::SoftwareToken),
        (false, _) => Some(MfaKind::Email),
        (true, true) => None,
    });
    view! {
        {move || match chosen.get() {
            None => view! {
                <h1 id="login-title">{tr(k::mfa::setup_title)}</h1>
                <p>{tr(k::mfa::setup_choose)}</p>
                <div class="actions ways">
                    <button type="button" on:click=move |_| chosen.set(Some(MfaKind::SoftwareToken))>{tr(k::mfa::setup_with_app)}</button>
                    <button type="button" on:click=move |_| chosen.set(Some(MfaKind::Email))>{tr(k::mfa::setup_with_email)}</button>
                </div>
            }
            .into_any(),
            Some(MfaKind::Email) => view! { <MfaSetupEmail challenge=challenge.clone() answered /> }.into_any(),
            Some(_) => view! { <MfaSetup challenge=challenge.clone() name=name.clone() answered /> }.into_any(),
        }}
    }
}

/// MFA_SETUP by email: the address codes go to; the service sends the first one there at once.
#[component]
fn MfaSetupEmail(challenge: Arc<Challenge>, answered: Callback<LoginStep>) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let address = RwSignal::new(String::new());
    let tried = action.tried();
    let address_error = Signal::derive(move || {
        (tried.get() && !looks_like_email(address.get().trim())).then(|| Text::new(k::profile::email_invalid))
    });
    let on_submit = move |ev: SubmitEvent| {
        let challenge = challenge.clone();
        action.submit(&ev, k::code::sending, || {
            if address_error.get_untracked().is_some() {
                return None;
            }
            let entered = address.get_untracked().trim().to_string();
            Some(async move {
                answered.run(session.respond(&challenge, Reply::MfaSetupEmail(&entered)).await?);
                Ok(())
            })
        })
    };
    view! {
        <h1 id="login-title">{tr(k::mfa::setup_title)}</h1>
        <p>{tr(k::mfa::setup_email)}</p>
        <ErrorAlert message=action.error() />
        <form on:submit=on_submit novalidate=true aria-busy=move || action.aria_busy()>
            <Field id="mfa-email" label=k::attribute::email value=address input_type="email" autocomplete="email" error=address_error disabled=action.busy() />
            <button type="submit" disabled=move || action.is_busy()>{action.label(k::mfa::send_code)}</button>
        </form>
    }
}

/// MFA_SETUP with an authenticator app: a key is made at once (QR code and text), then its current code
/// finishes the sign-in.
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

/// Choice-based sign-in: the ways this user has (SELECT_CHALLENGE). A code is sent at once; the password
/// is asked for on the page's own form (`password_chosen`), which signs in with SRP.
#[component]
fn ChooseWay(
    challenge: Arc<Challenge>,
    methods: Vec<Method>,
    password_chosen: Callback<()>,
    answered: Callback<LoginStep>,
) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let pick = move |method: Method| {
        if method == Method::Password {
            password_chosen.run(());
            return;
        }
        let challenge = challenge.clone();
        let pending = if method == Method::Passkey { k::login::pending } else { k::code::sending };
        action.run(pending, || {
            Some(async move {
                answered.run(session.respond(&challenge, Reply::Choose { method, srp_a: None }).await?);
                Ok(())
            })
        })
    };
    let label = |method: Method| match method {
        Method::Password => k::way::password,
        Method::EmailCode => k::way::email_code,
        Method::SmsCode => k::way::sms_code,
        Method::Passkey => k::way::passkey,
    };
    view! {
        <h1 id="login-title">{tr(k::way::title)}</h1>
        <ErrorAlert message=action.error() />
        <div class="actions ways">
            {methods
                .into_iter()
                .map(|method| {
                    let pick = pick.clone();
                    view! {
                        <button type="button" disabled=move || action.is_busy() on:click=move |_| pick(method)>
                            {tr(label(method))}
                        </button>
                    }
                })
                .collect_view()}
        </div>
        <p class="progress" role="status">{move || action.pending()}</p>
    }
}

/// Choice-based sign-in by a code sent by email or SMS (EMAIL_OTP, SMS_OTP): where it went, the code;
/// a wrong code can be corrected; a new code, or another way, starts the sign-in again.
#[component]
fn SignInCode(
    challenge: Arc<Challenge>,
    medium: CodeMedium,
    destination: Option<String>,
    name: String,
    answered: Callback<LoginStep>,
) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let code = RwSignal::new(String::new());
    let tried = action.tried();
    let code_error =
        Signal::derive(move || (tried.get() && code.get().trim().is_empty()).then(|| Text::new(k::otp::code_missing)));
    let sent = match (medium, destination) {
        (CodeMedium::Email, Some(to)) => Text::new(k::otp::sent_email).with("destination", to),
        (CodeMedium::Email, None) => Text::new(k::otp::sent_email_anywhere),
        (CodeMedium::Sms, Some(to)) => Text::new(k::otp::sent_sms).with("destination", to),
        (CodeMedium::Sms, None) => Text::new(k::otp::sent_sms_anywhere),
    };
    let method = if medium == CodeMedium::Email { Method::EmailCode } else { Method::SmsCode };
    let on_submit = move |ev: SubmitEvent| {
        let challenge = challenge.clone();
        action.submit(&ev, k::mfa::checking, || {
            if code_error.get_untracked().is_some() {
                return None;
            }
            let entered = code.get_untracked().trim().to_string();
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
    // Starts the sign-in again: a new code the same way, or the choice of ways.
    let again = move |preferred: Option<Method>, pending| {
        let name = name.clone();
        action.run(pending, || {
            Some(async move {
                answered.run(session.start_choice(&name, preferred).await?);
                Ok(())
            })
        })
    };
    let resend = again.clone();
    view! {
        <h1 id="login-title">{tr(k::mfa::enter_code_title)}</h1>
        <p>{move || render(&sent)}</p>
        <ErrorAlert message=action.error() />
        <form on:submit=on_submit novalidate=true aria-busy=move || action.aria_busy()>
            <Field id="sign-in-code" label=k::otp::code value=code autocomplete="one-time-code" inputmode="numeric" error=code_error disabled=action.busy() />
            <button type="submit" disabled=move || action.is_busy()>{action.label(k::mfa::submit)}</button>
            <button type="button" class="secondary" disabled=move || action.is_busy() on:click=move |_| resend(Some(method), k::code::sending)>
                {tr(k::code::send_new)}
            </button>
            <button type="button" class="secondary" disabled=move || action.is_busy() on:click=move |_| again(None, k::login::pending)>
                {tr(k::login::other_way)}
            </button>
        </form>
        <p class="progress" role="status">{move || action.pending()}</p>
    }
}

/// Choice-based sign-in by passkey (WEB_AUTHN): the browser asks for the passkey at once (and again on
/// "Use my passkey"); its assertion answers the challenge. Cancelled, or not possible here: say so, and
/// offer another way.
#[component]
fn PasskeySignIn(
    challenge: Arc<Challenge>,
    options: String,
    name: String,
    answered: Callback<LoginStep>,
) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let use_passkey = move || {
        let (challenge, options) = (challenge.clone(), options.clone());
        action.run(k::passkey::waiting, || {
            Some(async move {
                let credential = crate::passkey::sign(&options).await.map_err(|e| Problem::refused(e.text()))?;
                answered.run(session.respond(&challenge, Reply::Passkey(&credential)).await?);
                Ok(())
            })
        })
    };
    let again = use_passkey.clone();
    use_passkey();
    let other_way = move |_| {
        let name = name.clone();
        action.run(k::login::pending, || {
            Some(async move {
                answered.run(session.start_choice(&name, None).await?);
                Ok(())
            })
        })
    };
    view! {
        <h1 id="login-title">{tr(k::passkey::sign_in_title)}</h1>
        <ErrorAlert message=action.error() />
        <p class="progress" role="status">{move || action.pending()}</p>
        <div class="actions">
            <button type="button" disabled=move || action.is_busy() on:click=move |_| again()>{tr(k::passkey::use_it)}</button>
            <button type="button" class="secondary" disabled=move || action.is_busy() on:click=other_way>
                {tr(k::login::other_way)}
            </button>
        </div>
    }
}
