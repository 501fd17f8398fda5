//! Second steps on the profile: the authenticator app ([`app`]), codes by text message or email
//! ([`codes`]), and the key an authenticator app takes ([`key`], also shown when a sign-in sets one up).

pub mod app;
pub mod codes;
pub mod key;

use cognito_core::api::{MfaSettings, SetUserMFAPreference, SetUserMfaPreferenceRequest};

use crate::components::account::section::ProfileData;
use crate::problem::Problem;
use crate::session::{MfaKind, SessionOwner};

/// The second steps the user has on, and the one asked for first.
pub(super) fn mfa_state(profile: ProfileData) -> (Vec<MfaKind>, Option<MfaKind>) {
    let user = profile.user().unwrap_or_default();
    let on = user.user_mfa_setting_list.unwrap_or_default().iter().filter_map(|n| MfaKind::of(n)).collect();
    (on, user.preferred_mfa_setting.as_deref().and_then(MfaKind::of))
}

/// SetUserMFAPreference for one kind of second step.
pub(super) async fn set_preference(
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
