//! The one owner of the session. Tokens live only in localStorage, in amazon-cognito-identity-js's exact
//! layout (so its `getCurrentUser()` reads our session and we read its); every use reads them from there,
//! so storage is the single source of truth. The decisions (valid / refresh / signed out, clock drift) are
//! cognito-core's pure functions; this module does the I/O and keeps the reactive [`AuthState`].

use std::future::Future;
use std::pin::Pin;

use cognito_core::api::*;
use cognito_core::config::AppConfig;
use cognito_core::error::{codes, TokenProblem};
use cognito_core::json::FromJson;
use cognito_core::session::{restore, Restore, Session, StorageKeys, StoredSession};
use cognito_core::srp::{answer_password_verifier, ClientEphemeral, PasswordVerifierChallenge};
use cognito_core::timestamp::cognito_timestamp;
use cognito_core::CallError;
use leptos::prelude::*;

use crate::api;
use crate::browser::{
    now_seconds, sleep_ms, storage_get, storage_remove, storage_set, with_web_lock, yield_to_browser, LockMode,
};
use crate::problem::SESSION_ENDED;
pub use crate::problem::{Problem, ProblemKind};
use crate::routes::Route;

/// Who is signed in, as the pages show it.
#[derive(Clone, Debug, PartialEq)]
pub struct SignedInUser {
    /// The id the session is stored under (USER_ID_FOR_SRP).
    pub user_id: String,
    pub username: String,
    pub groups: Vec<String>,
    /// When the tokens expire, local clock.
    pub expires_at: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AuthState {
    /// Stored tokens expired; a refresh is under way.
    Restoring,
    SignedOut,
    SignedIn(SignedInUser),
    /// Stored tokens expired and the service could not be reached to refresh them: still signed in.
    Unreachable {
        message: String,
    },
}

/// Where a login stands after the password step.
pub enum LoginStep {
    Done,
    /// The account was created by an administrator: a new password (and maybe attributes) is needed.
    NewPasswordRequired(NewPasswordChallenge),
    /// Right password, but the account is not confirmed yet.
    NotConfirmed,
    /// Software-token MFA is on: the code from the authenticator app is needed.
    MfaRequired(MfaChallenge),
}

#[derive(Clone, Debug, PartialEq)]
pub struct MfaChallenge {
    pub user_id: String,
    session: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewPasswordChallenge {
    pub user_id: String,
    session: Option<String>,
    /// Attribute names the pool requires and the account lacks (e.g. `name`).
    pub required_attributes: Vec<String>,
}

/// Why a refresh is wanted; the stored tokens are read again under the lock first, and the refresh is
/// skipped when someone (another tab) has already done what was needed.
#[derive(Clone)]
enum Need {
    /// Keep-fresh: the tokens are due ([`Session::refresh_due_at`]).
    Due,
    /// The stored tokens are expired or unreadable.
    Expired,
    /// The service refused this access token as expired.
    Replace(String),
}

impl Need {
    fn wants(&self, stored: &Session, now: i64) -> bool {
        match self {
            Need::Due => now >= stored.refresh_due_at(),
            Need::Expired => false,
            Need::Replace(access_token) => &stored.access_token == access_token,
        }
    }
}

#[derive(Clone, Copy)]
pub struct SessionOwner {
    state: RwSignal<AuthState>,
    notice: RwSignal<Option<String>>,
    config: StoredValue<AppConfig>,
    /// Bumped for every new session; a keep-fresh loop of an older one stops.
    keep_fresh_generation: StoredValue<u64>,
    /// Where the sign-in page should go next when the session ended during something the user must come
    /// back to (set before the route guard sends them to sign in).
    return_to: StoredValue<Option<String>>,
}

pub fn use_session() -> SessionOwner {
    expect_context::<SessionOwner>()
}

fn signed_in_user(session: &Session) -> SignedInUser {
    SignedInUser {
        user_id: session.user.clone(),
        username: session.id_claims.username().unwrap_or(&session.user).to_string(),
        groups: session.id_claims.groups(),
        expires_at: session.expires_at(),
    }
}

impl SessionOwner {
    /// Reads storage once, like `getCurrentUser().getSession()`: valid tokens sign the user in at once
    /// (no network); expired ones are refreshed in the background while the state is `Restoring`.
    pub fn start(config: AppConfig) -> Self {
        let owner = SessionOwner {
            state: RwSignal::new(AuthState::Restoring),
            notice: RwSignal::new(None),
            config: StoredValue::new(config),
            keep_fresh_generation: StoredValue::new(0),
            return_to: StoredValue::new(None),
        };
        owner.restore_now();
        owner.follow_other_tabs();
        owner
    }

