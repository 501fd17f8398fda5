//! Entry point of the browser app: mounts [`app::App`]. Build with Trunk (see README.md).

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod pages;

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("cognito-spa runs in the browser: build it with `trunk build` (see README.md).");
}
