use cognito_core::api::{ChangePassword, ChangePasswordRequest};
use cognito_core::i18n::k;
use leptos::prelude::*;

use crate::components::account::section::{AccountSection, ProfileData};
use crate::components::field::Field;
use crate::components::form::{ActionForm, SubmitButton};
use crate::components::new_password::{NewPasswordFields, NewPasswordInput};
use crate::form::{any_invalid, FormAction};
use crate::session::use_session;

/// ChangePassword with the access token: current password, new password twice. Not for a federated user
/// (their password is their provider's).
#[component]
pub fn ChangePasswordSection(profile: ProfileData) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let current = RwSignal::new(String::new());
    let current_error = action.check(move || current.with(String::is_empty), k::change_password::current_missing);
    let input = NewPasswordInput::new(action, &session.config().password_policy);
    let submit = move || {
        if any_invalid(&[current_error]) || input.invalid() {
            return None;
        }
        let (previous, proposed) = (current.get_untracked(), input.password.get_untracked());
        Some(async move {
            session
                .account()
                .call::<ChangePassword>(|access_token| ChangePasswordRequest {
                    previous_password: previous.clone(),
                    proposed_password: proposed.clone(),
                    access_token,
                })
                .await?;
            current.set(String::new());
            input.clear();
            action.reset();
            action.succeed(k::change_password::done);
            Ok(())
        })
    };
    profile.own_sign_in().then(|| {
        view! {
            <AccountSection id="change-password" title=k::change_password::title action>
                <ActionForm action pending=k::change_password::pending submit>
                    <Field
                        id="current-password"
                        label=k::change_password::current
                        value=current
                        input_type="password"
                        autocomplete="current-password"
                        error=current_error
                        action
                    />
                    <NewPasswordFields input action id="changed-password" repeat_id="repeat-changed-password" />
                    <SubmitButton action label=k::change_password::title />
                </ActionForm>
            </AccountSection>
        }
    })
}
