//! Sign-in: InitiateAuth (USER_SRP_AUTH, REFRESH_TOKEN_AUTH, and the choice-based USER_AUTH: PASSWORD,
//! PASSWORD_SRP, EMAIL_OTP, SMS_OTP as first factors, SELECT_CHALLENGE), RespondToAuthChallenge
//! (PASSWORD_VERIFIER with real SRP verification, NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA, MFA_SETUP,
//! SELECT_CHALLENGE, EMAIL_OTP, SMS_OTP) and GetTokensFromRefreshToken (with refresh-token rotation).

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use cognito_core::api::*;
use cognito_core::error::codes;
use cognito_core::sign_in::{key, required_attributes_parameter};
use cognito_core::srp::{self, ServerEphemeral};
use cognito_core::timestamp;
use cognito_core::CognitoError;

use crate::ids::{self, random_id, BASE64URL_ALPHABET};
use crate::lockout::Gate;
use crate::model::{
    check_attributes, check_password, invalid_parameter, mask_email, mask_phone, Code, Pool, User, UserStatus,
};
use crate::service::*;
use crate::user_ops::{password_matches, required_attributes_present, set_password, srp_pool_name};

fn param<'a>(map: &'a BTreeMap<String, String>, name: &str) -> Result<&'a str, CognitoError> {
    map.get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| invalid_parameter(format!("Missing required parameter {name}")))
}

fn incorrect() -> CognitoError {
    not_authorized("Incorrect username or password.")
}

fn new_session_token() -> String {
    random_id(256, BASE64URL_ALPHABET)
}

pub fn initiate_auth(svc: &Service, req: InitiateAuthRequest) -> Result<AuthResponse, CognitoError> {
    let device_key = device_key_of(&req.auth_parameters);
    let answer = match req.auth_flow {
        AuthFlow::UserSrpAuth => start_srp(svc, req),
        AuthFlow::RefreshTokenAuth | AuthFlow::RefreshToken => refresh(svc, req),
        AuthFlow::UserAuth => start_user_auth(svc, req),
        _ => Err(invalid_parameter("Initiate Auth method not supported.")),
    };
    remember_device_key(svc, &answer, device_key);
    answer
}

/// `DEVICE_KEY` of a request's parameters, when given.
fn device_key_of(parameters: &BTreeMap<String, String>) -> Option<String> {
    parameters.get(key::DEVICE_KEY).filter(|k| !k.is_empty()).cloned()
}

/// The next step of a sign-in keeps the device the client named (clients name it in InitiateAuth, and
/// again with the answers that may finish the sign-in).
fn remember_device_key(svc: &Service, answer: &Result<AuthResponse, CognitoError>, device_key: Option<String>) {
    let Some(device_key) = device_key else { return };
    if let Ok(AuthResponse { session: Some(token), .. }) = answer {
        if let Some(session) = svc.sessions().get_mut(token) {
            session.device_key.get_or_insert(device_key);
        }
    }
}

/// `SRP_A` of the parameters, checked as Cognito does.
fn srp_a(parameters: &BTreeMap<String, String>) -> Result<num_bigint::BigUint, CognitoError> {
    let big_a = srp::parse_hex(key::SRP_A, param(parameters, key::SRP_A)?)
        .map_err(|_| invalid_parameter("Invalid SRP_A: not a hex number"))?;
    if &big_a % &srp::group().n == num_bigint::BigUint::ZERO {
        return Err(invalid_parameter("Invalid SRP_A: A mod N is 0"));
    }
    Ok(big_a)
}

fn start_srp(svc: &Service, req: InitiateAuthRequest) -> Result<AuthResponse, CognitoError> {
    let username = param(&req.auth_parameters, key::USERNAME)?.to_string();
    let big_a = srp_a(&req.auth_parameters)?;
    // Read what is needed under the lock; do the big-number work outside it.
    let (pool_id, salt_hex, verifier, user_key, user_id_for_srp) = {
        let mut model = svc.model();
        let pool = pool_of_client(&mut model, &req.client_id)?;
        let client = &pool.clients[&req.client_id];
        if !client.allows("ALLOW_USER_SRP_AUTH") {
            return Err(invalid_parameter("USER_SRP_AUTH is not enabled for the client."));
        }
        let key = pool.find_user(&username).unwrap_or_else(|| user_key(&username));
        match pool.users.get(&key) {
            Some(user) if !user.enabled => return Err(not_authorized("User is disabled.")),
            // A user without a password (signed up for codes): a challenge whose answer always fails.
            Some(user) if user.verifier_hex.is_empty() => {
                let fake_verifier = num_bigint::BigUint::from_bytes_be(&ids::random_bytes::<384>()) % &srp::group().n;
                let salt = srp::to_hex(&ids::random_bytes::<16>());
                (pool.id.clone(), salt, fake_verifier, None, user.username.clone())
            }
            Some(user) => (
                pool.id.clone(),
                user.salt_hex.clone(),
                srp::parse_hex("verifier", &user.verifier_hex)
                    .map_err(|e| CognitoError::new(500, codes::INTERNAL_ERROR, e.to_string()))?,
                Some(key),
                user.username.clone(),
            ),
            None if client.prevent_user_existence_errors => {
                // A challenge indistinguishable from a real one; the answer will always fail.
                let fake_verifier = num_bigint::BigUint::from_bytes_be(&ids::random_bytes::<384>()) % &srp::group().n;
                let salt = srp::to_hex(&ids::random_bytes::<16>());
                (pool.id.clone(), salt, fake_verifier, None, username.clone())
            }
            None => return Err(err(codes::USER_NOT_FOUND, "User does not exist.")),
        }
    };
    password_verifier_challenge(svc, (pool_id, req.client_id), user_key, user_id_for_srp, salt_hex, &verifier, big_a)
}

