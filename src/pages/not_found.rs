use cognito_core::i18n::k;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::tr;
use crate::routes::Route;

/// Shown for any path the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="not-found-title">
            <h1 id="not-found-title">{tr(k::not_found::title)}</h1>
            <p>{tr(k::not_found::explanation)}</p>
            <p>
                <A href=Route::Home.href()>{tr(k::not_found::home)}</A>
            </p>
        </section>
    }
}
