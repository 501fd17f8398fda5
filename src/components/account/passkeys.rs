use cognito_core::i18n::{k, Text};
use cognito_core::passkeys::PasskeyInfo;
use leptos::prelude::*;

use crate::browser::{storage_get, storage_set};
use crate::components::alerts::{ErrorAlert, Notice};
use crate::components::confirm::ConfirmAction;
use crate::form::FormAction;
use crate::i18n::{local_time, render, tr};
use crate::passkey;
use crate::session::use_session;
use crate::tasks::PageTasks;

/// Passkeys (in a pool that allows them as a first factor): the user's list (ListWebAuthnCredentials),
/// "Add a passkey" (the browser's authenticator; StartWebAuthnRegistration, CompleteWebAuthnRegistration)
/// and delete one after confirming (DeleteWebAuthnCredential). `changed`: bumped when a passkey was added
/// elsewhere on the page (the offer), to list again.
#[component]
pub fn PasskeysSection(changed: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let list = RwSignal::new(None::<Vec<PasskeyInfo>>);
    let tasks = PageTasks::new();
    let reload = move || {
        tasks.spawn(async move {
            match session.passkeys().await {
                Ok(found) => list.set(Some(found)),
                Err(problem) => action.fail(problem),
            }
        })
    };
    reload();
    Effect::watch(move || changed.get(), move |_, _, _| reload(), false);
    let add = move |_| {
        action.run(k::passkey::waiting, || {
            Some(async move {
                session.add_passkey().await?;
                action.succeed(Text::new(k::passkey::added));
                list.set(Some(session.passkeys().await?));
                Ok(())
            })
        })
    };
    let delete = move |id: String| {
        action.run(k::passkey::deleting, || {
            Some(async move {
                session.delete_passkey(&id).await?;
                action.succeed(Text::new(k::passkey::deleted));
                list.set(Some(session.passkeys().await?));
                Ok(())
            })
        })
    };
    view! {
        <section aria-labelledby="passkeys-title" class="section">
            <h2 id="passkeys-title">{tr(k::passkey::title)}</h2>
            <p>{tr(k::passkey::explanation)}</p>
            <Notice message=action.notice() />
            <ErrorAlert message=action.error() />
            {move || match list.get() {
                None => view! { <p class="progress" role="status">{tr(k::passkey::loading)}</p> }.into_any(),
                Some(found) if found.is_empty() => view! { <p data-testid="no-passkeys">{tr(k::passkey::none)}</p> }.into_any(),
                Some(found) => view! {
                    <ul class="passkeys" data-testid="passkeys">
                        {found
                            .into_iter()
                            .map(|p| {
                                let id = p.id.clone();
                                let kind = if p.attachment.as_deref() == Some("platform") { k::passkey::this_device } else { k::passkey::other_device };
                                let added = p.created.map(|t| move || render(&Text::new(k::passkey::created).with("date", local_time(t))));
                                view! {
                                    <li>
                                        <strong>{p.name}</strong> " " <span>{tr(kind)}</span> " " {added}
                                        <ConfirmAction label=k::passkey::delete question=k::passkey::confirm_delete action=action confirmed=Callback::new(move |()| delete(id.clone())) />
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            }}
            <button type="button" disabled=move || action.is_busy() on:click=add>{tr(k::passkey::add)}</button>
            <p class="progress" role="status">{move || action.pending()}</p>
        </section>
    }
}

/// After a sign-in by password or code, once: "Sign in faster next time", with "Add a passkey" and "Not
/// now". Offered only where this browser can make passkeys, to a user who has none, and never again on
/// this browser once they said "Not now" (remembered by username; not a secret).
#[component]
pub fn PasskeyOffer(username: String, changed: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let declined_key = StoredValue::new(format!("cognito-spa.passkeyOffer.{username}"));
    let shown = RwSignal::new(false);
    let added = RwSignal::new(false);
    let action = FormAction::new();
    let tasks = PageTasks::new();
    if session.take_passkey_offer() && passkey::supported() && declined_key.with_value(|key| storage_get(key).is_none())
    {
        tasks.spawn(async move {
            if let Ok(found) = session.passkeys().await {
                shown.set(found.is_empty());
            }
        });
    }
    let add = move |_| {
        action.run(k::passkey::waiting, || {
            Some(async move {
                session.add_passkey().await?;
                added.set(true);
                changed.update(|n| *n += 1);
                Ok(())
            })
        })
    };
    let later = move |_| {
        let _ = declined_key.with_value(|key| storage_set(key, "declined"));
        shown.set(false);
    };
    view! {
        {move || shown.get().then(|| view! {
            <aside class="offer" aria-labelledby="passkey-offer-title" data-testid="passkey-offer">
                <h2 id="passkey-offer-title">{tr(k::passkey::offer_title)}</h2>
                {move || if added.get() {
                    view! { <p class="alert alert-notice" role="status">{tr(k::passkey::added)}</p> }.into_any()
                } else {
                    view! {
                        <p>{tr(k::passkey::offer_text)}</p>
                        <ErrorAlert message=action.error() />
                        <button type="button" disabled=move || action.is_busy() on:click=add>{tr(k::passkey::add)}</button>
                        <button type="button" class="secondary" disabled=move || action.is_busy() on:click=later>
                            {tr(k::passkey::offer_later)}
                        </button>
                        <p class="progress" role="status">{move || action.pending()}</p>
                    }
                    .into_any()
                }}
            </aside>
        })}
    }
}
