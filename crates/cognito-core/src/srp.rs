//! SRP-6a as Amazon Cognito does it (`USER_SRP_AUTH` / `PASSWORD_VERIFIER`).
//!
//! Cognito's variant differs from RFC 5054 in the details that matter for interop, all modelled here:
//! values are hashed in their *padded hex* form ([`padded_bytes`]), `x` mixes in the pool name and the
//! `USER_ID_FOR_SRP`, the session key goes through an HKDF step ("Caldera Derived Key", 16 bytes), and the
//! proof is an HMAC signature over pool name, user id, secret block and a timestamp.
//!
//! The client half ([`ClientEphemeral`], [`PasswordKey::signature`]) is what the browser runs; the server
//! half ([`verifier`], [`ServerEphemeral`], [`PasswordKey::verify_signature`]) is what the local server runs.

use std::fmt;
use std::sync::OnceLock;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use num_bigint::{BigInt, BigUint, Sign};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::sign_in::key;

type HmacSha256 = Hmac<Sha256>;

/// Length of the server's private ephemeral `b` in bytes (as Cognito's clients use for `a`).
pub const EPHEMERAL_BYTES: usize = 128;

/// Length of the client's private ephemeral `a` in bytes: 512 bits. The group (3072-bit MODP) gives at
/// most 128-bit security, and a private exponent of twice that (256 bits) is what NIST SP 800-56A asks for
/// safe-prime groups; 512 bits keep a margin of two. It is also the length of `u·x` (two SHA-256 values), so
/// the exponent `a + u·x` of the sign-in's big exponentiation is ~513 bits instead of the ~1024 that
/// amazon-cognito-identity-js's 128-byte `a` gives: half the squarings on the path between the server's
/// challenge and our answer, and half the cost of `A = g^a`. The server cannot tell (it sees only `A`).
pub const CLIENT_EPHEMERAL_BYTES: usize = 64;

/// Longest hex value accepted from the other side (a 3072-bit number is 768 digits; leave room for padding).
const MAX_HEX_DIGITS: usize = 1024;

/// The group: prime `N` (RFC 5054 / RFC 3526, 3072 bits), generator `g = 2` and the multiplier `k = H(pad(N) ‖ pad(g))`.
pub struct Group {
    pub n: BigUint,
    pub g: BigUint,
    pub k: BigUint,
}

/// The one group, computed once.
pub fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        let n = BigUint::from_bytes_be(&modp3072::N_BE);
        let g = BigUint::from(2u32);
        let k = hash_to_int(&[&padded_bytes_unsigned(&n), &padded_bytes_unsigned(&g)]);
        Group { n, g, k }
    })
}

/// `g^exponent mod N` (g = 2), by the fixed-size arithmetic of [`modp3072`].
pub fn g_pow(exponent: &BigUint) -> BigUint {
    let mut exponent = Zeroizing::new(exponent.to_bytes_be());
    let mut result = modp3072::pow2_mod(&exponent);
    let value = BigUint::from_bytes_be(&result);
    exponent.zeroize();
    result.zeroize();
    value
}

/// Runs the whole password step ([`ClientEphemeral::password_key`] and the signature) once on throwaway
/// inputs, so a browser's wasm compiler has optimized its code before the real sign-in needs it: in a fresh
/// page that code otherwise first runs as baseline code, about twice as slow, while the user waits. Nothing
/// secret is involved. Returns the signature so the work cannot be optimized away.
pub fn exercise() -> String {
    let a = (BigUint::from(1u32) << 511u32) + 12_345u32;
    let Ok(ephemeral) = ClientEphemeral::from_secret(a) else { return String::new() };
    let (salt, big_b) = (BigUint::from(0x5a17u32), (BigUint::from(1u32) << 3000u32) + 7u32);
    match ephemeral.password_key("Exercise", "exercise", "not-a-password", &salt, &big_b) {
        Ok(key) => key.signature("Exercise", "exercise", &[0u8; 64], "Mon Jan 1 00:00:00 UTC 2024"),
        Err(_) => String::new(),
    }
}