/// SRP step two's challenge (PASSWORD_VERIFIER), for USER_SRP_AUTH and USER_AUTH's PASSWORD_SRP.
/// `user_key` None: a user that does not exist, with a made-up verifier (the answer always fails).
fn password_verifier_challenge(
    svc: &Service,
    (pool_id, client_id): (String, String),
    user_key: Option<String>,
    user_id_for_srp: String,
    salt_hex: String,
    verifier: &num_bigint::BigUint,
    big_a: num_bigint::BigUint,
) -> Result<AuthResponse, CognitoError> {
    let server = ServerEphemeral::generate(verifier)
        .map_err(|e| CognitoError::new(500, codes::INTERNAL_ERROR, e.to_string()))?;
    let secret_block = BASE64.encode(ids::random_bytes::<96>());
    let session = new_session_token();
    let parameters = string_map([
        (key::SALT, salt_hex),
        (key::SECRET_BLOCK, secret_block.clone()),
        (key::SRP_B, server.public_hex()),
        (key::USERNAME, user_id_for_srp.clone()),
        (key::USER_ID_FOR_SRP, user_id_for_srp.clone()),
    ]);
    svc.sessions().insert(
        session.clone(),
        AuthSession {
            pool_id,
            client_id,
            expires_at: svc.now() + AUTH_SESSION_SECONDS,
            step: AuthStep::PasswordVerifier {
                user_key,
                user_id_for_srp,
                secret_block,
                b: server.secret().clone(),
                big_a,
                big_b: server.public().clone(),
            },
            device_key: None,
        },
    );
    Ok(AuthResponse {
        challenge_name: Some(ChallengeName::PasswordVerifier),
        session: Some(session),
        challenge_parameters: parameters,
        ..Default::default()
    })
}

fn refresh(svc: &Service, req: InitiateAuthRequest) -> Result<AuthResponse, CognitoError> {
    let token = param(&req.auth_parameters, key::REFRESH_TOKEN)?.to_string();
    let mut model = svc.model();
    let pool = pool_of_client(&mut model, &req.client_id)?;
    // With rotation on, Cognito refuses the flow (the client cannot allow it; see AppClient::check_rotation).
    if !pool.clients[&req.client_id].allows("ALLOW_REFRESH_TOKEN_AUTH") {
        return Err(invalid_parameter("REFRESH_TOKEN_AUTH is not enabled for the client."));
    }
    let device_key = device_key_of(&req.auth_parameters);
    let result = tokens_for_refresh_token(svc, pool, &req.client_id, &token, device_key.as_deref())?;
    svc.persist(&model)?;
    Ok(AuthResponse { authentication_result: Some(result), ..Default::default() })
}

/// GetTokensFromRefreshToken: new id and access tokens; with rotation on, a new refresh token too.
/// Its answer is `{"AuthenticationResult": …}` alone (no `ChallengeParameters`, unlike InitiateAuth).
pub fn get_tokens_from_refresh_token(
    svc: &Service,
    req: GetTokensFromRefreshTokenRequest,
) -> Result<serde_json::Value, CognitoError> {
    if req.refresh_token.is_empty() {
        return Err(invalid_parameter("Missing required parameter RefreshToken"));
    }
    let mut model = svc.model();
    let pool = pool_of_client(&mut model, &req.client_id)?;
    if req.client_secret.is_some() {
        // Cognito checks a secret only for clients that have one; ours never do.
        return Err(not_authorized(&format!("Client {} is configured without secret.", req.client_id)));
    }
    let device_key = req.device_key.as_deref().filter(|k| !k.is_empty());
    let authentication_result = tokens_for_refresh_token(svc, pool, &req.client_id, &req.refresh_token, device_key)?;
    svc.persist(&model)?;
    Ok(serde_json::json!({ "AuthenticationResult": authentication_result }))
}

/// The checks every refresh makes (the token, its family, its user; with rotation, reuse), then the new
/// tokens. The caller persists.
pub(crate) fn tokens_for_refresh_token(
    svc: &Service,
    pool: &mut crate::model::Pool,
    client_id: &str,
    token: &str,
    device_key: Option<&str>,
) -> Result<AuthenticationResult, CognitoError> {
    let now = svc.now();
    let client = pool.clients[client_id].clone();
    let Some(record) = pool.refresh_tokens.get(token).filter(|r| r.client_id == client_id).cloned() else {
        return Err(not_authorized("Invalid Refresh Token"));
    };
    match pool.users.get(&record.user_key) {
        None => return Err(not_authorized("User does not exist.")),
        Some(user) if !user.enabled => return Err(not_authorized("User is disabled.")),
        Some(_) => {}
    }
    // Tokens issued to a device refresh only on it (the developer guide: "With device tracking, these
    // tokens are linked to a single device"); Cognito says no more than this.
    if record.device_key.is_some() && record.device_key.as_deref() != device_key {
        return Err(not_authorized("Invalid Refresh Token"));
    }
    if pool.revoked_origins.contains(&record.origin_jti) {
        return Err(not_authorized("Refresh Token has been revoked"));
    }
    if record.expires_at <= now {
        return Err(not_authorized("Refresh Token has expired"));
    }
    if let Some(grace) = client.rotation_grace_seconds {
        match record.rotated_at {
            // Exchanged before: usable again only within the grace period (a client retrying a lost
            // answer), each time for a new token of the family. With no grace period, never again (not
            // even within the same second).
            Some(at) if now >= at + grace => {
                return Err(err(codes::REFRESH_TOKEN_REUSE, "Refresh token has already been used."));
            }
            Some(_) => {}
            None => {
                if let Some(r) = pool.refresh_tokens.get_mut(token) {
                    r.rotated_at = Some(now);
                }
            }
        }
    }
    Ok(svc.issue_tokens(pool, &client, &record.user_key, Some(&record), None, None))
}

/// A device named with the password's proof must be one of the user's: "Device does not exist." leaves the
/// session as it was, so the client can answer again without it (as both reference clients do).
fn named_device_exists(svc: &Service, token: Option<&str>, device_key: &Option<String>) -> Result<(), CognitoError> {
    let Some(device_key) = device_key else { return Ok(()) };
    let user_key = match token.and_then(|t| svc.sessions().get(t).map(|s| (s.pool_id.clone(), s.step_user_key()))) {
        Some((pool_id, Some(user_key))) => (pool_id, user_key),
        _ => return Ok(()),
    };
    let model = svc.model();
    match model.pools.get(&user_key.0).and_then(|p| p.users.get(&user_key.1)) {
        Some(user) => crate::devices::check_named_device(user, Some(device_key)),
        None => Ok(()),
    }
}

