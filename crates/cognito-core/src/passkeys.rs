//! The passkey operations of a signed-in user (StartWebAuthnRegistration, CompleteWebAuthnRegistration,
//! ListWebAuthnCredentials, DeleteWebAuthnCredential), for the browser: their answers carry WebAuthn's
//! own JSON (creation options, the credential), which the page hands to the browser as it is, so they
//! are read here from the answer's text rather than typed field by field.

use crate::json::{self, Json, JsonError};

pub const START_REGISTRATION: &str = "StartWebAuthnRegistration";
pub const COMPLETE_REGISTRATION: &str = "CompleteWebAuthnRegistration";
pub const LIST_CREDENTIALS: &str = "ListWebAuthnCredentials";
pub const DELETE_CREDENTIAL: &str = "DeleteWebAuthnCredential";
pub const OPERATIONS: &[&str] = &[START_REGISTRATION, COMPLETE_REGISTRATION, LIST_CREDENTIALS, DELETE_CREDENTIAL];

/// A passkey of the user, as ListWebAuthnCredentials shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyInfo {
    pub id: String,
    pub name: String,
    /// `platform` (this device's) or `cross-platform` (a security key, a phone), when known.
    pub attachment: Option<String>,
    /// When it was added, seconds since the epoch (whole seconds of Cognito's timestamp).
    pub created: Option<i64>,
}

pub(crate) fn text(value: Option<&Json>) -> Option<String> {
    match value {
        Some(Json::String(s)) => Some(s.clone()),
        _ => None,
    }
}

/// A timestamp number (seconds, maybe with a fraction or an exponent) in whole seconds.
pub(crate) fn whole_seconds(value: Option<&Json>) -> Option<i64> {
    let Some(Json::Number(n)) = value else { return None };
    if n.contains(['e', 'E']) {
        return None;
    }
    n.split('.').next()?.parse().ok()
}

/// StartWebAuthnRegistration's `CredentialCreationOptions`, as JSON text for the browser.
pub fn creation_options(answer: &str) -> Result<String, JsonError> {
    let value = json::parse(answer)?;
    match value.get("CredentialCreationOptions") {
        Some(options @ Json::Object(_)) => Ok(options.to_pretty_string()),
        _ => Err(JsonError("expected CredentialCreationOptions".into())),
    }
}

/// CompleteWebAuthnRegistration's request: the access token and the credential (JSON text from
/// `PublicKeyCredential.toJSON()`, passed through as the object it is).
pub fn complete_request(access_token: &str, credential_json: &str) -> String {
    format!(r#"{{"AccessToken":{},"Credential":{credential_json}}}"#, json::quote(access_token))
}

/// DeleteWebAuthnCredential's request.
pub fn delete_request(access_token: &str, credential_id: &str) -> String {
    format!(r#"{{"AccessToken":{},"CredentialId":{}}}"#, json::quote(access_token), json::quote(credential_id))
}

/// ListWebAuthnCredentials' answer.
pub fn read_list(answer: &str) -> Result<Vec<PasskeyInfo>, JsonError> {
    let value = json::parse(answer)?;
    let Some(Json::Array(items)) = value.get("Credentials") else {
        return Err(JsonError("expected Credentials".into()));
    };
    items
        .iter()
        .map(|item| {
            Ok(PasskeyInfo {
                id: text(item.get("CredentialId"))
                    .ok_or_else(|| JsonError("a credential without CredentialId".into()))?,
                name: text(item.get("FriendlyCredentialName")).unwrap_or_default(),
                attachment: text(item.get("AuthenticatorAttachment")),
                created: whole_seconds(item.get("CreatedAt")),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_and_requests() {
        let list = r#"{"Credentials":[{"CredentialId":"abc","FriendlyCredentialName":"Passkey 1",
            "RelyingPartyId":"localhost","AuthenticatorAttachment":"platform","CreatedAt":1.7330001234E9},
            {"CredentialId":"def","FriendlyCredentialName":"Key","CreatedAt":1733000123.5}]}"#;
        let read = read_list(list).unwrap();
        assert_eq!(read[0].id, "abc");
        assert_eq!(read[0].attachment.as_deref(), Some("platform"));
        assert_eq!(read[0].created, None, "an exponent is not read");
        assert_eq!(read[1].created, Some(1_733_000_123));
        assert!(read_list(r#"{"Credentials":[{"FriendlyCredentialName":"x"}]}"#).is_err());
        let options =
            creation_options(r#"{"CredentialCreationOptions":{"challenge":"c","rp":{"id":"localhost"}}}"#).unwrap();
        assert_eq!(json::parse(&options).unwrap().get("challenge"), Some(&Json::String("c".into())));
        assert!(creation_options("{}").is_err());
        let body = complete_request("t\"1", r#"{"id":"x"}"#);
        assert_eq!(body, r#"{"AccessToken":"t\"1","Credential":{"id":"x"}}"#);
        assert!(json::parse(&body).is_ok());
        assert_eq!(delete_request("t", "abc"), r#"{"AccessToken":"t","CredentialId":"abc"}"#);
    }
}
