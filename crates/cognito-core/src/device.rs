//! Remembered devices: the device's own SRP secret, made when a sign-in's answer carries
//! `NewDeviceMetadata` (sent with ConfirmDevice as `DeviceSecretVerifierConfig`), and the answers that prove
//! it on a later sign-in (DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER).
//!
//! It is the password's SRP with the device group key in place of the pool name, the device key in place
//! of the user id, and a random password the device keeps (amazon-cognito-identity-js's
//! `generateHashDevice` and `getDeviceResponse`; checked against vectors from that library in
//! `tests/device_vectors.rs`).

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use num_bigint::BigUint;
use zeroize::Zeroizing;

use crate::api::{attribute, DeviceType};
use crate::sign_in::key;
use crate::srp::{self, padded_bytes_unsigned, parse_hex, ClientEphemeral, SrpError};

/// Random bytes of a device password, before base64 (the reference client's 40).
const PASSWORD_BYTES: usize = 40;
/// Random bytes of a device salt (the reference client's 16).
const SALT_BYTES: usize = 16;

/// What Cognito named the device (`NewDeviceMetadata`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceIds {
    pub device_key: String,
    pub device_group_key: String,
}

/// ConfirmDevice's `DeviceSecretVerifierConfig`: the salt and `v = g^x` as big-endian bytes in base64.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierConfig {
    pub salt: String,
    pub password_verifier: String,
}

/// A new device secret: the random password the device keeps (stored as the reference client stores it,
/// `…randomPasswordKey`) and the verifier the service keeps.
pub struct NewDeviceSecret {
    pub random_password: Zeroizing<String>,
    pub config: VerifierConfig,
}

/// The verifier of a device password with a given salt (big-endian bytes as the service reads them).
pub fn verifier_config(ids: &DeviceIds, random_password: &str, salt: &[u8]) -> VerifierConfig {
    let salt = BigUint::from_bytes_be(salt);
    let v = srp::verifier(&ids.device_group_key, &ids.device_key, random_password, &salt);
    VerifierConfig {
        salt: BASE64.encode(padded_bytes_unsigned(&salt)),
        password_verifier: BASE64.encode(padded_bytes_unsigned(&v)),
    }
}

/// A fresh random password and salt for the device, and its verifier.
pub fn new_secret(ids: &DeviceIds) -> Result<NewDeviceSecret, SrpError> {
    let mut password = Zeroizing::new([0u8; PASSWORD_BYTES]);
    let mut salt = [0u8; SALT_BYTES];
    getrandom::fill(password.as_mut()).map_err(|e| SrpError::Random(e.to_string()))?;
    getrandom::fill(&mut salt).map_err(|e| SrpError::Random(e.to_string()))?;
    let random_password = Zeroizing::new(BASE64.encode(password.as_ref()));
    let config = verifier_config(ids, &random_password, &salt);
    Ok(NewDeviceSecret { random_password, config })
}

/// The DEVICE_SRP_AUTH answer: the username, the device and `A`.
pub fn srp_auth_responses(username: &str, ids: &DeviceIds, ephemeral: &ClientEphemeral) -> BTreeMap<String, String> {
    crate::api::string_map([
        (key::USERNAME, username.to_string()),
        (key::DEVICE_KEY, ids.device_key.clone()),
        (key::SRP_A, ephemeral.public_hex()),
    ])
}

