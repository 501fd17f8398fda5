//! The MFA_SETUP step: the pool requires two-step verification and the user has none yet. With codes by
//! email allowed too, the user chooses first; codes by email need only the address (the first code goes
//! there and comes back as the next step); an authenticator app gets a key, then its current code.

use std::sync::Arc;

use cognito_core::i18n::k;
use cognito_core::messages::{authenticator_code_problem, looks_like_email};
use leptos::prelude::*;

use crate::components::account::mfa::key::AuthenticatorKey;
use crate::components::alerts::ErrorAlert;
use crate::components::field::Field;
use crate::components::form::{ActionForm, Progress, SubmitButton};
use crate::form::{any_invalid, FormAction};
use crate::i18n::tr;
use crate::pages::login::flow::SignInFlow;
use crate::problem::Problem;
use crate::session::{Challenge, MfaKind, Reply};

#[component]
pub(super) fn MfaSetupChoice(flow: SignInFlow, challenge: Arc<Challenge>, kinds: Vec<MfaKind>) -> impl IntoView {
    let by_email = kinds.contains(&MfaKind::Email);
    let by_app = kinds.contains(&MfaKind::SoftwareToken);
    // Which one is being set up (None: still to choose).
    let chosen = RwSignal::new(match (by_app, by_email) {
        (true, false) => Some(MfaKind::SoftwareToken),
        (false, _) => Some(MfaKind::Email),
        (true, true) => None,
    });
    move || match chosen.get() {
        None => view! {
            <h1 id="login-title">{tr(k::mfa::setup_title)}</h1>
            <p>{tr(k::mfa::setup_choose)}</p>
            <div class="actions ways">
                <button type="button" on:click=move |_| chosen.set(Some(MfaKind::SoftwareToken))>
                    {tr(k::mfa::setup_with_app)}
                </button>
                <button type="button" on:click=move |_| chosen.set(Some(MfaKind::Email))>
                    {tr(k::mfa::setup_with_email)}
                </button>
            </div>
        }
        .into_any(),
        Some(MfaKind::Email) => view! { <MfaSetupEmail flow challenge=challenge.clone() /> }.into_any(),
        Some(_) => view! { <MfaSetupApp flow challenge=challenge.clone() /> }.into_any(),
    }
}

/// By email: the address codes go to; the service sends the first one there at once.
#[component]
fn MfaSetupEmail(flow: SignInFlow, challenge: Arc<Challenge>) -> impl IntoView {
    let action = FormAction::new();
    let address = RwSignal::new(String::new());
    let address_error = action.check(move || !looks_like_email(address.get().trim()), k::profile::email_invalid);
    let submit = move || {
        if any_invalid(&[address_error]) {
            return None;
        }
        let entered = address.get_untracked().trim().to_string();
        let challenge = challenge.clone();
        Some(async move { flow.respond(&challenge, Reply::MfaSetupEmail(&entered)).await })
    };
    view! {
        <h1 id="login-title">{tr(k::mfa::setup_title)}</h1>
        <p>{tr(k::mfa::setup_email)}</p>
        <ErrorAlert message=action.error() />
        <ActionForm action pending=k::code::sending submit>
            <Field
                id="mfa-email"
                label=k::attribute::email
                value=address
                input_type="email"
                autocomplete="email"
                error=address_error
                action
            />
            <SubmitButton action label=k::mfa::send_code />
        </ActionForm>
    }
}

/// With an authenticator app: a key is made at once (QR code and text), then its current code finishes
/// the sign-in.
#[component]
fn MfaSetupApp(flow: SignInFlow, challenge: Arc<Challenge>) -> impl IntoView {
    let action = FormAction::new();
    let code = RwSignal::new(String::new());
    // The key, and the challenge with the session AssociateSoftwareToken returned.
    let setup = RwSignal::new(None::<(String, Arc<Challenge>)>);
    action.run(k::mfa::preparing, || {
        Some(async move {
            let (secret, next) = flow.session.start_mfa_setup(&challenge).await?;
            setup.set(Some((secret, Arc::new(next))));
            Ok(())
        })
    });
    let submit = move || {
        let entered = code.get_untracked().trim().to_string();
        if let Some(problem) = authenticator_code_problem(&entered) {
            action.fail(Problem::refused(problem));
            return None;
        }
        let (_, challenge) = setup.get_untracked()?;
        Some(async move {
            let step = flow.session.finish_mfa_setup(&challenge, &entered).await;
            if step.is_err() {
                code.set(String::new());
            }
            flow.follow(step?);
            Ok(())
        })
    };
    let name = flow.name();
    view! {
        <h1 id="login-title">{tr(k::mfa::setup_title)}</h1>
        <p>{tr(k::mfa::setup_required)}</p>
        <ErrorAlert message=action.error() />
        <Progress action />
        {move || setup.get().map(|(secret, _)| view! { <AuthenticatorKey secret name=name.clone() /> })}
        <ActionForm action pending=k::mfa::checking submit>
            <Field
                id="mfa-setup-code"
                label=k::mfa::code_from_app
                value=code
                autocomplete="one-time-code"
                inputmode="numeric"
                action
            />
            <SubmitButton
                action
                label=k::mfa::turn_on_and_sign_in
                blocked=Signal::derive(move || setup.with(Option::is_none))
            />
        </ActionForm>
    }
}
