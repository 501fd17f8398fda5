//! User-facing operations other than sign-in: sign-up, confirmation, profile, passwords, sign-out.

use std::collections::BTreeMap;

use cognito_core::api::*;
use cognito_core::error::codes;
use cognito_core::srp;
use cognito_core::CognitoError;

use crate::ids;
use crate::model::{
    check_attributes, check_password, invalid_parameter, mask_email, mask_phone, Code, Model, Pool, User, UserStatus,
};
use crate::service::*;

/// The SRP "pool name": the part of the pool id after `_`.
pub fn srp_pool_name(pool_id: &str) -> &str {
    pool_id.split_once('_').map(|(_, name)| name).unwrap_or(pool_id)
}

/// Stores a new SRP salt and verifier for a password.
pub fn set_password(pool_id: &str, user: &mut User, password: &str) {
    let salt = num_bigint::BigUint::from_bytes_be(&ids::random_bytes::<16>());
    let v = srp::verifier(srp_pool_name(pool_id), &user.username, password, &salt);
    user.salt_hex = salt.to_str_radix(16);
    user.verifier_hex = v.to_str_radix(16);
}

/// Whether a password matches the stored verifier (for ChangePassword, which sends the old one in clear).
pub fn password_matches(pool_id: &str, user: &User, password: &str) -> bool {
    let (Ok(salt), Ok(stored)) =
        (srp::parse_hex("salt", &user.salt_hex), srp::parse_hex("verifier", &user.verifier_hex))
    else {
        return false;
    };
    let candidate = srp::verifier(srp_pool_name(pool_id), &user.username, password, &salt);
    // Compare the fixed-length encodings without early exit.
    let (a, b) = (srp::padded_bytes_unsigned(&candidate), srp::padded_bytes_unsigned(&stored));
    a.len() == b.len() && a.iter().zip(&b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Cognito's username constraint: letters, marks, symbols, numbers, punctuation; 1–128 characters.
pub fn check_username(username: &str) -> Result<(), CognitoError> {
    let ok = !username.is_empty()
        && username.chars().count() <= 128
        && !username.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(invalid_parameter(
            "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
        ))
    }
}

pub fn attribute_map(list: &[AttributeType]) -> BTreeMap<String, String> {
    list.iter().map(|a| (a.name.clone(), a.value.clone())).collect()
}

pub fn required_attributes_present(pool: &Pool, attrs: &BTreeMap<String, String>) -> Result<(), CognitoError> {
    let missing: Vec<String> = pool
        .required_attributes
        .iter()
        .filter(|name| attrs.get(*name).is_none_or(|v| v.is_empty()))
        .map(|name| format!("{name}: The attribute is required"))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(invalid_parameter(format!("Attributes did not conform to the schema: {}", missing.join("\n"))))
    }
}

fn email_delivery(user: &User) -> Option<CodeDeliveryDetails> {
    user.attribute("email").map(|email| CodeDeliveryDetails {
        destination: Some(mask_email(email)),
        delivery_medium: Some("EMAIL".into()),
        attribute_name: Some("email".into()),
    })
}

/// Where a verification code for `attribute` (email or phone_number) goes.
fn attribute_delivery(user: &User, attribute: &str) -> Option<CodeDeliveryDetails> {
    if attribute == "email" {
        return email_delivery(user);
    }
    user.attribute("phone_number").map(|phone| CodeDeliveryDetails {
        destination: Some(mask_phone(phone)),
        delivery_medium: Some("SMS".into()),
        attribute_name: Some("phone_number".into()),
    })
}

/// The attributes a user verifies with a code.
const VERIFIABLE: [&str; 2] = ["email", "phone_number"];

/// Checks a code: missing or expired → ExpiredCodeException; used up by [`MAX_CODE_ATTEMPTS`] wrong
/// tries → LimitExceededException (a new code must be requested); wrong → CodeMismatchException, and
/// the try is counted.
fn check_code(code: Option<&mut Code>, given: &str, now: i64) -> Result<(), CognitoError> {
    match code {
        Some(c) if c.expires_at > now && c.failed_attempts >= MAX_CODE_ATTEMPTS => Err(attempt_limit_exceeded()),
        Some(c) if c.expires_at > now && c.value == given => Ok(()),
        Some(c) if c.expires_at > now => {
            c.failed_attempts += 1;
            Err(err(codes::CODE_MISMATCH, "Invalid verification code provided, please try again."))
        }
        _ => Err(err(codes::EXPIRED_CODE, "Invalid code provided, please request a code again.")),
    }
}

