//! The session model, exactly as amazon-cognito-identity-js keeps it in localStorage, so that its
//! `getCurrentUser().getSession()` reads our session and we read its. Pure: the app owns the storage and
//! the clock and passes both in.
//!
//! Layout, with `P = CognitoIdentityServiceProvider.<clientId>`:
//! `P.LastAuthUser` = user id; `P.<user>.idToken`, `.accessToken`, `.refreshToken`, `.clockDrift` (integer
//! seconds, now − min(iat)), `.userData`; device keys `.deviceKey`, `.randomPasswordKey`, `.deviceGroupKey`
//! (kept on sign-out). `<user>` is `USER_ID_FOR_SRP`, not what was typed.

use std::fmt;

use crate::api::AuthenticationResult;
use crate::jwt::{decode_payload, Claims, JwtError};

/// Storage key names for one app client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageKeys {
    prefix: String,
}

/// Storage key names for one user of one app client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserKeys {
    pub id_token: String,
    pub access_token: String,
    pub refresh_token: String,
    pub clock_drift: String,
    pub user_data: String,
    pub device_key: String,
    pub random_password_key: String,
    pub device_group_key: String,
}

impl StorageKeys {
    pub fn new(client_id: &str) -> Self {
        StorageKeys { prefix: format!("CognitoIdentityServiceProvider.{client_id}") }
    }

    /// `CognitoIdentityServiceProvider.<clientId>`: every key of this client starts with it.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn last_auth_user(&self) -> String {
        format!("{}.LastAuthUser", self.prefix)
    }

    pub fn user(&self, user: &str) -> UserKeys {
        let key = |name: &str| format!("{}.{user}.{name}", self.prefix);
        UserKeys {
            id_token: key("idToken"),
            access_token: key("accessToken"),
            refresh_token: key("refreshToken"),
            clock_drift: key("clockDrift"),
            user_data: key("userData"),
            device_key: key("deviceKey"),
            random_password_key: key("randomPasswordKey"),
            device_group_key: key("deviceGroupKey"),
        }
    }

    /// What a sign-out removes (the reference client's `clearCachedUser`): the user's tokens, clock drift
    /// and cached user data, and `LastAuthUser`. Device keys stay, so a remembered device stays remembered.
    pub fn sign_out_keys(&self, user: &str) -> Vec<String> {
        let u = self.user(user);
        vec![u.id_token, u.access_token, u.refresh_token, u.clock_drift, u.user_data, self.last_auth_user()]
    }
}

/// What storage held for the last user, raw, as the app read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredSession {
    pub last_auth_user: Option<String>,
    pub id_token: Option<String>,
    pub access_token: Option<String>,
    pub refresh_token: Option<String>,
    pub clock_drift: Option<String>,
}

