//! GetTokensFromRefreshToken and refresh-token rotation, as the Cognito API reference describes them
//! (GetTokensFromRefreshToken, RefreshTokenRotationType, "Refresh tokens" in the developer guide).

mod common;

use cognito_core::api::*;
use cognito_core::error::codes;
use common::*;
use serde_json::json;

async fn rotate(url: &str, client_id: &str, token: &str) -> Result<AuthenticationResult, cognito_core::CognitoError> {
    call::<GetTokensFromRefreshToken>(url, &GetTokensFromRefreshTokenRequest::new(client_id, token))
        .await
        .map(|r| r.authentication_result.expect("tokens"))
}

async fn rotating_sign_in(url: &str, username: &str) -> AuthenticationResult {
    confirmed_user(url, username).await;
    login_with(url, ROTATING_CLIENT_ID, username, PASSWORD).await.unwrap().authentication_result.unwrap()
}

#[tokio::test]
async fn rotation_issues_a_new_refresh_token_each_time_and_the_old_one_lives_only_through_the_grace_period() {
    let s = server().await;
    let first = rotating_sign_in(&s.url(), "rosa").await;
    let r0 = first.refresh_token.unwrap();

    // "When enabled, your app client issues new ID, access, and refresh tokens" (RefreshTokenRotationType).
    let second = rotate(&s.url(), ROTATING_CLIENT_ID, &r0).await.unwrap();
    let r1 = second.refresh_token.clone().expect("a new refresh token");
    assert_ne!(r1, r0);
    assert_eq!(second.expires_in, 3600);
    assert_eq!(get_user(&s.url(), &second.access_token).await.unwrap().username, "rosa");

    // "the original refresh token ... can remain valid for a period of time of up to 60 seconds. This allows
    // for client-side retries" (RetryGracePeriodSeconds).
    let retried = rotate(&s.url(), ROTATING_CLIENT_ID, &r0).await.unwrap();
    assert!(retried.refresh_token.is_some());
    advance_clock(&s.url(), ROTATION_GRACE_SECONDS + 1).await;
    // "This exception is thrown when your application requests token refresh with a refresh token that has
    // been invalidated by refresh-token rotation" (RefreshTokenReuseException).
    let reused = rotate(&s.url(), ROTATING_CLIENT_ID, &r0).await.unwrap_err();
    assert_eq!(reused.code, codes::REFRESH_TOKEN_REUSE);

    // The newest token works, and rotates in turn.
    let third = rotate(&s.url(), ROTATING_CLIENT_ID, &r1).await.unwrap();
    let r2 = third.refresh_token.unwrap();

    // "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh token rotation enabled."
    let flow = call::<InitiateAuth>(&s.url(), &InitiateAuthRequest::refresh(ROTATING_CLIENT_ID, &r2)).await;
    assert_error(flow, codes::INVALID_PARAMETER, "REFRESH_TOKEN_AUTH is not enabled for the client.");

    // Revoking any token of the family ends all of them.
    call::<RevokeToken>(
        &s.url(),
        &RevokeTokenRequest { token: r2.clone(), client_id: ROTATING_CLIENT_ID.into(), client_secret: None },
    )
    .await
    .unwrap();
    for token in [&r1, &r2] {
        assert_error(
            rotate(&s.url(), ROTATING_CLIENT_ID, token).await,
            codes::NOT_AUTHORIZED,
            "Refresh Token has been revoked",
        );
    }
}

#[tokio::test]
async fn rotation_does_not_extend_the_session() {
    // The refresh token validity is "the absolute time limit ... measured from when the user initially
    // authenticates - not from when the token is rotated" (AWS re:Post, "Rotated Refresh Token Validity").
    let s = server().await;
    let mut token = rotating_sign_in(&s.url(), "tess").await.refresh_token.unwrap();
    for _ in 0..3 {
        advance_clock(&s.url(), 1000).await;
        token = rotate(&s.url(), ROTATING_CLIENT_ID, &token).await.unwrap().refresh_token.unwrap();
    }
    advance_clock(&s.url(), 601).await; // 3601 s after signing in
    assert_error(
        rotate(&s.url(), ROTATING_CLIENT_ID, &token).await,
        codes::NOT_AUTHORIZED,
        "Refresh Token has expired",
    );
}