/// Takes a live session out of the table (sessions are single-use).
fn take_session(
    svc: &Service,
    token: Option<&str>,
    secret_block: Option<&str>,
    client_id: &str,
    device_key: &Option<String>,
) -> Result<AuthSession, CognitoError> {
    let now = svc.now();
    let mut sessions = svc.sessions();
    sessions.retain(|_, s| s.expires_at > now);
    let key = match (token, secret_block) {
        (Some(t), _) if sessions.contains_key(t) => Some(t.to_string()),
        (_, Some(block)) => sessions
            .iter()
            .find(|(_, s)| matches!(&s.step, AuthStep::PasswordVerifier { secret_block, .. } if secret_block == block))
            .map(|(k, _)| k.clone()),
        _ => None,
    };
    let session = key.and_then(|k| sessions.remove(&k));
    match session {
        Some(mut s) if s.client_id == client_id => {
            if device_key.is_some() {
                s.device_key.clone_from(device_key);
            }
            Ok(s)
        }
        _ => Err(not_authorized("Invalid session for the user, session is expired.")),
    }
}

pub fn respond_to_auth_challenge(
    svc: &Service,
    req: RespondToAuthChallengeRequest,
) -> Result<AuthResponse, CognitoError> {
    // The device named now, or earlier in this sign-in.
    let earlier = || req.session.as_deref().and_then(|t| svc.sessions().get(t).and_then(|s| s.device_key.clone()));
    let device_key = device_key_of(&req.challenge_responses).or_else(earlier);
    let answer = respond(svc, &req, &device_key);
    remember_device_key(svc, &answer, device_key);
    answer
}

fn respond(
    svc: &Service,
    req: &RespondToAuthChallengeRequest,
    device_key: &Option<String>,
) -> Result<AuthResponse, CognitoError> {
    let device_key = device_key.clone();
    {
        let mut model = svc.model();
        pool_of_client(&mut model, &req.client_id)?;
    }
    let responses = &req.challenge_responses;
    match req.challenge_name {
        ChallengeName::PasswordVerifier => {
            let signature = param(responses, key::PASSWORD_CLAIM_SIGNATURE)?;
            let block = param(responses, key::PASSWORD_CLAIM_SECRET_BLOCK)?;
            let timestamp = param(responses, key::TIMESTAMP)?;
            param(responses, key::USERNAME)?;
            named_device_exists(svc, req.session.as_deref(), &device_key)?;
            let session = take_session(svc, req.session.as_deref(), Some(block), &req.client_id, &device_key)?;
            password_verifier(svc, session, block, timestamp, signature)
        }
        ChallengeName::NewPasswordRequired => {
            let new_password = param(responses, key::NEW_PASSWORD)?;
            let session = take_session(svc, req.session.as_deref(), None, &req.client_id, &device_key)?;
            new_password_required(svc, session, new_password, responses)
        }
        ChallengeName::MfaSetup => {
            let session = take_session(svc, req.session.as_deref(), None, &req.client_id, &device_key)?;
            match responses.get(key::EMAIL).filter(|e| !e.is_empty()) {
                Some(email) => mfa_setup_email(svc, session, email),
                None => mfa_setup_done(svc, session),
            }
        }
        ChallengeName::SelectMfaType => {
            let answer = ChallengeName::parse(param(responses, key::ANSWER)?);
            param(responses, key::USERNAME)?;
            let session = take_session(svc, req.session.as_deref(), None, &req.client_id, &device_key)?;
            let AuthStep::SelectMfaType { user_key, choices } = session.step else {
                return Err(not_authorized("Invalid session for the user, session is expired."));
            };
            if !choices.contains(&answer) {
                return Err(invalid_parameter(format!(
                    "The MFA type {} is not available for the user.",
                    answer.as_str()
                )));
            }
            let user_id = {
                let model = svc.model();
                model.pools.get(&session.pool_id).and_then(|p| p.users.get(&user_key)).map(|u| u.username.clone())
            };
            let ids = (session.pool_id, session.client_id);
            ask_mfa(svc, ids, user_key, user_id.unwrap_or_default(), &[answer.as_str()], None)
        }
        ChallengeName::SmsMfa => {
            let code = param(responses, key::SMS_MFA_CODE)?;
            let token = req.session.clone().unwrap_or_default();
            let session = take_session(svc, Some(&token), None, &req.client_id, &device_key)?;
            sign_in_code(svc, token, session, ChallengeName::SmsMfa, code)
        }
        ChallengeName::SelectChallenge => {
            let answer = ChallengeName::parse(param(responses, key::ANSWER)?);
            param(responses, key::USERNAME)?;
            let session = take_session(svc, req.session.as_deref(), None, &req.client_id, &device_key)?;
            let AuthStep::SelectChallenge { user_key, user_id, available } = session.step else {
                return Err(not_authorized("Invalid session for the user, session is expired."));
            };
            if !available.contains(&answer) {
                return Err(invalid_parameter(format!(
                    "The challenge {} is not available for the user.",
                    answer.as_str()
                )));
            }
            let user_key = (!user_key.is_empty()).then_some(user_key);
            first_factor(svc, (session.pool_id, session.client_id), user_key, user_id, answer, responses)
        }
        ChallengeName::EmailOtp | ChallengeName::SmsOtp => {
            let code_key =
                if req.challenge_name == ChallengeName::EmailOtp { key::EMAIL_OTP_CODE } else { key::SMS_OTP_CODE };
            let code = param(responses, code_key)?;
            param(responses, key::USERNAME)?;
            let token = req.session.clone().unwrap_or_default();
            let session = take_session(svc, Some(&token), None, &req.client_id, &device_key)?;
            if matches!(session.step, AuthStep::MfaSetupEmail { .. }) {
                return mfa_setup_email_code(svc, token, session, code);
            }
            sign_in_code(svc, token, session, req.challenge_name, code)
        }
        ChallengeName::WebAuthn => {
            let credential = param(responses, key::CREDENTIAL)?;
            param(responses, key::USERNAME)?;
            let session = take_session(svc, req.session.as_deref(), None, &req.client_id, &device_key)?;
            web_authn(svc, session, credential)
        }
        ChallengeName::SoftwareTokenMfa => {
            let code = param(responses, key::SOFTWARE_TOKEN_MFA_CODE)?;
            let token = req.session.clone().unwrap_or_default();
            let session = take_session(svc, Some(&token), None, &req.client_id, &device_key)?;
            software_token_mfa(svc, token, session, code)
        }
        ChallengeName::DeviceSrpAuth => {
            param(responses, key::USERNAME)?;
            let session = take_session(svc, req.session.as_deref(), None, &req.client_id, &device_key)?;
            crate::devices::device_srp_auth(svc, session, responses)
        }
        ChallengeName::DevicePasswordVerifier => {
            for name in [key::PASSWORD_CLAIM_SIGNATURE, key::PASSWORD_CLAIM_SECRET_BLOCK, key::TIMESTAMP, key::USERNAME]
            {
                param(responses, name)?;
            }
            let session = take_session(svc, req.session.as_deref(), None, &req.client_id, &device_key)?;
            crate::devices::device_password_verifier(svc, session, responses)
        }
        _ => Err(invalid_parameter("Invalid challenge name or challenge not supported by cognito-local.")),
    }
}

