use cognito_core::api::{
    AssociateSoftwareToken, AssociateSoftwareTokenRequest, ChallengeName, GetUserResponse, MfaSettings,
    SetUserMFAPreference, SetUserMfaPreferenceRequest, VerifySoftwareToken, VerifySoftwareTokenRequest,
};
use cognito_core::error::codes;
use cognito_core::i18n::k;
use cognito_core::messages::authenticator_code_problem;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use zeroize::Zeroizing;

use crate::browser::{encode_query, site_host};
use crate::components::alerts::ErrorAlert;
use crate::components::field::Field;
use crate::form::FormAction;
use crate::i18n::tr;
use crate::session::{use_session, MfaKind, Problem};

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

/// Software-token (TOTP) MFA: set up with an authenticator app (AssociateSoftwareToken → QR code and the
/// secret as text → VerifySoftwareToken → SetUserMFAPreference), or turn it off.
#[component]
pub fn MfaSettingsSection(user: GetUserResponse, on_change: Callback<()>) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let enabled =
        user.user_mfa_setting_list.unwrap_or_default().iter().any(|m| m == ChallengeName::SoftwareTokenMfa.as_str());
    // The authenticator app shows this beside the code: what the user signs in with.
    let username = untrack(|| session.user()).map(|u| u.shown_as).unwrap_or(user.username);
    let secret = RwSignal::new(None::<String>);
    let code = RwSignal::new(String::new());

    let set_preference = move |on: bool| async move {
        session
            .authorized::<SetUserMFAPreference>(move |access_token| SetUserMfaPreferenceRequest {
                sms_mfa_settings: None,
                software_token_mfa_settings: Some(MfaSettings { enabled: on, preferred_mfa: on }),
                email_mfa_settings: None,
                access_token,
            })
            .await
    };

    let start = move |_| {
        action.run(k::mfa::preparing, || {
            Some(async move {
                let answer = session
                    .authorized::<AssociateSoftwareToken>(|access_token| AssociateSoftwareTokenRequest {
                        access_token: Some(access_token),
                        session: None,
                    })
                    .await?;
                secret.set(Some(answer.secret_code));
                Ok(())
            })
        })
    };

    let verify = move |ev: SubmitEvent| {
        action.submit(&ev, k::mfa::checking, || {
            let entered = code.get_untracked().trim().to_string();
            if let Some(problem) = authenticator_code_problem(&entered) {
                action.fail(Problem::refused(problem));
                return None;
            }
            Some(async move {
                let verified = session
                    .authorized::<VerifySoftwareToken>(|access_token| VerifySoftwareTokenRequest {
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
                set_preference(true).await?;
                session.set_notice(k::mfa::turned_on);
                on_change.run(());
                Ok(())
            })
        })
    };

    // Turning it off weakens the account: the user proves it is them first (password and a current code,
    // checked by a fresh sign-in), so an unattended signed-in browser is not enough.
    let confirming_off = RwSignal::new(false);
    let off_password = RwSignal::new(String::new());
    let off_code = RwSignal::new(String::new());
    let turn_off = move |ev: SubmitEvent| {
        action.submit(&ev, k::mfa::checking_identity, || {
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
                set_preference(false).await?;
                session.set_notice(k::mfa::turned_off);
                on_change.run(());
                Ok(())
            })
        })
    };

    view! {
        <section aria-labelledby="mfa-title" class="section">
            <h2 id="mfa-title">{tr(k::mfa::title)}</h2>
            <ErrorAlert message=action.error() />
            {if enabled {
                view! {
                    <p data-testid="mfa-status">{tr(k::mfa::status_on)}</p>
                    <button type="button" class="secondary" hidden=move || confirming_off.get() on:click=move |_| confirming_off.set(true)>{tr(k::mfa::turn_off)}</button>
                    <form on:submit=turn_off novalidate=true aria-busy=move || action.aria_busy() hidden=move || !confirming_off.get()>
                        <p>{tr(k::mfa::confirm_identity)}</p>
                        <Field id="mfa-off-password" label=k::mfa::your_password value=off_password input_type="password" autocomplete="current-password" disabled=action.busy() />
                        <Field id="mfa-off-code" label=k::mfa::current_code value=off_code autocomplete="one-time-code" inputmode="numeric" disabled=action.busy() />
                        <div class="actions">
                            <button type="submit" disabled=move || action.is_busy()>{tr(k::mfa::confirm_turn_off)}</button>
                            <button type="button" class="secondary" disabled=move || action.is_busy() on:click=move |_| {
                                confirming_off.set(false);
                                action.reset();
                            }>{tr(k::action::cancel)}</button>
                        </div>
                    </form>
                }
                .into_any()
            } else {
                view! {
                    <p data-testid="mfa-status">{tr(k::mfa::status_off)}</p>
                    {move || match secret.get() {
                        None => view! {
                            <button type="button" disabled=move || action.is_busy() on:click=start>{tr(k::mfa::set_up)}</button>
                        }
                        .into_any(),
                        Some(s) => {
                            view! {
                                <AuthenticatorKey secret=s name=username.clone() />
                                <form on:submit=verify novalidate=true aria-busy=move || action.aria_busy()>
                                    <Field id="totp-code" label=k::mfa::code_from_app value=code autocomplete="one-time-code" inputmode="numeric" disabled=action.busy() />
                                    <button type="submit" disabled=move || action.is_busy()>{tr(k::mfa::turn_on)}</button>
                                </form>
                            }
                            .into_any()
                        }
                    }}
                }
                .into_any()
            }}
            <p class="progress" role="status">{move || action.pending()}</p>
        </section>
    }
}

