//! `/login`: the username and password (SRP in wasm), or in a choice-based pool the username first and
//! then the way; then whatever the service asks, one step at a time; then the page first asked for
//! (`?next=`, default `/profile`).
//!
//! - [`flow`]: where the sign-in stands (`SignInFlow`), and the one place every answer is followed;
//! - [`credentials`]: the first form, the managed-login buttons and the links;
//! - [`steps`]: a code, a choice, a new password, a passkey; [`mfa_setup`]: setting up a second step;
//! - [`autofill`]: passkeys offered in the username field's autofill.
//!
//! A new challenge is a new [`Prompt`] variant in the core: the `match` in [`Step`] does not build until
//! it shows it.

mod autofill;
mod credentials;
mod flow;
mod mfa_setup;
mod steps;

use std::sync::Arc;

use cognito_core::i18n::k;
use cognito_core::redirect::next_destination;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::browser::{current_origin, resolve_url};
use crate::form::FormAction;
use crate::i18n::tr;
use crate::pages::login::autofill::AutofillOffer;
use crate::pages::login::credentials::{Credentials, PreparedEphemeral};
use crate::pages::login::flow::{SignInFlow, Stage};
use crate::pages::login::mfa_setup::MfaSetupChoice;
use crate::pages::login::steps::{Choice, ChoiceStep, CodeAsked, CodeStep, NewPassword, PasskeySignIn};
use crate::session::{use_session, Challenge, Prompt};
use crate::tasks::PageTasks;

#[component]
pub fn Login() -> impl IntoView {
    let session = use_session();
    let handoff = session.handoff();
    let query = use_query_map().get_untracked();
    // Only a page of this site, as the browser's URL parser reads `next` (see cognito_core::redirect).
    let return_to = handoff.take_return_to();
    let raw_next = query.get("next").or(return_to);
    let next =
        next_destination(raw_next.as_deref(), raw_next.as_deref().and_then(resolve_url).as_ref(), &current_origin());
    let flow = SignInFlow::new(query.get("username").unwrap_or_default());
    let action = FormAction::new().with_notice(handoff.take_notice());
    let tasks = PageTasks::new();
    let ephemeral = PreparedEphemeral::new(&tasks);
    let autofill = AutofillOffer::start(flow, action, &tasks);

    // Signed in (now, or already when the page opened): go where the user wanted to go.
    let destination = next.clone();
    Effect::new(move |_| {
        if session.user().is_some() {
            flow.go(&destination);
        }
    });

    view! {
        <section class="card" aria-labelledby="login-title">
            {move || match flow.stage.get() {
                Stage::Credentials | Stage::Password => {
                    view! { <Credentials flow action autofill ephemeral next=next.clone() /> }.into_any()
                }
                Stage::Challenge(challenge) => view! { <Step flow challenge /> }.into_any(),
            }}
        </section>
    }
}

/// The step for what the service asks.
#[component]
fn Step(flow: SignInFlow, challenge: Arc<Challenge>) -> impl IntoView {
    match challenge.prompt.clone() {
        Prompt::Mfa { kind, destination } => {
            view! { <CodeStep flow challenge asked=CodeAsked::Mfa(kind) destination /> }.into_any()
        }
        Prompt::SignInCode { medium, destination } => {
            view! { <CodeStep flow challenge asked=CodeAsked::SignIn(medium) destination /> }.into_any()
        }
        Prompt::SelectMfa { kinds } => {
            let choices = kinds.into_iter().map(Choice::Mfa).collect();
            view! { <ChoiceStep flow challenge title=k::mfa::choose_title choices /> }.into_any()
        }
        Prompt::ChooseMethod { methods } => {
            let choices = methods.into_iter().map(Choice::Way).collect();
            view! { <ChoiceStep flow challenge title=k::way::title choices /> }.into_any()
        }
        Prompt::MfaSetup { kinds } => view! { <MfaSetupChoice flow challenge kinds /> }.into_any(),
        Prompt::NewPassword { required_attributes } => {
            view! { <NewPassword flow challenge required_attributes /> }.into_any()
        }
        Prompt::Passkey { options } => view! { <PasskeySignIn flow challenge options /> }.into_any(),
        // The driver answers the SRP proofs (the password's, the device's) itself; the service never asks
        // the page for them.
        Prompt::PasswordVerifier(_) | Prompt::DeviceSrpAuth | Prompt::DevicePasswordVerifier { .. } => {
            view! { <p role="alert">{tr(k::login::unsupported_step)}</p> }.into_any()
        }
    }
}
