//! The passkeys of a signed-in user as the app shows them (ListWebAuthnCredentials' answer, read by
//! [`crate::api`]). Their operations are typed in `api` like every other; the creation options and the
//! credential are WebAuthn's own JSON, carried as [`crate::json::Json`] and handed to the browser as they are.

use crate::api::WebAuthnCredentialDescription;

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

impl PasskeyInfo {
    pub fn of(credential: WebAuthnCredentialDescription) -> Self {
        PasskeyInfo {
            id: credential.credential_id,
            name: credential.friendly_credential_name,
            attachment: credential.authenticator_attachment,
            created: credential.created_at.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{
        CompleteWebAuthnRegistrationRequest, ListWebAuthnCredentialsResponse, StartWebAuthnRegistrationResponse,
    };
    use crate::json::{self, FromJson, Json};

    #[test]
    fn answers_and_requests() {
        let list = r#"{"Credentials":[{"CredentialId":"abc","FriendlyCredentialName":"Passkey 1",
            "RelyingPartyId":"localhost","AuthenticatorAttachment":"platform","CreatedAt":1.7330001234E9},
            {"CredentialId":"def","FriendlyCredentialName":"Key","CreatedAt":1733000123.5}]}"#;
        let read: Vec<PasskeyInfo> = ListWebAuthnCredentialsResponse::from_json_text(list)
            .unwrap()
            .credentials
            .into_iter()
            .map(PasskeyInfo::of)
            .collect();
        assert_eq!(read[0].id, "abc");
        assert_eq!(read[0].attachment.as_deref(), Some("platform"));
        assert_eq!(read[0].created, None, "an exponent is not read");
        assert_eq!(read[1].created, Some(1_733_000_123));
        assert!(ListWebAuthnCredentialsResponse::from_json_text(r#"{"Credentials":[{"FriendlyCredentialName":"x"}]}"#)
            .is_err());
        let options = StartWebAuthnRegistrationResponse::from_json_text(
            r#"{"CredentialCreationOptions":{"challenge":"c","rp":{"id":"localhost"}}}"#,
        )
        .unwrap()
        .credential_creation_options;
        assert_eq!(options.get("challenge"), Some(&Json::String("c".into())));
        assert!(StartWebAuthnRegistrationResponse::from_json_text("{}").is_err());
        let credential = json::parse(r#"{"id":"x","response":{"publicKeyAlgorithm":-7}}"#).unwrap();
        let body =
            serde_json::to_string(&CompleteWebAuthnRegistrationRequest { access_token: "t\"1".into(), credential })
                .unwrap();
        assert_eq!(body, r#"{"AccessToken":"t\"1","Credential":{"id":"x","response":{"publicKeyAlgorithm":-7}}}"#);
        let back: CompleteWebAuthnRegistrationRequest = serde_json::from_str(&body).unwrap();
        assert_eq!(back.credential.get("id"), Some(&Json::String("x".into())));
        // The browser's writer says the same as serde's.
        let by_hand: serde_json::Value = serde_json::from_str(&back.to_json_text()).unwrap();
        assert_eq!(by_hand, serde_json::from_str::<serde_json::Value>(&body).unwrap());
    }
}