/// A failed check has counted a try: keep the count (persisted), then answer with the error.
fn failed(svc: &Service, model: &Model, e: CognitoError) -> CognitoError {
    svc.persist(model).err().unwrap_or(e)
}

fn user_not_found_for_client() -> CognitoError {
    err(codes::USER_NOT_FOUND, "Username/client id combination not found.")
}

/// With PreventUserExistenceErrors, "account confirmation and password recovery return a response
/// indicating a code was sent to a simulated destination" (UserPoolClientType) for a user who does not
/// exist (and, for password recovery, one who is disabled or has no verified email).
fn simulated_delivery(username: &str) -> CodeDeliveryResponse {
    CodeDeliveryResponse {
        code_delivery_details: Some(CodeDeliveryDetails {
            destination: Some(format!("{}***@e***", username.chars().next().unwrap_or('x'))),
            delivery_medium: Some("EMAIL".into()),
            attribute_name: Some("email".into()),
        }),
    }
}

/// What confirming with a code says for a user who does not exist, with PreventUserExistenceErrors: the
/// same as a wrong code.
fn no_such_user_for_code(prevent: bool) -> CognitoError {
    if prevent {
        err(codes::CODE_MISMATCH, "Invalid verification code provided, please try again.")
    } else {
        user_not_found_for_client()
    }
}

fn new_code(now: i64, lifetime: i64) -> Code {
    Code { value: ids::code(), expires_at: now + lifetime, failed_attempts: 0 }
}

/// A new user of the pool under the name a request gives, as the pool's username configuration wants it:
/// in a pool whose users sign in with their email, the name must be an email, becomes the `email`
/// attribute, and the user is named by a UUID (its `sub`); in a pool with an email alias, the name must
/// not look like an email. Refuses a name (or email) already taken.
pub fn new_user(
    pool: &Pool,
    given: &str,
    mut attrs: BTreeMap<String, String>,
    status: UserStatus,
    now: i64,
) -> Result<User, CognitoError> {
    check_username(given)?;
    if pool.email_is_username() {
        if !cognito_core::messages::looks_like_email(given) {
            return Err(invalid_parameter("Username should be an email."));
        }
        if pool.find_user(given).is_some() {
            return Err(err(codes::USERNAME_EXISTS, "An account with the given email already exists."));
        }
        attrs.insert("email".into(), given.to_string());
        let mut user = User::new("", attrs, status, now);
        user.username = user.sub.clone();
        return Ok(user);
    }
    if pool.alias_attributes.iter().any(|a| a == "email") && cognito_core::messages::looks_like_email(given) {
        return Err(invalid_parameter(
            "Username cannot be of email format, since user pool is configured for email alias.",
        ));
    }
    if pool.users.contains_key(&user_key(given)) {
        return Err(err(codes::USERNAME_EXISTS, "User already exists"));
    }
    Ok(User::new(given, attrs, status, now))
}

pub fn sign_up(svc: &Service, req: SignUpRequest) -> Result<SignUpResponse, CognitoError> {
    let now = svc.now();
    let mut model = svc.model();
    let pool = pool_of_client(&mut model, &req.client_id)?;
    let mut attrs = attribute_map(&req.user_attributes);
    check_attributes(&attrs)?;
    if pool.email_is_username() {
        // The username is the email: a required `email` attribute is met by it.
        attrs.entry("email".into()).or_insert_with(|| req.username.clone());
    }
    required_attributes_present(pool, &attrs)?;
    let password = req.password.as_deref().filter(|p| !p.is_empty());
    match password {
        Some(password) => check_password(&pool.password_policy, password)?,
        None => passwordless_sign_up_allowed(pool, &req.client_id, &attrs)?,
    }
    let mut user = new_user(pool, &req.username, attrs, UserStatus::Unconfirmed, now)?;
    let key = user_key(&user.username);
    user.attributes.remove("email_verified");
    if let Some(password) = password {
        set_password(&pool.id, &mut user, password);
    }
    let code = new_code(now, CODE_SECONDS);
    svc.deliver(pool, &user, "your confirmation code", &code.value);
    user.codes.confirmation = Some(code);
    let response = SignUpResponse {
        user_confirmed: false,
        user_sub: user.sub.clone(),
        code_delivery_details: email_delivery(&user),
        session: None,
    };
    pool.users.insert(key, user);
    svc.persist(&model)?;
    Ok(response)
}

