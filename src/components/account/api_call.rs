use leptos::prelude::*;

use crate::session::use_session;
use crate::tasks::PageTasks;

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
    let tasks = PageTasks::new();
    let pending = RwSignal::new(false);
    let answer = RwSignal::new(None::<Answer>);
    let error = RwSignal::new(None::<String>);

    let call = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        answer.set(None);
        let url = url.clone();
        tasks.spawn(async move {
            let result = match session.valid_session().await {
                Ok(current) => gloo_net::http::Request::get(&url)
                    .header("Authorization", &current.id_token)
                    .send()
                    .await
                    .map_err(|e| format!("The API could not be reached: {e}.")),
                Err(problem) => Err(problem.message),
            };
            let outcome = match result {
                Ok(response) => {
                    let status = response.status();
                    let text = response.text().await.unwrap_or_default();
                    let body = cognito_core::json::parse(&text).map(|v| v.to_pretty_string()).unwrap_or(text);
                    Ok(Answer { status, body })
                }
                Err(message) => Err(message),
            };
            pending.set(false);
            match outcome {
                Ok(a) => answer.set(Some(a)),
                Err(message) => error.set(Some(message)),
            }
        });
    };

    view! {
        <section aria-labelledby="api-title" class="section">
            <h2 id="api-title">"Protected API"</h2>
            <p>"Calls the configured API with your id token, as an API Gateway Cognito authorizer expects it."</p>
            <button type="button" disabled=move || pending.get() on:click=call>
                {move || if pending.get() { "Calling…" } else { "Call the API" }}
            </button>
            <div class="alert alert-error" role="alert" hidden=move || error.get().is_none()>{move || error.get()}</div>
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