    /// Another tab of this site changed the session keys (signed in, refreshed, signed out): follow it.
    /// The listener lives as long as the app.
    fn follow_other_tabs(self) {
        let prefix = self.keys().prefix().to_string();
        let _listener = window_event_listener(leptos::ev::storage, move |event: web_sys::StorageEvent| {
            let ours = event.key().is_none_or(|key| key.starts_with(&prefix));
            if !ours {
                return;
            }
            let was_signed_in = matches!(self.state.get_untracked(), AuthState::SignedIn(_));
            self.restore_now();
            if was_signed_in && matches!(self.state.get_untracked(), AuthState::SignedOut) {
                self.set_notice("You have been signed out.");
            }
        });
    }

    fn restore_now(self) {
        match self.decide() {
            Restore::Valid(session) => {
                self.state.set(AuthState::SignedIn(signed_in_user(&session)));
                self.keep_fresh();
            }
            Restore::SignedOut { remove } => {
                remove.iter().for_each(|k| storage_remove(k));
                self.state.set(AuthState::SignedOut);
            }
            Restore::Refresh { .. } => {
                self.state.set(AuthState::Restoring);
                leptos::task::spawn_local(async move {
                    match self.valid_session().await {
                        Ok(_) => {}
                        Err(problem) if problem.is_transient() => {
                            self.state.set(AuthState::Unreachable { message: problem.message })
                        }
                        // Whatever else went wrong (storage refused, an unusable answer), the page must
                        // not wait forever: signed out, and told why.
                        Err(problem) => {
                            if self.state.get_untracked() == AuthState::Restoring {
                                self.set_notice(problem.message);
                                self.state.set(AuthState::SignedOut);
                            }
                        }
                    }
                });
            }
        }
    }

    /// Tries the restore again (the retry button of the "cannot reach the service" message).
    pub fn retry_restore(self) {
        self.restore_now();
    }

    pub fn state(&self) -> AuthState {
        self.state.get()
    }

    /// For route guards: `None` while restoring, then whether someone is signed in.
    pub fn is_signed_in(&self) -> Option<bool> {
        match self.state.get() {
            AuthState::SignedIn(_) => Some(true),
            AuthState::SignedOut => Some(false),
            AuthState::Restoring | AuthState::Unreachable { .. } => None,
        }
    }

    pub fn user(&self) -> Option<SignedInUser> {
        match self.state.get() {
            AuthState::SignedIn(user) => Some(user),
            _ => None,
        }
    }

    pub fn config(&self) -> AppConfig {
        self.config.get_value()
    }

    /// A message for the next page (e.g. "You have been signed out.").
    pub fn set_notice(&self, text: impl Into<String>) {
        self.notice.set(Some(text.into()));
    }

    /// Takes the pending message, if any.
    pub fn take_notice(&self) -> Option<String> {
        let text = self.notice.get_untracked();
        if text.is_some() {
            self.notice.set(None);
        }
        text
    }

    /// The sign-in page, with `next` when the user is to come back somewhere (see [`Self::return_to`]).
    pub fn login_path(&self) -> String {
        match self.return_to.get_value() {
            Some(path) => Route::login_then(path).href(),
            None => Route::LOGIN.href(),
        }
    }

    /// Takes where to go after signing in, if something set it.
    pub fn take_return_to(&self) -> Option<String> {
        let path = self.return_to.get_value();
        self.return_to.set_value(None);
        path
    }

