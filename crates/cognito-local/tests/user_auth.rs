//! Choice-based sign-in (InitiateAuth `USER_AUTH`, API reference of InitiateAuth and
//! RespondToAuthChallenge; Amplify v6 `client/flows/userAuth/`): the first factors a pool allows
//! (`Policies.SignInPolicy.AllowedFirstAuthFactors`) that the user can use, offered by SELECT_CHALLENGE
//! (`AvailableChallenges`) or taken at once when the client names one (`PREFERRED_CHALLENGE`); a code by
//! email (EMAIL_OTP: eight digits, living as long as the sign-in's session), the password in clear
//! (PASSWORD) or proven with SRP (PASSWORD_SRP → PASSWORD_VERIFIER).

mod common;

use cognito_core::api::*;
use cognito_core::error::codes;
use cognito_core::sign_in::key;
use cognito_core::srp::{answer_password_verifier, ClientEphemeral, PasswordVerifierChallenge};
use cognito_core::timestamp::cognito_timestamp;
use common::*;
use serde_json::{json, Value};

struct Pool {
    url: String,
    pool_id: String,
    client: String,
}

/// A pool allowing `factors` first, and a client with ALLOW_USER_AUTH (or without, `user_auth: false`).
async fn pool(url: &str, factors: &[&str], user_auth: bool) -> Pool {
    let created = raw_call(
        url,
        "CreateUserPool",
        &json!({"PoolName": "passwordless", "AutoVerifiedAttributes": ["email"],
                "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": factors}}}),
    )
    .await
    .unwrap();
    assert_eq!(created["UserPool"]["Policies"]["SignInPolicy"]["AllowedFirstAuthFactors"], json!(factors));
    let pool_id = created["UserPool"]["Id"].as_str().unwrap().to_string();
    let mut flows = vec!["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];
    if user_auth {
        flows.push("ALLOW_USER_AUTH");
    }
    let client = raw_call(
        url,
        "CreateUserPoolClient",
        &json!({"UserPoolId": pool_id, "ClientName": "web", "ExplicitAuthFlows": flows, "PreventUserExistenceErrors": "ENABLED"}),
    )
    .await
    .unwrap();
    let client = client["UserPoolClient"]["ClientId"].as_str().unwrap().to_string();
    Pool { url: url.to_string(), pool_id, client }
}

impl Pool {
    async fn codes(&self, username: &str) -> Value {
        let r = http(&self.url, "GET", &format!("/_local/codes/{}/{username}", self.pool_id), &[], b"").await;
        serde_json::from_str(&r.body).unwrap()
    }

    /// A user signed up and confirmed (the email verified by the code).
    async fn user(&self, username: &str) {
        let mut request = sign_up_request(username, &format!("{username}@example.com"), PASSWORD);
        request.client_id = self.client.clone();
        call::<SignUp>(&self.url, &request).await.unwrap();
        let code = self.codes(username).await["confirmation"].as_str().unwrap().to_string();
        let confirm = ConfirmSignUpRequest {
            client_id: self.client.clone(),
            username: username.into(),
            confirmation_code: code,
            ..Default::default()
        };
        call::<ConfirmSignUp>(&self.url, &confirm).await.unwrap();
    }

    async fn start(
        &self,
        username: &str,
        preferred: Option<ChallengeName>,
        extra: &[(&str, String)],
    ) -> Result<AuthResponse, cognito_core::CognitoError> {
        call::<InitiateAuth>(&self.url, &InitiateAuthRequest::user_auth(&self.client, username, preferred, extra, None))
            .await
    }

    async fn respond(
        &self,
        name: ChallengeName,
        responses: &[(&str, String)],
        session: Option<String>,
    ) -> Result<AuthResponse, cognito_core::CognitoError> {
        let responses = responses.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let request = RespondToAuthChallengeRequest::new(&self.client, name, responses, session);
        call::<RespondToAuthChallenge>(&self.url, &request).await
    }

    fn pool_name(&self) -> &str {
        self.pool_id.split_once('_').unwrap().1
    }
}

