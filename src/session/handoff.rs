//! What one page leaves for the next, read once: a message ("You have been signed out."), where the
//! sign-in page goes afterwards, and the profile's one-time questions after a sign-in. Nothing here is a
//! secret, nothing outlives the tab, and nothing here decides whether anyone is signed in.

use cognito_core::i18n::Text;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Handoff {
    notice: RwSignal<Option<Text>>,
    /// Where the sign-in page should go next when the session ended during something the user must come
    /// back to (set before the route guard sends them to sign in).
    return_to: StoredValue<Option<String>>,
    /// The next profile page offers to add a passkey (set by a sign-in with a password or a code).
    passkey_offer: StoredValue<bool>,
    /// The next profile page asks whether to remember this browser (the pool asks the user first).
    device_question: StoredValue<bool>,
}

impl Handoff {
    pub(super) fn new() -> Self {
        Handoff {
            notice: RwSignal::new(None),
            return_to: StoredValue::new(None),
            passkey_offer: StoredValue::new(false),
            device_question: StoredValue::new(false),
        }
    }

    /// A message for the next page.
    pub fn set_notice(self, text: impl Into<Text>) {
        self.notice.set(Some(text.into()));
    }

    /// Takes the pending message, if any.
    pub fn take_notice(self) -> Option<Text> {
        let text = self.notice.get_untracked();
        if text.is_some() {
            self.notice.set(None);
        }
        text
    }

    pub(super) fn set_return_to(self, path: String) {
        self.return_to.set_value(Some(path));
    }

    pub(super) fn return_to(self) -> Option<String> {
        self.return_to.get_value()
    }

    /// Takes where to go after signing in, if something set it.
    pub fn take_return_to(self) -> Option<String> {
        self.return_to.try_update_value(Option::take).flatten()
    }

    /// After a sign-in by password or code: the profile offers, once, to add a passkey (see
    /// [`crate::components::account::passkeys::PasskeyOffer`]).
    pub fn offer_passkey(self) {
        self.passkey_offer.set_value(true);
    }

    pub fn take_passkey_offer(self) -> bool {
        self.passkey_offer.try_update_value(std::mem::take).unwrap_or(false)
    }

    pub(super) fn ask_device_question(self, ask: bool) {
        self.device_question.set_value(ask);
    }

    /// Whether the profile is to ask, once after this sign-in, to remember this browser.
    pub fn take_device_question(self) -> bool {
        self.device_question.try_update_value(std::mem::take).unwrap_or(false)
    }
}
