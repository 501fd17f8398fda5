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