fn email_code_of(codes: &Value) -> String {
    codes["signIn"].as_str().expect("a sign-in code").to_string()
}

#[tokio::test]
async fn without_a_preference_the_user_chooses_among_what_they_can_use() {
    let s = server().await;
    let p = pool(&s.url(), &["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"], true).await;
    p.user("ana").await;
    let select = p.start("ana", None, &[]).await.unwrap();
    assert_eq!(select.challenge_name, Some(ChallengeName::SelectChallenge));
    // No passkey registered: WEB_AUTHN is not offered to this user.
    assert_eq!(
        select.available_challenges,
        vec![ChallengeName::Password, ChallengeName::PasswordSrp, ChallengeName::EmailOtp]
    );
    assert!(select.session.is_some());

    // EMAIL_OTP: an eight-digit code, where it went, under the user's name.
    let sent = p
        .respond(
            ChallengeName::SelectChallenge,
            &[(key::USERNAME, "ana".into()), (key::ANSWER, "EMAIL_OTP".into())],
            select.session,
        )
        .await
        .unwrap();
    assert_eq!(sent.challenge_name, Some(ChallengeName::EmailOtp));
    assert_eq!(sent.challenge_parameters[key::CODE_DELIVERY_DELIVERY_MEDIUM], "EMAIL");
    assert_eq!(sent.challenge_parameters[key::CODE_DELIVERY_DESTINATION], "a***@e***");
    let code = email_code_of(&p.codes("ana").await);
    assert!(code.len() == 8 && code.bytes().all(|b| b.is_ascii_digit()), "{code}");

    let wrong = p
        .respond(
            ChallengeName::EmailOtp,
            &[(key::USERNAME, "ana".into()), (key::EMAIL_OTP_CODE, "00000000".into())],
            sent.session.clone(),
        )
        .await;
    assert_error(wrong, codes::CODE_MISMATCH, "Invalid code or auth state for the user.");
    // A wrong code leaves the sign-in open for the right one.
    let done = p
        .respond(
            ChallengeName::EmailOtp,
            &[(key::USERNAME, "ana".into()), (key::EMAIL_OTP_CODE, code.clone())],
            sent.session.clone(),
        )
        .await
        .unwrap();
    let tokens = done.authentication_result.expect("tokens");
    assert!(tokens.refresh_token.is_some());
    assert!(p.codes("ana").await.get("signIn").is_none(), "the code is used up");
    let again = p
        .respond(ChallengeName::EmailOtp, &[(key::USERNAME, "ana".into()), (key::EMAIL_OTP_CODE, code)], sent.session)
        .await;
    assert_error(again, codes::NOT_AUTHORIZED, "Invalid session for the user, session is expired.");
}

#[tokio::test]
async fn a_preferred_factor_starts_at_once_and_each_password_way_works() {
    let s = server().await;
    let p = pool(&s.url(), &["PASSWORD", "EMAIL_OTP"], true).await;
    p.user("bo").await;
    let sent = p.start("bo", Some(ChallengeName::EmailOtp), &[]).await.unwrap();
    assert_eq!(sent.challenge_name, Some(ChallengeName::EmailOtp));
    assert!(sent.available_challenges.is_empty());

    // PASSWORD: the password in clear; a wrong one is refused like any wrong password.
    let wrong = p.start("bo", Some(ChallengeName::Password), &[(key::PASSWORD, "Wrong-pass-1".into())]).await;
    assert_error(wrong, codes::NOT_AUTHORIZED, "Incorrect username or password.");
    let right = p.start("bo", Some(ChallengeName::Password), &[(key::PASSWORD, PASSWORD.into())]).await.unwrap();
    assert!(right.authentication_result.is_some());

    // PASSWORD_SRP chosen after SELECT_CHALLENGE: PASSWORD_VERIFIER, proven as in USER_SRP_AUTH.
    let select = p.start("bo", None, &[]).await.unwrap();
    let ephemeral = ClientEphemeral::generate().unwrap();
    let verifier = p
        .respond(
            ChallengeName::SelectChallenge,
            &[(key::USERNAME, "bo".into()), (key::ANSWER, "PASSWORD_SRP".into()), (key::SRP_A, ephemeral.public_hex())],
            select.session,
        )
        .await
        .unwrap();
    assert_eq!(verifier.challenge_name, Some(ChallengeName::PasswordVerifier));
    let challenge = PasswordVerifierChallenge::from_parameters(&verifier.challenge_parameters).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let answer =
        answer_password_verifier(&ephemeral, p.pool_name(), PASSWORD, &challenge, &cognito_timestamp(now)).unwrap();
    let request = RespondToAuthChallengeRequest::new(
        &p.client,
        ChallengeName::PasswordVerifier,
        answer.into_challenge_responses(),
        verifier.session,
    );
    let done = call::<RespondToAuthChallenge>(&p.url, &request).await.unwrap();
    assert!(done.authentication_result.is_some());

    // A choice the user was not offered is refused.
    let select = p.start("bo", None, &[]).await.unwrap();
    let sms = p
        .respond(
            ChallengeName::SelectChallenge,
            &[(key::USERNAME, "bo".into()), (key::ANSWER, "SMS_OTP".into())],
            select.session,
        )
        .await;
    assert_eq!(sms.unwrap_err().code, codes::INVALID_PARAMETER);
}

