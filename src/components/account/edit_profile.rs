use cognito_core::api::{
    AttributeType, GetUserAttributeVerificationCode, GetUserAttributeVerificationCodeRequest, UpdateUserAttributes,
    UpdateUserAttributesRequest, VerifyUserAttribute, VerifyUserAttributeRequest,
};
use cognito_core::messages::looks_like_email;
use leptos::prelude::*;

use crate::components::alerts::{ErrorAlert, Notice};
use crate::components::field::Field;
use crate::session::use_session;
use crate::tasks::PageTasks;

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
    let tasks = PageTasks::new();
    let name_value = RwSignal::new(name.clone());
    let email_value = RwSignal::new(email.clone());
    let code = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let pending = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = Signal::derive(move || pending.get().is_some());
    let name_error = Signal::derive(move || {
        (tried.get() && name_value.get().trim().is_empty()).then(|| "Enter your name.".to_string())
    });
    let email_error = Signal::derive(move || {
        (tried.get() && !looks_like_email(email_value.get().trim()))
            .then(|| "Enter an email address like name@example.com.".to_string())
    });

    let save_tasks = tasks.clone();
    let on_save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked().is_some() {
            return;
        }
        tried.set(true);
        error.set(None);
        notice.set(None);
        if name_error.get_untracked().is_some() || email_error.get_untracked().is_some() {
            return;
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
            notice.set(Some("Nothing to save: the name and email are unchanged.".into()));
            return;
        }
        pending.set(Some("Saving…"));
        let email_changed = new_email != email;
        save_tasks.spawn(async move {
            let result = session
                .authorized::<UpdateUserAttributes>(|access_token| UpdateUserAttributesRequest {
                    user_attributes: changes.clone(),
                    access_token,
                    client_metadata: None,
                })
                .await;
            pending.set(None);
            match result {
                Ok(_) if email_changed => {
                    session.set_notice("Saved. We sent a code to your new email address: enter it below to verify it.");
                    on_change.run(());
                }
                Ok(_) => {
                    session.set_notice("Your profile has been saved.");
                    on_change.run(());
                }
                Err(problem) => error.set(Some(problem.message)),
            }
        });
    };

    let verify_tasks = tasks.clone();
    let on_verify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked().is_some() || code.get_untracked().trim().is_empty() {
            return;
        }
        pending.set(Some("Verifying…"));
        error.set(None);
        let entered = code.get_untracked().trim().to_string();
        verify_tasks.spawn(async move {
            let result = session
                .authorized::<VerifyUserAttribute>(|access_token| VerifyUserAttributeRequest {
                    access_token,
                    attribute_name: "email".into(),
                    code: entered.clone(),
                })
                .await;
            pending.set(None);
            match result {
                Ok(_) => {
                    session.set_notice("Your email address is verified.");
                    on_change.run(());
                }
                Err(problem) => error.set(Some(problem.message)),
            }
        });
    };

    let resend = move |_| {
        if pending.get_untracked().is_some() {
            return;
        }
        pending.set(Some("Sending a code…"));
        error.set(None);
        tasks.spawn(async move {
            let result = session
                .authorized::<GetUserAttributeVerificationCode>(|access_token| {
                    GetUserAttributeVerificationCodeRequest {
                        access_token,
                        attribute_name: "email".into(),
                        client_metadata: None,
                    }
                })
                .await;
            pending.set(None);
            match result {
                Ok(answer) => {
                    let to = answer.code_delivery_details.and_then(|d| d.destination).unwrap_or_default();
                    notice.set(Some(format!("We sent a new code to {to}.")));
                }
                Err(problem) => error.set(Some(problem.message)),
            }
        });
    };

    view! {
        <section aria-labelledby="edit-title" class="section">
            <h2 id="edit-title">"Edit profile"</h2>
            <Notice message=notice.into() />
            <ErrorAlert message=error.into() />
            {(!email_verified).then(|| view! {
                <form class="verify" on:submit=on_verify novalidate=true aria-busy=move || busy.get()>
                    <p><strong>"Your email address is not verified."</strong> " Enter the code we emailed you."</p>
                    <Field id="email-code" label="Verification code" value=code autocomplete="one-time-code" inputmode="numeric" disabled=busy />
                    <button type="submit" disabled=move || busy.get()>"Verify email"</button>
                    <button type="button" class="secondary" disabled=move || busy.get() on:click=resend>"Send a new code"</button>
                </form>
            })}
            <form on:submit=on_save novalidate=true aria-busy=move || busy.get()>
                <Field id="edit-name" label="Name" value=name_value autocomplete="name" error=name_error disabled=busy />
                <Field id="edit-email" label="Email" value=email_value input_type="email" autocomplete="email" error=email_error disabled=busy />
                <button type="submit" disabled=move || busy.get()>"Save profile"</button>
            </form>
            <p class="progress" role="status">{move || pending.get()}</p>
        </section>
    }
}
