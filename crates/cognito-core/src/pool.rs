//! User-pool identifiers: `<region>_<name>`, e.g. `eu-west-1_AbCdEf123`.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolId {
    full: String,
    split: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidPoolId(pub String);

impl fmt::Display for InvalidPoolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a user pool id (expected <region>_<id>, like eu-west-1_AbCdEf123)", self.0)
    }
}

impl std::error::Error for InvalidPoolId {}

impl PoolId {
    pub fn parse(text: &str) -> Result<Self, InvalidPoolId> {
        let bad = || InvalidPoolId(text.chars().take(80).collect());
        let (region, name) = text.split_once('_').ok_or_else(bad)?;
        let region_ok = !region.is_empty()
            && region.len() <= 32
            && region.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
        let name_ok = !name.is_empty() && name.len() <= 64 && name.bytes().all(|c| c.is_ascii_alphanumeric());
        if !(region_ok && name_ok) {
            return Err(bad());
        }
        Ok(PoolId { full: text.to_string(), split: region.len() })
    }

    /// The region, the part before `_`.
    pub fn region(&self) -> &str {
        &self.full[..self.split]
    }

    /// The pool name, the part after `_`: this is what SRP mixes into `x` and the signature.
    pub fn pool_name(&self) -> &str {
        &self.full[self.split + 1..]
    }

    pub fn as_str(&self) -> &str {
        &self.full
    }

    /// AWS's endpoint for this pool's region.
    pub fn default_endpoint(&self) -> String {
        format!("https://cognito-idp.{}.amazonaws.com/", self.region())
    }
}

impl fmt::Display for PoolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_region_and_name() {
        let id = PoolId::parse("eu-west-1_AbCdEf123").unwrap();
        assert_eq!(id.region(), "eu-west-1");
        assert_eq!(id.pool_name(), "AbCdEf123");
        assert_eq!(id.default_endpoint(), "https://cognito-idp.eu-west-1.amazonaws.com/");
    }

    #[test]
    fn rejects_malformed_ids() {
        for bad in ["", "_abc", "us-east-1_", "us-east-1", "US-EAST-1_abc", "us-east-1_a_b", "us-east-1_a b"] {
            assert!(PoolId::parse(bad).is_err(), "{bad:?}");
        }
    }
}