/// Overwrites a secret number's digits with zeros where they are stored. num-bigint has no zeroize support;
/// clearing and refilling with as many zero digits reuses the same storage, so the old digits are gone
/// before the memory is freed (best effort: the compiler may not see a use of the zeros, but the
/// normalisation that follows reads them).
pub fn wipe(n: &mut BigUint) {
    let digits = (n.bits() as usize).div_ceil(32);
    n.assign_from_slice(&vec![0u32; digits]);
}

/// `base^exponent mod N` for any base (reduced mod N first), by the fixed-size arithmetic of [`modp3072`].
pub fn pow_mod_n(base: &BigUint, exponent: &BigUint) -> BigUint {
    let mut reduced = base % &group().n;
    let reduced_bytes = Zeroizing::new(reduced.to_bytes_be());
    wipe(&mut reduced);
    let mut fixed = Zeroizing::new([0u8; modp3072::BYTES]);
    fixed[modp3072::BYTES - reduced_bytes.len()..].copy_from_slice(&reduced_bytes);
    let exponent = Zeroizing::new(exponent.to_bytes_be());
    let result = Zeroizing::new(modp3072::pow_mod(&fixed, &exponent));
    BigUint::from_bytes_be(&*result)
}

/// Why an SRP step refused to go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SrpError {
    /// A value from the other side is not hex (or is absurdly long). Names the field.
    InvalidHex(&'static str),
    /// `SECRET_BLOCK` is not valid base64.
    InvalidSecretBlock,
    /// A challenge parameter is missing. Names it.
    MissingParameter(&'static str),
    /// The server's `B` is 0 mod N: continuing would leak the password's verifier.
    IllegalB,
    /// The client's `A` is 0 mod N.
    IllegalA,
    /// `u = H(A ‖ B)` is 0.
    IllegalU,
    /// The system's random source failed.
    Random(String),
}

impl fmt::Display for SrpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SrpError::InvalidHex(field) => write!(f, "{field} is not a valid hex number"),
            SrpError::InvalidSecretBlock => f.write_str("SECRET_BLOCK is not valid base64"),
            SrpError::MissingParameter(name) => write!(f, "challenge parameter {name} is missing"),
            SrpError::IllegalB => f.write_str("illegal SRP parameter: B mod N is 0"),
            SrpError::IllegalA => f.write_str("illegal SRP parameter: A mod N is 0"),
            SrpError::IllegalU => f.write_str("illegal SRP parameter: u is 0"),
            SrpError::Random(why) => write!(f, "random number generator failed: {why}"),
        }
    }
}

impl std::error::Error for SrpError {}

// ---------------------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------------------

/// Cognito's `padHex` of a non-negative number, as bytes: big-endian magnitude (zero is one `00` byte) with a
/// `00` byte in front when the top bit is set, so the value reads as positive in two's complement.
pub fn padded_bytes_unsigned(n: &BigUint) -> Vec<u8> {
    let mut bytes = n.to_bytes_be();
    if bytes[0] & 0x80 != 0 {
        bytes.insert(0, 0);
    }
    bytes
}

/// Cognito's `padHex` of any integer, as bytes. Negative numbers take the two's-complement form the
/// reference client computes: pad |n| as above, flip every bit, add one, and drop a leading `FF` byte when
/// the result starts `FF8` (only −0x80·256ⁱ, whose shortest form is `80 00…`).
pub fn padded_bytes(n: &BigInt) -> Vec<u8> {
    let magnitude = padded_bytes_unsigned(n.magnitude());
    if n.sign() != Sign::Minus {
        return magnitude;
    }
    let mut bytes: Vec<u8> = magnitude.iter().map(|b| !b).collect();
    for byte in bytes.iter_mut().rev() {
        let (sum, carry) = byte.overflowing_add(1);
        *byte = sum;
        if !carry {
            break;
        }
    }
    if bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] >> 4 == 0x8 {
        bytes.remove(0);
    }
    bytes
}

