//! What went wrong, typed until the view renders it: the pages branch on [`ProblemKind`] and Cognito's
//! error code, never on the message text. Its words are a [`Text`] (catalog key and arguments), put in
//! the reader's language only when the view shows it.

use cognito_core::i18n::{k, Text};
use cognito_core::messages::{outcome_unknown_message, plain_message};
use cognito_core::retry::outcome_unknown;
use cognito_core::CallError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The service said no (wrong password, bad code, weak password…): fix the input.
    Refused,
    /// Worth trying again as it is (network, throttling, server error).
    Transient,
    /// The session is over (revoked, refresh refused): sign in again.
    SessionEnded,
    /// A change was sent but its answer was lost or a server error came back: it may or may not have
    /// happened (the message says how to check).
    OutcomeUnknown,
    /// The browser would not store the session (storage full or turned off).
    Storage,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// What to say (rendered by the view, in the language of the moment).
    pub message: Text,
    pub kind: ProblemKind,
    /// Cognito's error code, when the service answered with one.
    code: Option<String>,
}

impl Problem {
    pub fn new(kind: ProblemKind, message: impl Into<Text>) -> Self {
        Problem { message: message.into(), kind, code: None }
    }

    /// A refusal in the app's own words (bad input, an answer it cannot use).
    pub fn refused(message: impl Into<Text>) -> Self {
        Problem::new(ProblemKind::Refused, message)
    }

    pub fn session_ended() -> Self {
        Problem::new(ProblemKind::SessionEnded, k::session::ended)
    }

    pub fn storage() -> Self {
        Problem::new(ProblemKind::Storage, k::session::storage_refused)
    }

    /// The failure of a call of `operation` (its name decides whether the outcome is unknown).
    pub fn from_call(operation: &str, error: &CallError) -> Self {
        let (kind, message) = if outcome_unknown(operation, error) {
            (ProblemKind::OutcomeUnknown, outcome_unknown_message(operation))
        } else if error.is_transient() {
            (ProblemKind::Transient, plain_message(error))
        } else {
            (ProblemKind::Refused, plain_message(error))
        };
        Problem { message, kind, code: error.service_code().map(str::to_string) }
    }

    /// Whether the service answered with this error code.
    pub fn is(&self, code: &str) -> bool {
        self.code.as_deref() == Some(code)
    }

    pub fn is_transient(&self) -> bool {
        self.kind == ProblemKind::Transient
    }

    /// The same problem in other words (the kind and code stay).
    pub fn with_message(self, message: impl Into<Text>) -> Self {
        Problem { message: message.into(), ..self }
    }
}
