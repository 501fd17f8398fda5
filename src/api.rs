//! HTTP to Cognito's JSON API: one typed call per operation, errors as [`CallError`].

use cognito_core::api::{Operation, CONTENT_TYPE, TARGET_HEADER};
use cognito_core::config::AppConfig;
use cognito_core::{CallError, CognitoError};

/// Calls one Cognito operation at the configured endpoint.
pub async fn call<O: Operation>(config: &AppConfig, request: &O::Request) -> Result<O::Response, CallError> {
    let body = serde_json::to_string(request).map_err(|e| CallError::Decode(e.to_string()))?;
    let response = gloo_net::http::Request::post(&config.endpoint)
        .header("Content-Type", CONTENT_TYPE)
        .header(TARGET_HEADER, &O::target())
        .header("Cache-Control", "no-store")
        .body(body)
        .map_err(|e| CallError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| CallError::Network(e.to_string()))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| CallError::Network(e.to_string()))?;
    if (200..300).contains(&status) {
        serde_json::from_str(&text).map_err(|e| CallError::Decode(format!("{}: {e}", O::NAME)))
    } else {
        let header = response.headers().get("x-amzn-errortype");
        Err(CallError::Service(CognitoError::from_response(status, header.as_deref(), &text)))
    }
}

/// Attempts [`call_retrying`] makes in all.
pub const ATTEMPTS: u32 = 3;

/// [`call`], retrying what is worth retrying (throttling, server errors, an unreachable network) with
/// jittered exponential backoff: about 0.3 s, then 0.9 s. For calls that are safe to repeat: sign-in
/// steps, refresh, reads and sign-outs.
pub async fn call_retrying<O: Operation>(config: &AppConfig, request: &O::Request) -> Result<O::Response, CallError> {
    let mut attempt = 1;
    loop {
        match call::<O>(config, request).await {
            Err(e) if e.is_transient() && attempt < ATTEMPTS => {
                let base = 100.0 * f64::from(3u32.pow(attempt));
                crate::browser::sleep_ms((base * (0.5 + crate::browser::random_unit())) as i32).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}
