//! cognito-local over HTTP, driven by cognito-core: each test starts its own server on a free port.

mod common;

use cognito_core::api::*;
use cognito_core::error::codes;
use cognito_core::json::Json;
use cognito_core::jwt::decode_payload;
use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn sign_up_confirm_login_and_read_the_profile() {
    let s = server().await;
    let url = &s.url();
    let signed = call::<SignUp>(url, &sign_up_request("alice", "alice@example.com", PASSWORD)).await.unwrap();
    assert!(!signed.user_confirmed);
    let delivery = signed.code_delivery_details.unwrap();
    assert_eq!(delivery.destination.as_deref(), Some("a***@e***"));
    assert_eq!(delivery.delivery_medium.as_deref(), Some("EMAIL"));

    let code = codes(url, "alice").await;
    assert_eq!(code.as_object().unwrap().len(), 1, "only the confirmation code exists: {code}");
    let confirm = ConfirmSignUpRequest {
        client_id: CLIENT_ID.into(),
        username: "ALICE".into(), // usernames are case-insensitive
        confirmation_code: code["confirmation"].as_str().unwrap().into(),
        ..Default::default()
    };
    call::<ConfirmSignUp>(url, &confirm).await.unwrap();
    assert_eq!(codes(url, "alice").await, json!({}));

    let tokens = login(url, "alice", PASSWORD).await.unwrap();
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.expires_in, 300);
    let id = decode_payload(&tokens.id_token).unwrap();
    let access = decode_payload(&tokens.access_token).unwrap();
    assert_eq!(id.token_use(), Some("id"));
    assert_eq!(id.str("aud"), Some(CLIENT_ID));
    assert_eq!(id.str("iss"), Some(format!("{url}/{POOL_ID}").as_str()));
    assert_eq!(id.str("cognito:username"), Some("alice"));
    assert_eq!(id.str("email"), Some("alice@example.com"));
    assert_eq!(id.str("name"), Some("Test User"));
    assert_eq!(id.all().get("email_verified"), Some(&Json::Bool(true)), "ConfirmSignUp verifies the email");
    assert_eq!(id.sub(), Some(signed.user_sub.as_str()));
    assert_eq!(id.exp() - id.iat(), 300);
    assert_eq!(access.token_use(), Some("access"));
    assert_eq!(access.client_id(), Some(CLIENT_ID));
    assert_eq!(access.str("scope"), Some("aws.cognito.signin.user.admin"));
    for claims in [&id, &access] {
        assert!(claims.origin_jti().is_some() && claims.str("event_id").is_some() && claims.str("jti").is_some());
        assert!(claims.str("auth_time").is_none() && claims.all().get("auth_time").and_then(Json::as_i64).is_some());
    }
    assert_eq!(id.origin_jti(), access.origin_jti());
    assert!(tokens.refresh_token.as_deref().is_some_and(|t| t.len() > 100));

    let user = get_user(url, &tokens.access_token).await.unwrap();
    assert_eq!(user.username, "alice");
    assert_eq!(attribute(&user.user_attributes, "email_verified"), Some("true"));
    assert_eq!(attribute(&user.user_attributes, "sub"), Some(signed.user_sub.as_str()));
}

#[tokio::test]
async fn tokens_are_signed_by_the_published_key() {
    let s = server().await;
    let url = &s.url();
    confirmed_user(url, "jwks").await;
    let tokens = login(url, "jwks", PASSWORD).await.unwrap();
    let r = http(url, "GET", &format!("/{POOL_ID}/.well-known/jwks.json"), &[], b"").await;
    assert_eq!(r.status, 200);
    let jwks: Value = serde_json::from_str(&r.body).unwrap();
    let header: Value = {
        use base64::Engine as _;
        let h = tokens.id_token.split('.').next().unwrap();
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(h).unwrap()).unwrap()
    };
    assert_eq!(header["alg"], "RS256");
    assert_eq!(jwks["keys"][0]["kid"], header["kid"]);
    assert_eq!(jwks["keys"][0]["kty"], "RSA");
    let pool = s.service.model().pools[POOL_ID].clone();
    assert!(s.service.pool_keys(&pool).id.verify(&tokens.id_token));
    assert!(s.service.pool_keys(&pool).access.verify(&tokens.access_token));

    let r = http(url, "GET", &format!("/{POOL_ID}/.well-known/openid-configuration"), &[], b"").await;
    let config: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(config["issuer"], format!("{url}/{POOL_ID}"));
    assert_eq!(config["jwks_uri"], format!("{url}/{POOL_ID}/.well-known/jwks.json"));
    assert_eq!(http(url, "GET", "/us-east-1_Nope/.well-known/jwks.json", &[], b"").await.status, 404);
}

