//! The first form of the sign-in page: the username and the password (SRP computed in wasm), or in a
//! choice-based pool the username alone first; the ways through managed login; the links.

use cognito_core::i18n::{k, Text};
use cognito_core::srp::{self, ClientEphemeral};
use leptos::prelude::*;
use leptos_router::components::A;
use zeroize::Zeroizing;

use crate::browser::yield_to_browser;
use crate::components::field::Field;
use crate::components::form::{ActionForm, Alerts, SubmitButton};
use crate::components::managed_login::ManagedLoginButtons;
use crate::form::{any_invalid, FormAction};
use crate::i18n::tr;
use crate::pages::login::autofill::AutofillOffer;
use crate::pages::login::flow::{OtherWay, SignInFlow, Stage};
use crate::problem::Problem;
use crate::routes::Route;
use crate::session::preferences::remembered_way;
use crate::session::Method;
use crate::tasks::PageTasks;

/// The username (with the password unless choice-based sign-in asks for the username alone first; then
/// the password comes when picked, or as the way of last time).
#[component]
pub(super) fn Credentials(
    flow: SignInFlow,
    action: FormAction,
    autofill: AutofillOffer,
    ephemeral: PreparedEphemeral,
    next: String,
) -> impl IntoView {
    let names = flow.session.config().sign_in_name;
    let asks_password = !flow.choice_based || matches!(flow.stage.get_untracked(), Stage::Password);
    let (username, password) = (flow.username, flow.password);
    let username_error = action.required(username, names.missing());
    let password_error = action.check(move || password.with(String::is_empty), k::login::password_missing);

    let submit = move || {
        if any_invalid(&[username_error, password_error]) {
            return None;
        }
        autofill.stop();
        let name = flow.name();
        let secret = Zeroizing::new(password.get_untracked()); // wiped when the task ends
        flow.take_way(Some(Method::Password));
        Some(async move {
            // No wait for a paint: `A` is ready (or takes ~2 ms), and "Signing in…" paints while
            // InitiateAuth is on the network.
            let result = match ephemeral.take() {
                Ok(eph) => flow.session.login(&name, &secret, eph).await,
                Err(e) => Err(Problem::refused(Text::new(k::login::cannot_start).with("detail", e.to_string()))),
            };
            ephemeral.prepare();
            flow.follow(result?);
            Ok(())
        })
    };
    // Choice-based, the username alone: the way of last time, else the ways this user has.
    let proceed = move || {
        if any_invalid(&[username_error]) {
            return None;
        }
        autofill.stop();
        let name = flow.name();
        let preferred = remembered_way(&name);
        if preferred == Some(Method::Password) {
            flow.ask_password();
            return None;
        }
        Some(async move {
            flow.follow(flow.session.start_choice(&name, preferred).await?);
            Ok(())
        })
    };
    let form = if asks_password {
        view! {
            <ActionForm action pending=k::login::pending submit autofill_waiting=autofill.armed>
                <UsernameField flow action error=username_error />
                <Field
                    id="password"
                    label=k::login::password
                    value=password
                    input_type="password"
                    autocomplete="current-password"
                    error=password_error
                    action
                />
                <SubmitButton action label=k::login::submit />
                {flow
                    .choice_based
                    .then(|| {
                        view! { <OtherWay flow action /> }
                    })}
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <ActionForm action pending=k::login::pending submit=proceed autofill_waiting=autofill.armed>
                <UsernameField flow action error=username_error />
                <SubmitButton action label=k::login::next />
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <h1 id="login-title">{tr(k::login::title)}</h1>
        <Alerts action />
        {form}
        <ManagedLoginButtons next username action />
        <p>
            <A href=move || {
                Route::ForgotPassword {
                    username: Some(username.get().trim().to_string()),
                }
                    .href()
            }>{tr(k::login::forgot)}</A>
        </p>
        <p>{tr(k::login::no_account)} " " <A href=Route::Register.href()>{tr(k::login::create_one)}</A></p>
        <p>
            {tr(k::login::got_code)} " "
            <A href=Route::Confirm {
                username: None,
                destination: None,
                medium: None,
                unconfirmed: false,
            }
                .href()>{tr(k::login::confirm_account)}</A>
        </p>
    }
}

/// The username field; where passkeys are a way, it offers them in its autofill (`webauthn`).
#[component]
fn UsernameField(flow: SignInFlow, action: FormAction, error: Signal<Option<Text>>) -> impl IntoView {
    let names = flow.session.config().sign_in_name;
    view! {
        <Field
            id="username"
            label=names.label()
            value=flow.username
            autocomplete=if flow.passkeys_on { "username webauthn" } else { "username" }
            error
            action
        />
    }
}

/// The SRP ephemeral of the next password sign-in, computed after the page has painted so `A` is ready
/// before the click. The first time it also exercises the password step's exponentiation, so the browser
/// has compiled it to fast code before the user's click needs it (see [`srp::exercise`]).
#[derive(Clone, Copy)]
pub(super) struct PreparedEphemeral {
    slot: StoredValue<Option<ClientEphemeral>>,
    tasks: StoredValue<PageTasks, LocalStorage>,
}

impl PreparedEphemeral {
    pub fn new(tasks: &PageTasks) -> Self {
        let prepared = PreparedEphemeral { slot: StoredValue::new(None), tasks: StoredValue::new_local(tasks.clone()) };
        prepared.prepare();
        prepared
    }

    /// The prepared ephemeral, or a fresh one.
    fn take(self) -> Result<ClientEphemeral, srp::SrpError> {
        self.slot.try_update_value(Option::take).flatten().map(Ok).unwrap_or_else(ClientEphemeral::generate)
    }

    fn prepare(self) {
        let slot = self.slot;
        self.tasks.with_value(|tasks| {
            tasks.spawn(async move {
                yield_to_browser().await;
                if slot.with_value(Option::is_none) {
                    if let Ok(ephemeral) = ClientEphemeral::generate() {
                        slot.set_value(Some(ephemeral));
                    }
                }
                if !EXERCISED.with(|done| done.replace(true)) {
                    yield_to_browser().await;
                    std::hint::black_box(srp::exercise());
                }
            })
        });
    }
}

thread_local! {
    /// Whether this page has run [`srp::exercise`] (once is enough for the browser to optimize it).
    static EXERCISED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}