/// Keeps a new auth session for the next step of a sign-in and answers with its challenge.
fn next_challenge(
    svc: &Service,
    ids: (String, String),
    step: AuthStep,
    name: ChallengeName,
    parameters: BTreeMap<String, String>,
) -> AuthResponse {
    challenge_on_device(svc, ids, step, name, parameters, None)
}

/// [`next_challenge`] for a sign-in on a device (its key kept with the session).
pub(crate) fn challenge_on_device(
    svc: &Service,
    (pool_id, client_id): (String, String),
    step: AuthStep,
    name: ChallengeName,
    parameters: BTreeMap<String, String>,
    device_key: Option<&str>,
) -> AuthResponse {
    let token = new_session_token();
    let session = AuthSession {
        pool_id,
        client_id,
        expires_at: svc.now() + AUTH_SESSION_SECONDS,
        step,
        device_key: device_key.map(str::to_string),
    };
    svc.sessions().insert(token.clone(), session);
    AuthResponse {
        challenge_name: Some(name),
        session: Some(token),
        challenge_parameters: parameters,
        ..Default::default()
    }
}

fn password_verifier(
    svc: &Service,
    session: AuthSession,
    block: &str,
    timestamp: &str,
    signature: &str,
) -> Result<AuthResponse, CognitoError> {
    let AuthStep::PasswordVerifier { user_key, user_id_for_srp, secret_block, b, big_a, big_b: _ } = session.step
    else {
        return Err(not_authorized("Invalid session for the user, session is expired."));
    };
    if block != secret_block {
        return Err(not_authorized("Invalid session for the user, session is expired."));
    }
    let Some(user_key) = user_key else {
        return Err(incorrect());
    };
    let verifier = {
        let model = svc.model();
        let user = model.pools.get(&session.pool_id).and_then(|p| p.users.get(&user_key)).ok_or_else(incorrect)?;
        srp::parse_hex("verifier", &user.verifier_hex)
            .map_err(|e| CognitoError::new(500, codes::INTERNAL_ERROR, e.to_string()))?
    };
    // b was generated for this verifier; rebuild the server side from it.
    let server = ServerEphemeral::from_secret(b, &verifier);
    let secret_bytes = BASE64.decode(&secret_block).expect("we encoded it");
    // The signature covers TIMESTAMP; Cognito also refuses one not in its exact shape (a zero-padded day,
    // a wrong weekday) as a wrong password.
    let proven = timestamp::parse_cognito_timestamp(timestamp).is_some()
        && server
            .password_key(&big_a, &verifier)
            .map(|key| {
                key.verify_signature(
                    srp_pool_name(&session.pool_id),
                    &user_id_for_srp,
                    &secret_bytes,
                    timestamp,
                    signature,
                )
            })
            .unwrap_or(false);

    after_password(svc, (session.pool_id, session.client_id), user_key, user_id_for_srp, proven, session.device_key)
}

/// After a password was judged (`proven`: the SRP proof, or USER_AUTH's PASSWORD): the account's status,
/// the lockout, then a second factor, a new password, or the tokens.
fn after_password(
    svc: &Service,
    (pool_id, client_id): (String, String),
    user_key: String,
    user_id_for_srp: String,
    proven: bool,
    device_key: Option<String>,
) -> Result<AuthResponse, CognitoError> {
    let now = svc.now();
    let mut model = svc.model();
    let pool = model.pools.get_mut(&pool_id).ok_or_else(incorrect)?;
    let pool_mfa_off = pool.mfa_off();
    let user = pool.users.get_mut(&user_key).ok_or_else(incorrect)?;
    // Cognito says "not confirmed" whatever the password (by design, so the app can send the user to
    // confirm; aws-sdk-js#4608, amazon-cognito-identity-js#288), and a wrong one does not count.
    if user.status == UserStatus::Unconfirmed {
        return Err(err(codes::USER_NOT_CONFIRMED, "User is not confirmed."));
    }
    // Judged while this answer holds the model: attempts that were in flight together are judged one
    // after the other, so a right password that comes after the lockout began does not get in.
    if user.lockout.attempt(now) == Gate::LockedOut {
        svc.persist(&model)?;
        return Err(not_authorized("Password attempts exceeded"));
    }
    if !proven {
        user.lockout.failed(now);
        svc.persist(&model)?;
        return Err(incorrect());
    }
    user.lockout.succeeded();
    let status = user.status;
    let attributes = user.attributes.clone();
    let preferred = user.preferred_mfa.clone();
    // The second factors the user has and the pool offers (none when MFA is off, whatever users set up
    // while it was on).
    let user = &pool.users[&user_key];
    let kinds = if pool_mfa_off { Vec::new() } else { user.mfa_kinds(pool) };
    // A remembered device proves itself instead of an MFA code (see `devices`).
    let skip_mfa = crate::devices::skips_mfa(pool, &pool.users[&user_key], device_key.as_deref());
    let answer = match status {
        UserStatus::Unconfirmed => Err(err(codes::USER_NOT_CONFIRMED, "User is not confirmed.")),
        // Signs in at its provider only (it has no password to prove).
        UserStatus::ExternalProvider => Err(incorrect()),
        UserStatus::ResetRequired => Err(err(codes::PASSWORD_RESET_REQUIRED, "Password reset required for the user")),
        UserStatus::ForceChangePassword => {
            // Cognito names them as the answer must: `userAttributes.<name>`.
            let required = required_attributes_parameter(
                pool.required_attributes.iter().map(String::as_str).filter(|a| !attributes.contains_key(*a)),
            );
            let mut visible = attributes.clone();
            visible.remove("email_verified");
            let parameters = string_map([
                (key::USER_ID_FOR_SRP, user_id_for_srp),
                (key::REQUIRED_ATTRIBUTES, required),
                (key::USER_ATTRIBUTES, serde_json::to_string(&visible).expect("strings")),
            ]);
            let step = AuthStep::NewPasswordRequired { user_key };
            Ok(next_challenge(svc, (pool_id, client_id), step, ChallengeName::NewPasswordRequired, parameters))
        }
        UserStatus::Confirmed if !kinds.is_empty() && !skip_mfa => {
            // Sending a code takes the model again.
            svc.persist(&model)?;
            drop(model);
            return ask_mfa(svc, (pool_id, client_id), user_key, user_id_for_srp, &kinds, preferred.as_deref());
        }
        UserStatus::Confirmed if pool.mfa_required() && !skip_mfa => {
            Ok(mfa_setup_challenge(svc, (pool_id, client_id), pool, user_key))
        }
        UserStatus::Confirmed => {
            Ok(crate::devices::finish_sign_in(svc, pool, &client_id, &user_key, device_key.as_deref(), false))
        }
    };
    svc.persist(&model)?;
    answer
}

