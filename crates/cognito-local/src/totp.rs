//! RFC 6238 time-based one-time passwords (HMAC-SHA1, 30-second steps, 6 digits), as authenticator apps
//! and Cognito's software-token MFA use them, with base32 secrets (RFC 4648, no padding).

use hmac::{Hmac, Mac};
use sha1::Sha1;

pub const STEP_SECONDS: i64 = 30;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.trim_end_matches('=').bytes() {
        let value = BASE32.iter().position(|&x| x == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// The code for a time step, `digits` long (HOTP over the step counter, RFC 4226 truncation).
pub fn code_at(secret: &[u8], step: i64, digits: u32) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&step.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = (hash[19] & 0x0f) as usize;
    let value = u32::from_be_bytes([hash[offset] & 0x7f, hash[offset + 1], hash[offset + 2], hash[offset + 3]]);
    format!("{:0width$}", value % 10u32.pow(digits), width = digits as usize)
}

/// Whether a six-digit code is right at `now`, allowing one step of clock difference either way.
pub fn verify(secret_base32: &str, code: &str, now: i64) -> bool {
    let Some(secret) = base32_decode(secret_base32) else {
        return false;
    };
    if code.len() != 6 || !code.bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let step = now.div_euclid(STEP_SECONDS);
    (step - 1..=step + 1).any(|s| code_at(&secret, s, 6) == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_sha1_vectors() {
        let secret = b"12345678901234567890";
        for (time, expected) in
            [(59, "94287082"), (1_111_111_109, "07081804"), (1_234_567_890, "89005924"), (20_000_000_000, "65353130")]
        {
            assert_eq!(code_at(secret, time / STEP_SECONDS, 8), expected, "T={time}");
        }
    }

    #[test]
    fn base32_round_trip_and_rfc_4648_vectors() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("MZXW6YTBOI======").unwrap(), b"foobar");
        let secret = [7u8; 20];
        assert_eq!(base32_decode(&base32_encode(&secret)).unwrap(), secret);
        assert_eq!(base32_encode(&secret).len(), 32);
        assert!(base32_decode("not base32!").is_none());
    }

    #[test]
    fn verify_accepts_one_step_of_skew_only() {
        let secret = base32_encode(b"12345678901234567890");
        let raw = b"12345678901234567890";
        let now = 1_700_000_000;
        let step = now / STEP_SECONDS;
        assert!(verify(&secret, &code_at(raw, step, 6), now));
        assert!(verify(&secret, &code_at(raw, step - 1, 6), now));
        assert!(verify(&secret, &code_at(raw, step + 1, 6), now));
        assert!(!verify(&secret, &code_at(raw, step + 2, 6), now));
        assert!(!verify(&secret, "12345", now));
        assert!(!verify(&secret, "abcdef", now));
    }
}
