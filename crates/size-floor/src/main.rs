//! Two routes, links, a form with signals, a conditional view: the framework parts every page of the
//! app uses, with nothing of the app itself. `scripts/bench.sh` builds it with Trunk and prints its
//! first-load size next to the app's.

#[cfg(target_arch = "wasm32")]
fn main() {
    use leptos::prelude::*;
    use leptos_router::components::{FlatRoutes, Route, Router, A};
    use leptos_router::path;

    #[component]
    fn Form() -> impl IntoView {
        let name = RwSignal::new(String::new());
        let sent = RwSignal::new(false);
        view! {
            <form on:submit=move |e| {
                e.prevent_default();
                sent.set(true);
            }>
                <label for="name">"Name"</label>
                <input id="name" prop:value=name on:input=move |e| name.set(event_target_value(&e)) />
                <button disabled=sent>"Send"</button>
                <Show when=move || sent.get()>
                    <p role="status">"Sent " {move || name.get()}</p>
                </Show>
            </form>
        }
    }

    #[component]
    fn About() -> impl IntoView {
        view! { <h1>"About"</h1><A href="/">"Back"</A> }
    }

    leptos::mount::mount_to_body(|| {
        view! {
            <Router>
                <nav><A href="/">"Form"</A><A href="/about">"About"</A></nav>
                <main>
                    <FlatRoutes fallback=|| "Not found">
                        <Route path=path!("/") view=Form />
                        <Route path=path!("/about") view=About />
                    </FlatRoutes>
                </main>
            </Router>
        }
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
