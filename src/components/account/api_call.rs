use cognito_core::i18n::{k, Text};
use leptos::prelude::*;

use crate::components::alerts::ErrorAlert;
use crate::components::form::{ActionButton, Progress};
use crate::form::FormAction;
use crate::i18n::{render, tr};
use crate::problem::{Problem, ProblemKind};
use crate::session::use_session;

/// What the API answered.
#[derive(Clone)]
struct Answer {
    status: u16,
    body: String,
}

/// Calls config.json's `apiUrl` (when it has one) with `Authorization: <id token>` (the API Gateway
/// Cognito-authorizer convention) and shows the answer.
#[component]
pub fn ApiCall() -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let answer = RwSignal::new(None::<Answer>);
    let url = session.config().api_url.as_deref()?;

    let call = move || {
        answer.set(None);
        action.run(k::api::pending, || {
            Some(async move {
                let id_token = session.account().id_token().await?;
                let response =
                    gloo_net::http::Request::get(url).header("Authorization", &id_token).send().await.map_err(|e| {
                        Problem::new(
                            ProblemKind::Transient,
                            Text::new(k::api::unreachable).with("detail", e.to_string()),
                        )
                    })?;
                let status = response.status();
                let text = response.text().await.unwrap_or_default();
                let body = cognito_core::json::parse(&text).map(|v| v.to_pretty_string()).unwrap_or(text);
                answer.set(Some(Answer { status, body }));
                Ok(())
            })
        })
    };

    Some(view! {
        <section aria-labelledby="api-title" class="section">
            <h2 id="api-title">{tr(k::api::title)}</h2>
            <p>{tr(k::api::explanation)}</p>
            <ActionButton action label=k::api::call on_click=call />
            <Progress action />
            <ErrorAlert message=action.error() />
            {move || {
                answer
                    .get()
                    .map(|a| {
                        let ok = (200..300).contains(&a.status);
                        let status = a.status.to_string();
                        let said = if ok {
                            Text::new(k::api::answered)
                        } else if a.status == 401 || a.status == 403 {
                            Text::new(k::api::refused)
                        } else {
                            Text::new(k::api::failed)
                        }
                            .with("status", status);
                        view! {
                            <div role="status" data-testid="api-answer">
                                <p class:api-ok=ok class:api-refused=!ok>
                                    {move || render(&said)}
                                </p>
                                <pre>{a.body}</pre>
                            </div>
                        }
                    })
            }}
        </section>
    })
}
