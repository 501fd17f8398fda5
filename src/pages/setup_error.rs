use leptos::prelude::*;

/// Shown instead of the app when config.json is missing or wrong.
#[component]
pub fn SetupError(message: String) -> impl IntoView {
    view! {
        <main id="main">
            <section class="card" aria-labelledby="setup-title">
                <h1 id="setup-title">"This sign-in page is not set up yet"</h1>
                <div class="alert alert-error" role="alert" data-testid="setup-error">{message}</div>
                <p>
                    "Whoever deployed it must put a " <code>"config.json"</code> " beside " <code>"index.html"</code>
                    " naming the user pool and app client, for example:"
                </p>
                <pre>{r#"{"region": "eu-west-1", "userPoolId": "eu-west-1_AbCdEf123", "clientId": "1example23456789"}"#}</pre>
            </section>
        </main>
    }
}
