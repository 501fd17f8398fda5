//! Refreshing the tokens (one tab at a time, under a Web Lock), keep-fresh, and calls with the access
//! token.

use cognito_core::i18n::{k, Text};
use std::future::Future;
use std::pin::Pin;

use cognito_core::api::{
    GetTokensFromRefreshToken, GetTokensFromRefreshTokenRequest, InitiateAuth, InitiateAuthRequest, Operation,
};
use cognito_core::error::TokenProblem;
use cognito_core::session::{awaits_other_tab, RefreshNeed as Need, Restore, Session};
use cognito_core::CallError;
use leptos::prelude::*;

use crate::api;
use crate::browser::{now_seconds, sleep_ms, storage_remove, with_web_lock, LockMode};
use crate::problem::Problem;
use crate::session::{signed_in_user, AuthState, SessionOwner};

impl SessionOwner {
    /// While the page stays open, refreshes the tokens when they are due (`Session::refresh_due_at`: ahead
    /// of expiry by a fifth of the shorter lifetime, at most five minutes, never within 30 s of the last
    /// refresh), so nothing the user does meets an expired token. Re-reads storage each time (another tab
    /// may have refreshed already). A transient failure is retried; a refused refresh ends the session.
    pub(super) fn keep_fresh(self) {
        let generation = self.keep_fresh_generation.get_value() + 1;
        self.keep_fresh_generation.set_value(generation);
        leptos::task::spawn_local(async move {
            loop {
                let Restore::Valid(session) = self.decide() else { return };
                let wait = session.refresh_due_at() - now_seconds();
                if wait > 0 {
                    sleep_ms((wait.min(3600) * 1000) as i32).await;
                }
                if self.keep_fresh_generation.get_value() != generation
                    || !matches!(self.state.get_untracked(), AuthState::SignedIn(_))
                {
                    return;
                }
                match self.refresh_locked(Need::Due).await {
                    // Fresh tokens, ours or another tab's. If ours, save() started a newer loop and this
                    // one stops at its next check.
                    Ok(_) => continue,
                    Err(problem) if problem.is_transient() => sleep_ms(5_000).await,
                    Err(_) => return, // the session has ended
                }
            }
        });
    }

    /// New tokens from the refresh token, retrying transient failures (see [`api::post`]):
    /// GetTokensFromRefreshToken when the client rotates refresh tokens (the answer's new refresh token
    /// replaces the old one in storage), REFRESH_TOKEN_AUTH otherwise.
    pub(super) async fn refresh(&self, user: &str, refresh_token: &str) -> Result<Session, CallError> {
        let config = self.config();
        // One transport and one reader for both: the answers are both an AuthResponse.
        // Tokens issued to a remembered (or tracked) device refresh only with its key.
        let device_key = self.stored_device_key(user);
        let (name, body) = if config.refresh_token_rotation {
            let mut body = GetTokensFromRefreshTokenRequest::public_client_body(&config.client_id, refresh_token);
            if let Some(device_key) = device_key {
                body.insert("DeviceKey".into(), device_key);
            }
            (GetTokensFromRefreshToken::NAME, api::encode(&body)?)
        } else {
            let mut request = InitiateAuthRequest::refresh(&config.client_id, refresh_token);
            if let Some(device_key) = device_key {
                request.auth_parameters.insert(cognito_core::sign_in::key::DEVICE_KEY.into(), device_key);
            }
            (InitiateAuth::NAME, api::encode(&request)?)
        };
        let answer = api::decode::<InitiateAuth>(&api::post(config.endpoint.clone(), name, body).await?)?;
        let tokens =
            answer.authentication_result.ok_or_else(|| CallError::Decode("refresh answer without tokens".into()))?;
        Session::from_auth_result(&config.client_id, user, &tokens, Some(refresh_token), now_seconds())
            .map_err(|e| CallError::Decode(e.to_string()))
    }

    /// The stored session with valid tokens, refreshed first if they expired. A refused refresh signs out;
    /// a network failure keeps the tokens.
    pub(super) async fn valid_session(&self) -> Result<Session, Problem> {
        match self.decide() {
            Restore::Valid(session) => Ok(session),
            Restore::SignedOut { remove } => Err(self.stored_session_gone(&remove)),
            // One refresh at a time across this site's tabs; the next one re-reads storage first and
            // usually finds the tokens another tab just stored.
            Restore::Refresh { .. } => self.refresh_locked(Need::Expired).await,
        }
    }