/// Codes by text message or email as second steps (the kinds config.json's `mfaKinds` says the pool
/// enables): each turned on or off, and the one asked for first chosen when several are on
/// (SetUserMFAPreference). Codes by text message need a phone number on the account. The last second
/// step is not turned off here: that would leave the account with none, which only a fresh sign-in may
/// do (the authenticator app's "Turn off" asks for one).
#[component]
pub fn MfaCodesSection(user: GetUserResponse, on_change: Callback<()>) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let on: Vec<MfaKind> =
        user.user_mfa_setting_list.unwrap_or_default().iter().filter_map(|n| MfaKind::of(n)).collect();
    let preferred = user.preferred_mfa_setting.as_deref().and_then(MfaKind::of);
    let has_phone = user.user_attributes.iter().any(|a| a.name == "phone_number" && !a.value.is_empty());
    let save = move |kind: MfaKind, enabled: bool, preferred_mfa: bool| {
        action.run(k::mfa::saving, || {
            Some(async move {
                let settings = Some(MfaSettings { enabled, preferred_mfa });
                session
                    .authorized::<SetUserMFAPreference>(move |access_token| SetUserMfaPreferenceRequest {
                        sms_mfa_settings: if kind == MfaKind::Sms { settings } else { None },
                        software_token_mfa_settings: if kind == MfaKind::SoftwareToken { settings } else { None },
                        email_mfa_settings: if kind == MfaKind::Email { settings } else { None },
                        access_token,
                    })
                    .await?;
                session.set_notice(k::mfa::codes_saved);
                on_change.run(());
                Ok(())
            })
        })
    };
    let rows = session
        .config()
        .mfa_codes
        .iter()
        .map(|&kind| {
            let is_on = on.contains(&kind);
            let status = match (kind, is_on) {
                (MfaKind::Sms, true) => k::mfa::sms_on,
                (MfaKind::Sms, false) => k::mfa::sms_off,
                (_, true) => k::mfa::email_on,
                (_, false) => k::mfa::email_off,
            };
            let actions = if !is_on && kind == MfaKind::Sms && !has_phone {
                view! { <p>{tr(k::mfa::sms_needs_phone)}</p> }.into_any()
            } else if !is_on {
                let first = on.is_empty();
                view! {
                    <button type="button" disabled=move || action.is_busy() on:click=move |_| save(kind, true, first)>{tr(k::mfa::turn_on)}</button>
                }
                .into_any()
            } else if on.len() == 1 {
                view! { <p>{tr(k::mfa::only_one)}</p> }.into_any()
            } else {
                let is_preferred = preferred == Some(kind);
                view! {
                    {is_preferred.then(|| view! { <p>{tr(k::mfa::is_preferred)}</p> })}
                    <div class="actions">
                        {(!is_preferred).then(|| view! {
                            <button type="button" class="secondary" disabled=move || action.is_busy() on:click=move |_| save(kind, true, true)>{tr(k::mfa::make_preferred)}</button>
                        })}
                        <button type="button" class="secondary" disabled=move || action.is_busy() on:click=move |_| save(kind, false, false)>{tr(k::mfa::turn_off)}</button>
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
        })
        .collect_view();
    // The authenticator app (its own section turns it on and off) can be the one asked for first too.
    let prefer_app = on.contains(&MfaKind::SoftwareToken) && on.len() > 1 && preferred != Some(MfaKind::SoftwareToken);
    view! {
        <section aria-labelledby="mfa-codes-title" class="section" data-testid="mfa-codes">
            <h2 id="mfa-codes-title">{tr(k::mfa::codes_title)}</h2>
            <ErrorAlert message=action.error() />
            <ul class="passkeys">{rows}</ul>
            {prefer_app.then(|| view! {
                <button type="button" class="secondary" disabled=move || action.is_busy() on:click=move |_| save(MfaKind::SoftwareToken, true, true)>
                    {tr(k::mfa::prefer_app)}
                </button>
            })}
            <p class="progress" role="status">{move || action.pending()}</p>
        </section>
    }
}