/// `padHex` as lowercase hex text.
pub fn pad_hex(n: &BigInt) -> String {
    to_hex(&padded_bytes(n))
}

/// Lowercase hex of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0xf) as usize] as char);
    }
    out
}

/// Parses a hex number sent by the other side (any case, odd length allowed, no sign, no separators).
pub fn parse_hex(field: &'static str, hex: &str) -> Result<BigUint, SrpError> {
    if hex.is_empty() || hex.len() > MAX_HEX_DIGITS || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Err(SrpError::InvalidHex(field));
    }
    BigUint::parse_bytes(hex.as_bytes(), 16).ok_or(SrpError::InvalidHex(field))
}

fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

fn hash_to_int(parts: &[&[u8]]) -> BigUint {
    BigUint::from_bytes_be(&sha256(parts))
}

// ---------------------------------------------------------------------------------------------------------
// Shared formulas
// ---------------------------------------------------------------------------------------------------------

/// `u = H(pad(A) ‖ pad(B))`, with `B` exactly as the server sent it (not reduced).
pub fn scrambling_parameter(big_a: &BigUint, big_b: &BigUint) -> BigUint {
    hash_to_int(&[&padded_bytes_unsigned(big_a), &padded_bytes_unsigned(big_b)])
}

/// `x = H(pad(salt) ‖ H(poolName ‖ userId ‖ ":" ‖ password))`, strings as UTF-8.
pub fn private_key(pool_name: &str, user_id: &str, password: &str, salt: &BigUint) -> BigUint {
    let identity = Zeroizing::new(sha256(&[pool_name.as_bytes(), user_id.as_bytes(), b":", password.as_bytes()]));
    hash_to_int(&[&padded_bytes_unsigned(salt), &*identity])
}

/// The 16-byte key both sides derive from the shared secret `S`:
/// `HMAC(HMAC(key = pad(u), pad(S)), "Caldera Derived Key" ‖ 0x01)[..16]`.
pub fn derive_password_key(u: &BigUint, s: &BigUint) -> PasswordKey {
    let mut extract = HmacSha256::new_from_slice(&padded_bytes_unsigned(u)).expect("HMAC takes any key length");
    extract.update(&Zeroizing::new(padded_bytes_unsigned(s)));
    let mut prk = extract.finalize().into_bytes();
    let mut expand = HmacSha256::new_from_slice(&prk).expect("HMAC takes any key length");
    expand.update(b"Caldera Derived Key\x01");
    let mut okm = expand.finalize().into_bytes();
    let mut key = [0u8; 16];
    key.copy_from_slice(&okm[..16]);
    prk.as_mut_slice().zeroize();
    okm.as_mut_slice().zeroize();
    PasswordKey(key)
}

/// The key that proves knowledge of the password ("hkdf" in the reference client).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordKey(pub [u8; 16]);

impl Drop for PasswordKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for PasswordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordKey(..)")
    }
}

impl PasswordKey {
    fn signature_mac(&self, pool_name: &str, user_id: &str, secret_block: &[u8], timestamp: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(pool_name.as_bytes());
        mac.update(user_id.as_bytes());
        mac.update(secret_block);
        mac.update(timestamp.as_bytes());
        mac
    }

    /// `PASSWORD_CLAIM_SIGNATURE`: base64 of HMAC(key, poolName ‖ userId ‖ secretBlock ‖ timestamp), where
    /// `secret_block` is the *decoded* `SECRET_BLOCK`.
    pub fn signature(&self, pool_name: &str, user_id: &str, secret_block: &[u8], timestamp: &str) -> String {
        let mac = self.signature_mac(pool_name, user_id, secret_block, timestamp);
        BASE64.encode(mac.finalize().into_bytes())
    }

