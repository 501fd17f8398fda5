use leptos::prelude::*;
use leptos_router::components::A;

use crate::routes::Route;
use crate::session::use_session;

/// `/admin` (signed in): only for members of the `admin` group (from the id token's `cognito:groups`);
/// everyone else is told they are not allowed. The group check here is for the page; an API must check
/// the token itself.
#[component]
pub fn Admin() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="card" aria-labelledby="admin-title">
            <h1 id="admin-title">"Administration"</h1>
            {move || {
                let user = session.user();
                let groups = user.as_ref().map(|u| u.groups.clone()).unwrap_or_default();
                if groups.iter().any(|g| g == "admin") {
                    view! {
                        <p data-testid="admin-welcome">
                            "You are signed in as an administrator (" {user.map(|u| u.username)} ")."
                        </p>
                        <p>"Your groups: " {groups.join(", ")}</p>
                    }
                    .into_any()
                } else {
                    view! {
                        <div class="alert alert-error" role="alert" data-testid="not-allowed">
                            "Not allowed: this page is for members of the admin group."
                        </div>
                        <p><A href=Route::Profile.href()>"Back to your profile"</A></p>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
