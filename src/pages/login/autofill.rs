//! Passkey autofill: the passkeys of whoever signed in with one on this browser last are offered in the
//! username field's autofill (conditional mediation); picking one signs in at once. Cognito needs the
//! username before any passkey challenge, so without a remembered user there is nothing to offer.
//! Anything typed or submitted stops the offer.

use cognito_core::i18n::k;
use leptos::prelude::*;

use crate::browser::sleep_ms;
use crate::form::FormAction;
use crate::pages::login::flow::{SignInFlow, Stage};
use crate::passkey::{self, Autofill};
use crate::session::preferences::{forget_passkey_user, remembered_passkey_user};
use crate::session::{LoginStep, Method, Prompt, Reply};
use crate::tasks::PageTasks;

/// A passkey challenge offered in the autofill is renewed before the sign-in's session (3 minutes) ends,
/// for half an hour at most.
const RENEW_MS: i32 = 170_000;
const ROUNDS: usize = 10;

/// The offer of the page (a `Copy` handle).
#[derive(Clone, Copy)]
pub(super) struct AutofillOffer {
    current: StoredValue<Option<Autofill>, LocalStorage>,
    /// Shown on the form as `data-passkey-autofill` while a request waits there (for tests and styling).
    pub armed: RwSignal<bool>,
}

impl AutofillOffer {
    /// Starts offering, where passkeys are a way and someone used one here last; stops with the page.
    pub fn start(flow: SignInFlow, action: FormAction, tasks: &PageTasks) -> Self {
        let offer = AutofillOffer { current: StoredValue::new_local(None), armed: RwSignal::new(false) };
        on_cleanup(move || offer.stop());
        if let Some(name) = remembered_passkey_user().filter(|_| flow.passkeys_on) {
            let timers = tasks.clone();
            tasks.spawn(async move {
                if passkey::autofill_available().await {
                    offer.rounds(flow, action, &timers, name).await;
                }
            });
        }
        offer
    }

    /// Ends the request waiting in the autofill, if any.
    pub fn stop(self) {
        if let Some(offer) = self.current.try_update_value(Option::take).flatten() {
            offer.abort();
        }
        self.armed.try_set(false);
    }

    async fn rounds(self, flow: SignInFlow, action: FormAction, timers: &PageTasks, name: String) {
        for _ in 0..ROUNDS {
            let Some(offer) = Autofill::new() else { return };
            let challenge = match flow.session.start_choice(&name, Some(Method::Passkey)).await {
                Ok(LoginStep::Challenge(challenge)) => challenge,
                Err(problem) if problem.is_transient() => return,
                // No such user any more, or no passkey: nothing to offer.
                _ => return forget_passkey_user(),
            };
            let Prompt::Passkey { options } = &challenge.prompt else { return forget_passkey_user() };
            if !matches!(flow.stage.get_untracked(), Stage::Credentials) || untrack(|| action.is_busy()) {
                return;
            }
            self.current.set_value(Some(offer.clone()));
            self.armed.set(true);
            let renewal = StoredValue::new(false);
            let expiring = offer.clone();
            timers.spawn(async move {
                sleep_ms(RENEW_MS).await;
                renewal.set_value(true);
                expiring.abort();
            });
            let picked = offer.sign(options).await;
            self.armed.try_set(false);
            match picked {
                Ok(credential) => {
                    self.current.set_value(None);
                    flow.username.set(name);
                    flow.take_way(Some(Method::Passkey));
                    action.run(k::login::pending, || {
                        Some(async move { flow.respond(&challenge, Reply::Passkey(&credential)).await })
                    });
                    return;
                }
                Err(_) if renewal.get_value() => continue,
                Err(_) => return,
            }
        }
    }
}
