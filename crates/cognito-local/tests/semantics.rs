//! Where the local server must be exactly as strict as Cognito, so that what works locally works on a
//! real pool. Each test names the documented (or long-observed) behaviour it checks.

mod common;

use cognito_core::api::*;
use cognito_core::error::codes;
use common::*;
use serde_json::json;

const NOBODY: &str = "nobody-at-all";

#[tokio::test]
async fn an_unconfirmed_user_is_told_so_whatever_the_password_and_wrong_ones_do_not_count() {
    // "this is the intended behavior ... if the user is not confirmed they do not want
    // NotAuthorizedException" (AWS, amazon-cognito-identity-js#288; still so in aws-sdk-js#4608, 2024).
    let s = server().await;
    call::<SignUp>(&s.url(), &sign_up_request("una", "una@example.com", PASSWORD)).await.unwrap();
    for _ in 0..7 {
        assert_error(
            login(&s.url(), "una", "Wrong-Password-1").await,
            codes::USER_NOT_CONFIRMED,
            "User is not confirmed.",
        );
    }
    assert_error(login(&s.url(), "una", PASSWORD).await, codes::USER_NOT_CONFIRMED, "User is not confirmed.");
    let code = codes(&s.url(), "una").await["confirmation"].as_str().unwrap().to_string();
    let confirm = ConfirmSignUpRequest {
        client_id: CLIENT_ID.into(),
        username: "una".into(),
        confirmation_code: code,
        ..Default::default()
    };
    call::<ConfirmSignUp>(&s.url(), &confirm).await.unwrap();
    login(&s.url(), "una", PASSWORD).await.expect("no lockout from the attempts before confirming");
}

#[tokio::test]
async fn prevent_user_existence_errors_covers_confirmation_and_password_recovery() {
    // "Account confirmation and password recovery return a response indicating a code was sent to a
    // simulated destination. When set to LEGACY, those APIs return a UserNotFoundException"
    // (UserPoolClientType.PreventUserExistenceErrors).
    let s = server().await;
    let url = s.url();
    let resend = |client: &str| ResendConfirmationCodeRequest {
        client_id: client.into(),
        username: NOBODY.into(),
        client_metadata: None,
    };
    let simulated = call::<ResendConfirmationCode>(&url, &resend(CLIENT_ID)).await.unwrap();
    assert_eq!(simulated.code_delivery_details.unwrap().delivery_medium.as_deref(), Some("EMAIL"));
    assert_eq!(
        call::<ResendConfirmationCode>(&url, &resend(LEGACY_CLIENT_ID)).await.unwrap_err().code,
        codes::USER_NOT_FOUND
    );

    let confirm = |client: &str| ConfirmSignUpRequest {
        client_id: client.into(),
        username: NOBODY.into(),
        confirmation_code: "123456".into(),
        ..Default::default()
    };
    assert_eq!(call::<ConfirmSignUp>(&url, &confirm(CLIENT_ID)).await.unwrap_err().code, codes::CODE_MISMATCH);
    assert_eq!(call::<ConfirmSignUp>(&url, &confirm(LEGACY_CLIENT_ID)).await.unwrap_err().code, codes::USER_NOT_FOUND);

    let reset = |client: &str| ConfirmForgotPasswordRequest {
        client_id: client.into(),
        username: NOBODY.into(),
        confirmation_code: "123456".into(),
        password: "Another-Pass-1".into(),
        client_metadata: None,
    };
    assert_eq!(call::<ConfirmForgotPassword>(&url, &reset(CLIENT_ID)).await.unwrap_err().code, codes::CODE_MISMATCH);
    assert_eq!(
        call::<ConfirmForgotPassword>(&url, &reset(LEGACY_CLIENT_ID)).await.unwrap_err().code,
        codes::USER_NOT_FOUND
    );

    // Password recovery for a disabled user or one without a verified email: the same simulated answer.
    call::<SignUp>(&url, &sign_up_request("unverified", "unverified@example.com", PASSWORD)).await.unwrap();
    confirmed_user(&url, "disabled").await;
    raw_call(&url, "AdminDisableUser", &json!({"UserPoolId": POOL_ID, "Username": "disabled"})).await.unwrap();
    for who in ["unverified", "disabled", NOBODY] {
        let forgot = |client: &str| ForgotPasswordRequest {
            client_id: client.into(),
            username: who.into(),
            client_metadata: None,
        };
        let answer = call::<ForgotPassword>(&url, &forgot(CLIENT_ID)).await.unwrap();
        assert!(answer.code_delivery_details.is_some(), "{who}");
        if who != NOBODY {
            assert!(codes(&url, who).await.get("forgotPassword").is_none_or(|c| c.is_null()), "no code sent to {who}");
        }
        assert!(call::<ForgotPassword>(&url, &forgot(LEGACY_CLIENT_ID)).await.is_err(), "{who} (legacy client)");
    }
}

