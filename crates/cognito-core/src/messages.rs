//! For the pages: what to say when a call fails, and checks of what people type, as [`Text`] (catalog
//! keys). This is the only place error codes become words: every Cognito error is told by its code
//! (never by its English message, which is read only to tell apart cases that share a code).

use crate::error::{codes, CallError};
use crate::i18n::{k, Key, Text};
use crate::password_policy::Requirement;

/// Every Cognito error code of the user-pool API a front end can meet, with the catalog key that says it.
/// A code not listed is told as "the request failed (code)".
pub const ERROR_KEYS: &[(&str, Key)] = &[
    (codes::ALIAS_EXISTS, k::error::AliasExistsException),
    ("CodeDeliveryFailureException", k::error::CodeDeliveryFailureException),
    (codes::CODE_MISMATCH, k::error::CodeMismatchException),
    ("ConcurrentModificationException", k::error::ConcurrentModificationException),
    (codes::ENABLE_SOFTWARE_TOKEN_MFA, k::error::EnableSoftwareTokenMFAException),
    (codes::EXPIRED_CODE, k::error::ExpiredCodeException),
    ("ForbiddenException", k::error::ForbiddenException),
    (codes::INTERNAL_ERROR, k::error::InternalErrorException),
    ("InvalidEmailRoleAccessPolicyException", k::error::InvalidEmailRoleAccessPolicyException),
    ("InvalidLambdaResponseException", k::error::InvalidLambdaResponseException),
    (codes::INVALID_PARAMETER, k::error::InvalidParameterException),
    (codes::INVALID_PASSWORD, k::error::InvalidPasswordException),
    ("InvalidSmsRoleAccessPolicyException", k::error::InvalidSmsRoleAccessPolicyException),
    ("InvalidSmsRoleTrustRelationshipException", k::error::InvalidSmsRoleTrustRelationshipException),
    ("InvalidUserPoolConfigurationException", k::error::InvalidUserPoolConfigurationException),
    (codes::LIMIT_EXCEEDED, k::error::LimitExceededException),
    ("MFAMethodNotFoundException", k::error::MFAMethodNotFoundException),
    (codes::NOT_AUTHORIZED, k::error::NotAuthorizedException),
    ("PasswordHistoryPolicyViolationException", k::error::PasswordHistoryPolicyViolationException),
    (codes::PASSWORD_RESET_REQUIRED, k::error::PasswordResetRequiredException),
    (codes::REFRESH_TOKEN_REUSE, k::error::RefreshTokenReuseException),
    (codes::RESOURCE_NOT_FOUND, k::error::ResourceNotFoundException),
    (codes::SOFTWARE_TOKEN_MFA_NOT_FOUND, k::error::SoftwareTokenMFANotFoundException),
    (codes::TOO_MANY_FAILED_ATTEMPTS, k::error::TooManyFailedAttemptsException),
    (codes::TOO_MANY_REQUESTS, k::error::TooManyRequestsException),
    ("UnexpectedLambdaException", k::error::UnexpectedLambdaException),
    ("UnsupportedOperationException", k::error::UnsupportedOperationException),
    (codes::UNSUPPORTED_TOKEN_TYPE, k::error::UnsupportedTokenTypeException),
    ("UserLambdaValidationException", k::error::UserLambdaValidationException),
    (codes::USER_NOT_CONFIRMED, k::error::UserNotConfirmedException),
    (codes::USER_NOT_FOUND, k::error::UserNotFoundException),
    (codes::USERNAME_EXISTS, k::error::UsernameExistsException),
    ("WebAuthnChallengeNotFoundException", k::error::WebAuthnChallengeNotFoundException),
    ("WebAuthnClientMismatchException", k::error::WebAuthnClientMismatchException),
    ("WebAuthnConfigurationMissingException", k::error::WebAuthnConfigurationMissingException),
    ("WebAuthnCredentialNotSupportedException", k::error::WebAuthnCredentialNotSupportedException),
    ("WebAuthnNotEnabledException", k::error::WebAuthnNotEnabledException),
    ("WebAuthnOriginNotAllowedException", k::error::WebAuthnOriginNotAllowedException),
    ("WebAuthnRelyingPartyMismatchException", k::error::WebAuthnRelyingPartyMismatchException),
];