    /// Storage holds no usable session (another tab signed out, or it was never there): removes what is
    /// left of it and says so.
    fn stored_session_gone(&self, remove: &[String]) -> Problem {
        remove.iter().for_each(|k| storage_remove(k));
        self.state.set(AuthState::SignedOut);
        Problem::session_ended()
    }

    pub(super) fn refresh_lock_name(&self) -> String {
        format!("{}.refresh", self.keys().prefix())
    }

    /// Refreshes the stored session holding the refresh Web Lock, so that tabs take turns, unless storage
    /// by then shows that `need` is met (another tab refreshed).
    ///
    /// The lock orders the tabs, but another tab's localStorage writes reach this one a little later
    /// (Chromium keeps a copy per renderer process): a tab that had to wait for the lock therefore waits
    /// up to a second for the refresh token it saw before to change, so it never sends one the tab
    /// before it has just exchanged (with rotation and no grace period, that would end the session).
    async fn refresh_locked(self, need: Need) -> Result<Session, Problem> {
        let seen = self.stored().refresh_token;
        let asked_at = js_sys::Date::now();
        with_web_lock(&self.refresh_lock_name(), LockMode::Wait, async move {
            let got_at = js_sys::Date::now();
            while awaits_other_tab(asked_at, got_at, js_sys::Date::now(), self.stored().refresh_token == seen) {
                sleep_ms(25).await;
            }
            self.refresh_stored(need).await
        })
        .await
    }

    async fn refresh_stored(&self, need: Need) -> Result<Session, Problem> {
        let (user, refresh_token) = match self.decide() {
            Restore::Valid(session) if !need.wants(&session, now_seconds()) => {
                self.state.set(AuthState::SignedIn(signed_in_user(&session, self.config().sign_in_name)));
                return Ok(session);
            }
            Restore::Valid(session) => (session.user, session.refresh_token),
            Restore::Refresh { user, refresh_token } => (user, refresh_token),
            Restore::SignedOut { remove } => return Err(self.stored_session_gone(&remove)),
        };
        let refreshed = self.refresh(&user, &refresh_token).await;
        // While the request was out, this or another tab may have signed out (sign-out takes the lock
        // from a refresh) or signed someone in: then the answer belongs to a session that is over.
        if !self.still_stored(&user, &refresh_token) {
            return self.follow_storage();
        }
        match refreshed {
            Ok(session) => {
                self.save(&session)?;
                Ok(session)
            }
            Err(e) if e.is_transient() => Err(Problem::from_call(InitiateAuth::NAME, &e)),
            Err(_) => {
                self.end_session(&user, Some(Text::new(k::session::ended)));
                Err(Problem::session_ended())
            }
        }
    }

    /// Calls an operation that takes the access token; an expired token is refreshed and the call made
    /// once more; a revoked one ends the session.
    pub(super) async fn authorized<O: Operation>(
        &self,
        request: impl Fn(String) -> O::Request,
    ) -> Result<O::Response, Problem> {
        let body = move |access_token: String| api::encode(&request(access_token));
        let answer = self.authorized_call(O::NAME, Box::new(body)).await?;
        api::decode::<O>(&answer).map_err(|e| Problem::from_call(O::NAME, &e))
    }

    /// The work of [`Self::authorized`] on request and answer text: compiled once for every operation.
    pub(super) fn authorized_call<'a>(
        &'a self,
        name: &'static str,
        body: Box<dyn Fn(String) -> Result<String, CallError> + 'a>,
    ) -> Pin<Box<dyn Future<Output = Result<String, Problem>> + 'a>> {
        Box::pin(async move {
            let config = self.config();
            let mut session = self.valid_session().await?;
            for attempt in 0..2 {
                let request = body(session.access_token.clone()).map_err(|e| Problem::from_call(name, &e))?;
                match api::post(config.endpoint.clone(), name, request).await {
                    Err(CallError::Service(e)) if e.token_problem() == Some(TokenProblem::Expired) && attempt == 0 => {
                        session = self.refresh_locked(Need::Replace(session.access_token.clone())).await?;
                    }
                    Err(CallError::Service(e)) if e.token_problem().is_some() => {
                        self.end_session(&session.user, Some(Text::new(k::session::ended)));
                        return Err(Problem::session_ended());
                    }
                    other => return other.map_err(|e| Problem::from_call(name, &e)),
                }
            }
            Err(Problem::session_ended())
        })
    }
}