/// A sign-up without a password is allowed when the user can sign in with a code instead: the developer
/// guide's "Passwords at sign-up" — passwordless sign-in active in the pool and the app client, an
/// attribute given for a code factor the pool allows, and the pool verifying that attribute itself.
fn passwordless_sign_up_allowed(
    pool: &Pool,
    client_id: &str,
    attrs: &BTreeMap<String, String>,
) -> Result<(), CognitoError> {
    let factor_usable = |factor: &str, attribute: &str| {
        pool.allowed_first_auth_factors.iter().any(|f| f == factor)
            && attrs.contains_key(attribute)
            && pool.auto_verified_attributes.iter().any(|a| a == attribute)
    };
    let passwordless = pool.clients[client_id].allows("ALLOW_USER_AUTH")
        && (factor_usable("EMAIL_OTP", "email") || factor_usable("SMS_OTP", "phone_number"));
    if passwordless {
        Ok(())
    } else {
        Err(invalid_parameter(
            "A password is required: this user pool and app client do not allow sign-up without one.",
        ))
    }
}

pub fn confirm_sign_up(svc: &Service, req: ConfirmSignUpRequest) -> Result<ConfirmSignUpResponse, CognitoError> {
    let now = svc.now();
    let mut model = svc.model();
    let pool = pool_of_client(&mut model, &req.client_id)?;
    let auto_verified = pool.auto_verified_attributes.clone();
    let prevent = pool.clients[&req.client_id].prevent_user_existence_errors;
    let key = pool.find_user(&req.username).ok_or_else(|| no_such_user_for_code(prevent))?;
    let user = pool.users.get_mut(&key).ok_or_else(|| no_such_user_for_code(prevent))?;
    if user.status != UserStatus::Unconfirmed {
        return Err(not_authorized(&format!("User cannot be confirmed. Current status is {}", user.status.as_str())));
    }
    if let Err(e) = check_code(user.codes.confirmation.as_mut(), &req.confirmation_code, now) {
        return Err(failed(svc, &model, e));
    }
    // The email this confirmation verifies may be another user's sign-in alias.
    if let Some(email) =
        user.attribute("email").map(str::to_string).filter(|_| auto_verified.iter().any(|a| a == "email"))
    {
        pool.claim_email_alias(&key, &email, req.force_alias_creation.unwrap_or(false))?;
    }
    let user = pool.users.get_mut(&key).expect("looked up above");
    user.status = UserStatus::Confirmed;
    user.codes.confirmation = None;
    user.modified = now;
    for attr in auto_verified {
        if user.attributes.contains_key(&attr) {
            user.attributes.insert(format!("{attr}_verified"), "true".into());
        }
    }
    let signs_in = pool.clients[&req.client_id].allows("ALLOW_USER_AUTH");
    let pool_id = pool.id.clone();
    svc.persist(&model)?;
    drop(model);
    // With choice-based sign-in the answer carries a Session that signs the new user in (API reference,
    // ConfirmSignUp: "You can automatically sign users in with the one-time password …").
    let session = signs_in.then(|| {
        let token = crate::ids::random_id(256, crate::ids::BASE64URL_ALPHABET);
        let step = crate::service::AuthStep::SignedUp { user_key: key };
        let expires_at = now + crate::service::AUTH_SESSION_SECONDS;
        svc.sessions().insert(
            token.clone(),
            crate::service::AuthSession {
                pool_id,
                client_id: req.client_id.clone(),
                expires_at,
                step,
                device_key: None,
            },
        );
        token
    });
    Ok(ConfirmSignUpResponse { session })
}

