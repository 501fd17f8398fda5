//! A panic stops the whole wasm app; instead of a silently dead page, the user sees what happened and a
//! way out. The panic's text goes to the console only (it never holds secrets: the app does not format
//! passwords or tokens into panics). The "Reload" is a plain link to the current page: it needs no script,
//! since the wasm instance is dead after a panic.

use wasm_bindgen::JsCast;

const MESSAGE: &str = r#"<p><strong>Something went wrong.</strong> The page stopped working. Reload it to continue; you stay signed in.</p><a class="button" href="">Reload</a>"#;

/// Logs panics to the console and shows the "something went wrong" message.
pub fn install_panic_message() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_message();
    }));
}

fn show_message() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    if document.get_element_by_id("crash").is_some() {
        return;
    }
    if let Ok(element) = document.create_element("div") {
        element.set_id("crash");
        element.set_class_name("crash");
        let _ = element.set_attribute("role", "alert");
        element.set_inner_html(MESSAGE);
        let _ = body.unchecked_ref::<web_sys::Element>().prepend_with_node_1(&element);
    }
}
