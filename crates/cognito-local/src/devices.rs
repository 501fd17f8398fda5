//! Device tracking and remembered devices (a pool with `DeviceConfiguration`; API reference of
//! ConfirmDevice, GetDevice, ListDevices, UpdateDeviceStatus, ForgetDevice; the developer guide's "Working
//! with user devices").
//!
//! A sign-in that does not name one of the user's devices ends with `NewDeviceMetadata`: a device key
//! (`<region>_<uuid>`) and the user's device group key. The client makes a random password for it and
//! sends its SRP verifier with ConfirmDevice. A later sign-in naming the device (`DEVICE_KEY`) proves it
//! with that password (DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER: the password's SRP with the group
//! key as the pool name and the device key as the user id); a remembered device does so instead of an MFA
//! code when the pool says `ChallengeRequiredOnNewDevice`. Tokens carry the device (`device_key` claim),
//! refreshing them needs it, and forgetting the device ends them.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use cognito_core::api::{
    AttributeType, AuthResponse, ChallengeName, ConfirmDeviceRequest, ConfirmDeviceResponse, DeviceRequest, DeviceType,
    Empty, GetDeviceResponse, ListDevicesRequest, ListDevicesResponse, NewDeviceMetadata, Timestamp,
    UpdateDeviceStatusRequest,
};
use cognito_core::device::{self, read_verifier_config, VerifierConfig};
use cognito_core::error::codes;
use cognito_core::sign_in::key;
use cognito_core::srp::{self, ServerEphemeral};
use cognito_core::CognitoError;

use crate::ids;
use crate::model::{invalid_parameter, Device, Model, Pool, User};
use crate::service::*;

/// Devices ListDevices returns at most at once (its `Limit` maximum).
const MAX_LIST: usize = 60;

pub fn device_not_found() -> CognitoError {
    err(codes::RESOURCE_NOT_FOUND, "Device does not exist.")
}

/// Whether `device_key`, named by a sign-in of this user, is one of their devices. Cognito refuses an
/// unknown one before anything else ("Device does not exist."; the reference clients then forget it and
/// answer again without it, with the same session).
pub fn check_named_device(user: &User, device_key: Option<&str>) -> Result<(), CognitoError> {
    match device_key {
        Some(k) if !user.devices.iter().any(|d| d.key == k) => Err(device_not_found()),
        _ => Ok(()),
    }
}

/// A remembered device that the pool lets sign in without an MFA code.
pub fn skips_mfa(pool: &Pool, user: &User, device_key: Option<&str>) -> bool {
    let challenge = pool.device_configuration.as_ref().is_some_and(|c| c.challenge_required_on_new_device);
    challenge && device_key.is_some_and(|k| user.devices.iter().any(|d| d.key == k && d.confirmed() && d.remembered))
}

/// The end of every sign-in: a confirmed device of the user proves itself first (DEVICE_SRP_AUTH), unless
/// an MFA code was just given (`after_mfa`: amazon-cognito-identity-js answers a DEVICE_SRP_AUTH that
/// follows its MFA code with the MFA step's own session, so the tokens come at once there); otherwise the
/// tokens, with a new device (`NewDeviceMetadata`) when the pool tracks devices and the sign-in named none
/// of the user's. The caller persists the model.
pub fn finish_sign_in(
    svc: &Service,
    pool: &mut Pool,
    client_id: &str,
    user_key: &str,
    device_key: Option<&str>,
    after_mfa: bool,
) -> AuthResponse {
    let now = svc.now();
    let tracked = pool.device_configuration.is_some();
    let known = device_key.filter(|k| pool.users[user_key].devices.iter().any(|d| d.key == *k && d.confirmed()));
    if let (true, false, Some(device_key)) = (tracked, after_mfa, known) {
        let step = AuthStep::DeviceSrpAuth { user_key: user_key.to_string(), device_key: device_key.to_string() };
        let parameters = cognito_core::api::string_map([(key::USERNAME, pool.users[user_key].username.clone())]);
        return challenge(svc, pool, client_id, step, ChallengeName::DeviceSrpAuth, parameters, Some(device_key));
    }
    let client = pool.clients[client_id].clone();
    if !tracked {
        let result = svc.issue_tokens(pool, &client, user_key, None, None, None);
        return AuthResponse { authentication_result: Some(result), ..Default::default() };
    }
    // A device named but not confirmed (its ConfirmDevice never came): it stays the sign-in's device.
    let (device_key, new) = match device_key.filter(|k| pool.users[user_key].devices.iter().any(|d| d.key == *k)) {
        Some(k) => (k.to_string(), false),
        None => (new_device(pool, user_key, now), true),
    };
    let user = pool.users.get_mut(user_key).expect("the user signing in");
    if let Some(device) = user.devices.iter_mut().find(|d| d.key == device_key) {
        device.last_authenticated = now;
    }
    let group_key = user.device_group_key.clone();
    let mut result = svc.issue_tokens(pool, &client, user_key, None, Some(&device_key), None);
    if new {
        result.new_device_metadata =
            Some(NewDeviceMetadata { device_key: Some(device_key), device_group_key: group_key });
    }
    AuthResponse { authentication_result: Some(result), ..Default::default() }
}