#[tokio::test]
async fn an_administrator_created_user_cannot_reset_a_password_they_never_chose() {
    let s = server().await;
    raw_call(
        &s.url(),
        "AdminCreateUser",
        &json!({"UserPoolId": POOL_ID, "Username": "fresh", "TemporaryPassword": "Temp-Pass-11",
                "MessageAction": "SUPPRESS",
                "UserAttributes": [{"Name": "email", "Value": "fresh@example.com"}, {"Name": "email_verified", "Value": "true"},
                                   {"Name": "name", "Value": "Fresh"}]}),
    )
    .await
    .unwrap();
    let forgot = ForgotPasswordRequest { client_id: CLIENT_ID.into(), username: "fresh".into(), client_metadata: None };
    assert_error(
        call::<ForgotPassword>(&s.url(), &forgot).await,
        codes::NOT_AUTHORIZED,
        "User password cannot be reset in the current state.",
    );
}

#[tokio::test]
async fn disabling_a_user_revokes_their_tokens_for_good() {
    // AdminDisableUser "deactivates a user and revokes all access tokens for the user" (API reference).
    let s = server().await;
    confirmed_user(&s.url(), "dora").await;
    let tokens = login(&s.url(), "dora", PASSWORD).await.unwrap();
    for op in ["AdminDisableUser", "AdminEnableUser"] {
        raw_call(&s.url(), op, &json!({"UserPoolId": POOL_ID, "Username": "dora"})).await.unwrap();
    }
    assert_eq!(get_user(&s.url(), &tokens.access_token).await.unwrap_err().code, codes::NOT_AUTHORIZED);
    assert_error(
        refresh(&s.url(), tokens.refresh_token.as_deref().unwrap()).await,
        codes::NOT_AUTHORIZED,
        "Refresh Token has been revoked",
    );
    login(&s.url(), "dora", PASSWORD).await.expect("enabled again, the user signs in anew");
}

#[tokio::test]
async fn token_answers_carry_empty_challenge_parameters_except_get_tokens_from_refresh_token() {
    let s = server().await;
    confirmed_user(&s.url(), "cora").await;
    let respond = password_verifier_answer(&s.url(), CLIENT_ID, "cora", PASSWORD).await.unwrap();
    let signed_in =
        raw_call(&s.url(), "RespondToAuthChallenge", &serde_json::to_value(respond).unwrap()).await.unwrap();
    assert_eq!(signed_in["ChallengeParameters"], json!({}));
    let token = signed_in["AuthenticationResult"]["RefreshToken"].as_str().unwrap().to_string();
    let refreshed = raw_call(
        &s.url(),
        "InitiateAuth",
        &json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": CLIENT_ID, "AuthParameters": {"REFRESH_TOKEN": token}}),
    )
    .await
    .unwrap();
    assert_eq!(refreshed["ChallengeParameters"], json!({}));
    let fresh = raw_call(&s.url(), "GetTokensFromRefreshToken", &json!({"ClientId": CLIENT_ID, "RefreshToken": token}))
        .await
        .unwrap();
    assert_eq!(fresh.as_object().unwrap().keys().collect::<Vec<_>>(), ["AuthenticationResult"]);
}

