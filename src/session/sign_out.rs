//! Signing out: on this device (revoking the refresh token), everywhere, and by deleting the account.

use cognito_core::api::{AccessTokenRequest, GlobalSignOut, RevokeToken, RevokeTokenRequest};
use cognito_core::i18n::{k, Text};
use cognito_core::session::Session;
use cognito_core::CallError;
use leptos::prelude::*;

use crate::api;
use crate::browser::{go_to, with_web_lock, LockMode};
use crate::problem::{Problem, ProblemKind};
use crate::routes::Route;
use crate::session::{AuthState, SessionOwner};

impl SessionOwner {
    pub(super) async fn revoke(&self, refresh_token: &str) -> Result<(), CallError> {
        let config = self.config();
        let request = RevokeTokenRequest {
            token: refresh_token.to_string(),
            client_id: config.client_id.clone(),
            client_secret: None,
        };
        api::send::<RevokeToken>(config, &request).await.map(|_| ())
    }

    /// Signs out on this device, holding the refresh Web Lock (taken from any refresh under way, whose
    /// answer is then discarded): RevokeToken when the tokens carry `origin_jti`, then the keys go. The
    /// keys go even when the service cannot be reached; the answer then says so. A session from managed
    /// login then goes through its `/logout` (see [`Self::hosted_logout_url`]).
    pub async fn sign_out(&self) -> Result<(), Problem> {
        let owner = *self;
        with_web_lock(&self.refresh_lock_name(), LockMode::Steal, async move { owner.revoke_and_end().await }).await
    }

    async fn revoke_and_end(&self) -> Result<(), Problem> {
        let config = self.config();
        let stored = self.stored();
        let Some(user) = stored.last_auth_user.clone() else {
            self.state.set(AuthState::SignedOut);
            return Ok(());
        };
        let session = Session::from_parts(
            &config.client_id,
            &user,
            stored.id_token.as_deref().unwrap_or(""),
            stored.access_token.as_deref().unwrap_or(""),
            stored.refresh_token.as_deref().unwrap_or(""),
            0,
        );
        let hosted_logout = self.hosted_logout_url();
        let mut revoke_failed = None;
        if let (Ok(session), Some(refresh)) = (&session, stored.refresh_token.as_deref()) {
            if session.is_revocable() {
                revoke_failed = self.revoke(refresh).await.err();
            }
        }
        // The notice is set here, with the keys' removal: the page that asked may be gone by the time
        // this answer reaches it (the route guard leaves a signed-out page at once).
        let unreachable = revoke_failed
            .is_some_and(|e| e.is_transient())
            .then(|| Problem::new(ProblemKind::Transient, k::sign_out::unreachable));
        let notice = unreachable.as_ref().map_or(Text::new(k::sign_out::done), |p| p.message.clone());
        self.end_session(&user, Some(notice));
        if let Some(url) = hosted_logout {
            go_to(&url);
        }
        unreachable.map_or(Ok(()), Err)
    }

    /// GlobalSignOut: ends every session of the user, then the keys go; it succeeds only when the service
    /// said so. If the service cannot be reached the user stays signed in (they asked for more than a local
    /// sign-out); if this device's session had already ended, the answer is a `SessionEnded` problem (the
    /// user must sign in again to sign out everywhere).
    pub async fn sign_out_everywhere(&self) -> Result<(), Problem> {
        let user = self.stored().last_auth_user;
        let hosted_logout = self.hosted_logout_url();
        let answer = self.authorized::<GlobalSignOut>(|access_token| AccessTokenRequest { access_token }).await;
        if let Err(problem) = answer {
            if problem.kind == ProblemKind::SessionEnded {
                // Nothing was ended elsewhere. Said before the route guard sends the user to sign in
                // (this runs before it does), which then brings them back here.
                self.handoff.set_notice(k::sign_out::everywhere_session_ended);
                self.handoff.set_return_to(Route::Logout.href());
            }
            return Err(problem);
        }
        if let Some(user) = user {
            self.end_session(&user, Some(Text::new(k::sign_out::everywhere_done)));
        }
        if let Some(url) = hosted_logout {
            go_to(&url);
        }
        Ok(())
    }
}
