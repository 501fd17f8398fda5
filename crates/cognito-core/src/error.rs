//! Cognito's error answers: HTTP 4xx/5xx with `{"__type": "...#Code", "message": "..."}` and/or the header
//! `x-amzn-errortype: Code:http://...`. One type keeps the code and the message.

use std::fmt;

use serde::Serialize;

/// Error codes the app and the local server treat specially. Any other code is kept as text.
pub mod codes {
    pub const NOT_AUTHORIZED: &str = "NotAuthorizedException";
    pub const USER_NOT_CONFIRMED: &str = "UserNotConfirmedException";
    pub const USERNAME_EXISTS: &str = "UsernameExistsException";
    pub const CODE_MISMATCH: &str = "CodeMismatchException";
    pub const EXPIRED_CODE: &str = "ExpiredCodeException";
    pub const INVALID_PASSWORD: &str = "InvalidPasswordException";
    pub const INVALID_PARAMETER: &str = "InvalidParameterException";
    pub const LIMIT_EXCEEDED: &str = "LimitExceededException";
    pub const TOO_MANY_REQUESTS: &str = "TooManyRequestsException";
    pub const TOO_MANY_FAILED_ATTEMPTS: &str = "TooManyFailedAttemptsException";
    pub const USER_NOT_FOUND: &str = "UserNotFoundException";
    pub const PASSWORD_RESET_REQUIRED: &str = "PasswordResetRequiredException";
    pub const RESOURCE_NOT_FOUND: &str = "ResourceNotFoundException";
    pub const INTERNAL_ERROR: &str = "InternalErrorException";
    pub const SERIALIZATION: &str = "SerializationException";
    pub const UNKNOWN_OPERATION: &str = "UnknownOperationException";
    pub const ALIAS_EXISTS: &str = "AliasExistsException";
    pub const ENABLE_SOFTWARE_TOKEN_MFA: &str = "EnableSoftwareTokenMFAException";
    pub const SOFTWARE_TOKEN_MFA_NOT_FOUND: &str = "SoftwareTokenMFANotFoundException";
    pub const UNSUPPORTED_TOKEN_TYPE: &str = "UnsupportedTokenTypeException";
    pub const REFRESH_TOKEN_REUSE: &str = "RefreshTokenReuseException";
}

/// An error answer from Cognito (or a server speaking its protocol).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitoError {
    /// HTTP status of the answer.
    pub status: u16,
    /// The bare code, e.g. `NotAuthorizedException`.
    pub code: String,
    /// Cognito's message, e.g. `Incorrect username or password.` (may be empty).
    pub message: String,
}

/// The JSON body a server sends for an error.
#[derive(Serialize)]
pub struct ErrorBodyOut<'a> {
    #[serde(rename = "__type")]
    pub kind: &'a str,
    pub message: &'a str,
}

/// `com.amazonaws...#NotAuthorizedException` → `NotAuthorizedException`;
/// `NotAuthorizedException:http://internal.amazon.com/...` → `NotAuthorizedException`.
fn bare_code(raw: &str) -> &str {
    let after_hash = raw.rsplit('#').next().unwrap_or(raw);
    after_hash.split(':').next().unwrap_or(after_hash).trim()
}

impl CognitoError {
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        CognitoError { status, code: code.into(), message: message.into() }
    }

    /// Reads an error answer: the code from the body's `__type` (after the last `#`) or else from the
    /// `x-amzn-errortype` header; a body that is not JSON still gives an error, never a panic.
    pub fn from_response(status: u16, error_type_header: Option<&str>, body: &str) -> Self {
        // `{"__type": "...", "message": "..."}` (some services write "Message").
        let parsed = crate::json::parse(body).ok();
        let text = |name: &str| parsed.as_ref().and_then(|b| b.get(name)).and_then(|v| v.as_str());
        let from_body = text("__type").map(bare_code).filter(|c| !c.is_empty());
        let from_header = error_type_header.map(bare_code).filter(|c| !c.is_empty());
        let code = from_body.or(from_header).map(str::to_string).unwrap_or_else(|| {
            if status >= 500 {
                codes::INTERNAL_ERROR.to_string()
            } else {
                "UnknownError".to_string()
            }
        });
        let message = text("message").or_else(|| text("Message")).unwrap_or_default().to_string();
        CognitoError { status, code, message }
    }

    pub fn is(&self, code: &str) -> bool {
        self.code == code
    }

    /// Worth retrying later with the same input: throttling and server-side failures.
    pub fn is_transient(&self) -> bool {
        self.status >= 500
            || matches!(
                self.code.as_str(),
                codes::TOO_MANY_REQUESTS | codes::INTERNAL_ERROR | "ServiceUnavailable" | "ThrottlingException"
            )
    }

    /// The JSON body a server answers with.
    pub fn body_json(&self) -> String {
        serde_json::to_string(&ErrorBodyOut { kind: &self.code, message: &self.message }).expect("strings serialize")
    }
}

impl fmt::Display for CognitoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            f.write_str(&self.code)
        } else {
            write!(f, "{}: {}", self.code, self.message)
        }
    }
}

impl std::error::Error for CognitoError {}

/// What an error says about the access token a call carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// "Access Token has expired": refresh and try once more.
    Expired,
    /// Revoked, invalid, or its user disabled or gone: the session is over.
    Dead,
}

