//! Every result checked against num-bigint's general `modpow`, on edge cases and on pseudo-random inputs.

use modp3072::{pow2_mod, pow_mod, BYTES, N_BE};
use num_bigint::BigUint;

fn n() -> BigUint {
    BigUint::from_bytes_be(&N_BE)
}

fn fixed(value: &BigUint) -> [u8; BYTES] {
    let bytes = value.to_bytes_be();
    assert!(bytes.len() <= BYTES);
    let mut out = [0u8; BYTES];
    out[BYTES - bytes.len()..].copy_from_slice(&bytes);
    out
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| {
                self.0 ^= self.0 >> 12;
                self.0 ^= self.0 << 25;
                self.0 ^= self.0 >> 27;
                (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
            })
            .collect()
    }
}

fn check(base: &BigUint, exponent: &[u8]) {
    let expected = base.modpow(&BigUint::from_bytes_be(exponent), &n());
    assert_eq!(
        BigUint::from_bytes_be(&pow_mod(&fixed(base), exponent)),
        expected,
        "base {base:x}, exponent {exponent:02x?}"
    );
}

#[test]
fn edge_cases() {
    let n = n();
    let all_ones = BigUint::from_bytes_be(&[0xff; BYTES]); // 2^3072 − 1, above N
    let bases = [BigUint::ZERO, BigUint::from(1u32), BigUint::from(2u32), &n - 1u32, n.clone(), &n + 1u32, all_ones];
    let exponents: [&[u8]; 8] = [&[], &[0], &[0, 0, 1], &[1], &[2], &[0x1f], &[0x20], &[0xff; 129]];
    for base in &bases {
        for exponent in exponents {
            check(base, exponent);
        }
    }
    // Fermat: a^(N−1) = 1.
    let n_minus_1 = (&n - 1u32).to_bytes_be();
    assert_eq!(BigUint::from_bytes_be(&pow_mod(&fixed(&BigUint::from(12345u32)), &n_minus_1)), BigUint::from(1u32));
}

#[test]
fn random_bases_and_exponents() {
    let n = n();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..24 {
        let base = BigUint::from_bytes_be(&rng.bytes(BYTES)) % &n;
        let exponent = rng.bytes([1, 32, 128, 129, 384][round % 5]);
        check(&base, &exponent);
    }
}

#[test]
fn powers_of_two_match_the_general_routine() {
    let two = BigUint::from(2u32);
    let mut rng = Rng(42);
    let mut exponents: Vec<Vec<u8>> = vec![vec![], vec![0], vec![1], vec![0x80], vec![0xff; 128], vec![0, 0, 7]];
    exponents.extend((0..12).map(|i| rng.bytes([32, 128, 129][i % 3])));
    for exponent in exponents {
        let expected = two.modpow(&BigUint::from_bytes_be(&exponent), &n());
        assert_eq!(BigUint::from_bytes_be(&pow2_mod(&exponent)), expected, "exponent {exponent:02x?}");
    }
}
