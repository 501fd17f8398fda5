//! Remembered devices against amazon-cognito-identity-js (vectors from e2e/srp-vectors/generate.mjs): the
//! ConfirmDevice verifier it made for its random password and salt, and its DEVICE_SRP_AUTH and
//! DEVICE_PASSWORD_VERIFIER answers for a fixed `a`, clock and server challenge must be ours, byte for byte.

mod vectors;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use cognito_core::device::{password_verifier_responses, srp_auth_responses, verifier_config, DeviceIds};
use cognito_core::srp::{parse_hex, ClientEphemeral};
use cognito_core::timestamp::cognito_timestamp;

use vectors::load;

#[test]
fn confirm_device_verifiers_match_the_reference_client() {
    let file = load();
    assert!(file.devices.len() >= 16);
    for v in &file.devices {
        let ids = DeviceIds { device_key: v.device_key.clone(), device_group_key: v.device_group_key.clone() };
        let confirm = &v.expected.confirm_device;
        assert_eq!(confirm.device_key, v.device_key, "{}", v.name);
        let salt = BASE64.decode(&confirm.salt).unwrap();
        let ours = verifier_config(&ids, &v.expected.random_password, &salt);
        assert_eq!(ours.salt, confirm.salt, "{}: salt", v.name);
        assert_eq!(ours.password_verifier, confirm.password_verifier, "{}: verifier", v.name);
    }
}

#[test]
fn device_sign_in_answers_match_the_reference_client() {
    for v in &load().devices {
        let ids = DeviceIds { device_key: v.device_key.clone(), device_group_key: v.device_group_key.clone() };
        assert_eq!(
            v.expected.password_verifier_device_key, v.device_key,
            "{}: the device named with the password's proof",
            v.name
        );
        let ephemeral = ClientEphemeral::from_secret(parse_hex("a", &v.device_a_hex).unwrap()).unwrap();
        assert_eq!(
            srp_auth_responses(&v.username, &ids, &ephemeral),
            v.expected.device_srp_auth,
            "{}: DEVICE_SRP_AUTH",
            v.name
        );
        let parameters = cognito_core::api::string_map([
            ("SALT", v.server_salt_hex.clone()),
            ("SRP_B", v.srp_b_hex.clone()),
            ("SECRET_BLOCK", v.secret_block.clone()),
        ]);
        let timestamp = cognito_timestamp(v.unix_seconds);
        let answer = password_verifier_responses(
            &v.username,
            &ids,
            &v.expected.random_password,
            &ephemeral,
            &parameters,
            &timestamp,
        )
        .unwrap();
        assert_eq!(answer, v.expected.device_password_verifier, "{}: DEVICE_PASSWORD_VERIFIER", v.name);
    }
}

#[test]
fn device_vectors_cover_salts_with_and_without_the_top_bit_set() {
    let salts: Vec<Vec<u8>> =
        load().devices.iter().map(|v| BASE64.decode(&v.expected.confirm_device.salt).unwrap()).collect();
    // padHex puts a 00 before a first byte with its top bit set (the number stays positive).
    assert!(salts.iter().any(|s| s[0] == 0 && s.len() == 17), "a salt with its top bit set");
    assert!(salts.iter().any(|s| s[0] & 0x80 == 0 && s.len() <= 16), "a salt without");
}
