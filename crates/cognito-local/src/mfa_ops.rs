//! Software-token (TOTP) MFA: AssociateSoftwareToken, VerifySoftwareToken (with an access token, or with
//! the `Session` of a sign-in at its MFA_SETUP challenge), SetUserMFAPreference. The SOFTWARE_TOKEN_MFA
//! and MFA_SETUP sign-in challenges are in `auth_ops`.

use cognito_core::api::*;
use cognito_core::error::codes;
use cognito_core::CognitoError;

use crate::ids;
use crate::model::invalid_parameter;
use crate::service::*;
use crate::totp;

/// AssociateSoftwareToken and friends in a pool with `MfaConfiguration: OFF`. The API reference: "This
/// exception is thrown when the software token time-based one-time password (TOTP) multi-factor
/// authentication (MFA) isn't activated for the user pool." (Its message text is not published.)
fn software_token_mfa_off() -> CognitoError {
    err(codes::SOFTWARE_TOKEN_MFA_NOT_FOUND, "Software token MFA is not activated for this user pool.")
}

fn expired_session() -> CognitoError {
    not_authorized("Invalid session for the user, session is expired.")
}

/// The sign-in at its MFA_SETUP challenge that `token` names, taken out of the table: each call answers
/// with a new session ([`keep_setup_session`]).
fn take_setup_session(svc: &Service, token: &str) -> Result<AuthSession, CognitoError> {
    let now = svc.now();
    let mut sessions = svc.sessions();
    sessions.retain(|_, s| s.expires_at > now);
    match sessions.remove(token) {
        Some(s) if matches!(s.step, AuthStep::MfaSetup { .. }) => Ok(s),
        Some(other) => {
            sessions.insert(token.to_string(), other);
            Err(expired_session())
        }
        None => Err(expired_session()),
    }
}

fn keep_setup_session(svc: &Service, session: AuthSession) -> String {
    let token = ids::random_id(256, ids::BASE64URL_ALPHABET);
    svc.sessions().insert(token.clone(), session);
    token
}

fn setup_user_key(session: &AuthSession) -> String {
    match &session.step {
        AuthStep::MfaSetup { user_key, .. } => user_key.clone(),
        _ => String::new(),
    }
}

pub fn associate_software_token(
    svc: &Service,
    req: AssociateSoftwareTokenRequest,
) -> Result<AssociateSoftwareTokenResponse, CognitoError> {
    let Some(access_token) = req.access_token else {
        let Some(token) = req.session else {
            return Err(invalid_parameter("AccessToken or Session is required"));
        };
        let session = take_setup_session(svc, &token)?;
        let secret = totp::base32_encode(&ids::random_bytes::<20>());
        let mut model = svc.model();
        let user = model
            .pools
            .get_mut(&session.pool_id)
            .and_then(|p| p.users.get_mut(&setup_user_key(&session)))
            .ok_or_else(expired_session)?;
        user.totp_pending = Some(secret.clone());
        svc.persist(&model)?;
        let session = keep_setup_session(svc, session);
        return Ok(AssociateSoftwareTokenResponse { secret_code: secret, session: Some(session) });
    };
    let mut model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, &access_token)?;
    if model.pools[&pool_id].mfa_off() {
        return Err(software_token_mfa_off());
    }
    let secret = totp::base32_encode(&ids::random_bytes::<20>());
    let user = authenticated_user(&mut model, &pool_id, &key);
    user.totp_pending = Some(secret.clone());
    svc.persist(&model)?;
    Ok(AssociateSoftwareTokenResponse { secret_code: secret, session: None })
}

