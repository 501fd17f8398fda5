use cognito_core::api::{ConfirmSignUp, ConfirmSignUpRequest, ResendConfirmationCode, ResendConfirmationCodeRequest};
use cognito_core::i18n::{k, Text};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::alerts::{ErrorAlert, Notice};
use crate::components::field::Field;
use crate::form::FormAction;
use crate::i18n::tr;
use crate::routes::Route;
use crate::session::{use_session, LoginStep};

/// "We sent a code by email to a***@e***": where the code went, as the service said (`again`: "New code
/// sent." before it).
fn sent_to(destination: &str, medium: &str, again: bool) -> Text {
    let sms = medium.eq_ignore_ascii_case("SMS");
    let key = match (destination.is_empty(), sms, again) {
        (true, false, false) => k::code::sent_email,
        (true, true, false) => k::code::sent_sms,
        (false, false, false) => k::code::sent_email_to,
        (false, true, false) => k::code::sent_sms_to,
        (true, false, true) => k::code::resent_email,
        (true, true, true) => k::code::resent_sms,
        (false, false, true) => k::code::resent_email_to,
        (false, true, true) => k::code::resent_sms_to,
    };
    Text::new(key).with("destination", destination)
}

/// `/confirm`: username + emailed code → ConfirmSignUp → `/login`; can send the code again.
#[component]
pub fn Confirm() -> impl IntoView {
    let session = use_session();
    let config = session.config();
    let navigate = use_navigate();
    let query = use_query_map().get_untracked();
    let param = |name: &str| query.get(name).unwrap_or_default();

    let username = RwSignal::new(param("username"));
    let code = RwSignal::new(String::new());
    let initial_notice = if param("unconfirmed") == "1" {
        Some(Text::new(k::confirm::not_confirmed))
    } else if !param("destination").is_empty() || !param("medium").is_empty() {
        Some(sent_to(&param("destination"), &param("medium"), false))
    } else {
        None
    };
    let action = FormAction::new().with_notice(initial_notice);
    let tried = action.tried();
    let names = config.sign_in_name;
    let username_error =
        Signal::derive(move || (tried.get() && username.get().trim().is_empty()).then(|| Text::new(names.missing())));
    let code_error =
        Signal::derive(move || (tried.get() && code.get().trim().is_empty()).then(|| Text::new(k::code::missing)));

    let confirm_config = config.clone();
    let on_submit = move |ev: SubmitEvent| {
        action.submit(&ev, k::confirm::pending, || {
            if username_error.get_untracked().is_some() || code_error.get_untracked().is_some() {
                return None;
            }
            let request = ConfirmSignUpRequest {
                client_id: confirm_config.client_id.clone(),
                username: username.get_untracked().trim().to_string(),
                confirmation_code: code.get_untracked().trim().to_string(),
                ..Default::default()
            };
            let config = confirm_config.clone();
            let navigate = navigate.clone();
            Some(async move {
                let answer = api::call::<ConfirmSignUp>(&config, &request).await?;
                // With choice-based sign-in the answer signs the new user in: nothing asked again. Should
                // that not work out (or the pool want MFA set up first), they sign in as usual.
                if let Some(token) = answer.session {
                    action.progress(k::login::pending);
                    if let Ok(LoginStep::Done) = session.sign_in_after_sign_up(&request.username, token).await {
                        navigate(&Route::Profile.href(), Default::default());
                        return Ok(());
                    }
                }
                session.set_notice(k::confirm::done);
                navigate(&Route::login_as(request.username).href(), Default::default());
                Ok(())
            })
        })
    };

    let resend = move |_| {
        action.run(k::code::sending, || {
            let name = username.get_untracked().trim().to_string();
            if name.is_empty() {
                tried.set(true);
                return None;
            }
            let request = ResendConfirmationCodeRequest {
                client_id: config.client_id.clone(),
                username: name,
                client_metadata: None,
            };
            let config = config.clone();
            Some(async move {
                let answer = api::call::<ResendConfirmationCode>(&config, &request).await?;
                let d = answer.code_delivery_details.unwrap_or_default();
                action.succeed(sent_to(
                    d.destination.as_deref().unwrap_or(""),
                    d.delivery_medium.as_deref().unwrap_or(""),
                    true,
                ));
                Ok(())
            })
        })
    };

    view! {
        <section class="card" aria-labelledby="confirm-title">
            <h1 id="confirm-title">{tr(k::confirm::title)}</h1>
            <Notice message=action.notice() />
            <ErrorAlert message=action.error() />
            <form on:submit=on_submit novalidate=true aria-busy=move || action.aria_busy()>
                <Field id="username" label=names.label() value=username autocomplete="username" error=username_error disabled=action.busy() />
                <Field id="code" label=k::confirm::code value=code autocomplete="one-time-code" inputmode="numeric" error=code_error disabled=action.busy() />
                <button type="submit" disabled=move || action.is_busy()>{tr(k::confirm::submit)}</button>
                <button type="button" class="secondary" disabled=move || action.is_busy() on:click=resend>
                    {tr(k::code::send_new)}
                </button>
            </form>
            <p class="progress" role="status">{move || action.pending()}</p>
            <p><A href=Route::LOGIN.href()>{tr(k::nav::back_to_sign_in)}</A></p>
        </section>
    }
}