/// A new device of the user (and the user's group key with the first): `<region>_<uuid>`.
fn new_device(pool: &mut Pool, user_key: &str, now: i64) -> String {
    let region = pool.id.split('_').next().unwrap_or("us-east-1").to_string();
    let user = pool.users.get_mut(user_key).expect("the user signing in");
    let key = format!("{region}_{}", ids::uuid_v4());
    user.device_group_key.get_or_insert_with(|| format!("-{}", ids::random_id(9, ids::BASE64URL_ALPHABET)));
    user.devices.push(Device {
        key: key.clone(),
        name: None,
        salt: None,
        verifier: None,
        remembered: false,
        created: now,
        modified: now,
        last_authenticated: now,
    });
    key
}

fn challenge(
    svc: &Service,
    pool: &Pool,
    client_id: &str,
    step: AuthStep,
    name: ChallengeName,
    parameters: BTreeMap<String, String>,
    device_key: Option<&str>,
) -> AuthResponse {
    crate::auth_ops::challenge_on_device(
        svc,
        (pool.id.clone(), client_id.to_string()),
        step,
        name,
        parameters,
        device_key,
    )
}

fn expired() -> CognitoError {
    not_authorized("Invalid session for the user, session is expired.")
}

/// DEVICE_SRP_AUTH's answer (`SRP_A` for the device): the DEVICE_PASSWORD_VERIFIER challenge, with the
/// salt the device gave and the server's `B` for its verifier.
pub fn device_srp_auth(
    svc: &Service,
    session: AuthSession,
    responses: &BTreeMap<String, String>,
) -> Result<AuthResponse, CognitoError> {
    let AuthStep::DeviceSrpAuth { user_key, device_key } = session.step else { return Err(expired()) };
    if responses.get(key::DEVICE_KEY).map(String::as_str) != Some(device_key.as_str()) {
        return Err(device_not_found());
    }
    let big_a = srp::parse_hex(key::SRP_A, responses.get(key::SRP_A).map(String::as_str).unwrap_or(""))
        .map_err(|_| invalid_parameter("Invalid SRP_A: not a hex number"))?;
    if &big_a % &srp::group().n == num_bigint::BigUint::ZERO {
        return Err(invalid_parameter("Invalid SRP_A: A mod N is 0"));
    }
    let model = svc.model();
    let pool = model.pools.get(&session.pool_id).ok_or_else(expired)?;
    let user = pool.users.get(&user_key).ok_or_else(expired)?;
    let device = user.devices.iter().find(|d| d.key == device_key).ok_or_else(device_not_found)?;
    let (salt, verifier) = stored_verifier(device)?;
    let server = ServerEphemeral::generate(&verifier).map_err(internal)?;
    let secret_block = BASE64.encode(ids::random_bytes::<96>());
    let parameters = cognito_core::api::string_map([
        (key::SALT, salt.to_str_radix(16)),
        (key::SRP_B, server.public_hex()),
        (key::SECRET_BLOCK, secret_block.clone()),
        (key::USERNAME, user.username.clone()),
        (key::DEVICE_KEY, device_key.clone()),
    ]);
    let step = AuthStep::DevicePasswordVerifier {
        user_key,
        device_key: device_key.clone(),
        secret_block,
        b: server.secret().clone(),
        big_a,
    };
    let client_id = session.client_id.clone();
    Ok(challenge(svc, pool, &client_id, step, ChallengeName::DevicePasswordVerifier, parameters, Some(&device_key)))
}

