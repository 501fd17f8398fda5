//! Test harness: a server on a free loopback port with a test pool, a minimal HTTP/1.1 client, and an SRP
//! login driven by cognito-core's client half.
#![allow(dead_code)]

use std::path::PathBuf;

use cognito_core::api::*;
use cognito_core::srp::{answer_password_verifier, ClientEphemeral, PasswordVerifierChallenge};
use cognito_core::timestamp::cognito_timestamp;
use cognito_core::CognitoError;
use cognito_local::{start, Config, Running};
use serde::Serialize;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const POOL_ID: &str = "us-east-1_TestPool1";
pub const CLIENT_ID: &str = "testclient0000000000000001";
/// A client of the same pool that reports unknown users instead of hiding them.
pub const LEGACY_CLIENT_ID: &str = "testclient0000000000legacy";
/// A client with refresh-token rotation (10 s grace period) and so without REFRESH_TOKEN_AUTH.
pub const ROTATING_CLIENT_ID: &str = "testclient000000000rotates";
pub const ROTATION_GRACE_SECONDS: i64 = 10;
pub const PASSWORD: &str = "Correct-Horse-9";

pub fn pool_file() -> PathBuf {
    // One file per call: tests run in parallel threads, and a shared file could be read while another
    // test is rewriting it.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("cognito-local-test-pool-{}-{n}.json", std::process::id()));
    let pool = json!({
        "poolId": POOL_ID,
        "poolName": "test",
        "mfaConfiguration": "OPTIONAL",
        "requiredAttributes": ["email", "name"],
        "autoVerifiedAttributes": ["email"],
        "clients": [
            {"clientId": CLIENT_ID, "clientName": "web", "accessTokenValiditySeconds": 300,
             "idTokenValiditySeconds": 300, "refreshTokenValiditySeconds": 3600},
            {"clientId": LEGACY_CLIENT_ID, "clientName": "legacy", "preventUserExistenceErrors": false},
            {"clientId": ROTATING_CLIENT_ID, "clientName": "rotating", "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH"],
             "refreshTokenValiditySeconds": 3600,
             "refreshTokenRotation": {"feature": "ENABLED", "retryGracePeriodSeconds": ROTATION_GRACE_SECONDS}}
        ]
    });
    std::fs::write(&path, pool.to_string()).unwrap();
    path
}

pub async fn server_with(data_dir: Option<PathBuf>) -> Running {
    start(Config { port: 0, pool_files: vec![pool_file()], data_dir, print_codes: false, ..Config::default() })
        .await
        .expect("server starts")
}

pub async fn server() -> Running {
    server_with(None).await
}

pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request with `Connection: close`.
pub async fn http(url: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> HttpResponse {
    try_http(url, method, path, headers, body).await.expect("HTTP exchange")
}

/// [`http`], with a refused connection or a cut-off answer as an error instead of a panic.
pub async fn try_http(
    url: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<HttpResponse> {
    let broken = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    let addr = url.strip_prefix("http://").ok_or_else(|| broken("not an http:// URL"))?;
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let text = String::from_utf8(raw).map_err(|_| broken("answer is not UTF-8"))?;
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| broken("answer cut off"))?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| broken("no status line"))?;
    let headers = lines.filter_map(|l| l.split_once(": ")).map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Ok(HttpResponse { status, headers, body: body.to_string() })
}

/// The code [`raw_call`] reports when the server could not be reached or cut the answer off.
pub const NETWORK_ERROR: &str = "NetworkError";

/// A Cognito call by operation name and JSON body.
pub async fn raw_call(url: &str, op: &str, body: &Value) -> Result<Value, CognitoError> {
    let target = format!("AWSCognitoIdentityProviderService.{op}");
    let r = try_http(
        url,
        "POST",
        "/",
        &[("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", &target)],
        body.to_string().as_bytes(),
    )
    .await
    .map_err(|e| CognitoError::new(0, NETWORK_ERROR, e.to_string()))?;
    if r.status == 200 {
        assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
        Ok(serde_json::from_str(&r.body).unwrap())
    } else {
        let e = CognitoError::from_response(r.status, r.header("x-amzn-errortype"), &r.body);
        assert_eq!(r.header("x-amzn-errortype"), Some(e.code.as_str()), "header and body agree");
        Err(e)
    }
}