#[tokio::test]
async fn sign_in_codes_allow_three_tries_and_end_with_the_session() {
    let s = server().await;
    let p = pool(&s.url(), &["PASSWORD", "EMAIL_OTP"], true).await;
    p.user("cy").await;
    let sent = p.start("cy", Some(ChallengeName::EmailOtp), &[]).await.unwrap();
    let code = email_code_of(&p.codes("cy").await);
    for _ in 0..3 {
        let wrong = p
            .respond(
                ChallengeName::EmailOtp,
                &[(key::USERNAME, "cy".into()), (key::EMAIL_OTP_CODE, "12345678".into())],
                sent.session.clone(),
            )
            .await;
        assert_eq!(wrong.unwrap_err().code, codes::CODE_MISMATCH);
    }
    let late = p
        .respond(ChallengeName::EmailOtp, &[(key::USERNAME, "cy".into()), (key::EMAIL_OTP_CODE, code)], sent.session)
        .await;
    assert_error(late, codes::NOT_AUTHORIZED, "Invalid session for the user, session is expired.");

    // The code lives as long as the sign-in's session (AuthSessionValidity, three minutes).
    let sent = p.start("cy", Some(ChallengeName::EmailOtp), &[]).await.unwrap();
    let code = email_code_of(&p.codes("cy").await);
    advance_clock(&p.url, 181).await;
    assert!(p.codes("cy").await.get("signIn").is_none(), "expired");
    let expired = p
        .respond(ChallengeName::EmailOtp, &[(key::USERNAME, "cy".into()), (key::EMAIL_OTP_CODE, code)], sent.session)
        .await;
    assert_error(expired, codes::NOT_AUTHORIZED, "Invalid session for the user, session is expired.");
}