#[tokio::test]
async fn without_rotation_the_operation_refreshes_and_keeps_the_refresh_token() {
    // "If refresh token rotation is disabled, issues new ID and access tokens only."
    let s = server().await;
    confirmed_user(&s.url(), "ugo").await;
    let tokens = login(&s.url(), "ugo", PASSWORD).await.unwrap();
    let token = tokens.refresh_token.unwrap();
    for _ in 0..2 {
        let fresh = rotate(&s.url(), CLIENT_ID, &token).await.unwrap();
        assert_eq!(fresh.refresh_token, None);
        assert_eq!(get_user(&s.url(), &fresh.access_token).await.unwrap().username, "ugo");
    }
    assert_error(rotate(&s.url(), CLIENT_ID, "not-a-token").await, codes::NOT_AUTHORIZED, "Invalid Refresh Token");
    // A token of another client is not valid here.
    assert_error(rotate(&s.url(), ROTATING_CLIENT_ID, &token).await, codes::NOT_AUTHORIZED, "Invalid Refresh Token");
}

#[tokio::test]
async fn clients_are_created_and_described_with_their_rotation_setting() {
    let s = server().await;
    let created = raw_call(
        &s.url(),
        "CreateUserPoolClient",
        &json!({"UserPoolId": POOL_ID, "ClientName": "spa", "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"],
                "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 30}}),
    )
    .await
    .unwrap();
    let id = created["UserPoolClient"]["ClientId"].as_str().unwrap().to_string();
    let described =
        raw_call(&s.url(), "DescribeUserPoolClient", &json!({"UserPoolId": POOL_ID, "ClientId": id})).await.unwrap();
    assert_eq!(
        described["UserPoolClient"]["RefreshTokenRotation"],
        json!({"Feature": "ENABLED", "RetryGracePeriodSeconds": 30})
    );

    // RetryGracePeriodSeconds: "Valid Range: Minimum value of 0. Maximum value of 60."
    let too_long = raw_call(
        &s.url(),
        "CreateUserPoolClient",
        &json!({"UserPoolId": POOL_ID, "ClientName": "x", "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"],
                "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 61}}),
    )
    .await;
    assert_eq!(too_long.unwrap_err().code, codes::INVALID_PARAMETER);
    // Rotation is completed only with GetTokensFromRefreshToken: REFRESH_TOKEN_AUTH cannot be allowed too.
    let both = raw_call(
        &s.url(),
        "CreateUserPoolClient",
        &json!({"UserPoolId": POOL_ID, "ClientName": "x",
                "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                "RefreshTokenRotation": {"Feature": "ENABLED"}}),
    )
    .await;
    assert_eq!(both.unwrap_err().code, codes::INVALID_PARAMETER);
}

#[tokio::test]
async fn with_no_grace_period_a_used_refresh_token_is_refused_at_once() {
    // RetryGracePeriodSeconds 0: nothing to retry with; the old token is refused even within the same
    // second (the server used to accept it until the next second began, hiding a client sending it twice).
    let s = server().await;
    let created = raw_call(
        &s.url(),
        "CreateUserPoolClient",
        &json!({"UserPoolId": POOL_ID, "ClientName": "strict", "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"],
                "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}}),
    )
    .await
    .unwrap();
    let client = created["UserPoolClient"]["ClientId"].as_str().unwrap().to_string();
    confirmed_user(&s.url(), "vera").await;
    let first = login_with(&s.url(), &client, "vera", PASSWORD).await.unwrap().authentication_result.unwrap();
    let r0 = first.refresh_token.unwrap();
    let r1 = rotate(&s.url(), &client, &r0).await.unwrap().refresh_token.unwrap();
    assert_eq!(rotate(&s.url(), &client, &r0).await.unwrap_err().code, codes::REFRESH_TOKEN_REUSE);
    assert!(rotate(&s.url(), &client, &r1).await.is_ok());
}
