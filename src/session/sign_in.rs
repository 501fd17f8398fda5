//! The sign-in driver: SRP (InitiateAuth, PASSWORD_VERIFIER), then the challenge steps, and
//! re-authentication for changes that weaken the account.

use cognito_core::api::*;
use cognito_core::error::codes;
use cognito_core::json::FromJson;
use cognito_core::session::Session;
use cognito_core::srp::{answer_password_verifier, ClientEphemeral, PasswordVerifierChallenge};
use cognito_core::timestamp::cognito_timestamp;
use cognito_core::CallError;

use super::*;
use crate::api;
use crate::browser::{now_seconds, yield_to_browser};

/// Where a login stands after the password step.
pub enum LoginStep {
    Done,
    /// The account was created by an administrator: a new password (and maybe attributes) is needed.
    NewPasswordRequired(NewPasswordChallenge),
    /// Right password, but the account is not confirmed yet.
    NotConfirmed,
    /// Software-token MFA is on: the code from the authenticator app is needed.
    MfaRequired(MfaChallenge),
}

#[derive(Clone, Debug, PartialEq)]
pub struct MfaChallenge {
    pub user_id: String,
    session: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewPasswordChallenge {
    pub user_id: String,
    session: Option<String>,
    /// Attribute names the pool requires and the account lacks (e.g. `name`).
    pub required_attributes: Vec<String>,
}

impl SessionOwner {
    /// SRP login: InitiateAuth (USER_SRP_AUTH) with `A` from the ephemeral, then the PASSWORD_VERIFIER
    /// answer computed in wasm. The session is stored under USER_ID_FOR_SRP.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        ephemeral: ClientEphemeral,
    ) -> Result<LoginStep, Problem> {
        let config = self.config();
        let start = InitiateAuthRequest::user_srp(&config.client_id, username, ephemeral.public_hex());
        let started =
            api::send::<InitiateAuth>(&config, &start).await.map_err(|e| Problem::from_call(InitiateAuth::NAME, &e))?;
        if started.challenge_name != Some(ChallengeName::PasswordVerifier) {
            return Err(unsupported_step());
        }
        let challenge = PasswordVerifierChallenge::from_parameters(&started.challenge_parameters)
            .map_err(|e| Problem::refused(format!("The sign-in service sent a bad challenge: {e}.")))?;
        yield_to_browser().await; // let the progress indicator paint before the big-number work
        let answer = answer_password_verifier(
            &ephemeral,
            config.pool.pool_name(),
            password,
            &challenge,
            &cognito_timestamp(now_seconds()),
        )
        .map_err(|e| Problem::refused(format!("Sign-in failed: {e}.")))?;
        let respond = RespondToAuthChallengeRequest::new(
            &config.client_id,
            ChallengeName::PasswordVerifier,
            answer.into_challenge_responses(),
            started.session,
        );
        match api::send::<RespondToAuthChallenge>(&config, &respond).await {
            Err(CallError::Service(e)) if e.is(codes::USER_NOT_CONFIRMED) => Ok(LoginStep::NotConfirmed),
            Err(e) => Err(Problem::from_call(RespondToAuthChallenge::NAME, &e)),
            Ok(answer) => self.finish_login(&challenge.user_id_for_srp, answer),
        }
    }

    pub(super) fn finish_login(&self, user_id: &str, answer: AuthResponse) -> Result<LoginStep, Problem> {
        let config = self.config();
        if let Some(tokens) = answer.authentication_result {
            let session = Session::from_auth_result(&config.client_id, user_id, &tokens, None, now_seconds())
                .map_err(|e| Problem::refused(format!("The sign-in service sent unusable tokens: {e}.")))?;
            self.save(&session)?;
            return Ok(LoginStep::Done);
        }
        match answer.challenge_name {
            Some(ChallengeName::SoftwareTokenMfa) => {
                Ok(LoginStep::MfaRequired(MfaChallenge { user_id: user_id.to_string(), session: answer.session }))
            }
            Some(ChallengeName::NewPasswordRequired) => {
                let required: Vec<String> = answer
                    .challenge_parameters
                    .get("requiredAttributes")
                    .and_then(|json| Vec::<String>::from_json_text(json).ok())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|name| name.strip_prefix("userAttributes.").unwrap_or(&name).to_string())
                    .collect();
                Ok(LoginStep::NewPasswordRequired(NewPasswordChallenge {
                    user_id: answer
                        .challenge_parameters
                        .get("USER_ID_FOR_SRP")
                        .cloned()
                        .unwrap_or_else(|| user_id.to_string()),
                    session: answer.session,
                    required_attributes: required,
                }))
            }
            _ => Err(unsupported_step()),
        }
    }

    /// Answers NEW_PASSWORD_REQUIRED with the new password and the required attributes.
    pub async fn complete_new_password(
        &self,
        challenge: &NewPasswordChallenge,
        new_password: &str,
        attributes: Vec<(String, String)>,
    ) -> Result<LoginStep, Problem> {
        let config = self.config();
        let mut responses =
            string_map([("USERNAME", challenge.user_id.clone()), ("NEW_PASSWORD", new_password.to_string())]);
        for (name, value) in attributes {
            responses.insert(format!("userAttributes.{name}"), value);
        }
        let request = RespondToAuthChallengeRequest::new(
            &config.client_id,
            ChallengeName::NewPasswordRequired,
            responses,
            challenge.session.clone(),
        );
        let answer = api::call::<RespondToAuthChallenge>(&config, &request).await?;
        self.finish_login(&challenge.user_id, answer)
    }

    /// Answers SOFTWARE_TOKEN_MFA with the six-digit code of the user's authenticator app.
    pub async fn answer_mfa(&self, challenge: &MfaChallenge, code: &str) -> Result<LoginStep, Problem> {
        let config = self.config();
        let responses =
            string_map([("USERNAME", challenge.user_id.clone()), ("SOFTWARE_TOKEN_MFA_CODE", code.to_string())]);
        let request = RespondToAuthChallengeRequest::new(
            &config.client_id,
            ChallengeName::SoftwareTokenMfa,
            responses,
            challenge.session.clone(),
        );
        match api::call::<RespondToAuthChallenge>(&config, &request).await {
            Ok(answer) => self.finish_login(&challenge.user_id, answer),
            Err(p) if p.is(codes::CODE_MISMATCH) => {
                Err(p.with_message("That code is not right. Enter the current code from your authenticator app."))
            }
            Err(p) => Err(p),
        }
    }

    /// Proves again that the signed-in user is at the keyboard, for changes that weaken the account
    /// (turning off two-step verification): a full sign-in with the password and, when asked, the current
    /// code from the authenticator app. The new session replaces the old one, whose refresh token is
    /// revoked.
    pub async fn reauthenticate(&self, password: &str, code: &str) -> Result<(), Problem> {
        let Some(user) = self.user() else { return Err(Problem::session_ended()) };
        let previous = self.stored().refresh_token;
        let ephemeral =
            ClientEphemeral::generate().map_err(|e| Problem::refused(format!("Cannot start signing in: {e}.")))?;
        let step = match self.login(&user.username, password, ephemeral).await? {
            LoginStep::MfaRequired(challenge) => self.answer_mfa(&challenge, code).await?,
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

fn unsupported_step() -> Problem {
    Problem::refused("The sign-in service asked for a step this app does not support.")
}
