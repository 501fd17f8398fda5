//! The signed-in user's own account, on its own handle ([`SessionOwner::account`]): the operations that
//! take the access token (refreshed first when it expired; a revoked one ends the session), the id token
//! for the deployer's API, passkeys ([`crate::session::passkeys`]), devices ([`crate::session::devices`])
//! and deleting the account. Pages never see the access or refresh token.

use cognito_core::api::{AccessTokenRequest, DeleteUser, Operation};
use cognito_core::i18n::{k, Text};

use crate::problem::Problem;
use crate::session::SessionOwner;

#[derive(Clone, Copy)]
pub struct Account(pub(super) SessionOwner);

impl SessionOwner {
    pub fn account(&self) -> Account {
        Account(*self)
    }
}

impl Account {
    /// Calls an operation that takes the access token (`request` builds it around the token).
    pub async fn call<O: Operation>(&self, request: impl Fn(String) -> O::Request) -> Result<O::Response, Problem> {
        self.0.authorized::<O>(request).await
    }

    /// The id token, valid now, for the deployer's API (API Gateway's Cognito authorizer reads it).
    pub async fn id_token(&self) -> Result<String, Problem> {
        Ok(self.0.valid_session().await?.id_token)
    }

    /// DeleteUser, then the keys go: a clean signed-out state.
    pub async fn delete_account(&self) -> Result<(), Problem> {
        let user = self.0.stored().last_auth_user;
        self.0.authorized::<DeleteUser>(|access_token| AccessTokenRequest { access_token }).await?;
        if let Some(user) = user {
            self.0.end_session(&user, Some(Text::new(k::delete::done)));
        }
        Ok(())
    }
}
