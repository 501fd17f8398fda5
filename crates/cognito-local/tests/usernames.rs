//! Username configurations ("User pool sign-in options" in the developer guide): `UsernameAttributes:
//! [email]`, where users sign up and in with their email and the pool names them by a UUID that is
//! `USER_ID_FOR_SRP` and `cognito:username`; and `AliasAttributes`, where a verified email or a
//! preferred_username signs in besides the username.

mod common;

use cognito_core::api::*;
use cognito_core::error::codes;
use cognito_core::jwt::decode_payload;
use common::*;
use serde_json::{json, Value};

/// A new pool with these settings and a public client; (pool id, pool name, client id).
async fn pool_with(url: &str, settings: Value) -> (String, String, String) {
    let mut request = json!({"PoolName": "names", "AutoVerifiedAttributes": ["email"]});
    request.as_object_mut().unwrap().extend(settings.as_object().unwrap().clone());
    let pool = raw_call(url, "CreateUserPool", &request).await.unwrap();
    let id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    let client = raw_call(
        url,
        "CreateUserPoolClient",
        &json!({"UserPoolId": id, "ClientName": "web", "PreventUserExistenceErrors": "ENABLED"}),
    )
    .await
    .unwrap();
    let name = id.split_once('_').unwrap().1.to_string();
    (id, name, client["UserPoolClient"]["ClientId"].as_str().unwrap().to_string())
}

fn sign_up(client: &str, username: &str, email: Option<&str>) -> SignUpRequest {
    let mut attributes = vec![AttributeType::new("name", "N")];
    if let Some(e) = email {
        attributes.push(AttributeType::new("email", e));
    }
    SignUpRequest {
        client_id: client.into(),
        username: username.into(),
        password: Some(PASSWORD.into()),
        user_attributes: attributes,
        ..Default::default()
    }
}

async fn confirm(url: &str, pool: &str, client: &str, name: &str) {
    let r = http(url, "GET", &format!("/_local/codes/{pool}/{name}"), &[], b"").await;
    let code: Value = serde_json::from_str(&r.body).unwrap();
    let request = ConfirmSignUpRequest {
        client_id: client.into(),
        username: name.into(),
        confirmation_code: code["confirmation"].as_str().unwrap().into(),
        ..Default::default()
    };
    call::<ConfirmSignUp>(url, &request).await.unwrap();
}

#[tokio::test]
async fn email_as_username_names_the_user_by_uuid() {
    let s = server().await;
    let url = s.url();
    let (pool, pool_name, client) = pool_with(&url, json!({"UsernameAttributes": ["email"]})).await;
    let described = raw_call(&url, "DescribeUserPool", &json!({"UserPoolId": pool})).await.unwrap();
    assert_eq!(described["UserPool"]["UsernameAttributes"], json!(["email"]));

    assert_error(
        call::<SignUp>(&url, &sign_up(&client, "zoe", None)).await,
        codes::INVALID_PARAMETER,
        "Username should be an email.",
    );
    let signed = call::<SignUp>(&url, &sign_up(&client, "Zoe@Example.com", None)).await.unwrap();
    assert_error(
        call::<SignUp>(&url, &sign_up(&client, "zoe@example.com", None)).await,
        codes::USERNAME_EXISTS,
        "An account with the given email already exists.",
    );
    confirm(&url, &pool, &client, "zoe@example.com").await;

    let (answer, user_id_for_srp) =
        login_to_pool(&url, &client, &pool_name, "zoe@example.com", PASSWORD).await.unwrap();
    assert_eq!(user_id_for_srp, signed.user_sub, "USER_ID_FOR_SRP is the UUID the pool named the user with");
    let tokens = answer.authentication_result.unwrap();
    let id = decode_payload(&tokens.id_token).unwrap();
    assert_eq!(id.username(), Some(signed.user_sub.as_str()));
    assert_eq!(id.str("email"), Some("Zoe@Example.com"));
    let user = get_user(&url, &tokens.access_token).await.unwrap();
    assert_eq!(user.username, signed.user_sub);

    // Every operation that takes a username takes the email.
    let got =
        raw_call(&url, "AdminGetUser", &json!({"UserPoolId": pool, "Username": "ZOE@example.com"})).await.unwrap();
    assert_eq!(got["Username"], json!(signed.user_sub));
    let forgot =
        ForgotPasswordRequest { client_id: client.clone(), username: "zoe@example.com".into(), client_metadata: None };
    call::<ForgotPassword>(&url, &forgot).await.unwrap();
    let codes_by_email: Value =
        serde_json::from_str(&http(&url, "GET", &format!("/_local/codes/{pool}/zoe@example.com"), &[], b"").await.body)
            .unwrap();
    assert!(codes_by_email["forgotPassword"].is_string());
}

