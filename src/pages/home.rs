use leptos::prelude::*;

/// Landing page of the app shell.
#[component]
pub fn Home() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="home-title">
            <h1 id="home-title">"Welcome"</h1>
            <p>"Sign in with your Amazon Cognito user pool account."</p>
        </section>
    }
}