#[tokio::test]
async fn a_timestamp_not_in_cognitos_exact_shape_is_a_wrong_password() {
    // The reference clients write `EEE MMM d HH:mm:ss UTC yyyy` with the day not zero-padded
    // (amazon-cognito-identity-js getNowString); Cognito refuses other shapes.
    let s = server().await;
    confirmed_user(&s.url(), "tim").await;
    for stamp in ["Mon Jan 05 09:03:07 UTC 2026", "Tue Jan 5 09:03:07 UTC 2026"] {
        let answer = password_verifier_answer_at(&s.url(), CLIENT_ID, "tim", PASSWORD, stamp).await.unwrap();
        assert_error(
            call::<RespondToAuthChallenge>(&s.url(), &answer).await,
            codes::NOT_AUTHORIZED,
            "Incorrect username or password.",
        );
    }
    let right =
        password_verifier_answer_at(&s.url(), CLIENT_ID, "tim", PASSWORD, "Mon Jan 5 09:03:07 UTC 2026").await.unwrap();
    assert!(call::<RespondToAuthChallenge>(&s.url(), &right).await.unwrap().authentication_result.is_some());
}

#[tokio::test]
async fn id_and_access_tokens_are_signed_with_two_keys_both_in_the_jwks() {
    // A user pool's JWKS holds two keys; id tokens name one `kid`, access tokens the other (Cognito's
    // "Verifying a JSON Web Token": "the key ID in the token header ... matches one of the keys").
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    let s = server().await;
    confirmed_user(&s.url(), "kit").await;
    let tokens = login(&s.url(), "kit", PASSWORD).await.unwrap();
    let kid = |token: &str| -> String {
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(token.split('.').next().unwrap()).unwrap()).unwrap();
        header["kid"].as_str().unwrap().to_string()
    };
    let (id_kid, access_kid) = (kid(&tokens.id_token), kid(&tokens.access_token));
    assert_ne!(id_kid, access_kid);
    let jwks: serde_json::Value =
        serde_json::from_str(&http(&s.url(), "GET", &format!("/{POOL_ID}/.well-known/jwks.json"), &[], b"").await.body)
            .unwrap();
    let kids: Vec<&str> = jwks["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap()).collect();
    assert_eq!(kids, [id_kid.as_str(), access_kid.as_str()]);
    // Each key signs only its kind: the access token works as one, and the id token does not.
    get_user(&s.url(), &tokens.access_token).await.unwrap();
    assert_eq!(get_user(&s.url(), &tokens.id_token).await.unwrap_err().code, codes::NOT_AUTHORIZED);
}

#[tokio::test]
async fn guessing_the_previous_password_in_change_password_is_limited() {
    // ChangePassword with wrong previous passwords: "LimitExceededException: Attempt limit exceeded, please
    // try after some time." (aws-sdk-android#627, reapit/foundations#2294); the counts are not published.
    let s = server().await;
    let url = &s.url();
    confirmed_user(url, "changer").await;
    let access = login(url, "changer", PASSWORD).await.unwrap().access_token;
    let change = |old: &str| ChangePasswordRequest {
        access_token: access.clone(),
        previous_password: old.into(),
        proposed_password: "Other-Pass-1".into(),
    };
    for _ in 0..5 {
        assert_error(
            call::<ChangePassword>(url, &change("Wrong-Pass-1")).await,
            codes::NOT_AUTHORIZED,
            "Incorrect username or password.",
        );
    }
    // Counted like sign-ins: locked 1, 2 and 4 seconds after the fifth, sixth and seventh; 8 after this one.
    for seconds in [1, 2, 4] {
        advance_clock(url, seconds).await;
        assert!(call::<ChangePassword>(url, &change("Wrong-Pass-1")).await.is_err());
    }
    assert_error(
        call::<ChangePassword>(url, &change(PASSWORD)).await,
        codes::LIMIT_EXCEEDED,
        "Attempt limit exceeded, please try after some time.",
    );
    advance_clock(url, 8).await;
    call::<ChangePassword>(url, &change(PASSWORD)).await.expect("allowed again once the lockout has passed");
}
