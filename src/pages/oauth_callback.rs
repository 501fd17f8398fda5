//! `/oauth/callback`: managed login comes back here with `?code=…&state=…` (or `?error=…`). The query is
//! read once and taken out of the address bar and the history at once; the code is exchanged for the
//! session (`SessionOwner::finish_managed_login`), then on to the page first asked for.

use cognito_core::i18n::k;
use cognito_core::redirect::next_destination;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::browser::{current_origin, current_search, replace_history, resolve_url};
use crate::components::alerts::{ErrorAlert, Waiting};
use crate::i18n::tr;
use crate::problem::Problem;
use crate::routes::Route;
use crate::session::use_session;
use crate::tasks::PageTasks;

#[component]
pub fn OAuthCallback() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let problem = RwSignal::new(None::<Problem>);
    let query = current_search();
    replace_history(&Route::OAuthCallback.href());
    let tasks = PageTasks::new();
    tasks.spawn(async move {
        match session.finish_managed_login(&query).await {
            Ok(next) => {
                let resolved = next.as_deref().and_then(resolve_url);
                let destination = next_destination(next.as_deref(), resolved.as_ref(), &current_origin());
                navigate(&destination, NavigateOptions { replace: true, ..Default::default() });
            }
            Err(failed) => problem.set(Some(failed)),
        }
    });
    view! {
        <section class="card" aria-labelledby="oauth-title">
            <h1 id="oauth-title">{tr(k::oauth::title)}</h1>
            {move || match problem.get() {
                None => view! { <Waiting label=k::oauth::finishing /> }.into_any(),
                Some(failed) => {
                    view! {
                        <ErrorAlert message=Signal::stored(Some(failed.message)) />
                        <p>
                            <a href=Route::LOGIN.href()>{tr(k::oauth::back)}</a>
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
