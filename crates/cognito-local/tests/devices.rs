//! Remembered devices (a pool with `DeviceConfiguration`; API reference of ConfirmDevice, GetDevice,
//! ListDevices, UpdateDeviceStatus, ForgetDevice, RespondToAuthChallenge's DEVICE_SRP_AUTH and
//! DEVICE_PASSWORD_VERIFIER; the developer guide's "Working with user devices"), driven by cognito-core's
//! device half (`cognito_core::device`, itself checked against amazon-cognito-identity-js's vectors).

mod common;

use cognito_core::api::*;
use cognito_core::device::{self, DeviceIds, NewDeviceSecret};
use cognito_core::error::codes;
use cognito_core::jwt::decode_payload;
use cognito_core::sign_in::key;
use cognito_core::srp::ClientEphemeral;
use cognito_core::timestamp::cognito_timestamp;
use cognito_local::totp::{base32_decode, code_at, STEP_SECONDS};
use common::*;
use serde_json::{json, Value};

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn totp(secret: &str, offset: i64) -> String {
    code_at(&base32_decode(secret).unwrap(), now() / STEP_SECONDS + offset, 6)
}

/// A pool tracking devices (`on_prompt`: remembered only when the user says so), TOTP optional.
async fn pool(url: &str, on_prompt: bool) -> TestPool {
    let created = raw_call(
        url,
        "CreateUserPool",
        &json!({"PoolName": "devices", "MfaConfiguration": "OPTIONAL", "AutoVerifiedAttributes": ["email"],
                "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": true, "DeviceOnlyRememberedOnUserPrompt": on_prompt}}),
    )
    .await
    .unwrap();
    assert_eq!(created["UserPool"]["DeviceConfiguration"]["DeviceOnlyRememberedOnUserPrompt"], json!(on_prompt));
    TestPool::with_client(url, created["UserPool"]["Id"].as_str().unwrap().to_string()).await
}

impl TestPool {
    /// DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER with the device's password.
    async fn prove_device(
        &self,
        username: &str,
        ids: &DeviceIds,
        password: &str,
        challenge: AuthResponse,
    ) -> Result<AuthResponse, cognito_core::CognitoError> {
        assert_eq!(challenge.challenge_name, Some(ChallengeName::DeviceSrpAuth));
        let ephemeral = ClientEphemeral::generate().unwrap();
        let verifier = self
            .respond(
                ChallengeName::DeviceSrpAuth,
                device::srp_auth_responses(username, ids, &ephemeral),
                challenge.session,
            )
            .await?;
        assert_eq!(verifier.challenge_name, Some(ChallengeName::DevicePasswordVerifier));
        let responses = device::password_verifier_responses(
            username,
            ids,
            password,
            &ephemeral,
            &verifier.challenge_parameters,
            &cognito_timestamp(now()),
        )
        .unwrap();
        self.respond(ChallengeName::DevicePasswordVerifier, responses, verifier.session).await
    }

    async fn op(&self, name: &str, body: Value) -> Result<Value, cognito_core::CognitoError> {
        raw_call(&self.url, name, &body).await
    }

