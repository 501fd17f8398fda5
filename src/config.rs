//! Loads `config.json` (served beside index.html) before the app mounts.

use cognito_core::config::AppConfig;

/// The config, or a sentence saying what is wrong with it.
pub async fn load() -> Result<AppConfig, String> {
    let response = gloo_net::http::Request::get("/config.json")
        .header("Cache-Control", "no-cache")
        .send()
        .await
        .map_err(|e| format!("config.json could not be loaded: {e}"))?;
    if !response.ok() {
        return Err(format!("config.json could not be loaded: the server answered {}", response.status()));
    }
    let text = response.text().await.map_err(|e| format!("config.json could not be read: {e}"))?;
    AppConfig::parse(&text).map_err(|e| e.to_string())
}
