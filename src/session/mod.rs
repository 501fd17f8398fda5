//! The one owner of the session. Tokens live only in localStorage, in amazon-cognito-identity-js's exact
//! layout (so its `getCurrentUser()` reads our session and we read its); every use reads them from there,
//! so storage is the single source of truth. The decisions (valid / refresh / signed out, clock drift,
//! keep-fresh timing) are cognito-core's pure functions; this module does the I/O and keeps the reactive
//! [`AuthState`]. Its parts, by job:
//!
//! - [`storage`]: reading and writing the keys, the restore decision, following other tabs;
//! - [`refresh`]: refreshing (one tab at a time, under a Web Lock), keep-fresh, calls with the access token;
//! - [`sign_in`]: the sign-in driver (SRP, then the challenge steps) and re-authentication;
//! - [`oauth`]: sign-in through managed login (authorization code with PKCE);
//! - [`sign_out`]: sign-out, sign-out everywhere;
//! - [`account`]: the signed-in user's own operations (`Account`: calls with the access token, deleting
//!   the account);
//! - [`devices`]: this browser as a device of the user (confirmed, proven, listed, forgotten);
//! - [`passkeys`]: the user's passkeys (listed, added, deleted);
//! - [`handoff`]: what one page leaves for the next (a message, where to go after signing in);
//! - [`preferences`]: what this browser remembers of how people sign in (not secrets).

pub mod account;
mod devices;
pub mod handoff;
mod oauth;
mod passkeys;
pub mod preferences;
mod refresh;
mod sign_in;
mod sign_out;
mod storage;

use cognito_core::config::{AppConfig, SignInName};
use cognito_core::i18n::Text;
use cognito_core::session::{Session, StorageKeys};
use leptos::prelude::*;

use crate::problem::Problem;
use crate::routes::Route;
pub use sign_in::{Challenge, CodeMedium, LoginStep, Method, MfaKind, Prompt, Reply};

use crate::session::handoff::Handoff;

/// Who is signed in, as the pages show it.
#[derive(Clone, Debug, PartialEq)]
pub struct SignedInUser {
    /// The id the session is stored under (USER_ID_FOR_SRP).
    pub user_id: String,
    pub username: String,
    /// How the user is named on screen: the email in a pool where it is the username (whose username
    /// is a UUID), else the username.
    pub shown_as: String,
    pub groups: Vec<String>,
    /// The identity provider of a federated user (`Google`, a SAML provider…): their password and second
    /// steps are the provider's, not the pool's.
    pub provider: Option<String>,
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
        message: Text,
    },
}

#[derive(Clone, Copy)]
pub struct SessionOwner {
    state: RwSignal<AuthState>,
    handoff: Handoff,
    /// Read-only for the app's whole life: kept once, lent everywhere (no copy per read).
    config: &'static AppConfig,
    /// Bumped for every new session; a keep-fresh loop of an older one stops.
    keep_fresh_generation: StoredValue<u64>,
}

pub fn use_session() -> SessionOwner {
    expect_context::<SessionOwner>()
}

fn signed_in_user(session: &Session, names: SignInName) -> SignedInUser {
    let username = session.id_claims.username().unwrap_or(&session.user).to_string();
    let email = session.id_claims.str("email").filter(|_| names == SignInName::Email);
    SignedInUser {
        user_id: session.user.clone(),
        shown_as: email.map(str::to_string).unwrap_or_else(|| username.clone()),
        username,
        groups: session.id_claims.groups(),
        provider: session.id_claims.provider().map(str::to_string),
        expires_at: session.expires_at(),
    }
}

impl SessionOwner {
    /// Reads storage once, like `getCurrentUser().getSession()`: valid tokens sign the user in at once
    /// (no network); expired ones are refreshed in the background while the state is `Restoring`.
    pub fn start(config: AppConfig) -> Self {
        let owner = SessionOwner {
            state: RwSignal::new(AuthState::Restoring),
            handoff: Handoff::new(),
            config: Box::leak(Box::new(config)),
            keep_fresh_generation: StoredValue::new(0),
        };
        owner.restore_now();
        owner.follow_other_tabs();
        owner
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

    pub fn config(&self) -> &'static AppConfig {
        self.config
    }

    /// Calls an operation that takes no token (sign-up, its confirmation, a password reset).
    pub async fn call<O: cognito_core::api::Operation>(&self, request: &O::Request) -> Result<O::Response, Problem> {
        crate::api::call::<O>(self.config, request).await
    }

    /// What one page leaves for the next.
    pub fn handoff(&self) -> Handoff {
        self.handoff
    }

    /// The sign-in page, with `next` when the user is to come back somewhere.
    pub fn login_path(&self) -> String {
        match self.handoff.return_to() {
            Some(path) => Route::login_then(path).href(),
            None => Route::LOGIN.href(),
        }
    }

    fn keys(&self) -> StorageKeys {
        StorageKeys::new(&self.config.client_id)
    }
}