    /// Turns on an authenticator app for the signed-in user; returns its secret.
    async fn totp_on(&self, access_token: &str) -> String {
        let associated = self.op("AssociateSoftwareToken", json!({"AccessToken": access_token})).await.unwrap();
        let secret = associated["SecretCode"].as_str().unwrap().to_string();
        self.op("VerifySoftwareToken", json!({"AccessToken": access_token, "UserCode": totp(&secret, 0)}))
            .await
            .unwrap();
        self.op(
            "SetUserMFAPreference",
            json!({"AccessToken": access_token, "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
        )
        .await
        .unwrap();
        secret
    }

    async fn refresh(
        &self,
        refresh_token: &str,
        device: Option<&str>,
    ) -> Result<AuthResponse, cognito_core::CognitoError> {
        let mut request = InitiateAuthRequest::refresh(&self.client, refresh_token);
        if let Some(d) = device {
            request.auth_parameters.insert(key::DEVICE_KEY.into(), d.into());
        }
        call::<InitiateAuth>(&self.url, &request).await
    }
}

fn device_claim(tokens: &AuthenticationResult) -> Option<String> {
    decode_payload(&tokens.access_token).unwrap().str("device_key").map(str::to_string)
}

fn remembered_status(device: &Value) -> &str {
    device["DeviceAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["Name"] == "dev:device_remembered_status")
        .and_then(|a| a["Value"].as_str())
        .unwrap()
}

/// First sign-in: new device metadata, confirmed with a verifier made by cognito-core.
fn new_device(tokens: &AuthenticationResult) -> (DeviceIds, NewDeviceSecret) {
    let metadata = tokens.new_device_metadata.clone().expect("NewDeviceMetadata");
    let ids =
        DeviceIds { device_key: metadata.device_key.unwrap(), device_group_key: metadata.device_group_key.unwrap() };
    assert!(ids.device_key.starts_with("us-east-1_"), "{}", ids.device_key);
    assert_eq!(device_claim(tokens).as_deref(), Some(ids.device_key.as_str()), "the tokens carry the device");
    let secret = device::new_secret(&ids).unwrap();
    (ids, secret)
}

#[tokio::test]
async fn a_remembered_device_signs_in_without_the_mfa_code_and_a_forgotten_one_needs_it_again() {
    let s = server().await;
    let p = pool(&s.url(), true).await;
    p.user("ana", &[]).await;
    // The first sign-in: no MFA yet, a new device.
    let first = p.password_step("ana", None).await.unwrap().authentication_result.unwrap();
    let (ids, secret) = new_device(&first);
    let totp_secret = p.totp_on(&first.access_token).await;
    let confirmed = p
        .op(
            "ConfirmDevice",
            json!({"AccessToken": first.access_token, "DeviceKey": ids.device_key, "DeviceName": "Firefox on Linux",
                   "DeviceSecretVerifierConfig": {"Salt": secret.config.salt, "PasswordVerifier": secret.config.password_verifier}}),
        )
        .await
        .unwrap();
    assert_eq!(confirmed["UserConfirmationNecessary"], true, "the pool asks the user first");
    let got = p.op("GetDevice", json!({"AccessToken": first.access_token})).await.unwrap();
    assert_eq!(remembered_status(&got["Device"]), "not_remembered");

    // Not remembered yet: the code is asked; the tokens are for the device, no new one.
    let mfa = p.password_step("ana", Some(&ids.device_key)).await.unwrap();
    assert_eq!(mfa.challenge_name, Some(ChallengeName::SoftwareTokenMfa));
    let answer = string_map([
        (key::USERNAME, "ana".to_string()),
        (key::SOFTWARE_TOKEN_MFA_CODE, totp(&totp_secret, 0)),
        (key::DEVICE_KEY, ids.device_key.clone()),
    ]);
    let tokens = p.respond(ChallengeName::SoftwareTokenMfa, answer, mfa.session).await.unwrap();
    let tokens = tokens.authentication_result.expect("tokens after the code");
    assert!(tokens.new_device_metadata.is_none());
    assert_eq!(device_claim(&tokens).as_deref(), Some(ids.device_key.as_str()));

    // "Remember this device": from now on no code; the device's proof instead.
    p.op("UpdateDeviceStatus", json!({"AccessToken": tokens.access_token, "DeviceKey": ids.device_key, "DeviceRememberedStatus": "remembered"}))
        .await
        .unwrap();
    let device_step = p.password_step("ana", Some(&ids.device_key)).await.unwrap();
    let remembered = p.prove_device("ana", &ids, &secret.random_password, device_step).await.unwrap();
    let remembered = remembered.authentication_result.expect("tokens with no MFA code");
    // Another password for the device is refused.
    let device_step = p.password_step("ana", Some(&ids.device_key)).await.unwrap();
    let wrong = p.prove_device("ana", &ids, "not the device's password", device_step).await;
    assert_error(wrong, codes::NOT_AUTHORIZED, "Incorrect username or password.");

    // Listed with its name and status; forgotten: its tokens stop refreshing, the code is asked again,
    // and the key is unknown ("Device does not exist.": the same answer then works without it).
    let listed = p.op("ListDevices", json!({"AccessToken": remembered.access_token, "Limit": 10})).await.unwrap();
    let devices = listed["Devices"].as_array().unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(remembered_status(&devices[0]), "remembered");
    assert!(devices[0]["DeviceAttributes"].to_string().contains("Firefox on Linux"));
    let refresh_token = remembered.refresh_token.clone().unwrap();
    assert!(p.refresh(&refresh_token, Some(&ids.device_key)).await.is_ok());
    p.op("ForgetDevice", json!({"AccessToken": remembered.access_token, "DeviceKey": ids.device_key})).await.unwrap();
    assert_error(
        p.refresh(&refresh_token, Some(&ids.device_key)).await,
        codes::NOT_AUTHORIZED,
        "Invalid Refresh Token",
    );
    let unknown = p.password_step("ana", Some(&ids.device_key)).await;
    assert_error(unknown, codes::RESOURCE_NOT_FOUND, "Device does not exist.");
    let again = p.password_step("ana", None).await.unwrap();
    assert_eq!(again.challenge_name, Some(ChallengeName::SoftwareTokenMfa), "MFA is back");
}

#[tokio::test]
async fn tokens_issued_to_a_device_refresh_only_with_its_key() {
    let s = server().await;
    let p = pool(&s.url(), false).await;
    p.user("bo", &[]).await;
    let tokens = p.password_step("bo", None).await.unwrap().authentication_result.unwrap();
    let (ids, secret) = new_device(&tokens);
    let refresh_token = tokens.refresh_token.clone().unwrap();
    assert_error(p.refresh(&refresh_token, None).await, codes::NOT_AUTHORIZED, "Invalid Refresh Token");
    assert_error(
        p.refresh(&refresh_token, Some("us-east-1_other")).await,
        codes::NOT_AUTHORIZED,
        "Invalid Refresh Token",
    );
    let refreshed = p.refresh(&refresh_token, Some(&ids.device_key)).await.unwrap().authentication_result.unwrap();
    assert_eq!(device_claim(&refreshed).as_deref(), Some(ids.device_key.as_str()));
    // Without the user's prompt, ConfirmDevice remembers the device at once.
    let confirmed = p
        .op(
            "ConfirmDevice",
            json!({"AccessToken": tokens.access_token, "DeviceKey": ids.device_key,
                   "DeviceSecretVerifierConfig": {"Salt": secret.config.salt, "PasswordVerifier": secret.config.password_verifier}}),
        )
        .await
        .unwrap();
    assert_eq!(confirmed["UserConfirmationNecessary"], false);
    let got =
        p.op("GetDevice", json!({"AccessToken": tokens.access_token, "DeviceKey": ids.device_key})).await.unwrap();
    assert_eq!(remembered_status(&got["Device"]), "remembered");
    // GetTokensFromRefreshToken checks the same.
    let exchange = |device: Option<&str>| {
        let mut request = GetTokensFromRefreshTokenRequest::new(&p.client, &refresh_token);
        request.device_key = device.map(str::to_string);
        request
    };
    assert_eq!(
        call::<GetTokensFromRefreshToken>(&p.url, &exchange(None)).await.unwrap_err().code,
        codes::NOT_AUTHORIZED
    );
    assert!(call::<GetTokensFromRefreshToken>(&p.url, &exchange(Some(&ids.device_key))).await.is_ok());
    // Someone else's device key is not this user's.
    p.user("cy", &[]).await;
    let other = p.password_step("cy", Some(&ids.device_key)).await;
    assert_error(other, codes::RESOURCE_NOT_FOUND, "Device does not exist.");
}

#[tokio::test]
async fn pools_without_device_tracking_hand_out_no_devices() {
    let s = server().await;
    let url = s.url();
    confirmed_user(&url, "dee").await;
    let tokens = login(&url, "dee", PASSWORD).await.unwrap();
    assert!(tokens.new_device_metadata.is_none());
    assert_eq!(device_claim(&tokens), None);
    let refused = raw_call(&url, "ListDevices", &json!({"AccessToken": tokens.access_token})).await;
    assert_eq!(refused.unwrap_err().code, codes::INVALID_PARAMETER);
}