pub fn verify_software_token(
    svc: &Service,
    req: VerifySoftwareTokenRequest,
) -> Result<VerifySoftwareTokenResponse, CognitoError> {
    let now = svc.now();
    let Some(access_token) = req.access_token else {
        let Some(token) = req.session else {
            return Err(invalid_parameter("AccessToken or Session is required"));
        };
        let mut session = take_setup_session(svc, &token)?;
        let key = setup_user_key(&session);
        let mut model = svc.model();
        let user =
            model.pools.get_mut(&session.pool_id).and_then(|p| p.users.get_mut(&key)).ok_or_else(expired_session)?;
        let Some(pending) = user.totp_pending.clone() else {
            svc.sessions().insert(token, session);
            return Err(err(codes::ENABLE_SOFTWARE_TOKEN_MFA, "Software token has not been associated with the user."));
        };
        if !totp::verify(&pending, req.user_code.trim(), now) {
            svc.sessions().insert(token, session); // the user may try again within the sign-in
            return Err(err(codes::ENABLE_SOFTWARE_TOKEN_MFA, "Code mismatch"));
        }
        // Set up at sign-in: the app is the user's (preferred) second factor from now on.
        user.totp_secret = Some(pending);
        user.totp_pending = None;
        user.mfa_enabled = true;
        user.modified = now;
        svc.persist(&model)?;
        session.step = AuthStep::MfaSetup { user_key: key, verified: true };
        let session = keep_setup_session(svc, session);
        return Ok(VerifySoftwareTokenResponse { status: VerifySoftwareTokenStatus::Success, session: Some(session) });
    };
    let mut model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, &access_token)?;
    if model.pools[&pool_id].mfa_off() {
        return Err(software_token_mfa_off());
    }
    let user = authenticated_user(&mut model, &pool_id, &key);
    let Some(pending) = user.totp_pending.clone() else {
        return Err(err(codes::ENABLE_SOFTWARE_TOKEN_MFA, "Software token has not been associated with the user."));
    };
    if !totp::verify(&pending, req.user_code.trim(), now) {
        return Err(err(codes::ENABLE_SOFTWARE_TOKEN_MFA, "Code mismatch"));
    }
    user.totp_secret = Some(pending);
    user.totp_pending = None;
    user.modified = now;
    svc.persist(&model)?;
    Ok(VerifySoftwareTokenResponse { status: VerifySoftwareTokenStatus::Success, session: None })
}

/// SetUserMFAPreference: turns each second factor on or off and names the preferred one. A code by SMS
/// needs a phone number and a code by email an email address, each offered by the pool; an authenticator
/// app must have been verified (VerifySoftwareToken). The refusals' words are ours.
pub fn set_user_mfa_preference(svc: &Service, req: SetUserMfaPreferenceRequest) -> Result<Empty, CognitoError> {
    let now = svc.now();
    let mut model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, &req.access_token)?;
    let pool = model.pools.get(&pool_id).expect("authenticated");
    let (offers_sms, offers_email, mfa_off) =
        (pool.offers_mfa("SMS_MFA"), pool.offers_mfa("EMAIL_OTP"), pool.mfa_off());
    let user = authenticated_user(&mut model, &pool_id, &key);
    if let Some(settings) = req.software_token_mfa_settings {
        if settings.enabled && mfa_off {
            return Err(software_token_mfa_off());
        }
        if settings.enabled && user.totp_secret.is_none() {
            return Err(invalid_parameter("User has not verified software token mfa"));
        }
    }
    if req.sms_mfa_settings.is_some_and(|s| s.enabled) {
        if !offers_sms {
            return Err(invalid_parameter("SMS multi-factor authentication is not enabled for this user pool."));
        }
        if user.attribute("phone_number").is_none() {
            return Err(invalid_parameter("User does not have delivery config set to turn on SMS_MFA"));
        }
    }
    if req.email_mfa_settings.is_some_and(|s| s.enabled) {
        if !offers_email {
            return Err(invalid_parameter("Email multi-factor authentication is not enabled for this user pool."));
        }
        if user.attribute("email").is_none() || user.attribute("email_verified") != Some("true") {
            return Err(invalid_parameter("User does not have a verified email address to turn on EMAIL_OTP"));
        }
    }
    let settings = [
        (req.sms_mfa_settings, ChallengeName::SmsMfa),
        (req.software_token_mfa_settings, ChallengeName::SoftwareTokenMfa),
        (req.email_mfa_settings, ChallengeName::EmailOtp),
    ];
    for (setting, kind) in settings {
        let Some(setting) = setting else { continue };
        match kind {
            ChallengeName::SmsMfa => user.sms_mfa_enabled = setting.enabled,
            ChallengeName::SoftwareTokenMfa => user.mfa_enabled = setting.enabled,
            _ => user.email_mfa_enabled = setting.enabled,
        }
        let name = kind.as_str().to_string();
        if setting.enabled && setting.preferred_mfa {
            user.preferred_mfa = Some(name);
        } else if user.preferred_mfa.as_deref() == Some(name.as_str()) {
            user.preferred_mfa = None;
        }
    }
    user.modified = now;
    svc.persist(&model)?;
    Ok(Empty {})
}