/// DEVICE_PASSWORD_VERIFIER's answer: the device's proof, checked; then the tokens, for this device.
pub fn device_password_verifier(
    svc: &Service,
    session: AuthSession,
    responses: &BTreeMap<String, String>,
) -> Result<AuthResponse, CognitoError> {
    let AuthStep::DevicePasswordVerifier { user_key, device_key, secret_block, b, big_a } = session.step else {
        return Err(expired());
    };
    let get = |name: &str| responses.get(name).map(String::as_str).unwrap_or("");
    if get(key::DEVICE_KEY) != device_key || get(key::PASSWORD_CLAIM_SECRET_BLOCK) != secret_block {
        return Err(expired());
    }
    let now = svc.now();
    let mut model = svc.model();
    let pool = model.pools.get_mut(&session.pool_id).ok_or_else(expired)?;
    let user = pool.users.get(&user_key).ok_or_else(expired)?;
    let device = user.devices.iter().find(|d| d.key == device_key).ok_or_else(device_not_found)?;
    let group_key = user.device_group_key.clone().unwrap_or_default();
    let (_, verifier) = stored_verifier(device)?;
    let server = ServerEphemeral::from_secret(b, &verifier);
    let secret_bytes = BASE64.decode(&secret_block).map_err(internal)?;
    let timestamp = get(key::TIMESTAMP);
    let proven = cognito_core::timestamp::parse_cognito_timestamp(timestamp).is_some()
        && server.password_key(&big_a, &verifier).is_ok_and(|k| {
            k.verify_signature(&group_key, &device_key, &secret_bytes, timestamp, get(key::PASSWORD_CLAIM_SIGNATURE))
        });
    if !proven {
        return Err(not_authorized("Incorrect username or password."));
    }
    let client = pool.clients[&session.client_id].clone();
    if let Some(device) = pool.users.get_mut(&user_key).and_then(|u| u.devices.iter_mut().find(|d| d.key == device_key))
    {
        device.last_authenticated = now;
    }
    let result = svc.issue_tokens(pool, &client, &user_key, None, Some(&device_key), None);
    svc.persist(&model)?;
    Ok(AuthResponse { authentication_result: Some(result), ..Default::default() })
}

fn stored_verifier(device: &Device) -> Result<(num_bigint::BigUint, num_bigint::BigUint), CognitoError> {
    let config = VerifierConfig {
        salt: device.salt.clone().unwrap_or_default(),
        password_verifier: device.verifier.clone().unwrap_or_default(),
    };
    read_verifier_config(&config).map_err(|_| device_not_found())
}

fn internal(e: impl std::fmt::Display) -> CognitoError {
    CognitoError::new(500, codes::INTERNAL_ERROR, e.to_string())
}

// ------------------------------------------------------------------------------------------------------
// The device operations of a signed-in user
// ------------------------------------------------------------------------------------------------------

/// The signed-in user's device `key` (the access token's own device when none is named).
fn device_of<'m>(
    svc: &Service,
    model: &'m mut Model,
    access_token: &str,
    key: Option<&str>,
) -> Result<(&'m mut Pool, String, String), CognitoError> {
    let (pool_id, user_key) = svc.authenticate(model, access_token)?;
    let own =
        cognito_core::jwt::decode_payload(access_token).ok().and_then(|c| c.str("device_key").map(str::to_string));
    let key =
        key.map(str::to_string).or(own).ok_or_else(|| invalid_parameter("Missing required parameter DeviceKey"))?;
    let pool = model.pools.get_mut(&pool_id).ok_or_else(device_not_found)?;
    if pool.device_configuration.is_none() {
        return Err(invalid_parameter("Device tracking is not enabled for this user pool."));
    }
    if !pool.users[&user_key].devices.iter().any(|d| d.key == key) {
        return Err(device_not_found());
    }
    Ok((pool, user_key, key))
}

pub fn confirm_device(svc: &Service, req: ConfirmDeviceRequest) -> Result<ConfirmDeviceResponse, CognitoError> {
    let now = svc.now();
    let config = req
        .device_secret_verifier_config
        .ok_or_else(|| invalid_parameter("Missing required parameter DeviceSecretVerifierConfig"))?;
    let config = VerifierConfig { salt: config.salt, password_verifier: config.password_verifier };
    read_verifier_config(&config).map_err(|_| invalid_parameter("Invalid DeviceSecretVerifierConfig"))?;
    let mut model = svc.model();
    let (pool, user_key, key) = device_of(svc, &mut model, &req.access_token, Some(&req.device_key))?;
    let on_prompt = pool.device_configuration.as_ref().is_some_and(|c| c.device_only_remembered_on_user_prompt);
    let user = pool.users.get_mut(&user_key).ok_or_else(device_not_found)?;
    let device = user.devices.iter_mut().find(|d| d.key == key).ok_or_else(device_not_found)?;
    device.salt = Some(config.salt);
    device.verifier = Some(config.password_verifier);
    device.name = req.device_name.filter(|n| !n.trim().is_empty()).map(|n| n.chars().take(1024).collect());
    // Remembered at once, unless the pool wants the user asked first (UpdateDeviceStatus).
    device.remembered = !on_prompt;
    device.modified = now;
    svc.persist(&model)?;
    Ok(ConfirmDeviceResponse { user_confirmation_necessary: on_prompt })
}

