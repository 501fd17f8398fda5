//! Managed login's OAuth 2.0 authorization-code flow with PKCE, as a front end meets it (issue 21, first
//! part): `/oauth2/authorize` (checked against the app client's OAuth settings; an unregistered redirect
//! URI gets an error page, never a redirect), a local hosted sign-in page (`/login`, username and
//! password), and `/oauth2/token` (`authorization_code` with the S256 code verifier, `refresh_token`),
//! with the OAuth error answers Cognito's endpoints give (`invalid_request`, `invalid_client`,
//! `invalid_grant`, `unauthorized_client`, `unsupported_grant_type`, `invalid_scope`).
//!
//! The hosted page keeps a session (a cookie, an hour) so the next authorize request of the same browser
//! signs in at once unless `prompt=login`; `/logout` ends it and goes back to a registered sign-out URL.
//! `/oauth2/userInfo` answers the attributes of an access token's user, `/oauth2/revoke` ends a refresh
//! token's family. Not yet: external identity providers, the implicit grant.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::ids;
use crate::model::{Pool, UserStatus};
use crate::service::Service;
use crate::user_ops::password_matches;

/// An authorization code lives five minutes and works once (the token endpoint guide).
pub const CODE_SECONDS: i64 = 300;

/// An app client's managed-login settings (CreateUserPoolClient's `AllowedOAuthFlowsUserPoolClient`,
/// `AllowedOAuthFlows`, `AllowedOAuthScopes`, `CallbackURLs`, `LogoutURLs`, `SupportedIdentityProviders`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthClient {
    /// `AllowedOAuthFlowsUserPoolClient`: the client may use the OAuth endpoints at all.
    #[serde(default)]
    pub enabled: bool,
    /// `code` and/or `implicit`.
    #[serde(default)]
    pub flows: Vec<String>,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub callback_urls: Vec<String>,
    #[serde(default)]
    pub logout_urls: Vec<String>,
    #[serde(default)]
    pub identity_providers: Vec<String>,
}

/// The hosted page's session of a browser (the `cognito-local-session` cookie): its user in a pool.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostedSession {
    pub user_key: String,
    pub expires_at: i64,
}

/// The hosted page's session lasts an hour (managed login's session cookie).
pub const HOSTED_SESSION_SECONDS: i64 = 3600;
/// The cookie's name.
pub const SESSION_COOKIE: &str = "cognito-local-session";

/// A code handed to the client's redirect URI, waiting to be exchanged.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizationCode {
    pub client_id: String,
    pub user_key: String,
    pub redirect_uri: String,
    /// The S256 challenge, when the client sent one (then the verifier is required).
    pub code_challenge: Option<String>,
    pub scopes: Vec<String>,
    pub expires_at: i64,
}

/// What `/oauth2/authorize` and the hosted page carry from the client.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuthorizeRequest {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub state: Option<String>,
    pub scope: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub identity_provider: Option<String>,
    pub idp_identifier: Option<String>,
    pub lang: Option<String>,
    pub login_hint: Option<String>,
    pub prompt: Option<String>,
    pub nonce: Option<String>,
}

