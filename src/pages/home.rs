use leptos::prelude::*;
use leptos_router::components::Redirect;

/// `/` (signed-in only): the profile.
#[component]
pub fn Home() -> impl IntoView {
    view! { <Redirect path="/profile" /> }
}
