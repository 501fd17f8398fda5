//! What this browser remembers of how people sign in here, by the name they type: the way of last time
//! (choice-based sign-in starts with it) and who used a passkey last (offered in the autofill). Not
//! secrets: they say "password" or "a code by email", and a name, as the reference client's
//! `LastAuthUser` does.

use cognito_core::sign_in::Method;

use crate::browser::{storage_get, storage_remove, storage_set};

/// The way someone signed in last time on this browser (choice-based sign-in), by what they type as their
/// name: next time that way starts at once. Not a secret (it says "password" or "a code by email").
pub fn remembered_way(name: &str) -> Option<Method> {
    let stored = storage_get(&way_key(name))?;
    Method::of(cognito_core::api::ChallengeName::parse(&stored))
}

pub fn remember_way(name: &str, way: Method) {
    let _ = storage_set(&way_key(name), way.challenge().as_str());
}

/// Keyed by the name as typed, ASCII letters folded (full Unicode case folding would add its 12 kB of
/// tables to the first load; a name with other letters is just remembered as typed).
fn way_key(name: &str) -> String {
    format!("cognito-spa.way.{}", name.trim().to_ascii_lowercase())
}

/// Who signed in with a passkey on this browser last (the name they typed): the sign-in page offers that
/// user's passkeys in the username field's autofill. Cognito needs a username before any passkey
/// challenge, so without one there is nothing to offer. Not a secret (the reference client keeps
/// `LastAuthUser` the same way).
const PASSKEY_USER_KEY: &str = "cognito-spa.passkeyUser";

pub fn remembered_passkey_user() -> Option<String> {
    storage_get(PASSKEY_USER_KEY).filter(|name| !name.trim().is_empty())
}

pub fn remember_passkey_user(name: &str) {
    let _ = storage_set(PASSKEY_USER_KEY, name.trim());
}

pub fn forget_passkey_user() {
    storage_remove(PASSKEY_USER_KEY);
}

/// Whether `username` said "Not now" to the passkey offer on this browser.
pub fn offer_declined(username: &str) -> bool {
    storage_get(&offer_key(username)).is_some()
}

pub fn decline_offer(username: &str) {
    let _ = storage_set(&offer_key(username), "declined");
}

fn offer_key(username: &str) -> String {
    format!("cognito-spa.passkeyOffer.{username}")
}
