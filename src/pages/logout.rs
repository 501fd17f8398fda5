use leptos::prelude::*;

use crate::components::sign_out_buttons::SignOutButtons;

/// `/logout` (signed-in only): sign out on this device, or everywhere.
#[component]
pub fn Logout() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="logout-title">
            <h1 id="logout-title">"Sign out"</h1>
            <p>"Sign out on this device, or end every session of your account on all devices."</p>
            <SignOutButtons />
        </section>
    }
}
