//! Exponentiation modulo one fixed prime: the 3072-bit MODP group of RFC 3526 §4 (RFC 5054 appendix A),
//! which is the SRP group Amazon Cognito uses.
//!
//! This is the hot path of an SRP sign-in in the browser, so it is written for wasm32, where general
//! big-integer crates are slow (no 64×64→128 multiply, allocation in every step):
//!
//! * **28-bit limbs** held in `u32`: a product of two limbs is 56 bits, so a whole column of a product
//!   (at most 220 limb products, see [`montgomery`]) sums in one `u64` with no carry handling in the
//!   inner loop. The loop is a plain dot product, which the wasm `simd128` build does two lanes at a time
//!   (`i64x2.extmul_*_i32x4_u`).
//! * **Montgomery multiplication by product scanning** with `R = 2^3080`. Because `4N < R`, values stay
//!   below `2N` between steps and no step needs a final subtraction ("almost Montgomery").
//! * **Fixed-size arrays**, no heap allocation.
//! * **Secrets wiped**: the window table and accumulators are zeroized before returning (the caller owns
//!   the inputs and the result).
//! * **Constant time in the exponent**: a fixed 5-bit window with a table lookup that reads every entry
//!   ([`pow_mod`]); for the generator 2, square-and-double where the doubling is always computed and
//!   selected by mask ([`pow2_mod`]). Only the exponent's length in bytes shows in the running time.
//!
//! Values cross the interface as 384-byte big-endian arrays; the caller keeps its own number type.

use std::sync::OnceLock;

use zeroize::Zeroize;

/// Bytes of a value modulo N (3072 bits).
pub const BYTES: usize = 384;

const LIMB_BITS: u32 = 28;
const LIMBS: usize = 110; // 110 · 28 = 3080 ≥ 3072 + 2, so 4N < R = 2^3080
const MASK: u32 = (1 << LIMB_BITS) - 1;
const WINDOW_BITS: usize = 5;

/// A number in 28-bit limbs, least significant first; every limb below 2^28.
type Limbs = [u32; LIMBS];

const N_HEX: &[u8] = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
)
.as_bytes();

/// The prime N, big-endian.
pub const N_BE: [u8; BYTES] = hex_to_bytes(N_HEX);
const N: Limbs = bytes_to_limbs(&N_BE);
const TWO_N: Limbs = double_limbs(&N);
/// N with its limbs in reverse order, so the reduction's column sums read both operands forwards.
const N_REV: Limbs = reversed(&N);
/// `−N⁻¹ mod 2^28` (it is 1: N ≡ −1 mod 2^64).
const N_PRIME: u32 = negated_inverse(N[0]);

// ---------------------------------------------------------------------------------------------------------
// Public interface
// ---------------------------------------------------------------------------------------------------------

/// `base^exponent mod N`. `base` is any 3072-bit value (it need not be below N); `exponent` is big-endian
/// of any length. The result is fully reduced.
pub fn pow_mod(base: &[u8; BYTES], exponent: &[u8]) -> [u8; BYTES] {
    let consts = constants();
    let mut base_limbs = bytes_to_limbs(base);
    let base = mont_mul(&base_limbs, &consts.r_squared);
    base_limbs.zeroize();
    let mut table = [consts.r; 1 << WINDOW_BITS];
    table[1] = base;
    for i in 2..table.len() {
        table[i] = if i % 2 == 0 { mont_sqr(&table[i / 2]) } else { mont_mul(&table[i - 1], &base) };
    }
    let exponent = strip_leading_zeros(exponent);
    let bits = exponent.len() * 8;
    let windows = bits.div_ceil(WINDOW_BITS);
    let mut acc = consts.r;
    for w in (0..windows).rev() {
        if w + 1 != windows {
            for _ in 0..WINDOW_BITS {
                acc = mont_sqr(&acc);
            }
        }
        let digit = window(exponent, w * WINDOW_BITS);
        acc = if w + 1 == windows { select(&table, digit) } else { mont_mul(&acc, &select(&table, digit)) };
    }
    let mut result = from_montgomery(&acc);
    let out = limbs_to_bytes(&result);
    // The base and its powers can be secrets (in SRP, B − k·v reveals the verifier): wipe them.
    table.zeroize();
    acc.zeroize();
    result.zeroize();
    out
}

