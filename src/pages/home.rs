use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::routes::Route;

/// `/` (signed-in only): the profile.
#[component]
pub fn Home() -> impl IntoView {
    view! { <Redirect path=Route::Profile.href() /> }
}
