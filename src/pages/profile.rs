use cognito_core::api::{attribute, AccessTokenRequest, GetUser, GetUserResponse};
use cognito_core::i18n::{k, Text};
use leptos::prelude::*;

use crate::components::account::api_call::ApiCall;
use crate::components::account::change_password::ChangePasswordForm;
use crate::components::account::delete_account::DeleteAccount;
use crate::components::account::devices::DevicesSection;
use crate::components::account::edit_profile::EditProfile;
use crate::components::account::mfa::{MfaCodesSection, MfaSettingsSection};
use crate::components::account::passkeys::{PasskeyOffer, PasskeysSection};
use crate::components::alerts::Notice;
use crate::components::sign_out_buttons::SignOutButtons;
use crate::i18n::{local_time, render, t, tr};
use crate::session::{use_session, Method, MfaKind, Problem};
use crate::tasks::PageTasks;

#[derive(Clone)]
enum Load {
    Loading,
    Loaded(GetUserResponse),
    Failed(Problem),
}

/// `/profile` (signed-in only): the user's attributes from GetUser, groups from the id token, when the
/// session expires, and the sign-out buttons.
#[component]
pub fn Profile() -> impl IntoView {
    let session = use_session();
    let state = RwSignal::new(Load::Loading);
    let notice = RwSignal::new(None::<Text>);
    let tasks = PageTasks::new();
    let load = move || {
        notice.set(session.take_notice());
        state.set(Load::Loading);
        tasks.spawn(async move {
            let result = session.authorized::<GetUser>(|access_token| AccessTokenRequest { access_token }).await;
            state.set(match result {
                Ok(user) => Load::Loaded(user),
                Err(problem) => Load::Failed(problem),
            });
        });
    };
    let retry = load.clone();
    let reload = load.clone();
    let on_change = Callback::new(move |_: ()| reload());
    let passkeys_changed = RwSignal::new(0u32);
    // A federated user's password and second steps belong to their identity provider (read once: the
    // provider of a session does not change while it is refreshed).
    let provider = untrack(|| session.user()).and_then(|u| u.provider);
    let own_sign_in = provider.is_none();
    let passkeys = own_sign_in && session.config().passwordless.contains(&Method::Passkey);
    load();

    view! {
        <section class="card" aria-labelledby="profile-title">
            <h1 id="profile-title">{tr(k::profile::title)}</h1>
            <Notice message=notice.into() />
            {provider.map(|p| view! { <p data-testid="provider">{move || render(&Text::new(k::profile::provider).with("provider", p.clone()))}</p> })}
            {move || match state.get() {
                Load::Loading => view! {
                    <p class="progress" role="status"><span class="spinner" aria-hidden="true"></span>{tr(k::profile::loading)}</p>
                }
                .into_any(),
                Load::Failed(problem) => view! {
                    <div class="alert alert-error" role="alert">{move || render(&problem.message)}</div>
                    <button type="button" on:click={
                        let retry = retry.clone();
                        move |_| retry()
                    }>{tr(k::action::try_again)}</button>
                }
                .into_any(),
                Load::Loaded(user) => {
                    let get = |name: &str| attribute(&user.user_attributes, name).unwrap_or("").to_string();
                    let verified = get("email_verified") == "true";
                    // Read reactively in their own nodes: a token refresh updates them without
                    // rebuilding the forms below.
                    let groups = move || {
                        let groups = session.user().map(|u| u.groups).unwrap_or_default();
                        if groups.is_empty() { t(k::profile::no_groups) } else { groups.join(", ") }
                    };
                    let expires = move || session.user().map(|u| local_time(u.expires_at)).unwrap_or_default();
                    view! {
                        {passkeys.then(|| view! { <PasskeyOffer username=user.username.clone() changed=passkeys_changed /> })}
                        <dl class="attributes" data-testid="profile">
                            <dt>{tr(k::sign_in_name::username)}</dt><dd data-testid="username">{user.username.clone()}</dd>
                            <dt>{tr(k::attribute::name)}</dt><dd data-testid="name">{get("name")}</dd>
                            <dt>{tr(k::attribute::email)}</dt><dd data-testid="email">{get("email")}</dd>
                            <dt>{tr(k::profile::email_verified)}</dt>
                            <dd data-testid="email-verified">{tr(if verified { k::profile::yes } else { k::profile::no })}</dd>
                            <dt>{tr(k::profile::user_id)}</dt><dd data-testid="sub"><code>{get("sub")}</code></dd>
                            <dt>{tr(k::profile::groups)}</dt>
                            <dd data-testid="groups">{groups}</dd>
                            <dt>{tr(k::profile::expires)}</dt><dd data-testid="expires">{expires}</dd>
                        </dl>
                        <SignOutButtons />
                        {session.config().api_url.clone().map(|url| view! { <ApiCall url=url /> })}
                        <EditProfile
                            name=get("name")
                            email=get("email")
                            email_verified=verified
                            phone=(session.config().mfa_codes.contains(&MfaKind::Sms) || !get("phone_number").is_empty())
                                .then(|| (get("phone_number"), get("phone_number_verified") == "true"))
                            on_change=on_change
                        />
                        {own_sign_in.then(|| view! { <ChangePasswordForm /> })}
                        {(own_sign_in && session.config().authenticator_apps).then(|| view! { <MfaSettingsSection user=user.clone() on_change=on_change /> })}
                        {(own_sign_in && !session.config().mfa_codes.is_empty()).then(|| view! { <MfaCodesSection user=user.clone() on_change=on_change /> })}
                        {passkeys.then(|| view! { <PasskeysSection changed=passkeys_changed /> })}
                        <DevicesSection />
                        // Read once: a token refresh must not rebuild the forms (and lose what was typed).
                        <DeleteAccount username=untrack(|| session.user()).map(|u| u.shown_as).unwrap_or_else(|| user.username.clone()) />
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