pub fn update_device_status(svc: &Service, req: UpdateDeviceStatusRequest) -> Result<Empty, CognitoError> {
    let remembered = match req.device_remembered_status.as_deref() {
        Some("remembered") => true,
        Some("not_remembered") => false,
        other => {
            return Err(invalid_parameter(format!(
                "Invalid DeviceRememberedStatus {:?}: remembered or not_remembered",
                other.unwrap_or("")
            )))
        }
    };
    let now = svc.now();
    let mut model = svc.model();
    let (pool, user_key, key) = device_of(svc, &mut model, &req.access_token, req.device_key.as_deref())?;
    let user = pool.users.get_mut(&user_key).ok_or_else(device_not_found)?;
    let device = user.devices.iter_mut().find(|d| d.key == key).ok_or_else(device_not_found)?;
    device.remembered = remembered;
    device.modified = now;
    svc.persist(&model)?;
    Ok(Empty {})
}

pub fn get_device(svc: &Service, req: DeviceRequest) -> Result<GetDeviceResponse, CognitoError> {
    let mut model = svc.model();
    let (pool, user_key, key) = device_of(svc, &mut model, &req.access_token, req.device_key.as_deref())?;
    let device = pool.users[&user_key].devices.iter().find(|d| d.key == key).ok_or_else(device_not_found)?;
    Ok(GetDeviceResponse { device: device_type(device) })
}

/// ListDevices: the user's devices, most recently used first, `Limit` at a time.
pub fn list_devices(svc: &Service, req: ListDevicesRequest) -> Result<ListDevicesResponse, CognitoError> {
    let limit = req.limit.unwrap_or(MAX_LIST);
    if !(1..=MAX_LIST).contains(&limit) {
        return Err(invalid_parameter(format!(
            "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to {MAX_LIST}"
        )));
    }
    let model = svc.model();
    let (pool_id, user_key) = svc.authenticate(&model, &req.access_token)?;
    let pool = &model.pools[&pool_id];
    if pool.device_configuration.is_none() {
        return Err(invalid_parameter("Device tracking is not enabled for this user pool."));
    }
    let mut devices: Vec<&Device> = pool.users[&user_key].devices.iter().collect();
    devices.sort_by(|a, b| b.last_authenticated.cmp(&a.last_authenticated).then_with(|| a.key.cmp(&b.key)));
    let start = match req.pagination_token.as_deref() {
        Some(token) => {
            devices.iter().position(|d| d.key == token).ok_or_else(|| invalid_parameter("Invalid pagination token"))?
        }
        None => 0,
    };
    let page = devices.iter().skip(start).take(limit).map(|d| device_type(d)).collect();
    let next = devices.get(start + limit).map(|d| d.key.clone());
    Ok(ListDevicesResponse { devices: page, pagination_token: next })
}

/// ForgetDevice: the device is gone, and so are the sessions it held (its refresh tokens stop working).
pub fn forget_device(svc: &Service, req: DeviceRequest) -> Result<Empty, CognitoError> {
    let mut model = svc.model();
    let (pool, user_key, key) = device_of(svc, &mut model, &req.access_token, req.device_key.as_deref())?;
    if let Some(user) = pool.users.get_mut(&user_key) {
        user.devices.retain(|d| d.key != key);
    }
    pool.refresh_tokens.retain(|_, r| r.device_key.as_deref() != Some(key.as_str()));
    svc.persist(&model)?;
    Ok(Empty {})
}

fn device_type(d: &Device) -> DeviceType {
    let mut attributes = vec![
        AttributeType::new("device_status", "valid"),
        AttributeType::new(device::REMEMBERED_ATTRIBUTE, device::remembered_status(d.remembered)),
    ];
    if let Some(name) = &d.name {
        attributes.push(AttributeType::new(device::NAME_ATTRIBUTE, name));
    }
    DeviceType {
        device_key: d.key.clone(),
        device_attributes: attributes,
        device_create_date: Timestamp(Some(d.created)),
        device_last_modified_date: Timestamp(Some(d.modified)),
        device_last_authenticated_date: Timestamp(Some(d.last_authenticated)),
    }
}
