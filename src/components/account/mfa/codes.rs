use cognito_core::i18n::k;
use leptos::prelude::*;

use crate::components::account::mfa::{mfa_state, set_preference};
use crate::components::account::section::{AccountSection, ProfileData};
use crate::components::form::ActionButton;
use crate::form::FormAction;
use crate::i18n::tr;
use crate::session::{use_session, MfaKind};

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
