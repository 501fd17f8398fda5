use cognito_core::api::{
    CodeDeliveryDetails, ConfirmSignUp, ConfirmSignUpRequest, ResendConfirmationCode, ResendConfirmationCodeRequest,
};
use cognito_core::i18n::{k, Key, Text};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::field::Field;
use crate::components::form::{ActionButton, ActionForm, Alerts, Progress, SubmitButton};
use crate::form::{any_invalid, FormAction};
use crate::i18n::tr;
use crate::routes::Route;
use crate::session::{use_session, LoginStep};

/// "We sent a code by email to a***@e***": where the code went, as the service said.
fn sent_to(destination: &str, medium: &str) -> Text {
    delivered(
        destination,
        medium,
        [k::code::sent_email, k::code::sent_sms, k::code::sent_email_to, k::code::sent_sms_to],
    )
}

/// "New code sent." and where it went.
fn resent_to(destination: &str, medium: &str) -> Text {
    let keys = [k::code::resent_email, k::code::resent_sms, k::code::resent_email_to, k::code::resent_sms_to];
    delivered(destination, medium, keys)
}

/// `keys`: by email and by SMS where the service did not say the address, then the same where it did.
fn delivered(destination: &str, medium: &str, keys: [Key; 4]) -> Text {
    let sms = usize::from(medium.eq_ignore_ascii_case("SMS"));
    let told = if destination.is_empty() { 0 } else { 2 };
    Text::new(keys[told + sms]).with("destination", destination)
}

/// `/confirm`: username + emailed code → ConfirmSignUp → signed in at once (choice-based sign-in), else
/// `/login`; can send the code again.
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
        Some(sent_to(&param("destination"), &param("medium")))
    } else {
        None
    };
    let action = FormAction::new().with_notice(initial_notice);
    let names = config.sign_in_name;
    let username_error = action.required(username, names.missing());
    let code_error = action.required(code, k::code::missing);

    let submit = move || {
        if any_invalid(&[username_error, code_error]) {
            return None;
        }
        let request = ConfirmSignUpRequest {
            client_id: config.client_id.clone(),
            username: username.get_untracked().trim().to_string(),
            confirmation_code: code.get_untracked().trim().to_string(),
            ..Default::default()
        };
        let navigate = navigate.clone();
        Some(async move {
            let answer = session.call::<ConfirmSignUp>(&request).await?;
            // With choice-based sign-in the answer signs the new user in: nothing asked again. Should that
            // not work out (or the pool want MFA set up first), they sign in as usual.
            if let Some(token) = answer.session {
                action.progress(k::login::pending);
                if let Ok(LoginStep::Done) = session.sign_in_after_sign_up(&request.username, token).await {
                    navigate(&Route::Profile.href(), Default::default());
                    return Ok(());
                }
            }
            session.handoff().set_notice(k::confirm::done);
            navigate(&Route::login_as(request.username).href(), Default::default());
            Ok(())
        })
    };

    let resend = move || {
        action.run(k::code::sending, || {
            let name = username.get_untracked().trim().to_string();
            if name.is_empty() {
                action.tried().set(true);
                return None;
            }
            let request = ResendConfirmationCodeRequest {
                client_id: config.client_id.clone(),
                username: name,
                client_metadata: None,
            };
            Some(async move {
                let answer = session.call::<ResendConfirmationCode>(&request).await?;
                let CodeDeliveryDetails { destination, delivery_medium, .. } =
                    answer.code_delivery_details.unwrap_or_default();
                action
                    .succeed(resent_to(destination.as_deref().unwrap_or(""), delivery_medium.as_deref().unwrap_or("")));
                Ok(())
            })
        })
    };

    view! {
        <section class="card" aria-labelledby="confirm-title">
            <h1 id="confirm-title">{tr(k::confirm::title)}</h1>
            <Alerts action />
            <ActionForm action pending=k::confirm::pending submit>
                <Field
                    id="username"
                    label=names.label()
                    value=username
                    autocomplete="username"
                    error=username_error
                    action
                />
                <Field
                    id="code"
                    label=k::confirm::code
                    value=code
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    error=code_error
                    action
                />
                <SubmitButton action label=k::confirm::submit />
                <ActionButton action label=k::code::send_new class="secondary" on_click=resend />
            </ActionForm>
            <Progress action />
            <p>
                <A href=Route::LOGIN.href()>{tr(k::nav::back_to_sign_in)}</A>
            </p>
        </section>
    }
}
