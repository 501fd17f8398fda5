//! Small browser facilities: the clock, letting the page paint, localStorage without panics.

use cognito_core::i18n::k;
use wasm_bindgen::JsValue;

/// Seconds since the epoch, from the browser's clock.
pub fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

/// Resolves after the browser has had a chance to paint (a zero-delay timer).
pub async fn yield_to_browser() {
    sleep_ms(0).await;
}

pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// localStorage, or None where the browser refuses it.
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn storage_set(key: &str, value: &str) -> Result<(), String> {
    let storage = storage().ok_or("this browser does not allow local storage")?;
    storage.set_item(key, value).map_err(|_| "the browser's storage is full or disabled".to_string())
}

pub fn storage_remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

/// sessionStorage (this tab only, gone when it closes): for what must not outlive one sign-in flow.
fn tab_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

pub fn tab_storage_set(key: &str, value: &str) -> Result<(), String> {
    let storage = tab_storage().ok_or("this browser does not allow session storage")?;
    storage.set_item(key, value).map_err(|_| "the browser's session storage is full or disabled".to_string())
}

/// Reads and removes a sessionStorage value (read once).
pub fn tab_storage_take(key: &str) -> Option<String> {
    let storage = tab_storage()?;
    let value = storage.get_item(key).ok().flatten();
    let _ = storage.remove_item(key);
    value
}

/// Leaves the app for another site's page (managed login).
pub fn go_to(url: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(url);
    }
}

/// This page's query string, e.g. `?code=…&state=…`.
pub fn current_search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// Replaces this page's entry in the history with `path` (what the address held is forgotten).
pub fn replace_history(path: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
    }
}

/// A random number in [0, 1) (for retry jitter).
pub fn random_unit() -> f64 {
    js_sys::Math::random()
}

/// Encodes a value for a URL query.
pub fn encode_query(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

/// The current path and query, e.g. `/profile?x=1`.
pub fn current_path() -> String {
    web_sys::window()
        .and_then(|w| {
            let location = w.location();
            Some(format!("{}{}", location.pathname().ok()?, location.search().ok()?))
        })
        .unwrap_or_else(|| "/".into())
}

/// Removes the "Loading…" placeholder of index.html once the app takes over.
pub fn remove_boot_message() {
    if let Some(element) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        element.remove();
    }
}

/// This site's host name (the issuer an authenticator app shows).
pub fn site_host() -> String {
    web_sys::window().and_then(|w| w.location().host().ok()).unwrap_or_else(|| "sign-in".into())
}

/// How [`with_web_lock`] takes the lock.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum LockMode {
    /// Wait for the current holder to finish.
    Wait,
    /// Take it at once (`steal: true`): the current holder's work goes on, but no longer holds the lock.
    Steal,
}

/// Runs `work` holding the named Web Lock (`navigator.locks`), so tabs of this site take turns. Where the
/// browser has no Web Locks, or the request fails, it simply runs. The lock is released when `work` ends.
pub async fn with_web_lock<T: 'static, F: std::future::Future<Output = T> + 'static>(
    name: &str,
    mode: LockMode,
    work: F,
) -> T {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let work = Rc::new(RefCell::new(Some(work)));
    let result: Rc<RefCell<Option<T>>> = Rc::new(RefCell::new(None));
    let locks = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("locks")).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let request = locks
        .as_ref()
        .and_then(|l| js_sys::Reflect::get(l, &JsValue::from_str("request")).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let (Some(locks), Some(request)) = (locks, request) {
        let (pending, slot) = (work.clone(), result.clone());
        let callback = Closure::once(move |_lock: JsValue| -> js_sys::Promise {
            let job = pending.borrow_mut().take();
            wasm_bindgen_futures::future_to_promise(async move {
                if let Some(job) = job {
                    let value = job.await;
                    *slot.borrow_mut() = Some(value);
                }
                Ok(JsValue::UNDEFINED)
            })
        });
        let options = js_sys::Object::new();
        if mode == LockMode::Steal {
            let _ = js_sys::Reflect::set(&options, &JsValue::from_str("steal"), &JsValue::TRUE);
        }
        let held = request.call3(&locks, &JsValue::from_str(name), &options, callback.as_ref().unchecked_ref());
        if let Ok(held) = held {
            if let Ok(promise) = held.dyn_into::<js_sys::Promise>() {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            }
        }
    }
    if let Some(value) = result.borrow_mut().take() {
        return value;
    }
    // No Web Locks, or the request failed before running the work: run it here.
    let job = work.borrow_mut().take();
    match job {
        Some(job) => job.await,
        None => {
            // The callback took the work but the lock promise settled before it finished: wait for it.
            loop {
                if let Some(value) = result.borrow_mut().take() {
                    return value;
                }
                sleep_ms(10).await;
            }
        }
    }
}

/// Whether the app is shown inside a frame of another page (clickjacking): it then refuses to run.
pub fn framed() -> bool {
    let Some(window) = web_sys::window() else { return false };
    match window.top() {
        Ok(Some(top)) => JsValue::from(top) != JsValue::from(window),
        // A top window that cannot be read is another page's.
        _ => true,
    }
}

/// Replaces the page with a notice that it cannot be shown in a frame, with a link that opens it in
/// its own tab. Plain DOM: nothing of the app runs.
pub fn refuse_frame() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_else(|| "/".into());
    body.set_text_content(None);
    let main = document.create_element("main").ok();
    let heading = document.create_element("h1").ok();
    let text = document.create_element("p").ok();
    let link = document.create_element("a").ok();
    if let (Some(main), Some(heading), Some(text), Some(link)) = (main, heading, text, link) {
        heading.set_text_content(Some(&crate::i18n::t(k::frame::title)));
        text.set_text_content(Some(&(crate::i18n::t(k::frame::explanation) + " ")));
        link.set_text_content(Some(&crate::i18n::t(k::frame::open)));
        let _ = link.set_attribute("href", &href);
        let _ = link.set_attribute("target", "_blank");
        let _ = link.set_attribute("rel", "noopener noreferrer");
        let _ = text.append_child(&link);
        let _ = main.append_child(&heading);
        let _ = main.append_child(&text);
        let _ = body.append_child(&main);
    }
}

/// This page's origin, e.g. `https://app.example`.
pub fn current_origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_else(|| "null".into())
}

/// What the browser's URL parser makes of `text` on this page (`new URL(text, location.href)`).
pub fn resolve_url(text: &str) -> Option<cognito_core::redirect::ResolvedUrl> {
    let base = web_sys::window()?.location().href().ok()?;
    let url = web_sys::Url::new_with_base(text, &base).ok()?;
    Some(cognito_core::redirect::ResolvedUrl {
        origin: url.origin(),
        pathname: url.pathname(),
        search: url.search(),
        hash: url.hash(),
    })
}