fn new_password_required(
    svc: &Service,
    session: AuthSession,
    new_password: &str,
    responses: &BTreeMap<String, String>,
) -> Result<AuthResponse, CognitoError> {
    let AuthStep::NewPasswordRequired { user_key } = session.step else {
        return Err(not_authorized("Invalid session for the user, session is expired."));
    };
    let updates: BTreeMap<String, String> = responses
        .iter()
        .filter_map(|(k, v)| k.strip_prefix(key::USER_ATTRIBUTE_PREFIX).map(|name| (name.to_string(), v.clone())))
        .collect();
    check_attributes(&updates)?;
    let now = svc.now();
    let mut model = svc.model();
    let pool = model.pools.get_mut(&session.pool_id).ok_or_else(incorrect)?;
    check_password(&pool.password_policy, new_password)?;
    let mut merged = pool.users.get(&user_key).ok_or_else(incorrect)?.attributes.clone();
    merged.extend(updates);
    required_attributes_present(pool, &merged)?;
    let pool_id = pool.id.clone();
    let user = pool.users.get_mut(&user_key).ok_or_else(incorrect)?;
    set_password(&pool_id, user, new_password);
    user.attributes = merged;
    user.status = UserStatus::Confirmed;
    user.modified = now;
    let kinds = pool.users[&user_key].mfa_kinds(pool);
    if pool.mfa_required() && kinds.is_empty() {
        let answer = mfa_setup_challenge(svc, (session.pool_id.clone(), session.client_id.clone()), pool, user_key);
        svc.persist(&model)?;
        return Ok(answer);
    }
    let answer =
        crate::devices::finish_sign_in(svc, pool, &session.client_id, &user_key, session.device_key.as_deref(), false);
    svc.persist(&model)?;
    Ok(answer)
}

/// Checks the TOTP code; a wrong code leaves the session usable until it expires, for another try, up to
/// [`MAX_MFA_ATTEMPTS`] wrong codes in a row for the user: then the session ends and MFA answers are
/// refused with TooManyFailedAttemptsException for [`MFA_LOCK_SECONDS`].
fn software_token_mfa(
    svc: &Service,
    token: String,
    session: AuthSession,
    code: &str,
) -> Result<AuthResponse, CognitoError> {
    let AuthStep::SoftwareTokenMfa { user_key } = &session.step else {
        return Err(not_authorized("Invalid session for the user, session is expired."));
    };
    let user_key = user_key.clone();
    let now = svc.now();
    let mut model = svc.model();
    let pool = model.pools.get_mut(&session.pool_id).ok_or_else(incorrect)?;
    let user = pool.users.get_mut(&user_key).ok_or_else(incorrect)?;
    if user.mfa_locked_until > now {
        return Err(too_many_mfa_attempts());
    }
    let secret = user.totp_secret.clone().unwrap_or_default();
    if !crate::totp::verify(&secret, code.trim(), now) {
        user.failed_mfa_codes += 1;
        let answer = if user.failed_mfa_codes >= MAX_MFA_ATTEMPTS {
            user.failed_mfa_codes = 0;
            user.mfa_locked_until = now + MFA_LOCK_SECONDS;
            too_many_mfa_attempts()
        } else {
            svc.sessions().insert(token, session);
            err(codes::CODE_MISMATCH, "Invalid code received for user")
        };
        svc.persist(&model)?;
        return Err(answer);
    }
    user.failed_mfa_codes = 0;
    let answer =
        crate::devices::finish_sign_in(svc, pool, &session.client_id, &user_key, session.device_key.as_deref(), true);
    svc.persist(&model)?;
    Ok(answer)
}

/// MFA_SETUP: the pool requires MFA and the user has none yet. They may set up what the pool offers of
/// an authenticator app (AssociateSoftwareToken and VerifySoftwareToken taking this session, see
/// `mfa_ops`) and codes by email (this challenge answered with `EMAIL`, see [`mfa_setup_email`]).
fn mfa_setup_challenge(svc: &Service, ids: (String, String), pool: &Pool, user_key: String) -> AuthResponse {
    let kinds: Vec<&str> =
        ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"].into_iter().filter(|k| pool.enabled_mfas.iter().any(|e| e == k)).collect();
    let parameters = string_map([(key::MFAS_CAN_SETUP, serde_json::to_string(&kinds).expect("strings"))]);
    next_challenge(svc, ids, AuthStep::MfaSetup { user_key, verified: false }, ChallengeName::MfaSetup, parameters)
}