/// `2^exponent mod N`, faster than [`pow_mod`] because multiplying by the generator is a doubling.
pub fn pow2_mod(exponent: &[u8]) -> [u8; BYTES] {
    let mut acc = constants().r;
    for &byte in strip_leading_zeros(exponent) {
        for shift in (0..8).rev() {
            acc = mont_sqr(&acc);
            let doubled = double_mod(&acc, &TWO_N);
            acc = choose((byte >> shift) & 1 == 1, &doubled, &acc);
        }
    }
    let mut result = from_montgomery(&acc);
    let out = limbs_to_bytes(&result);
    acc.zeroize(); // 2^x is the password verifier in SRP
    result.zeroize();
    out
}

// ---------------------------------------------------------------------------------------------------------
// Montgomery arithmetic (R = 2^3080; values in Montgomery form are kept below 2N)
// ---------------------------------------------------------------------------------------------------------

struct Constants {
    /// R mod N: 1 in Montgomery form.
    r: Limbs,
    /// R² mod N: multiplying by it converts into Montgomery form.
    r_squared: Limbs,
}

fn constants() -> &'static Constants {
    static CONSTANTS: OnceLock<Constants> = OnceLock::new();
    CONSTANTS.get_or_init(|| {
        let mut value = [0u32; LIMBS];
        value[0] = 1;
        for _ in 0..LIMBS as u32 * LIMB_BITS {
            value = double_mod(&value, &N);
        }
        let r = value;
        for _ in 0..LIMBS as u32 * LIMB_BITS {
            value = double_mod(&value, &N);
        }
        Constants { r, r_squared: value }
    })
}

/// Sum of `x[i]·y[i]`. Callers keep the sum below 2^64 (at most 256 products of 28-bit limbs).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn dot(x: &[u32], y: &[u32]) -> u64 {
    x.iter().zip(y).map(|(&a, &b)| u64::from(a) * u64::from(b)).sum()
}

/// Sum of `x[i]·y[i]`, four products per step: `extmul` makes two 64-bit products per instruction.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn dot(x: &[u32], y: &[u32]) -> u64 {
    use core::arch::wasm32::{i64x2_add, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4, u64x2_extract_lane};
    use core::arch::wasm32::{u64x2_splat, v128, v128_load};
    let len = x.len().min(y.len());
    let (x, y) = (&x[..len], &y[..len]);
    let mut lanes = u64x2_splat(0);
    let (xs, ys) = (x.chunks_exact(4), y.chunks_exact(4));
    let (x_rest, y_rest) = (xs.remainder(), ys.remainder());
    for (xc, yc) in xs.zip(ys) {
        // SAFETY: each chunk is exactly 16 readable bytes; wasm loads have no alignment requirement.
        let (a, b) = unsafe { (v128_load(xc.as_ptr().cast::<v128>()), v128_load(yc.as_ptr().cast::<v128>())) };
        lanes = i64x2_add(lanes, u64x2_extmul_low_u32x4(a, b));
        lanes = i64x2_add(lanes, u64x2_extmul_high_u32x4(a, b));
    }
    let tail: u64 = x_rest.iter().zip(y_rest).map(|(&a, &b)| u64::from(a) * u64::from(b)).sum();
    u64x2_extract_lane::<0>(lanes) + u64x2_extract_lane::<1>(lanes) + tail
}

