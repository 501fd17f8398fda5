//! HTTP: Cognito's JSON 1.1 protocol on `POST /` (operation in `X-Amz-Target`), the pools' JWKS and
//! OpenID configuration, local-only helpers under `/_local/`, and CORS for the pages allowed to call it (see [`origin_allowed`]).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use cognito_core::api::{self, Operation};
use cognito_core::error::codes;
use cognito_core::CognitoError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use crate::service::{err, Service};
use crate::{admin_ops as admin, auth_ops as auth, mfa_ops as mfa, oauth, user_ops as user};

/// Largest request body accepted (Cognito's requests are a few kB).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

pub fn router(svc: Arc<Service>) -> Router {
    Router::new()
        .route("/", post(api_call))
        .route("/{pool_id}/.well-known/jwks.json", get(jwks))
        .route("/{pool_id}/.well-known/openid-configuration", get(openid_configuration))
        .route("/oauth2/authorize", get(oauth_authorize))
        .route("/login", post(oauth_sign_in))
        .route("/oauth2/token", post(oauth_token))
        .route("/oauth2/userInfo", get(oauth_user_info).post(oauth_user_info))
        .route("/oauth2/revoke", post(oauth_revoke))
        .route("/oauth2/idpresponse", post(oauth_idp_response))
        .route("/logout", get(oauth_logout))
        .route("/_local/codes/{pool_id}/{username}", get(local_codes))
        .route("/_local/clock", get(local_clock).post(advance_clock))
        .route("/_local/health", get(|| async { "ok" }))
        .route("/_local/echo", get(echo).post(echo))
        .route("/_local/faults", post(set_fault).delete(clear_faults))
        .fallback(fallback)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(local_only))
        .layer(axum::middleware::from_fn_with_state(svc.clone(), cors))
        .with_state(svc)
}

/// Request headers a browser may send (Amplify v6 and the AWS SDK add the `amz-sdk-*` ones).
const ALLOWED_HEADERS: &str =
    "content-type, x-amz-target, x-amz-user-agent, cache-control, authorization, amz-sdk-invocation-id, amz-sdk-request";
/// Answer headers a page may read, as Cognito exposes them.
const EXPOSED_HEADERS: &str = "x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date";

/// CORS for the pages allowed to call this server ([`origin_allowed`]): their preflights are answered and
/// their answers carry `Access-Control-Allow-Origin` with their origin. Any other page gets no CORS
/// headers (a refused preflight), so its browser neither sends the call nor shows it the answer.
async fn cors(
    State(svc): State<Arc<Service>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let origin = request.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()).map(str::to_string);
    let allowed = origin.filter(|o| origin_allowed(o, &svc.allowed_origins));
    let mut response = if request.method() == Method::OPTIONS {
        if allowed.is_some() { StatusCode::NO_CONTENT } else { StatusCode::FORBIDDEN }.into_response()
    } else {
        next.run(request).await
    };
    let h = response.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("origin"));
    if let Some(origin) = allowed.and_then(|o| HeaderValue::from_str(&o).ok()) {
        h.insert("access-control-allow-origin", origin);
        h.insert("access-control-allow-headers", HeaderValue::from_static(ALLOWED_HEADERS));
        h.insert("access-control-allow-methods", HeaderValue::from_static("GET, POST, OPTIONS"));
        h.insert("access-control-expose-headers", HeaderValue::from_static(EXPOSED_HEADERS));
        h.insert("access-control-max-age", HeaderValue::from_static("600"));
    }
    response
}

/// Whether a web page of `origin` may call this server: pages served from this machine (`localhost`,
/// `*.localhost` and loopback addresses, any port, http or https) and the origins named on the command
/// line (`--allow-origin`) or in a pool file (`allowedOrigins`).
pub fn origin_allowed(origin: &str, named: &[String]) -> bool {
    if named.iter().any(|o| o == origin) {
        return true;
    }
    let Some(authority) = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) else {
        return false;
    };
    split_host_port(authority).is_some_and(|(host, _)| is_loopback_host(host))
}

/// `host[:port]` or `[v6][:port]` → (host without brackets, port); None when malformed.
fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(rest) => {
            let (host, after) = rest.split_once(']')?;
            (host, if after.is_empty() { None } else { Some(after.strip_prefix(':')?) })
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    (!host.is_empty() && port_ok).then_some((host, port))
}

