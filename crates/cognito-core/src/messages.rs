//! For the pages: plain-language messages for what can go wrong in a call, and checks of what people type.

use crate::error::{codes, CallError};

/// What to tell the person at the keyboard.
pub fn plain_message(error: &CallError) -> String {
    let e = match error {
        CallError::Network(_) => {
            return "Cannot reach the sign-in service. Check your connection and try again.".into();
        }
        CallError::Decode(_) => return "The sign-in service sent an answer this app does not understand.".into(),
        CallError::Service(e) => e,
    };
    let text = match e.code.as_str() {
        codes::NOT_AUTHORIZED => match e.message.as_str() {
            m if m.contains("session is expired") || m.contains("Invalid session") => {
                "Signing in took too long. Please try again."
            }
            m if m.contains("Token") => "Your session has ended. Please sign in again.",
            "" => "Incorrect username or password.",
            m => return m.to_string(),
        },
        codes::USER_NOT_CONFIRMED => "Your account is not confirmed yet.",
        codes::USERNAME_EXISTS => "That username is taken. Choose another one, or sign in.",
        codes::CODE_MISMATCH => "That code is not right. Check the email and try again.",
        codes::EXPIRED_CODE => "That code has expired. Request a new one.",
        codes::INVALID_PASSWORD => {
            let detail = e.message.strip_prefix("Password did not conform with policy: ").unwrap_or(&e.message);
            return format!("Choose a stronger password: {}.", detail.trim_end_matches('.'));
        }
        codes::INVALID_PARAMETER if !e.message.is_empty() => return e.message.clone(),
        codes::LIMIT_EXCEEDED | codes::TOO_MANY_FAILED_ATTEMPTS => "Too many attempts. Wait a while and try again.",
        codes::TOO_MANY_REQUESTS => "The sign-in service is busy. Try again in a moment.",
        codes::USER_NOT_FOUND => "There is no account with that username.",
        codes::PASSWORD_RESET_REQUIRED => "You need to reset your password before signing in.",
        codes::ALIAS_EXISTS => "That email address is already used by another account.",
        codes::SOFTWARE_TOKEN_MFA_NOT_FOUND => "Authenticator apps are not available for this account.",
        _ if e.status >= 500 => "The sign-in service had a problem. Try again in a moment.",
        _ if e.message.is_empty() => return format!("The request failed ({}).", e.code),
        _ => return format!("{} ({})", e.message, e.code),
    };
    text.to_string()
}

/// What to say when a change was sent but its outcome is unknown (see [`crate::retry::outcome_unknown`]):
/// that it may or may not have happened, and how to find out.
pub fn outcome_unknown_message(operation: &str) -> &'static str {
    use crate::api::{self, Operation};
    match operation {
        api::ChangePassword::NAME => {
            "The sign-in service did not confirm the change, so your password may or may not have changed. Sign out and sign in with the new password to check; if it is refused, your old password still works."
        }
        api::DeleteUser::NAME => {
            "The sign-in service did not confirm it, so your account may or may not be deleted. Reload the page: if you are signed out and cannot sign in again, it was."
        }
        api::UpdateUserAttributes::NAME => {
            "The sign-in service did not confirm it, so your changes may or may not be saved. Reload the page to see what is saved."
        }
        api::VerifyUserAttribute::NAME => {
            "The sign-in service did not confirm it, so your email may or may not be verified. Reload the page to see."
        }
        api::VerifySoftwareToken::NAME | api::SetUserMFAPreference::NAME => {
            "The sign-in service did not confirm it, so two-step verification may or may not have changed. Reload the page to see whether it is on."
        }
        api::ConfirmForgotPassword::NAME => {
            "The sign-in service did not confirm it, so your password may or may not have been reset. Try signing in with the new password; if it is refused, ask for a new code."
        }
        api::ConfirmSignUp::NAME => {
            "The sign-in service did not confirm it, so your account may or may not be confirmed. Try signing in; if it is not confirmed yet, you will be asked for a code again."
        }
        api::SignUp::NAME => {
            "The sign-in service did not confirm it, so your account may or may not have been created. Try signing in, or ask for a new confirmation code."
        }
        api::RespondToAuthChallenge::NAME => {
            "The sign-in service did not answer, so this sign-in attempt cannot go on. Sign in again."
        }
        _ => "The sign-in service did not confirm it, so the change may or may not have been made. Reload the page to check.",
    }
}

/// What is wrong with an authenticator-app code as typed (surrounding spaces ignored), or None when it
/// has the six digits TOTP codes have.
pub fn authenticator_code_problem(code: &str) -> Option<&'static str> {
    let code = code.trim();
    let six_digits = code.len() == 6 && code.bytes().all(|c| c.is_ascii_digit());
    (!six_digits).then_some("Enter the six-digit code your authenticator app shows.")
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
    use crate::CognitoError;

    fn service(code: &str, message: &str) -> CallError {
        CallError::Service(CognitoError::new(400, code, message))
    }

    #[test]
    fn cognito_errors_in_plain_words() {
        assert_eq!(
            plain_message(&service(codes::NOT_AUTHORIZED, "Incorrect username or password.")),
            "Incorrect username or password."
        );
        assert_eq!(
            plain_message(&service(codes::NOT_AUTHORIZED, "Password attempts exceeded")),
            "Password attempts exceeded"
        );
        assert_eq!(
            plain_message(&service(codes::NOT_AUTHORIZED, "Invalid session for the user, session is expired.")),
            "Signing in took too long. Please try again."
        );
        assert_eq!(
            plain_message(&service(
                codes::INVALID_PASSWORD,
                "Password did not conform with policy: Password not long enough"
            )),
            "Choose a stronger password: Password not long enough."
        );
        assert_eq!(
            plain_message(&service(codes::INVALID_PARAMETER, "Invalid email address format.")),
            "Invalid email address format."
        );
        assert_eq!(plain_message(&service("WeirdException", "Odd")), "Odd (WeirdException)");
        assert!(plain_message(&CallError::Network("x".into())).starts_with("Cannot reach"));
        let e = CallError::Service(CognitoError::new(503, "ServiceUnavailable", ""));
        assert!(plain_message(&e).contains("had a problem"));
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
    fn email_shapes() {
        for good in ["a@example.com", "first.last+tag@sub.example.org"] {
            assert!(looks_like_email(good), "{good}");
        }
        for bad in ["", "a", "a@b", "@example.com", "a@@example.com", "a b@example.com", "a@example.", "a@.com"] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