/// Montgomery reduction of a double-width product given column by column: `column(i)` is the sum of the
/// limb products of weight 2^(28·i). Returns `product / R mod N`, below 2N when the product is below 4N².
///
/// Column sums stay below 2^64: column i holds at most 110 products of the inputs and 110 of the
/// reduction (`m[j]·N[i−j]`), each below 2^56, so 220·2^56 < 2^63.8, plus a carry below 2^37.
#[inline(always)]
fn montgomery(column: impl Fn(usize) -> u64) -> Limbs {
    let mut m = [0u32; LIMBS];
    let mut out = [0u32; LIMBS];
    let mut acc: u64 = 0;
    for i in 0..LIMBS {
        acc += column(i) + dot(&m[..i], &N_REV[LIMBS - 1 - i..LIMBS - 1]);
        let mi = (acc as u32).wrapping_mul(N_PRIME) & MASK;
        m[i] = mi;
        acc += u64::from(mi) * u64::from(N[0]);
        debug_assert_eq!(acc & u64::from(MASK), 0);
        acc >>= LIMB_BITS;
    }
    for i in LIMBS..2 * LIMBS - 1 {
        acc += column(i) + dot(&m[i + 1 - LIMBS..], &N_REV[..2 * LIMBS - 1 - i]);
        out[i - LIMBS] = acc as u32 & MASK;
        acc >>= LIMB_BITS;
    }
    out[LIMBS - 1] = acc as u32;
    debug_assert!(acc <= u64::from(MASK));
    out
}

/// `a·b / R mod N` (below 2N for inputs below 2N).
fn mont_mul(a: &Limbs, b: &Limbs) -> Limbs {
    let b_rev = reversed(b);
    montgomery(|i| {
        let lo = i.saturating_sub(LIMBS - 1);
        let hi = i.min(LIMBS - 1);
        // b[i − j] = b_rev[LIMBS − 1 − i + j]
        dot(&a[lo..=hi], &b_rev[LIMBS - 1 + lo - i..=LIMBS - 1 + hi - i])
    })
}

/// `a² / R mod N`: each cross product once, doubled.
fn mont_sqr(a: &Limbs) -> Limbs {
    let a_rev = reversed(a);
    montgomery(|i| {
        let lo = i.saturating_sub(LIMBS - 1);
        let end = i.div_ceil(2); // pairs j < i − j
        let cross = if lo < end { dot(&a[lo..end], &a_rev[LIMBS - 1 + lo - i..LIMBS - 1 + end - i]) } else { 0 };
        let middle = if i % 2 == 0 && i / 2 < LIMBS { u64::from(a[i / 2]) * u64::from(a[i / 2]) } else { 0 };
        2 * cross + middle
    })
}

/// Out of Montgomery form and fully reduced: `a / R mod N` in `[0, N)`.
fn from_montgomery(a: &Limbs) -> Limbs {
    let mut one = [0u32; LIMBS];
    one[0] = 1;
    // a·1/R < 2N/R + N, so at most one subtraction of N.
    let value = mont_mul(a, &one);
    let (reduced, borrow) = sub(&value, &N);
    choose(!borrow, &reduced, &value)
}

/// `2a`, minus `modulus` when that does not go negative. Keeps `a < modulus` (or `< 2N` with `TWO_N`).
fn double_mod(a: &Limbs, modulus: &Limbs) -> Limbs {
    let doubled = double_limbs(a);
    let (reduced, borrow) = sub(&doubled, modulus);
    choose(!borrow, &reduced, &doubled)
}

/// `a − b` and whether it borrowed (a < b).
fn sub(a: &Limbs, b: &Limbs) -> (Limbs, bool) {
    let mut out = [0u32; LIMBS];
    let mut borrow = 0u32;
    for i in 0..LIMBS {
        let diff = a[i].wrapping_sub(b[i]).wrapping_sub(borrow);
        out[i] = diff & MASK;
        borrow = diff >> 31;
    }
    (out, borrow == 1)
}

/// `if condition { a } else { b }` without a branch on the condition.
fn choose(condition: bool, a: &Limbs, b: &Limbs) -> Limbs {
    let mask = 0u32.wrapping_sub(u32::from(condition));
    std::array::from_fn(|i| (a[i] & mask) | (b[i] & !mask))
}

/// `table[index]`, reading every entry so the index does not show in memory access.
fn select(table: &[Limbs; 1 << WINDOW_BITS], index: u32) -> Limbs {
    let mut out = [0u32; LIMBS];
    for (i, entry) in table.iter().enumerate() {
        let mask = 0u32.wrapping_sub(u32::from(i as u32 == index));
        for (o, &e) in out.iter_mut().zip(entry) {
            *o |= e & mask;
        }
    }
    out
}