/// MFA_SETUP answered with an email address (`EMAIL`, Amplify's way of setting up email MFA at sign-in):
/// a code goes there, and the EMAIL_OTP answer with it turns email MFA on (the address becomes the
/// user's verified email).
fn mfa_setup_email(svc: &Service, session: AuthSession, email: &str) -> Result<AuthResponse, CognitoError> {
    let AuthStep::MfaSetup { user_key, .. } = &session.step else {
        return Err(not_authorized("Invalid session for the user, session is expired."));
    };
    let user_key = user_key.clone();
    let email = email.trim().to_string();
    if !cognito_core::messages::looks_like_email(&email) {
        return Err(invalid_parameter("Invalid email address format."));
    }
    let code = ids::random_id(8, ids::DIGITS);
    let username = {
        let mut model = svc.model();
        let pool = model.pools.get_mut(&session.pool_id).ok_or_else(incorrect)?;
        if !pool.offers_mfa("EMAIL_OTP") {
            return Err(invalid_parameter("Email MFA is not enabled for this user pool."));
        }
        let now = svc.now();
        let mut to = pool.users.get(&user_key).cloned().ok_or_else(incorrect)?;
        to.attributes.insert("email".into(), email.clone());
        svc.deliver(pool, &to, "MFA set-up code (EMAIL_OTP)", &code);
        let user = pool.users.get_mut(&user_key).ok_or_else(incorrect)?;
        user.codes.sign_in =
            Some(Code { value: code.clone(), expires_at: now + AUTH_SESSION_SECONDS, failed_attempts: 0 });
        let username = user.username.clone();
        svc.persist(&model)?;
        username
    };
    let parameters = string_map([
        (key::CODE_DELIVERY_DELIVERY_MEDIUM, "EMAIL".to_string()),
        (key::CODE_DELIVERY_DESTINATION, mask_email(&email)),
        (key::USERNAME, username),
    ]);
    let step = AuthStep::MfaSetupEmail { user_key, email, code, wrong: 0 };
    Ok(next_challenge(svc, (session.pool_id, session.client_id), step, ChallengeName::EmailOtp, parameters))
}

/// The code that sets up email MFA at sign-in: right, and the address is the user's verified email with
/// email MFA on; then the sign-in goes on.
fn mfa_setup_email_code(
    svc: &Service,
    token: String,
    session: AuthSession,
    given: &str,
) -> Result<AuthResponse, CognitoError> {
    let AuthStep::MfaSetupEmail { user_key, email, code, wrong } = &session.step else {
        return Err(not_authorized("Invalid session for the user, session is expired."));
    };
    if !ids::constant_time_eq(given.trim().as_bytes(), code.as_bytes()) {
        let wrong = wrong + 1;
        if wrong < MAX_SIGN_IN_CODE_ATTEMPTS {
            let step =
                AuthStep::MfaSetupEmail { user_key: user_key.clone(), email: email.clone(), code: code.clone(), wrong };
            svc.sessions().insert(token, AuthSession { step, ..session });
        }
        return Err(err(codes::CODE_MISMATCH, "Invalid code received for user"));
    }
    let (user_key, email) = (user_key.clone(), email.clone());
    let now = svc.now();
    let mut model = svc.model();
    let pool = model.pools.get_mut(&session.pool_id).ok_or_else(incorrect)?;
    let user = pool.users.get_mut(&user_key).ok_or_else(incorrect)?;
    user.attributes.insert("email".into(), email);
    user.attributes.insert("email_verified".into(), "true".into());
    user.email_mfa_enabled = true;
    user.codes.sign_in = None;
    user.modified = now;
    let answer =
        crate::devices::finish_sign_in(svc, pool, &session.client_id, &user_key, session.device_key.as_deref(), true);
    svc.persist(&model)?;
    Ok(answer)
}

/// The MFA_SETUP answer: tokens, once VerifySoftwareToken accepted a code in this sign-in.
fn mfa_setup_done(svc: &Service, session: AuthSession) -> Result<AuthResponse, CognitoError> {
    let AuthStep::MfaSetup { user_key, verified: true } = session.step else {
        return Err(not_authorized("Invalid session for the user, session is expired."));
    };
    let mut model = svc.model();
    let pool = model.pools.get_mut(&session.pool_id).ok_or_else(incorrect)?;
    let answer =
        crate::devices::finish_sign_in(svc, pool, &session.client_id, &user_key, session.device_key.as_deref(), true);
    svc.persist(&model)?;
    Ok(answer)
}

fn too_many_mfa_attempts() -> CognitoError {
    err(codes::TOO_MANY_FAILED_ATTEMPTS, "Too many failed attempts. Please sign in again later.")
}

/// The first factors USER_AUTH offers this user: what the pool allows that the user can do (a password
/// set; a verified email; a verified phone number), in the pool's order. PASSWORD stands for both
/// PASSWORD and PASSWORD_SRP.
fn first_factors(pool: &Pool, user: Option<&User>) -> Vec<ChallengeName> {
    let verified =
        |u: &User, name: &str| u.attribute(name).is_some() && u.attribute(&format!("{name}_verified")) == Some("true");
    let mut available = Vec::new();
    for factor in &pool.allowed_first_auth_factors {
        match (factor.as_str(), user) {
            // A user that does not exist (its existence not to be revealed) seems to have every factor.
            ("PASSWORD", None) => available.extend([ChallengeName::Password, ChallengeName::PasswordSrp]),
            ("PASSWORD", Some(u)) if !u.verifier_hex.is_empty() => {
                available.extend([ChallengeName::Password, ChallengeName::PasswordSrp])
            }
            ("EMAIL_OTP", None) => available.push(ChallengeName::EmailOtp),
            ("EMAIL_OTP", Some(u)) if verified(u, "email") => available.push(ChallengeName::EmailOtp),
            ("SMS_OTP", Some(u)) if verified(u, "phone_number") => available.push(ChallengeName::SmsOtp),
            ("WEB_AUTHN", Some(u)) if !u.passkeys.is_empty() => available.push(ChallengeName::WebAuthn),
            _ => {}
        }
    }
    available
}