pub fn resend_confirmation_code(
    svc: &Service,
    req: ResendConfirmationCodeRequest,
) -> Result<CodeDeliveryResponse, CognitoError> {
    let now = svc.now();
    let mut model = svc.model();
    let pool = pool_of_client(&mut model, &req.client_id)?;
    let key = pool.find_user(&req.username).unwrap_or_default();
    let Some(user) = pool.users.get(&key) else {
        if pool.clients[&req.client_id].prevent_user_existence_errors {
            return Ok(simulated_delivery(&req.username));
        }
        return Err(user_not_found_for_client());
    };
    if user.status != UserStatus::Unconfirmed {
        return Err(invalid_parameter("User is already confirmed."));
    }
    let code = new_code(now, CODE_SECONDS);
    svc.deliver(pool, user, "your confirmation code", &code.value);
    let user = pool.users.get_mut(&key).expect("looked up above");
    user.codes.confirmation = Some(code);
    let response = CodeDeliveryResponse { code_delivery_details: email_delivery(user) };
    svc.persist(&model)?;
    Ok(response)
}

pub fn get_user(svc: &Service, req: AccessTokenRequest) -> Result<GetUserResponse, CognitoError> {
    let model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, &req.access_token)?;
    let user = &model.pools[&pool_id].users[&key];
    // What the user turned on (SetUserMFAPreference), in Cognito's order, and the preferred kind.
    let kinds: Vec<String> = [
        (user.sms_mfa_enabled, ChallengeName::SmsMfa),
        (user.mfa_enabled, ChallengeName::SoftwareTokenMfa),
        (user.email_mfa_enabled, ChallengeName::EmailOtp),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, kind)| kind.as_str().to_string())
    .collect();
    let preferred = user.preferred_mfa.clone().filter(|p| kinds.contains(p));
    Ok(GetUserResponse {
        username: user.username.clone(),
        user_attributes: user.attribute_list(),
        mfa_options: None,
        preferred_mfa_setting: preferred,
        user_mfa_setting_list: (!kinds.is_empty()).then_some(kinds),
    })
}

pub fn global_sign_out(svc: &Service, req: AccessTokenRequest) -> Result<Empty, CognitoError> {
    let mut model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, &req.access_token)?;
    Service::revoke_all(model.pools.get_mut(&pool_id).expect("authenticated"), &key);
    svc.persist(&model)?;
    Ok(Empty {})
}

pub fn revoke_token(svc: &Service, req: RevokeTokenRequest) -> Result<Empty, CognitoError> {
    let mut model = svc.model();
    let pool = pool_of_client(&mut model, &req.client_id)?;
    if !pool.clients[&req.client_id].enable_token_revocation {
        return Err(err("UnsupportedOperationException", "Token revocation is not enabled for this app client."));
    }
    match pool.refresh_tokens.get(&req.token) {
        // Like RFC 7009: an unknown or already revoked token is not an error.
        None => return Ok(Empty {}),
        Some(record) if record.client_id != req.client_id => {
            return Err(err("UnauthorizedException", "Token was not issued to this client."));
        }
        Some(record) => {
            let origin = record.origin_jti.clone();
            pool.revoked_origins.insert(origin);
        }
    }
    svc.persist(&model)?;
    Ok(Empty {})
}

pub fn forgot_password(svc: &Service, req: ForgotPasswordRequest) -> Result<CodeDeliveryResponse, CognitoError> {
    let now = svc.now();
    let mut model = svc.model();
    let pool = pool_of_client(&mut model, &req.client_id)?;
    let prevent = pool.clients[&req.client_id].prevent_user_existence_errors;
    let key = pool.find_user(&req.username).unwrap_or_default();
    let Some(user) = pool.users.get(&key) else {
        if prevent {
            return Ok(simulated_delivery(&req.username));
        }
        return Err(user_not_found_for_client());
    };
    // An administrator-created user has not chosen a password yet: there is nothing to reset.
    if user.status == UserStatus::ForceChangePassword {
        return Err(not_authorized("User password cannot be reset in the current state."));
    }
    if !user.enabled {
        return if prevent { Ok(simulated_delivery(&req.username)) } else { Err(not_authorized("User is disabled.")) };
    }
    if user.attribute("email_verified") != Some("true") {
        if prevent {
            return Ok(simulated_delivery(&req.username));
        }
        return Err(invalid_parameter(
            "Cannot reset password for the user as there is no registered/verified email or phone_number",
        ));
    }
    let code = new_code(now, FORGOT_PASSWORD_CODE_SECONDS);
    svc.deliver(pool, user, "your password reset code", &code.value);
    let user = pool.users.get_mut(&key).expect("looked up above");
    user.codes.forgot_password = Some(code);
    let response = CodeDeliveryResponse { code_delivery_details: email_delivery(user) };
    svc.persist(&model)?;
    Ok(response)
}

