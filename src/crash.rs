//! A panic stops the whole wasm app; instead of a silently dead page, the user sees what happened and a
//! way out. The panic's text goes to the console only (it never holds secrets: the app does not format
//! passwords or tokens into panics). The "Reload" is a plain link to the current page: it needs no script,
//! since the wasm instance is dead after a panic.

use wasm_bindgen::JsCast;

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
        // Text, not HTML, from the catalog: a translation cannot inject markup.
        let (title, text, reload) = crate::i18n::crash_words();
        let p = document.create_element("p").ok();
        let strong = document.create_element("strong").ok();
        let link = document.create_element("a").ok();
        if let (Some(p), Some(strong), Some(link)) = (p, strong, link) {
            strong.set_text_content(Some(&title));
            let _ = p.append_child(&strong);
            let _ = p.append_with_str_1(&format!(" {text}"));
            link.set_class_name("button");
            let _ = link.set_attribute("href", "");
            link.set_text_content(Some(&reload));
            let _ = element.append_child(&p);
            let _ = element.append_child(&link);
        }
        let _ = body.unchecked_ref::<web_sys::Element>().prepend_with_node_1(&element);
    }
}
