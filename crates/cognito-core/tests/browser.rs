//! The SRP client inside a real browser (headless Chromium through wasm-bindgen-test-runner): the same
//! reference vectors as the host test, plus the browser's CSPRNG behind `a`.
#![cfg(target_arch = "wasm32")]

mod vectors;

use cognito_core::srp::{group, ClientEphemeral};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn reference_vectors_match_in_the_browser() {
    let file = vectors::load();
    // One vector of each B shape (the generator cycles through six).
    for v in file.srp.iter().take(6) {
        if let Err(why) = vectors::check(v) {
            panic!("{}: {why}", v.name);
        }
    }
}

#[wasm_bindgen_test]
fn ephemeral_comes_from_the_browser_csprng() {
    let one = ClientEphemeral::generate().expect("crypto.getRandomValues works");
    let two = ClientEphemeral::generate().expect("crypto.getRandomValues works");
    assert_ne!(one.public(), two.public());
    assert!(one.public() < &group().n);
}
