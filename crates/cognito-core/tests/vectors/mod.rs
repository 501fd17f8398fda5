//! The reference vectors file, shared by the host test and the in-browser test.
#![allow(dead_code)]

use std::collections::BTreeMap;

use cognito_core::srp::{
    answer_password_verifier, parse_hex, scrambling_parameter, to_hex, ClientEphemeral, PasswordVerifierChallenge,
};
use cognito_core::timestamp::cognito_timestamp;
use cognito_core::PoolId;
use serde::Deserialize;

pub const SRP_JSON: &str = include_str!("srp.json");

#[derive(Deserialize)]
pub struct VectorFile {
    pub k: String,
    pub srp: Vec<SrpVector>,
    #[serde(rename = "padHex")]
    pub pad_hex: Vec<PadHexCase>,
    pub devices: Vec<DeviceVector>,
}

/// A remembered device, as the reference client made and proved it (see generate.mjs).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceVector {
    pub name: String,
    pub username: String,
    pub device_key: String,
    pub device_group_key: String,
    pub device_a_hex: String,
    pub server_salt_hex: String,
    pub srp_b_hex: String,
    pub secret_block: String,
    pub unix_seconds: i64,
    pub expected: DeviceExpected,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceExpected {
    pub confirm_device: ConfirmDevice,
    pub random_password: String,
    pub password_verifier_device_key: String,
    pub device_srp_auth: BTreeMap<String, String>,
    pub device_password_verifier: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDevice {
    pub device_key: String,
    pub salt: String,
    pub password_verifier: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SrpVector {
    pub name: String,
    pub pool_id: String,
    pub username: String,
    pub user_id_for_srp: String,
    pub password: String,
    pub a_hex: String,
    pub salt_hex: String,
    pub srp_b_hex: String,
    pub secret_block: String,
    pub unix_seconds: i64,
    pub expected: Expected,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Expected {
    pub srp_a: String,
    pub u: String,
    pub password_key: String,
    pub timestamp: String,
    pub signature: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PadHexCase {
    pub value: String,
    pub pad_hex: String,
}

impl SrpVector {
    /// The PASSWORD_VERIFIER challenge parameters the reference client was given.
    pub fn challenge_parameters(&self) -> BTreeMap<String, String> {
        cognito_core::api::string_map([
            ("SALT", self.salt_hex.clone()),
            ("SRP_B", self.srp_b_hex.clone()),
            ("SECRET_BLOCK", self.secret_block.clone()),
            ("USER_ID_FOR_SRP", self.user_id_for_srp.clone()),
            ("USERNAME", self.user_id_for_srp.clone()),
        ])
    }
}

pub fn load() -> VectorFile {
    serde_json::from_str(SRP_JSON).expect("tests/vectors/srp.json parses")
}

/// Runs our client on one vector; the first difference is the error.
pub fn check(v: &SrpVector) -> Result<(), String> {
    let pool = PoolId::parse(&v.pool_id).map_err(|e| e.to_string())?;
    let ephemeral = ClientEphemeral::from_secret(parse_hex("a", &v.a_hex).unwrap()).map_err(|e| e.to_string())?;
    if ephemeral.public_hex() != v.expected.srp_a {
        return Err("SRP_A differs".into());
    }
    let timestamp = cognito_timestamp(v.unix_seconds);
    if timestamp != v.expected.timestamp {
        return Err(format!("TIMESTAMP {timestamp:?} != {:?}", v.expected.timestamp));
    }
    let challenge = PasswordVerifierChallenge::from_parameters(&v.challenge_parameters()).map_err(|e| e.to_string())?;
    let u = scrambling_parameter(ephemeral.public(), &challenge.srp_b);
    if u.to_str_radix(16) != v.expected.u {
        return Err("u differs".into());
    }
    let key = ephemeral
        .password_key(pool.pool_name(), &v.user_id_for_srp, &v.password, &challenge.salt, &challenge.srp_b)
        .map_err(|e| e.to_string())?;
    if to_hex(&key.0) != v.expected.password_key {
        return Err("password key differs".into());
    }
    let answer = answer_password_verifier(&ephemeral, pool.pool_name(), &v.password, &challenge, &timestamp)
        .map_err(|e| e.to_string())?;
    if answer.signature != v.expected.signature {
        return Err("signature differs".into());
    }
    if answer.username != v.user_id_for_srp || answer.secret_block != v.secret_block {
        return Err("USERNAME or secret block not echoed".into());
    }
    Ok(())
}
