//! Software-token (TOTP) MFA: AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference. The
//! SOFTWARE_TOKEN_MFA sign-in challenge is in `auth_ops`.

use cognito_core::api::*;
use cognito_core::error::codes;
use cognito_core::CognitoError;

use crate::ids;
use crate::model::invalid_parameter;
use crate::service::*;
use crate::totp;

pub fn associate_software_token(
    svc: &Service,
    req: AssociateSoftwareTokenRequest,
) -> Result<AssociateSoftwareTokenResponse, CognitoError> {
    let Some(access_token) = req.access_token else {
        return Err(invalid_parameter("cognito-local supports AssociateSoftwareToken with an AccessToken only"));
    };
    let mut model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, &access_token)?;
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
    let Some(access_token) = req.access_token else {
        return Err(invalid_parameter("cognito-local supports VerifySoftwareToken with an AccessToken only"));
    };
    let now = svc.now();
    let mut model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, &access_token)?;
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

pub fn set_user_mfa_preference(svc: &Service, req: SetUserMfaPreferenceRequest) -> Result<Empty, CognitoError> {
    let now = svc.now();
    let mut model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, &req.access_token)?;
    let user = authenticated_user(&mut model, &pool_id, &key);
    if req.sms_mfa_settings.is_some_and(|s| s.enabled) {
        return Err(invalid_parameter("SMS MFA is not supported by cognito-local"));
    }
    if let Some(settings) = req.software_token_mfa_settings {
        if settings.enabled && user.totp_secret.is_none() {
            return Err(invalid_parameter("User has not verified software token mfa"));
        }
        user.mfa_enabled = settings.enabled;
        user.modified = now;
    }
    svc.persist(&model)?;
    Ok(Empty {})
}
