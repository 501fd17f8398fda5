//! Every second factor (API reference of SetUserPoolMfaConfig, GetUserPoolMfaConfig,
//! SetUserMFAPreference, RespondToAuthChallenge; Amplify v6's `signInHelpers`): a code by SMS (SMS_MFA),
//! by email (EMAIL_OTP), or an authenticator app; SELECT_MFA_TYPE when a user has several and prefers
//! none; MFA_SETUP offering what the pool has, email set up right in the sign-in.

mod common;

use std::collections::BTreeMap;

use cognito_core::api::*;
use cognito_core::error::codes;
use cognito_core::sign_in::key;
use common::*;
use serde_json::{json, Value};

/// A pool with MFA `configuration` and every kind of second factor.
async fn pool(url: &str, configuration: &str) -> TestPool {
    let created = raw_call(
        url,
        "CreateUserPool",
        &json!({"PoolName": "mfa-kinds", "AutoVerifiedAttributes": ["email"], "MfaConfiguration": configuration}),
    )
    .await
    .unwrap();
    let id = created["UserPool"]["Id"].as_str().unwrap().to_string();
    let config = raw_call(
        url,
        "SetUserPoolMfaConfig",
        &json!({"UserPoolId": id, "MfaConfiguration": configuration,
                "SoftwareTokenMfaConfiguration": {"Enabled": true},
                "SmsMfaConfiguration": {"SmsAuthenticationMessage": "Your code is {####}"},
                "EmailMfaConfiguration": {"Message": "Your code is {####}", "Subject": "Code"}}),
    )
    .await
    .unwrap();
    assert_eq!(config["SoftwareTokenMfaConfiguration"]["Enabled"], true);
    let read = raw_call(url, "GetUserPoolMfaConfig", &json!({"UserPoolId": id})).await.unwrap();
    assert_eq!(read, config, "GetUserPoolMfaConfig says what was set");
    assert!(read.get("SmsMfaConfiguration").is_some() && read.get("EmailMfaConfiguration").is_some());
    TestPool::with_client(url, id).await
}

/// The calls these tests make, in their words.
impl TestPool {
    /// A confirmed user with an email and a phone number.
    async fn person(&self, username: &str) {
        self.user(username, &[("phone_number", "+15555550123")]).await;
    }

    async fn first_step(&self, username: &str) -> AuthResponse {
        self.password_step(username, None).await.unwrap()
    }

    async fn answer(
        &self,
        name: ChallengeName,
        pairs: &[(&str, &str)],
        session: Option<String>,
    ) -> Result<AuthResponse, cognito_core::CognitoError> {
        let responses: BTreeMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self.respond(name, responses, session).await
    }

    async fn tokens(&self, username: &str) -> AuthenticationResult {
        self.first_step(username).await.authentication_result.expect("tokens: no MFA yet")
    }

    async fn prefer(&self, access_token: &str, settings: Value) -> Result<Value, cognito_core::CognitoError> {
        let mut body = settings;
        body["AccessToken"] = json!(access_token);
        raw_call(&self.url, "SetUserMFAPreference", &body).await
    }

    async fn sign_in_code(&self, username: &str) -> String {
        self.codes(username).await["signIn"].as_str().expect("a code").to_string()
    }
}

