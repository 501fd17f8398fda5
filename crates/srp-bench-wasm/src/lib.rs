//! The core's SRP client, exported to JavaScript for the in-browser benchmark (e2e/bench/srp.html).
//! Each function does exactly what the app does at sign-in; the benchmark times them.

use cognito_core::srp::{parse_hex, to_hex, ClientEphemeral};
use wasm_bindgen::prelude::*;

fn ephemeral(a_hex: &str) -> Result<ClientEphemeral, JsError> {
    let a = parse_hex("a", a_hex).map_err(|e| JsError::new(&e.to_string()))?;
    ClientEphemeral::from_secret(a).map_err(|e| JsError::new(&e.to_string()))
}

/// `A = g^a mod N` as hex (the first half of a sign-in).
#[wasm_bindgen]
pub fn srp_a(a_hex: &str) -> Result<String, JsError> {
    Ok(ephemeral(a_hex)?.public_hex())
}

/// The password key (hex) and the PASSWORD_CLAIM_SIGNATURE (the second half). `A` is recomputed from `a`
/// outside the timed part by the caller passing the ephemeral's secret; the key work dominates.
#[wasm_bindgen]
pub struct PreparedLogin {
    ephemeral: ClientEphemeral,
}

#[wasm_bindgen]
impl PreparedLogin {
    #[wasm_bindgen(constructor)]
    pub fn new(a_hex: &str) -> Result<PreparedLogin, JsError> {
        Ok(PreparedLogin { ephemeral: ephemeral(a_hex)? })
    }

    /// Returns `"<key hex> <signature>"`.
    #[allow(clippy::too_many_arguments)]
    pub fn key_and_signature(
        &self,
        pool_name: &str,
        user_id: &str,
        password: &str,
        salt_hex: &str,
        srp_b_hex: &str,
        secret_block: &[u8],
        timestamp: &str,
    ) -> Result<String, JsError> {
        let err = |e: cognito_core::srp::SrpError| JsError::new(&e.to_string());
        let salt = parse_hex("SALT", salt_hex).map_err(err)?;
        let b = parse_hex("SRP_B", srp_b_hex).map_err(err)?;
        let key = self.ephemeral.password_key(pool_name, user_id, password, &salt, &b).map_err(err)?;
        Ok(format!("{} {}", to_hex(&key.0), key.signature(pool_name, user_id, secret_block, timestamp)))
    }
}
