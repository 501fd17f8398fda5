//! RS256 JSON Web Tokens like Cognito's, and the pool's JWKS. As in Cognito, a pool signs id tokens
//! and access tokens with two different keys (two `kid`s in its JWKS).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Map, Value};
use sha2::Sha256;

use crate::ids::random_id;

/// A pool's signing key, parsed once.
pub struct PoolKeys {
    signing: SigningKey<Sha256>,
    verifying: VerifyingKey<Sha256>,
    kid: String,
    modulus: String,
    exponent: String,
}

/// A fresh 2048-bit key as PKCS#8 PEM, and a key id for it.
pub fn generate_key() -> (String, String) {
    let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("RSA key generation");
    let pem = key.to_pkcs8_pem(LineEnding::LF).expect("PKCS#8 encoding").to_string();
    (pem, random_id(43, crate::ids::BASE64URL_ALPHABET))
}

impl PoolKeys {
    pub fn from_pem(pem: &str, kid: &str) -> Result<Self, String> {
        let key = RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| format!("bad signing key: {e}"))?;
        let public = key.to_public_key();
        Ok(PoolKeys {
            modulus: URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
            exponent: URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
            verifying: VerifyingKey::new(public),
            signing: SigningKey::new(key),
            kid: kid.to_string(),
        })
    }

    /// A compact JWT over the claims.
    pub fn sign(&self, claims: &Map<String, Value>) -> String {
        let header = json!({"kid": self.kid, "alg": "RS256"});
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(Value::Object(claims.clone()).to_string())
        );
        let signature: Signature = self.signing.sign(signing_input.as_bytes());
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }

    /// True when the token is a JWT whose header names this key and whose RS256 signature is valid.
    pub fn verify(&self, token: &str) -> bool {
        let Some((signing_input, signature)) = token.rsplit_once('.') else {
            return false;
        };
        let Some((header, _)) = signing_input.split_once('.') else {
            return false;
        };
        let header_ok = URL_SAFE_NO_PAD
            .decode(header)
            .ok()
            .and_then(|h| serde_json::from_slice::<Value>(&h).ok())
            .is_some_and(|h| h["alg"] == "RS256" && h["kid"] == self.kid.as_str());
        let Ok(signature) = URL_SAFE_NO_PAD.decode(signature) else {
            return false;
        };
        let Ok(signature) = Signature::try_from(signature.as_slice()) else {
            return false;
        };
        header_ok && self.verifying.verify(signing_input.as_bytes(), &signature).is_ok()
    }

    /// This key as a JWK.
    fn jwk(&self) -> Value {
        json!({"alg": "RS256", "e": self.exponent, "kid": self.kid, "kty": "RSA", "n": self.modulus, "use": "sig"})
    }

    /// A JWKS holding this key alone.
    pub fn jwks(&self) -> Value {
        json!({"keys": [self.jwk()]})
    }
}

/// A pool's two signing keys: one for id tokens, one for access tokens.
pub struct SigningKeys {
    pub id: PoolKeys,
    pub access: PoolKeys,
}

impl SigningKeys {
    /// The pool's `.well-known/jwks.json`: both keys (one, if a pool saved before the split has one).
    pub fn jwks(&self) -> Value {
        if self.id.kid == self.access.kid {
            return self.id.jwks();
        }
        json!({"keys": [self.id.jwk(), self.access.jwk()]})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies_and_rejects_tampering() {
        let (pem, kid) = generate_key();
        let keys = PoolKeys::from_pem(&pem, &kid).unwrap();
        let mut claims = Map::new();
        claims.insert("sub".into(), json!("abc"));
        claims.insert("exp".into(), json!(10));
        claims.insert("iat".into(), json!(1));
        let token = keys.sign(&claims);
        assert!(keys.verify(&token));
        assert_eq!(cognito_core::jwt::decode_payload(&token).unwrap().sub(), Some("abc"));

        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(r#"{"sub":"evil","exp":10,"iat":1}"#);
        parts[1] = &forged;
        assert!(!keys.verify(&parts.join(".")));
        assert!(!keys.verify("a.b"));
        assert!(!keys.verify(""));

        let (other_pem, _) = generate_key();
        let other = PoolKeys::from_pem(&other_pem, &kid).unwrap();
        assert!(!other.verify(&token));
        assert_eq!(keys.jwks()["keys"][0]["kid"], kid.as_str());
    }
}