/// The DEVICE_PASSWORD_VERIFIER answer to the service's `SALT`, `SRP_B` and `SECRET_BLOCK`, signed over
/// `timestamp` (see [`crate::timestamp::cognito_timestamp`]).
pub fn password_verifier_responses(
    username: &str,
    ids: &DeviceIds,
    random_password: &str,
    ephemeral: &ClientEphemeral,
    parameters: &BTreeMap<String, String>,
    timestamp: &str,
) -> Result<BTreeMap<String, String>, SrpError> {
    let get = |name: &'static str| {
        parameters.get(name).map(String::as_str).filter(|v| !v.is_empty()).ok_or(SrpError::MissingParameter(name))
    };
    let salt = parse_hex(key::SALT, get(key::SALT)?)?;
    let big_b = parse_hex(key::SRP_B, get(key::SRP_B)?)?;
    let secret_block = get(key::SECRET_BLOCK)?;
    let secret_bytes = BASE64.decode(secret_block).map_err(|_| SrpError::InvalidSecretBlock)?;
    let password_key =
        ephemeral.password_key(&ids.device_group_key, &ids.device_key, random_password, &salt, &big_b)?;
    let signature = password_key.signature(&ids.device_group_key, &ids.device_key, &secret_bytes, timestamp);
    Ok(crate::api::string_map([
        (key::USERNAME, username.to_string()),
        (key::PASSWORD_CLAIM_SECRET_BLOCK, secret_block.to_string()),
        (key::TIMESTAMP, timestamp.to_string()),
        (key::PASSWORD_CLAIM_SIGNATURE, signature),
        (key::DEVICE_KEY, ids.device_key.clone()),
    ]))
}

/// The service's half: the stored verifier config read back (salt, verifier), for a DEVICE_SRP_AUTH
/// challenge. Refuses what is not base64 or is empty.
pub fn read_verifier_config(config: &VerifierConfig) -> Result<(BigUint, BigUint), SrpError> {
    let decode = |field: &'static str, text: &str| {
        BASE64
            .decode(text)
            .ok()
            .filter(|b| !b.is_empty())
            .map(|b| BigUint::from_bytes_be(&b))
            .ok_or(SrpError::InvalidHex(field))
    };
    Ok((decode("Salt", &config.salt)?, decode("PasswordVerifier", &config.password_verifier)?))
}

/// A device of the user, as ListDevices tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    pub key: String,
    /// The name the client gave it at ConfirmDevice (this app: the browser's user agent).
    pub name: Option<String>,
    /// Whether it is remembered (signing in on it skips the second factor).
    pub remembered: bool,
    /// When it last signed in, seconds since the epoch.
    pub last_used: Option<i64>,
}

/// The device attribute holding the name the client gave it at ConfirmDevice.
pub const NAME_ATTRIBUTE: &str = "device_name";
/// The device attribute holding [`remembered_status`].
pub const REMEMBERED_ATTRIBUTE: &str = "dev:device_remembered_status";

impl DeviceInfo {
    /// A device as ListDevices lists it (its name and remembered status are attributes).
    pub fn of(device: DeviceType) -> Self {
        let value = |name| attribute(&device.device_attributes, name);
        DeviceInfo {
            name: value(NAME_ATTRIBUTE).map(str::to_string),
            remembered: value(REMEMBERED_ATTRIBUTE) == Some(remembered_status(true)),
            last_used: device.device_last_authenticated_date.0,
            key: device.device_key,
        }
    }
}

/// `DeviceRememberedStatus` of UpdateDeviceStatus.
pub fn remembered_status(remembered: bool) -> &'static str {
    if remembered {
        "remembered"
    } else {
        "not_remembered"
    }
}