    fn keys(&self) -> StorageKeys {
        StorageKeys::new(&self.config.with_value(|c| c.client_id.clone()))
    }

    fn stored(&self) -> StoredSession {
        let keys = self.keys();
        let last_auth_user = storage_get(&keys.last_auth_user());
        let user = last_auth_user.as_deref().map(|u| keys.user(u));
        let get = |key: Option<&String>| key.and_then(|k| storage_get(k));
        StoredSession {
            id_token: get(user.as_ref().map(|u| &u.id_token)),
            access_token: get(user.as_ref().map(|u| &u.access_token)),
            refresh_token: get(user.as_ref().map(|u| &u.refresh_token)),
            clock_drift: get(user.as_ref().map(|u| &u.clock_drift)),
            last_auth_user,
        }
    }

    fn decide(&self) -> Restore {
        let client_id = self.config.with_value(|c| c.client_id.clone());
        restore(&client_id, &self.stored(), now_seconds())
    }

    /// Writes the session (`LastAuthUser` last). When the browser refuses a write (storage full or turned
    /// off), what this save wrote is undone: the previous values go back, or, if even that is refused,
    /// the user's session keys go, so storage never holds half a session.
    fn save(&self, session: &Session) -> Result<(), Problem> {
        let keys = self.keys();
        let entries = session.storage_entries(&keys);
        let previous: Vec<Option<String>> = entries.iter().map(|(key, _)| storage_get(key)).collect();
        for (written, (key, value)) in entries.iter().enumerate() {
            if storage_set(key, value).is_err() {
                let restored = entries[..written].iter().zip(&previous).all(|((key, _), old)| match old {
                    Some(old) => storage_set(key, old).is_ok(),
                    None => {
                        storage_remove(key);
                        true
                    }
                });
                if !restored {
                    for key in keys.sign_out_keys(&session.user) {
                        storage_remove(&key);
                    }
                }
                return Err(Problem::storage());
            }
        }
        self.state.set(AuthState::SignedIn(signed_in_user(session)));
        self.keep_fresh();
        Ok(())
    }

    /// While the page stays open, refreshes the tokens when they are due (`Session::refresh_due_at`: ahead
    /// of expiry by a fifth of the shorter lifetime, at most five minutes, never within 30 s of the last
    /// refresh), so nothing the user does meets an expired token. Re-reads storage each time (another tab
    /// may have refreshed already). A transient failure is retried; a refused refresh ends the session.
    fn keep_fresh(self) {
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

    /// Removes the user's session keys (device keys stay, as with the reference client) and signs out.
    fn end_session(&self, user: &str, notice: Option<&str>) {
        for key in self.keys().sign_out_keys(user) {
            storage_remove(&key);
        }
        if let Some(text) = notice {
            self.set_notice(text);
        }
        self.state.set(AuthState::SignedOut);
    }

    /// REFRESH_TOKEN_AUTH, retrying transient failures (see [`api::post`]).
    async fn refresh(&self, user: &str, refresh_token: &str) -> Result<Session, CallError> {
        let config = self.config();
        let request = InitiateAuthRequest::refresh(&config.client_id, refresh_token);
        let answer = api::send::<InitiateAuth>(&config, &request).await?;
        let tokens =
            answer.authentication_result.ok_or_else(|| CallError::Decode("refresh answer without tokens".into()))?;
        Session::from_auth_result(&config.client_id, user, &tokens, Some(refresh_token), now_seconds())
            .map_err(|e| CallError::Decode(e.to_string()))
    }

    /// The stored session with valid tokens, refreshed first if they expired. A refused refresh signs out;
    /// a network failure keeps the tokens.
    pub async fn valid_session(&self) -> Result<Session, Problem> {
        match self.decide() {
            Restore::Valid(session) => Ok(session),
            Restore::SignedOut { remove } => {
                remove.iter().for_each(|k| storage_remove(k));
                self.state.set(AuthState::SignedOut);
                Err(Problem::session_ended())
            }
            // One refresh at a time across this site's tabs; the next one re-reads storage first and
            // usually finds the tokens another tab just stored.
            Restore::Refresh { .. } => self.refresh_locked(Need::Expired).await,
        }
    }

    fn refresh_lock_name(&self) -> String {
        format!("{}.refresh", self.keys().prefix())
    }

    /// Refreshes the stored session holding the refresh Web Lock, so that tabs take turns, unless storage
    /// by then shows that `need` is met (another tab refreshed).
    async fn refresh_locked(self, need: Need) -> Result<Session, Problem> {
        with_web_lock(&self.refresh_lock_name(), LockMode::Wait, async move { self.refresh_stored(need).await }).await
    }

    async fn refresh_stored(&self, need: Need) -> Result<Session, Problem> {
        let (user, refresh_token) = match self.decide() {
            Restore::Valid(session) if !need.wants(&session, now_seconds()) => {
                self.state.set(AuthState::SignedIn(signed_in_user(&session)));
                return Ok(session);
            }
            Restore::Valid(session) => (session.user, session.refresh_token),
            Restore::Refresh { user, refresh_token } => (user, refresh_token),
            Restore::SignedOut { remove } => {
                remove.iter().for_each(|k| storage_remove(k));
                self.state.set(AuthState::SignedOut);
                return Err(Problem::session_ended());
            }
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
                self.end_session(&user, Some(SESSION_ENDED));
                Err(Problem::session_ended())
            }
        }
    }