pub fn confirm_forgot_password(svc: &Service, req: ConfirmForgotPasswordRequest) -> Result<Empty, CognitoError> {
    let now = svc.now();
    let mut model = svc.model();
    let pool = pool_of_client(&mut model, &req.client_id)?;
    let policy = pool.password_policy.clone();
    let pool_id = pool.id.clone();
    let prevent = pool.clients[&req.client_id].prevent_user_existence_errors;
    let key = pool.find_user(&req.username).ok_or_else(|| no_such_user_for_code(prevent))?;
    let user = pool.users.get_mut(&key).ok_or_else(|| no_such_user_for_code(prevent))?;
    if let Err(e) = check_code(user.codes.forgot_password.as_mut(), &req.confirmation_code, now) {
        return Err(failed(svc, &model, e));
    }
    check_password(&policy, &req.password)?;
    set_password(&pool_id, user, &req.password);
    user.codes.forgot_password = None;
    // A new password does not lift a lockout: only time or a right password after it does.
    user.modified = now;
    if matches!(user.status, UserStatus::ResetRequired | UserStatus::ForceChangePassword) {
        user.status = UserStatus::Confirmed;
    }
    svc.persist(&model)?;
    Ok(Empty {})
}

pub fn change_password(svc: &Service, req: ChangePasswordRequest) -> Result<Empty, CognitoError> {
    let now = svc.now();
    let mut model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, &req.access_token)?;
    let pool = model.pools.get_mut(&pool_id).expect("authenticated");
    let policy = pool.password_policy.clone();
    let user = pool.users.get_mut(&key).expect("authenticated");
    // Guesses of the previous password with a stolen access token are limited like sign-ins; Cognito
    // answers LimitExceededException (its counts are not published: ours are the sign-in lockout's).
    if user.change_password_lockout.attempt(now) == crate::lockout::Gate::LockedOut {
        svc.persist(&model)?;
        return Err(attempt_limit_exceeded());
    }
    if !password_matches(&pool_id, user, &req.previous_password) {
        user.change_password_lockout.failed(now);
        svc.persist(&model)?;
        return Err(not_authorized("Incorrect username or password."));
    }
    user.change_password_lockout.succeeded();
    check_password(&policy, &req.proposed_password)?;
    set_password(&pool_id, user, &req.proposed_password);
    user.modified = now;
    svc.persist(&model)?;
    Ok(Empty {})
}

pub fn update_user_attributes(
    svc: &Service,
    req: UpdateUserAttributesRequest,
) -> Result<UpdateUserAttributesResponse, CognitoError> {
    let now = svc.now();
    let mut model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, &req.access_token)?;
    let updates = attribute_map(&req.user_attributes);
    if updates.keys().any(|k| k.ends_with("_verified")) {
        return Err(not_authorized("A client attempted to write unauthorized attribute"));
    }
    check_attributes(&updates)?;
    let pool = model.pools.get_mut(&pool_id).expect("authenticated");
    let mut merged = pool.users[&key].attributes.clone();
    merged.extend(updates.clone());
    required_attributes_present(pool, &merged)?;
    // A changed email or phone number is unverified until the code sent to it comes back.
    let changed: Vec<&str> = VERIFIABLE
        .into_iter()
        .filter(|a| updates.get(*a).is_some_and(|v| pool.users[&key].attribute(a) != Some(v)))
        .collect();
    let user = pool.users.get_mut(&key).expect("authenticated");
    user.attributes = merged;
    user.modified = now;
    let mut response = UpdateUserAttributesResponse::default();
    for attribute in changed {
        let user = pool.users.get_mut(&key).expect("authenticated");
        user.attributes.insert(format!("{attribute}_verified"), "false".into());
        let code = new_code(now, CODE_SECONDS);
        let code_value = code.value.clone();
        user.codes.attributes.insert(attribute.into(), code);
        response.code_delivery_details_list.extend(attribute_delivery(user, attribute));
        let user = pool.users[&key].clone();
        svc.deliver(pool, &user, &format!("your {attribute} verification code"), &code_value);
    }
    svc.persist(&model)?;
    Ok(response)
}

