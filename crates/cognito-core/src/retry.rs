//! When a failed call may be sent again. Reads, sign-in starts, refreshes and sign-outs are safe to repeat;
//! changes are not: if the first attempt reached the service and only its answer was lost, a second one
//! would act twice (ChangePassword: "incorrect password" for the password just set; ConfirmSignUp: "already
//! confirmed"; a single-use challenge `Session`: "invalid session"). Those are sent again only when the
//! failure proves the service did nothing; otherwise the page says the outcome is unknown and how to check.

use crate::api::{self, Operation};
use crate::error::{codes, CallError};

/// Operations that change something and must not be repeated after an ambiguous failure.
pub const NOT_SAFE_TO_REPEAT: &[&str] = &[
    api::SignUp::NAME,
    api::ConfirmSignUp::NAME,
    api::ConfirmForgotPassword::NAME,
    api::RespondToAuthChallenge::NAME,
    api::ChangePassword::NAME,
    api::UpdateUserAttributes::NAME,
    api::VerifyUserAttribute::NAME,
    api::DeleteUser::NAME,
    api::VerifySoftwareToken::NAME,
    api::SetUserMFAPreference::NAME,
    api::CompleteWebAuthnRegistration::NAME,
    api::DeleteWebAuthnCredential::NAME,
];

/// Whether `operation` can be sent again as it is whatever happened to the first attempt.
pub fn safe_to_repeat(operation: &str) -> bool {
    !NOT_SAFE_TO_REPEAT.contains(&operation)
}

/// The service turned the call away before doing anything: throttling (`TooManyRequestsException`,
/// `ThrottlingException`) is answered before a request is processed. A browser cannot tell a refused
/// connection from an answer lost on the way back, so no network failure proves this.
pub fn proves_not_performed(error: &CallError) -> bool {
    matches!(error, CallError::Service(e) if e.is(codes::TOO_MANY_REQUESTS) || e.is("ThrottlingException"))
}

/// Whether a failed attempt of `operation` may be sent again (with backoff).
pub fn may_retry(operation: &str, error: &CallError) -> bool {
    error.is_transient() && (safe_to_repeat(operation) || proves_not_performed(error))
}

/// A change that may or may not have happened: sent, and then a lost answer or a server error.
pub fn outcome_unknown(operation: &str, error: &CallError) -> bool {
    !safe_to_repeat(operation) && error.is_transient() && !proves_not_performed(error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CognitoError;

    fn service(status: u16, code: &str) -> CallError {
        CallError::Service(CognitoError::new(status, code, ""))
    }

    #[test]
    fn changes_are_retried_only_when_the_service_did_nothing() {
        let network = CallError::Network("Failed to fetch".into());
        let server = service(500, codes::INTERNAL_ERROR);
        let unavailable = service(503, "ServiceUnavailable");
        let throttled = service(400, codes::TOO_MANY_REQUESTS);
        let refused = service(400, codes::NOT_AUTHORIZED);
        for op in NOT_SAFE_TO_REPEAT {
            for ambiguous in [&network, &server, &unavailable] {
                assert!(!may_retry(op, ambiguous), "{op} after {ambiguous}");
                assert!(outcome_unknown(op, ambiguous), "{op} after {ambiguous}");
            }
            assert!(may_retry(op, &throttled), "{op} throttled");
            assert!(!outcome_unknown(op, &throttled));
            assert!(!may_retry(op, &refused) && !outcome_unknown(op, &refused), "{op}: a clear refusal is final");
        }
        for op in [api::GetUser::NAME, api::InitiateAuth::NAME, api::RevokeToken::NAME, api::GlobalSignOut::NAME] {
            for transient in [&network, &server, &unavailable, &throttled] {
                assert!(may_retry(op, transient), "{op} after {transient}");
                assert!(!outcome_unknown(op, transient));
            }
            assert!(!may_retry(op, &refused));
        }
    }

    #[test]
    fn the_list_names_real_operations() {
        for op in NOT_SAFE_TO_REPEAT {
            assert!(api::OPERATION_NAMES.contains(op), "{op}");
        }
        for op in ["ChangePassword", "DeleteUser", "UpdateUserAttributes", "VerifyUserAttribute", "VerifySoftwareToken"]
        {
            assert!(!safe_to_repeat(op), "{op}");
        }
        for op in ["SetUserMFAPreference", "ConfirmForgotPassword", "ConfirmSignUp", "RespondToAuthChallenge"] {
            assert!(!safe_to_repeat(op), "{op}");
        }
    }
}