#[tokio::test]
async fn what_the_pool_the_client_and_the_user_allow() {
    let s = server().await;
    // A client without ALLOW_USER_AUTH.
    let closed = pool(&s.url(), &["PASSWORD", "EMAIL_OTP"], false).await;
    closed.user("di").await;
    assert_eq!(closed.start("di", None, &[]).await.unwrap_err().code, codes::INVALID_PARAMETER);
    // A pool allowing only passwords: a preference for codes falls back to the choice.
    let password_only = pool(&s.url(), &["PASSWORD"], true).await;
    password_only.user("ed").await;
    let select = password_only.start("ed", Some(ChallengeName::EmailOtp), &[]).await.unwrap();
    assert_eq!(select.challenge_name, Some(ChallengeName::SelectChallenge));
    assert_eq!(select.available_challenges, vec![ChallengeName::Password, ChallengeName::PasswordSrp]);
    // A pool must allow PASSWORD, and only known factors.
    for factors in [json!(["EMAIL_OTP"]), json!(["PASSWORD", "CARRIER_PIGEON"])] {
        let refused = raw_call(
            &s.url(),
            "CreateUserPool",
            &json!({"PoolName": "x", "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": factors}}}),
        )
        .await;
        assert_eq!(refused.unwrap_err().code, codes::INVALID_PARAMETER);
    }
    // A user whose email is not verified is not offered codes by email; an unconfirmed one is told so.
    let p = pool(&s.url(), &["PASSWORD", "EMAIL_OTP"], true).await;
    let mut request = sign_up_request("fi", "fi@example.com", PASSWORD);
    request.client_id = p.client.clone();
    call::<SignUp>(&p.url, &request).await.unwrap();
    assert_eq!(p.start("fi", None, &[]).await.unwrap_err().code, codes::USER_NOT_CONFIRMED);
    raw_call(&p.url, "AdminConfirmSignUp", &json!({"UserPoolId": p.pool_id, "Username": "fi"})).await.unwrap();
    let select = p.start("fi", None, &[]).await.unwrap();
    assert_eq!(select.available_challenges, vec![ChallengeName::Password, ChallengeName::PasswordSrp]);
    // Someone who does not exist is not revealed: the same choice, and nothing gets in.
    let nobody = p.start("nobody", None, &[]).await.unwrap();
    assert_eq!(nobody.challenge_name, Some(ChallengeName::SelectChallenge));
    let sent = p
        .respond(
            ChallengeName::SelectChallenge,
            &[(key::USERNAME, "nobody".into()), (key::ANSWER, "EMAIL_OTP".into())],
            nobody.session,
        )
        .await
        .unwrap();
    assert_eq!(sent.challenge_name, Some(ChallengeName::EmailOtp));
    let never = p
        .respond(
            ChallengeName::EmailOtp,
            &[(key::USERNAME, "nobody".into()), (key::EMAIL_OTP_CODE, "00000000".into())],
            sent.session,
        )
        .await;
    assert_eq!(never.unwrap_err().code, codes::CODE_MISMATCH);
}

#[tokio::test]
async fn confirming_the_sign_up_signs_the_new_user_in_with_its_session() {
    let s = server().await;
    let p = pool(&s.url(), &["PASSWORD", "EMAIL_OTP"], true).await;
    let mut request = sign_up_request("gil", "gil@example.com", PASSWORD);
    request.client_id = p.client.clone();
    call::<SignUp>(&p.url, &request).await.unwrap();
    let code = p.codes("gil").await["confirmation"].as_str().unwrap().to_string();
    let confirm = ConfirmSignUpRequest {
        client_id: p.client.clone(),
        username: "gil".into(),
        confirmation_code: code,
        ..Default::default()
    };
    let confirmed = call::<ConfirmSignUp>(&p.url, &confirm).await.unwrap();
    let session = confirmed.session.expect("a Session to sign in with");
    // Someone else's name with the session: refused, and the session is spent.
    let start = |name: &str, session: &str| {
        InitiateAuthRequest::user_auth(&p.client, name, None, &[], Some(session.to_string()))
    };
    let other = call::<InitiateAuth>(&p.url, &start("someone", &session)).await;
    assert_error(other, codes::NOT_AUTHORIZED, "Invalid session for the user, session is expired.");
    // A fresh confirmation's session signs the user in with no factor asked again.
    let mut request = sign_up_request("hal", "hal@example.com", PASSWORD);
    request.client_id = p.client.clone();
    call::<SignUp>(&p.url, &request).await.unwrap();
    let code = p.codes("hal").await["confirmation"].as_str().unwrap().to_string();
    let confirm = ConfirmSignUpRequest { username: "hal".into(), confirmation_code: code, ..confirm };
    let session = call::<ConfirmSignUp>(&p.url, &confirm).await.unwrap().session.unwrap();
    let signed_in = call::<InitiateAuth>(&p.url, &start("hal", &session)).await.unwrap();
    let tokens = signed_in.authentication_result.expect("tokens at once");
    assert_eq!(get_user_at(&p.url, &tokens.access_token).await.username, "hal");
    let again = call::<InitiateAuth>(&p.url, &start("hal", &session)).await;
    assert_error(again, codes::NOT_AUTHORIZED, "Invalid session for the user, session is expired.");

    // A client without choice-based sign-in gets no Session.
    let closed = pool(&s.url(), &["PASSWORD"], false).await;
    let mut request = sign_up_request("ivy", "ivy@example.com", PASSWORD);
    request.client_id = closed.client.clone();
    call::<SignUp>(&closed.url, &request).await.unwrap();
    let code = closed.codes("ivy").await["confirmation"].as_str().unwrap().to_string();
    let confirm = ConfirmSignUpRequest {
        client_id: closed.client.clone(),
        username: "ivy".into(),
        confirmation_code: code,
        ..Default::default()
    };
    assert_eq!(call::<ConfirmSignUp>(&closed.url, &confirm).await.unwrap().session, None);
}