/// The service's exact words when it refuses the token a call carried. NotAuthorizedException also means
/// "wrong current password" (ChangePassword) or "not allowed" ("Access Token does not have required
/// scopes"), which must not end a session: only these messages are about the token itself, and a message
/// not in this table never ends one. The one place outside `messages` that reads the service's words.
pub const TOKEN_MESSAGES: &[(&str, TokenProblem)] = &[
    ("Access Token has expired", TokenProblem::Expired),
    ("Access Token has been revoked", TokenProblem::Dead),
    ("Invalid Access Token", TokenProblem::Dead),
    ("Refresh Token has expired", TokenProblem::Dead),
    ("Refresh Token has been revoked", TokenProblem::Dead),
    ("Invalid Refresh Token", TokenProblem::Dead),
    ("User is disabled.", TokenProblem::Dead),
    ("User does not exist.", TokenProblem::Dead),
];

impl CognitoError {
    /// Whether this answer is about the caller's token rather than the request (see [`TOKEN_MESSAGES`]).
    pub fn token_problem(&self) -> Option<TokenProblem> {
        if !self.is(codes::NOT_AUTHORIZED) {
            return None;
        }
        TOKEN_MESSAGES.iter().find(|(message, _)| *message == self.message).map(|&(_, problem)| problem)
    }
}

/// Any failure of one call to the service, as the app's HTTP layer reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// The request never got an HTTP answer (offline, DNS, CORS, connection refused).
    Network(String),
    /// The service answered with an error.
    Service(CognitoError),
    /// The service answered 2xx with a body that is not what the operation returns.
    Decode(String),
}

impl CallError {
    pub fn is_transient(&self) -> bool {
        match self {
            CallError::Network(_) => true,
            CallError::Service(e) => e.is_transient(),
            CallError::Decode(_) => false,
        }
    }

    pub fn service_code(&self) -> Option<&str> {
        match self {
            CallError::Service(e) => Some(&e.code),
            _ => None,
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Network(why) => write!(f, "network error: {why}"),
            CallError::Service(e) => e.fmt(f),
            CallError::Decode(why) => write!(f, "unexpected answer from the service: {why}"),
        }
    }
}

impl std::error::Error for CallError {}

impl From<CognitoError> for CallError {
    fn from(e: CognitoError) -> Self {
        CallError::Service(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_comes_from_the_body_type_after_the_last_hash() {
        let e = CognitoError::from_response(
            400,
            None,
            r#"{"__type":"com.amazonaws.cognito.identity.idp.model#NotAuthorizedException","message":"Incorrect username or password."}"#,
        );
        assert_eq!(e.code, "NotAuthorizedException");
        assert_eq!(e.message, "Incorrect username or password.");
        assert!(e.is(codes::NOT_AUTHORIZED));
        assert!(!e.is_transient());
    }

    #[test]
    fn code_falls_back_to_the_header() {
        let e = CognitoError::from_response(
            400,
            Some(
                "UserNotConfirmedException:http://internal.amazon.com/coral/com.amazonaws.cognito.identity.idp.model/",
            ),
            r#"{"Message":"User is not confirmed."}"#,
        );
        assert_eq!(e.code, "UserNotConfirmedException");
        assert_eq!(e.message, "User is not confirmed.");
    }

    #[test]
    fn garbage_bodies_still_give_an_error() {
        let e = CognitoError::from_response(502, None, "<html>Bad Gateway</html>");
        assert_eq!(e.code, "InternalErrorException");
        assert!(e.is_transient());
        let e = CognitoError::from_response(400, None, "");
        assert_eq!(e.code, "UnknownError");
        assert_eq!(e.message, "");
    }

    #[test]
    fn throttling_is_transient() {
        let e = CognitoError::from_response(
            400,
            None,
            r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#,
        );
        assert!(e.is_transient());
        assert!(CallError::Network("offline".into()).is_transient());
        assert!(!CallError::Service(CognitoError::new(400, codes::NOT_AUTHORIZED, "")).is_transient());
    }

    #[test]
    fn token_problems_are_told_apart_from_wrong_passwords() {
        let e = |m: &str| CognitoError::new(400, codes::NOT_AUTHORIZED, m).token_problem();
        assert_eq!(e("Access Token has expired"), Some(TokenProblem::Expired));
        assert_eq!(e("Access Token has been revoked"), Some(TokenProblem::Dead));
        assert_eq!(e("Invalid Access Token"), Some(TokenProblem::Dead));
        assert_eq!(e("Refresh Token has expired"), Some(TokenProblem::Dead));
        assert_eq!(e("Refresh Token has been revoked"), Some(TokenProblem::Dead));
        assert_eq!(e("Invalid Refresh Token"), Some(TokenProblem::Dead));
        assert_eq!(e("User is disabled."), Some(TokenProblem::Dead));
        assert_eq!(e("User does not exist."), Some(TokenProblem::Dead));
        assert_eq!(e("Incorrect username or password."), None);
        assert_eq!(CognitoError::new(400, codes::CODE_MISMATCH, "Access Token has expired").token_problem(), None);
    }

    /// Words that merely mention a token, or that are new, never end a session (the old reading took any
    /// message with "Token" in it as a dead token: a token without the admin scope ended the session).
    #[test]
    fn unknown_messages_never_end_a_session() {
        let e = |m: &str| CognitoError::new(400, codes::NOT_AUTHORIZED, m).token_problem();
        assert_eq!(e("Access Token does not have required scopes"), None);
        assert_eq!(e("Token expired soon, maybe"), None);
        assert_eq!(e("access token has expired"), None);
        assert_eq!(e(""), None);
    }

    #[test]
    fn server_body_round_trips() {
        let e = CognitoError::new(400, codes::CODE_MISMATCH, "Invalid verification code provided, please try again.");
        assert_eq!(CognitoError::from_response(400, None, &e.body_json()), e);
    }
}