    /// Whether storage still holds `user`'s session with this refresh token.
    fn still_stored(&self, user: &str, refresh_token: &str) -> bool {
        let stored = self.stored();
        stored.last_auth_user.as_deref() == Some(user) && stored.refresh_token.as_deref() == Some(refresh_token)
    }

    /// After a discarded refresh answer: the state storage now holds.
    fn follow_storage(&self) -> Result<Session, Problem> {
        match self.decide() {
            Restore::Valid(session) => {
                self.state.set(AuthState::SignedIn(signed_in_user(&session)));
                Ok(session)
            }
            _ => {
                self.state.set(AuthState::SignedOut);
                Err(Problem::session_ended())
            }
        }
    }

    /// Calls an operation that takes the access token; an expired token is refreshed and the call made
    /// once more; a revoked one ends the session.
    pub async fn authorized<O: Operation>(
        &self,
        request: impl Fn(String) -> O::Request,
    ) -> Result<O::Response, Problem> {
        let body = move |access_token: String| api::encode(&request(access_token));
        let answer = self.authorized_call(O::NAME, Box::new(body)).await?;
        api::decode::<O>(&answer).map_err(|e| Problem::from_call(O::NAME, &e))
    }

    /// The work of [`Self::authorized`] on request and answer text: compiled once for every operation.
    fn authorized_call<'a>(
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
                        self.end_session(&session.user, Some(SESSION_ENDED));
                        return Err(Problem::session_ended());
                    }
                    other => return other.map_err(|e| Problem::from_call(name, &e)),
                }
            }
            Err(Problem::session_ended())
        })
    }

    /// SRP login: InitiateAuth (USER_SRP_AUTH) with `A` from the ephemeral, then the PASSWORD_VERIFIER
    /// answer computed in wasm. The session is stored under USER_ID_FOR_SRP.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        ephemeral: ClientEphemeral,
    ) -> Result<LoginStep, Problem> {
        let config = self.config();
        let start = InitiateAuthRequest::user_srp(&config.client_id, username, ephemeral.public_hex());
        let started =
            api::send::<InitiateAuth>(&config, &start).await.map_err(|e| Problem::from_call(InitiateAuth::NAME, &e))?;
        if started.challenge_name != Some(ChallengeName::PasswordVerifier) {
            return Err(unsupported_step());
        }
        let challenge = PasswordVerifierChallenge::from_parameters(&started.challenge_parameters)
            .map_err(|e| Problem::refused(format!("The sign-in service sent a bad challenge: {e}.")))?;
        yield_to_browser().await; // let the progress indicator paint before the big-number work
        let answer = answer_password_verifier(
            &ephemeral,
            config.pool.pool_name(),
            password,
            &challenge,
            &cognito_timestamp(now_seconds()),
        )
        .map_err(|e| Problem::refused(format!("Sign-in failed: {e}.")))?;
        let respond = RespondToAuthChallengeRequest::new(
            &config.client_id,
            ChallengeName::PasswordVerifier,
            answer.into_challenge_responses(),
            started.session,
        );
        match api::send::<RespondToAuthChallenge>(&config, &respond).await {
            Err(CallError::Service(e)) if e.is(codes::USER_NOT_CONFIRMED) => Ok(LoginStep::NotConfirmed),
            Err(e) => Err(Problem::from_call(RespondToAuthChallenge::NAME, &e)),
            Ok(answer) => self.finish_login(&challenge.user_id_for_srp, answer),
        }
    }

    fn finish_login(&self, user_id: &str, answer: AuthResponse) -> Result<LoginStep, Problem> {
        let config = self.config();
        if let Some(tokens) = answer.authentication_result {
            let session = Session::from_auth_result(&config.client_id, user_id, &tokens, None, now_seconds())
                .map_err(|e| Problem::refused(format!("The sign-in service sent unusable tokens: {e}.")))?;
            self.save(&session)?;
            return Ok(LoginStep::Done);
        }
        match answer.challenge_name {
            Some(ChallengeName::SoftwareTokenMfa) => {
                Ok(LoginStep::MfaRequired(MfaChallenge { user_id: user_id.to_string(), session: answer.session }))
            }
            Some(ChallengeName::NewPasswordRequired) => {
                let required: Vec<String> = answer
                    .challenge_parameters
                    .get("requiredAttributes")
                    .and_then(|json| Vec::<String>::from_json_text(json).ok())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|name| name.strip_prefix("userAttributes.").unwrap_or(&name).to_string())
                    .collect();
                Ok(LoginStep::NewPasswordRequired(NewPasswordChallenge {
                    user_id: answer
                        .challenge_parameters
                        .get("USER_ID_FOR_SRP")
                        .cloned()
                        .unwrap_or_else(|| user_id.to_string()),
                    session: answer.session,
                    required_attributes: required,
                }))
            }
            _ => Err(unsupported_step()),
        }
    }

    /// Answers NEW_PASSWORD_REQUIRED with the new password and the required attributes.
    pub async fn complete_new_password(
        &self,
        challenge: &NewPasswordChallenge,
        new_password: &str,
        attributes: Vec<(String, String)>,
    ) -> Result<LoginStep, Problem> {
        let config = self.config();
        let mut responses =
            string_map([("USERNAME", challenge.user_id.clone()), ("NEW_PASSWORD", new_password.to_string())]);
        for (name, value) in attributes {
            responses.insert(format!("userAttributes.{name}"), value);
        }
        let request = RespondToAuthChallengeRequest::new(
            &config.client_id,
            ChallengeName::NewPasswordRequired,
            responses,
            challenge.session.clone(),
        );
        let answer = api::call::<RespondToAuthChallenge>(&config, &request).await?;
        self.finish_login(&challenge.user_id, answer)
    }

    /// Answers SOFTWARE_TOKEN_MFA with the six-digit code of the user's authenticator app.
    pub async fn answer_mfa(&self, challenge: &MfaChallenge, code: &str) -> Result<LoginStep, Problem> {
        let config = self.config();
        let responses =
            string_map([("USERNAME", challenge.user_id.clone()), ("SOFTWARE_TOKEN_MFA_CODE", code.to_string())]);
        let request = RespondToAuthChallengeRequest::new(
            &config.client_id,
            ChallengeName::SoftwareTokenMfa,
            responses,
            challenge.session.clone(),
        );
        match api::call::<RespondToAuthChallenge>(&config, &request).await {
            Ok(answer) => self.finish_login(&challenge.user_id, answer),
            Err(p) if p.is(codes::CODE_MISMATCH) => {
                Err(p.with_message("That code is not right. Enter the current code from your authenticator app."))
            }
            Err(p) => Err(p),
        }
    }

    /// Proves again that the signed-in user is at the keyboard, for changes that weaken the account
    /// (turning off two-step verification): a full sign-in with the password and, when asked, the current
    /// code from the authenticator app. The new session replaces the old one, whose refresh token is
    /// revoked.
    pub async fn reauthenticate(&self, password: &str, code: &str) -> Result<(), Problem> {
        let Some(user) = self.user() else { return Err(Problem::session_ended()) };
        let previous = self.stored().refresh_token;
        let ephemeral =
            ClientEphemeral::generate().map_err(|e| Problem::refused(format!("Cannot start signing in: {e}.")))?;
        let step = match self.login(&user.username, password, ephemeral).await? {
            LoginStep::MfaRequired(challenge) => self.answer_mfa(&challenge, code).await?,
            other => other,
        };
        if !matches!(step, LoginStep::Done) {
            return Err(unsupported_step());
        }
        if let Some(old) = previous.filter(|old| self.stored().refresh_token.as_ref() != Some(old)) {
            self.revoke(&old).await.ok();
        }
        Ok(())
    }

    async fn revoke(&self, refresh_token: &str) -> Result<(), CallError> {
        let config = self.config();
        let request = RevokeTokenRequest {
            token: refresh_token.to_string(),
            client_id: config.client_id.clone(),
            client_secret: None,
        };
        api::send::<RevokeToken>(&config, &request).await.map(|_| ())
    }

    /// Signs out on this device, holding the refresh Web Lock (taken from any refresh under way, whose
    /// answer is then discarded): RevokeToken when the tokens carry `origin_jti`, then the keys go. The
    /// keys go even when the service cannot be reached; the answer then says so.
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
        let mut revoke_failed = None;
        if let (Ok(session), Some(refresh)) = (&session, stored.refresh_token.as_deref()) {
            if session.is_revocable() {
                revoke_failed = self.revoke(refresh).await.err();
            }
        }
        // The notice is set here, with the keys' removal: the page that asked may be gone by the time
        // this answer reaches it (the route guard leaves a signed-out page at once).
        let unreachable = revoke_failed.is_some_and(|e| e.is_transient()).then(|| {
            Problem::new(
                ProblemKind::Transient,
                "You are signed out on this device, but the sign-in service could not be reached to end the session there.",
            )
        });
        let notice = unreachable.as_ref().map_or("You have been signed out.", |p| p.message.as_str());
        self.end_session(&user, Some(notice));
        unreachable.map_or(Ok(()), Err)
    }

    /// DeleteUser, then the keys go: a clean signed-out state.
    pub async fn delete_account(&self) -> Result<(), Problem> {
        let user = self.stored().last_auth_user;
        self.authorized::<DeleteUser>(|access_token| AccessTokenRequest { access_token }).await?;
        if let Some(user) = user {
            self.end_session(&user, Some("Your account has been deleted."));
        }
        Ok(())
    }

    /// GlobalSignOut: ends every session of the user, then the keys go; it succeeds only when the service
    /// said so. If the service cannot be reached the user stays signed in (they asked for more than a local
    /// sign-out); if this device's session had already ended, the answer is a `SessionEnded` problem (the
    /// user must sign in again to sign out everywhere).
    pub async fn sign_out_everywhere(&self) -> Result<(), Problem> {
        let user = self.stored().last_auth_user;
        let answer = self.authorized::<GlobalSignOut>(|access_token| AccessTokenRequest { access_token }).await;
        if let Err(problem) = answer {
            if problem.kind == ProblemKind::SessionEnded {
                // Nothing was ended elsewhere. Said before the route guard sends the user to sign in
                // (this runs before it does), which then brings them back here.
                self.set_notice(
                    "Your session on this device had already ended, so your other devices could not be signed out from here. Sign in, and you will come back here to sign out everywhere.",
                );
                self.return_to.set_value(Some(Route::Logout.href()));
            }
            return Err(problem);
        }
        if let Some(user) = user {
            self.end_session(&user, Some("You have been signed out on all devices."));
        }
        Ok(())
    }
}

fn unsupported_step() -> Problem {
    Problem::refused("The sign-in service asked for a step this app does not support.")
}