    /// Server side: checks a claimed signature in constant time. Malformed base64 is simply "no".
    pub fn verify_signature(
        &self,
        pool_name: &str,
        user_id: &str,
        secret_block: &[u8],
        timestamp: &str,
        claimed_signature: &str,
    ) -> bool {
        let Ok(claimed) = BASE64.decode(claimed_signature) else {
            return false;
        };
        self.signature_mac(pool_name, user_id, secret_block, timestamp).verify_slice(&claimed).is_ok()
    }
}

fn random_ephemeral<const BYTES: usize>() -> Result<BigUint, SrpError> {
    let mut bytes = [0u8; BYTES];
    getrandom::fill(&mut bytes).map_err(|e| SrpError::Random(e.to_string()))?;
    Ok(BigUint::from_bytes_be(&bytes))
}

// ---------------------------------------------------------------------------------------------------------
// Client half
// ---------------------------------------------------------------------------------------------------------

/// The client's ephemeral pair `a`, `A = g^a mod N`. Make it ahead of time (it is the slow half) and use it
/// for exactly one login attempt.
pub struct ClientEphemeral {
    a: BigUint,
    big_a: BigUint,
}

/// `a` is wiped when the ephemeral goes (after its one login attempt).
impl Drop for ClientEphemeral {
    fn drop(&mut self) {
        wipe(&mut self.a);
    }
}

impl fmt::Debug for ClientEphemeral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientEphemeral").field("A", &self.public_hex()).finish_non_exhaustive()
    }
}

impl ClientEphemeral {
    /// A fresh `a` of [`CLIENT_EPHEMERAL_BYTES`] random bytes from the system CSPRNG.
    pub fn generate() -> Result<Self, SrpError> {
        Self::from_secret(random_ephemeral::<CLIENT_EPHEMERAL_BYTES>()?)
    }

    /// A given `a` (tests and test vectors). Fails when `A mod N = 0`.
    pub fn from_secret(a: BigUint) -> Result<Self, SrpError> {
        let big_a = g_pow(&a);
        if big_a == BigUint::ZERO {
            return Err(SrpError::IllegalA);
        }
        Ok(ClientEphemeral { a, big_a })
    }

    pub fn public(&self) -> &BigUint {
        &self.big_a
    }

    /// `SRP_A` as sent in InitiateAuth: plain lowercase hex, no padding.
    pub fn public_hex(&self) -> String {
        self.big_a.to_str_radix(16)
    }

    /// The password key from the server's `SALT` and `SRP_B`.
    /// `S = (B − k·g^x)^(a + u·x) mod N`, the base reduced into `[0, N)` first.
    pub fn password_key(
        &self,
        pool_name: &str,
        user_id: &str,
        password: &str,
        salt: &BigUint,
        big_b: &BigUint,
    ) -> Result<PasswordKey, SrpError> {
        let grp = group();
        let b_mod_n = big_b % &grp.n;
        if b_mod_n == BigUint::ZERO {
            return Err(SrpError::IllegalB);
        }
        let u = scrambling_parameter(&self.big_a, big_b);
        if u == BigUint::ZERO {
            return Err(SrpError::IllegalU);
        }
        let mut x = private_key(pool_name, user_id, password, salt);
        let mut verifier = g_pow(&x);
        let mut k_gx = (&grp.k * &verifier) % &grp.n;
        let mut base = (b_mod_n + &grp.n - &k_gx) % &grp.n;
        let mut exponent = &self.a + &u * &x;
        let mut s = pow_mod_n(&base, &exponent);
        let key = derive_password_key(&u, &s);
        for secret in [&mut x, &mut verifier, &mut k_gx, &mut base, &mut exponent, &mut s] {
            wipe(secret);
        }
        Ok(key)
    }
}

// ---------------------------------------------------------------------------------------------------------
// The PASSWORD_VERIFIER step as a whole
// ---------------------------------------------------------------------------------------------------------

