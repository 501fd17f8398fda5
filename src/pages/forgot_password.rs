use cognito_core::api::{ConfirmForgotPassword, ConfirmForgotPasswordRequest, ForgotPassword, ForgotPasswordRequest};
use cognito_core::i18n::{k, Text};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::field::Field;
use crate::components::form::{ActionButton, ActionForm, Alerts, Progress, SubmitButton};
use crate::components::new_password::{NewPasswordFields, NewPasswordInput};
use crate::form::{any_invalid, FormAction};
use crate::i18n::tr;
use crate::routes::Route;
use crate::session::use_session;

/// `/forgot-password`: username → ForgotPassword (a code is emailed) → code + new password →
/// ConfirmForgotPassword → `/login` with a notice.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let session = use_session();
    let config = session.config();
    let navigate = use_navigate();
    let query = use_query_map().get_untracked();

    let username = RwSignal::new(query.get("username").unwrap_or_default());
    let code = RwSignal::new(String::new());
    let code_sent = RwSignal::new(false);
    let action = FormAction::new();
    let names = config.sign_in_name;
    let username_error = action.required(username, names.missing());
    let code_error = action.required(code, k::code::missing);
    let input = NewPasswordInput::new(action, &config.password_policy);

    // Sends the code (the first form, and "Send a new code" on the second).
    let send_code = move || {
        if username.get_untracked().trim().is_empty() {
            action.tried().set(true);
            return None;
        }
        let request = ForgotPasswordRequest {
            client_id: config.client_id.clone(),
            username: username.get_untracked().trim().to_string(),
            client_metadata: None,
        };
        Some(async move {
            let answer = session.call::<ForgotPassword>(&request).await?;
            let d = answer.code_delivery_details.unwrap_or_default();
            action.succeed(match d.destination {
                Some(to) => Text::new(k::forgot::sent_to).with("destination", to),
                None => Text::new(k::forgot::sent),
            });
            action.reset();
            code_sent.set(true);
            Ok(())
        })
    };
    let resend = move || action.run(k::code::sending, send_code);

    let reset = move || {
        if any_invalid(&[code_error]) || input.invalid() {
            return None;
        }
        let request = ConfirmForgotPasswordRequest {
            client_id: config.client_id.clone(),
            username: username.get_untracked().trim().to_string(),
            confirmation_code: code.get_untracked().trim().to_string(),
            password: input.password.get_untracked(),
            client_metadata: None,
        };
        let navigate = navigate.clone();
        Some(async move {
            session.call::<ConfirmForgotPassword>(&request).await?;
            session.handoff().set_notice(k::forgot::done);
            navigate(&Route::login_as(request.username).href(), Default::default());
            Ok(())
        })
    };

    view! {
        <section class="card" aria-labelledby="forgot-title">
            <h1 id="forgot-title">{tr(k::forgot::title)}</h1>
            <Alerts action />
            <Show
                when=move || code_sent.get()
                fallback=move || {
                    view! {
                        <p>{tr(names.missing())} " " {tr(k::forgot::explanation)}</p>
                        <ActionForm action pending=k::code::sending submit=send_code>
                            <Field
                                id="username"
                                label=names.label()
                                value=username
                                autocomplete="username"
                                error=username_error
                                action
                            />
                            <SubmitButton action label=k::forgot::send_code />
                        </ActionForm>
                    }
                }
            >
                <ActionForm action pending=k::forgot::pending submit=reset.clone()>
                    <Field
                        id="code"
                        label=k::forgot::code
                        value=code
                        autocomplete="one-time-code"
                        inputmode="numeric"
                        error=code_error
                        action
                    />
                    <NewPasswordFields input action id="new-password" repeat_id="repeat-new-password" />
                    <SubmitButton action label=k::forgot::submit />
                    <ActionButton action label=k::code::send_new class="secondary" on_click=resend />
                </ActionForm>
            </Show>
            <Progress action />
            <p>
                <A href=Route::LOGIN.href()>{tr(k::nav::back_to_sign_in)}</A>
            </p>
        </section>
    }
}