/// Where an authorize request goes.
#[derive(Debug, PartialEq)]
pub enum Authorize {
    /// Show the hosted sign-in page for this (checked) request.
    SignIn,
    /// Back to the client's (registered) redirect URI with `error` (and `state`).
    Refuse { redirect_uri: String, error: &'static str },
    /// No redirect possible (no such client, an unregistered redirect URI): an error page.
    ErrorPage(&'static str),
}

/// Cognito's rules for an authorize request, in their order: the client and the redirect URI first (an
/// error there must not redirect anywhere), then what may be told to the client by redirect.
pub fn check_authorize(pool: Option<&Pool>, req: &AuthorizeRequest) -> Authorize {
    let Some(pool) = pool else { return Authorize::ErrorPage("invalid_request") };
    let Some(client) = req.client_id.as_ref().and_then(|id| pool.clients.get(id)) else {
        return Authorize::ErrorPage("invalid_request");
    };
    let oauth = &client.oauth;
    let Some(redirect_uri) = req.redirect_uri.as_ref().filter(|u| oauth.callback_urls.contains(u)) else {
        return Authorize::ErrorPage("redirect_mismatch");
    };
    let refuse = |error| Authorize::Refuse { redirect_uri: redirect_uri.clone(), error };
    match req.response_type.as_deref() {
        Some("code") => {}
        Some("token") => return refuse("unauthorized_client"), // the implicit grant is not offered here
        _ => return refuse("unsupported_response_type"),
    }
    if !oauth.enabled || !oauth.flows.iter().any(|f| f == "code") {
        return refuse("unauthorized_client");
    }
    let scopes = requested_scopes(req);
    if scopes.iter().any(|s| !oauth.scopes.contains(s)) {
        return refuse("invalid_scope");
    }
    match (req.code_challenge.as_deref(), req.code_challenge_method.as_deref()) {
        (Some(c), Some("S256")) if is_s256_challenge(c) => {}
        (None, None) => {}
        _ => return refuse("invalid_request"),
    }
    match req.identity_provider.as_deref() {
        None | Some("COGNITO") if oauth.identity_providers.iter().any(|p| p == "COGNITO") => Authorize::SignIn,
        _ => refuse("invalid_request"),
    }
}

/// The scopes asked for (space-separated; none: all the client allows, as Cognito does).
fn requested_scopes(req: &AuthorizeRequest) -> Vec<String> {
    req.scope.as_deref().map(|s| s.split_whitespace().map(str::to_string).collect()).unwrap_or_default()
}

/// An S256 challenge is the base64url (no padding) of a SHA-256: 43 characters.
fn is_s256_challenge(challenge: &str) -> bool {
    challenge.len() == 43 && URL_SAFE_NO_PAD.decode(challenge).is_ok_and(|b| b.len() == 32)
}

/// RFC 7636: the verifier is 43 to 128 unreserved characters, and its S256 is the challenge.
pub fn verifier_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    well_formed && cognito_core::oauth::challenge(verifier) == challenge
}

/// The hosted page's sign-in: a right password of a confirmed user gives a code for the redirect URI
/// (and the user's key, for the hosted session). `Err` is what the page says (Cognito's words for a
/// wrong password).
pub fn sign_in(
    svc: &Service,
    pool: &mut Pool,
    req: &AuthorizeRequest,
    username: &str,
    password: &str,
) -> Result<(String, String), &'static str> {
    let user_key = pool.find_user(username).ok_or("Incorrect username or password.")?;
    let user = &pool.users[&user_key];
    if !password_matches(&pool.id, user, password) || !user.enabled {
        return Err("Incorrect username or password.");
    }
    if user.status != UserStatus::Confirmed {
        return Err("User is not confirmed.");
    }
    Ok((issue_code(svc, pool, req, user_key.clone()), user_key))
}

/// A new code for the authorize request, for this user.
pub fn issue_code(svc: &Service, pool: &mut Pool, req: &AuthorizeRequest, user_key: String) -> String {
    let client_id = req.client_id.clone().unwrap_or_default();
    let scopes = match requested_scopes(req) {
        s if s.is_empty() => pool.clients[&client_id].oauth.scopes.clone(),
        s => s,
    };
    let code = ids::uuid_v4();
    pool.oauth_codes.retain(|_, c| c.expires_at > svc.now());
    pool.oauth_codes.insert(
        code.clone(),
        AuthorizationCode {
            client_id,
            user_key,
            redirect_uri: req.redirect_uri.clone().unwrap_or_default(),
            code_challenge: req.code_challenge.clone(),
            scopes,
            expires_at: svc.now() + CODE_SECONDS,
        },
    );
    code
}

/// A hosted session for the user who just signed in on the hosted page: its id, for the cookie.
pub fn start_session(svc: &Service, pool: &mut Pool, user_key: &str) -> String {
    let id = ids::random_id(40, ids::ALNUM);
    pool.hosted_sessions.retain(|_, s| s.expires_at > svc.now());
    pool.hosted_sessions.insert(
        id.clone(),
        HostedSession { user_key: user_key.to_string(), expires_at: svc.now() + HOSTED_SESSION_SECONDS },
    );
    id
}

/// The user of a live hosted session (an enabled, confirmed user), from the request's cookie header.
pub fn session_user(svc: &Service, pool: &Pool, cookie_header: Option<&str>) -> Option<String> {
    let id = session_id(cookie_header)?;
    let session = pool.hosted_sessions.get(&id).filter(|s| s.expires_at > svc.now())?;
    let user = pool.users.get(&session.user_key)?;
    (user.enabled && user.status == UserStatus::Confirmed).then(|| session.user_key.clone())
}

