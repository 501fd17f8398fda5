//! MfaConfiguration ON: a user without MFA gets the MFA_SETUP challenge at sign-in ("MFAS_CAN_SETUP"),
//! and sets up an authenticator app with AssociateSoftwareToken and VerifySoftwareToken taking the
//! sign-in's Session instead of an access token, each answering with a new Session (API reference of
//! both operations and RespondToAuthChallenge).

mod common;

use cognito_core::api::*;
use cognito_core::error::codes;
use cognito_local::totp::{base32_decode, code_at, STEP_SECONDS};
use common::*;
use serde_json::json;

fn code(secret: &str, offset: i64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    code_at(&base32_decode(secret).unwrap(), now / STEP_SECONDS + offset, 6)
}

#[tokio::test]
async fn a_required_second_factor_is_set_up_during_sign_in() {
    let s = server().await;
    let url = s.url();
    let pool = raw_call(
        &url,
        "CreateUserPool",
        &json!({"PoolName": "mfa", "MfaConfiguration": "ON", "AutoVerifiedAttributes": ["email"]}),
    )
    .await
    .unwrap();
    assert_eq!(pool["UserPool"]["MfaConfiguration"], "ON");
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    let pool_name = pool_id.split_once('_').unwrap().1.to_string();
    let client =
        raw_call(&url, "CreateUserPoolClient", &json!({"UserPoolId": pool_id, "ClientName": "web"})).await.unwrap();
    let client = client["UserPoolClient"]["ClientId"].as_str().unwrap().to_string();
    raw_call(
        &url,
        "AdminCreateUser",
        &json!({"UserPoolId": pool_id, "Username": "mo", "TemporaryPassword": PASSWORD, "MessageAction": "SUPPRESS"}),
    )
    .await
    .unwrap();
    // (An administrator-created user: the temporary password is kept, see below.)
    let (first, _) = login_to_pool(&url, &client, &pool_name, "mo", PASSWORD).await.unwrap();
    assert_eq!(first.challenge_name, Some(ChallengeName::NewPasswordRequired));
    let respond = RespondToAuthChallengeRequest::new(
        &client,
        ChallengeName::NewPasswordRequired,
        string_map([("USERNAME", "mo".to_string()), ("NEW_PASSWORD", PASSWORD.to_string())]),
        first.session,
    );
    let setup = call::<RespondToAuthChallenge>(&url, &respond).await.unwrap();
    assert_eq!(setup.challenge_name, Some(ChallengeName::MfaSetup), "also after choosing a password");
    assert_eq!(setup.challenge_parameters["MFAS_CAN_SETUP"], r#"["SOFTWARE_TOKEN_MFA"]"#);

    let associated = call::<AssociateSoftwareToken>(
        &url,
        &AssociateSoftwareTokenRequest { access_token: None, session: setup.session.clone() },
    )
    .await
    .unwrap();
    let secret = associated.secret_code.clone();
    assert_ne!(associated.session, setup.session, "a new session");
    // The old session is spent.
    let again = call::<AssociateSoftwareToken>(
        &url,
        &AssociateSoftwareTokenRequest { access_token: None, session: setup.session.clone() },
    )
    .await;
    assert_eq!(again.unwrap_err().code, codes::NOT_AUTHORIZED);

    let verify = |session: Option<String>, user_code: String| VerifySoftwareTokenRequest {
        access_token: None,
        session,
        user_code,
        friendly_device_name: None,
    };
    let wrong = call::<VerifySoftwareToken>(&url, &verify(associated.session.clone(), code(&secret, 9))).await;
    assert_error(wrong, codes::ENABLE_SOFTWARE_TOKEN_MFA, "Code mismatch");
    let verified =
        call::<VerifySoftwareToken>(&url, &verify(associated.session.clone(), code(&secret, 0))).await.unwrap();
    assert_eq!(verified.status, VerifySoftwareTokenStatus::Success);

    // Answering with a session from before the verification is refused; with the new one, tokens.
    let done = |session: Option<String>| {
        RespondToAuthChallengeRequest::new(
            &client,
            ChallengeName::MfaSetup,
            string_map([("USERNAME", "mo".to_string())]),
            session,
        )
    };
    assert_eq!(
        call::<RespondToAuthChallenge>(&url, &done(associated.session.clone())).await.unwrap_err().code,
        codes::NOT_AUTHORIZED
    );
    let tokens = call::<RespondToAuthChallenge>(&url, &done(verified.session.clone())).await.unwrap();
    let tokens = tokens.authentication_result.expect("signed in");
    let user = get_user(&url, &tokens.access_token).await.unwrap();
    assert_eq!(user.user_mfa_setting_list, Some(vec!["SOFTWARE_TOKEN_MFA".to_string()]));

    // From now on, sign-in asks for the code.
    let (next, _) = login_to_pool(&url, &client, &pool_name, "mo", PASSWORD).await.unwrap();
    assert_eq!(next.challenge_name, Some(ChallengeName::SoftwareTokenMfa));
}

#[tokio::test]
async fn mfa_configuration_takes_only_cognitos_values() {
    let s = server().await;
    let bad = raw_call(&s.url(), "CreateUserPool", &json!({"PoolName": "x", "MfaConfiguration": "SOMETIMES"})).await;
    assert_eq!(bad.unwrap_err().code, codes::INVALID_PARAMETER);
    let default = raw_call(&s.url(), "CreateUserPool", &json!({"PoolName": "y"})).await.unwrap();
    assert_eq!(default["UserPool"]["MfaConfiguration"], "OFF");
}

#[tokio::test]
async fn a_pool_with_mfa_off_offers_no_authenticator_app_and_asks_for_no_code() {
    let s = server().await;
    let url = s.url();
    confirmed_user(&url, "offy").await;
    // Set up while the pool's MFA is OPTIONAL: sign-in then asks for the code.
    let access = login(&url, "offy", PASSWORD).await.unwrap().access_token;
    let secret = call::<AssociateSoftwareToken>(
        &url,
        &AssociateSoftwareTokenRequest { access_token: Some(access.clone()), session: None },
    )
    .await
    .unwrap()
    .secret_code;
    let verify = VerifySoftwareTokenRequest {
        access_token: Some(access.clone()),
        session: None,
        user_code: code(&secret, 0),
        friendly_device_name: None,
    };
    call::<VerifySoftwareToken>(&url, &verify).await.unwrap();
    let prefer = SetUserMfaPreferenceRequest {
        access_token: access.clone(),
        software_token_mfa_settings: Some(MfaSettings { enabled: true, preferred_mfa: true }),
        email_mfa_settings: None,
        ..Default::default()
    };
    call::<SetUserMFAPreference>(&url, &prefer).await.unwrap();
    let asked = login_with(&url, CLIENT_ID, "offy", PASSWORD).await.unwrap();
    assert_eq!(asked.challenge_name, Some(ChallengeName::SoftwareTokenMfa));

    // SetUserPoolMfaConfig: "can't turn off MFA and configure an MFA together" (go-to-k/cdkd#1923).
    let set = |body: serde_json::Value| {
        let url = url.clone();
        async move { raw_call(&url, "SetUserPoolMfaConfig", &body).await }
    };
    assert_error(
        set(json!({"UserPoolId": POOL_ID, "MfaConfiguration": "OFF", "SoftwareTokenMfaConfiguration": {"Enabled": true}}))
            .await,
        codes::INVALID_PARAMETER,
        "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
    );
    let off = set(json!({"UserPoolId": POOL_ID, "MfaConfiguration": "OFF"})).await.unwrap();
    assert_eq!(off["MfaConfiguration"], "OFF");

    // MFA off: signed in without a code; no authenticator app can be set up or turned on
    // (SoftwareTokenMFANotFoundException: "TOTP MFA isn't activated for the user pool", API reference).
    let tokens = login(&url, "offy", PASSWORD).await.expect("no MFA challenge when the pool's MFA is off");
    let associate = call::<AssociateSoftwareToken>(
        &url,
        &AssociateSoftwareTokenRequest { access_token: Some(tokens.access_token.clone()), session: None },
    )
    .await;
    assert_eq!(associate.unwrap_err().code, codes::SOFTWARE_TOKEN_MFA_NOT_FOUND);
    let prefer = SetUserMfaPreferenceRequest { access_token: tokens.access_token, ..prefer };
    assert_eq!(
        call::<SetUserMFAPreference>(&url, &prefer).await.unwrap_err().code,
        codes::SOFTWARE_TOKEN_MFA_NOT_FOUND
    );

    // Back on: "can't disable all MFAs with a required or optional configuration" (anomalyco/sst#5177).
    assert_error(
        set(json!({"UserPoolId": POOL_ID, "MfaConfiguration": "OPTIONAL", "SoftwareTokenMfaConfiguration": {"Enabled": false}}))
            .await,
        codes::INVALID_PARAMETER,
        "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
    );
    set(json!({"UserPoolId": POOL_ID, "MfaConfiguration": "OPTIONAL", "SoftwareTokenMfaConfiguration": {"Enabled": true}}))
        .await
        .unwrap();
    let asked = login_with(&url, CLIENT_ID, "offy", PASSWORD).await.unwrap();
    assert_eq!(asked.challenge_name, Some(ChallengeName::SoftwareTokenMfa), "the user's own setting came back");
    let described = raw_call(&url, "DescribeUserPool", &json!({"UserPoolId": POOL_ID})).await.unwrap();
    assert_eq!(described["UserPool"]["MfaConfiguration"], "OPTIONAL");
}