/// A typed call through cognito-core's API types.
pub async fn call<O: Operation>(url: &str, req: &O::Request) -> Result<O::Response, CognitoError>
where
    O::Request: Serialize,
{
    raw_call(url, O::NAME, &serde_json::to_value(req).unwrap())
        .await
        .map(|v| serde_json::from_value(v).expect("response parses as the operation's type"))
}

pub async fn codes(url: &str, username: &str) -> Value {
    let r = http(url, "GET", &format!("/_local/codes/{POOL_ID}/{username}"), &[], b"").await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

pub async fn advance_clock(url: &str, seconds: i64) {
    let r = http(url, "POST", "/_local/clock", &[], json!({"advanceSeconds": seconds}).to_string().as_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

pub fn sign_up_request(username: &str, email: &str, password: &str) -> SignUpRequest {
    SignUpRequest {
        client_id: CLIENT_ID.into(),
        username: username.into(),
        password: Some(password.into()),
        user_attributes: vec![AttributeType::new("email", email), AttributeType::new("name", "Test User")],
        ..Default::default()
    }
}

/// Sign up and confirm with the emailed code.
pub async fn confirmed_user(url: &str, username: &str) {
    call::<SignUp>(url, &sign_up_request(username, &format!("{username}@example.com"), PASSWORD)).await.unwrap();
    let code = codes(url, username).await["confirmation"].as_str().unwrap().to_string();
    let confirm = ConfirmSignUpRequest {
        client_id: CLIENT_ID.into(),
        username: username.into(),
        confirmation_code: code,
        ..Default::default()
    };
    call::<ConfirmSignUp>(url, &confirm).await.unwrap();
}

/// USER_SRP_AUTH → PASSWORD_VERIFIER, computed by cognito-core's client.
pub async fn login_with(
    url: &str,
    client_id: &str,
    username: &str,
    password: &str,
) -> Result<AuthResponse, CognitoError> {
    let respond = password_verifier_answer(url, client_id, username, password).await?;
    call::<RespondToAuthChallenge>(url, &respond).await
}

/// USER_SRP_AUTH, and the PASSWORD_VERIFIER answer for `password` (not sent).
pub async fn password_verifier_answer(
    url: &str,
    client_id: &str,
    username: &str,
    password: &str,
) -> Result<RespondToAuthChallengeRequest, CognitoError> {
    password_verifier_answer_at(url, client_id, username, password, &now_timestamp()).await
}

fn now_timestamp() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    cognito_timestamp(now)
}

/// A whole SRP sign-in to a client of any pool (`pool_name`: the part of the pool id after `_`).
pub async fn login_to_pool(
    url: &str,
    client_id: &str,
    pool_name: &str,
    username: &str,
    password: &str,
) -> Result<(AuthResponse, String), CognitoError> {
    let respond = srp_answer(url, client_id, pool_name, username, password, &now_timestamp()).await?;
    let user_id_for_srp = respond.challenge_responses["USERNAME"].clone();
    Ok((call::<RespondToAuthChallenge>(url, &respond).await?, user_id_for_srp))
}

/// [`password_verifier_answer`] signed over the given TIMESTAMP text.
pub async fn password_verifier_answer_at(
    url: &str,
    client_id: &str,
    username: &str,
    password: &str,
    timestamp: &str,
) -> Result<RespondToAuthChallengeRequest, CognitoError> {
    srp_answer(url, client_id, "TestPool1", username, password, timestamp).await
}

async fn srp_answer(
    url: &str,
    client_id: &str,
    pool_name: &str,
    username: &str,
    password: &str,
    timestamp: &str,
) -> Result<RespondToAuthChallengeRequest, CognitoError> {
    let ephemeral = ClientEphemeral::generate().unwrap();
    let start =
        call::<InitiateAuth>(url, &InitiateAuthRequest::user_srp(client_id, username, ephemeral.public_hex())).await?;
    assert_eq!(start.challenge_name, Some(ChallengeName::PasswordVerifier));
    let challenge = PasswordVerifierChallenge::from_parameters(&start.challenge_parameters).unwrap();
    let answer = answer_password_verifier(&ephemeral, pool_name, password, &challenge, timestamp).unwrap();
    Ok(RespondToAuthChallengeRequest::new(
        client_id,
        ChallengeName::PasswordVerifier,
        answer.into_challenge_responses(),
        start.session,
    ))
}

pub async fn login(url: &str, username: &str, password: &str) -> Result<AuthenticationResult, CognitoError> {
    let r = login_with(url, CLIENT_ID, username, password).await?;
    Ok(r.authentication_result.expect("tokens"))
}

pub async fn refresh(url: &str, refresh_token: &str) -> Result<AuthenticationResult, CognitoError> {
    call::<InitiateAuth>(url, &InitiateAuthRequest::refresh(CLIENT_ID, refresh_token))
        .await
        .map(|r| r.authentication_result.expect("tokens"))
}

pub async fn get_user(url: &str, access_token: &str) -> Result<GetUserResponse, CognitoError> {
    call::<GetUser>(url, &AccessTokenRequest { access_token: access_token.into() }).await
}

pub fn assert_error<T: std::fmt::Debug>(result: Result<T, CognitoError>, code: &str, message: &str) {
    let e = result.expect_err("an error");
    assert_eq!((e.code.as_str(), e.message.as_str()), (code, message));
}

/// A pool made for one test (with CreateUserPool), and a public web client of it.
pub struct TestPool {
    pub url: String,
    pub id: String,
    pub client: String,
}

impl TestPool {
    /// The pool `id` with a new web client.
    pub async fn with_client(url: &str, id: String) -> TestPool {
        let client =
            raw_call(url, "CreateUserPoolClient", &json!({"UserPoolId": id, "ClientName": "web"})).await.unwrap();
        let client = client["UserPoolClient"]["ClientId"].as_str().unwrap().to_string();
        TestPool { url: url.to_string(), id, client }
    }

    /// The pool's name in SRP (the part of its id after `_`).
    pub fn name(&self) -> &str {
        self.id.split_once('_').unwrap().1
    }

    pub async fn codes(&self, username: &str) -> Value {
        let r = http(&self.url, "GET", &format!("/_local/codes/{}/{username}", self.id), &[], b"").await;
        serde_json::from_str(&r.body).unwrap()
    }

    /// A confirmed user with the email `<username>@example.com` and these attributes besides.
    pub async fn user(&self, username: &str, attributes: &[(&str, &str)]) {
        let mut request = sign_up_request(username, &format!("{username}@example.com"), PASSWORD);
        request.client_id = self.client.clone();
        request.user_attributes.extend(attributes.iter().map(|(n, v)| AttributeType::new(*n, *v)));
        call::<SignUp>(&self.url, &request).await.unwrap();
        let confirm = ConfirmSignUpRequest {
            client_id: self.client.clone(),
            username: username.into(),
            confirmation_code: self.codes(username).await["confirmation"].as_str().unwrap().into(),
            ..Default::default()
        };
        call::<ConfirmSignUp>(&self.url, &confirm).await.unwrap();
    }

    /// USER_SRP_AUTH and the PASSWORD_VERIFIER answer, naming `device` with the proof (as
    /// amazon-cognito-identity-js and Amplify do).
    pub async fn password_step(&self, username: &str, device: Option<&str>) -> Result<AuthResponse, CognitoError> {
        let ephemeral = ClientEphemeral::generate().unwrap();
        let start = InitiateAuthRequest::user_srp(&self.client, username, ephemeral.public_hex());
        let start = call::<InitiateAuth>(&self.url, &start).await?;
        let challenge = PasswordVerifierChallenge::from_parameters(&start.challenge_parameters).unwrap();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        let answer =
            answer_password_verifier(&ephemeral, self.name(), PASSWORD, &challenge, &cognito_timestamp(now)).unwrap();
        let mut responses = answer.into_challenge_responses();
        if let Some(d) = device {
            responses.insert(cognito_core::sign_in::key::DEVICE_KEY.into(), d.into());
        }
        let request =
            RespondToAuthChallengeRequest::new(&self.client, ChallengeName::PasswordVerifier, responses, start.session);
        call::<RespondToAuthChallenge>(&self.url, &request).await
    }

    pub async fn respond(
        &self,
        name: ChallengeName,
        responses: std::collections::BTreeMap<String, String>,
        session: Option<String>,
    ) -> Result<AuthResponse, CognitoError> {
        call::<RespondToAuthChallenge>(
            &self.url,
            &RespondToAuthChallengeRequest::new(&self.client, name, responses, session),
        )
        .await
    }
}