/// The cases Cognito tells apart only by message under one code, with their keys.
pub const CASE_KEYS: &[Key] = &[
    k::error::NotAuthorizedException_incorrect,
    k::error::NotAuthorizedException_attempts_exceeded,
    k::error::NotAuthorizedException_session_expired,
    k::error::NotAuthorizedException_token,
    k::error::NotAuthorizedException_disabled,
    k::error::NotAuthorizedException_already_confirmed,
    k::error::NotAuthorizedException_cannot_reset,
    k::error::InvalidParameterException_email,
    k::rule_unmet::too_short,
    k::error::network,
    k::error::decode,
    k::error::server,
    k::error::unknown,
];

/// What to tell the person at the keyboard.
pub fn plain_message(error: &CallError) -> Text {
    let e = match error {
        CallError::Network(_) => return Text::new(k::error::network),
        CallError::Decode(_) => return Text::new(k::error::decode),
        CallError::Service(e) => e,
    };
    let m = e.message.as_str();
    match e.code.as_str() {
        codes::NOT_AUTHORIZED => Text::new(match m {
            "" | "Incorrect username or password." => k::error::NotAuthorizedException_incorrect,
            "Password attempts exceeded" => k::error::NotAuthorizedException_attempts_exceeded,
            "User is disabled." => k::error::NotAuthorizedException_disabled,
            m if m.contains("session is expired") || m.contains("Invalid session") => {
                k::error::NotAuthorizedException_session_expired
            }
            m if m.contains("Token") => k::error::NotAuthorizedException_token,
            m if m.starts_with("User cannot be confirmed") => k::error::NotAuthorizedException_already_confirmed,
            m if m.starts_with("User password cannot be reset") => k::error::NotAuthorizedException_cannot_reset,
            _ => return Text::new(k::error::NotAuthorizedException).with("detail", m),
        }),
        codes::INVALID_PASSWORD => {
            let detail = m.strip_prefix("Password did not conform with policy: ").unwrap_or(m);
            match Requirement::from_cognito_message(detail) {
                // The service does not say the length: the form's own check shows it before sending.
                Some(Requirement::MinimumLength(_)) => Text::new(k::rule_unmet::too_short),
                Some(rule) => rule.unmet(),
                None => Text::new(k::error::InvalidPasswordException).with("detail", detail.trim_end_matches('.')),
            }
        }
        codes::INVALID_PARAMETER if m == "Invalid email address format." => {
            Text::new(k::error::InvalidParameterException_email)
        }
        code => match ERROR_KEYS.iter().find(|(c, _)| *c == code) {
            Some((_, key)) => Text::new(*key).with("detail", m),
            None if e.status >= 500 => Text::new(k::error::server),
            None => Text::new(k::error::unknown).with("code", code),
        },
    }
}

/// What to say when a change was sent but its outcome is unknown (see [`crate::retry::outcome_unknown`]):
/// that it may or may not have happened, and how to find out.
pub fn outcome_unknown_message(operation: &str) -> Text {
    use crate::api::{self, Operation};
    Text::new(match operation {
        api::ChangePassword::NAME => k::unknown_outcome::ChangePassword,
        api::DeleteUser::NAME => k::unknown_outcome::DeleteUser,
        api::UpdateUserAttributes::NAME => k::unknown_outcome::UpdateUserAttributes,
        api::VerifyUserAttribute::NAME => k::unknown_outcome::VerifyUserAttribute,
        api::VerifySoftwareToken::NAME | api::SetUserMFAPreference::NAME => k::unknown_outcome::mfa,
        api::ConfirmForgotPassword::NAME => k::unknown_outcome::ConfirmForgotPassword,
        api::ConfirmSignUp::NAME => k::unknown_outcome::ConfirmSignUp,
        api::SignUp::NAME => k::unknown_outcome::SignUp,
        api::RespondToAuthChallenge::NAME => k::unknown_outcome::RespondToAuthChallenge,
        _ => k::unknown_outcome::other,
    })
}

