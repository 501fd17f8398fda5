//! Managed login's authorization-code flow with PKCE (issue 21, the server's first part): the authorize
//! endpoint's rules for clients and redirect URIs, the hosted sign-in page, and the token endpoint's
//! PKCE, single-use codes and OAuth error answers (the developer guide's "Authorize endpoint" and "Token
//! endpoint"; RFC 6749 section 4.1.2.1 and RFC 7636).

mod common;

use common::*;
use serde_json::{json, Value};

const CALLBACK: &str = "http://localhost:8080/oauth/callback";
// RFC 7636 appendix B.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

async fn oauth_client(url: &str) -> String {
    let created = raw_call(
        url,
        "CreateUserPoolClient",
        &json!({"UserPoolId": POOL_ID, "ClientName": "hosted", "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"],
                "AllowedOAuthScopes": ["openid", "email", "profile"], "CallbackURLs": [CALLBACK],
                "LogoutURLs": ["http://localhost:8080/login"], "SupportedIdentityProviders": ["COGNITO"]}),
    )
    .await
    .unwrap();
    assert_eq!(created["UserPoolClient"]["CallbackURLs"], json!([CALLBACK]));
    created["UserPoolClient"]["ClientId"].as_str().unwrap().to_string()
}

fn query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            let encoded: String = v
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            format!("{k}={encoded}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn authorize_query(client: &str, redirect: &str) -> Vec<(&'static str, String)> {
    vec![
        ("response_type", "code".into()),
        ("client_id", client.into()),
        ("redirect_uri", redirect.into()),
        ("state", "st-1".into()),
        ("scope", "openid email".into()),
        ("code_challenge", CHALLENGE.into()),
        ("code_challenge_method", "S256".into()),
    ]
}

async fn authorize(url: &str, pairs: &[(&str, String)]) -> HttpResponse {
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    http(url, "GET", &format!("/oauth2/authorize?{}", query(&pairs)), &[], b"").await
}

/// The hosted page's form, as the browser posts it: the authorize request's fields plus the password.
async fn sign_in(url: &str, client: &str, username: &str, password: &str) -> HttpResponse {
    let mut pairs = authorize_query(client, CALLBACK);
    pairs.push(("username", username.into()));
    pairs.push(("password", password.into()));
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let form = query(&pairs);
    http(url, "POST", "/login", &[("Content-Type", "application/x-www-form-urlencoded")], form.as_bytes()).await
}

async fn token(url: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let body = query(form);
    let answer =
        http(url, "POST", "/oauth2/token", &[("Content-Type", "application/x-www-form-urlencoded")], body.as_bytes())
            .await;
    (answer.status, serde_json::from_str(&answer.body).unwrap_or(Value::Null))
}

/// The code exchanged at the token endpoint for this redirect URI and verifier.
async fn exchange(url: &str, client: &str, code: &str, redirect: &str, verifier: &str) -> (u16, Value) {
    token(
        url,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", client),
            ("code", code),
            ("redirect_uri", redirect),
            ("code_verifier", verifier),
        ],
    )
    .await
}