/// The hosted session's id in a `Cookie` header.
pub fn session_id(cookie_header: Option<&str>) -> Option<String> {
    cookie_header?
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

/// `/logout`: the registered sign-out URL to go back to (`logout_uri`), or the error that an error page
/// shows. The hosted session ends either way.
pub fn logout(
    pool: Option<&mut Pool>,
    client_id: Option<&str>,
    logout_uri: Option<&str>,
    cookie: Option<&str>,
) -> Result<String, &'static str> {
    let pool = pool.ok_or("invalid_request")?;
    if let Some(id) = session_id(cookie) {
        pool.hosted_sessions.remove(&id);
    }
    let client = client_id.and_then(|id| pool.clients.get(id)).ok_or("invalid_request")?;
    logout_uri
        .filter(|u| client.oauth.logout_urls.iter().any(|l| l == u))
        .map(str::to_string)
        .ok_or("redirect_mismatch")
}

/// `/oauth2/userInfo`: the access token's user's attributes (`sub`, `username`, and the rest the token's
/// user has), or the OAuth error.
pub fn user_info(svc: &Service, access_token: Option<&str>) -> Result<Value, OAuthError> {
    let model = svc.model();
    let token = access_token.ok_or(OAuthError("invalid_token"))?;
    let (pool_id, key) = svc.authenticate(&model, token).map_err(|_| OAuthError("invalid_token"))?;
    let user = &model.pools[&pool_id].users[&key];
    let mut answer = serde_json::Map::new();
    for a in user.attribute_list() {
        answer.insert(a.name, json!(a.value));
    }
    answer.insert("username".into(), json!(user.username));
    Ok(Value::Object(answer))
}

/// `/oauth2/revoke`: ends the refresh token's family (every token made from the same sign-in).
pub fn revoke(svc: &Service, token: Option<&str>, client_id: Option<&str>) -> Result<(), OAuthError> {
    let (token, client_id) =
        (token.ok_or(OAuthError("invalid_request"))?, client_id.ok_or(OAuthError("invalid_request"))?);
    let request =
        cognito_core::api::RevokeTokenRequest { token: token.into(), client_id: client_id.into(), client_secret: None };
    match crate::user_ops::revoke_token(svc, request) {
        Ok(_) => Ok(()),
        Err(e) if e.code == "UnsupportedOperationException" => Err(OAuthError("unsupported_token_type")),
        Err(e) if e.code == "UnauthorizedException" => Err(OAuthError("unauthorized_client")),
        Err(_) => Err(OAuthError("invalid_request")),
    }
}

/// `/oauth2/token`'s form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub refresh_token: Option<String>,
}

