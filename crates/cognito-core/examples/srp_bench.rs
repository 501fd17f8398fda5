//! Host-native timings of the SRP client on the first reference vector (the benchmark command compares
//! them with the same code in wasm): `cargo run --release -p cognito-core --example srp_bench -- RUNS`.
//! Prints `{"a": ms, "key": ms}` (medians).

use std::time::Instant;

use cognito_core::srp::{parse_hex, ClientEphemeral};

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(31);
    let text = include_str!("../tests/vectors/srp.json");
    let file: serde_json::Value = serde_json::from_str(text).expect("vectors parse");
    let v = &file["srp"][0];
    let s = |k: &str| v[k].as_str().expect("vector field").to_string();
    let pool_name = s("poolId").split_once('_').expect("pool id").1.to_string();
    let (a, salt, b) = (
        // The `a` length the app generates (srp::CLIENT_EPHEMERAL_BYTES), as in the browser benchmark.
        parse_hex("a", &s("aHex")[..2 * cognito_core::srp::CLIENT_EPHEMERAL_BYTES]).unwrap(),
        parse_hex("s", &s("saltHex")).unwrap(),
        parse_hex("B", &s("srpBHex")).unwrap(),
    );
    let (mut a_times, mut key_times) = (Vec::new(), Vec::new());
    for _ in 0..runs + 3 {
        let t0 = Instant::now();
        let eph = ClientEphemeral::from_secret(a.clone()).expect("A");
        let t1 = Instant::now();
        let key = eph.password_key(&pool_name, &s("userIdForSrp"), &s("password"), &salt, &b).expect("key");
        let _sig = key.signature(&pool_name, &s("userIdForSrp"), b"block", "Mon Jan 5 09:03:07 UTC 2026");
        let t2 = Instant::now();
        a_times.push((t1 - t0).as_secs_f64() * 1000.0);
        key_times.push((t2 - t1).as_secs_f64() * 1000.0);
    }
    let skip = |xs: Vec<f64>| xs.into_iter().skip(3).collect::<Vec<_>>();
    println!("{}", serde_json::json!({"a": median(skip(a_times)), "key": median(skip(key_times))}));
}