/// Every key the outcome-unknown messages use (for the catalog test).
pub const OUTCOME_KEYS: &[Key] = &[
    k::unknown_outcome::ChangePassword,
    k::unknown_outcome::DeleteUser,
    k::unknown_outcome::UpdateUserAttributes,
    k::unknown_outcome::VerifyUserAttribute,
    k::unknown_outcome::mfa,
    k::unknown_outcome::ConfirmForgotPassword,
    k::unknown_outcome::ConfirmSignUp,
    k::unknown_outcome::SignUp,
    k::unknown_outcome::RespondToAuthChallenge,
    k::unknown_outcome::other,
];

/// What is wrong with an authenticator-app code as typed (surrounding spaces ignored), or None when it
/// has the six digits TOTP codes have.
pub fn authenticator_code_problem(code: &str) -> Option<Text> {
    let code = code.trim();
    let six_digits = code.len() == 6 && code.bytes().all(|c| c.is_ascii_digit());
    (!six_digits).then_some(Text::new(k::mfa::code_six_digits))
}

/// A phone number as Cognito takes it (E.164): `+`, then 4 to 15 digits, nothing else.
/// What to say when managed login or the token endpoint refused a sign-in (`error` and, when given,
/// `error_description`, which is the provider's or Cognito's own words and is shown as it is).
pub fn oauth_refusal(error: &str, description: Option<&str>) -> Text {
    match (error, description.filter(|d| !d.trim().is_empty())) {
        ("access_denied", _) => Text::new(k::oauth::cancelled),
        ("invalid_grant", _) => Text::new(k::oauth::expired),
        (_, Some(description)) => Text::new(k::oauth::refused).with("detail", description),
        // The client's settings and the request disagree: something for the site's owner to fix.
        (error, None) => Text::new(k::oauth::misconfigured).with("detail", error),
    }
}

/// What to say about a callback that cannot be used (see [`crate::oauth::Callback`]).
pub fn oauth_callback_problem(callback: &crate::oauth::Callback) -> Option<Text> {
    use crate::oauth::Callback;
    match callback {
        Callback::Code(_) => None,
        Callback::Refused { error, description } => Some(oauth_refusal(error, description.as_deref())),
        Callback::WrongState => Some(Text::new(k::oauth::wrong_state)),
        Callback::Malformed => Some(Text::new(k::oauth::malformed)),
    }
}