fn is_loopback_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The `Host` a local-only call must come with: an IP address or a `localhost` name. A page that
/// points its own domain name at 127.0.0.1 (DNS rebinding) sends its name and is refused.
fn host_is_local(host: &str) -> bool {
    split_host_port(host).is_some_and(|(name, _)| is_loopback_host(name) || name.parse::<std::net::IpAddr>().is_ok())
}

/// Why a request for a local-only function (administration, `/_local/*`) is refused: it comes from a web
/// page (browsers mark those with `Origin` or `Sec-Fetch-Site`) or under a foreign host name. Scripts,
/// tests and the command line send neither.
fn local_only_refusal(headers: &HeaderMap) -> Option<&'static str> {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if !value("host").is_some_and(host_is_local) {
        return Some("cognito-local answers this only to requests for a local host name (127.0.0.1 or localhost).");
    }
    let from_page =
        value("origin").is_some() || value("sec-fetch-site").is_some_and(|s| s != "none" && s != "same-origin");
    from_page.then_some("cognito-local does not answer this to web pages: call it from a script or the command line.")
}

fn forbidden(message: &str) -> Response {
    (StatusCode::FORBIDDEN, axum::Json(json!({"message": message}))).into_response()
}

/// `/_local/*` (codes, clock, faults, health) is for scripts and tests only; `/_local/echo` stands in for a
/// protected API that pages call, so it is open to the pages CORS allows.
async fn local_only(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let path = request.uri().path();
    if path.starts_with("/_local/") && path != "/_local/echo" && request.method() != Method::OPTIONS {
        if let Some(why) = local_only_refusal(request.headers()) {
            return forbidden(why);
        }
    }
    next.run(request).await
}

async fn fallback() -> Response {
    (StatusCode::NOT_FOUND, axum::Json(json!({"message": "Not found"}))).into_response()
}

fn amz_json(status: StatusCode, body: String, error_type: Option<&str>) -> Response {
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(api::CONTENT_TYPE));
    if let Ok(id) = HeaderValue::from_str(&crate::ids::uuid_v4()) {
        h.insert("x-amzn-requestid", id);
    }
    if let Some(code) = error_type.and_then(|c| HeaderValue::from_str(c).ok()) {
        h.insert("x-amzn-errortype", code);
    }
    response
}

fn error_response(e: &CognitoError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    amz_json(status, e.body_json(), Some(&e.code))
}

async fn api_call(State(svc): State<Arc<Service>>, headers: HeaderMap, body: Bytes) -> Response {
    let target = headers.get(api::TARGET_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    let op = target.strip_prefix(api::TARGET_PREFIX).unwrap_or("").to_string();
    // Administrative operations are signed with AWS credentials in Cognito; here they are open to local
    // scripts, but never to web pages.
    let user_facing = api::OPERATION_NAMES.contains(&op.as_str());
    if !user_facing {
        if let Some(why) = local_only_refusal(&headers) {
            let e = CognitoError::new(403, "AccessDeniedException", why);
            return error_response(&e);
        }
    }
    let (delay_ms, planned) = svc.take_fault(&op);
    if delay_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(delay_ms.min(60_000))).await;
    }
    if let Some(e) = planned {
        return error_response(&e);
    }
    let outcome = tokio::task::spawn_blocking(move || dispatch(&svc, &op, &body)).await;
    match outcome {
        Ok(Ok(value)) => amz_json(StatusCode::OK, value.to_string(), None),
        Ok(Err(e)) => error_response(&e),
        Err(_) => error_response(&CognitoError::new(500, codes::INTERNAL_ERROR, "Internal server error")),
    }
}

/// A malformed request: a missing member is InvalidParameterException (Cognito's validation error),
/// anything else a SerializationException.
fn request_error(e: serde_json::Error) -> CognitoError {
    let text = e.to_string();
    if let Some(rest) = text.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        let mut chars = field.chars();
        let camel: String = chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default();
        return err(
            codes::INVALID_PARAMETER,
            format!("1 validation error detected: Value null at '{camel}' failed to satisfy constraint: Member must not be null"),
        );
    }
    err(codes::SERIALIZATION, text)
}

fn call<Req: DeserializeOwned, Resp: Serialize>(
    body: Value,
    handler: impl FnOnce(Req) -> Result<Resp, CognitoError>,
) -> Result<Value, CognitoError> {
    let request = serde_json::from_value(body).map_err(request_error)?;
    handler(request).map(|response| serde_json::to_value(response).expect("responses serialize"))
}

