use cognito_core::api::{
    AssociateSoftwareToken, AssociateSoftwareTokenRequest, VerifySoftwareToken, VerifySoftwareTokenRequest,
};
use cognito_core::error::codes;
use cognito_core::i18n::k;
use cognito_core::messages::authenticator_code_problem;
use leptos::prelude::*;
use zeroize::Zeroizing;

use crate::components::account::mfa::key::AuthenticatorKey;
use crate::components::account::mfa::{mfa_state, set_preference};
use crate::components::account::section::{AccountSection, ProfileData};
use crate::components::field::Field;
use crate::components::form::{ActionButton, ActionForm, SubmitButton};
use crate::form::FormAction;
use crate::i18n::tr;
use crate::problem::Problem;
use crate::session::{use_session, MfaKind};

/// Software-token (TOTP) MFA, where the pool offers authenticator apps: set up with an authenticator app
/// (AssociateSoftwareToken → QR code and the secret as text → VerifySoftwareToken →
/// SetUserMFAPreference), or turned off after the user proves it is them.
#[component]
pub fn MfaSettingsSection(profile: ProfileData) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    // A memo: reading the profile again rebuilds the part below only when the app is turned on or off.
    let enabled = Memo::new(move |_| mfa_state(profile).0.contains(&MfaKind::SoftwareToken));
    (profile.own_sign_in() && session.config().authenticator_apps).then(|| {
        view! {
            <AccountSection id="mfa" title=k::mfa::title action>
                {move || {
                    if enabled.get() {
                        view! { <AppOn profile action /> }.into_any()
                    } else {
                        view! { <AppOff profile action /> }.into_any()
                    }
                }}
            </AccountSection>
        }
    })
}

/// Set up: a new key (AssociateSoftwareToken), shown as a QR code and text, then the app's current code
/// (VerifySoftwareToken) turns it on and makes it the one asked for first (SetUserMFAPreference).
#[component]
fn AppOff(profile: ProfileData, action: FormAction) -> impl IntoView {
    let session = use_session();
    // The authenticator app shows this beside the code: what the user signs in with.
    let username = StoredValue::new(untrack(|| session.user()).map(|u| u.shown_as).unwrap_or_default());
    let secret = RwSignal::new(None::<String>);
    let code = RwSignal::new(String::new());

    let start = move || {
        action.run(k::mfa::preparing, || {
            Some(async move {
                let answer = session
                    .account()
                    .call::<AssociateSoftwareToken>(|access_token| AssociateSoftwareTokenRequest {
                        access_token: Some(access_token),
                        session: None,
                    })
                    .await?;
                secret.set(Some(answer.secret_code));
                Ok(())
            })
        })
    };

    let verify = move || {
        let entered = code.get_untracked().trim().to_string();
        if let Some(problem) = authenticator_code_problem(&entered) {
            action.fail(Problem::refused(problem));
            return None;
        }
        Some(async move {
            let verified = session
                .account()
                .call::<VerifySoftwareToken>(|access_token| VerifySoftwareTokenRequest {
                    access_token: Some(access_token),
                    session: None,
                    user_code: entered.clone(),
                    friendly_device_name: Some("Authenticator app".into()),
                })
                .await;
            match verified {
                Err(p) if p.is(codes::ENABLE_SOFTWARE_TOKEN_MFA) || p.is(codes::CODE_MISMATCH) => {
                    return Err(p.with_message(k::mfa::wrong_code));
                }
                other => other?,
            };
            set_preference(session, MfaKind::SoftwareToken, true, true).await?;
            secret.set(None);
            code.set(String::new());
            action.succeed(k::mfa::turned_on);
            profile.refetch();
            Ok(())
        })
    };
    view! {
        <p data-testid="mfa-status">{tr(k::mfa::status_off)}</p>
        {move || match secret.get() {
            None => view! { <ActionButton action label=k::mfa::set_up on_click=start /> }.into_any(),
            Some(secret) => {
                view! {
                    <AuthenticatorKey secret name=username.get_value() />
                    <ActionForm action pending=k::mfa::checking submit=verify>
                        <Field
                            id="totp-code"
                            label=k::mfa::code_from_app
                            value=code
                            autocomplete="one-time-code"
                            inputmode="numeric"
                            action
                        />
                        <SubmitButton action label=k::mfa::turn_on />
                    </ActionForm>
                }
                    .into_any()
            }
        }}
    }
}

/// On: turning it off weakens the account, so the user proves it is them first (password and a current
/// code, checked by a fresh sign-in): an unattended signed-in browser is not enough.
#[component]
fn AppOn(profile: ProfileData, action: FormAction) -> impl IntoView {
    let session = use_session();
    let confirming_off = RwSignal::new(false);
    let off_password = RwSignal::new(String::new());
    let off_code = RwSignal::new(String::new());
    let turn_off = move || {
        let entered = off_code.get_untracked().trim().to_string();
        if off_password.get_untracked().is_empty() {
            action.fail(Problem::refused(k::login::password_missing));
            return None;
        }
        if let Some(problem) = authenticator_code_problem(&entered) {
            action.fail(Problem::refused(problem));
            return None;
        }
        let secret = Zeroizing::new(off_password.get_untracked()); // wiped when the task ends
        Some(async move {
            let result = session.reauthenticate(&secret, &entered).await;
            off_password.set(String::new());
            off_code.set(String::new());
            result?;
            action.progress(k::mfa::turning_off);
            set_preference(session, MfaKind::SoftwareToken, false, false).await?;
            confirming_off.set(false);
            action.succeed(k::mfa::turned_off);
            profile.refetch();
            Ok(())
        })
    };
    let cancel = move || {
        confirming_off.set(false);
        action.reset();
    };
    view! {
        <p data-testid="mfa-status">{tr(k::mfa::status_on)}</p>
        {move || {
            if confirming_off.get() {
                view! {
                    <ActionForm action pending=k::mfa::checking_identity submit=turn_off>
                        <p>{tr(k::mfa::confirm_identity)}</p>
                        <Field
                            id="mfa-off-password"
                            label=k::mfa::your_password
                            value=off_password
                            input_type="password"
                            autocomplete="current-password"
                            action
                        />
                        <Field
                            id="mfa-off-code"
                            label=k::mfa::current_code
                            value=off_code
                            autocomplete="one-time-code"
                            inputmode="numeric"
                            action
                        />
                        <div class="actions">
                            <SubmitButton action label=k::mfa::confirm_turn_off />
                            <ActionButton action label=k::action::cancel class="secondary" on_click=cancel />
                        </div>
                    </ActionForm>
                }
                    .into_any()
            } else {
                view! {
                    <ActionButton
                        action
                        label=k::mfa::turn_off
                        class="secondary"
                        on_click=move || confirming_off.set(true)
                    />
                }
                    .into_any()
            }
        }}
    }
}