/// A JWT's payload.
fn claims(token: &str) -> Value {
    use base64::Engine as _;
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn code_of(location: &str) -> String {
    let query = location.split_once('?').unwrap().1;
    query.split('&').find_map(|p| p.strip_prefix("code=")).unwrap().to_string()
}

#[tokio::test]
async fn a_code_for_the_registered_redirect_uri_becomes_tokens_once_with_its_verifier() {
    let s = server().await;
    let url = s.url();
    let client = oauth_client(&url).await;
    confirmed_user(&url, "olga").await;

    let page = authorize(&url, &authorize_query(&client, CALLBACK)).await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    assert!(page.body.contains(r#"name="code_challenge" value="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM""#));

    let wrong = sign_in(&url, &client, "olga", "Wrong-Pass-1").await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.body.contains("Incorrect username or password."));
    let signed_in = sign_in(&url, &client, "olga", PASSWORD).await;
    assert_eq!(signed_in.status, 302);
    let location = signed_in.header("location").unwrap().to_string();
    assert!(location.starts_with(&format!("{CALLBACK}?code=")), "{location}");
    assert!(location.ends_with("&state=st-1"));
    let code = code_of(&location);

    // A wrong verifier spends the code: it never works afterwards, not even with the right verifier.
    assert_eq!(
        exchange(&url, &client, &code, CALLBACK, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj").await,
        (400, json!({"error": "invalid_grant"}))
    );
    assert_eq!(exchange(&url, &client, &code, CALLBACK, VERIFIER).await, (400, json!({"error": "invalid_grant"})));

    let code = code_of(sign_in(&url, &client, "olga", PASSWORD).await.header("location").unwrap());
    let (status, tokens) = exchange(&url, &client, &code, CALLBACK, VERIFIER).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    let access = tokens["access_token"].as_str().unwrap();
    // Granted "openid email" only: the user's own operations need aws.cognito.signin.user.admin.
    assert_eq!(claims(access)["scope"], "openid email");
    assert_error(get_user(&url, access).await, "NotAuthorizedException", "Access Token does not have required scopes");
    // A used code: refused (RFC 6749 4.1.2: "The client MUST NOT use the authorization code more than once").
    assert_eq!(exchange(&url, &client, &code, CALLBACK, VERIFIER).await, (400, json!({"error": "invalid_grant"})));

    // The refresh token works at the token endpoint.
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let (status, refreshed) =
        token(&url, &[("grant_type", "refresh_token"), ("client_id", &client), ("refresh_token", refresh)]).await;
    assert_eq!(status, 200, "{refreshed}");
    assert_eq!(
        claims(refreshed["access_token"].as_str().unwrap())["scope"],
        "openid email",
        "the family keeps its scopes"
    );
    let (status, answer) = token(&url, &[("grant_type", "password"), ("client_id", &client)]).await;
    assert_eq!((status, answer), (400, json!({"error": "unsupported_grant_type"})));
    let (status, answer) = token(&url, &[("grant_type", "refresh_token"), ("client_id", "nobody")]).await;
    assert_eq!((status, answer), (400, json!({"error": "invalid_client"})));
}

#[tokio::test]
async fn codes_expire_and_belong_to_their_redirect_uri() {
    let s = server().await;
    let url = s.url();
    let client = oauth_client(&url).await;
    confirmed_user(&url, "pia").await;
    let code = code_of(sign_in(&url, &client, "pia", PASSWORD).await.header("location").unwrap());
    let (status, answer) = exchange(&url, &client, &code, "http://localhost:8080/elsewhere", VERIFIER).await;
    assert_eq!((status, answer), (400, json!({"error": "invalid_grant"})));
    let code = code_of(sign_in(&url, &client, "pia", PASSWORD).await.header("location").unwrap());
    advance_clock(&url, 301).await;
    let (status, answer) = exchange(&url, &client, &code, CALLBACK, VERIFIER).await;
    assert_eq!((status, answer), (400, json!({"error": "invalid_grant"})));
}

#[tokio::test]
async fn an_unregistered_redirect_uri_is_never_redirected_to_and_other_refusals_go_back_with_error() {
    let s = server().await;
    let url = s.url();
    let client = oauth_client(&url).await;
    // No redirect to a URI the client did not register, nor for an unknown client: an error page.
    for (client_id, redirect) in [(client.as_str(), "https://evil.example/cb"), ("unknownclient", CALLBACK)] {
        let page = authorize(&url, &authorize_query(client_id, redirect)).await;
        assert_eq!(page.status, 400);
        assert_eq!(page.header("location"), None);
    }
    assert!(authorize(&url, &authorize_query(&client, "https://evil.example/cb"))
        .await
        .body
        .contains("redirect_mismatch"));
    // What can be told to the client goes back to its redirect URI with the state.
    let refused = |change: &'static str, value: &'static str| {
        let mut pairs = authorize_query(&client, CALLBACK);
        pairs.retain(|(k, _)| *k != change);
        if !value.is_empty() {
            pairs.push((change, value.into()));
        }
        pairs
    };
    for (change, value, error) in [
        ("response_type", "id_token", "unsupported_response_type"),
        ("response_type", "token", "unauthorized_client"),
        ("scope", "openid aws.cognito.signin.user.admin", "invalid_scope"),
        ("code_challenge_method", "plain", "invalid_request"),
        ("identity_provider", "Google", "invalid_request"),
    ] {
        let answer = authorize(&url, &refused(change, value)).await;
        assert_eq!(answer.status, 302, "{change}={value}");
        assert_eq!(
            answer.header("location").unwrap(),
            format!("{CALLBACK}?error={error}&state=st-1"),
            "{change}={value}"
        );
    }
    // A client without the code flow may not use the endpoint.
    let plain = raw_call(
        &url,
        "CreateUserPoolClient",
        &json!({"UserPoolId": POOL_ID, "ClientName": "api-only", "CallbackURLs": [CALLBACK]}),
    )
    .await
    .unwrap();
    let plain = plain["UserPoolClient"]["ClientId"].as_str().unwrap().to_string();
    let answer = authorize(&url, &authorize_query(&plain, CALLBACK)).await;
    assert_eq!(answer.header("location").unwrap(), format!("{CALLBACK}?error=unauthorized_client&state=st-1"));
}

#[tokio::test]
async fn the_hosted_session_signs_in_again_until_logout_ends_it() {
    let s = server().await;
    let url = s.url();
    let client = oauth_client(&url).await;
    confirmed_user(&url, "quin").await;
    let signed_in = sign_in(&url, &client, "quin", PASSWORD).await;
    let cookie = signed_in.header("set-cookie").unwrap().split(';').next().unwrap().to_string();
    assert!(cookie.starts_with("cognito-local-session="));
    assert!(signed_in.header("set-cookie").unwrap().contains("HttpOnly"));
    let again = |cookie: String, extra: Option<(&'static str, &'static str)>| {
        let (url, client) = (url.clone(), client.clone());
        async move {
            let mut pairs = authorize_query(&client, CALLBACK);
            if let Some((k, v)) = extra {
                pairs.push((k, v.into()));
            }
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            http(&url, "GET", &format!("/oauth2/authorize?{}", query(&pairs)), &[("Cookie", &cookie)], b"").await
        }
    };
    // Signed in at once with the session; prompt=login asks again.
    let at_once = again(cookie.clone(), None).await;
    assert_eq!(at_once.status, 302);
    assert!(at_once.header("location").unwrap().contains("code="));
    assert_eq!(again(cookie.clone(), Some(("prompt", "login"))).await.status, 200);
    // prompt=none: at once with the session, else back with login_required (never the page).
    assert!(again(cookie.clone(), Some(("prompt", "none"))).await.header("location").unwrap().contains("code="));
    assert_eq!(
        again(String::new(), Some(("prompt", "none"))).await.header("location").unwrap(),
        format!("{CALLBACK}?error=login_required&state=st-1")
    );

    // Logout: only to a registered sign-out URL; the session ends either way.
    let refused = http(
        &url,
        "GET",
        &format!("/logout?{}", query(&[("client_id", &client), ("logout_uri", "https://evil.example/")])),
        &[("Cookie", &cookie)],
        b"",
    )
    .await;
    assert_eq!((refused.status, refused.header("location")), (400, None));
    assert_eq!(again(cookie.clone(), None).await.status, 200, "the session ended with the refused logout too");
    let signed_in = sign_in(&url, &client, "quin", PASSWORD).await;
    let cookie = signed_in.header("set-cookie").unwrap().split(';').next().unwrap().to_string();
    let out = http(
        &url,
        "GET",
        &format!("/logout?{}", query(&[("client_id", &client), ("logout_uri", "http://localhost:8080/login")])),
        &[("Cookie", &cookie)],
        b"",
    )
    .await;
    assert_eq!((out.status, out.header("location")), (302, Some("http://localhost:8080/login")));
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(again(cookie, None).await.status, 200, "signed out of the hosted page");
}

#[tokio::test]
async fn user_info_revoke_and_the_discovery_document() {
    let s = server().await;
    let url = s.url();
    let client = oauth_client(&url).await;
    confirmed_user(&url, "rafa").await;
    let code = code_of(sign_in(&url, &client, "rafa", PASSWORD).await.header("location").unwrap());
    let (_, tokens) = exchange(&url, &client, &code, CALLBACK, VERIFIER).await;
    let access = tokens["access_token"].as_str().unwrap();
    let bearer = format!("Bearer {access}");
    let info = http(&url, "GET", "/oauth2/userInfo", &[("Authorization", &bearer)], b"").await;
    assert_eq!(info.status, 200);
    let info: Value = serde_json::from_str(&info.body).unwrap();
    assert_eq!(info["username"], "rafa");
    assert_eq!(info["email"], "rafa@example.com");
    assert!(info["sub"].is_string());
    let anonymous = http(&url, "GET", "/oauth2/userInfo", &[], b"").await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.header("www-authenticate"), Some(r#"Bearer error="invalid_token""#));

    let refresh = tokens["refresh_token"].as_str().unwrap();
    let form = query(&[("token", refresh), ("client_id", &client)]);
    let revoked =
        http(&url, "POST", "/oauth2/revoke", &[("Content-Type", "application/x-www-form-urlencoded")], form.as_bytes())
            .await;
    assert_eq!(revoked.status, 200);
    let (status, answer) =
        token(&url, &[("grant_type", "refresh_token"), ("client_id", &client), ("refresh_token", refresh)]).await;
    assert_eq!((status, answer), (400, json!({"error": "invalid_grant"})));

    let discovery = http(&url, "GET", &format!("/{POOL_ID}/.well-known/openid-configuration"), &[], b"").await;
    let discovery: Value = serde_json::from_str(&discovery.body).unwrap();
    assert_eq!(discovery["authorization_endpoint"], format!("{url}/oauth2/authorize"));
    assert_eq!(discovery["token_endpoint"], format!("{url}/oauth2/token"));
    assert_eq!(discovery["code_challenge_methods_supported"], json!(["S256"]));
}

/// A form POST to the server.
async fn post_form(url: &str, path: &str, pairs: &[(&str, String)]) -> HttpResponse {
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let form = query(&pairs);
    http(url, "POST", path, &[("Content-Type", "application/x-www-form-urlencoded")], form.as_bytes()).await
}

#[tokio::test]
async fn an_external_provider_signs_in_a_linked_user_as_cognito_does() {
    let s = server().await;
    let url = s.url();
    let provider = |name: &str, kind: &str| {
        json!({"UserPoolId": POOL_ID, "ProviderName": name, "ProviderType": kind, "IdpIdentifiers": ["example.org"],
               "ProviderDetails": {}})
    };
    raw_call(&url, "CreateIdentityProvider", &provider("LocalIdP", "OIDC")).await.unwrap();
    assert_error(
        raw_call(&url, "CreateIdentityProvider", &provider("Bad_Name", "OIDC")).await,
        "InvalidParameterException",
        "a name is 1 to 32 characters, without '_', and not COGNITO",
    );
    let client_with = |providers: Value| {
        json!({"UserPoolId": POOL_ID, "ClientName": "social", "AllowedOAuthFlowsUserPoolClient": true,
               "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid", "email", "aws.cognito.signin.user.admin"],
               "CallbackURLs": [CALLBACK], "SupportedIdentityProviders": providers})
    };
    assert_error(
        raw_call(&url, "CreateUserPoolClient", &client_with(json!(["COGNITO", "Google"]))).await,
        "InvalidParameterException",
        &format!("The provider Google does not exist for User Pool {POOL_ID}"),
    );
    let created = raw_call(&url, "CreateUserPoolClient", &client_with(json!(["COGNITO", "LocalIdP"]))).await.unwrap();
    let client = created["UserPoolClient"]["ClientId"].as_str().unwrap().to_string();
    let mut request = authorize_query(&client, CALLBACK);
    request.retain(|(k, _)| *k != "scope");
    request.push(("scope", "openid email aws.cognito.signin.user.admin".into()));
    request.push(("nonce", "n-0S6_WzA2Mj".into()));

    // The hosted page offers the provider; identity_provider and idp_identifier go to it.
    let hosted = authorize(&url, &request).await;
    assert!(hosted.body.contains("Continue with LocalIdP"), "{}", hosted.body);
    let mut by_name = request.clone();
    by_name.push(("identity_provider", "LocalIdP".into()));
    let mut by_identifier = request.clone();
    by_identifier.push(("idp_identifier", "EXAMPLE.org".into()));
    for asked in [&by_name, &by_identifier] {
        let page = authorize(&url, asked).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains(r#"action="/oauth2/idpresponse""#), "{}", page.body);
    }
    let mut unknown = request.clone();
    unknown.push(("idp_identifier", "elsewhere.example".into()));
    assert_eq!(
        authorize(&url, &unknown).await.header("location").unwrap(),
        format!("{CALLBACK}?error=invalid_request&state=st-1")
    );

    // Cancel at the provider: back to the client with access_denied and the state.
    let mut cancel = by_name.clone();
    cancel.push(("cancel", "1".into()));
    let cancelled = post_form(&url, "/oauth2/idpresponse", &cancel).await;
    assert_eq!(cancelled.status, 302);
    let location = cancelled.header("location").unwrap();
    assert!(location.starts_with(&format!("{CALLBACK}?error=access_denied&error_description=")), "{location}");
    assert!(location.ends_with("&state=st-1"));

    // The provider's answer: a linked user, the same one each time.
    let mut answer = by_name.clone();
    answer.push(("email", "Nia@Example.org".into()));
    answer.push(("name", "Nia Okafor".into()));
    let mut usernames = Vec::new();
    for _ in 0..2 {
        let back = post_form(&url, "/oauth2/idpresponse", &answer).await;
        assert_eq!(back.status, 302, "{}", back.body);
        assert!(back.header("set-cookie").unwrap().starts_with("cognito-local-session="));
        let code = code_of(back.header("location").unwrap());
        let (status, tokens) = exchange(&url, &client, &code, CALLBACK, VERIFIER).await;
        assert_eq!(status, 200, "{tokens}");
        let id = claims(tokens["id_token"].as_str().unwrap());
        let username = id["cognito:username"].as_str().unwrap().to_string();
        assert!(username.starts_with("LocalIdP_") && username[9..].bytes().all(|b| b.is_ascii_digit()), "{username}");
        assert_eq!(id["identities"][0]["providerName"], "LocalIdP");
        assert_eq!(id["identities"][0]["providerType"], "OIDC");
        assert_eq!(id["identities"][0]["userId"], username[9..]);
        assert_eq!(id["cognito:groups"], json!([format!("{POOL_ID}_LocalIdP")]));
        assert_eq!((id["email"].as_str(), id["name"].as_str()), (Some("Nia@Example.org"), Some("Nia Okafor")));
        assert_eq!(id["nonce"], "n-0S6_WzA2Mj");
        let access = tokens["access_token"].as_str().unwrap();
        assert_eq!(claims(access)["scope"], "openid email aws.cognito.signin.user.admin");
        assert_eq!(get_user(&url, access).await.unwrap().username, username);
        usernames.push(username);
    }
    assert_eq!(usernames[0], usernames[1]);
    // A federated user has no password to sign in with through the API.
    assert_error(
        login(&url, &usernames[0], PASSWORD).await,
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    // The provider's page asks again for an answer that is not an email.
    let mut bad = by_name.clone();
    bad.push(("email", "nobody".into()));
    let again = post_form(&url, "/oauth2/idpresponse", &bad).await;
    assert_eq!((again.status, again.header("location")), (400, None));
    assert!(again.body.contains("Enter an email address."));

    // UpdateUserPoolClient replaces the settings (what it leaves out goes back to the default).
    let mut update = client_with(json!(["LocalIdP"]));
    update["ClientId"] = json!(client);
    update["CallbackURLs"] = json!(["http://localhost:9999/cb"]);
    update.as_object_mut().unwrap().remove("ClientName");
    let updated = raw_call(&url, "UpdateUserPoolClient", &update).await.unwrap();
    assert_eq!(updated["UserPoolClient"]["ClientName"], "social");
    assert_eq!(updated["UserPoolClient"]["LogoutURLs"], json!([]));
    assert_eq!(authorize(&url, &authorize_query(&client, CALLBACK)).await.status, 400, "no longer registered");
    let moved = authorize(&url, &authorize_query(&client, "http://localhost:9999/cb")).await;
    assert!(moved.body.contains("Continue with LocalIdP") && !moved.body.contains("password"), "{}", moved.body);
}
