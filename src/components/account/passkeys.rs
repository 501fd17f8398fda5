use cognito_core::i18n::{k, Text};
use cognito_core::passkeys::PasskeyInfo;
use leptos::prelude::*;

use crate::components::alerts::{ErrorAlert, Notice};
use crate::form::FormAction;
use crate::i18n::{local_time, render, tr};
use crate::session::use_session;
use crate::tasks::PageTasks;

/// Passkeys (in a pool that allows them as a first factor): the user's list (ListWebAuthnCredentials),
/// "Add a passkey" (the browser's authenticator; StartWebAuthnRegistration, CompleteWebAuthnRegistration)
/// and delete one after confirming (DeleteWebAuthnCredential).
#[component]
pub fn PasskeysSection() -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let list = RwSignal::new(None::<Vec<PasskeyInfo>>);
    let confirming = RwSignal::new(None::<String>);
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
                confirming.set(None);
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
                                let (id, confirm_id) = (p.id.clone(), p.id.clone());
                                let kind = if p.attachment.as_deref() == Some("platform") { k::passkey::this_device } else { k::passkey::other_device };
                                let added = p.created.map(|t| move || render(&Text::new(k::passkey::created).with("date", local_time(t))));
                                view! {
                                    <li>
                                        <strong>{p.name}</strong> " " <span>{tr(kind)}</span> " " {added}
                                        <div class="actions">
                                            <Show
                                                when=move || confirming.get().as_deref() == Some(confirm_id.as_str())
                                                fallback={
                                                    let id = id.clone();
                                                    move || {
                                                        let id = id.clone();
                                                        view! {
                                                            <button type="button" class="secondary" disabled=move || action.is_busy() on:click=move |_| confirming.set(Some(id.clone()))>
                                                                {tr(k::passkey::delete)}
                                                            </button>
                                                        }
                                                    }
                                                }
                                            >
                                                {
                                                    let id = id.clone();
                                                    view! {
                                                        <span>{tr(k::passkey::confirm_delete)}</span> " "
                                                        <button type="button" class="danger" disabled=move || action.is_busy() on:click=move |_| delete(id.clone())>
                                                            {tr(k::passkey::delete)}
                                                        </button>
                                                        <button type="button" class="secondary" disabled=move || action.is_busy() on:click=move |_| confirming.set(None)>
                                                            {tr(k::action::cancel)}
                                                        </button>
                                                    }
                                                }
                                            </Show>
                                        </div>
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
