use cognito_core::api::{
    AssociateSoftwareToken, AssociateSoftwareTokenRequest, MfaSettings, SetUserMFAPreference,
    SetUserMfaPreferenceRequest, VerifySoftwareToken, VerifySoftwareTokenRequest,
};
use cognito_core::error::codes;
use cognito_core::i18n::k;
use cognito_core::messages::authenticator_code_problem;
use leptos::prelude::*;
use zeroize::Zeroizing;

use crate::browser::{encode_query, site_host};
use crate::components::account::section::{AccountSection, ProfileData};
use crate::components::field::Field;
use crate::components::form::{ActionButton, ActionForm, SubmitButton};
use crate::form::FormAction;
use crate::i18n::tr;
use crate::problem::Problem;
use crate::session::{use_session, MfaKind, SessionOwner};

/// A new authenticator-app key, as the app takes it: a QR code (drawn in the page; nothing leaves the
/// browser) and the key as text in groups of four. `name` is what the app shows beside the codes.
#[component]
pub fn AuthenticatorKey(secret: String, name: String) -> impl IntoView {
    let uri = otpauth_uri(&site_host(), &name, &secret);
    view! {
        <p>{tr(k::mfa::scan)}</p>
        <div class="qr" role="img" aria-label=tr(k::mfa::qr_label) inner_html=qr_svg(&uri).unwrap_or_default()></div>
        <p>{tr(k::mfa::key)} " " <code data-testid="totp-secret">{grouped(&secret)}</code></p>
    }
}

/// The otpauth URI authenticator apps read from the QR code.
fn otpauth_uri(issuer: &str, username: &str, secret: &str) -> String {
    let label = encode_query(&format!("{issuer}:{username}"));
    format!("otpauth://totp/{label}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period=30", encode_query(issuer))
}

/// The QR code of a text as an SVG document (drawn in the page; nothing leaves the browser).
fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
    )
}

/// "ABCD EFGH …": the secret in groups of four, easier to type by hand.
fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// The second steps the user has on, and the one asked for first.
fn mfa_state(profile: ProfileData) -> (Vec<MfaKind>, Option<MfaKind>) {
    let user = profile.user().unwrap_or_default();
    let on = user.user_mfa_setting_list.unwrap_or_default().iter().filter_map(|n| MfaKind::of(n)).collect();
    (on, user.preferred_mfa_setting.as_deref().and_then(MfaKind::of))
}

/// SetUserMFAPreference for one kind of second step.
async fn set_preference(
    session: SessionOwner,
    kind: MfaKind,
    enabled: bool,
    preferred_mfa: bool,
) -> Result<(), Problem> {
    let settings = Some(MfaSettings { enabled, preferred_mfa });
    session
        .account()
        .call::<SetUserMFAPreference>(move |access_token| SetUserMfaPreferenceRequest {
            sms_mfa_settings: if kind == MfaKind::Sms { settings } else { None },
            software_token_mfa_settings: if kind == MfaKind::SoftwareToken { settings } else { None },
            email_mfa_settings: if kind == MfaKind::Email { settings } else { None },
            access_token,
        })
        .await?;
    Ok(())
}

/// Software-token (TOTP) MFA, where the pool offers authenticator apps: set up with an authenticator app
/// (AssociateSoftwareToken → QR code and the secret as text → VerifySoftwareToken →
/// SetUserMFAPreference), or turned off after the user proves it is them.
#[component]
pub fn MfaSettingsSection(profile: ProfileData) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let enabled = Memo::new(move |_| mfa_state(profile).0.contains(&MfaKind::SoftwareToken));
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

    // Turning it off weakens the account: the user proves it is them first (password and a current code,
    // checked by a fresh sign-in), so an unattended signed-in browser is not enough.
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

    let on = move || {
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
    };
    let off = move || {
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
    };
    (profile.own_sign_in() && session.config().authenticator_apps).then(|| {
        view! {
            <AccountSection id="mfa" title=k::mfa::title action>
                {move || if enabled.get() { on().into_any() } else { off().into_any() }}
            </AccountSection>
        }
    })
}

/// Codes by text message or email as second steps (the kinds config.json's `mfaKinds` says the pool
/// enables): each turned on or off, and the one asked for first chosen when several are on
/// (SetUserMFAPreference). Codes by text message need a phone number on the account. The last second
/// step is not turned off here: that would leave the account with none, which only a fresh sign-in may
/// do (the authenticator app's "Turn off" asks for one).
#[component]
pub fn MfaCodesSection(profile: ProfileData) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let save = move |kind: MfaKind, enabled: bool, preferred: bool| {
        move || {
            action.run(k::mfa::saving, || {
                Some(async move {
                    set_preference(session, kind, enabled, preferred).await?;
                    action.succeed(k::mfa::codes_saved);
                    profile.refetch();
                    Ok(())
                })
            })
        }
    };
    let row = move |kind: MfaKind| {
        let (on, preferred) = mfa_state(profile);
        let is_on = on.contains(&kind);
        let status = match (kind, is_on) {
            (MfaKind::Sms, true) => k::mfa::sms_on,
            (MfaKind::Sms, false) => k::mfa::sms_off,
            (_, true) => k::mfa::email_on,
            (_, false) => k::mfa::email_off,
        };
        let actions = if !is_on && kind == MfaKind::Sms && profile.attribute("phone_number").is_empty() {
            view! { <p>{tr(k::mfa::sms_needs_phone)}</p> }.into_any()
        } else if !is_on {
            view! { <ActionButton action label=k::mfa::turn_on on_click=save(kind, true, on.is_empty()) /> }.into_any()
        } else if on.len() == 1 {
            view! { <p>{tr(k::mfa::only_one)}</p> }.into_any()
        } else {
            let is_preferred = preferred == Some(kind);
            view! {
                {is_preferred.then(|| view! { <p>{tr(k::mfa::is_preferred)}</p> })}
                <div class="actions">
                    {(!is_preferred)
                        .then(|| {
                            view! {
                                <ActionButton
                                    action
                                    label=k::mfa::make_preferred
                                    class="secondary"
                                    on_click=save(kind, true, true)
                                />
                            }
                        })}
                    <ActionButton action label=k::mfa::turn_off class="secondary" on_click=save(kind, false, false) />
                </div>
            }
            .into_any()
        };
        view! {
            <li data-kind=kind.name()>
                <p>{tr(status)}</p>
                {actions}
            </li>
        }
    };
    // The authenticator app (its own section turns it on and off) can be the one asked for first too.
    let prefer_app = Memo::new(move |_| {
        let (on, preferred) = mfa_state(profile);
        on.contains(&MfaKind::SoftwareToken) && on.len() > 1 && preferred != Some(MfaKind::SoftwareToken)
    });
    let kinds = &session.config().mfa_codes;
    (profile.own_sign_in() && !kinds.is_empty()).then(|| {
        view! {
            <AccountSection id="mfa-codes" title=k::mfa::codes_title action testid="mfa-codes">
                <ul class="passkeys">{move || kinds.iter().map(|&kind| row(kind)).collect_view()}</ul>
                {move || {
                    prefer_app
                        .get()
                        .then(|| {
                            view! {
                                <ActionButton
                                    action
                                    label=k::mfa::prefer_app
                                    class="secondary"
                                    on_click=save(MfaKind::SoftwareToken, true, true)
                                />
                            }
                        })
                }}
            </AccountSection>
        }
    })
}
