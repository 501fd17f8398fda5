//! Interop probe: computes SRP_A and PASSWORD_CLAIM_SIGNATURE for fixed inputs.
//!
//! ```text
//! echo '{"poolId":"us-east-1_AbC","userIdForSrp":"alice","password":"pw","aHex":"01ab…","saltHex":"8f…",
//!        "srpBHex":"…","secretBlock":"base64…","timestamp":"Mon Jan 5 09:03:07 UTC 2026"}' \
//!   | cargo run -q -p cognito-core --example srp_proof
//! {"srpA":"…","signature":"…"}
//! ```

use std::io::Read;
use std::process::ExitCode;

use cognito_core::srp::{answer_password_verifier, parse_hex, ClientEphemeral, PasswordVerifierChallenge};
use cognito_core::PoolId;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Input {
    pool_id: String,
    user_id_for_srp: String,
    password: String,
    a_hex: String,
    salt_hex: String,
    srp_b_hex: String,
    secret_block: String,
    timestamp: String,
}

fn run() -> Result<String, String> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).map_err(|e| format!("cannot read stdin: {e}"))?;
    let input: Input = serde_json::from_str(&text).map_err(|e| format!("bad input JSON: {e}"))?;
    let pool = PoolId::parse(&input.pool_id).map_err(|e| e.to_string())?;
    let ephemeral = ClientEphemeral::from_secret(parse_hex("aHex", &input.a_hex).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let params = cognito_core::api::string_map([
        ("USER_ID_FOR_SRP", input.user_id_for_srp),
        ("SALT", input.salt_hex),
        ("SRP_B", input.srp_b_hex),
        ("SECRET_BLOCK", input.secret_block),
    ]);
    let challenge = PasswordVerifierChallenge::from_parameters(&params).map_err(|e| e.to_string())?;
    let answer = answer_password_verifier(&ephemeral, pool.pool_name(), &input.password, &challenge, &input.timestamp)
        .map_err(|e| e.to_string())?;
    Ok(serde_json::json!({"srpA": ephemeral.public_hex(), "signature": answer.signature}).to_string())
}

fn main() -> ExitCode {
    match run() {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("srp_proof: {why}");
            ExitCode::FAILURE
        }
    }
}
