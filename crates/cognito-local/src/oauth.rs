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
//! token's family.
//!
//! External identity providers are local stand-ins (the pool file's `identityProviders`): asked for by
//! `identity_provider` or `idp_identifier`, or picked on the hosted page, one shows its own page (an email
//! and a name, or Cancel), and its answer signs in a linked user as Cognito does for Google's or a SAML
//! provider's: `<Provider>_<id>`, status `EXTERNAL_PROVIDER`, an `identities` attribute, in the group
//! `<pool id>_<Provider>`. Cancel comes back to the client as `error=access_denied`. Not modelled: the
//! implicit grant, attribute mapping beyond email and name.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::Digest as _;

use crate::ids;
use crate::model::{Pool, UserStatus};
use crate::service::{OAuthGrant, Service};
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

impl OAuthClient {
    /// Whether the client offers this provider (`SupportedIdentityProviders`; `COGNITO` is the pool's
    /// own sign-in).
    pub fn lists(&self, provider: &str) -> bool {
        self.identity_providers.iter().any(|p| p == provider)
    }
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
    /// The authorize request's `nonce`, for the id token.
    #[serde(default)]
    pub nonce: Option<String>,
}

/// An external identity provider of the pool (CreateIdentityProvider's `ProviderName`, `ProviderType`,
/// `IdpIdentifiers`); in the pool file `{"name": "Corp", "type": "SAML", "identifiers": ["corp.example"]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdentityProvider {
    pub name: String,
    /// `Google`, `Facebook`, `LoginWithAmazon`, `SignInWithApple`, `OIDC` or `SAML`.
    #[serde(rename = "type")]
    pub provider_type: String,
    #[serde(default)]
    pub identifiers: Vec<String>,
}

/// The provider types Cognito has, as CreateIdentityProvider spells them.
pub const PROVIDER_TYPES: [&str; 6] = ["Google", "Facebook", "LoginWithAmazon", "SignInWithApple", "OIDC", "SAML"];