async fn get_user_at(url: &str, access_token: &str) -> GetUserResponse {
    call::<GetUser>(url, &AccessTokenRequest { access_token: access_token.into() }).await.unwrap()
}

#[tokio::test]
async fn a_user_may_sign_up_without_a_password_where_codes_sign_them_in() {
    let s = server().await;
    let p = pool(&s.url(), &["PASSWORD", "EMAIL_OTP"], true).await;
    let mut request = sign_up_request("jo", "jo@example.com", "");
    request.client_id = p.client.clone();
    request.password = None;
    let signed_up = call::<SignUp>(&p.url, &request).await.unwrap();
    assert!(!signed_up.user_confirmed);
    let code = p.codes("jo").await["confirmation"].as_str().unwrap().to_string();
    let confirm = ConfirmSignUpRequest {
        client_id: p.client.clone(),
        username: "jo".into(),
        confirmation_code: code,
        ..Default::default()
    };
    call::<ConfirmSignUp>(&p.url, &confirm).await.unwrap();
    // Only the code is offered: the user has no password.
    let select = p.start("jo", None, &[]).await.unwrap();
    assert_eq!(select.available_challenges, vec![ChallengeName::EmailOtp]);
    let sent = p.start("jo", Some(ChallengeName::EmailOtp), &[]).await.unwrap();
    let code = email_code_of(&p.codes("jo").await);
    let tokens = p
        .respond(ChallengeName::EmailOtp, &[(key::USERNAME, "jo".into()), (key::EMAIL_OTP_CODE, code)], sent.session)
        .await
        .unwrap();
    assert!(tokens.authentication_result.is_some());
    // SRP with any password fails as a wrong password does, never as a server error.
    let ephemeral = ClientEphemeral::generate().unwrap();
    let srp = InitiateAuthRequest::user_srp(&p.client, "jo", ephemeral.public_hex());
    let challenge = call::<InitiateAuth>(&p.url, &srp).await.unwrap();
    let parsed = PasswordVerifierChallenge::from_parameters(&challenge.challenge_parameters).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let answer = answer_password_verifier(&ephemeral, p.pool_name(), "Guess-1234", &parsed, &cognito_timestamp(now));
    let request = RespondToAuthChallengeRequest::new(
        &p.client,
        ChallengeName::PasswordVerifier,
        answer.unwrap().into_challenge_responses(),
        challenge.session,
    );
    let refused = call::<RespondToAuthChallenge>(&p.url, &request).await;
    assert_error(refused, codes::NOT_AUTHORIZED, "Incorrect username or password.");

    // A blank password is no password; a pool with no code factor, or a client without choice-based
    // sign-in, still requires one.
    for (factors, user_auth) in [(&["PASSWORD", "WEB_AUTHN"][..], true), (&["PASSWORD", "EMAIL_OTP"][..], false)] {
        let other = pool(&s.url(), factors, user_auth).await;
        let mut request = sign_up_request("kim", "kim@example.com", "");
        request.client_id = other.client.clone();
        let refused = call::<SignUp>(&other.url, &request).await;
        assert_eq!(refused.unwrap_err().code, codes::INVALID_PARAMETER, "{factors:?} {user_auth}");
    }
}
