//! The steps of a sign-in after the first form: what the service asks for ([`Prompt`]), one component
//! each. A step answers through [`SignInFlow::respond`]; the page shows whatever comes next.

use std::sync::Arc;

use cognito_core::i18n::{k, Key, Text};
use cognito_core::messages::authenticator_code_problem;
use leptos::prelude::*;
use zeroize::Zeroizing;

use crate::components::alerts::ErrorAlert;
use crate::components::field::Field;
use crate::components::form::{ActionButton, ActionForm, Progress, SubmitButton};
use crate::components::new_password::{NewPasswordFields, NewPasswordInput};
use crate::form::{any_invalid, FormAction};
use crate::i18n::{render, tr};
use crate::pages::login::flow::{OtherWay, SignInFlow};
use crate::problem::Problem;
use crate::session::{Challenge, CodeMedium, Method, MfaKind, Reply};

/// What a code step asks for: a second factor's code, or (choice-based sign-in) a code sent as the first.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum CodeAsked {
    Mfa(MfaKind),
    SignIn(CodeMedium),
}

impl CodeAsked {
    fn id(self) -> &'static str {
        match self {
            CodeAsked::Mfa(_) => "mfa-code",
            CodeAsked::SignIn(_) => "sign-in-code",
        }
    }

    /// Where the code is: the app, or where it was sent (when the service says).
    fn explanation(self, destination: Option<String>) -> Text {
        let by_email = matches!(self, CodeAsked::Mfa(MfaKind::Email) | CodeAsked::SignIn(CodeMedium::Email));
        match (self, by_email, destination) {
            (CodeAsked::Mfa(MfaKind::SoftwareToken), _, _) => Text::new(k::mfa::sign_in_explanation),
            (_, true, Some(to)) => Text::new(k::otp::sent_email).with("destination", to),
            (_, true, None) => Text::new(k::otp::sent_email_anywhere),
            (_, false, Some(to)) => Text::new(k::otp::sent_sms).with("destination", to),
            (_, false, None) => Text::new(k::otp::sent_sms_anywhere),
        }
    }

    /// What is wrong with the code as typed.
    fn problem(self, code: &str) -> Option<Text> {
        match self {
            CodeAsked::Mfa(MfaKind::SoftwareToken) => authenticator_code_problem(code),
            _ => code.trim().is_empty().then(|| Text::new(k::otp::code_missing)),
        }
    }

    /// A code sent as the first factor can be sent again (the sign-in starts again the same way).
    fn resend(self) -> Option<Method> {
        match self {
            CodeAsked::SignIn(medium) => Some(medium.method()),
            CodeAsked::Mfa(_) => None,
        }
    }
}

/// A code: from the authenticator app, or sent by text message or email (where it went shown). A wrong
/// code can be corrected within the same sign-in; a code sent as the first factor can be sent again, or
/// another way taken.
#[component]
pub(super) fn CodeStep(
    flow: SignInFlow,
    challenge: Arc<Challenge>,
    asked: CodeAsked,
    destination: Option<String>,
) -> impl IntoView {
    let action = FormAction::new();
    let code = RwSignal::new(String::new());
    let code_error = action.shown(move || code.with(|c| asked.problem(c)));
    let label = if asked == CodeAsked::Mfa(MfaKind::SoftwareToken) { k::mfa::code_from_app } else { k::otp::code };
    let explanation = asked.explanation(destination);
    let submit = move || {
        if any_invalid(&[code_error]) {
            return None;
        }
        let entered = code.get_untracked().trim().to_string();
        let challenge = challenge.clone();
        Some(async move {
            let answered = flow.respond(&challenge, Reply::Code(&entered)).await;
            if answered.is_err() {
                code.set(String::new());
            }
            answered
        })
    };
    view! {
        <h1 id="login-title">{tr(k::mfa::enter_code_title)}</h1>
        <p>{move || render(&explanation)}</p>
        <ErrorAlert message=action.error() />
        <ActionForm action pending=k::mfa::checking submit>
            <Field
                id=asked.id()
                label
                value=code
                autocomplete="one-time-code"
                inputmode="numeric"
                error=code_error
                action
            />
            <SubmitButton action label=k::mfa::submit />
            {asked
                .resend()
                .map(|way| {
                    view! {
                        <ActionButton
                            action
                            label=k::code::send_new
                            class="secondary"
                            on_click=move || flow.start_again(action, Some(way), k::code::sending)
                        />
                        <OtherWay flow action />
                    }
                })}
        </ActionForm>
        <Progress action />
    }
}

/// One of the choices a step offers.
#[derive(Clone, Copy)]
pub(super) enum Choice {
    /// A way of signing in (SELECT_CHALLENGE).
    Way(Method),
    /// A second factor for this sign-in (SELECT_MFA_TYPE).
    Mfa(MfaKind),
}

