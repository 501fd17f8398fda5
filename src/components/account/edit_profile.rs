use cognito_core::api::{
    AttributeType, GetUserAttributeVerificationCode, GetUserAttributeVerificationCodeRequest, UpdateUserAttributes,
    UpdateUserAttributesRequest, VerifyUserAttribute, VerifyUserAttributeRequest,
};
use cognito_core::i18n::{k, Text};
use cognito_core::messages::looks_like_email;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::components::alerts::{ErrorAlert, Notice};
use crate::components::field::Field;
use crate::form::FormAction;
use crate::i18n::tr;
use crate::session::use_session;

/// Name and email (UpdateUserAttributes); a changed or unverified email gets a verify step
/// (VerifyUserAttribute, GetUserAttributeVerificationCode). `on_change` reloads the profile.
#[component]
pub fn EditProfile(
    #[prop(into)] name: String,
    #[prop(into)] email: String,
    email_verified: bool,
    on_change: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let name_value = RwSignal::new(name.clone());
    let email_value = RwSignal::new(email.clone());
    let code = RwSignal::new(String::new());
    let tried = action.tried();
    let name_error = Signal::derive(move || {
        (tried.get() && name_value.get().trim().is_empty()).then(|| Text::new(k::profile::name_missing))
    });
    let email_error = Signal::derive(move || {
        (tried.get() && !looks_like_email(email_value.get().trim())).then(|| Text::new(k::profile::email_invalid))
    });

    let on_save = move |ev: SubmitEvent| {
        action.submit(&ev, k::edit::pending, || {
            if name_error.get_untracked().is_some() || email_error.get_untracked().is_some() {
                return None;
            }
            let mut changes = Vec::new();
            let new_name = name_value.get_untracked().trim().to_string();
            let new_email = email_value.get_untracked().trim().to_string();
            if new_name != name {
                changes.push(AttributeType::new("name", &new_name));
            }
            if new_email != email {
                changes.push(AttributeType::new("email", &new_email));
            }
            if changes.is_empty() {
                action.succeed(k::edit::unchanged);
                return None;
            }
            let email_changed = new_email != email;
            Some(async move {
                session
                    .authorized::<UpdateUserAttributes>(|access_token| UpdateUserAttributesRequest {
                        user_attributes: changes.clone(),
                        access_token,
                        client_metadata: None,
                    })
                    .await?;
                session.set_notice(if email_changed { k::edit::saved_verify_email } else { k::edit::saved });
                on_change.run(());
                Ok(())
            })
        })
    };

    let on_verify = move |ev: SubmitEvent| {
        action.submit(&ev, k::edit::verifying, || {
            let entered = code.get_untracked().trim().to_string();
            (!entered.is_empty()).then_some(async move {
                session
                    .authorized::<VerifyUserAttribute>(|access_token| VerifyUserAttributeRequest {
                        access_token,
                        attribute_name: "email".into(),
                        code: entered.clone(),
                    })
                    .await?;
                session.set_notice(k::edit::verified);
                on_change.run(());
                Ok(())
            })
        })
    };

    let resend = move |_| {
        action.run(k::code::sending, || {
            Some(async move {
                let answer = session
                    .authorized::<GetUserAttributeVerificationCode>(|access_token| {
                        GetUserAttributeVerificationCodeRequest {
                            access_token,
                            attribute_name: "email".into(),
                            client_metadata: None,
                        }
                    })
                    .await?;
                let to = answer.code_delivery_details.and_then(|d| d.destination).unwrap_or_default();
                action.succeed(Text::new(k::edit::code_sent).with("destination", to));
                Ok(())
            })
        })
    };

    view! {
        <section aria-labelledby="edit-title" class="section">
            <h2 id="edit-title">{tr(k::edit::title)}</h2>
            <Notice message=action.notice() />
            <ErrorAlert message=action.error() />
            {(!email_verified).then(|| view! {
                <form class="verify" on:submit=on_verify novalidate=true aria-busy=move || action.aria_busy()>
                    <p><strong>{tr(k::edit::not_verified)}</strong> " " {tr(k::edit::enter_code)}</p>
                    <Field id="email-code" label=k::edit::code value=code autocomplete="one-time-code" inputmode="numeric" disabled=action.busy() />
                    <button type="submit" disabled=move || action.is_busy()>{tr(k::edit::verify)}</button>
                    <button type="button" class="secondary" disabled=move || action.is_busy() on:click=resend>{tr(k::code::send_new)}</button>
                </form>
            })}
            <form on:submit=on_save novalidate=true aria-busy=move || action.aria_busy()>
                <Field id="edit-name" label=k::attribute::name value=name_value autocomplete="name" error=name_error disabled=action.busy() />
                <Field id="edit-email" label=k::attribute::email value=email_value input_type="email" autocomplete="email" error=email_error disabled=action.busy() />
                <button type="submit" disabled=move || action.is_busy()>{tr(k::edit::save)}</button>
            </form>
            <p class="progress" role="status">{move || action.pending()}</p>
        </section>
    }
}
