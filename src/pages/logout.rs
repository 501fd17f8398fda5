use leptos::prelude::*;

use crate::components::sign_out_buttons::SignOutButtons;
use crate::i18n::tr;
use cognito_core::i18n::k;

/// `/logout` (signed-in only): sign out on this device, or everywhere.
#[component]
pub fn Logout() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="logout-title">
            <h1 id="logout-title">{tr(k::sign_out::title)}</h1>
            <p>{tr(k::sign_out::explanation)}</p>
            <SignOutButtons />
        </section>
    }
}
