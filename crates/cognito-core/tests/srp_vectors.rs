//! Checks the SRP client against vectors produced by amazon-cognito-identity-js (see
//! e2e/srp-vectors/generate.mjs). Each vector is the library's own login run with fixed `a`, clock and
//! server challenge; we must produce the same SRP_A, u, password key, TIMESTAMP and signature.

mod vectors;

use cognito_core::srp::{group, pad_hex, parse_hex};
use num_bigint::BigInt;

use vectors::{check, load};

#[test]
fn every_reference_vector_matches() {
    let file = load();
    assert!(file.srp.len() >= 50, "need at least 50 vectors, have {}", file.srp.len());
    let failures: Vec<String> =
        file.srp.iter().filter_map(|v| check(v).err().map(|why| format!("{}: {why}", v.name))).collect();
    assert!(failures.is_empty(), "{} of {} vectors failed:\n{}", failures.len(), file.srp.len(), failures.join("\n"));
}

#[test]
fn vectors_cover_the_tricky_inputs() {
    let file = load();
    let top_bit = |hex: &str| {
        let bytes = parse_hex("x", hex).unwrap().to_bytes_be();
        bytes[0] & 0x80 != 0 && hex.len().is_multiple_of(2)
    };
    assert!(file.srp.iter().any(|v| top_bit(&v.salt_hex)), "a salt with its top bit set");
    assert!(file.srp.iter().any(|v| top_bit(&v.srp_b_hex)), "a B with its top bit set");
    assert!(file.srp.iter().any(|v| parse_hex("B", &v.srp_b_hex).unwrap() >= group().n), "a B not below N");
    assert!(file.srp.iter().any(|v| !v.password.is_ascii()), "a non-ASCII password");
    assert!(file.srp.iter().any(|v| v.username != v.user_id_for_srp), "a typed name that is not USER_ID_FOR_SRP");
    let single_digit_days = file.srp.iter().filter(|v| {
        let day = v.expected.timestamp.split(' ').nth(2).unwrap();
        day.len() == 1
    });
    assert!(single_digit_days.count() >= 10, "dates with single-digit days");
}

#[test]
fn k_matches_the_reference() {
    assert_eq!(group().k.to_str_radix(16), load().k);
}

#[test]
fn pad_hex_matches_the_reference_for_positive_and_negative_numbers() {
    let file = load();
    assert!(file.pad_hex.iter().any(|c| c.value.starts_with('-')));
    for case in &file.pad_hex {
        let n = BigInt::parse_bytes(case.value.as_bytes(), 16).unwrap();
        assert_eq!(pad_hex(&n), case.pad_hex, "padHex({})", case.value);
    }
}