/// Whether an answer sent with this browser's device key (`sent_device`) should go again without it: the
/// service no longer knows the device ("Device does not exist.", ResourceNotFoundException), and the
/// sign-in's session still stands, as both reference clients rely on. The device is forgotten first.
pub fn send_again_without_device(refusal: &crate::CognitoError, sent_device: bool) -> bool {
    sent_device && refusal.is(crate::error::codes::RESOURCE_NOT_FOUND)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::FromJson;
    use crate::srp::ServerEphemeral;

    fn ids() -> DeviceIds {
        DeviceIds {
            device_key: "us-east-1_0b7c6f1e-1111-2222-3333-444455556666".into(),
            device_group_key: "-AbCdEfGh".into(),
        }
    }

    #[test]
    fn a_new_secret_is_random_and_its_verifier_matches_its_password() {
        let (one, two) = (new_secret(&ids()).unwrap(), new_secret(&ids()).unwrap());
        assert_ne!(*one.random_password, *two.random_password);
        assert_ne!(one.config.salt, two.config.salt);
        assert_eq!(BASE64.decode(&*one.random_password).unwrap().len(), PASSWORD_BYTES);
        let salt = BASE64.decode(&one.config.salt).unwrap();
        assert_eq!(verifier_config(&ids(), &one.random_password, &salt), one.config);
    }

    #[test]
    fn the_service_accepts_the_device_answer_and_only_with_the_right_password() {
        let secret = new_secret(&ids()).unwrap();
        let (salt, verifier) = read_verifier_config(&secret.config).unwrap();
        let server = ServerEphemeral::generate(&verifier).unwrap();
        let secret_block = BASE64.encode([7u8; 64]);
        let parameters = crate::api::string_map([
            (key::SALT, salt.to_str_radix(16)),
            (key::SRP_B, server.public_hex()),
            (key::SECRET_BLOCK, secret_block.clone()),
        ]);
        let timestamp = "Mon Jan 5 09:03:07 UTC 2026";
        let answer_with = |password: &str| {
            let ephemeral = ClientEphemeral::generate().unwrap();
            let responses =
                password_verifier_responses("ana", &ids(), password, &ephemeral, &parameters, timestamp).unwrap();
            let key = server.password_key(ephemeral.public(), &verifier).unwrap();
            key.verify_signature(
                &ids().device_group_key,
                &ids().device_key,
                &BASE64.decode(&secret_block).unwrap(),
                timestamp,
                &responses[key::PASSWORD_CLAIM_SIGNATURE],
            )
        };
        assert!(answer_with(&secret.random_password));
        assert!(!answer_with("another password"));
    }

    #[test]
    fn an_answer_goes_again_without_a_device_the_service_does_not_know() {
        let gone = crate::CognitoError::new(400, crate::error::codes::RESOURCE_NOT_FOUND, "Device does not exist.");
        let wrong = crate::CognitoError::new(400, crate::error::codes::CODE_MISMATCH, "Invalid code received.");
        assert!(send_again_without_device(&gone, true));
        assert!(!send_again_without_device(&gone, false), "sent without a device: nothing to forget");
        assert!(!send_again_without_device(&wrong, true));
    }

    #[test]
    fn the_list_of_devices_is_read() {
        let answer = r#"{"Devices":[{"DeviceKey":"us-east-1_a","DeviceAttributes":[
            {"Name":"device_status","Value":"valid"},{"Name":"dev:device_remembered_status","Value":"remembered"},
            {"Name":"device_name","Value":"Firefox"}],"DeviceCreateDate":1.7330001E9,
            "DeviceLastAuthenticatedDate":1733000200.5},
            {"DeviceKey":"us-east-1_b","DeviceAttributes":[{"Name":"dev:device_remembered_status","Value":"not_remembered"}]}]}"#;
        let read = |text: &str| {
            crate::api::ListDevicesResponse::from_json_text(text)
                .map(|answer| answer.devices.into_iter().map(DeviceInfo::of).collect::<Vec<_>>())
        };
        let devices = read(answer).unwrap();
        assert_eq!(
            devices[0],
            DeviceInfo {
                key: "us-east-1_a".into(),
                name: Some("Firefox".into()),
                remembered: true,
                last_used: Some(1733000200)
            }
        );
        assert_eq!((devices[1].remembered, devices[1].name.as_deref(), devices[1].last_used), (false, None, None));
        assert!(read(r#"{"Devices":[{"DeviceAttributes":[]}]}"#).is_err());
        assert!(read("{}").is_err());
        assert_eq!((remembered_status(true), remembered_status(false)), ("remembered", "not_remembered"));
    }
}
