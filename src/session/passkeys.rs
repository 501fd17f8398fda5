//! The signed-in user's passkeys: list, add (the service's options → the browser's authenticator → the
//! credential back to the service), delete.

use cognito_core::api::{
    AccessTokenRequest, CompleteWebAuthnRegistration, CompleteWebAuthnRegistrationRequest, DeleteWebAuthnCredential,
    DeleteWebAuthnCredentialRequest, ListWebAuthnCredentials, ListWebAuthnCredentialsRequest, Operation,
    StartWebAuthnRegistration,
};
use cognito_core::i18n::{k, Text};
use cognito_core::passkeys::PasskeyInfo;
use cognito_core::CallError;

use crate::passkey;
use crate::problem::Problem;
use crate::session::account::Account;
use crate::session::preferences::remember_passkey_user;

impl Account {
    pub async fn passkeys(&self) -> Result<Vec<PasskeyInfo>, Problem> {
        let answer = self
            .0
            .authorized::<ListWebAuthnCredentials>(|access_token| ListWebAuthnCredentialsRequest {
                access_token,
                ..Default::default()
            })
            .await?;
        Ok(answer.credentials.into_iter().map(PasskeyInfo::of).collect())
    }

    /// A new passkey for this account, made by the browser's authenticator.
    pub async fn add_passkey(&self) -> Result<(), Problem> {
        let answer =
            self.0.authorized::<StartWebAuthnRegistration>(|access_token| AccessTokenRequest { access_token }).await?;
        let options = answer.credential_creation_options.to_pretty_string();
        let credential = passkey::create(&options).await.map_err(|e| Problem::refused(e.text()))?;
        let credential = cognito_core::json::parse(&credential).map_err(|e| {
            Problem::from_call(CompleteWebAuthnRegistration::NAME, &CallError::Decode(e.to_string()))
                .with_message(Text::new(k::error::decode))
        })?;
        let body = |access_token| {
            Ok(CompleteWebAuthnRegistrationRequest { access_token, credential: credential.clone() }.to_json_text())
        };
        self.0.authorized_call(CompleteWebAuthnRegistration::NAME, Box::new(body)).await?;
        // The next sign-in page offers it in the username field's autofill.
        if let Some(user) = self.0.user() {
            remember_passkey_user(&user.shown_as);
        }
        Ok(())
    }

    pub async fn delete_passkey(&self, id: &str) -> Result<(), Problem> {
        self.0
            .authorized::<DeleteWebAuthnCredential>(|access_token| DeleteWebAuthnCredentialRequest {
                access_token,
                credential_id: id.to_string(),
            })
            .await?;
        Ok(())
    }
}
