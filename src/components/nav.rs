use cognito_core::i18n::k;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{t, tr};
use crate::routes::Route;
use crate::session::{use_session, AuthState};

/// The top bar: who is signed in, and where to go.
#[component]
pub fn Nav() -> impl IntoView {
    let session = use_session();
    let brand = &session.config().branding;
    let product_name = brand.product_name.clone();
    view! {
        <header class="nav">
            <A href=Route::Home.href() attr:class="brand">
                // The name is beside the logo, so the image itself says nothing more.
                {brand.logo.clone().map(|src| view! { <img src=src alt="" /> })}
                {move || product_name.clone().unwrap_or_else(|| t(k::brand::default_name))}
            </A>
            <nav aria-label=tr(
                k::nav::label,
            )>
                {move || match session.state() {
                    AuthState::SignedIn(user) => {
                        view! {
                            <span class="who" data-testid="signed-in-as">
                                {tr(k::nav::signed_in_as)}
                                " "
                                <strong>{user.shown_as}</strong>
                            </span>
                            <A href=Route::Profile.href()>{tr(k::nav::profile)}</A>
                            {user
                                .groups
                                .iter()
                                .any(|g| g == "admin")
                                .then(|| view! { <A href=Route::Admin.href()>{tr(k::nav::admin)}</A> })}
                            <A href=Route::Logout.href()>{tr(k::sign_out::title)}</A>
                        }
                            .into_any()
                    }
                    AuthState::SignedOut => {
                        view! {
                            <A href=Route::LOGIN.href()>{tr(k::login::submit)}</A>
                            <A href=Route::Register.href()>{tr(k::register::submit)}</A>
                        }
                            .into_any()
                    }
                    _ => view! { <span class="who">"…"</span> }.into_any(),
                }}
            </nav>
        </header>
    }
}