/// An OAuth error answer: `{"error": …}` with status 400.
#[derive(Debug, PartialEq)]
pub struct OAuthError(pub &'static str);

/// The token endpoint: `authorization_code` (the code once, for its client and redirect URI, with the
/// verifier of its challenge) or `refresh_token`. Answers the OAuth token JSON.
pub fn token(svc: &Service, req: &TokenRequest) -> Result<Value, OAuthError> {
    let mut model = svc.model();
    let client_id = req.client_id.as_deref().ok_or(OAuthError("invalid_request"))?;
    let pool_id = model
        .pools
        .values()
        .find(|p| p.clients.contains_key(client_id))
        .map(|p| p.id.clone())
        .ok_or(OAuthError("invalid_client"))?;
    let pool = model.pools.get_mut(&pool_id).expect("found");
    let client = pool.clients[client_id].clone();
    if !client.oauth.enabled {
        return Err(OAuthError("unauthorized_client"));
    }
    let answer = match req.grant_type.as_deref() {
        Some("authorization_code") => {
            let code = req.code.as_deref().ok_or(OAuthError("invalid_request"))?;
            // Used or not, a code presented is spent (a replayed one must never work).
            let grant = pool.oauth_codes.remove(code).ok_or(OAuthError("invalid_grant"))?;
            let fits = grant.client_id == client_id
                && grant.expires_at > svc.now()
                && req.redirect_uri.as_deref() == Some(grant.redirect_uri.as_str());
            let verified = match (&grant.code_challenge, req.code_verifier.as_deref()) {
                (Some(challenge), Some(verifier)) => verifier_matches(verifier, challenge),
                (Some(_), None) => false,
                (None, _) => true,
            };
            if !fits || !verified {
                return Err(OAuthError("invalid_grant"));
            }
            if !pool.users.get(&grant.user_key).is_some_and(|u| u.enabled) {
                return Err(OAuthError("invalid_grant"));
            }
            let tokens = svc.issue_tokens(pool, &client, &grant.user_key, None, None);
            token_json(&tokens)
        }
        Some("refresh_token") => {
            let refresh = req.refresh_token.as_deref().ok_or(OAuthError("invalid_request"))?;
            let tokens = crate::auth_ops::tokens_for_refresh_token(svc, pool, client_id, refresh, None)
                .map_err(|_| OAuthError("invalid_grant"))?;
            token_json(&tokens)
        }
        Some(_) => return Err(OAuthError("unsupported_grant_type")),
        None => return Err(OAuthError("invalid_request")),
    };
    svc.persist(&model).map_err(|_| OAuthError("server_error"))?;
    Ok(answer)
}

fn token_json(tokens: &cognito_core::api::AuthenticationResult) -> Value {
    let mut answer = json!({
        "id_token": tokens.id_token,
        "access_token": tokens.access_token,
        "token_type": "Bearer",
        "expires_in": tokens.expires_in,
    });
    if let Some(refresh) = &tokens.refresh_token {
        answer["refresh_token"] = json!(refresh);
    }
    answer
}

/// The query of a redirect back to the client: its parameters, URL-encoded, after the URI's own.
pub fn redirect_to(uri: &str, parameters: &[(&str, &str)]) -> String {
    let separator = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{separator}{}", cognito_core::oauth::form(parameters))
}

/// Text for HTML (the hosted page echoes the request's values into hidden fields).
pub fn html_escape(value: &str) -> String {
    value.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The hosted sign-in page: a plain form posting back to `/login` with the authorize request's values.
pub fn sign_in_page(req: &AuthorizeRequest, message: Option<&str>) -> String {
    let hidden: BTreeMap<&str, &Option<String>> = BTreeMap::from([
        ("response_type", &req.response_type),
        ("client_id", &req.client_id),
        ("redirect_uri", &req.redirect_uri),
        ("state", &req.state),
        ("scope", &req.scope),
        ("code_challenge", &req.code_challenge),
        ("code_challenge_method", &req.code_challenge_method),
        ("nonce", &req.nonce),
    ]);
    let fields: String = hidden
        .iter()
        .filter_map(|(name, value)| {
            value.as_deref().map(|v| format!(r#"<input type="hidden" name="{name}" value="{}">"#, html_escape(v)))
        })
        .collect();
    let alert = message.map(|m| format!(r#"<p role="alert">{}</p>"#, html_escape(m))).unwrap_or_default();
    let hint = html_escape(req.login_hint.as_deref().unwrap_or(""));
    let lang = html_escape(req.lang.as_deref().unwrap_or("en"));
    format!(
        r#"<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Sign in (cognito-local managed login)</title></head><body><main><h1>Sign in</h1>{alert}
<form method="post" action="/login">{fields}
<label for="username">Username</label> <input id="username" name="username" autocomplete="username" value="{hint}" required>
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></main></body></html>"#
    )
}

/// The page shown when the request cannot be sent back to the client.
pub fn error_page(error: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><main>
<h1>An error was encountered with the requested page.</h1><p id="error">{}</p></main></body></html>"#,
        html_escape(error)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_s256_verifier_of_rfc_7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(verifier_matches(verifier, challenge));
        assert!(is_s256_challenge(challenge));
        assert!(!verifier_matches("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj", challenge));
        assert!(!verifier_matches("short", challenge));
        assert!(!is_s256_challenge("plain-verifier"));
    }

    #[test]
    fn redirects_and_pages_encode_what_they_carry() {
        assert_eq!(
            redirect_to("https://a.example/cb", &[("code", "x y"), ("state", "s&t")]),
            "https://a.example/cb?code=x%20y&state=s%26t"
        );
        assert_eq!(
            redirect_to("https://a.example/cb?k=1", &[("error", "invalid_request")]),
            "https://a.example/cb?k=1&error=invalid_request"
        );
        let page =
            sign_in_page(&AuthorizeRequest { state: Some(r#""><script>"#.into()), ..Default::default() }, Some("<b>"));
        assert!(!page.contains("<script>") && !page.contains("<b>"));
    }
}
