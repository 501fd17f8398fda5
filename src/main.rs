//! Entry point of the browser app: loads config.json, then mounts [`app::App`] (or the setup message).
//! Build with Trunk (see README.md).

#[cfg(target_arch = "wasm32")]
mod api;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod config;
#[cfg(target_arch = "wasm32")]
mod crash;
#[cfg(target_arch = "wasm32")]
mod form;
#[cfg(target_arch = "wasm32")]
mod i18n;
#[cfg(target_arch = "wasm32")]
mod pages;
#[cfg(target_arch = "wasm32")]
mod passkey;
#[cfg(target_arch = "wasm32")]
mod problem;
#[cfg(target_arch = "wasm32")]
mod routes;
#[cfg(target_arch = "wasm32")]
mod session;
#[cfg(target_arch = "wasm32")]
mod tasks;
#[cfg(target_arch = "wasm32")]
mod theme;

#[cfg(target_arch = "wasm32")]
fn main() {
    use leptos::prelude::*;
    crash::install_panic_message();
    theme::apply(theme::stored_choice());
    // Leptos's own executor starts when the app mounts; the config and the reader's catalog are loaded
    // before that, side by side.
    wasm_bindgen_futures::spawn_local(async {
        let (loaded, language) = futures::future::join(config::load(), i18n::load_initial()).await;
        // Shown inside another site's frame, a sign-in page can be overlaid and clicked through
        // (clickjacking): refuse to run (in the reader's language). Hosting adds `frame-ancestors 'none'`
        // as a header too.
        if browser::framed() {
            browser::refuse_frame();
            return;
        }
        browser::remove_boot_message();
        match (loaded, language) {
            (Ok(config), Ok(())) => {
                theme::apply_branding(&config.branding);
                leptos::mount::mount_to_body(move || view! { <app::App config=config /> })
            }
            (Err(message), _) | (_, Err(message)) => {
                leptos::mount::mount_to_body(move || view! { <pages::setup_error::SetupError message=message /> })
            }
        }
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("cognito-spa runs in the browser: build it with `trunk build` (see README.md).");
}