pub fn looks_like_phone(value: &str) -> bool {
    value.strip_prefix('+').is_some_and(|d| (4..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

/// A plausible email address: something before one `@`, a dotted domain after it, no spaces.
pub fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(char::is_whitespace)
        && value.len() <= 2048
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managed_login_refusals_in_words() {
        assert_eq!(oauth_refusal("access_denied", Some("The user cancelled.")).key, k::oauth::cancelled);
        assert_eq!(oauth_refusal("invalid_grant", None).key, k::oauth::expired);
        let told = oauth_refusal("invalid_request", Some("Invalid SAML response"));
        assert_eq!((told.key, told.args[0].1.as_str()), (k::oauth::refused, "Invalid SAML response"));
        let setup = oauth_refusal("redirect_mismatch", Some("  "));
        assert_eq!((setup.key, setup.args[0].1.as_str()), (k::oauth::misconfigured, "redirect_mismatch"));
        use crate::oauth::Callback;
        assert_eq!(oauth_callback_problem(&Callback::WrongState).unwrap().key, k::oauth::wrong_state);
        assert_eq!(oauth_callback_problem(&Callback::Malformed).unwrap().key, k::oauth::malformed);
        assert!(oauth_callback_problem(&Callback::Code("c".into())).is_none());
    }
    use crate::CognitoError;

    fn service(code: &str, message: &str) -> CallError {
        CallError::Service(CognitoError::new(400, code, message))
    }

    #[test]
    fn cognito_errors_are_told_by_code() {
        let key = |code: &str, message: &str| plain_message(&service(code, message)).key;
        assert_eq!(
            key(codes::NOT_AUTHORIZED, "Incorrect username or password."),
            k::error::NotAuthorizedException_incorrect
        );
        assert_eq!(
            key(codes::NOT_AUTHORIZED, "Password attempts exceeded"),
            k::error::NotAuthorizedException_attempts_exceeded
        );
        assert_eq!(
            key(codes::NOT_AUTHORIZED, "Invalid session for the user, session is expired."),
            k::error::NotAuthorizedException_session_expired
        );
        assert_eq!(
            key(codes::NOT_AUTHORIZED, "Refresh Token has been revoked"),
            k::error::NotAuthorizedException_token
        );
        let odd = plain_message(&service(codes::NOT_AUTHORIZED, "A client attempted to write unauthorized attribute"));
        assert_eq!(odd.key, k::error::NotAuthorizedException);
        assert_eq!(odd.args, vec![("detail", "A client attempted to write unauthorized attribute".to_string())]);
        assert_eq!(
            plain_message(&service(
                codes::INVALID_PASSWORD,
                "Password did not conform with policy: Password not long enough"
            )),
            Text::new(k::rule_unmet::too_short)
        );
        assert_eq!(
            key(codes::INVALID_PASSWORD, "Password did not conform with policy: Password must have symbol characters"),
            k::rule_unmet::symbol
        );
        assert_eq!(
            key(codes::INVALID_PARAMETER, "Invalid email address format."),
            k::error::InvalidParameterException_email
        );
        assert_eq!(key(codes::INVALID_PARAMETER, "1 validation error detected"), k::error::InvalidParameterException);
        assert_eq!(
            key(codes::CODE_MISMATCH, "Invalid verification code provided, please try again."),
            k::error::CodeMismatchException
        );
        assert_eq!(
            plain_message(&service("WeirdException", "Odd")),
            Text::new(k::error::unknown).with("code", "WeirdException")
        );
        assert_eq!(plain_message(&CallError::Network("x".into())).key, k::error::network);
        let e = CallError::Service(CognitoError::new(503, "ServiceUnavailable", ""));
        assert_eq!(plain_message(&e).key, k::error::server);
        let e = CallError::Service(CognitoError::new(500, codes::INTERNAL_ERROR, ""));
        assert_eq!(plain_message(&e).key, k::error::InternalErrorException);
    }

    #[test]
    fn authenticator_codes_have_six_digits() {
        for good in ["123456", " 000000 ", "987654\n"] {
            assert_eq!(authenticator_code_problem(good), None, "{good:?}");
        }
        for bad in ["", "12345", "1234567", "12 3456", "12345a", "١٢٣٤٥٦"] {
            assert!(authenticator_code_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn phone_shapes() {
        for good in ["+15555550100", "+4930123456", "+1234"] {
            assert!(looks_like_phone(good), "{good}");
        }
        for bad in ["", "15555550100", "+1 555 555 0100", "+1-555", "+123", "+1234567890123456", "+٣٣٣٣٣"] {
            assert!(!looks_like_phone(bad), "{bad}");
        }
    }

    #[test]
    fn email_shapes() {
        for good in ["a@example.com", "first.last+tag@sub.example.org"] {
            assert!(looks_like_email(good), "{good}");
        }
        for bad in ["", "a", "a@b", "@example.com", "a@@example.com", "a b@example.com", "a@example.", "a@.com"] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
