use leptos::prelude::*;
use leptos_router::components::A;

use crate::routes::Route;
use crate::session::{use_session, AuthState};

/// The top bar: who is signed in, and where to go.
#[component]
pub fn Nav() -> impl IntoView {
    let session = use_session();
    let brand = &session.config().branding;
    view! {
        <header class="nav">
            <A href=Route::Home.href() attr:class="brand">
                // The name is beside the logo, so the image itself says nothing more.
                {brand.logo.clone().map(|src| view! { <img src=src alt="" /> })}
                {brand.product_name.clone()}
            </A>
            <nav aria-label="Account">
                {move || match session.state() {
                    AuthState::SignedIn(user) => view! {
                        <span class="who" data-testid="signed-in-as">"Signed in as " <strong>{user.shown_as}</strong></span>
                        <A href=Route::Profile.href()>"Profile"</A>
                        {user.groups.iter().any(|g| g == "admin").then(|| view! { <A href=Route::Admin.href()>"Admin"</A> })}
                        <A href=Route::Logout.href()>"Sign out"</A>
                    }
                    .into_any(),
                    AuthState::SignedOut => view! {
                        <A href=Route::LOGIN.href()>"Sign in"</A>
                        <A href=Route::Register.href()>"Create account"</A>
                    }
                    .into_any(),
                    _ => view! { <span class="who">"…"</span> }.into_any(),
                }}
            </nav>
        </header>
    }
}