/// InitiateAuth USER_AUTH: the preferred first factor when this user has it (`PREFERRED_CHALLENGE`, with
/// `PASSWORD` or `SRP_A` for the password ones), else SELECT_CHALLENGE with the factors available.
fn start_user_auth(svc: &Service, req: InitiateAuthRequest) -> Result<AuthResponse, CognitoError> {
    let username = param(&req.auth_parameters, key::USERNAME)?.to_string();
    if let Some(token) = req.session.as_deref().filter(|s| !s.is_empty()) {
        return signed_up(svc, &req, token, &username);
    }
    let preferred =
        req.auth_parameters.get(key::PREFERRED_CHALLENGE).filter(|p| !p.is_empty()).map(|p| ChallengeName::parse(p));
    let (pool_id, user_key, user_id, available) = {
        let mut model = svc.model();
        let pool = pool_of_client(&mut model, &req.client_id)?;
        let client = &pool.clients[&req.client_id];
        if !client.allows("ALLOW_USER_AUTH") {
            return Err(invalid_parameter("USER_AUTH is not enabled for the client."));
        }
        let key = pool.find_user(&username);
        match key.as_ref().and_then(|k| pool.users.get(k)) {
            Some(user) if !user.enabled => return Err(not_authorized("User is disabled.")),
            // An account not confirmed yet can only prove its password (then it is told to confirm).
            Some(user)
                if user.status == UserStatus::Unconfirmed
                    && !matches!(preferred, Some(ChallengeName::Password | ChallengeName::PasswordSrp)) =>
            {
                return Err(err(codes::USER_NOT_CONFIRMED, "User is not confirmed."));
            }
            Some(user) => (pool.id.clone(), key.clone(), user.username.clone(), first_factors(pool, Some(user))),
            None if client.prevent_user_existence_errors => {
                (pool.id.clone(), None, username.clone(), first_factors(pool, None))
            }
            None => return Err(err(codes::USER_NOT_FOUND, "User does not exist.")),
        }
    };
    let ids = (pool_id, req.client_id.clone());
    match preferred {
        Some(choice) if available.contains(&choice) => {
            first_factor(svc, ids, user_key, user_id, choice, &req.auth_parameters)
        }
        _ => {
            let step = AuthStep::SelectChallenge {
                user_key: user_key.unwrap_or_default(),
                user_id: user_id.clone(),
                available: available.clone(),
            };
            let mut answer = next_challenge(svc, ids, step, ChallengeName::SelectChallenge, BTreeMap::new());
            answer.available_challenges = available;
            Ok(answer)
        }
    }
}

/// Starts the first factor `choice` (from PREFERRED_CHALLENGE or a SELECT_CHALLENGE answer) with the
/// parameters it needs. `user_key` None: a user that does not exist, who never gets in.
fn first_factor(
    svc: &Service,
    ids: (String, String),
    user_key: Option<String>,
    user_id: String,
    choice: ChallengeName,
    parameters: &BTreeMap<String, String>,
) -> Result<AuthResponse, CognitoError> {
    match choice {
        ChallengeName::PasswordSrp => {
            let big_a = srp_a(parameters)?;
            let (salt_hex, verifier) = {
                let model = svc.model();
                match user_key.as_ref().and_then(|k| model.pools.get(&ids.0).and_then(|p| p.users.get(k))) {
                    Some(user) => (
                        user.salt_hex.clone(),
                        srp::parse_hex("verifier", &user.verifier_hex)
                            .map_err(|e| CognitoError::new(500, codes::INTERNAL_ERROR, e.to_string()))?,
                    ),
                    None => (
                        srp::to_hex(&ids::random_bytes::<16>()),
                        num_bigint::BigUint::from_bytes_be(&ids::random_bytes::<384>()) % &srp::group().n,
                    ),
                }
            };
            password_verifier_challenge(svc, ids, user_key, user_id, salt_hex, &verifier, big_a)
        }
        ChallengeName::Password => {
            let password = param(parameters, key::PASSWORD)?;
            let Some(user_key) = user_key else { return Err(incorrect()) };
            let proven = {
                let model = svc.model();
                let user = model.pools.get(&ids.0).and_then(|p| p.users.get(&user_key)).ok_or_else(incorrect)?;
                password_matches(&ids.0, user, password)
            };
            after_password(svc, ids, user_key, user_id, proven, device_key_of(parameters))
        }
        ChallengeName::EmailOtp | ChallengeName::SmsOtp => send_code(svc, ids, user_key, user_id, choice, false),
        ChallengeName::WebAuthn => {
            let Some(user_key) = user_key else {
                return Err(invalid_parameter("The challenge WEB_AUTHN is not available for the user."));
            };
            let (options, state, relying_party_id) = {
                let model = svc.model();
                let pool = model.pools.get(&ids.0).ok_or_else(incorrect)?;
                let user = pool.users.get(&user_key).ok_or_else(incorrect)?;
                crate::webauthn_ops::start_sign_in(pool, user)?
            };
            let parameters = string_map([(key::CREDENTIAL_REQUEST_OPTIONS, options), (key::USERNAME, user_id)]);
            let step = AuthStep::WebAuthn { user_key, state: Box::new(state), relying_party_id };
            Ok(next_challenge(svc, ids, step, choice, parameters))
        }
        other => Err(invalid_parameter(format!("The challenge {} is not available for the user.", other.as_str()))),
    }
}

/// WEB_AUTHN's answer: the passkey's assertion, checked by webauthn-rs against the challenge this session
/// made (the session is single-use, so an assertion cannot be replayed).
fn web_authn(svc: &Service, session: AuthSession, credential: &str) -> Result<AuthResponse, CognitoError> {
    let AuthStep::WebAuthn { user_key, state, relying_party_id } = session.step else {
        return Err(not_authorized("Invalid session for the user, session is expired."));
    };
    let mut model = svc.model();
    let pool = model.pools.get_mut(&session.pool_id).ok_or_else(incorrect)?;
    let user = pool.users.get_mut(&user_key).ok_or_else(incorrect)?;
    crate::webauthn_ops::finish_sign_in(user, &relying_party_id, &state, credential)?;
    let answer =
        crate::devices::finish_sign_in(svc, pool, &session.client_id, &user_key, session.device_key.as_deref(), false);
    svc.persist(&model)?;
    Ok(answer)
}

