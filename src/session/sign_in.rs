//! The sign-in driver: SRP (InitiateAuth, PASSWORD_VERIFIER), then the challenge steps, and
//! re-authentication for changes that weaken the account.

use cognito_core::api::*;
use cognito_core::error::codes;
use cognito_core::i18n::{k, Key, Text};
use cognito_core::session::Session;
use cognito_core::sign_in::{read_answer, step_of_refusal, FlowError, Step};
pub use cognito_core::sign_in::{Challenge, MfaKind, Prompt, Reply};
use cognito_core::srp::{answer_password_verifier, ClientEphemeral};
use cognito_core::timestamp::cognito_timestamp;
use cognito_core::CallError;

use super::*;
use crate::api;
use crate::browser::now_seconds;

/// Where a sign-in stands, as the pages see it: the session is saved before `Done` is returned, so no page
/// ever holds a token.
#[derive(Clone, Debug, PartialEq)]
pub enum LoginStep {
    Done,
    /// Right password, but the account is not confirmed yet.
    NotConfirmed,
    /// The service asks the user for more ([`Challenge::prompt`] says what).
    Challenge(Challenge),
}

impl SessionOwner {
    /// SRP sign-in: InitiateAuth (USER_SRP_AUTH) with `A` from the ephemeral, then the PASSWORD_VERIFIER
    /// answer computed in wasm, then whatever the service asks next. The session is stored under
    /// USER_ID_FOR_SRP.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        ephemeral: ClientEphemeral,
    ) -> Result<LoginStep, Problem> {
        let config = self.config();
        let start = InitiateAuthRequest::user_srp(&config.client_id, username, ephemeral.public_hex());
        let started = api::send::<InitiateAuth>(config, &start).await;
        let challenge = match step(InitiateAuth::NAME, started, username)? {
            Step::Challenge(challenge) => challenge,
            Step::NotConfirmed => return Ok(LoginStep::NotConfirmed),
            Step::Done { .. } => return Err(unsupported_step()), // USER_SRP_AUTH never skips the proof
        };
        let Prompt::PasswordVerifier(parameters) = &challenge.prompt else {
            return Err(unsupported_step());
        };
        let proof = answer_password_verifier(
            &ephemeral,
            config.pool.pool_name(),
            password,
            parameters,
            &cognito_timestamp(now_seconds()),
        )
        .map_err(|e| Problem::refused(Text::new(k::login::failed).with("detail", e.to_string())))?;
        self.respond(&challenge, Reply::PasswordVerifier(proof)).await
    }

    /// Sends the user's reply to a challenge and follows the answer. A wrong code keeps the challenge
    /// (the service lets the user try again within the same sign-in).
    pub async fn respond(&self, challenge: &Challenge, reply: Reply<'_>) -> Result<LoginStep, Problem> {
        let config = self.config();
        let request = challenge.respond(&config.client_id, reply).map_err(|e| flow_problem(&e))?;
        let answer = api::send::<RespondToAuthChallenge>(config, &request).await;
        let step = step(RespondToAuthChallenge::NAME, answer, challenge.user_id());
        let step = match (step, &challenge.prompt) {
            (Err(p), Prompt::Mfa { kind }) if p.is(codes::CODE_MISMATCH) => Err(p.with_message(wrong_code(*kind))),
            (step, _) => step,
        };
        match step? {
            Step::Done { user_id, tokens } => {
                let session = Session::from_auth_result(&config.client_id, &user_id, &tokens, None, now_seconds())
                    .map_err(|e| Problem::refused(Text::new(k::login::bad_tokens).with("detail", e.to_string())))?;
                self.save(&session)?;
                Ok(LoginStep::Done)
            }
            Step::NotConfirmed => Ok(LoginStep::NotConfirmed),
            Step::Challenge(next) => Ok(LoginStep::Challenge(next)),
        }
    }

    /// MFA_SETUP, first step: a new authenticator-app key for the user signing in (AssociateSoftwareToken
    /// with the sign-in's session). Returns the key and the challenge with the session to go on with.
    pub async fn start_mfa_setup(&self, challenge: &Challenge) -> Result<(String, Challenge), Problem> {
        let request =
            AssociateSoftwareTokenRequest { access_token: None, session: challenge.session().map(str::to_string) };
        let answer = api::call::<AssociateSoftwareToken>(self.config(), &request).await?;
        Ok((answer.secret_code, challenge.with_session(answer.session)))
    }

    /// MFA_SETUP, second step: the app's current code (VerifySoftwareToken with the session), then the
    /// challenge's answer. A wrong code can be corrected: the challenge stays as it was.
    pub async fn finish_mfa_setup(&self, challenge: &Challenge, code: &str) -> Result<LoginStep, Problem> {
        let request = VerifySoftwareTokenRequest {
            access_token: None,
            session: challenge.session().map(str::to_string),
            user_code: code.to_string(),
            friendly_device_name: Some("Authenticator app".into()),
        };
        let verified = match api::call::<VerifySoftwareToken>(self.config(), &request).await {
            Err(p) if p.is(codes::ENABLE_SOFTWARE_TOKEN_MFA) || p.is(codes::CODE_MISMATCH) => {
                return Err(p.with_message(wrong_code(MfaKind::SoftwareToken)))
            }
            other => other?,
        };
        self.respond(&challenge.with_session(verified.session), Reply::MfaSetUp).await
    }

    /// Proves again that the signed-in user is at the keyboard, for changes that weaken the account
    /// (turning off two-step verification): a full sign-in with the password and, when asked, the current
    /// code from the authenticator app. The new session replaces the old one, whose refresh token is
    /// revoked.
    pub async fn reauthenticate(&self, password: &str, code: &str) -> Result<(), Problem> {
        let Some(user) = self.user() else { return Err(Problem::session_ended()) };
        let previous = self.stored().refresh_token;
        let ephemeral = ClientEphemeral::generate()
            .map_err(|e| Problem::refused(Text::new(k::login::cannot_start).with("detail", e.to_string())))?;
        let step = match self.login(&user.username, password, ephemeral).await? {
            LoginStep::Challenge(c) if matches!(c.prompt, Prompt::Mfa { .. }) => {
                self.respond(&c, Reply::Code(code)).await?
            }
            other => other,
        };
        if !matches!(step, LoginStep::Done) {
            return Err(unsupported_step());
        }
        if let Some(old) = previous.filter(|old| self.stored().refresh_token.as_ref() != Some(old)) {
            self.revoke(&old).await.ok();
        }
        Ok(())
    }
}

/// The core's reading of an answer, or of a refusal that is a step ("not confirmed").
fn step(operation: &str, answer: Result<AuthResponse, CallError>, user_id: &str) -> Result<Step, Problem> {
    match answer {
        Ok(answer) => read_answer(user_id, answer).map_err(|e| flow_problem(&e)),
        Err(e) => match &e {
            CallError::Service(refusal) => step_of_refusal(refusal).ok_or(()),
            _ => Err(()),
        }
        .map_err(|()| Problem::from_call(operation, &e)),
    }
}

fn unsupported_step() -> Problem {
    Problem::refused(k::login::unsupported_step)
}

fn flow_problem(error: &FlowError) -> Problem {
    match error {
        FlowError::Unsupported(_) | FlowError::WrongReply => unsupported_step(),
        FlowError::Malformed(why) => Problem::refused(Text::new(k::login::bad_answer).with("detail", why.to_string())),
        FlowError::BadVerifierParameters(e) => {
            Problem::refused(Text::new(k::login::bad_answer).with("detail", e.to_string()))
        }
    }
}

/// A wrong code, in words that say where the right one is.
fn wrong_code(kind: MfaKind) -> Key {
    match kind {
        MfaKind::SoftwareToken => k::mfa::wrong_code,
    }
}
