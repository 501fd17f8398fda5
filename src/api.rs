//! HTTP to Cognito's JSON API: one typed call per operation.
//!
//! Requests are written with serde_json; answers are read with cognito-core's small JSON reader
//! (`cognito_core::json`). Only that encoding is generic over the operation. The transport ([`post`]) and the retry loop
//! take and return text and are compiled once: every page's async task awaits the same boxed future
//! instead of carrying its own copy of the request code (this keeps the wasm download small).
//!
//! Failed calls are sent again (up to [`ATTEMPTS`], with jittered backoff) as `cognito_core::retry`
//! decides: reads, sign-in starts, refreshes and sign-outs after any transient failure; changes only when
//! the service throttled them (it did nothing), never after an answer that may have been lost.

use std::future::Future;
use std::pin::Pin;

use cognito_core::api::{target, Operation, CONTENT_TYPE, TARGET_HEADER};
use cognito_core::config::AppConfig;
use cognito_core::json::FromJson;
use cognito_core::retry::may_retry;
use cognito_core::{CallError, CognitoError};

use crate::problem::Problem;

/// Attempts a call makes in all when its failures may be retried.
pub const ATTEMPTS: u32 = 3;

/// Calls one Cognito operation at the configured endpoint; a failure in words for the page.
pub async fn call<O: Operation>(config: &AppConfig, request: &O::Request) -> Result<O::Response, Problem> {
    send::<O>(config, request).await.map_err(|e| Problem::from_call(O::NAME, &e))
}

/// [`call`], keeping the raw failure (for the session, which tells token problems apart).
pub async fn send<O: Operation>(config: &AppConfig, request: &O::Request) -> Result<O::Response, CallError> {
    let body = encode(request)?;
    decode::<O>(&post(config.endpoint.clone(), O::NAME, body).await?)
}

pub fn encode<T: serde::Serialize>(request: &T) -> Result<String, CallError> {
    serde_json::to_string(request).map_err(|e| CallError::Decode(e.to_string()))
}

pub fn decode<O: Operation>(answer: &str) -> Result<O::Response, CallError> {
    O::Response::from_json_text(answer).map_err(|e| unreadable(O::NAME, e))
}

/// Not generic: one copy of the formatting for every operation's answer.
#[inline(never)]
fn unreadable(operation: &str, e: cognito_core::json::JsonError) -> CallError {
    CallError::Decode(format!("{operation}: {e}"))
}

type Answer = Pin<Box<dyn Future<Output = Result<String, CallError>>>>;

/// POSTs `body` to operation `name`, again while [`may_retry`] allows, up to [`ATTEMPTS`] in all
/// (backoff about 0.3 s, then 0.9 s); the body of a 2xx answer, or the failure.
pub fn post(endpoint: String, name: &'static str, body: String) -> Answer {
    Box::pin(async move {
        let mut attempt = 1;
        loop {
            match post_once(&endpoint, name, &body).await {
                Err(e) if attempt < ATTEMPTS && may_retry(name, &e) => {
                    let base = 100.0 * f64::from(3u32.pow(attempt));
                    crate::browser::sleep_ms((base * (0.5 + crate::browser::random_unit())) as i32).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    })
}

async fn post_once(endpoint: &str, name: &str, body: &str) -> Result<String, CallError> {
    let headers = [("Content-Type", CONTENT_TYPE), (TARGET_HEADER, &target(name)), ("Cache-Control", "no-store")];
    let (status, text, error_type) = fetch_text(endpoint, &headers, body).await?;
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        Err(CallError::Service(CognitoError::from_response(status, error_type.as_deref(), &text)))
    }
}

/// POSTs a form (`application/x-www-form-urlencoded`) once, for managed login's token endpoint: the
/// status and the body whatever the status (its OAuth errors are JSON bodies of 400 answers). A "simple"
/// request (no preflight), as managed login's CORS expects.
pub async fn post_form(url: &str, body: String) -> Result<(u16, String), CallError> {
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    let (status, text, _) = fetch_text(url, &headers, &body).await?;
    Ok((status, text))
}

/// One POST: the answer's status, body and `x-amzn-errortype` (the one copy of the request code).
async fn fetch_text(
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<(u16, String, Option<String>), CallError> {
    let network = |e: gloo_net::Error| CallError::Network(e.to_string());
    let mut request = gloo_net::http::Request::post(url);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = request.body(body).map_err(network)?.send().await.map_err(network)?;
    let status = response.status();
    let text = response.text().await.map_err(network)?;
    Ok((status, text, response.headers().get("x-amzn-errortype")))
}
