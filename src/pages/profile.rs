//! `/profile` (signed in only): the user's attributes from GetUser, groups from the id token, when the
//! session expires, the sign-out buttons, then the account sections. The profile is read once
//! ([`ProfileData`]) and every section stays mounted: a save in one reads the profile again in place and
//! never rebuilds another (what is typed elsewhere stays). Each section decides whether it shows and says
//! what came of its own actions; this page only lists them.

use cognito_core::i18n::{k, Text};
use leptos::prelude::*;

use crate::components::account::api_call::ApiCall;
use crate::components::account::change_password::ChangePasswordSection;
use crate::components::account::delete_account::DeleteAccountSection;
use crate::components::account::devices::DevicesSection;
use crate::components::account::edit_profile::EditProfileSection;
use crate::components::account::mfa::app::MfaSettingsSection;
use crate::components::account::mfa::codes::MfaCodesSection;
use crate::components::account::passkeys::{PasskeyOffer, PasskeysSection};
use crate::components::account::section::ProfileData;
use crate::components::alerts::{ErrorAlert, Notice, Waiting};
use crate::components::sign_out_buttons::SignOutButtons;
use crate::i18n::{local_time, render, t, tr};
use crate::session::use_session;

#[component]
pub fn Profile() -> impl IntoView {
    let session = use_session();
    let notice = session.handoff().take_notice();
    let profile = ProfileData::load();
    // A federated user's password and second steps belong to their identity provider (read once: the
    // provider of a session does not change while it is refreshed).
    let provider = untrack(|| session.user()).and_then(|u| u.provider);
    let problem = Signal::derive(move || profile.problem().map(|p| p.message));
    // Memos: reading the profile again (after a save) changes neither, so nothing below is rebuilt.
    let loaded = Memo::new(move |_| profile.loaded());
    let failed = Memo::new(move |_| profile.problem().is_some());
    // Read reactively in their own nodes: a token refresh updates them without rebuilding anything else.
    let groups = move || {
        let groups = session.user().map(|u| u.groups).unwrap_or_default();
        if groups.is_empty() {
            t(k::profile::no_groups)
        } else {
            groups.join(", ")
        }
    };
    let expires = move || session.user().map(|u| local_time(u.expires_at)).unwrap_or_default();
    let username = move || profile.user().map(|u| u.username).unwrap_or_default();
    let verified = move || tr(if profile.is_true("email_verified") { k::profile::yes } else { k::profile::no })();

    view! {
        <section class="card" aria-labelledby="profile-title">
            <h1 id="profile-title">{tr(k::profile::title)}</h1>
            <Notice message=Signal::stored(notice) />
            {provider
                .map(|p| {
                    let said = Text::new(k::profile::provider).with("provider", p);
                    view! { <p data-testid="provider">{move || render(&said)}</p> }
                })}
            <ErrorAlert message=problem />
            {move || {
                if loaded.get() {
                    view! {
                        <PasskeyOffer profile />
                        <dl class="attributes" data-testid="profile">
                            <dt>{tr(k::sign_in_name::username)}</dt>
                            <dd data-testid="username">{username}</dd>
                            <dt>{tr(k::attribute::name)}</dt>
                            <dd data-testid="name">{move || profile.attribute("name")}</dd>
                            <dt>{tr(k::attribute::email)}</dt>
                            <dd data-testid="email">{move || profile.attribute("email")}</dd>
                            <dt>{tr(k::profile::email_verified)}</dt>
                            <dd data-testid="email-verified">{verified}</dd>
                            <dt>{tr(k::profile::user_id)}</dt>
                            <dd data-testid="sub">
                                <code>{move || profile.attribute("sub")}</code>
                            </dd>
                            <dt>{tr(k::profile::groups)}</dt>
                            <dd data-testid="groups">{groups}</dd>
                            <dt>{tr(k::profile::expires)}</dt>
                            <dd data-testid="expires">{expires}</dd>
                        </dl>
                        <SignOutButtons />
                        <ApiCall />
                        <EditProfileSection profile />
                        <ChangePasswordSection profile />
                        <MfaSettingsSection profile />
                        <MfaCodesSection profile />
                        <PasskeysSection profile />
                        <DevicesSection />
                        <DeleteAccountSection />
                    }
                        .into_any()
                } else if failed.get() {
                    view! {
                        <button type="button" on:click=move |_| profile.refetch()>
                            {tr(k::action::try_again)}
                        </button>
                    }
                        .into_any()
                } else {
                    view! { <Waiting label=k::profile::loading /> }.into_any()
                }
            }}
        </section>
    }
}
