use leptos::prelude::*;
use leptos_router::components::A;

use crate::routes::Route;

/// Shown for any path the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="not-found-title">
            <h1 id="not-found-title">"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <p><A href=Route::Home.href()>"Go to the start page"</A></p>
        </section>
    }
}