// Cognito's developer guide, "Lockout behavior for failed sign-in attempts": after five failures a lockout
// of 2^(n-5) seconds; attempts during it are refused ("Password attempts exceeded") and not counted; fifteen
// quiet minutes after a lockout start the count again.
#[tokio::test]
async fn wrong_passwords_lock_the_account_for_doubling_times() {
    let s = server().await;
    let url = &s.url();
    confirmed_user(url, "bob").await;
    let incorrect = |r| assert_error(r, codes::NOT_AUTHORIZED, "Incorrect username or password.");
    let exceeded = |r| assert_error(r, codes::NOT_AUTHORIZED, "Password attempts exceeded");
    for _ in 0..5 {
        incorrect(login(url, "bob", "Wrong-Horse-9").await);
    }
    // Locked for 1, 2 and 4 seconds after the fifth, sixth and seventh failures: each time the lockout
    // has passed, a wrong password is judged (and locks for twice as long).
    for seconds in [1, 2, 4] {
        advance_clock(url, seconds).await;
        incorrect(login(url, "bob", "Wrong-Horse-9").await);
    }
    // Now 8 seconds: refused whatever the password, and these refusals do not count.
    exceeded(login(url, "bob", PASSWORD).await);
    exceeded(login(url, "bob", "Wrong-Horse-9").await);
    advance_clock(url, 8).await;
    incorrect(login(url, "bob", "Wrong-Horse-9").await); // the ninth failure: 16 seconds
    advance_clock(url, 13).await;
    exceeded(login(url, "bob", PASSWORD).await);
    advance_clock(url, 3).await;
    assert!(login(url, "bob", PASSWORD).await.is_ok(), "the lockout has passed and the right password gets in");
    // The count started again: four more failures do not lock.
    for _ in 0..4 {
        incorrect(login(url, "bob", "Wrong-Horse-9").await);
    }
    assert!(login(url, "bob", PASSWORD).await.is_ok());
}

#[tokio::test]
async fn fifteen_quiet_minutes_after_a_lockout_forget_the_failures() {
    let s = server().await;
    let url = &s.url();
    confirmed_user(url, "quiet").await;
    for _ in 0..5 {
        assert!(login(url, "quiet", "Wrong-Horse-9").await.is_err());
    }
    for seconds in [1, 2, 4] {
        advance_clock(url, seconds).await;
        assert!(login(url, "quiet", "Wrong-Horse-9").await.is_err());
    }
    // Eight failures; after 15 minutes without an attempt a wrong password is the first of a new count,
    // so it locks nothing and the right password right after it gets in. (Counting on, it would be the
    // ninth failure and lock for 16 seconds.)
    advance_clock(url, 15 * 60).await;
    assert_error(login(url, "quiet", "Wrong-Horse-9").await, codes::NOT_AUTHORIZED, "Incorrect username or password.");
    assert!(login(url, "quiet", PASSWORD).await.is_ok());
}

#[tokio::test]
async fn unconfirmed_and_unknown_users_cannot_log_in() {
    let s = server().await;
    let url = &s.url();
    call::<SignUp>(url, &sign_up_request("carol", "carol@example.com", PASSWORD)).await.unwrap();
    assert_error(login(url, "carol", PASSWORD).await, codes::USER_NOT_CONFIRMED, "User is not confirmed.");
    // Whatever the password (see semantics.rs).
    assert_error(login(url, "carol", "Wrong-Horse-9").await, codes::USER_NOT_CONFIRMED, "User is not confirmed.");
    // Hidden user existence: a normal-looking challenge, then the same error as a wrong password.
    assert_error(login(url, "nobody", PASSWORD).await, codes::NOT_AUTHORIZED, "Incorrect username or password.");
    // A client that reveals it.
    assert_error(
        login_with(url, LEGACY_CLIENT_ID, "nobody", PASSWORD).await,
        codes::USER_NOT_FOUND,
        "User does not exist.",
    );
}

