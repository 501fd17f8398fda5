use cognito_core::api::{
    AttributeType, GetUserAttributeVerificationCode, GetUserAttributeVerificationCodeRequest, UpdateUserAttributes,
    UpdateUserAttributesRequest, VerifyUserAttribute, VerifyUserAttributeRequest,
};
use cognito_core::i18n::{k, Key, Text};
use cognito_core::messages::{looks_like_email, looks_like_phone};
use leptos::prelude::*;

use crate::components::account::section::{AccountSection, ProfileData};
use crate::components::field::Field;
use crate::components::form::{ActionButton, ActionForm, SubmitButton};
use crate::form::{any_invalid, FormAction};
use crate::i18n::tr;
use crate::session::{use_session, MfaKind};

/// Name, email and, where codes by text message are offered (or the user has a number), the phone number
/// (UpdateUserAttributes); an unverified email or phone number gets a verify step (VerifyUserAttribute,
/// GetUserAttributeVerificationCode).
#[component]
pub fn EditProfileSection(profile: ProfileData) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    // What the fields start with; later reads of the profile leave what the user typed alone.
    let (name, email, phone) =
        untrack(|| (profile.attribute("name"), profile.attribute("email"), profile.attribute("phone_number")));
    let asks_phone = session.config().mfa_codes.contains(&MfaKind::Sms) || !phone.is_empty();
    let name_value = RwSignal::new(name);
    let email_value = RwSignal::new(email);
    let phone_value = RwSignal::new(phone);
    let name_error = action.required(name_value, k::profile::name_missing);
    let email_error = action.check(move || !looks_like_email(email_value.get().trim()), k::profile::email_invalid);
    // Empty only while there is none: a number is changed here, not removed.
    let phone_error = action.check(
        move || {
            let value = phone_value.get();
            let value = value.trim();
            !(looks_like_phone(value) || value.is_empty() && profile.attribute("phone_number").is_empty())
        },
        k::profile::phone_invalid,
    );

    let submit = move || {
        if any_invalid(&[name_error, email_error, phone_error]) {
            return None;
        }
        let mut changes = Vec::new();
        let mut changed = |attribute: &str, value: RwSignal<String>| {
            let new = value.get_untracked().trim().to_string();
            let differs = !new.is_empty() && new != profile.attribute(attribute);
            if differs {
                changes.push(AttributeType::new(attribute, new));
            }
            differs
        };
        changed("name", name_value);
        let email_changed = changed("email", email_value);
        let phone_changed = changed("phone_number", phone_value);
        if changes.is_empty() {
            action.succeed(k::edit::unchanged);
            return None;
        }
        Some(async move {
            session
                .account()
                .call::<UpdateUserAttributes>(|access_token| UpdateUserAttributesRequest {
                    user_attributes: changes.clone(),
                    access_token,
                    client_metadata: None,
                })
                .await?;
            action.succeed(match (email_changed, phone_changed) {
                (true, _) => k::edit::saved_verify_email,
                (false, true) => k::edit::saved_verify_phone,
                (false, false) => k::edit::saved,
            });
            profile.refetch();
            Ok(())
        })
    };

    view! {
        <AccountSection id="edit" title=k::edit::title action>
            <VerifySteps profile action />
            <ActionForm action pending=k::edit::pending submit>
                <Field
                    id="edit-name"
                    label=k::attribute::name
                    value=name_value
                    autocomplete="name"
                    error=name_error
                    action
                />
                <Field
                    id="edit-email"
                    label=k::attribute::email
                    value=email_value
                    input_type="email"
                    autocomplete="email"
                    error=email_error
                    action
                />
                {asks_phone
                    .then(|| {
                        view! {
                            <Field
                                id="edit-phone"
                                label=k::attribute::phone_number
                                value=phone_value
                                input_type="tel"
                                autocomplete="tel"
                                hint=k::profile::phone_hint
                                error=phone_error
                                action
                            />
                        }
                    })}
                <SubmitButton action label=k::edit::save />
            </ActionForm>
        </AccountSection>
    }
}

/// The verify steps of an unverified email and phone number.
#[component]
fn VerifySteps(profile: ProfileData, action: FormAction) -> impl IntoView {
    // Memos: reading the profile again rebuilds a verify form only when its attribute's state changes.
    let email_unverified = Memo::new(move |_| !profile.is_true("email_verified"));
    let phone_unverified =
        Memo::new(move |_| !profile.attribute("phone_number").is_empty() && !profile.is_true("phone_number_verified"));
    view! {
        {move || {
            email_unverified
                .get()
                .then(|| {
                    let words = [k::edit::not_verified, k::edit::enter_code, k::edit::verify, k::edit::verified];
                    view! { <VerifyForm profile action attribute="email" id="email-code" words /> }
                })
        }}
        {move || {
            phone_unverified
                .get()
                .then(|| {
                    let words = [
                        k::edit::phone_not_verified,
                        k::edit::enter_sms_code,
                        k::edit::verify_phone,
                        k::edit::phone_verified,
                    ];
                    view! { <VerifyForm profile action attribute="phone_number" id="phone-code" words /> }
                })
        }}
    }
}

/// The verify step of an attribute (`email`, `phone_number`): its code, and a new one on request.
/// `words`: not verified, where the code is, the button, and the notice once verified.
#[component]
fn VerifyForm(
    profile: ProfileData,
    action: FormAction,
    attribute: &'static str,
    id: &'static str,
    words: [Key; 4],
) -> impl IntoView {
    let session = use_session();
    let [not_verified, enter_code, verify, verified] = words;
    let code = RwSignal::new(String::new());
    let submit = move || {
        let entered = code.get_untracked().trim().to_string();
        (!entered.is_empty()).then_some(async move {
            session
                .account()
                .call::<VerifyUserAttribute>(|access_token| VerifyUserAttributeRequest {
                    access_token,
                    attribute_name: attribute.into(),
                    code: entered.clone(),
                })
                .await?;
            action.succeed(verified);
            profile.refetch();
            Ok(())
        })
    };
    let resend = move || {
        action.run(k::code::sending, || {
            Some(async move {
                let answer = session
                    .account()
                    .call::<GetUserAttributeVerificationCode>(|access_token| GetUserAttributeVerificationCodeRequest {
                        access_token,
                        attribute_name: attribute.into(),
                        client_metadata: None,
                    })
                    .await?;
                let to = answer.code_delivery_details.and_then(|d| d.destination).unwrap_or_default();
                action.succeed(Text::new(k::edit::code_sent).with("destination", to));
                Ok(())
            })
        })
    };
    view! {
        <ActionForm action pending=k::edit::verifying submit class="verify">
            <p>
                <strong>{tr(not_verified)}</strong>
                " "
                {tr(enter_code)}
            </p>
            <Field id=id label=k::edit::code value=code autocomplete="one-time-code" inputmode="numeric" action />
            <SubmitButton action label=verify />
            <ActionButton action label=k::code::send_new class="secondary" on_click=resend />
        </ActionForm>
    }
}