/// `+*******1234`: the last four digits of a phone number, as CodeDeliveryDetails shows it.
/// Sends a sign-in code by email or SMS and answers with its challenge: USER_AUTH's first factors
/// (EMAIL_OTP, SMS_OTP: eight digits) or a second factor (`mfa`: SMS_MFA six digits, EMAIL_OTP eight).
/// `user_key` None: a user that does not exist (nothing is sent; the destination looks like one).
fn send_code(
    svc: &Service,
    ids: (String, String),
    user_key: Option<String>,
    user_id: String,
    challenge: ChallengeName,
    mfa: bool,
) -> Result<AuthResponse, CognitoError> {
    let email = challenge == ChallengeName::EmailOtp;
    let code = ids::random_id(if challenge == ChallengeName::SmsMfa { 6 } else { 8 }, ids::DIGITS);
    let now = svc.now();
    let destination = {
        let mut model = svc.model();
        let pool = model.pools.get_mut(&ids.0).ok_or_else(incorrect)?;
        match user_key.as_ref().and_then(|k| pool.users.get(k).cloned()) {
            Some(user) => {
                let attribute = if email { "email" } else { "phone_number" };
                let to = user.attribute(attribute).unwrap_or("").to_string();
                let what = format!("sign-in code ({})", challenge.as_str());
                svc.deliver(pool, &user, &what, &code);
                if let Some(u) = pool.users.get_mut(user_key.as_deref().unwrap_or("")) {
                    u.codes.sign_in =
                        Some(Code { value: code.clone(), expires_at: now + AUTH_SESSION_SECONDS, failed_attempts: 0 });
                }
                svc.persist(&model)?;
                if email {
                    mask_email(&to)
                } else {
                    mask_phone(&to)
                }
            }
            None => mask_email(&format!("{user_id}@example.com")),
        }
    };
    let parameters = string_map([
        (key::CODE_DELIVERY_DELIVERY_MEDIUM, if email { "EMAIL" } else { "SMS" }.to_string()),
        (key::CODE_DELIVERY_DESTINATION, destination),
        (key::USERNAME, user_id),
    ]);
    let step = AuthStep::SignInCode { user_key: user_key.unwrap_or_default(), challenge, code, wrong: 0, mfa };
    Ok(next_challenge(svc, ids, step, challenge, parameters))
}

/// The second factor a signed-in-by-password user is asked for: the preferred kind, or the only one,
/// else SELECT_MFA_TYPE among them.
fn ask_mfa(
    svc: &Service,
    ids: (String, String),
    user_key: String,
    user_id: String,
    kinds: &[&str],
    preferred: Option<&str>,
) -> Result<AuthResponse, CognitoError> {
    let pick = match (preferred.filter(|p| kinds.contains(p)), kinds) {
        (Some(p), _) => Some(p),
        (None, [only]) => Some(*only),
        _ => None,
    };
    match pick.map(ChallengeName::parse) {
        Some(ChallengeName::SoftwareTokenMfa) => {
            let parameters = string_map([(key::FRIENDLY_DEVICE_NAME, "TOTP device".to_string())]);
            let step = AuthStep::SoftwareTokenMfa { user_key };
            Ok(next_challenge(svc, ids, step, ChallengeName::SoftwareTokenMfa, parameters))
        }
        Some(kind @ (ChallengeName::SmsMfa | ChallengeName::EmailOtp)) => {
            send_code(svc, ids, Some(user_key), user_id, kind, true)
        }
        _ => {
            let choices: Vec<ChallengeName> = kinds.iter().map(|k| ChallengeName::parse(k)).collect();
            let parameters = string_map([
                (key::MFAS_CAN_CHOOSE, serde_json::to_string(kinds).expect("strings")),
                (key::USERNAME, user_id),
            ]);
            let step = AuthStep::SelectMfaType { user_key, choices };
            Ok(next_challenge(svc, ids, step, ChallengeName::SelectMfaType, parameters))
        }
    }
}

/// The code of a USER_AUTH sign-in by email or SMS. A wrong one leaves the session for another try, up to
/// [`MAX_SIGN_IN_CODE_ATTEMPTS`] wrong codes; the session (and so the code) lasts [`AUTH_SESSION_SECONDS`].
fn sign_in_code(
    svc: &Service,
    token: String,
    session: AuthSession,
    challenge: ChallengeName,
    given: &str,
) -> Result<AuthResponse, CognitoError> {
    let AuthStep::SignInCode { user_key, challenge: sent_for, code, wrong, mfa } = &session.step else {
        return Err(not_authorized("Invalid session for the user, session is expired."));
    };
    if *sent_for != challenge {
        return Err(not_authorized("Invalid session for the user, session is expired."));
    }
    let right = !user_key.is_empty() && ids::constant_time_eq(given.trim().as_bytes(), code.as_bytes());
    if !right {
        let wrong = wrong + 1;
        if wrong < MAX_SIGN_IN_CODE_ATTEMPTS {
            let step =
                AuthStep::SignInCode { user_key: user_key.clone(), challenge, code: code.clone(), wrong, mfa: *mfa };
            svc.sessions().insert(token, AuthSession { step, ..session });
        }
        let message = if *mfa { "Invalid code received for user" } else { "Invalid code or auth state for the user." };
        return Err(err(codes::CODE_MISMATCH, message));
    }
    let (user_key, after_mfa) = (user_key.clone(), *mfa);
    let mut model = svc.model();
    let pool = model.pools.get_mut(&session.pool_id).ok_or_else(incorrect)?;
    if let Some(user) = pool.users.get_mut(&user_key) {
        user.codes.sign_in = None;
    }
    let answer = crate::devices::finish_sign_in(
        svc,
        pool,
        &session.client_id,
        &user_key,
        session.device_key.as_deref(),
        after_mfa,
    );
    svc.persist(&model)?;
    Ok(answer)
}

/// USER_AUTH with ConfirmSignUp's Session: the user who just confirmed, signed in (or asked to set up
/// MFA where the pool requires it), with no first factor asked again.
fn signed_up(
    svc: &Service,
    req: &InitiateAuthRequest,
    token: &str,
    username: &str,
) -> Result<AuthResponse, CognitoError> {
    {
        let mut model = svc.model();
        let pool = pool_of_client(&mut model, &req.client_id)?;
        if !pool.clients[&req.client_id].allows("ALLOW_USER_AUTH") {
            return Err(invalid_parameter("USER_AUTH is not enabled for the client."));
        }
    }
    let session = take_session(svc, Some(token), None, &req.client_id, &device_key_of(&req.auth_parameters))?;
    let AuthStep::SignedUp { user_key } = session.step else {
        return Err(not_authorized("Invalid session for the user, session is expired."));
    };
    let mut model = svc.model();
    let pool = model.pools.get_mut(&session.pool_id).ok_or_else(incorrect)?;
    if pool.find_user(username).as_deref() != Some(user_key.as_str()) {
        return Err(not_authorized("Invalid session for the user, session is expired."));
    }
    if pool.mfa_required() {
        let answer = mfa_setup_challenge(svc, (session.pool_id.clone(), session.client_id.clone()), pool, user_key);
        return Ok(answer);
    }
    let answer =
        crate::devices::finish_sign_in(svc, pool, &session.client_id, &user_key, session.device_key.as_deref(), false);
    svc.persist(&model)?;
    Ok(answer)
}
