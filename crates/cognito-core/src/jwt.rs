//! Reading a JWT's payload without checking its signature (the browser has no reason to: it got the token
//! from Cognito over TLS, and the API that receives it verifies it). Anything malformed is an error, never a
//! panic: stored tokens may be corrupt.

use std::fmt;

use crate::json::Json;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;

/// Longest token accepted; real Cognito tokens are 1–4 kB.
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtError {
    TooLong,
    NotThreeParts,
    NotBase64Url,
    NotJsonObject,
    /// A claim the app needs is missing or has the wrong type. Names it.
    BadClaim(&'static str),
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwtError::TooLong => f.write_str("token is too long"),
            JwtError::NotThreeParts => f.write_str("token is not three dot-separated parts"),
            JwtError::NotBase64Url => f.write_str("token payload is not base64url"),
            JwtError::NotJsonObject => f.write_str("token payload is not a JSON object"),
            JwtError::BadClaim(name) => write!(f, "token claim {name} is missing or malformed"),
        }
    }
}

impl std::error::Error for JwtError {}

/// A decoded payload with typed access to the claims the app uses; `exp` and `iat` are required.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims {
    payload: Json,
    exp: i64,
    iat: i64,
}

/// Decodes the payload (middle part) of a compact JWT.
pub fn decode_payload(token: &str) -> Result<Claims, JwtError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(JwtError::TooLong);
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::NotThreeParts);
    };
    if header.is_empty() || payload.is_empty() {
        return Err(JwtError::NotThreeParts);
    }
    let bytes =
        URL_SAFE_NO_PAD.decode(payload).or_else(|_| URL_SAFE.decode(payload)).map_err(|_| JwtError::NotBase64Url)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| JwtError::NotJsonObject)?;
    let payload = match crate::json::parse(text) {
        Ok(payload @ Json::Object(_)) => payload,
        _ => return Err(JwtError::NotJsonObject),
    };
    let exp = numeric_date(&payload, "exp")?;
    let iat = numeric_date(&payload, "iat")?;
    Ok(Claims { payload, exp, iat })
}

/// A NumericDate claim: seconds since the epoch, fractions dropped.
fn numeric_date(payload: &Json, name: &'static str) -> Result<i64, JwtError> {
    payload.get(name).and_then(Json::as_i64).ok_or(JwtError::BadClaim(name))
}

impl Claims {
    /// Expiry, seconds since the epoch.
    pub fn exp(&self) -> i64 {
        self.exp
    }

    /// Issued-at, seconds since the epoch.
    pub fn iat(&self) -> i64 {
        self.iat
    }