/// The `WINDOW_BITS` bits of a big-endian number starting at bit `low` (bit 0 is the least significant).
fn window(be: &[u8], low: usize) -> u32 {
    (0..WINDOW_BITS).fold(0, |acc, k| {
        let bit = low + k;
        let byte = if bit / 8 < be.len() { be[be.len() - 1 - bit / 8] } else { 0 };
        acc | (u32::from(byte >> (bit % 8)) & 1) << k
    })
}

fn strip_leading_zeros(be: &[u8]) -> &[u8] {
    let first = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    &be[first..]
}

// ---------------------------------------------------------------------------------------------------------
// Conversions (const, so the modulus is computed at compile time)
// ---------------------------------------------------------------------------------------------------------

const fn hex_to_bytes(hex: &[u8]) -> [u8; BYTES] {
    assert!(hex.len() == 2 * BYTES);
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'A'..=b'F' => c - b'A' + 10,
            _ => panic!("upper-case hex expected"),
        }
    }
    let mut out = [0u8; BYTES];
    let mut i = 0;
    while i < BYTES {
        out[i] = nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]);
        i += 1;
    }
    out
}

/// Big-endian bytes (at most 3080 bits) to limbs.
const fn bytes_to_limbs(be: &[u8; BYTES]) -> Limbs {
    let mut out = [0u32; LIMBS];
    let mut k = 0; // byte index from the least significant end
    while k < BYTES {
        let byte = be[BYTES - 1 - k] as u32;
        let bit = k as u32 * 8;
        let (limb, offset) = ((bit / LIMB_BITS) as usize, bit % LIMB_BITS);
        out[limb] |= (byte << offset) & MASK;
        if offset + 8 > LIMB_BITS {
            out[limb + 1] |= byte >> (LIMB_BITS - offset);
        }
        k += 1;
    }
    out
}

/// Limbs of a value below 2^3072 to big-endian bytes.
fn limbs_to_bytes(limbs: &Limbs) -> [u8; BYTES] {
    let mut out = [0u8; BYTES];
    for k in 0..BYTES {
        let bit = k as u32 * 8;
        let (limb, offset) = ((bit / LIMB_BITS) as usize, bit % LIMB_BITS);
        let mut byte = limbs[limb] >> offset;
        if offset + 8 > LIMB_BITS {
            byte |= limbs[limb + 1] << (LIMB_BITS - offset);
        }
        out[BYTES - 1 - k] = byte as u8;
    }
    out
}

const fn double_limbs(a: &Limbs) -> Limbs {
    let mut out = [0u32; LIMBS];
    let mut carry = 0;
    let mut i = 0;
    while i < LIMBS {
        let v = (a[i] << 1) | carry;
        out[i] = v & MASK;
        carry = v >> LIMB_BITS;
        i += 1;
    }
    out
}

const fn reversed(a: &Limbs) -> Limbs {
    let mut out = [0u32; LIMBS];
    let mut i = 0;
    while i < LIMBS {
        out[i] = a[LIMBS - 1 - i];
        i += 1;
    }
    out
}

/// `−n0⁻¹ mod 2^28` for odd `n0` (Newton's iteration doubles the correct bits each step).
const fn negated_inverse(n0: u32) -> u32 {
    let mut inverse: u32 = 1;
    let mut i = 0;
    while i < 5 {
        inverse = inverse.wrapping_mul(2u32.wrapping_sub(n0.wrapping_mul(inverse)));
        i += 1;
    }
    0u32.wrapping_sub(inverse) & MASK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_consistent() {
        assert_eq!(N[0], MASK, "N ends in 64 one bits");
        assert_eq!(N_PRIME, 1);
        assert_eq!(N[0].wrapping_mul(N_PRIME).wrapping_add(1) & MASK, 0);
        assert_eq!(limbs_to_bytes(&N), N_BE);
        assert!(N.iter().all(|&l| l <= MASK));
    }

    #[test]
    fn window_reads_bits_from_the_low_end() {
        assert_eq!(window(&[0b1010_0000, 0b0000_0011], 0), 0b00011);
        assert_eq!(window(&[0b1010_0000, 0b0000_0011], 5), 0b00000);
        assert_eq!(window(&[0b1010_0000, 0b0000_0011], 11), 0b10100);
        assert_eq!(window(&[0xff], 6), 0b11);
    }
}
