//! A user pool's password policy: the checks Cognito applies, in its order, with its messages; the app shows
//! the same requirements while the user types.

use crate::i18n::{k, Text};
use serde::{Deserialize, Serialize};

use crate::json::{FromJson, Json, JsonError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PasswordPolicy {
    pub minimum_length: usize,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
}

impl Default for PasswordPolicy {
    /// Cognito's default policy.
    fn default() -> Self {
        PasswordPolicy {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
        }
    }
}

impl FromJson for PasswordPolicy {
    /// Like the serde reading: missing fields keep Cognito's defaults.
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let f = value.fields("the password policy")?;
        let default = PasswordPolicy::default();
        Ok(PasswordPolicy {
            minimum_length: f.optional("minimumLength")?.unwrap_or(default.minimum_length),
            require_uppercase: f.optional("requireUppercase")?.unwrap_or(default.require_uppercase),
            require_lowercase: f.optional("requireLowercase")?.unwrap_or(default.require_lowercase),
            require_numbers: f.optional("requireNumbers")?.unwrap_or(default.require_numbers),
            require_symbols: f.optional("requireSymbols")?.unwrap_or(default.require_symbols),
        })
    }
}

/// One rule of a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    MinimumLength(usize),
    Lowercase,
    Uppercase,
    Number,
    Symbol,
}

/// Cognito's symbol set for password policies.
pub const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

impl Requirement {
    pub fn is_met(self, password: &str) -> bool {
        match self {
            Requirement::MinimumLength(n) => password.chars().count() >= n,
            Requirement::Lowercase => password.chars().any(char::is_lowercase),
            Requirement::Uppercase => password.chars().any(char::is_uppercase),
            Requirement::Number => password.chars().any(|c| c.is_ascii_digit()),
            Requirement::Symbol => password.chars().any(|c| SYMBOLS.contains(c)),
        }
    }

    /// For people, in the list of rules: "At least 8 characters".
    pub fn describe(self) -> Text {
        match self {
            Requirement::MinimumLength(n) => Text::count(k::rule::min_length, n as u64),
            Requirement::Lowercase => Text::new(k::rule::lowercase),
            Requirement::Uppercase => Text::new(k::rule::uppercase),
            Requirement::Number => Text::new(k::rule::number),
            Requirement::Symbol => Text::new(k::rule::symbol),
        }
    }

    /// For people, when a password breaks it: "The password needs at least 8 characters."
    pub fn unmet(self) -> Text {
        match self {
            Requirement::MinimumLength(n) => Text::count(k::rule_unmet::min_length, n as u64),
            Requirement::Lowercase => Text::new(k::rule_unmet::lowercase),
            Requirement::Uppercase => Text::new(k::rule_unmet::uppercase),
            Requirement::Number => Text::new(k::rule_unmet::number),
            Requirement::Symbol => Text::new(k::rule_unmet::symbol),
        }
    }

    /// The rule Cognito names after "Password did not conform with policy: " (the length unknown).
    pub fn from_cognito_message(message: &str) -> Option<Requirement> {
        [
            Requirement::MinimumLength(0),
            Requirement::Lowercase,
            Requirement::Uppercase,
            Requirement::Number,
            Requirement::Symbol,
        ]
        .into_iter()
        .find(|r| r.cognito_message() == message.trim_end_matches('.'))
    }

    /// Cognito's words after "Password did not conform with policy: ".
    pub fn cognito_message(self) -> &'static str {
        match self {
            Requirement::MinimumLength(_) => "Password not long enough",
            Requirement::Lowercase => "Password must have lowercase characters",
            Requirement::Uppercase => "Password must have uppercase characters",
            Requirement::Number => "Password must have numeric characters",
            Requirement::Symbol => "Password must have symbol characters",
        }
    }
}

impl PasswordPolicy {
    /// The rules, in the order Cognito checks them.
    pub fn requirements(&self) -> Vec<Requirement> {
        let mut rules = vec![Requirement::MinimumLength(self.minimum_length)];
        let flags = [
            (self.require_lowercase, Requirement::Lowercase),
            (self.require_uppercase, Requirement::Uppercase),
            (self.require_numbers, Requirement::Number),
            (self.require_symbols, Requirement::Symbol),
        ];
        rules.extend(flags.into_iter().filter(|(on, _)| *on).map(|(_, r)| r));
        rules
    }

    /// The first rule the password breaks, as Cognito would report it.
    pub fn first_unmet(&self, password: &str) -> Option<Requirement> {
        self.requirements().into_iter().find(|r| !r.is_met(password))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_and_server_read_policies_alike() {
        for text in [
            r#"{}"#,
            r#"{"minimumLength": 6, "requireSymbols": false}"#,
            r#"{"minimumLength": 12, "requireUppercase": false, "requireLowercase": false, "requireNumbers": false}"#,
        ] {
            let serde: PasswordPolicy = serde_json::from_str(text).unwrap();
            assert_eq!(PasswordPolicy::from_json_text(text).unwrap(), serde, "{text}");
        }
        for text in [r#"{"minimumLength": "6"}"#, r#"{"requireSymbols": 1}"#, "true", r#"{"minimumLength": -1}"#] {
            assert!(serde_json::from_str::<PasswordPolicy>(text).is_err(), "{text}");
            assert!(PasswordPolicy::from_json_text(text).is_err(), "{text}");
        }
    }

    #[test]
    fn default_policy_in_cognitos_order() {
        let p = PasswordPolicy::default();
        let first = |pw: &str| p.first_unmet(pw).map(Requirement::cognito_message);
        assert_eq!(first("Aa1!"), Some("Password not long enough"));
        assert_eq!(first("AAAAAAA1!"), Some("Password must have lowercase characters"));
        assert_eq!(first("aaaaaaa1!"), Some("Password must have uppercase characters"));
        assert_eq!(first("aaaaaaaA!"), Some("Password must have numeric characters"));
        assert_eq!(first("aaaaaaaA1"), Some("Password must have symbol characters"));
        assert_eq!(first("Correct-horse-1"), None);
        assert_eq!(first("Pässwörd 1"), None, "space is a symbol, non-ASCII letters have case");
    }

    #[test]
    fn relaxed_policy_and_partial_json() {
        let p: PasswordPolicy = serde_json::from_str(r#"{"minimumLength": 6, "requireSymbols": false}"#).unwrap();
        assert!(p.require_uppercase, "unspecified rules keep Cognito's defaults");
        assert_eq!(p.requirements().len(), 4);
        assert_eq!(p.first_unmet("Abcde1"), None);
        assert_eq!(Requirement::MinimumLength(6).describe(), Text::count(k::rule::min_length, 6));
        assert_eq!(
            Requirement::from_cognito_message("Password must have numeric characters"),
            Some(Requirement::Number)
        );
        assert_eq!(Requirement::from_cognito_message("Password is bad"), None);
    }
}