#[tokio::test]
async fn sign_up_enforces_the_schema_and_the_password_policy() {
    let s = server().await;
    let url = &s.url();
    let mut no_name = sign_up_request("dave", "dave@example.com", PASSWORD);
    no_name.user_attributes.retain(|a| a.name != "name");
    assert_error(
        call::<SignUp>(url, &no_name).await,
        codes::INVALID_PARAMETER,
        "Attributes did not conform to the schema: name: The attribute is required",
    );
    assert_error(
        call::<SignUp>(url, &sign_up_request("dave", "not-an-email", PASSWORD)).await,
        codes::INVALID_PARAMETER,
        "Invalid email address format.",
    );
    assert_error(
        call::<SignUp>(url, &sign_up_request("dave", "dave@example.com", "short")).await,
        codes::INVALID_PASSWORD,
        "Password did not conform with policy: Password not long enough",
    );
    assert_error(
        call::<SignUp>(url, &sign_up_request("dave", "dave@example.com", "nouppercase-1")).await,
        codes::INVALID_PASSWORD,
        "Password did not conform with policy: Password must have uppercase characters",
    );
    assert_error(
        call::<SignUp>(url, &sign_up_request("da ve", "dave@example.com", PASSWORD)).await,
        codes::INVALID_PARAMETER,
        "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    );
    call::<SignUp>(url, &sign_up_request("dave", "dave@example.com", PASSWORD)).await.unwrap();
    assert_error(
        call::<SignUp>(url, &sign_up_request("Dave", "other@example.com", PASSWORD)).await,
        codes::USERNAME_EXISTS,
        "User already exists",
    );
    let mut wrong_client = sign_up_request("erin", "erin@example.com", PASSWORD);
    wrong_client.client_id = "nosuchclient".into();
    assert_error(
        call::<SignUp>(url, &wrong_client).await,
        codes::RESOURCE_NOT_FOUND,
        "User pool client nosuchclient does not exist.",
    );
}

#[tokio::test]
async fn confirmation_codes_mismatch_expire_and_resend() {
    let s = server().await;
    let url = &s.url();
    call::<SignUp>(url, &sign_up_request("frank", "frank@example.com", PASSWORD)).await.unwrap();
    let confirm = |code: &str| ConfirmSignUpRequest {
        client_id: CLIENT_ID.into(),
        username: "frank".into(),
        confirmation_code: code.into(),
        ..Default::default()
    };
    let real = codes(url, "frank").await["confirmation"].as_str().unwrap().to_string();
    let wrong = if real == "000000" { "111111" } else { "000000" };
    assert_error(
        call::<ConfirmSignUp>(url, &confirm(wrong)).await,
        codes::CODE_MISMATCH,
        "Invalid verification code provided, please try again.",
    );
    advance_clock(url, 24 * 3600 + 1).await;
    assert_eq!(codes(url, "frank").await, json!({}), "an expired code is no longer listed");
    assert_error(
        call::<ConfirmSignUp>(url, &confirm(&real)).await,
        codes::EXPIRED_CODE,
        "Invalid code provided, please request a code again.",
    );
    let resend =
        ResendConfirmationCodeRequest { client_id: CLIENT_ID.into(), username: "frank".into(), client_metadata: None };
    let sent = call::<ResendConfirmationCode>(url, &resend).await.unwrap();
    assert_eq!(sent.code_delivery_details.unwrap().attribute_name.as_deref(), Some("email"));
    let fresh = codes(url, "frank").await["confirmation"].as_str().unwrap().to_string();
    call::<ConfirmSignUp>(url, &confirm(&fresh)).await.unwrap();
    assert_error(
        call::<ConfirmSignUp>(url, &confirm(&fresh)).await,
        codes::NOT_AUTHORIZED,
        "User cannot be confirmed. Current status is CONFIRMED",
    );
    assert_error(
        call::<ResendConfirmationCode>(url, &resend).await,
        codes::INVALID_PARAMETER,
        "User is already confirmed.",
    );
}

#[tokio::test]
async fn refresh_revoke_and_global_sign_out() {
    let s = server().await;
    let url = &s.url();
    confirmed_user(url, "grace").await;
    let first = login(url, "grace", PASSWORD).await.unwrap();
    let refresh_token = first.refresh_token.clone().unwrap();

    advance_clock(url, 301).await;
    assert_error(get_user(url, &first.access_token).await, codes::NOT_AUTHORIZED, "Access Token has expired");
    let renewed = refresh(url, &refresh_token).await.unwrap();
    assert!(renewed.refresh_token.is_none(), "refresh answers carry no refresh token");
    assert_ne!(renewed.access_token, first.access_token);
    let (old, new) = (decode_payload(&first.access_token).unwrap(), decode_payload(&renewed.access_token).unwrap());
    assert_eq!(old.origin_jti(), new.origin_jti());
    assert_eq!(old.all().get("auth_time"), new.all().get("auth_time"));
    assert!(old.all().get("auth_time").is_some());
    assert!(get_user(url, &renewed.access_token).await.is_ok());

    let revoke = RevokeTokenRequest { token: refresh_token.clone(), client_id: CLIENT_ID.into(), client_secret: None };
    call::<RevokeToken>(url, &revoke).await.unwrap();
    assert_error(refresh(url, &refresh_token).await, codes::NOT_AUTHORIZED, "Refresh Token has been revoked");
    assert_error(get_user(url, &renewed.access_token).await, codes::NOT_AUTHORIZED, "Access Token has been revoked");
    call::<RevokeToken>(url, &revoke).await.expect("revoking twice is fine");

    // GlobalSignOut ends every session of the user.
    let a = login(url, "grace", PASSWORD).await.unwrap();
    let b = login(url, "grace", PASSWORD).await.unwrap();
    call::<GlobalSignOut>(url, &AccessTokenRequest { access_token: a.access_token.clone() }).await.unwrap();
    for tokens in [&a, &b] {
        assert_error(
            refresh(url, tokens.refresh_token.as_deref().unwrap()).await,
            codes::NOT_AUTHORIZED,
            "Refresh Token has been revoked",
        );
        assert_error(get_user(url, &tokens.access_token).await, codes::NOT_AUTHORIZED, "Access Token has been revoked");
    }
    assert!(login(url, "grace", PASSWORD).await.is_ok(), "a new login works after global sign-out");

    assert_error(refresh(url, "garbage").await, codes::NOT_AUTHORIZED, "Invalid Refresh Token");
    assert_error(get_user(url, "garbage").await, codes::NOT_AUTHORIZED, "Invalid Access Token");
    let mut forged = renewed.access_token.clone();
    forged.replace_range(forged.len() - 4.., "AAAA");
    assert_error(get_user(url, &forged).await, codes::NOT_AUTHORIZED, "Invalid Access Token");
}

#[tokio::test]
async fn refresh_tokens_expire_and_disabled_users_cannot_refresh() {
    let s = server().await;
    let url = &s.url();
    confirmed_user(url, "heidi").await;
    confirmed_user(url, "ivan").await;
    let heidi = login(url, "heidi", PASSWORD).await.unwrap();
    let ivan = login(url, "ivan", PASSWORD).await.unwrap();

    raw_call(url, "AdminDisableUser", &json!({"UserPoolId": POOL_ID, "Username": "heidi"})).await.unwrap();
    assert_error(
        refresh(url, heidi.refresh_token.as_deref().unwrap()).await,
        codes::NOT_AUTHORIZED,
        "User is disabled.",
    );
    assert_error(get_user(url, &heidi.access_token).await, codes::NOT_AUTHORIZED, "User is disabled.");
    assert_error(login(url, "heidi", PASSWORD).await, codes::NOT_AUTHORIZED, "User is disabled.");

    advance_clock(url, 3601).await;
    assert_error(
        refresh(url, ivan.refresh_token.as_deref().unwrap()).await,
        codes::NOT_AUTHORIZED,
        "Refresh Token has expired",
    );
}

#[tokio::test]
async fn auth_sessions_expire_after_three_minutes() {
    use cognito_core::srp::{answer_password_verifier, ClientEphemeral, PasswordVerifierChallenge};
    let s = server().await;
    let url = &s.url();
    confirmed_user(url, "judy").await;
    let eph = ClientEphemeral::generate().unwrap();
    let start =
        call::<InitiateAuth>(url, &InitiateAuthRequest::user_srp(CLIENT_ID, "judy", eph.public_hex())).await.unwrap();
    let challenge = PasswordVerifierChallenge::from_parameters(&start.challenge_parameters).unwrap();
    let answer =
        answer_password_verifier(&eph, "TestPool1", PASSWORD, &challenge, "Mon Jan 5 09:03:07 UTC 2026").unwrap();
    advance_clock(url, 181).await;
    let respond = RespondToAuthChallengeRequest::new(
        CLIENT_ID,
        ChallengeName::PasswordVerifier,
        answer.into_challenge_responses(),
        start.session,
    );
    assert_error(
        call::<RespondToAuthChallenge>(url, &respond).await,
        codes::NOT_AUTHORIZED,
        "Invalid session for the user, session is expired.",
    );
}

/// NEW_PASSWORD_REQUIRED answered for "kate" with a password and the required name.
fn new_password_answer(challenge: &AuthResponse, password: &str) -> RespondToAuthChallengeRequest {
    let responses = string_map([
        ("USERNAME", "kate".to_string()),
        ("NEW_PASSWORD", password.to_string()),
        ("userAttributes.name", "Kate K".to_string()),
    ]);
    RespondToAuthChallengeRequest::new(
        CLIENT_ID,
        ChallengeName::NewPasswordRequired,
        responses,
        challenge.session.clone(),
    )
}

#[tokio::test]
async fn admin_created_user_sets_a_new_password() {
    let s = server().await;
    let url = &s.url();
    let created = raw_call(
        url,
        "AdminCreateUser",
        &json!({"UserPoolId": POOL_ID, "Username": "kate", "TemporaryPassword": "Temp-Pass-1",
                "UserAttributes": [{"Name": "email", "Value": "kate@example.com"}, {"Name": "email_verified", "Value": "true"}],
                "MessageAction": "SUPPRESS"}),
    )
    .await
    .unwrap();
    assert_eq!(created["User"]["UserStatus"], "FORCE_CHANGE_PASSWORD");
    let challenge = login_with(url, CLIENT_ID, "kate", "Temp-Pass-1").await.unwrap();
    assert_eq!(challenge.challenge_name, Some(ChallengeName::NewPasswordRequired));
    assert_eq!(challenge.challenge_parameters["requiredAttributes"], r#"["userAttributes.name"]"#);
    let attrs: Value = serde_json::from_str(&challenge.challenge_parameters["userAttributes"]).unwrap();
    assert_eq!(attrs["email"], "kate@example.com");

    assert_error(
        call::<RespondToAuthChallenge>(url, &new_password_answer(&challenge, "weak")).await,
        codes::INVALID_PASSWORD,
        "Password did not conform with policy: Password not long enough",
    );
    let challenge = login_with(url, CLIENT_ID, "kate", "Temp-Pass-1").await.unwrap();
    let done = call::<RespondToAuthChallenge>(url, &new_password_answer(&challenge, "Brand-New-Pass-2")).await.unwrap();
    let id = decode_payload(&done.authentication_result.unwrap().id_token).unwrap();
    assert_eq!(id.str("name"), Some("Kate K"));
    assert!(login(url, "kate", "Brand-New-Pass-2").await.is_ok());
    assert_error(login(url, "kate", "Temp-Pass-1").await, codes::NOT_AUTHORIZED, "Incorrect username or password.");
    let got = raw_call(url, "AdminGetUser", &json!({"UserPoolId": POOL_ID, "Username": "kate"})).await.unwrap();
    assert_eq!(got["UserStatus"], "CONFIRMED");
}

#[tokio::test]
async fn forgot_password_needs_a_verified_email_and_a_fresh_code() {
    let s = server().await;
    let url = &s.url();
    call::<SignUp>(url, &sign_up_request("leo", "leo@example.com", PASSWORD)).await.unwrap();
    let forgot =
        |u: &str| ForgotPasswordRequest { client_id: CLIENT_ID.into(), username: u.into(), client_metadata: None };
    let legacy =
        ForgotPasswordRequest { client_id: LEGACY_CLIENT_ID.into(), username: "leo".into(), client_metadata: None };
    // A client that hides user existence answers as if a code was sent (see semantics.rs); this one says why.
    assert_error(
        call::<ForgotPassword>(url, &legacy).await,
        codes::INVALID_PARAMETER,
        "Cannot reset password for the user as there is no registered/verified email or phone_number",
    );
    let sent = call::<ForgotPassword>(url, &forgot("nobody")).await.unwrap();
    assert!(sent.code_delivery_details.is_some(), "unknown users are not revealed");

    confirmed_user(url, "mia").await;
    call::<ForgotPassword>(url, &forgot("mia")).await.unwrap();
    let code = codes(url, "mia").await["forgotPassword"].as_str().unwrap().to_string();
    let confirm = |code: &str, password: &str| ConfirmForgotPasswordRequest {
        client_id: CLIENT_ID.into(),
        username: "mia".into(),
        confirmation_code: code.into(),
        password: password.into(),
        client_metadata: None,
    };
    assert_error(
        call::<ConfirmForgotPassword>(url, &confirm(&code, "weak")).await,
        codes::INVALID_PASSWORD,
        "Password did not conform with policy: Password not long enough",
    );
    call::<ConfirmForgotPassword>(url, &confirm(&code, "Reset-Pass-77")).await.unwrap();
    assert_error(
        call::<ConfirmForgotPassword>(url, &confirm(&code, "Reset-Pass-78")).await,
        codes::EXPIRED_CODE,
        "Invalid code provided, please request a code again.",
    );
    assert!(login(url, "mia", "Reset-Pass-77").await.is_ok());
    let got = raw_call(url, "AdminGetUser", &json!({"UserPoolId": POOL_ID, "Username": "leo"})).await.unwrap();
    assert_eq!(got["UserStatus"], "UNCONFIRMED", "ForgotPassword does not confirm an account");
}

#[tokio::test]
async fn profile_changes_password_attributes_and_deletion() {
    let s = server().await;
    let url = &s.url();
    confirmed_user(url, "nina").await;
    let tokens = login(url, "nina", PASSWORD).await.unwrap();
    let access = tokens.access_token.clone();
    let change = |old: &str, new: &str| ChangePasswordRequest {
        previous_password: old.into(),
        proposed_password: new.into(),
        access_token: access.clone(),
    };
    assert_error(
        call::<ChangePassword>(url, &change("Wrong-Pass-1", "Other-Pass-1")).await,
        codes::NOT_AUTHORIZED,
        "Incorrect username or password.",
    );
    assert_error(
        call::<ChangePassword>(url, &change(PASSWORD, "weak")).await,
        codes::INVALID_PASSWORD,
        "Password did not conform with policy: Password not long enough",
    );
    call::<ChangePassword>(url, &change(PASSWORD, "Other-Pass-1")).await.unwrap();
    assert!(login(url, "nina", "Other-Pass-1").await.is_ok());

    let update = UpdateUserAttributesRequest {
        user_attributes: vec![
            AttributeType::new("email", "nina@new.example.com"),
            AttributeType::new("name", "Nina N"),
        ],
        access_token: access.clone(),
        client_metadata: None,
    };
    let updated = call::<UpdateUserAttributes>(url, &update).await.unwrap();
    assert_eq!(updated.code_delivery_details_list.len(), 1);
    let user = get_user(url, &access).await.unwrap();
    assert_eq!(attribute(&user.user_attributes, "email"), Some("nina@new.example.com"));
    assert_eq!(attribute(&user.user_attributes, "email_verified"), Some("false"));
    let code = codes(url, "nina").await["attributes"]["email"].as_str().unwrap().to_string();
    let verify = |code: &str| VerifyUserAttributeRequest {
        access_token: access.clone(),
        attribute_name: "email".into(),
        code: code.into(),
    };
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_error(
        call::<VerifyUserAttribute>(url, &verify(wrong)).await,
        codes::CODE_MISMATCH,
        "Invalid verification code provided, please try again.",
    );
    call::<VerifyUserAttribute>(url, &verify(&code)).await.unwrap();
    let user = get_user(url, &access).await.unwrap();
    assert_eq!(attribute(&user.user_attributes, "email_verified"), Some("true"));

    // A phone number: E.164 only; a new one is unverified until the code sent to it by SMS comes back.
    let phone = |number: &str| UpdateUserAttributesRequest {
        user_attributes: vec![AttributeType::new("phone_number", number)],
        access_token: access.clone(),
        client_metadata: None,
    };
    assert_error(
        call::<UpdateUserAttributes>(url, &phone("555 0100")).await,
        codes::INVALID_PARAMETER,
        "Invalid phone number format.",
    );
    let updated = call::<UpdateUserAttributes>(url, &phone("+15555550142")).await.unwrap();
    let delivery = &updated.code_delivery_details_list[0];
    assert_eq!(
        (delivery.destination.as_deref(), delivery.delivery_medium.as_deref(), delivery.attribute_name.as_deref()),
        (Some("+*******0142"), Some("SMS"), Some("phone_number"))
    );
    let user = get_user(url, &access).await.unwrap();
    assert_eq!(attribute(&user.user_attributes, "phone_number_verified"), Some("false"));
    assert_eq!(attribute(&user.user_attributes, "email_verified"), Some("true"), "the email was not changed");
    let first = codes(url, "nina").await["attributes"]["phone_number"].as_str().unwrap().to_string();
    let resent = GetUserAttributeVerificationCodeRequest {
        access_token: access.clone(),
        attribute_name: "phone_number".into(),
        client_metadata: None,
    };
    let again = call::<GetUserAttributeVerificationCode>(url, &resent).await.unwrap();
    assert_eq!(again.code_delivery_details.unwrap().destination.as_deref(), Some("+*******0142"));
    let code = codes(url, "nina").await["attributes"]["phone_number"].as_str().unwrap().to_string();
    let verify_phone = |code: &str| VerifyUserAttributeRequest {
        access_token: access.clone(),
        attribute_name: "phone_number".into(),
        code: code.into(),
    };
    if first != code {
        assert_eq!(
            call::<VerifyUserAttribute>(url, &verify_phone(&first)).await.unwrap_err().code,
            codes::CODE_MISMATCH
        );
    }
    call::<VerifyUserAttribute>(url, &verify_phone(&code)).await.unwrap();
    let user = get_user(url, &access).await.unwrap();
    assert_eq!(attribute(&user.user_attributes, "phone_number_verified"), Some("true"));

    let forbidden = UpdateUserAttributesRequest {
        user_attributes: vec![AttributeType::new("email_verified", "true")],
        access_token: access.clone(),
        client_metadata: None,
    };
    assert_error(
        call::<UpdateUserAttributes>(url, &forbidden).await,
        codes::NOT_AUTHORIZED,
        "A client attempted to write unauthorized attribute",
    );

    call::<DeleteUser>(url, &AccessTokenRequest { access_token: access.clone() }).await.unwrap();
    assert_error(get_user(url, &access).await, codes::NOT_AUTHORIZED, "Access Token has been revoked");
    assert_error(login(url, "nina", "Other-Pass-1").await, codes::NOT_AUTHORIZED, "Incorrect username or password.");
}

#[tokio::test]
async fn protocol_errors_cors_and_limits() {
    let s = server().await;
    let url = &s.url();
    let post = |target: &'static str, body: &'static [u8]| async move {
        http(url, "POST", "/", &[("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", target)], body).await
    };
    let broken = http(
        url,
        "POST",
        "/",
        &[
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", "AWSCognitoIdentityProviderService.SignUp"),
            ("Origin", "http://127.0.0.1:8080"),
        ],
        b"{not json",
    )
    .await;
    assert_eq!(broken.status, 400);
    assert_eq!(broken.header("x-amzn-errortype"), Some(codes::SERIALIZATION));
    let unknown = post("AWSCognitoIdentityProviderService.LaunchRockets", b"{}").await;
    assert_eq!(unknown.header("x-amzn-errortype"), Some(codes::UNKNOWN_OPERATION));
    let no_target = http(url, "POST", "/", &[], b"{}").await;
    assert_eq!(no_target.header("x-amzn-errortype"), Some(codes::UNKNOWN_OPERATION));
    let missing = post("AWSCognitoIdentityProviderService.SignUp", br#"{"Username":"x","Password":"y"}"#).await;
    assert_eq!(missing.header("x-amzn-errortype"), Some(codes::INVALID_PARAMETER));
    assert!(missing.body.contains("Value null at 'clientId'"), "{}", missing.body);
    let wrong_type = post("AWSCognitoIdentityProviderService.SignUp", br#"{"ClientId": 5}"#).await;
    assert_eq!(wrong_type.header("x-amzn-errortype"), Some(codes::SERIALIZATION));
    let array = post("AWSCognitoIdentityProviderService.SignUp", b"[]").await;
    assert_eq!(array.header("x-amzn-errortype"), Some(codes::SERIALIZATION));

    let preflight = http(
        url,
        "OPTIONS",
        "/",
        &[
            ("Origin", "http://127.0.0.1:8080"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type,x-amz-target"),
        ],
        b"",
    )
    .await;
    assert!(preflight.status == 204 || preflight.status == 200, "{}", preflight.status);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("http://127.0.0.1:8080"));
    let allowed = preflight.header("access-control-allow-headers").unwrap();
    for h in ["content-type", "x-amz-target", "x-amz-user-agent", "cache-control"] {
        assert!(allowed.contains(h), "{h} allowed");
    }
    assert_eq!(
        broken.header("access-control-allow-origin"),
        Some("http://127.0.0.1:8080"),
        "errors carry CORS headers too"
    );
    assert!(broken.header("access-control-expose-headers").unwrap().contains("x-amzn-errortype"));

    let huge = vec![b' '; cognito_local::http::MAX_BODY_BYTES + 1];
    let too_big = http(url, "POST", "/", &[("X-Amz-Target", "AWSCognitoIdentityProviderService.SignUp")], &huge).await;
    assert_eq!(too_big.status, 413);

    let bad_a = call::<InitiateAuth>(url, &InitiateAuthRequest::user_srp(CLIENT_ID, "x", "0".into())).await;
    assert_eq!(bad_a.unwrap_err().code, codes::INVALID_PARAMETER);
    let not_hex = call::<InitiateAuth>(url, &InitiateAuthRequest::user_srp(CLIENT_ID, "x", "xyz".into())).await;
    assert_eq!(not_hex.unwrap_err().code, codes::INVALID_PARAMETER);
    assert_eq!(http(url, "GET", "/_local/codes/us-east-1_TestPool1/nobody", &[], b"").await.status, 404);
}

#[tokio::test]
async fn admin_calls_manage_pools_clients_groups_and_users() {
    let s = server().await;
    let url = &s.url();
    let pool = raw_call(
        url,
        "CreateUserPool",
        &json!({"PoolName": "made-by-api", "AutoVerifiedAttributes": ["email"],
                "Policies": {"PasswordPolicy": {"MinimumLength": 12, "RequireSymbols": false}},
                "Schema": [{"Name": "email", "Required": true, "AttributeDataType": "String"}]}),
    )
    .await
    .unwrap();
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    assert!(cognito_core::PoolId::parse(&pool_id).is_ok());
    let client = raw_call(
        url,
        "CreateUserPoolClient",
        &json!({"UserPoolId": pool_id, "ClientName": "web", "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                "PreventUserExistenceErrors": "ENABLED", "AccessTokenValidity": 5, "TokenValidityUnits": {"AccessToken": "minutes"}}),
    )
    .await
    .unwrap();
    assert_eq!(client["UserPoolClient"]["AccessTokenValidity"], 300);
    let described = raw_call(url, "DescribeUserPool", &json!({"UserPoolId": pool_id})).await.unwrap();
    assert_eq!(described["UserPool"]["Policies"]["PasswordPolicy"]["MinimumLength"], 12);
    assert_eq!(described["UserPool"]["Name"], "made-by-api");

    confirmed_user(url, "olga").await;
    raw_call(url, "CreateGroup", &json!({"UserPoolId": POOL_ID, "GroupName": "admin", "Precedence": 1})).await.unwrap();
    assert_eq!(
        raw_call(url, "CreateGroup", &json!({"UserPoolId": POOL_ID, "GroupName": "admin"})).await.unwrap_err().code,
        "GroupExistsException"
    );
    raw_call(url, "AdminAddUserToGroup", &json!({"UserPoolId": POOL_ID, "Username": "olga", "GroupName": "admin"}))
        .await
        .unwrap();
    let tokens = login(url, "olga", PASSWORD).await.unwrap();
    assert_eq!(decode_payload(&tokens.id_token).unwrap().groups(), vec!["admin"]);
    assert_eq!(decode_payload(&tokens.access_token).unwrap().groups(), vec!["admin"]);

    call::<SignUp>(url, &sign_up_request("pete", "pete@example.com", PASSWORD)).await.unwrap();
    raw_call(url, "AdminConfirmSignUp", &json!({"UserPoolId": POOL_ID, "Username": "pete"})).await.unwrap();
    assert!(login(url, "pete", PASSWORD).await.is_ok());
    let listed = raw_call(url, "ListUsers", &json!({"UserPoolId": POOL_ID})).await.unwrap();
    assert_eq!(listed["Users"].as_array().unwrap().len(), 2);
    let filtered =
        raw_call(url, "ListUsers", &json!({"UserPoolId": POOL_ID, "Filter": "email = \"pete@example.com\""}))
            .await
            .unwrap();
    assert_eq!(filtered["Users"][0]["Username"], "pete");
    assert_eq!(filtered["Users"].as_array().unwrap().len(), 1);
    raw_call(url, "AdminDeleteUser", &json!({"UserPoolId": POOL_ID, "Username": "pete"})).await.unwrap();
    let gone = raw_call(url, "AdminGetUser", &json!({"UserPoolId": POOL_ID, "Username": "pete"})).await.unwrap_err();
    assert_eq!((gone.code.as_str(), gone.message.as_str()), (codes::USER_NOT_FOUND, "User does not exist."));
    let no_pool = raw_call(url, "DescribeUserPool", &json!({"UserPoolId": "us-east-1_Nope"})).await.unwrap_err();
    assert_eq!(no_pool.code, codes::RESOURCE_NOT_FOUND);
}

#[tokio::test]
async fn state_survives_a_restart_and_stores_no_password() {
    let dir = std::env::temp_dir().join(format!("cognito-local-test-data-{}-{}", std::process::id(), line!()));
    let _ = std::fs::remove_dir_all(&dir);
    let first = server_with(Some(dir.clone())).await;
    confirmed_user(&first.url(), "quinn").await;
    let tokens = login(&first.url(), "quinn", PASSWORD).await.unwrap();
    first.task.abort();
    let _ = first.task.await;

    let state = std::fs::read_to_string(dir.join("state.json")).unwrap();
    assert!(!state.contains(PASSWORD), "the password is never stored");
    assert!(state.contains("verifierHex"));

    let second = server_with(Some(dir.clone())).await;
    let url = &second.url();
    assert!(login(url, "quinn", PASSWORD).await.is_ok(), "users survive a restart");
    // Tokens from before the restart: same signing key, same refresh tokens.
    assert!(refresh(url, tokens.refresh_token.as_deref().unwrap()).await.is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn software_token_mfa_setup_and_sign_in() {
    use cognito_local::totp::{base32_decode, code_at, STEP_SECONDS};
    let s = server().await;
    let url = &s.url();
    confirmed_user(url, "rita").await;
    let tokens = login(url, "rita", PASSWORD).await.unwrap();
    let access = tokens.access_token.clone();
    let now = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;

    let enable = SetUserMfaPreferenceRequest {
        sms_mfa_settings: None,
        software_token_mfa_settings: Some(MfaSettings { enabled: true, preferred_mfa: true }),
        email_mfa_settings: None,
        access_token: access.clone(),
    };
    assert_error(
        call::<SetUserMFAPreference>(url, &enable).await,
        codes::INVALID_PARAMETER,
        "User has not verified software token mfa",
    );

    let associated = call::<AssociateSoftwareToken>(
        url,
        &AssociateSoftwareTokenRequest { access_token: Some(access.clone()), session: None },
    )
    .await
    .unwrap();
    let secret = base32_decode(&associated.secret_code).expect("base32 secret");
    assert_eq!(secret.len(), 20);
    let code = |offset: i64| code_at(&secret, now() / STEP_SECONDS + offset, 6);
    let verify = |user_code: String| VerifySoftwareTokenRequest {
        access_token: Some(access.clone()),
        session: None,
        user_code,
        friendly_device_name: Some("phone".into()),
    };
    assert_error(
        call::<VerifySoftwareToken>(url, &verify(code(5))).await,
        codes::ENABLE_SOFTWARE_TOKEN_MFA,
        "Code mismatch",
    );
    let verified = call::<VerifySoftwareToken>(url, &verify(code(0))).await.unwrap();
    assert_eq!(verified.status, VerifySoftwareTokenStatus::Success);
    call::<SetUserMFAPreference>(url, &enable).await.unwrap();
    let user = get_user(url, &access).await.unwrap();
    assert_eq!(user.user_mfa_setting_list.unwrap(), vec!["SOFTWARE_TOKEN_MFA"]);
    assert_eq!(user.preferred_mfa_setting.as_deref(), Some("SOFTWARE_TOKEN_MFA"));

    // Sign-in now asks for a code after the password.
    let challenge = login_with(url, CLIENT_ID, "rita", PASSWORD).await.unwrap();
    assert_eq!(challenge.challenge_name, Some(ChallengeName::SoftwareTokenMfa));
    assert!(challenge.authentication_result.is_none());
    let answer = |c: String| {
        RespondToAuthChallengeRequest::new(
            CLIENT_ID,
            ChallengeName::SoftwareTokenMfa,
            [("USERNAME".to_string(), "rita".to_string()), ("SOFTWARE_TOKEN_MFA_CODE".to_string(), c)].into(),
            challenge.session.clone(),
        )
    };
    assert_error(
        call::<RespondToAuthChallenge>(url, &answer(code(7))).await,
        codes::CODE_MISMATCH,
        "Invalid code received for user",
    );
    let done = call::<RespondToAuthChallenge>(url, &answer(code(0))).await.expect("a second try in the same session");
    assert!(done.authentication_result.is_some());
    assert_error(
        call::<RespondToAuthChallenge>(url, &answer(code(0))).await,
        codes::NOT_AUTHORIZED,
        "Invalid session for the user, session is expired.",
    );

    // Turned off again: password alone signs in.
    let disable = SetUserMfaPreferenceRequest {
        sms_mfa_settings: None,
        software_token_mfa_settings: Some(MfaSettings { enabled: false, preferred_mfa: false }),
        email_mfa_settings: None,
        access_token: access.clone(),
    };
    call::<SetUserMFAPreference>(url, &disable).await.unwrap();
    assert!(login(url, "rita", PASSWORD).await.is_ok());
}

#[tokio::test]
async fn echo_checks_id_tokens_like_an_authorizer() {
    let s = server().await;
    let url = &s.url();
    confirmed_user(url, "sam").await;
    let tokens = login(url, "sam", PASSWORD).await.unwrap();
    let echo = |auth: String| async move {
        http(url, "GET", "/_local/echo", &[("Authorization", &auth), ("Origin", "http://localhost:8080")], b"").await
    };

    let ok = echo(tokens.id_token.clone()).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let body: Value = serde_json::from_str(&ok.body).unwrap();
    assert_eq!(body["claims"]["cognito:username"], "sam");
    assert_eq!(ok.header("access-control-allow-origin"), Some("http://localhost:8080"));
    assert_eq!(echo(format!("Bearer {}", tokens.id_token)).await.status, 200);

    let mut tampered = tokens.id_token.clone();
    tampered.replace_range(tampered.len() - 6.., "AAAAAA");
    for bad in [tampered, tokens.access_token.clone(), "garbage".to_string(), String::new()] {
        let r = echo(bad).await;
        assert_eq!((r.status, r.body.as_str()), (401, r#"{"message":"Unauthorized"}"#));
    }
    assert_eq!(http(url, "GET", "/_local/echo", &[], b"").await.status, 401);
    advance_clock(url, 301).await;
    assert_eq!(echo(tokens.id_token.clone()).await.status, 401, "expired");
}

#[tokio::test]
async fn planned_faults_fail_the_next_calls_then_clear() {
    let s = server().await;
    let url = &s.url();
    confirmed_user(url, "tia").await;
    let tokens = login(url, "tia", PASSWORD).await.unwrap();
    let plan = json!({"operation": "GetUser", "count": 2, "error": "InternalErrorException"}).to_string();
    assert_eq!(http(url, "POST", "/_local/faults", &[], plan.as_bytes()).await.status, 204);
    for _ in 0..2 {
        let e = get_user(url, &tokens.access_token).await.unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (500, codes::INTERNAL_ERROR));
        assert!(e.is_transient());
    }
    assert!(get_user(url, &tokens.access_token).await.is_ok(), "the plan is used up");
    let busy = json!({"operation": "GetUser", "count": 1, "error": "TooManyRequestsException"}).to_string();
    http(url, "POST", "/_local/faults", &[], busy.as_bytes()).await;
    assert_eq!(get_user(url, &tokens.access_token).await.unwrap_err().code, codes::TOO_MANY_REQUESTS);
    http(url, "POST", "/_local/faults", &[], plan.as_bytes()).await;
    assert_eq!(http(url, "DELETE", "/_local/faults", &[], b"").await.status, 204);
    assert!(get_user(url, &tokens.access_token).await.is_ok(), "cleared");
    assert_eq!(http(url, "POST", "/_local/faults", &[], b"{}").await.status, 400);
}