impl Choice {
    fn label(self) -> Key {
        match self {
            Choice::Way(Method::Password) => k::way::password,
            Choice::Way(Method::EmailCode) | Choice::Mfa(MfaKind::Email) => k::way::email_code,
            Choice::Way(Method::SmsCode) | Choice::Mfa(MfaKind::Sms) => k::way::sms_code,
            Choice::Way(Method::Passkey) => k::way::passkey,
            Choice::Mfa(MfaKind::SoftwareToken) => k::mfa::by_app,
        }
    }

    /// The words while the choice is sent: a code goes out at once.
    fn pending(self) -> Key {
        match self {
            Choice::Way(Method::Passkey) | Choice::Mfa(MfaKind::SoftwareToken) => k::login::pending,
            _ => k::code::sending,
        }
    }

    fn reply(self) -> Reply<'static> {
        match self {
            Choice::Way(method) => Reply::Choose { method, srp_a: None },
            Choice::Mfa(kind) => Reply::SelectMfa(kind),
        }
    }
}

/// A choice among `choices`: the ways this user has (a code is sent at once; the password is asked for
/// on the page's own form, which signs in with SRP), or the second factors when none is preferred.
#[component]
pub(super) fn ChoiceStep(
    flow: SignInFlow,
    challenge: Arc<Challenge>,
    title: Key,
    choices: Vec<Choice>,
) -> impl IntoView {
    let action = FormAction::new();
    let pick = move |choice: Choice| {
        if let Choice::Way(Method::Password) = choice {
            return flow.ask_password();
        }
        let challenge = challenge.clone();
        action.run(choice.pending(), || Some(async move { flow.respond(&challenge, choice.reply()).await }));
    };
    view! {
        <h1 id="login-title">{tr(title)}</h1>
        <ErrorAlert message=action.error() />
        <div class="actions ways">
            {choices
                .into_iter()
                .map(|choice| {
                    let pick = pick.clone();
                    view! { <ActionButton action label=choice.label() on_click=move || pick(choice) /> }
                })
                .collect_view()}
        </div>
        <Progress action />
    }
}

/// The NEW_PASSWORD_REQUIRED step of an administrator-created account: the attributes the pool requires
/// and the account lacks, and a new password.
#[component]
pub(super) fn NewPassword(
    flow: SignInFlow,
    challenge: Arc<Challenge>,
    required_attributes: Vec<String>,
) -> impl IntoView {
    let action = FormAction::new();
    let input = NewPasswordInput::new(action, &flow.session.config().password_policy);
    let attributes: Vec<(String, RwSignal<String>, Signal<Option<Text>>)> = required_attributes
        .into_iter()
        .map(|name| {
            let value = RwSignal::new(String::new());
            (name, value, action.required(value, k::form::required))
        })
        .collect();
    let fields = attributes.clone();
    let submit = move || {
        if input.invalid() || fields.iter().any(|(_, value, _)| value.with_untracked(|v| v.trim().is_empty())) {
            action.fail(Problem::refused(k::form::correct_fields));
            return None;
        }
        let values: Vec<(String, String)> =
            fields.iter().map(|(name, value, _)| (name.clone(), value.get_untracked().trim().to_string())).collect();
        let secret = Zeroizing::new(input.password.get_untracked()); // wiped when the task ends
        let challenge = challenge.clone();
        Some(
            async move { flow.respond(&challenge, Reply::NewPassword { password: &secret, attributes: &values }).await },
        )
    };
    view! {
        <h1 id="login-title">{tr(k::new_password::title)}</h1>
        <p>{tr(k::new_password::explanation)}</p>
        <ErrorAlert message=action.error() />
        <ActionForm action pending=k::new_password::pending submit>
            {attributes
                .into_iter()
                .map(|(name, value, error)| {
                    view! { <Field id=format!("attr-{name}") label=label_for(&name) value=value error=error action /> }
                })
                .collect_view()}
            <NewPasswordFields input action id="new-password" repeat_id="confirm-new-password" />
            <SubmitButton action label=k::new_password::submit />
        </ActionForm>
    }
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

/// Choice-based sign-in by passkey (WEB_AUTHN): the browser asks for the passkey at once (and again on
/// "Use my passkey"); its assertion answers the challenge. Cancelled, or not possible here: say so, and
/// offer another way.
#[component]
pub(super) fn PasskeySignIn(flow: SignInFlow, challenge: Arc<Challenge>, options: String) -> impl IntoView {
    let action = FormAction::new();
    let use_passkey = move || {
        let (challenge, options) = (challenge.clone(), options.clone());
        action.run(k::passkey::waiting, || {
            Some(async move {
                let credential = crate::passkey::sign(&options).await.map_err(|e| Problem::refused(e.text()))?;
                flow.respond(&challenge, Reply::Passkey(&credential)).await
            })
        })
    };
    use_passkey();
    view! {
        <h1 id="login-title">{tr(k::passkey::sign_in_title)}</h1>
        <ErrorAlert message=action.error() />
        <Progress action />
        <div class="actions">
            <ActionButton action label=k::passkey::use_it on_click=use_passkey />
            <OtherWay flow action />
        </div>
    }
}