/// A signed-in user's tokens with their decoded claims.
#[derive(Clone, PartialEq)]
pub struct Session {
    pub user: String,
    pub id_token: String,
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds the local clock is ahead of the token issuer's.
    pub clock_drift: i64,
    pub id_claims: Claims,
    pub access_claims: Claims,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print tokens.
        f.debug_struct("Session")
            .field("user", &self.user)
            .field("clock_drift", &self.clock_drift)
            .field("expires_at", &self.expires_at())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionError {
    /// A token does not decode. Says which.
    BadToken(&'static str, JwtError),
    /// A token was issued to another app client.
    WrongClient(&'static str),
    /// A token is not the kind its slot holds (`token_use`).
    WrongTokenUse(&'static str),
    /// A login answer without a refresh token and no earlier one to keep.
    NoRefreshToken,
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::BadToken(which, why) => write!(f, "{which} token: {why}"),
            SessionError::WrongClient(which) => write!(f, "{which} token belongs to another app client"),
            SessionError::WrongTokenUse(which) => write!(f, "{which} token has the wrong token_use"),
            SessionError::NoRefreshToken => f.write_str("no refresh token"),
        }
    }
}

impl std::error::Error for SessionError {}

/// `now − min(iat of access, iat of id)`.
pub fn clock_drift(now: i64, access: &Claims, id: &Claims) -> i64 {
    now - access.iat().min(id.iat())
}

/// Reads an integer the way the reference client does (`parseInt(v) || 0`): optional sign and leading digits.
fn parse_int_lenient(text: &str) -> i64 {
    let t = text.trim_start();
    let (sign, digits) = match t.as_bytes().first() {
        Some(b'-') => (-1, &t[1..]),
        Some(b'+') => (1, &t[1..]),
        _ => (1, t),
    };
    let end = digits.bytes().position(|c| !c.is_ascii_digit()).unwrap_or(digits.len());
    digits[..end].parse::<i64>().map(|n| sign * n).unwrap_or(0)
}

fn claims_for(client_id: &str, which: &'static str, token: &str) -> Result<Claims, SessionError> {
    let claims = decode_payload(token).map_err(|e| SessionError::BadToken(which, e))?;
    if claims.client_id() != Some(client_id) {
        return Err(SessionError::WrongClient(which));
    }
    if claims.token_use().is_some_and(|u| u != which) {
        return Err(SessionError::WrongTokenUse(which));
    }
    Ok(claims)
}

impl Session {
    /// A session from stored tokens with a stored clock drift.
    pub fn from_parts(
        client_id: &str,
        user: &str,
        id_token: &str,
        access_token: &str,
        refresh_token: &str,
        clock_drift: i64,
    ) -> Result<Self, SessionError> {
        Ok(Session {
            user: user.to_string(),
            id_claims: claims_for(client_id, "id", id_token)?,
            access_claims: claims_for(client_id, "access", access_token)?,
            id_token: id_token.to_string(),
            access_token: access_token.to_string(),
            refresh_token: refresh_token.to_string(),
            clock_drift,
        })
    }

    /// A session from a login or refresh answer; a refresh answer carries no refresh token, so the previous
    /// one is kept. The clock drift is measured now.
    pub fn from_auth_result(
        client_id: &str,
        user: &str,
        result: &AuthenticationResult,
        previous_refresh_token: Option<&str>,
        now: i64,
    ) -> Result<Self, SessionError> {
        let refresh = result
            .refresh_token
            .as_deref()
            .or(previous_refresh_token)
            .filter(|t| !t.is_empty())
            .ok_or(SessionError::NoRefreshToken)?;
        let mut session = Session::from_parts(client_id, user, &result.id_token, &result.access_token, refresh, 0)?;
        session.clock_drift = clock_drift(now, &session.access_claims, &session.id_claims);
        Ok(session)
    }

    /// A session from managed login's token answer (`oauth::read_token_answer`), stored as the reference
    /// clients store it: under its access token's `username` (`Google_…` for a federated user).
    pub fn from_managed_login(client_id: &str, result: &AuthenticationResult, now: i64) -> Result<Self, SessionError> {
        let mut session = Session::from_auth_result(client_id, "", result, None, now)?;
        let user = session.access_claims.username().filter(|u| !u.is_empty());
        session.user = user.ok_or(SessionError::BadToken("access", JwtError::BadClaim("username")))?.to_string();
        Ok(session)
    }

    /// The reference client's `isValid`: `(now − clockDrift) < exp` for both the access and the id token.
    pub fn is_valid(&self, now: i64) -> bool {
        let adjusted = now - self.clock_drift;
        adjusted < self.access_claims.exp() && adjusted < self.id_claims.exp()
    }

    /// When the first of the two tokens expires, on the local clock.
    pub fn expires_at(&self) -> i64 {
        self.access_claims.exp().min(self.id_claims.exp()) + self.clock_drift
    }

    /// When (local clock) a page that stays open refreshes these tokens: a fifth of the shorter of the two
    /// lifetimes (at most five minutes) before the first of them expires, but never sooner than
    /// [`MIN_REFRESH_INTERVAL`] seconds after they were issued, so that odd lifetimes (id tokens of five
    /// minutes with access tokens of an hour) or tokens shorter than the margin cannot make it refresh in
    /// a loop.
    pub fn refresh_due_at(&self) -> i64 {
        let lifetime = |c: &Claims| c.exp() - c.iat();
        let shorter = lifetime(&self.access_claims).min(lifetime(&self.id_claims));
        let margin = (shorter / 5).clamp(1, 300);
        let issued = self.access_claims.iat().max(self.id_claims.iat()) + self.clock_drift;
        (self.expires_at() - margin).max(issued + MIN_REFRESH_INTERVAL)
    }

    /// Whether sign-out should call RevokeToken (only tokens of pools with revocation carry `origin_jti`).
    pub fn is_revocable(&self) -> bool {
        self.access_claims.origin_jti().is_some()
    }

    /// The key/value pairs to write, `LastAuthUser` last.
    pub fn storage_entries(&self, keys: &StorageKeys) -> Vec<(String, String)> {
        let u = keys.user(&self.user);
        vec![
            (u.id_token, self.id_token.clone()),
            (u.access_token, self.access_token.clone()),
            (u.refresh_token, self.refresh_token.clone()),
            (u.clock_drift, self.clock_drift.to_string()),
            (keys.last_auth_user(), self.user.clone()),
        ]
    }
}

/// Keep-fresh never refreshes tokens sooner than this many seconds after they were issued.
pub const MIN_REFRESH_INTERVAL: i64 = 30;

/// What to do with a stored session at start-up.
#[derive(Debug, Clone, PartialEq)]
pub enum Restore {
    /// Signed out. `remove` lists this client's keys that are stale or broken (may be empty).
    SignedOut { remove: Vec<String> },
    /// Tokens are valid: signed in, no network call needed.
    Valid(Session),
    /// Tokens expired or unreadable, but there is a refresh token: call REFRESH_TOKEN_AUTH.
    Refresh { user: String, refresh_token: String },
}

/// Decides from what storage holds and the local clock (seconds). Mirrors `getCurrentUser().getSession()`:
/// no `LastAuthUser` or no id token → signed out; valid tokens → use them; otherwise refresh if possible.
/// Tokens of another client, or that do not decode, count as expired; with no refresh token to fall back on
/// they are removed.
pub fn restore(client_id: &str, stored: &StoredSession, now: i64) -> Restore {
    let keys = StorageKeys::new(client_id);
    let user = match stored.last_auth_user.as_deref() {
        Some(u) if !u.is_empty() => u,
        Some(_) => return Restore::SignedOut { remove: vec![keys.last_auth_user()] },
        None => return Restore::SignedOut { remove: Vec::new() },
    };
    let present = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(str::to_string);
    let refresh = present(&stored.refresh_token);
    let Some(id_token) = present(&stored.id_token) else {
        return Restore::SignedOut { remove: keys.sign_out_keys(user) };
    };
    let access_token = present(&stored.access_token).unwrap_or_default();
    let drift = stored.clock_drift.as_deref().map(parse_int_lenient).unwrap_or(0);
    let parsed =
        Session::from_parts(client_id, user, &id_token, &access_token, refresh.as_deref().unwrap_or(""), drift);
    match (parsed, refresh) {
        (Ok(session), _) if session.is_valid(now) => Restore::Valid(session),
        (_, Some(refresh_token)) => Restore::Refresh { user: user.to_string(), refresh_token },
        (_, None) => Restore::SignedOut { remove: keys.sign_out_keys(user) },
    }
}

/// Why a refresh is wanted. Refreshes are serialized across tabs by a lock; under it the stored tokens
/// are read again first, and the refresh is skipped when someone (another tab) already did what was
/// needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshNeed {
    /// Keep-fresh: the tokens are due ([`Session::refresh_due_at`]).
    Due,
    /// The stored tokens are expired or unreadable (storage read as [`Restore::Refresh`]).
    Expired,
    /// The service refused this access token as expired.
    Replace(String),
}

impl RefreshNeed {
    /// Whether `stored`, valid tokens read under the lock at `now`, still need the refresh.
    pub fn wants(&self, stored: &Session, now: i64) -> bool {
        match self {
            RefreshNeed::Due => now >= stored.refresh_due_at(),
            // Valid tokens are what an expired session needed.
            RefreshNeed::Expired => false,
            // Another tab replaced the refused token already.
            RefreshNeed::Replace(access_token) => &stored.access_token == access_token,
        }
    }
}

/// Longer than this (milliseconds) between asking for the refresh lock and getting it: another tab held it.
pub const LOCK_WAITED_MS: f64 = 15.0;
/// How long (milliseconds) a tab that waited for the lock gives the other tab's storage writes to arrive:
/// the lock reaches it before they do (Chromium keeps a copy of localStorage per renderer process).
pub const STORAGE_CATCH_UP_MS: f64 = 1000.0;

/// Whether a tab holding the refresh lock should wait on before reading storage: it asked for the lock at
/// `asked_at` and got it at `got_at`, and at `now` the stored refresh token is still the one it saw
/// before (`unchanged`). Without the wait it would send a refresh token the tab before it has just
/// exchanged (with rotation and no grace period, that ends the session).
pub fn awaits_other_tab(asked_at: f64, got_at: f64, now: f64, unchanged: bool) -> bool {
    got_at - asked_at > LOCK_WAITED_MS && unchanged && now < got_at + STORAGE_CATCH_UP_MS
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    const CLIENT: &str = "client1";

    fn jwt(claims: serde_json::Value) -> String {
        format!("eyJhbGciOiJSUzI1NiJ9.{}.sig", URL_SAFE_NO_PAD.encode(claims.to_string()))
    }

    fn id_token(iat: i64, exp: i64) -> String {
        jwt(serde_json::json!({"token_use": "id", "aud": CLIENT, "iat": iat, "exp": exp, "cognito:username": "alice"}))
    }

    fn access_token(iat: i64, exp: i64) -> String {
        jwt(serde_json::json!({"token_use": "access", "client_id": CLIENT, "iat": iat, "exp": exp, "origin_jti": "o1"}))
    }

    fn stored(id: String, access: String, refresh: &str, drift: &str) -> StoredSession {
        StoredSession {
            last_auth_user: Some("alice".into()),
            id_token: Some(id),
            access_token: Some(access),
            refresh_token: Some(refresh.into()),
            clock_drift: Some(drift.into()),
        }
    }

    #[test]
    fn a_managed_login_session_is_stored_under_its_access_tokens_username() {
        let access = |username: Option<&str>| {
            let mut claims = serde_json::json!({"token_use": "access", "client_id": CLIENT, "iat": 0, "exp": 10,
                "scope": "openid aws.cognito.signin.user.admin"});
            if let Some(name) = username {
                claims["username"] = serde_json::json!(name);
            }
            jwt(claims)
        };
        let answer = |access_token| AuthenticationResult {
            id_token: id_token(0, 10),
            access_token,
            refresh_token: Some("r1".into()),
            ..Default::default()
        };
        let session = Session::from_managed_login(CLIENT, &answer(access(Some("Google_1234"))), 5).unwrap();
        assert_eq!(session.user, "Google_1234");
        assert_eq!(session.clock_drift, 5);
        assert!(matches!(
            Session::from_managed_login(CLIENT, &answer(access(None)), 5),
            Err(SessionError::BadToken("access", JwtError::BadClaim("username")))
        ));
    }

    #[test]
    fn key_layout_is_the_reference_clients() {
        let keys = StorageKeys::new("abc123");
        assert_eq!(keys.last_auth_user(), "CognitoIdentityServiceProvider.abc123.LastAuthUser");
        let u = keys.user("9f1c-uuid");
        assert_eq!(u.id_token, "CognitoIdentityServiceProvider.abc123.9f1c-uuid.idToken");
        assert_eq!(u.access_token, "CognitoIdentityServiceProvider.abc123.9f1c-uuid.accessToken");
        assert_eq!(u.refresh_token, "CognitoIdentityServiceProvider.abc123.9f1c-uuid.refreshToken");
        assert_eq!(u.clock_drift, "CognitoIdentityServiceProvider.abc123.9f1c-uuid.clockDrift");
        assert_eq!(u.user_data, "CognitoIdentityServiceProvider.abc123.9f1c-uuid.userData");
        assert_eq!(u.device_key, "CognitoIdentityServiceProvider.abc123.9f1c-uuid.deviceKey");
        let out = keys.sign_out_keys("9f1c-uuid");
        assert!(out.contains(&keys.last_auth_user()) && out.contains(&u.user_data));
        assert!(
            !out.contains(&u.device_key) && !out.contains(&u.random_password_key) && !out.contains(&u.device_group_key)
        );
    }

    fn session(id: (i64, i64), access: (i64, i64), drift: i64) -> Session {
        Session::from_parts(CLIENT, "alice", &id_token(id.0, id.1), &access_token(access.0, access.1), "r1", drift)
            .unwrap()
    }

    #[test]
    fn a_refresh_is_skipped_when_another_tab_did_what_was_needed() {
        let s = session((1000, 4600), (1000, 4600), 0);
        let due = s.refresh_due_at();
        assert!(!RefreshNeed::Due.wants(&s, due - 1));
        assert!(RefreshNeed::Due.wants(&s, due));
        assert!(!RefreshNeed::Expired.wants(&s, due));
        assert!(RefreshNeed::Replace(s.access_token.clone()).wants(&s, 1000));
        assert!(!RefreshNeed::Replace("an older token".into()).wants(&s, 1000));
    }

    #[test]
    fn a_tab_that_waited_for_the_lock_waits_for_the_other_tabs_writes_a_second_at_most() {
        // Got the lock at once: nobody held it, nothing to wait for.
        assert!(!awaits_other_tab(0.0, LOCK_WAITED_MS, LOCK_WAITED_MS, true));
        // Waited for it: wait while the token is unchanged, up to the catch-up time.
        assert!(awaits_other_tab(0.0, 100.0, 100.0, true));
        assert!(awaits_other_tab(0.0, 100.0, 100.0 + STORAGE_CATCH_UP_MS - 1.0, true));
        assert!(!awaits_other_tab(0.0, 100.0, 100.0 + STORAGE_CATCH_UP_MS, true));
        // The other tab's token arrived: read it now.
        assert!(!awaits_other_tab(0.0, 100.0, 150.0, false));
    }

    /// Follows keep-fresh for `hours`: refresh at the due moment, the service issuing new tokens of the same
    /// lifetimes then; returns the moments of the refreshes.
    fn keep_fresh_refreshes(id_life: i64, access_life: i64, drift: i64, hours: i64) -> Vec<i64> {
        let mut refreshes = Vec::new();
        let mut issued = 1_000_000;
        let mut s = session((issued, issued + id_life), (issued, issued + access_life), drift);
        while s.refresh_due_at() - drift <= 1_000_000 + hours * 3600 {
            let due = s.refresh_due_at();
            assert!(due < s.expires_at(), "refreshed before expiry when the lifetime allows: {id_life}/{access_life}");
            refreshes.push(due);
            assert!(refreshes.len() <= 100 * hours as usize, "refreshing in a loop: {:?}", &refreshes[..5]);
            issued = due - drift; // the service's clock
            s = session((issued, issued + id_life), (issued, issued + access_life), drift);
        }
        refreshes
    }

    #[test]
    fn keep_fresh_uses_the_shorter_lifetime_and_never_loops() {
        // Id tokens of 5 minutes with access tokens of an hour: refreshed a minute before the id token
        // expires (a fifth of 5 minutes), so every 4 minutes: 15 an hour, not a loop.
        let refreshes = keep_fresh_refreshes(300, 3600, 0, 1);
        assert_eq!(refreshes.len(), 15, "{refreshes:?}");
        assert!(refreshes.windows(2).all(|w| w[1] - w[0] == 240));
        // The other way round, and with the local clock ahead of the service's: the same.
        assert_eq!(keep_fresh_refreshes(3600, 300, 120, 1).len(), 15);
        // An hour each: five minutes before expiry (the margin's cap), every 55 minutes.
        let hourly = keep_fresh_refreshes(3600, 3600, -40, 3);
        assert!(hourly.windows(2).all(|w| w[1] - w[0] == 3300), "{hourly:?}");
        assert_eq!(session((0, 3600), (0, 3600), 0).refresh_due_at(), 3300);
    }

    #[test]
    fn keep_fresh_never_refreshes_twice_within_thirty_seconds() {
        // Tokens shorter than the interval (cognito-local's test pools): due 30 s after issue even though
        // they expired before; never sooner.
        let s = session((100, 104), (100, 104), 0);
        assert_eq!(s.refresh_due_at(), 100 + MIN_REFRESH_INTERVAL);
        let s = session((100, 160), (100, 130), 7);
        assert_eq!(s.refresh_due_at(), 107 + MIN_REFRESH_INTERVAL);
        for id_life in [1, 10, 29, 30, 31, 60, 299, 300, 301, 3600, 86_400] {
            for access_life in [1, 30, 300, 3600] {
                let s = session((5000, 5000 + id_life), (5000, 5000 + access_life), 0);
                assert!(s.refresh_due_at() >= 5000 + MIN_REFRESH_INTERVAL, "{id_life}/{access_life}");
            }
        }
    }

    #[test]
    fn new_session_measures_clock_drift_from_the_older_iat() {
        let result = AuthenticationResult {
            id_token: id_token(1000, 4600),
            access_token: access_token(990, 4590),
            refresh_token: Some("r1".into()),
            ..Default::default()
        };
        let s = Session::from_auth_result(CLIENT, "alice", &result, None, 1300).unwrap();
        assert_eq!(s.clock_drift, 310);
        assert!(s.is_valid(1300 + 4589 - 990));
        assert!(!s.is_valid(1300 + 4590 - 990));
        assert_eq!(s.expires_at(), 4590 + 310);
        assert!(s.is_revocable());
        let entries = s.storage_entries(&StorageKeys::new(CLIENT));
        assert_eq!(entries.last().unwrap(), &(StorageKeys::new(CLIENT).last_auth_user(), "alice".to_string()));
        assert!(entries.contains(&(StorageKeys::new(CLIENT).user("alice").clock_drift, "310".to_string())));
    }

    #[test]
    fn refresh_answer_keeps_the_previous_refresh_token() {
        let result =
            AuthenticationResult { id_token: id_token(0, 10), access_token: access_token(0, 10), ..Default::default() };
        let s = Session::from_auth_result(CLIENT, "alice", &result, Some("old"), 0).unwrap();
        assert_eq!(s.refresh_token, "old");
        assert_eq!(
            Session::from_auth_result(CLIENT, "alice", &result, None, 0).unwrap_err(),
            SessionError::NoRefreshToken
        );
    }

    #[test]
    fn restore_uses_valid_tokens_without_network() {
        let r = restore(CLIENT, &stored(id_token(100, 3700), access_token(100, 3700), "r", "5"), 3000);
        assert!(matches!(r, Restore::Valid(s) if s.clock_drift == 5 && s.refresh_token == "r"));
    }

    #[test]
    fn restore_applies_the_stored_clock_drift() {
        // Local clock two hours ahead of the issuer: still valid thanks to the drift.
        let s = stored(id_token(100, 3700), access_token(100, 3700), "r", "7200");
        assert!(matches!(restore(CLIENT, &s, 7200 + 3000), Restore::Valid(_)));
        let s = stored(id_token(100, 3700), access_token(100, 3700), "r", "0");
        assert!(matches!(restore(CLIENT, &s, 7200 + 3000), Restore::Refresh { .. }));
    }

    #[test]
    fn restore_refreshes_expired_tokens() {
        let r = restore(CLIENT, &stored(id_token(100, 3700), access_token(100, 3700), "r", "0"), 3700);
        assert_eq!(r, Restore::Refresh { user: "alice".into(), refresh_token: "r".into() });
    }

    #[test]
    fn restore_treats_unreadable_or_foreign_tokens_as_expired() {
        let foreign = jwt(serde_json::json!({"token_use": "id", "aud": "other", "iat": 0, "exp": i64::MAX / 2}));
        for (id, access) in [
            ("garbage".to_string(), access_token(0, 10_000)),
            (id_token(0, 10_000), "ey.truncat".to_string()),
            (foreign, access_token(0, 10_000)),
            (access_token(0, 10_000), access_token(0, 10_000)), // an access token in the id slot
        ] {
            assert!(matches!(
                restore(CLIENT, &stored(id.clone(), access.clone(), "r", "0"), 5),
                Restore::Refresh { .. }
            ));
            let keys = StorageKeys::new(CLIENT);
            assert_eq!(
                restore(CLIENT, &stored(id, access, "", "0"), 5),
                Restore::SignedOut { remove: keys.sign_out_keys("alice") }
            );
        }
    }

    #[test]
    fn restore_without_last_user_or_id_token_is_signed_out() {
        assert_eq!(restore(CLIENT, &StoredSession::default(), 0), Restore::SignedOut { remove: vec![] });
        let dangling = StoredSession { last_auth_user: Some("ghost".into()), ..Default::default() };
        assert_eq!(
            restore(CLIENT, &dangling, 0),
            Restore::SignedOut { remove: StorageKeys::new(CLIENT).sign_out_keys("ghost") }
        );
        let empty = StoredSession { last_auth_user: Some(String::new()), ..Default::default() };
        assert_eq!(
            restore(CLIENT, &empty, 0),
            Restore::SignedOut { remove: vec![StorageKeys::new(CLIENT).last_auth_user()] }
        );
    }

    #[test]
    fn clock_drift_is_read_like_parse_int() {
        assert_eq!(parse_int_lenient("42"), 42);
        assert_eq!(parse_int_lenient("-7200"), -7200);
        assert_eq!(parse_int_lenient(" 12abc"), 12);
        assert_eq!(parse_int_lenient("abc"), 0);
        assert_eq!(parse_int_lenient(""), 0);
        assert_eq!(parse_int_lenient("99999999999999999999999"), 0);
    }
}
