//! The browser's passkeys (WebAuthn, `navigator.credentials`), through its JSON helpers
//! (`PublicKeyCredential.parseCreationOptionsFromJSON` / `parseRequestOptionsFromJSON` and
//! `toJSON()`): the service's options go in as it wrote them and the credential comes back as JSON text,
//! so no WebAuthn structure is rebuilt in Rust. A browser without them is told passkeys are not
//! available here, never sent half-made options.

use cognito_core::i18n::{k, Text};
use js_sys::{Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why a passkey ceremony did not give a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasskeyError {
    /// No WebAuthn (or not its JSON helpers) in this browser.
    NotSupported,
    /// The person cancelled, or it took too long (browsers do not tell which).
    Cancelled,
    /// Registering: a passkey of this account is already on the authenticator.
    AlreadyRegistered,
    /// The page's address does not fit the relying party (not HTTPS, another domain).
    WrongSite,
    Failed(String),
}

impl PasskeyError {
    pub fn text(&self) -> Text {
        match self {
            PasskeyError::NotSupported => Text::new(k::passkey::not_supported),
            PasskeyError::Cancelled => Text::new(k::passkey::cancelled),
            PasskeyError::AlreadyRegistered => Text::new(k::passkey::already),
            PasskeyError::WrongSite => Text::new(k::passkey::wrong_site),
            PasskeyError::Failed(detail) => Text::new(k::passkey::failed).with("detail", detail.clone()),
        }
    }
}

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn error_of(e: JsValue) -> PasskeyError {
    match get(&e, "name").and_then(|n| n.as_string()).as_deref() {
        Some("NotAllowedError" | "AbortError") => PasskeyError::Cancelled,
        Some("InvalidStateError") => PasskeyError::AlreadyRegistered,
        Some("SecurityError") => PasskeyError::WrongSite,
        Some("NotSupportedError") => PasskeyError::NotSupported,
        _ => PasskeyError::Failed(get(&e, "message").and_then(|m| m.as_string()).unwrap_or_default()),
    }
}

/// `navigator.credentials.<verb>({publicKey: PublicKeyCredential.<parser>(options)})`, as JSON text.
/// `autofill`: the abort signal of a request offered in a field's autofill (conditional mediation).
async fn ceremony(
    verb: &str,
    parser: &str,
    options_json: &str,
    autofill: Option<&JsValue>,
) -> Result<String, PasskeyError> {
    let window = web_sys::window().ok_or(PasskeyError::NotSupported)?;
    let class = get(&window, "PublicKeyCredential").ok_or(PasskeyError::NotSupported)?;
    let parse: Function = get(&class, parser).and_then(|f| f.dyn_into().ok()).ok_or(PasskeyError::NotSupported)?;
    let options = JSON::parse(options_json).map_err(|_| PasskeyError::Failed("the options are not JSON".into()))?;
    let public_key = parse.call1(&class, &options).map_err(error_of)?;
    let request = Object::new();
    Reflect::set(&request, &JsValue::from_str("publicKey"), &public_key).map_err(error_of)?;
    if let Some(signal) = autofill {
        Reflect::set(&request, &JsValue::from_str("mediation"), &JsValue::from_str("conditional")).map_err(error_of)?;
        Reflect::set(&request, &JsValue::from_str("signal"), signal).map_err(error_of)?;
    }
    let credentials = get(&window.navigator(), "credentials").ok_or(PasskeyError::NotSupported)?;
    let call: Function = get(&credentials, verb).and_then(|f| f.dyn_into().ok()).ok_or(PasskeyError::NotSupported)?;
    let promise: Promise = call.call1(&credentials, &request).map_err(error_of)?.dyn_into().map_err(error_of)?;
    let credential = JsFuture::from(promise).await.map_err(error_of)?;
    let to_json: Function =
        get(&credential, "toJSON").and_then(|f| f.dyn_into().ok()).ok_or(PasskeyError::NotSupported)?;
    let value = to_json.call0(&credential).map_err(error_of)?;
    JSON::stringify(&value).map(String::from).map_err(error_of)
}

/// Makes a passkey for the service's creation options (StartWebAuthnRegistration).
pub async fn create(options_json: &str) -> Result<String, PasskeyError> {
    ceremony("create", "parseCreationOptionsFromJSON", options_json, None).await
}

/// Signs the service's challenge with a passkey (WEB_AUTHN's CREDENTIAL_REQUEST_OPTIONS).
pub async fn sign(options_json: &str) -> Result<String, PasskeyError> {
    ceremony("get", "parseRequestOptionsFromJSON", options_json, None).await
}

/// Whether this browser can make passkeys the way [`create`] does (WebAuthn with its JSON helpers).
pub fn supported() -> bool {
    let Some(window) = web_sys::window() else { return false };
    get(&window, "PublicKeyCredential").and_then(|class| get(&class, "parseCreationOptionsFromJSON")).is_some()
}

/// Whether the browser can offer passkeys in a field's autofill
/// (`PublicKeyCredential.isConditionalMediationAvailable()`).
pub async fn autofill_available() -> bool {
    let Some(class) = web_sys::window().and_then(|w| get(&w, "PublicKeyCredential")) else { return false };
    let Some(check) = get(&class, "isConditionalMediationAvailable").and_then(|f| f.dyn_into::<Function>().ok()) else {
        return false;
    };
    match check.call0(&class).ok().and_then(|p| p.dyn_into::<Promise>().ok()) {
        Some(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()).unwrap_or(false),
        None => false,
    }
}

/// A passkey request offered in the autofill of the field marked `autocomplete="username webauthn"`: it
/// waits until the person picks a passkey there, or until [`Autofill::abort`] (which must come before
/// any other passkey request on the page: browsers allow one at a time).
#[derive(Clone)]
pub struct Autofill {
    controller: JsValue,
}

impl Autofill {
    pub fn new() -> Option<Autofill> {
        let class: Function = web_sys::window().and_then(|w| get(&w, "AbortController"))?.dyn_into().ok()?;
        let controller = Reflect::construct(&class, &js_sys::Array::new()).ok()?;
        Some(Autofill { controller })
    }

    /// Signs the options' challenge with the passkey picked in the autofill.
    pub async fn sign(&self, options_json: &str) -> Result<String, PasskeyError> {
        let signal = get(&self.controller, "signal").ok_or(PasskeyError::NotSupported)?;
        ceremony("get", "parseRequestOptionsFromJSON", options_json, Some(&signal)).await
    }

    pub fn abort(&self) {
        if let Some(abort) = get(&self.controller, "abort").and_then(|f| f.dyn_into::<Function>().ok()) {
            let _ = abort.call0(&self.controller);
        }
    }
}