/// CreateIdentityProvider's rules for a provider's name and type (names are 1 to 32 characters without
/// `_`, which separates the provider from the user's id in a federated username; `COGNITO` is taken).
pub fn check_provider(provider: &IdentityProvider) -> Result<(), String> {
    if !PROVIDER_TYPES.contains(&provider.provider_type.as_str()) {
        return Err(format!("type must be one of {PROVIDER_TYPES:?}"));
    }
    let name_ok = (1..=32).contains(&provider.name.chars().count())
        && !provider.name.contains('_')
        && provider.name != "COGNITO"
        && provider.name.chars().all(|c| !c.is_control());
    if !name_ok {
        return Err("a name is 1 to 32 characters, without '_', and not COGNITO".into());
    }
    Ok(())
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
    /// Sign in at this external provider (named by `identity_provider` or `idp_identifier`).
    Provider(String),
    /// Back to the request's redirect URI (checked: registered) with this `error` (and `state`).
    Refuse(&'static str),
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
    if !req.redirect_uri.as_ref().is_some_and(|u| oauth.callback_urls.contains(u)) {
        return Authorize::ErrorPage("redirect_mismatch");
    }
    let refuse = Authorize::Refuse;
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
    let listed = |name: &str| oauth.lists(name);
    let external = |name: &str| pool.identity_providers.contains_key(name) && listed(name);
    match (req.identity_provider.as_deref(), req.idp_identifier.as_deref()) {
        (Some("COGNITO"), _) if listed("COGNITO") => Authorize::SignIn,
        (Some(name), _) if external(name) => Authorize::Provider(name.to_string()),
        (Some(_), _) => refuse("invalid_request"),
        (None, Some(id)) => pool
            .identity_providers
            .values()
            .find(|p| p.identifiers.iter().any(|i| i.eq_ignore_ascii_case(id)) && listed(&p.name))
            .map_or(refuse("invalid_request"), |p| Authorize::Provider(p.name.clone())),
        // The hosted page: the pool's own sign-in and/or the client's external providers.
        (None, None) if !oauth.identity_providers.is_empty() => Authorize::SignIn,
        (None, None) => refuse("invalid_request"),
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

/// The hosted page's sign-in: a right password of a confirmed user (for a client that lists `COGNITO`)
/// gives the user's key. `Err` is what the page says (Cognito's words for a wrong password).
pub fn sign_in(pool: &Pool, req: &AuthorizeRequest, username: &str, password: &str) -> Result<String, &'static str> {
    let client = req.client_id.as_ref().and_then(|id| pool.clients.get(id)).ok_or("invalid_request")?;
    if !client.oauth.lists("COGNITO") {
        return Err("invalid_request");
    }
    let user_key = pool.find_user(username).ok_or("Incorrect username or password.")?;
    let user = &pool.users[&user_key];
    if !password_matches(&pool.id, user, password) || !user.enabled {
        return Err("Incorrect username or password.");
    }
    if user.status != UserStatus::Confirmed {
        return Err("User is not confirmed.");
    }
    Ok(user_key)
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
            nonce: req.nonce.clone(),
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
    let signed_in = matches!(user.status, UserStatus::Confirmed | UserStatus::ExternalProvider);
    (user.enabled && signed_in).then(|| session.user_key.clone())
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
    let (pool_id, key) = svc.authenticate_any_scope(&model, token).map_err(|_| OAuthError("invalid_token"))?;
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
            let oauth_grant = OAuthGrant { scopes: &grant.scopes, nonce: grant.nonce.as_deref() };
            let tokens = svc.issue_tokens(pool, &client, &grant.user_key, None, None, Some(&oauth_grant));
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

/// The authorize request's values as hidden fields of a page's form (carried back to this server).
fn hidden_fields(req: &AuthorizeRequest) -> String {
    authorize_pairs(req)
        .iter()
        .map(|(name, value)| format!(r#"<input type="hidden" name="{name}" value="{}">"#, html_escape(value)))
        .collect()
}

/// The authorize request's values that travel with it (the ones a page passes on).
fn authorize_pairs(req: &AuthorizeRequest) -> Vec<(&'static str, &str)> {
    let fields: BTreeMap<&str, &Option<String>> = BTreeMap::from([
        ("response_type", &req.response_type),
        ("client_id", &req.client_id),
        ("redirect_uri", &req.redirect_uri),
        ("state", &req.state),
        ("scope", &req.scope),
        ("code_challenge", &req.code_challenge),
        ("code_challenge_method", &req.code_challenge_method),
        ("nonce", &req.nonce),
        ("lang", &req.lang),
    ]);
    fields.into_iter().filter_map(|(name, value)| value.as_deref().map(|v| (name, v))).collect()
}

/// What a page says went wrong, announced (nothing when nothing did).
fn alert(message: Option<&str>) -> String {
    message.map(|m| format!(r#"<p role="alert">{}</p>"#, html_escape(m))).unwrap_or_default()
}

fn page(lang: &str, title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title}</title></head><body><main>{body}</main></body></html>"#,
        html_escape(lang)
    )
}

/// The hosted sign-in page: the pool's own sign-in (a form posting back to `/login` with the authorize
/// request's values) when the client lists `COGNITO`, and a button per external provider it lists.
pub fn sign_in_page(req: &AuthorizeRequest, pool: &Pool, message: Option<&str>) -> String {
    let client = req.client_id.as_ref().and_then(|id| pool.clients.get(id)).map(|c| &c.oauth);
    let listed = client.map(|c| c.identity_providers.as_slice()).unwrap_or_default();
    let mut body = format!("<h1>Sign in</h1>{}", alert(message));
    for name in listed.iter().filter(|n| pool.identity_providers.contains_key(*n)) {
        let mut pairs = authorize_pairs(req);
        pairs.push(("identity_provider", name));
        let href = html_escape(&format!("/oauth2/authorize?{}", cognito_core::oauth::form(&pairs)));
        body.push_str(&format!(r#"<p><a href="{href}">Continue with {}</a></p>"#, html_escape(name)));
    }
    if client.is_some_and(|c| c.lists("COGNITO")) {
        let hint = html_escape(req.login_hint.as_deref().unwrap_or(""));
        body.push_str(&format!(
            r#"<form method="post" action="/login">{}
<label for="username">Username</label> <input id="username" name="username" autocomplete="username" value="{hint}" required>
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>"#,
            hidden_fields(req)
        ));
    }
    page(req.lang.as_deref().unwrap_or("en"), "Sign in (cognito-local managed login)", &body)
}

/// An external provider's own page (a local stand-in for Google's or a company's): who to sign in as, or
/// Cancel; it answers `/oauth2/idpresponse`.
pub fn provider_page(req: &AuthorizeRequest, provider: &str, message: Option<&str>) -> String {
    let alert = alert(message);
    let name = html_escape(provider);
    let hint = html_escape(req.login_hint.as_deref().unwrap_or(""));
    let body = format!(
        r#"<h1>{name}</h1><p>A local stand-in for the identity provider {name}.</p>{alert}
<form method="post" action="/oauth2/idpresponse">{}<input type="hidden" name="identity_provider" value="{name}">
<label for="email">Email</label> <input id="email" name="email" type="email" autocomplete="email" value="{hint}" required>
<label for="name">Name</label> <input id="name" name="name" autocomplete="name">
<button type="submit">Continue</button> <button type="submit" name="cancel" value="1" formnovalidate>Cancel</button></form>"#,
        hidden_fields(req)
    );
    page("en", &format!("Sign in with {name}"), &body)
}

/// The user an external provider's answer signs in, made or updated as Cognito does for a federated
/// user: `<Provider>_<the provider's id for them>` (here derived from the email, so it is stable), status
/// `EXTERNAL_PROVIDER`, the email and name mapped, `identities` naming the link, and the pool's
/// automatic group `<pool id>_<Provider>`. Returns the user's key.
pub fn federated_user(
    svc: &Service,
    pool: &mut Pool,
    provider: &str,
    email: &str,
    name: &str,
) -> Result<String, &'static str> {
    let email = email.trim();
    if !crate::model::is_email(email) || email.len() > 2048 {
        return Err("Enter an email address.");
    }
    let provider_type = pool.identity_providers.get(provider).ok_or("invalid_request")?.provider_type.clone();
    let digest = sha2::Sha256::digest(email.to_lowercase().as_bytes());
    let user_id = u64::from_be_bytes(digest[..8].try_into().unwrap_or_default()).to_string();
    let username = format!("{provider}_{user_id}");
    let key = crate::service::user_key(&username);
    let now = svc.now();
    let identities = json!([{
        "userId": user_id,
        "providerName": provider,
        "providerType": provider_type,
        "issuer": null,
        "primary": "true",
        "dateCreated": now * 1000,
    }]);
    let group = format!("{}_{provider}", pool.id);
    pool.groups.entry(group.clone()).or_insert_with(|| crate::model::Group {
        name: group.clone(),
        description: Some(format!("Autogenerated group for users who sign in using {provider}")),
        precedence: None,
        created: now,
    });
    let user = pool.users.entry(key.clone()).or_insert_with(|| {
        let mut attributes = BTreeMap::new();
        attributes.insert("identities".to_string(), identities.to_string());
        crate::model::User::new(&username, attributes, UserStatus::ExternalProvider, now)
    });
    user.attributes.insert("email".into(), email.to_string());
    user.attributes.insert("email_verified".into(), "true".into());
    match name.trim() {
        "" => user.attributes.remove("name"),
        name => user.attributes.insert("name".into(), name.to_string()),
    };
    user.groups.insert(group);
    user.modified = now;
    if !user.enabled {
        return Err("User is disabled.");
    }
    Ok(key)
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
        let req = AuthorizeRequest { state: Some(r#""><script>"#.into()), ..Default::default() };
        let page = provider_page(&req, "Corp<i>", Some("<b>"));
        assert!(!page.contains("<script>") && !page.contains("<b>") && !page.contains("<i>"));
        assert!(page.contains(r#"name="state" value="&quot;&gt;&lt;script&gt;""#));
    }
}
