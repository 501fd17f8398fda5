//! HTTP to Cognito's JSON API: one typed call per operation, errors as [`CallError`].
//!
//! Requests are written with serde_json; answers are read with cognito-core's small JSON reader
//! (`cognito_core::json`). Only that encoding is generic over the operation. The transport ([`post`]) and the retry loop
//! take and return text and are compiled once: every page's async task awaits the same boxed future
//! instead of carrying its own copy of the request code (this keeps the wasm download small).

use std::future::Future;
use std::pin::Pin;

use cognito_core::api::{target, Operation, CONTENT_TYPE, TARGET_HEADER};
use cognito_core::config::AppConfig;
use cognito_core::json::FromJson;
use cognito_core::{CallError, CognitoError};

/// Calls one Cognito operation at the configured endpoint, once.
pub async fn call<O: Operation>(config: &AppConfig, request: &O::Request) -> Result<O::Response, CallError> {
    let body = encode(request)?;
    decode::<O>(&post(config.endpoint.clone(), O::NAME, body, 1).await?)
}

/// Attempts [`call_retrying`] makes in all.
pub const ATTEMPTS: u32 = 3;

/// [`call`], retrying what is worth retrying (throttling, server errors, an unreachable network) with
/// jittered exponential backoff: about 0.3 s, then 0.9 s. For calls that are safe to repeat: sign-in
/// steps, refresh, reads and sign-outs.
pub async fn call_retrying<O: Operation>(config: &AppConfig, request: &O::Request) -> Result<O::Response, CallError> {
    let body = encode(request)?;
    decode::<O>(&post(config.endpoint.clone(), O::NAME, body, ATTEMPTS).await?)
}

pub fn encode<T: serde::Serialize>(request: &T) -> Result<String, CallError> {
    serde_json::to_string(request).map_err(|e| CallError::Decode(e.to_string()))
}

pub fn decode<O: Operation>(answer: &str) -> Result<O::Response, CallError> {
    O::Response::from_json_text(answer).map_err(|e| CallError::Decode(format!("{}: {e}", O::NAME)))
}

type Answer = Pin<Box<dyn Future<Output = Result<String, CallError>>>>;

/// POSTs `body` to operation `name`, up to `attempts` times while the failure is transient; the body
/// of a 2xx answer, or the service's error.
pub fn post(endpoint: String, name: &'static str, body: String, attempts: u32) -> Answer {
    Box::pin(async move {
        let mut attempt = 1;
        loop {
            match post_once(&endpoint, name, &body).await {
                Err(e) if e.is_transient() && attempt < attempts => {
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
    let network = |e: gloo_net::Error| CallError::Network(e.to_string());
    let response = gloo_net::http::Request::post(endpoint)
        .header("Content-Type", CONTENT_TYPE)
        .header(TARGET_HEADER, &target(name))
        .header("Cache-Control", "no-store")
        .body(body)
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    let status = response.status();
    let text = response.text().await.map_err(network)?;
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        let header = response.headers().get("x-amzn-errortype");
        Err(CallError::Service(CognitoError::from_response(status, header.as_deref(), &text)))
    }
}
