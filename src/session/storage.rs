//! Storage: reading and writing the session keys, the restore decision, following other tabs.

use cognito_core::i18n::{k, Text};
use cognito_core::session::{restore, Restore, Session, StoredSession};
use leptos::prelude::*;

use crate::browser::{now_seconds, storage_get, storage_remove, storage_set};
use crate::problem::Problem;
use crate::session::{signed_in_user, AuthState, SessionOwner};

impl SessionOwner {
    /// Another tab of this site changed the session keys (signed in, refreshed, signed out): follow it.
    /// The listener lives as long as the app.
    pub(super) fn follow_other_tabs(self) {
        let prefix = self.keys().prefix().to_string();
        let _listener = window_event_listener(leptos::ev::storage, move |event: web_sys::StorageEvent| {
            let ours = event.key().is_none_or(|key| key.starts_with(&prefix));
            if !ours {
                return;
            }
            let was_signed_in = matches!(self.state.get_untracked(), AuthState::SignedIn(_));
            self.restore_now();
            if was_signed_in && matches!(self.state.get_untracked(), AuthState::SignedOut) {
                self.handoff.set_notice(k::sign_out::done);
            }
        });
    }

    pub(super) fn restore_now(self) {
        match self.decide() {
            Restore::Valid(session) => {
                self.state.set(AuthState::SignedIn(signed_in_user(&session, self.config().sign_in_name)));
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
                                self.handoff.set_notice(problem.message);
                                self.state.set(AuthState::SignedOut);
                            }
                        }
                    }
                });
            }
        }
    }

    pub(super) fn stored(&self) -> StoredSession {
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

    pub(super) fn decide(&self) -> Restore {
        restore(&self.config.client_id, &self.stored(), now_seconds())
    }

    /// Writes the session (`LastAuthUser` last). When the browser refuses a write (storage full or turned
    /// off), what this save wrote is undone: the previous values go back, or, if even that is refused,
    /// the user's session keys go, so storage never holds half a session.
    pub(super) fn save(&self, session: &Session) -> Result<(), Problem> {
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
        self.state.set(AuthState::SignedIn(signed_in_user(session, self.config().sign_in_name)));
        self.keep_fresh();
        Ok(())
    }

    /// Removes the user's session keys (device keys stay, as with the reference client) and signs out.
    pub(super) fn end_session(&self, user: &str, notice: Option<Text>) {
        for key in self.keys().sign_out_keys(user) {
            storage_remove(&key);
        }
        if let Some(text) = notice {
            self.handoff.set_notice(text);
        }
        self.state.set(AuthState::SignedOut);
    }

    /// Whether storage still holds `user`'s session with this refresh token.
    pub(super) fn still_stored(&self, user: &str, refresh_token: &str) -> bool {
        let stored = self.stored();
        stored.last_auth_user.as_deref() == Some(user) && stored.refresh_token.as_deref() == Some(refresh_token)
    }

    /// After a discarded refresh answer: the state storage now holds.
    pub(super) fn follow_storage(&self) -> Result<Session, Problem> {
        match self.decide() {
            Restore::Valid(session) => {
                self.state.set(AuthState::SignedIn(signed_in_user(&session, self.config().sign_in_name)));
                Ok(session)
            }
            _ => {
                self.state.set(AuthState::SignedOut);
                Err(Problem::session_ended())
            }
        }
    }
}
