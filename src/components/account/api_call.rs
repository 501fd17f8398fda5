use leptos::prelude::*;

use crate::components::alerts::ErrorAlert;
use crate::form::FormAction;
use crate::session::{use_session, Problem, ProblemKind};

/// What the API answered.
#[derive(Clone)]
struct Answer {
    status: u16,
    body: String,
}

/// Calls config.json's `apiUrl` with `Authorization: <id token>` (the API Gateway Cognito-authorizer
/// convention) and shows the answer.
#[component]
pub fn ApiCall(#[prop(into)] url: String) -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let answer = RwSignal::new(None::<Answer>);

    let call = move |_| {
        let url = url.clone();
        answer.set(None);
        action.run("Calling…", || {
            Some(async move {
                let current = session.valid_session().await?;
                let response = gloo_net::http::Request::get(&url)
                    .header("Authorization", &current.id_token)
                    .send()
                    .await
                    .map_err(|e| Problem::new(ProblemKind::Transient, format!("The API could not be reached: {e}.")))?;
                let status = response.status();
                let text = response.text().await.unwrap_or_default();
                let body = cognito_core::json::parse(&text).map(|v| v.to_pretty_string()).unwrap_or(text);
                answer.set(Some(Answer { status, body }));
                Ok(())
            })
        })
    };

    view! {
        <section aria-labelledby="api-title" class="section">
            <h2 id="api-title">"Protected API"</h2>
            <p>"Calls the configured API with your id token, as an API Gateway Cognito authorizer expects it."</p>
            <button type="button" disabled=move || action.is_busy() on:click=call>
                {move || action.pending().unwrap_or("Call the API")}
            </button>
            <ErrorAlert message=action.error() />
            {move || answer.get().map(|a| {
                let ok = (200..300).contains(&a.status);
                view! {
                    <div role="status" data-testid="api-answer">
                        <p class:api-ok=ok class:api-refused=!ok>
                            {if ok {
                                format!("The API answered {}.", a.status)
                            } else if a.status == 401 || a.status == 403 {
                                format!("The API refused the request ({}): your session is not accepted.", a.status)
                            } else {
                                format!("The API answered with an error ({}).", a.status)
                            }}
                        </p>
                        <pre>{a.body}</pre>
                    </div>
                }
            })}
        </section>
    }
}
