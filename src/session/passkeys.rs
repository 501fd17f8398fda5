//! The signed-in user's passkeys: list, add (the service's options → the browser's authenticator → the
//! credential back to the service), delete. The answers are read by `cognito_core::passkeys`.

use cognito_core::i18n::{k, Text};
use cognito_core::json::quote;
use cognito_core::passkeys::{self, PasskeyInfo};
use cognito_core::CallError;

use super::*;
use crate::passkey;
use crate::session::account::Account;
use crate::session::preferences::remember_passkey_user;

impl Account {
    pub async fn passkeys(&self) -> Result<Vec<PasskeyInfo>, Problem> {
        let body = |token: String| Ok::<_, CallError>(format!(r#"{{"AccessToken":{}}}"#, quote(&token)));
        let answer = self.0.authorized_call(passkeys::LIST_CREDENTIALS, Box::new(body)).await?;
        passkeys::read_list(&answer).map_err(|e| unreadable(passkeys::LIST_CREDENTIALS, e))
    }

    /// A new passkey for this account, made by the browser's authenticator.
    pub async fn add_passkey(&self) -> Result<(), Problem> {
        let body = |token: String| Ok::<_, CallError>(format!(r#"{{"AccessToken":{}}}"#, quote(&token)));
        let answer = self.0.authorized_call(passkeys::START_REGISTRATION, Box::new(body)).await?;
        let options = passkeys::creation_options(&answer).map_err(|e| unreadable(passkeys::START_REGISTRATION, e))?;
        let credential = passkey::create(&options).await.map_err(|e| Problem::refused(e.text()))?;
        let body = move |token: String| Ok::<_, CallError>(passkeys::complete_request(&token, &credential));
        self.0.authorized_call(passkeys::COMPLETE_REGISTRATION, Box::new(body)).await?;
        // The next sign-in page offers it in the username field's autofill.
        if let Some(user) = self.0.user() {
            remember_passkey_user(&user.shown_as);
        }
        Ok(())
    }

    pub async fn delete_passkey(&self, id: &str) -> Result<(), Problem> {
        let body = move |token: String| Ok::<_, CallError>(passkeys::delete_request(&token, id));
        self.0.authorized_call(passkeys::DELETE_CREDENTIAL, Box::new(body)).await?;
        Ok(())
    }
}

fn unreadable(operation: &str, e: cognito_core::json::JsonError) -> Problem {
    Problem::from_call(operation, &CallError::Decode(e.to_string())).with_message(Text::new(k::error::decode))
}