fn dispatch(svc: &Service, op: &str, body: &[u8]) -> Result<Value, CognitoError> {
    let body: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(body)
            .map_err(|e| err(codes::SERIALIZATION, format!("Request body is not valid JSON: {e}")))?
    };
    if !body.is_object() {
        return Err(err(codes::SERIALIZATION, "Start of structure or map expected."));
    }
    match op {
        api::SignUp::NAME => call(body, |r| user::sign_up(svc, r)),
        api::ConfirmSignUp::NAME => call(body, |r| user::confirm_sign_up(svc, r)),
        api::ResendConfirmationCode::NAME => call(body, |r| user::resend_confirmation_code(svc, r)),
        api::InitiateAuth::NAME => call(body, |r| auth::initiate_auth(svc, r)),
        api::RespondToAuthChallenge::NAME => call(body, |r| auth::respond_to_auth_challenge(svc, r)),
        api::GetUser::NAME => call(body, |r| user::get_user(svc, r)),
        api::GlobalSignOut::NAME => call(body, |r| user::global_sign_out(svc, r)),
        api::RevokeToken::NAME => call(body, |r| user::revoke_token(svc, r)),
        api::GetTokensFromRefreshToken::NAME => call(body, |r| auth::get_tokens_from_refresh_token(svc, r)),
        api::ForgotPassword::NAME => call(body, |r| user::forgot_password(svc, r)),
        api::ConfirmForgotPassword::NAME => call(body, |r| user::confirm_forgot_password(svc, r)),
        api::ChangePassword::NAME => call(body, |r| user::change_password(svc, r)),
        api::UpdateUserAttributes::NAME => call(body, |r| user::update_user_attributes(svc, r)),
        api::VerifyUserAttribute::NAME => call(body, |r| user::verify_user_attribute(svc, r)),
        api::GetUserAttributeVerificationCode::NAME => {
            call(body, |r| user::get_user_attribute_verification_code(svc, r))
        }
        api::DeleteUser::NAME => call(body, |r| user::delete_user(svc, r)),
        api::AssociateSoftwareToken::NAME => call(body, |r| mfa::associate_software_token(svc, r)),
        api::VerifySoftwareToken::NAME => call(body, |r| mfa::verify_software_token(svc, r)),
        api::SetUserMFAPreference::NAME => call(body, |r| mfa::set_user_mfa_preference(svc, r)),
        api::StartWebAuthnRegistration::NAME => call(body, |r| crate::webauthn_ops::start_registration(svc, r)),
        api::CompleteWebAuthnRegistration::NAME => call(body, |r| crate::webauthn_ops::complete_registration(svc, r)),
        api::ListWebAuthnCredentials::NAME => call(body, |r| crate::webauthn_ops::list_credentials(svc, r)),
        api::DeleteWebAuthnCredential::NAME => call(body, |r| crate::webauthn_ops::delete_credential(svc, r)),
        api::ConfirmDevice::NAME => call(body, |r| crate::devices::confirm_device(svc, r)),
        api::GetDevice::NAME => call(body, |r| crate::devices::get_device(svc, r)),
        api::ListDevices::NAME => call(body, |r| crate::devices::list_devices(svc, r)),
        api::UpdateDeviceStatus::NAME => call(body, |r| crate::devices::update_device_status(svc, r)),
        api::ForgetDevice::NAME => call(body, |r| crate::devices::forget_device(svc, r)),
        "CreateUserPool" => call(body, |r| admin::create_user_pool(svc, r)),
        "CreateUserPoolClient" => call(body, |r| admin::create_user_pool_client(svc, r)),
        "UpdateUserPoolClient" => call(body, |r| admin::update_user_pool_client(svc, r)),
        "DescribeUserPool" => call(body, |r| admin::describe_user_pool(svc, r)),
        "DescribeUserPoolClient" => call(body, |r| admin::describe_user_pool_client(svc, r)),
        "SetUserPoolMfaConfig" => call(body, |r| admin::set_user_pool_mfa_config(svc, r)),
        "GetUserPoolMfaConfig" => call(body, |r| admin::get_user_pool_mfa_config(svc, r)),
        "AdminCreateUser" => call(body, |r| admin::admin_create_user(svc, r)),
        "AdminConfirmSignUp" => call(body, |r| admin::admin_confirm_sign_up(svc, r)),
        "AdminGetUser" => call(body, |r| admin::admin_get_user(svc, r)),
        "AdminDeleteUser" => call(body, |r| admin::admin_delete_user(svc, r)),
        "AdminDisableUser" => call(body, |r| admin::admin_set_enabled(svc, r, false)),
        "AdminEnableUser" => call(body, |r| admin::admin_set_enabled(svc, r, true)),
        "CreateGroup" => call(body, |r| admin::create_group(svc, r)),
        "CreateIdentityProvider" => call(body, |r| admin::create_identity_provider(svc, r)),
        "CreateUserPoolDomain" => call(body, |r| admin::create_user_pool_domain(svc, r)),
        "AdminAddUserToGroup" => call(body, |r| admin::admin_add_user_to_group(svc, r)),
        "ListUsers" => call(body, |r| admin::list_users(svc, r)),
        _ => Err(err(codes::UNKNOWN_OPERATION, "")),
    }
}