#[tokio::test]
async fn aliases_sign_in_with_a_verified_email_or_a_preferred_username() {
    let s = server().await;
    let url = s.url();
    let (_pool, pool_name, client) = pool_with(&url, json!({"AliasAttributes": ["email", "preferred_username"]})).await;
    let pool = format!("us-east-1_{pool_name}");
    assert_eq!(
        call::<SignUp>(&url, &sign_up(&client, "alfa@example.com", Some("alfa@example.com"))).await.unwrap_err().code,
        codes::INVALID_PARAMETER,
        "a username that looks like an email is refused in an email-alias pool"
    );
    let mut request = sign_up(&client, "alfa", Some("alfa@example.com"));
    request.user_attributes.push(AttributeType::new("preferred_username", "captain"));
    call::<SignUp>(&url, &request).await.unwrap();
    confirm(&url, &pool, &client, "alfa").await;

    for name in ["alfa", "ALFA@example.com", "captain"] {
        let (answer, user_id_for_srp) = login_to_pool(&url, &client, &pool_name, name, PASSWORD).await.unwrap();
        assert_eq!(user_id_for_srp, "alfa", "{name}");
        assert!(answer.authentication_result.is_some(), "{name}");
    }

    // An unverified email is no alias (yet): the pool hides whether such a user exists.
    call::<SignUp>(&url, &sign_up(&client, "bravo", Some("bravo@example.com"))).await.unwrap();
    let e = login_to_pool(&url, &client, &pool_name, "bravo@example.com", PASSWORD).await.unwrap_err();
    assert_eq!((e.code.as_str(), e.message.as_str()), (codes::NOT_AUTHORIZED, "Incorrect username or password."));
}

#[tokio::test]
async fn a_pool_has_username_attributes_or_aliases_not_both() {
    let s = server().await;
    let both = raw_call(
        &s.url(),
        "CreateUserPool",
        &json!({"PoolName": "x", "UsernameAttributes": ["email"], "AliasAttributes": ["preferred_username"]}),
    )
    .await;
    assert_eq!(both.unwrap_err().code, codes::INVALID_PARAMETER);
}

#[tokio::test]
async fn an_email_alias_belongs_to_one_user() {
    // ConfirmSignUp's ForceAliasCreation (API reference): "If false and an attribute belongs to an existing
    // alias, this request returns an AliasExistsException error"; when true it "migrates the alias from an
    // existing user to the new user" and "the existing user can no longer" sign in with it.
    let s = server().await;
    let url = s.url();
    let (pool_id, pool_name, client) = pool_with(&url, json!({"AliasAttributes": ["email"]})).await;
    let code_of = |name: &'static str| {
        let (url, pool_id) = (url.clone(), pool_id.clone());
        async move {
            let r = http(&url, "GET", &format!("/_local/codes/{pool_id}/{name}"), &[], b"").await;
            serde_json::from_str::<Value>(&r.body).unwrap()
        }
    };
    call::<SignUp>(&url, &sign_up(&client, "first", Some("shared@example.com"))).await.unwrap();
    confirm(&url, &pool_id, &client, "first").await;
    call::<SignUp>(&url, &sign_up(&client, "second", Some("Shared@Example.com"))).await.unwrap();
    let mut request = ConfirmSignUpRequest {
        client_id: client.clone(),
        username: "second".into(),
        confirmation_code: code_of("second").await["confirmation"].as_str().unwrap().into(),
        ..Default::default()
    };
    assert_error(
        call::<ConfirmSignUp>(&url, &request).await,
        codes::ALIAS_EXISTS,
        "An account with the email already exists.",
    );
    let (_, first) = login_to_pool(&url, &client, &pool_name, "shared@example.com", PASSWORD).await.unwrap();
    assert_eq!(first, "first", "the alias still signs in the first user");

    request.force_alias_creation = Some(true);
    call::<ConfirmSignUp>(&url, &request).await.unwrap();
    let (_, now) = login_to_pool(&url, &client, &pool_name, "shared@example.com", PASSWORD).await.unwrap();
    assert_eq!(now, "second", "the alias moved");
    let first = raw_call(&url, "AdminGetUser", &json!({"UserPoolId": pool_id, "Username": "first"})).await.unwrap();
    let verified = first["UserAttributes"].as_array().unwrap().iter().find(|a| a["Name"] == "email_verified").cloned();
    assert_eq!(verified.unwrap()["Value"], "false");

    // AdminCreateUser with a verified email that is an alias, and VerifyUserAttribute of one.
    let create = json!({"UserPoolId": pool_id, "Username": "third", "MessageAction": "SUPPRESS",
        "UserAttributes": [{"Name": "email", "Value": "shared@example.com"}, {"Name": "email_verified", "Value": "true"},
                           {"Name": "name", "Value": "T"}]});
    assert_eq!(raw_call(&url, "AdminCreateUser", &create).await.unwrap_err().code, codes::ALIAS_EXISTS);
    let (answer, _) = login_to_pool(&url, &client, &pool_name, "first", PASSWORD).await.unwrap();
    let access = answer.authentication_result.unwrap().access_token;
    call::<GetUserAttributeVerificationCode>(
        &url,
        &GetUserAttributeVerificationCodeRequest {
            access_token: access.clone(),
            attribute_name: "email".into(),
            client_metadata: None,
        },
    )
    .await
    .unwrap();
    let verify = VerifyUserAttributeRequest {
        access_token: access,
        attribute_name: "email".into(),
        code: code_of("first").await["attributes"]["email"].as_str().unwrap().into(),
    };
    assert_eq!(call::<VerifyUserAttribute>(&url, &verify).await.unwrap_err().code, codes::ALIAS_EXISTS);
}