#[tokio::test]
async fn codes_by_sms_and_by_email_and_the_choice_between_them() {
    let s = server().await;
    let p = pool(&s.url(), "OPTIONAL").await;
    p.person("ana").await;
    let tokens = p.tokens("ana").await;
    p.prefer(&tokens.access_token, json!({"SMSMfaSettings": {"Enabled": true, "PreferredMfa": true}})).await.unwrap();
    let user = get_user(&p.url, &tokens.access_token).await.unwrap();
    assert_eq!(user.user_mfa_setting_list, Some(vec!["SMS_MFA".to_string()]));
    assert_eq!(user.preferred_mfa_setting.as_deref(), Some("SMS_MFA"));

    // SMS_MFA: six digits to the masked phone number; a wrong code can be corrected.
    let sms = p.first_step("ana").await;
    assert_eq!(sms.challenge_name, Some(ChallengeName::SmsMfa));
    assert_eq!(sms.challenge_parameters[key::CODE_DELIVERY_DELIVERY_MEDIUM], "SMS");
    assert_eq!(sms.challenge_parameters[key::CODE_DELIVERY_DESTINATION], "+*******0123");
    let code = p.sign_in_code("ana").await;
    assert_eq!(code.len(), 6);
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let refused =
        p.answer(ChallengeName::SmsMfa, &[("USERNAME", "ana"), ("SMS_MFA_CODE", wrong)], sms.session.clone()).await;
    assert_error(refused, codes::CODE_MISMATCH, "Invalid code received for user");
    let done =
        p.answer(ChallengeName::SmsMfa, &[("USERNAME", "ana"), ("SMS_MFA_CODE", &code)], sms.session.clone()).await;
    assert!(done.unwrap().authentication_result.is_some());
    // The code, once used, signs nobody in again: not in this sign-in, not in the next.
    let reused = p.answer(ChallengeName::SmsMfa, &[("USERNAME", "ana"), ("SMS_MFA_CODE", &code)], sms.session).await;
    assert_eq!(reused.unwrap_err().code, codes::NOT_AUTHORIZED);
    let next = p.first_step("ana").await;
    let fresh = p.sign_in_code("ana").await;
    if fresh != code {
        let old = p.answer(ChallengeName::SmsMfa, &[("USERNAME", "ana"), ("SMS_MFA_CODE", &code)], next.session).await;
        assert_error(old, codes::CODE_MISMATCH, "Invalid code received for user");
    }

    // Email too, neither preferred: the user chooses (SELECT_MFA_TYPE), then the code by email.
    p.prefer(
        &tokens.access_token,
        json!({"SMSMfaSettings": {"Enabled": true, "PreferredMfa": false}, "EmailMfaSettings": {"Enabled": true}}),
    )
    .await
    .unwrap();
    let user = get_user(&p.url, &tokens.access_token).await.unwrap();
    assert_eq!(user.user_mfa_setting_list, Some(vec!["SMS_MFA".to_string(), "EMAIL_OTP".to_string()]));
    assert_eq!(user.preferred_mfa_setting, None);
    let select = p.first_step("ana").await;
    assert_eq!(select.challenge_name, Some(ChallengeName::SelectMfaType));
    assert_eq!(select.challenge_parameters[key::MFAS_CAN_CHOOSE], r#"["SMS_MFA","EMAIL_OTP"]"#);
    let not_offered = p
        .answer(ChallengeName::SelectMfaType, &[("USERNAME", "ana"), ("ANSWER", "SOFTWARE_TOKEN_MFA")], select.session)
        .await;
    assert_eq!(not_offered.unwrap_err().code, codes::INVALID_PARAMETER);
    let select = p.first_step("ana").await;
    let email = p
        .answer(ChallengeName::SelectMfaType, &[("USERNAME", "ana"), ("ANSWER", "EMAIL_OTP")], select.session)
        .await
        .unwrap();
    assert_eq!(email.challenge_name, Some(ChallengeName::EmailOtp));
    assert_eq!(email.challenge_parameters[key::CODE_DELIVERY_DESTINATION], "a***@e***");
    let code = p.sign_in_code("ana").await;
    assert_eq!(code.len(), 8);
    let done =
        p.answer(ChallengeName::EmailOtp, &[("USERNAME", "ana"), ("EMAIL_OTP_CODE", &code)], email.session).await;
    assert!(done.unwrap().authentication_result.is_some());
}

#[tokio::test]
async fn each_kind_needs_what_it_sends_to_and_the_pool_offering_it() {
    let s = server().await;
    let url = s.url();
    // The test pool offers an authenticator app only.
    confirmed_user(&url, "bo").await;
    let tokens = login(&url, "bo", PASSWORD).await.unwrap();
    let refused = raw_call(
        &url,
        "SetUserMFAPreference",
        &json!({"AccessToken": tokens.access_token, "SMSMfaSettings": {"Enabled": true}}),
    )
    .await;
    assert_eq!(refused.unwrap_err().code, codes::INVALID_PARAMETER);
    let refused = raw_call(
        &url,
        "SetUserMFAPreference",
        &json!({"AccessToken": tokens.access_token, "EmailMfaSettings": {"Enabled": true}}),
    )
    .await;
    assert_eq!(refused.unwrap_err().code, codes::INVALID_PARAMETER);
    // A pool offering SMS, and a user with no phone number.
    let p = pool(&url, "OPTIONAL").await;
    let mut request = sign_up_request("cy", "cy@example.com", PASSWORD);
    request.client_id = p.client.clone();
    call::<SignUp>(&p.url, &request).await.unwrap();
    let confirm = ConfirmSignUpRequest {
        client_id: p.client.clone(),
        username: "cy".into(),
        confirmation_code: p.codes("cy").await["confirmation"].as_str().unwrap().into(),
        ..Default::default()
    };
    call::<ConfirmSignUp>(&p.url, &confirm).await.unwrap();
    let tokens = p.tokens("cy").await;
    let refused = p.prefer(&tokens.access_token, json!({"SMSMfaSettings": {"Enabled": true}})).await;
    assert_error(refused, codes::INVALID_PARAMETER, "User does not have delivery config set to turn on SMS_MFA");
    // Turning a kind on with MFA off, and off with it on, are refused in Cognito's words.
    let off = raw_call(
        &url,
        "SetUserPoolMfaConfig",
        &json!({"UserPoolId": p.id, "MfaConfiguration": "OFF", "SmsMfaConfiguration": {}}),
    )
    .await;
    assert_error(
        off,
        codes::INVALID_PARAMETER,
        "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
    );
}

#[tokio::test]
async fn a_required_second_factor_can_be_set_up_by_email_during_sign_in() {
    let s = server().await;
    let p = pool(&s.url(), "ON").await;
    p.person("di").await;
    let setup = p.first_step("di").await;
    assert_eq!(setup.challenge_name, Some(ChallengeName::MfaSetup));
    assert_eq!(setup.challenge_parameters[key::MFAS_CAN_SETUP], r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#);
    // Amplify's way: MFA_SETUP answered with the address; the code goes there.
    let email = p
        .answer(ChallengeName::MfaSetup, &[("USERNAME", "di"), ("EMAIL", "di.mfa@example.com")], setup.session)
        .await
        .unwrap();
    assert_eq!(email.challenge_name, Some(ChallengeName::EmailOtp));
    assert_eq!(email.challenge_parameters[key::CODE_DELIVERY_DESTINATION], "d***@e***");
    let code = p.sign_in_code("di").await;
    let wrong = p
        .answer(ChallengeName::EmailOtp, &[("USERNAME", "di"), ("EMAIL_OTP_CODE", "12345678x")], email.session.clone())
        .await;
    assert_error(wrong, codes::CODE_MISMATCH, "Invalid code received for user");
    let done = p
        .answer(ChallengeName::EmailOtp, &[("USERNAME", "di"), ("EMAIL_OTP_CODE", &code)], email.session)
        .await
        .unwrap();
    let tokens = done.authentication_result.expect("signed in");
    let user = get_user(&p.url, &tokens.access_token).await.unwrap();
    assert_eq!(user.user_mfa_setting_list, Some(vec!["EMAIL_OTP".to_string()]));
    assert_eq!(attribute(&user.user_attributes, "email"), Some("di.mfa@example.com"));
    // From now on the code by email is asked for.
    let next = p.first_step("di").await;
    assert_eq!(next.challenge_name, Some(ChallengeName::EmailOtp));
}