/// What the server sends with the `PASSWORD_VERIFIER` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordVerifierChallenge {
    pub user_id_for_srp: String,
    pub salt: BigUint,
    pub srp_b: BigUint,
    /// `SECRET_BLOCK` as sent (base64); it is echoed back verbatim.
    pub secret_block: String,
    pub secret_block_bytes: Vec<u8>,
}

impl PasswordVerifierChallenge {
    /// Reads the challenge parameters map of an InitiateAuth answer.
    pub fn from_parameters(params: &std::collections::BTreeMap<String, String>) -> Result<Self, SrpError> {
        let get =
            |name: &'static str| params.get(name).filter(|v| !v.is_empty()).ok_or(SrpError::MissingParameter(name));
        let secret_block = get(key::SECRET_BLOCK)?.clone();
        let secret_block_bytes = BASE64.decode(&secret_block).map_err(|_| SrpError::InvalidSecretBlock)?;
        Ok(PasswordVerifierChallenge {
            user_id_for_srp: get(key::USER_ID_FOR_SRP)?.clone(),
            salt: parse_hex(key::SALT, get(key::SALT)?)?,
            srp_b: parse_hex(key::SRP_B, get(key::SRP_B)?)?,
            secret_block,
            secret_block_bytes,
        })
    }
}

/// The `ChallengeResponses` answering `PASSWORD_VERIFIER`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordVerifierAnswer {
    /// USER_ID_FOR_SRP: also the user id under which the session is stored.
    pub username: String,
    pub secret_block: String,
    pub timestamp: String,
    pub signature: String,
}

impl PasswordVerifierAnswer {
    pub fn into_challenge_responses(self) -> std::collections::BTreeMap<String, String> {
        crate::api::string_map([
            (key::USERNAME, self.username),
            (key::PASSWORD_CLAIM_SECRET_BLOCK, self.secret_block),
            (key::TIMESTAMP, self.timestamp),
            (key::PASSWORD_CLAIM_SIGNATURE, self.signature),
        ])
    }
}

/// Computes the whole answer: key from password, then the signature over the given timestamp
/// (see [`crate::timestamp::cognito_timestamp`]).
pub fn answer_password_verifier(
    ephemeral: &ClientEphemeral,
    pool_name: &str,
    password: &str,
    challenge: &PasswordVerifierChallenge,
    timestamp: &str,
) -> Result<PasswordVerifierAnswer, SrpError> {
    let user_id = &challenge.user_id_for_srp;
    let key = ephemeral.password_key(pool_name, user_id, password, &challenge.salt, &challenge.srp_b)?;
    Ok(PasswordVerifierAnswer {
        username: user_id.clone(),
        secret_block: challenge.secret_block.clone(),
        timestamp: timestamp.to_string(),
        signature: key.signature(pool_name, user_id, &challenge.secret_block_bytes, timestamp),
    })
}

// ---------------------------------------------------------------------------------------------------------
// Server half
// ---------------------------------------------------------------------------------------------------------

/// The verifier stored at sign-up instead of the password: `v = g^x mod N`.
pub fn verifier(pool_name: &str, user_id: &str, password: &str, salt: &BigUint) -> BigUint {
    g_pow(&private_key(pool_name, user_id, password, salt))
}

/// The server's ephemeral pair `b`, `B = (k·v + g^b) mod N` for one user's verifier.
pub struct ServerEphemeral {
    b: BigUint,
    big_b: BigUint,
}

impl fmt::Debug for ServerEphemeral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerEphemeral").field("B", &self.public_hex()).finish_non_exhaustive()
    }
}

impl ServerEphemeral {
    pub fn generate(verifier: &BigUint) -> Result<Self, SrpError> {
        Ok(Self::from_secret(random_ephemeral::<EPHEMERAL_BYTES>()?, verifier))
    }

    pub fn from_secret(b: BigUint, verifier: &BigUint) -> Self {
        let grp = group();
        let big_b = (&grp.k * verifier + g_pow(&b)) % &grp.n;
        ServerEphemeral { b, big_b }
    }

