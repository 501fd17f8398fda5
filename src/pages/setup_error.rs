use leptos::prelude::*;

use crate::i18n::tr;
use cognito_core::i18n::k;

/// Shown instead of the app when config.json is missing or wrong. `message` is for the deployer, in
/// English (it names config.json's fields); the rest is in the reader's language when a catalog loaded.
#[component]
pub fn SetupError(message: String) -> impl IntoView {
    view! {
        <main id="main">
            <section class="card" aria-labelledby="setup-title">
                <h1 id="setup-title">{tr(k::setup::title)}</h1>
                <div class="alert alert-error" role="alert" data-testid="setup-error">
                    {message}
                </div>
                <p>{tr(k::setup::explanation)}</p>
                <pre>
                    {r#"{"region": "eu-west-1", "userPoolId": "eu-west-1_AbCdEf123", "clientId": "1example23456789"}"#}
                </pre>
            </section>
        </main>
    }
}
