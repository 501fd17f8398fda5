//! Where one sign-in stands on the page: the stage shown, what the user typed, the way they took; every
//! answer of the sign-in driver goes through [`SignInFlow::follow`].

use std::sync::Arc;

use cognito_core::i18n::{k, Key};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::form::ActionButton;
use crate::form::FormAction;
use crate::routes::Route;
use crate::session::preferences::{remember_passkey_user, remember_way};
use crate::session::{use_session, Challenge, LoginStep, Method, Reply, SessionOwner};

/// The step of the sign-in page: one at a time, nothing in between.
#[derive(Clone)]
pub(super) enum Stage {
    /// The username, and the password unless sign-in is choice-based (then the username alone first).
    Credentials,
    /// Choice-based sign-in by password (picked, or the way of last time).
    Password,
    /// The service asks for more; what is in [`Challenge::prompt`].
    Challenge(Arc<Challenge>),
}

/// The router's navigation, kept where the `Copy` flow can reach it.
type Navigate = Box<dyn Fn(&str)>;

/// One sign-in on the page (a `Copy` handle: every step gets it).
#[derive(Clone, Copy)]
pub(super) struct SignInFlow {
    pub session: SessionOwner,
    pub stage: RwSignal<Stage>,
    pub username: RwSignal<String>,
    pub password: RwSignal<String>,
    /// Choice-based sign-in (USER_AUTH): the username first, then the way the user picks or took last time.
    pub choice_based: bool,
    /// Passkeys are a way of this pool (choice-based sign-in with WEB_AUTHN).
    pub passkeys_on: bool,
    /// The way this sign-in took, remembered for the next one when it succeeds.
    way: StoredValue<Option<Method>>,
    navigate: StoredValue<Navigate, LocalStorage>,
}

impl SignInFlow {
    pub fn new(username: String) -> Self {
        let session = use_session();
        let navigate = use_navigate();
        let choice_based = !session.config().passwordless.is_empty();
        SignInFlow {
            session,
            stage: RwSignal::new(Stage::Credentials),
            username: RwSignal::new(username),
            password: RwSignal::new(String::new()),
            choice_based,
            passkeys_on: choice_based && session.config().passwordless.contains(&Method::Passkey),
            way: StoredValue::new(None),
            navigate: StoredValue::new_local(Box::new(move |path: &str| navigate(path, Default::default()))),
        }
    }

    /// The username as typed, without surrounding spaces.
    pub fn name(self) -> String {
        self.username.get_untracked().trim().to_string()
    }

    pub fn go(self, path: &str) {
        self.navigate.with_value(|navigate| navigate(path));
    }

    /// The sign-in goes on with `way` (remembered when it succeeds).
    pub fn take_way(self, way: Option<Method>) {
        self.way.set_value(way);
    }

    /// Every answer of the sign-in lands here, from any step.
    pub fn follow(self, step: LoginStep) {
        match step {
            // The page's effect navigates once the session is saved.
            LoginStep::Done => {
                let (true, Some(way)) = (self.choice_based, self.way.get_value()) else { return };
                let name = self.username.get_untracked();
                remember_way(&name, way);
                if way == Method::Passkey {
                    remember_passkey_user(&name);
                } else if self.passkeys_on {
                    self.session.handoff().offer_passkey();
                }
            }
            LoginStep::NotConfirmed => {
                let target =
                    Route::Confirm { username: Some(self.name()), destination: None, medium: None, unconfirmed: true };
                self.go(&target.href());
            }
            LoginStep::Challenge(challenge) => {
                self.password.set(String::new());
                if let Some(way) = challenge.prompt.way() {
                    self.take_way(Some(way));
                }
                self.stage.set(Stage::Challenge(Arc::new(challenge)));
            }
        }
    }

    /// Sends the user's reply to `challenge` and follows the answer.
    pub async fn respond(self, challenge: &Challenge, reply: Reply<'_>) -> Result<(), crate::problem::Problem> {
        let step = self.session.respond(challenge, reply).await?;
        self.follow(step);
        Ok(())
    }

    /// Starts the choice-based sign-in again: `preferred` at once (a new code the same way), or the ways
    /// this user has.
    pub fn start_again(self, action: FormAction, preferred: Option<Method>, pending: Key) {
        action.run(pending, || {
            let name = self.name();
            self.take_way(preferred);
            Some(async move {
                self.follow(self.session.start_choice(&name, preferred).await?);
                Ok(())
            })
        });
    }

    /// The password was picked among the ways: the page's own form asks for it (and signs in with SRP).
    pub fn ask_password(self) {
        self.stage.set(Stage::Password);
    }
}

/// "Sign in another way": the sign-in starts again with the choice of ways (choice-based sign-in).
#[component]
pub(super) fn OtherWay(flow: SignInFlow, action: FormAction) -> impl IntoView {
    view! {
        <ActionButton
            action
            label=k::login::other_way
            class="secondary"
            on_click=move || flow.start_again(action, None, k::login::pending)
        />
    }
}