async fn jwks(State(svc): State<Arc<Service>>, Path(pool_id): Path<String>) -> Response {
    let model = svc.model();
    match model.pools.get(&pool_id) {
        Some(pool) => axum::Json(svc.pool_keys(pool).jwks()).into_response(),
        None => (StatusCode::NOT_FOUND, axum::Json(json!({"message": "User pool not found"}))).into_response(),
    }
}

async fn openid_configuration(State(svc): State<Arc<Service>>, Path(pool_id): Path<String>) -> Response {
    if !svc.model().pools.contains_key(&pool_id) {
        return (StatusCode::NOT_FOUND, axum::Json(json!({"message": "User pool not found"}))).into_response();
    }
    let issuer = svc.issuer(&pool_id);
    // The pool's managed-login domain is this server itself.
    let base = issuer.strip_suffix(&format!("/{pool_id}")).unwrap_or(&issuer).to_string();
    axum::Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{base}/oauth2/authorize"),
        "token_endpoint": format!("{base}/oauth2/token"),
        "userinfo_endpoint": format!("{base}/oauth2/userInfo"),
        "revocation_endpoint": format!("{base}/oauth2/revoke"),
        "end_session_endpoint": format!("{base}/logout"),
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "id_token_signing_alg_values_supported": ["RS256"],
        "subject_types_supported": ["public"],
        "response_types_supported": ["code", "token"],
        "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }))
    .into_response()
}

/// Managed login's `/oauth2/authorize`: the hosted sign-in page for a request the client may make, the
/// client's redirect URI with `error` for one it may not, an error page when there is no registered
/// redirect URI to go back to.
/// A browser with a live hosted session is signed in at once (unless `prompt=login`).
async fn oauth_authorize(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    axum::extract::Query(req): axum::extract::Query<oauth::AuthorizeRequest>,
) -> Response {
    let (mut model, pool_id, place) = match checked_pool(&svc, &req) {
        Ok(checked) => checked,
        Err(refused) => return *refused,
    };
    let pool = model.pools.get_mut(&pool_id).expect("found");
    if let oauth::Authorize::Provider(provider) = place {
        return html(StatusCode::OK, oauth::provider_page(&req, &provider, None));
    }
    let cookie = headers.get(header::COOKIE).and_then(|v| v.to_str().ok());
    match oauth::session_user(&svc, pool, cookie).filter(|_| req.prompt.as_deref() != Some("login")) {
        Some(user_key) => {
            let code = oauth::issue_code(&svc, pool, &req, user_key);
            if svc.persist(&model).is_err() {
                return html(StatusCode::INTERNAL_SERVER_ERROR, oauth::error_page("server_error"));
            }
            back_to_client(&req, &[("code", &code)])
        }
        // `prompt=none`: sign in only if that needs nothing from the user (OpenID Connect Core 3.1.2.6).
        None if req.prompt.as_deref() == Some("none") => back_to_client(&req, &[("error", "login_required")]),
        None => html(StatusCode::OK, oauth::sign_in_page(&req, pool, None)),
    }
}

/// The model, the pool and where to sign in (the hosted page or an external provider) for an authorize
/// request the client may make, or the answer refusing it.
fn checked_pool<'s>(
    svc: &'s Service,
    req: &oauth::AuthorizeRequest,
) -> Result<(std::sync::MutexGuard<'s, crate::model::Model>, String, oauth::Authorize), Box<Response>> {
    let model = svc.model();
    let pool = req.client_id.as_ref().and_then(|id| model.pools.values().find(|p| p.clients.contains_key(id)));
    match (oauth::check_authorize(pool, req), pool) {
        (place @ (oauth::Authorize::SignIn | oauth::Authorize::Provider(_)), Some(pool)) => {
            let pool_id = pool.id.clone();
            Ok((model, pool_id, place))
        }
        (refused, _) => {
            drop(model);
            Err(Box::new(oauth_refusal(refused, req)))
        }
    }
}

