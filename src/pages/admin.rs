use cognito_core::i18n::{k, Text};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::alerts::ErrorAlert;
use crate::i18n::{render, tr};
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
            <h1 id="admin-title">{tr(k::admin::title)}</h1>
            {move || {
                let user = session.user();
                let groups = user.as_ref().map(|u| u.groups.clone()).unwrap_or_default();
                if groups.iter().any(|g| g == "admin") {
                    let name = user.map(|u| u.username).unwrap_or_default();
                    let welcome = Text::new(k::admin::welcome).with("name", name);
                    let listed = Text::new(k::admin::groups).with("groups", groups.join(", "));
                    view! {
                        <p data-testid="admin-welcome">{move || render(&welcome)}</p>
                        <p>{move || render(&listed)}</p>
                    }
                        .into_any()
                } else {
                    view! {
                        <div data-testid="not-allowed">
                            <ErrorAlert message=Signal::stored(Some(Text::new(k::admin::not_allowed))) />
                        </div>
                        <p>
                            <A href=Route::Profile.href()>{tr(k::nav::back_to_profile)}</A>
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