    /// A string claim.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.payload.get(name).and_then(Json::as_str)
    }

    pub fn sub(&self) -> Option<&str> {
        self.str("sub")
    }

    /// `id` or `access`.
    pub fn token_use(&self) -> Option<&str> {
        self.str("token_use")
    }

    /// Present on tokens of pools with token revocation; RevokeToken needs it.
    pub fn origin_jti(&self) -> Option<&str> {
        self.str("origin_jti")
    }

    /// The app client the token was issued to: `aud` on id tokens, `client_id` on access tokens.
    pub fn client_id(&self) -> Option<&str> {
        self.str("client_id").or_else(|| self.str("aud"))
    }

    /// `cognito:username` on id tokens, `username` on access tokens.
    pub fn username(&self) -> Option<&str> {
        self.str("cognito:username").or_else(|| self.str("username"))
    }

    /// `cognito:groups`, empty when absent.
    pub fn groups(&self) -> Vec<String> {
        let items = self.payload.get("cognito:groups").and_then(Json::as_array).unwrap_or_default();
        items.iter().filter_map(Json::as_str).map(str::to_string).collect()
    }

    /// The identity provider a federated user signed in with (`identities[0].providerName` of an id
    /// token, e.g. `Google` for a `Google_…` user); None for the pool's own users.
    pub fn provider(&self) -> Option<&str> {
        let first = self.payload.get("identities").and_then(Json::as_array)?.first()?;
        first.get("providerName").and_then(Json::as_str).filter(|p| !p.is_empty())
    }

    /// Whether an access token's `scope` (space-separated) grants `name`.
    pub fn has_scope(&self, name: &str) -> bool {
        self.str("scope").is_some_and(|s| s.split(' ').any(|s| s == name))
    }

    /// An access token issued at managed login (its OAuth scopes include `openid`, which the API's own
    /// sign-ins never grant).
    pub fn from_managed_login(&self) -> bool {
        self.has_scope("openid")
    }

    /// Every claim, for display.
    pub fn all(&self) -> &Json {
        &self.payload
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn federated_and_managed_login_claims() {
        let id = decode_payload(&token(
            r#"{"exp":2,"iat":1,"identities":[{"userId":"1","providerName":"Google","providerType":"Google"}]}"#,
        ))
        .unwrap();
        assert_eq!(id.provider(), Some("Google"));
        for plain in
            [r#"{"exp":2,"iat":1}"#, r#"{"exp":2,"iat":1,"identities":"[]"}"#, r#"{"exp":2,"iat":1,"identities":[]}"#]
        {
            assert_eq!(decode_payload(&token(plain)).unwrap().provider(), None, "{plain}");
        }
        let hosted =
            decode_payload(&token(r#"{"exp":2,"iat":1,"scope":"openid email aws.cognito.signin.user.admin"}"#));
        assert!(hosted.unwrap().from_managed_login());
        let api = decode_payload(&token(r#"{"exp":2,"iat":1,"scope":"aws.cognito.signin.user.admin"}"#)).unwrap();
        assert!(!api.from_managed_login());
        assert!(api.has_scope("aws.cognito.signin.user.admin") && !api.has_scope("aws.cognito"));
    }

    fn token(payload: &str) -> String {
        format!("eyJhbGciOiJSUzI1NiJ9.{}.c2ln", URL_SAFE_NO_PAD.encode(payload))
    }

    #[test]
    fn reads_cognito_claims() {
        let t = token(
            r#"{"sub":"s-1","token_use":"id","aud":"client1","exp":1700003600,"iat":1700000000,
                "origin_jti":"o-1","cognito:username":"alice","cognito:groups":["admin","staff"],"name":"Älice"}"#,
        );
        let c = decode_payload(&t).unwrap();
        assert_eq!((c.exp(), c.iat()), (1_700_003_600, 1_700_000_000));
        assert_eq!(c.sub(), Some("s-1"));
        assert_eq!(c.token_use(), Some("id"));
        assert_eq!(c.client_id(), Some("client1"));
        assert_eq!(c.origin_jti(), Some("o-1"));
        assert_eq!(c.username(), Some("alice"));
        assert_eq!(c.groups(), vec!["admin", "staff"]);
        assert_eq!(c.str("name"), Some("Älice"));
    }

    #[test]
    fn access_token_claims() {
        let c = decode_payload(&token(r#"{"client_id":"c2","username":"bob","exp":2,"iat":1.0}"#)).unwrap();
        assert_eq!(c.client_id(), Some("c2"));
        assert_eq!(c.username(), Some("bob"));
        assert!(c.groups().is_empty());
        assert_eq!(c.iat(), 1);
    }

    #[test]
    fn padded_base64_is_accepted() {
        let payload = URL_SAFE.encode(r#"{"exp":10,"iat":12}"#);
        assert!(payload.ends_with('='));
        assert_eq!(decode_payload(&format!("h.{payload}.s")).unwrap().exp(), 10);
    }

    #[test]
    fn malformed_tokens_are_errors() {
        assert_eq!(decode_payload(""), Err(JwtError::NotThreeParts));
        assert_eq!(decode_payload("a.b"), Err(JwtError::NotThreeParts));
        assert_eq!(decode_payload("a.b.c.d"), Err(JwtError::NotThreeParts));
        assert_eq!(decode_payload("a.!!!.c"), Err(JwtError::NotBase64Url));
        assert_eq!(decode_payload(&token("[1,2]")), Err(JwtError::NotJsonObject));
        assert_eq!(decode_payload(&token("{\"exp\":1")), Err(JwtError::NotJsonObject));
        assert_eq!(decode_payload(&token(r#"{"iat":1}"#)), Err(JwtError::BadClaim("exp")));
        assert_eq!(decode_payload(&token(r#"{"exp":"soon","iat":1}"#)), Err(JwtError::BadClaim("exp")));
        assert_eq!(decode_payload(&"a".repeat(MAX_TOKEN_LEN + 1)), Err(JwtError::TooLong));
        let not_utf8 = format!("h.{}.s", URL_SAFE_NO_PAD.encode([b'{', 0xff, b'}']));
        assert_eq!(decode_payload(&not_utf8), Err(JwtError::NotJsonObject));
        assert_eq!(decode_payload(&token(r#"{"exp":1e400,"iat":1}"#)), Err(JwtError::BadClaim("exp")));
        assert_eq!(decode_payload(&token(r#"{"exp":1.7e9,"iat":1.5}"#)).unwrap().exp(), 1_700_000_000);
    }
}