    /// The secret `b`, so a server can keep it between InitiateAuth and RespondToAuthChallenge.
    pub fn secret(&self) -> &BigUint {
        &self.b
    }

    pub fn public(&self) -> &BigUint {
        &self.big_b
    }

    /// `SRP_B` as sent: plain lowercase hex.
    pub fn public_hex(&self) -> String {
        self.big_b.to_str_radix(16)
    }

    /// The password key from the client's `A`: `S = (A·v^u)^b mod N`.
    pub fn password_key(&self, big_a: &BigUint, verifier: &BigUint) -> Result<PasswordKey, SrpError> {
        let grp = group();
        if big_a % &grp.n == BigUint::ZERO {
            return Err(SrpError::IllegalA);
        }
        let u = scrambling_parameter(big_a, &self.big_b);
        if u == BigUint::ZERO {
            return Err(SrpError::IllegalU);
        }
        let base = (big_a * pow_mod_n(verifier, &u)) % &grp.n;
        let s = pow_mod_n(&base, &self.b);
        Ok(derive_password_key(&u, &s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(hex: &str) -> BigUint {
        BigUint::parse_bytes(hex.as_bytes(), 16).unwrap()
    }

    #[test]
    fn pad_hex_of_non_negative_numbers() {
        assert_eq!(pad_hex(&BigInt::from(0)), "00");
        assert_eq!(pad_hex(&BigInt::from(0x7f)), "7f");
        assert_eq!(pad_hex(&BigInt::from(0x80)), "0080");
        assert_eq!(pad_hex(&BigInt::from(0xabc)), "0abc");
        assert_eq!(pad_hex(&BigInt::from(0x8abc)), "008abc");
    }

    #[test]
    fn pad_hex_of_negative_numbers_is_shortest_twos_complement() {
        assert_eq!(pad_hex(&BigInt::from(-1)), "ff");
        assert_eq!(pad_hex(&BigInt::from(-0x7f)), "81");
        assert_eq!(pad_hex(&BigInt::from(-0x80)), "80");
        assert_eq!(pad_hex(&BigInt::from(-0x81)), "ff7f");
        assert_eq!(pad_hex(&BigInt::from(-0x100)), "ff00");
        assert_eq!(pad_hex(&BigInt::from(-0x8000)), "8000");
    }

    #[test]
    fn k_matches_the_reference_client() {
        // k as printed by amazon-cognito-identity-js (helper.k.toString(16)).
        assert_eq!(group().k.to_str_radix(16), "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6");
    }

    #[test]
    fn client_and_server_derive_the_same_key_only_with_the_right_password() {
        let salt = int("f0e1d2c3b4a5968778695a4b3c2d1e0f");
        let v = verifier("AbCdEf123", "alice", "Correct horse 1!", &salt);
        let server = ServerEphemeral::from_secret(int("1234567890abcdef".repeat(16).as_str()), &v);
        let client = ClientEphemeral::from_secret(int("fedcba0987654321".repeat(16).as_str())).unwrap();

        let server_key = server.password_key(client.public(), &v).unwrap();
        let right = client.password_key("AbCdEf123", "alice", "Correct horse 1!", &salt, server.public()).unwrap();
        let wrong = client.password_key("AbCdEf123", "alice", "Correct horse 1?", &salt, server.public()).unwrap();
        assert_eq!(right, server_key);
        assert_ne!(wrong, server_key);

        let block = b"opaque secret block";
        let ts = "Mon Jan 5 09:03:07 UTC 2026";
        let sig = right.signature("AbCdEf123", "alice", block, ts);
        assert!(server_key.verify_signature("AbCdEf123", "alice", block, ts, &sig));
        let wrong_sig = wrong.signature("AbCdEf123", "alice", block, ts);
        assert!(!server_key.verify_signature("AbCdEf123", "alice", block, ts, &wrong_sig));
        assert!(!server_key.verify_signature("AbCdEf123", "alice", block, "Mon Jan 5 09:03:08 UTC 2026", &sig));
        assert!(!server_key.verify_signature("AbCdEf123", "alice", block, ts, "not base64!"));
    }

    #[test]
    fn b_equal_to_zero_mod_n_is_refused() {
        let client = ClientEphemeral::from_secret(BigUint::from(12345u32)).unwrap();
        let salt = BigUint::from(1u32);
        for b in [BigUint::ZERO, group().n.clone(), &group().n * 2u32] {
            assert_eq!(client.password_key("p", "u", "pw", &salt, &b), Err(SrpError::IllegalB));
        }
    }

    #[test]
    fn a_equal_to_zero_mod_n_is_refused_by_the_server() {
        let v = BigUint::from(7u32);
        let server = ServerEphemeral::from_secret(BigUint::from(99u32), &v);
        assert_eq!(server.password_key(&group().n, &v), Err(SrpError::IllegalA));
        assert_eq!(server.password_key(&BigUint::ZERO, &v), Err(SrpError::IllegalA));
    }

    #[test]
    fn generated_ephemerals_are_random_and_in_range() {
        let one = ClientEphemeral::generate().unwrap();
        let two = ClientEphemeral::generate().unwrap();
        assert_ne!(one.public(), two.public());
        assert!(one.public() < &group().n);
        assert!(one.a.bits() <= (CLIENT_EPHEMERAL_BYTES * 8) as u64);
        // Not short by accident: 512 random bits have fewer than 480 with probability 2^-32.
        assert!(one.a.bits() > 480 && two.a.bits() > 480, "{} {}", one.a.bits(), two.a.bits());
    }

    #[test]
    fn parse_hex_rejects_what_is_not_plain_hex() {
        assert_eq!(parse_hex("SRP_B", "0aBc").unwrap(), BigUint::from(0xabcu32));
        assert_eq!(parse_hex("SRP_B", "abc").unwrap(), BigUint::from(0xabcu32));
        for bad in ["", "12_34", "-12", "0x12", "12 ", "zz"] {
            assert_eq!(parse_hex("SRP_B", bad), Err(SrpError::InvalidHex("SRP_B")), "{bad:?}");
        }
        assert!(parse_hex("SALT", &"f".repeat(MAX_HEX_DIGITS + 1)).is_err());
    }

    #[test]
    fn challenge_parameters_are_read_and_checked() {
        let mut params = crate::api::string_map([
            ("USER_ID_FOR_SRP", "alice".to_string()),
            ("SALT", "8a".to_string()),
            ("SRP_B", "ff01".to_string()),
            ("SECRET_BLOCK", "AAEC".to_string()),
            ("USERNAME", "alice".to_string()),
        ]);
        let challenge = PasswordVerifierChallenge::from_parameters(&params).unwrap();
        assert_eq!(challenge.secret_block_bytes, vec![0, 1, 2]);
        assert_eq!(challenge.salt, BigUint::from(0x8au32));

        params.insert("SECRET_BLOCK".into(), "%%%".into());
        assert_eq!(PasswordVerifierChallenge::from_parameters(&params), Err(SrpError::InvalidSecretBlock));
        params.insert("SECRET_BLOCK".into(), "AAEC".into());
        params.remove("SRP_B");
        assert_eq!(PasswordVerifierChallenge::from_parameters(&params), Err(SrpError::MissingParameter("SRP_B")));
    }

    #[test]
    fn wipe_zeroes_secrets_in_place() {
        let mut secret = BigUint::from_bytes_be(&[0xab; EPHEMERAL_BYTES]);
        wipe(&mut secret);
        assert_eq!(secret, BigUint::ZERO);
        let mut small = BigUint::from(7u32);
        wipe(&mut small);
        assert_eq!(small, BigUint::ZERO);
    }
}
