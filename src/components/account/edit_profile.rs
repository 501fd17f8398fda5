use cognito_core::api::{
    AttributeType, GetUserAttributeVerificationCode, GetUserAttributeVerificationCodeRequest, UpdateUserAttributes,
    UpdateUserAttributesRequest, VerifyUserAttribute, VerifyUserAttributeRequest,
};
use cognito_core::i18n::{k, Key, Text};
use cognito_core::messages::{looks_like_email, looks_like_phone};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::components::alerts::{ErrorAlert, Notice};
use crate::components::field::Field;
use crate::form::FormAction;
use crate::i18n::tr;
use crate::session::use_session;

/// Name, email and, where codes by text message are offered (`phone`: the number and whether it is
/// verified), the phone number (UpdateUserAttributes); a changed or unverified email or phone number gets
/// a verify step (VerifyUserAttribute, GetUserAttributeVerificationCode). `on_change` reloads the profile.
#[component]
pub fn EditProfile(
    #[prop(into)] name: String,
    #[prop(into)] email: String,
    email_verified: bool,
    phone: Option<(String, bool)>,
    on_change: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let name_value = RwSignal::new(name.clone());
    let email_value = RwSignal::new(email.clone());
    let asks_phone = phone.is_some();
    let (phone, phone_verified) = phone.unwrap_or_default();
    let phone_value = RwSignal::new(phone.clone());
    let tried = action.tried();
    let name_error = Signal::derive(move || {
        (tried.get() && name_value.get().trim().is_empty()).then(|| Text::new(k::profile::name_missing))
    });
    let email_error = Signal::derive(move || {
        (tried.get() && !looks_like_email(email_value.get().trim())).then(|| Text::new(k::profile::email_invalid))
    });

    // Empty only while there is none: a number is changed here, not removed.
    let had_phone = !phone.is_empty();
    let phone_error = Signal::derive(move || {
        let value = phone_value.get();
        let value = value.trim();
        let fine = looks_like_phone(value) || value.is_empty() && !had_phone;
        (tried.get() && !fine).then(|| Text::new(k::profile::phone_invalid))
    });

    let on_save = move |ev: SubmitEvent| {
        action.submit(&ev, k::edit::pending, || {
            if name_error.get_untracked().is_some()
                || email_error.get_untracked().is_some()
                || phone_error.get_untracked().is_some()
            {
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
            let new_phone = phone_value.get_untracked().trim().to_string();
            let phone_changed = !new_phone.is_empty() && new_phone != phone;
            if phone_changed {
                changes.push(AttributeType::new("phone_number", &new_phone));
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
                session.set_notice(match (email_changed, phone_changed) {
                    (true, _) => k::edit::saved_verify_email,
                    (false, true) => k::edit::saved_verify_phone,
                    (false, false) => k::edit::saved,
                });
                on_change.run(());
                Ok(())
            })
        })
    };

    // The verify step of an attribute (email, phone_number): its code, and a new one on request.
    let verify_form = move |attribute: &'static str, field: &'static str, words: [Key; 4]| {
        let [not_verified, enter_code, verify, verified] = words;
        let code = RwSignal::new(String::new());
        let on_verify = move |ev: SubmitEvent| {
            action.submit(&ev, k::edit::verifying, || {
                let entered = code.get_untracked().trim().to_string();
                (!entered.is_empty()).then_some(async move {
                    session
                        .authorized::<VerifyUserAttribute>(|access_token| VerifyUserAttributeRequest {
                            access_token,
                            attribute_name: attribute.into(),
                            code: entered.clone(),
                        })
                        .await?;
                    session.set_notice(verified);
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
                                attribute_name: attribute.into(),
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
            <form class="verify" on:submit=on_verify novalidate=true aria-busy=move || action.aria_busy()>
                <p><strong>{tr(not_verified)}</strong> " " {tr(enter_code)}</p>
                <Field id=field label=k::edit::code value=code autocomplete="one-time-code" inputmode="numeric" disabled=action.busy() />
                <button type="submit" disabled=move || action.is_busy()>{tr(verify)}</button>
                <button type="button" class="secondary" disabled=move || action.is_busy() on:click=resend>{tr(k::code::send_new)}</button>
            </form>
        }
    };

    view! {
        <section aria-labelledby="edit-title" class="section">
            <h2 id="edit-title">{tr(k::edit::title)}</h2>
            <Notice message=action.notice() />
            <ErrorAlert message=action.error() />
            {(!email_verified).then(|| {
                verify_form("email", "email-code", [k::edit::not_verified, k::edit::enter_code, k::edit::verify, k::edit::verified])
            })}
            {(had_phone && !phone_verified).then(|| {
                verify_form("phone_number", "phone-code", [k::edit::phone_not_verified, k::edit::enter_sms_code, k::edit::verify_phone, k::edit::phone_verified])
            })}
            <form on:submit=on_save novalidate=true aria-busy=move || action.aria_busy()>
                <Field id="edit-name" label=k::attribute::name value=name_value autocomplete="name" error=name_error disabled=action.busy() />
                <Field id="edit-email" label=k::attribute::email value=email_value input_type="email" autocomplete="email" error=email_error disabled=action.busy() />
                {asks_phone.then(|| view! {
                    <Field id="edit-phone" label=k::attribute::phone_number value=phone_value input_type="tel" autocomplete="tel" hint=k::profile::phone_hint error=phone_error disabled=action.busy() />
                })}
                <button type="submit" disabled=move || action.is_busy()>{tr(k::edit::save)}</button>
            </form>
            <p class="progress" role="status">{move || action.pending()}</p>
        </section>
    }
}