/// The authorize request a hosted page's form carries back (its fields are the browser's: checked again).
fn carried_request(form: &std::collections::BTreeMap<String, String>) -> oauth::AuthorizeRequest {
    let field = |name: &str| form.get(name).cloned();
    oauth::AuthorizeRequest {
        response_type: field("response_type"),
        client_id: field("client_id"),
        redirect_uri: field("redirect_uri"),
        state: field("state"),
        scope: field("scope"),
        code_challenge: field("code_challenge"),
        code_challenge_method: field("code_challenge_method"),
        nonce: field("nonce"),
        lang: field("lang"),
        identity_provider: field("identity_provider"),
        ..Default::default()
    }
}

/// A code for the user who just signed in, with a new hosted session (its cookie) for the browser.
fn signed_in_back(
    svc: &Service,
    mut model: std::sync::MutexGuard<'_, crate::model::Model>,
    pool_id: &str,
    req: &oauth::AuthorizeRequest,
    user_key: String,
) -> Response {
    let pool = model.pools.get_mut(pool_id).expect("found");
    let code = oauth::issue_code(svc, pool, req, user_key.clone());
    let session = oauth::start_session(svc, pool, &user_key);
    if svc.persist(&model).is_err() {
        return html(StatusCode::INTERNAL_SERVER_ERROR, oauth::error_page("server_error"));
    }
    let mut response = back_to_client(req, &[("code", &code)]);
    let cookie = format!(
        "{}={session}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        oauth::SESSION_COOKIE,
        oauth::HOSTED_SESSION_SECONDS
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// An external provider's answer (its page's form): Cancel goes back to the client with
/// `error=access_denied`; otherwise the linked user signs in.
async fn oauth_idp_response(
    State(svc): State<Arc<Service>>,
    axum::extract::Form(form): axum::extract::Form<std::collections::BTreeMap<String, String>>,
) -> Response {
    let req = carried_request(&form);
    let (mut model, pool_id, place) = match checked_pool(&svc, &req) {
        Ok(checked) => checked,
        Err(refused) => return *refused,
    };
    let oauth::Authorize::Provider(provider) = place else {
        return html(StatusCode::BAD_REQUEST, oauth::error_page("invalid_request"));
    };
    if form.contains_key("cancel") {
        return back_to_client(
            &req,
            &[("error", "access_denied"), ("error_description", "The user cancelled the sign-in.")],
        );
    }
    let pool = model.pools.get_mut(&pool_id).expect("found");
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    match oauth::federated_user(&svc, pool, &provider, field("email"), field("name")) {
        Ok(user_key) => signed_in_back(&svc, model, &pool_id, &req, user_key),
        Err(message) => html(StatusCode::BAD_REQUEST, oauth::provider_page(&req, &provider, Some(message))),
    }
}

/// Back to the client's redirect URI (checked: registered) with `parameters` and the request's `state`.
fn back_to_client(req: &oauth::AuthorizeRequest, parameters: &[(&str, &str)]) -> Response {
    let mut back = parameters.to_vec();
    if let Some(state) = req.state.as_deref() {
        back.push(("state", state));
    }
    redirect(&oauth::redirect_to(req.redirect_uri.as_deref().unwrap_or_default(), &back))
}

/// The hosted page's form: the authorize request again (checked again: the page's fields are the
/// browser's), then the username and password; a code goes back to the client's redirect URI.
async fn oauth_sign_in(
    State(svc): State<Arc<Service>>,
    axum::extract::Form(form): axum::extract::Form<std::collections::BTreeMap<String, String>>,
) -> Response {
    let mut req = carried_request(&form);
    req.login_hint = form.get("username").cloned();
    let (mut model, pool_id, place) = match checked_pool(&svc, &req) {
        Ok(checked) => checked,
        Err(refused) => return *refused,
    };
    if place != oauth::Authorize::SignIn {
        return html(StatusCode::BAD_REQUEST, oauth::error_page("invalid_request"));
    }
    let pool = model.pools.get_mut(&pool_id).expect("found");
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    match oauth::sign_in(pool, &req, field("username"), field("password")) {
        Ok(user_key) => signed_in_back(&svc, model, &pool_id, &req, user_key),
        Err(message) => html(StatusCode::BAD_REQUEST, oauth::sign_in_page(&req, pool, Some(message))),
    }
}

fn oauth_refusal(refused: oauth::Authorize, req: &oauth::AuthorizeRequest) -> Response {
    match refused {
        oauth::Authorize::Refuse(error) => back_to_client(req, &[("error", error)]),
        oauth::Authorize::ErrorPage(error) => html(StatusCode::BAD_REQUEST, oauth::error_page(error)),
        oauth::Authorize::SignIn | oauth::Authorize::Provider(_) => {
            html(StatusCode::BAD_REQUEST, oauth::error_page("invalid_request"))
        }
    }
}

/// Managed login's `/oauth2/token` (form-encoded): the OAuth token JSON, or `{"error": …}` with 400.
async fn oauth_token(
    State(svc): State<Arc<Service>>,
    axum::extract::Form(form): axum::extract::Form<oauth::TokenRequest>,
) -> Response {
    let mut response = match oauth::token(&svc, &form) {
        Ok(answer) => axum::Json(answer).into_response(),
        Err(oauth::OAuthError(error)) => (StatusCode::BAD_REQUEST, axum::Json(json!({"error": error}))).into_response(),
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `/oauth2/userInfo` with `Authorization: Bearer <access token>`.
async fn oauth_user_info(State(svc): State<Arc<Service>>, headers: HeaderMap) -> Response {
    let token =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    match oauth::user_info(&svc, token) {
        Ok(answer) => axum::Json(answer).into_response(),
        Err(oauth::OAuthError(error)) => {
            let mut response = (StatusCode::UNAUTHORIZED, axum::Json(json!({"error": error}))).into_response();
            let challenge = format!(r#"Bearer error="{error}""#);
            if let Ok(value) = HeaderValue::from_str(&challenge) {
                response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
            }
            response
        }
    }
}

/// `/oauth2/revoke` (form-encoded `token`, `client_id`): 200 with nothing, or the OAuth error.
async fn oauth_revoke(
    State(svc): State<Arc<Service>>,
    axum::extract::Form(form): axum::extract::Form<std::collections::BTreeMap<String, String>>,
) -> Response {
    match oauth::revoke(&svc, form.get("token").map(String::as_str), form.get("client_id").map(String::as_str)) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(oauth::OAuthError(error)) => (StatusCode::BAD_REQUEST, axum::Json(json!({"error": error}))).into_response(),
    }
}

/// `/logout?client_id&logout_uri`: ends the hosted session (the cookie goes), then back to the client's
/// registered sign-out URL; an unregistered one gets an error page, never a redirect.
async fn oauth_logout(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    let client_id = query.get("client_id").map(String::as_str);
    let cookie = headers.get(header::COOKIE).and_then(|v| v.to_str().ok());
    let mut model = svc.model();
    let pool_id =
        client_id.and_then(|id| model.pools.values().find(|p| p.clients.contains_key(id))).map(|p| p.id.clone());
    let answer = oauth::logout(
        pool_id.and_then(|id| model.pools.get_mut(&id)),
        client_id,
        query.get("logout_uri").map(String::as_str),
        cookie,
    );
    if svc.persist(&model).is_err() {
        return html(StatusCode::INTERNAL_SERVER_ERROR, oauth::error_page("server_error"));
    }
    let mut response = match answer {
        Ok(uri) => redirect(&uri),
        Err(error) => html(StatusCode::BAD_REQUEST, oauth::error_page(error)),
    };
    let expired = format!("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0", oauth::SESSION_COOKIE);
    if let Ok(value) = HeaderValue::from_str(&expired) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

fn html(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"));
    response
}

fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(to) => (StatusCode::FOUND, [(header::LOCATION, to)]).into_response(),
        Err(_) => html(StatusCode::BAD_REQUEST, oauth::error_page("invalid_request")),
    }
}

/// The codes a user was "emailed": `{"confirmation", "forgotPassword", "attributes": {...}, "signIn"}`, only
/// those that exist and have not expired (`signIn`: the code of a sign-in by email or SMS, EMAIL_OTP/SMS_OTP).
async fn local_codes(State(svc): State<Arc<Service>>, Path((pool_id, username)): Path<(String, String)>) -> Response {
    let now = svc.now();
    let model = svc.model();
    let Some(user) = model.pools.get(&pool_id).and_then(|p| p.find_user(&username).map(|k| &p.users[&k])) else {
        return (StatusCode::NOT_FOUND, axum::Json(json!({"message": "No such pool or user"}))).into_response();
    };
    let live = |c: &crate::model::Code| (c.expires_at > now).then(|| c.value.clone());
    let mut out = serde_json::Map::new();
    if let Some(code) = user.codes.confirmation.as_ref().and_then(live) {
        out.insert("confirmation".into(), json!(code));
    }
    if let Some(code) = user.codes.forgot_password.as_ref().and_then(live) {
        out.insert("forgotPassword".into(), json!(code));
    }
    if let Some(code) = user.codes.sign_in.as_ref().and_then(live) {
        out.insert("signIn".into(), json!(code));
    }
    let attributes: serde_json::Map<String, Value> =
        user.codes.attributes.iter().filter_map(|(name, c)| live(c).map(|v| (name.clone(), json!(v)))).collect();
    if !attributes.is_empty() {
        out.insert("attributes".into(), Value::Object(attributes));
    }
    axum::Json(Value::Object(out)).into_response()
}

/// A protected API for tests of "call an API with the id token": it checks the `Authorization` header the
/// way an API Gateway Cognito authorizer does (an id token of a pool on this server, RS256 signature,
/// `token_use` id, `aud` one of the pool's clients, not expired; revocation is not checked, as there) and
/// echoes the claims, or answers 401 `{"message": "Unauthorized"}`.
async fn echo(State(svc): State<Arc<Service>>, headers: HeaderMap) -> Response {
    let unauthorized = || (StatusCode::UNAUTHORIZED, axum::Json(json!({"message": "Unauthorized"}))).into_response();
    let Some(token) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return unauthorized();
    };
    let token = token.strip_prefix("Bearer ").unwrap_or(token);
    let Ok(claims) = cognito_core::jwt::decode_payload(token) else {
        return unauthorized();
    };
    let model = svc.model();
    let pool = claims.str("iss").and_then(|iss| iss.rsplit('/').next()).and_then(|id| model.pools.get(id));
    let Some(pool) = pool else {
        return unauthorized();
    };
    let valid = claims.str("iss") == Some(svc.issuer(&pool.id).as_str())
        && svc.pool_keys(pool).id.verify(token)
        && claims.token_use() == Some("id")
        && claims.str("aud").is_some_and(|aud| pool.clients.contains_key(aud))
        && claims.exp() > svc.now();
    if !valid {
        return unauthorized();
    }
    axum::Json(json!({"message": "ok", "claims": claims.all()})).into_response()
}

/// `{"operation": "InitiateAuth", "count": 2, "error": "InternalErrorException", "delayMs": 0}`: the next
/// `count` calls of the operation fail (and each waits `delayMs`). DELETE clears every plan.
async fn set_fault(State(svc): State<Arc<Service>>, body: Bytes) -> Response {
    match serde_json::from_slice::<crate::service::Fault>(&body) {
        Ok(fault) => {
            svc.set_fault(fault);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => (StatusCode::BAD_REQUEST, axum::Json(json!({"message": e.to_string()}))).into_response(),
    }
}

async fn clear_faults(State(svc): State<Arc<Service>>) -> Response {
    svc.clear_faults();
    StatusCode::NO_CONTENT.into_response()
}

async fn local_clock(State(svc): State<Arc<Service>>) -> Response {
    axum::Json(json!({"now": svc.now()})).into_response()
}

/// `{"advanceSeconds": N}` moves the server's clock forward (tests of expiry); at most
/// [`crate::service::MAX_CLOCK_OFFSET_SECONDS`] in all, else 400 and the clock stays.
async fn advance_clock(State(svc): State<Arc<Service>>, body: Bytes) -> Response {
    let seconds = serde_json::from_slice::<Value>(&body).ok().and_then(|v| v["advanceSeconds"].as_i64());
    match seconds.and_then(|s| svc.advance_clock(s)) {
        Some(now) => axum::Json(json!({"now": now})).into_response(),
        None => (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"message": format!(
                "expected {{\"advanceSeconds\": N}} with N >= 0, the clock moved at most {} seconds in all",
                crate::service::MAX_CLOCK_OFFSET_SECONDS
            )})),
        )
            .into_response(),
    }
}