pub fn get_user_attribute_verification_code(
    svc: &Service,
    req: GetUserAttributeVerificationCodeRequest,
) -> Result<CodeDeliveryResponse, CognitoError> {
    let now = svc.now();
    let mut model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, &req.access_token)?;
    let pool = model.pools.get_mut(&pool_id).expect("authenticated");
    let attribute = req.attribute_name.as_str();
    if !VERIFIABLE.contains(&attribute) || pool.users[&key].attribute(attribute).is_none() {
        return Err(invalid_parameter(format!("Unable to verify attribute: {attribute}")));
    }
    let code = new_code(now, CODE_SECONDS);
    let user = pool.users[&key].clone();
    svc.deliver(pool, &user, &format!("your {attribute} verification code"), &code.value);
    let user = pool.users.get_mut(&key).expect("authenticated");
    user.codes.attributes.insert(attribute.into(), code);
    let response = CodeDeliveryResponse { code_delivery_details: attribute_delivery(user, attribute) };
    svc.persist(&model)?;
    Ok(response)
}

pub fn verify_user_attribute(svc: &Service, req: VerifyUserAttributeRequest) -> Result<Empty, CognitoError> {
    let now = svc.now();
    let mut model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, &req.access_token)?;
    let user = authenticated_user(&mut model, &pool_id, &key);
    if let Err(e) = check_code(user.codes.attributes.get_mut(&req.attribute_name), &req.code, now) {
        return Err(failed(svc, &model, e));
    }
    // Verifying an email that is already another user's sign-in alias is refused (VerifyUserAttribute has
    // no ForceAliasCreation).
    if req.attribute_name == "email" {
        if let Some(email) = user.attribute("email").map(str::to_string) {
            model.pools.get_mut(&pool_id).expect("authenticated").claim_email_alias(&key, &email, false)?;
        }
    }
    let user = authenticated_user(&mut model, &pool_id, &key);
    user.codes.attributes.remove(&req.attribute_name);
    user.attributes.insert(format!("{}_verified", req.attribute_name), "true".into());
    user.modified = now;
    svc.persist(&model)?;
    Ok(Empty {})
}

pub fn delete_user(svc: &Service, req: AccessTokenRequest) -> Result<Empty, CognitoError> {
    let mut model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, &req.access_token)?;
    let pool = model.pools.get_mut(&pool_id).expect("authenticated");
    Service::revoke_all(pool, &key);
    pool.users.remove(&key);
    svc.persist(&model)?;
    Ok(Empty {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_checked_against_the_verifier() {
        let mut user = User::new("Alice", Default::default(), UserStatus::Confirmed, 0);
        set_password("us-east-1_Pool1", &mut user, "Secret-1a");
        assert!(password_matches("us-east-1_Pool1", &user, "Secret-1a"));
        assert!(!password_matches("us-east-1_Pool1", &user, "Secret-1b"));
        assert!(!password_matches("us-east-1_Pool2", &user, "Secret-1a"));
        assert!(!user.verifier_hex.is_empty() && !user.verifier_hex.contains("Secret"));
    }

    #[test]
    fn usernames() {
        assert!(check_username("alice@example.com").is_ok());
        assert!(check_username("Ünïcødé").is_ok());
        assert!(check_username("").is_err());
        assert!(check_username("a b").is_err());
        assert!(check_username(&"a".repeat(129)).is_err());
    }
}
