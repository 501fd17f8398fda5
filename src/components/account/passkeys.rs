use cognito_core::i18n::{k, Text};
use cognito_core::passkeys::PasskeyInfo;
use leptos::prelude::*;

use crate::components::account::section::{AccountSection, ProfileData};
use crate::components::alerts::ErrorAlert;
use crate::components::confirm::ConfirmAction;
use crate::components::form::{ActionButton, Progress};
use crate::form::FormAction;
use crate::i18n::{local_time, render, tr};
use crate::passkey;
use crate::session::preferences::{decline_offer, offer_declined};
use crate::session::use_session;
use crate::tasks::PageTasks;

/// Passkeys (in a pool that allows them as a first factor, for a user who signs in with this pool): the
/// user's list (ListWebAuthnCredentials), "Add a passkey" (the browser's authenticator;
/// StartWebAuthnRegistration, CompleteWebAuthnRegistration) and delete one after confirming
/// (DeleteWebAuthnCredential). Listed again when the offer at the top of the page added one.
#[component]
pub fn PasskeysSection(profile: ProfileData) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let list = RwSignal::new(None::<Vec<PasskeyInfo>>);
    let tasks = PageTasks::new();
    let shown = profile.passkeys_here();
    let reload = move || {
        tasks.spawn(async move {
            match session.account().passkeys().await {
                Ok(found) => list.set(Some(found)),
                Err(problem) => action.fail(problem),
            }
        })
    };
    if shown {
        reload();
        Effect::watch(move || profile.passkeys_changed.get(), move |_, _, _| reload(), false);
    }
    let add = move || {
        action.run(k::passkey::waiting, || {
            Some(async move {
                session.account().add_passkey().await?;
                action.succeed(Text::new(k::passkey::added));
                list.set(Some(session.account().passkeys().await?));
                Ok(())
            })
        })
    };
    let delete = move |id: String| {
        action.run(k::passkey::deleting, || {
            Some(async move {
                session.account().delete_passkey(&id).await?;
                action.succeed(Text::new(k::passkey::deleted));
                list.set(Some(session.account().passkeys().await?));
                Ok(())
            })
        })
    };
    let passkey = move |p: PasskeyInfo| {
        let id = p.id.clone();
        let kind = if p.attachment.as_deref() == Some("platform") {
            k::passkey::this_device
        } else {
            k::passkey::other_device
        };
        let added = p.created.map(|t| {
            let said = Text::new(k::passkey::created).with("date", local_time(t));
            move || render(&said)
        });
        view! {
            <li>
                <strong>{p.name}</strong>
                " "
                <span>{tr(kind)}</span>
                " "
                {added}
                <ConfirmAction
                    label=k::passkey::delete
                    question=k::passkey::confirm_delete
                    action
                    confirmed=move || delete(id.clone())
                />
            </li>
        }
    };
    shown.then(|| {
        view! {
            <AccountSection id="passkeys" title=k::passkey::title action>
                <p>{tr(k::passkey::explanation)}</p>
                {move || match list.get() {
                    None => {
                        view! {
                            <p class="progress" role="status">
                                {tr(k::passkey::loading)}
                            </p>
                        }
                            .into_any()
                    }
                    Some(found) if found.is_empty() => {
                        view! { <p data-testid="no-passkeys">{tr(k::passkey::none)}</p> }.into_any()
                    }
                    Some(found) => {
                        view! {
                            <ul class="passkeys" data-testid="passkeys">
                                {found.into_iter().map(passkey).collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }}
                <ActionButton action label=k::passkey::add on_click=add />
            </AccountSection>
        }
    })
}

/// After a sign-in by password or code, once: "Sign in faster next time", with "Add a passkey" and "Not
/// now". Offered only where passkeys are a way and this browser can make them, to a user who has none,
/// and never again on this browser once they said "Not now".
#[component]
pub fn PasskeyOffer(profile: ProfileData) -> impl IntoView {
    let session = use_session();
    let shown = RwSignal::new(false);
    let added = RwSignal::new(false);
    let action = FormAction::new();
    let tasks = PageTasks::new();
    let user = StoredValue::new(untrack(|| session.user()).map(|u| u.username).unwrap_or_default());
    if session.handoff().take_passkey_offer()
        && profile.passkeys_here()
        && passkey::supported()
        && !user.with_value(|user| offer_declined(user))
    {
        tasks.spawn(async move {
            if let Ok(found) = session.account().passkeys().await {
                shown.set(found.is_empty());
            }
        });
    }
    let add = move || {
        action.run(k::passkey::waiting, || {
            Some(async move {
                session.account().add_passkey().await?;
                added.set(true);
                profile.passkeys_changed.update(|n| *n += 1);
                Ok(())
            })
        })
    };
    let later = move || {
        user.with_value(|user| decline_offer(user));
        shown.set(false);
    };
    view! {
        {move || {
            shown
                .get()
                .then(|| {
                    view! {
                        <aside class="offer" aria-labelledby="passkey-offer-title" data-testid="passkey-offer">
                            <h2 id="passkey-offer-title">{tr(k::passkey::offer_title)}</h2>
                            {move || {
                                if added.get() {
                                    view! {
                                        <p class="alert alert-notice" role="status">
                                            {tr(k::passkey::added)}
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <p>{tr(k::passkey::offer_text)}</p>
                                        <ErrorAlert message=action.error() />
                                        <ActionButton action label=k::passkey::add on_click=add />
                                        <ActionButton
                                            action
                                            label=k::passkey::offer_later
                                            class="secondary"
                                            on_click=later
                                        />
                                        <Progress action />
                                    }
                                        .into_any()
                                }
                            }}
                        </aside>
                    }
                })
        }}
    }
}
