//! Routes and the page frame.

use cognito_core::config::AppConfig;
use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, ProtectedRoute, Route, Router};
use leptos_router::path;

use crate::browser::current_path;
use crate::components::{footer::Footer, nav::Nav, restoring::Restoring};
use crate::pages::{
    admin::Admin, confirm::Confirm, forgot_password::ForgotPasswordPage, home::Home, login::Login, logout::Logout,
    not_found::NotFound, oauth_callback::OAuthCallback, profile::Profile, register::Register,
};
use crate::routes::Route;
use crate::session::SessionOwner;

/// `/login?next=<where the user was going>`.
fn login_then_back() -> String {
    Route::login_then(current_path()).href()
}

#[component]
pub fn App(config: AppConfig) -> impl IntoView {
    let session = SessionOwner::start(config);
    provide_context(session);
    // The title is the product name, or "Your account" in the reader's language (follows a switch).
    Effect::new(move |_| crate::theme::show_title(&session.config().branding));
    // A memo: guarded pages re-render only when access changes, not when tokens are refreshed.
    let access = Memo::new(move |_| session.is_signed_in());
    let signed_in = move || access.get();
    view! {
        <Router>
            <Nav />
            <main id="main">
                <FlatRoutes fallback=NotFound>
                    <ProtectedRoute
                        path=path!("/")
                        view=Home
                        condition=signed_in
                        redirect_path=|| Route::LOGIN.href()
                        fallback=Restoring
                    />
                    <Route path=path!("/register") view=Register />
                    <Route path=path!("/confirm") view=Confirm />
                    <Route path=path!("/login") view=Login />
                    <Route path=path!("/forgot-password") view=ForgotPasswordPage />
                    <Route path=path!("/oauth/callback") view=OAuthCallback />
                    <ProtectedRoute
                        path=path!("/profile")
                        view=Profile
                        condition=signed_in
                        redirect_path=login_then_back
                        fallback=Restoring
                    />
                    <ProtectedRoute
                        path=path!("/admin")
                        view=Admin
                        condition=signed_in
                        redirect_path=login_then_back
                        fallback=Restoring
                    />
                    <ProtectedRoute
                        path=path!("/logout")
                        view=Logout
                        condition=signed_in
                        redirect_path=move || session.login_path()
                        fallback=Restoring
                    />
                </FlatRoutes>
            </main>
            <Footer />
        </Router>
    }
}
