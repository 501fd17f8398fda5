//! The sign-in driver: SRP (InitiateAuth, PASSWORD_VERIFIER), choice-based sign-in (USER_AUTH: the way
//! the user picks, a code by email or SMS, or the password proven with SRP), then the challenge steps,
//! and re-authentication for changes that weaken the account.

use cognito_core::api::{
    AssociateSoftwareToken, AssociateSoftwareTokenRequest, AuthResponse, InitiateAuth, InitiateAuthRequest, Operation,
    RespondToAuthChallenge, VerifySoftwareToken, VerifySoftwareTokenRequest,
};
use cognito_core::device::send_again_without_device;
use cognito_core::error::codes;
use cognito_core::i18n::{k, Key, Text};
use cognito_core::session::Session;
use cognito_core::sign_in::{key, read_answer, step_of_refusal, FlowError, Step};
pub use cognito_core::sign_in::{Challenge, CodeMedium, Method, MfaKind, Prompt, Reply};
use cognito_core::srp::{answer_password_verifier, ClientEphemeral};
use cognito_core::timestamp::cognito_timestamp;
use cognito_core::CallError;

use crate::api;
use crate::browser::now_seconds;
use crate::problem::Problem;
use crate::session::SessionOwner;

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
    ///
    /// In a pool with choice-based sign-in (config.json's `allowedFirstAuthFactors`), the same through
    /// USER_AUTH with PASSWORD_SRP preferred; a user who has no password is offered the other ways.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        ephemeral: ClientEphemeral,
    ) -> Result<LoginStep, Problem> {
        let config = self.config();
        let start = if config.passwordless.is_empty() {
            InitiateAuthRequest::user_srp(&config.client_id, username, ephemeral.public_hex())
        } else {
            let a = [(key::SRP_A, ephemeral.public_hex())];
            InitiateAuthRequest::user_auth(&config.client_id, username, Some(Method::Password.challenge()), &a, None)
        };
        let started = api::send::<InitiateAuth>(config, &start).await;
        match step(InitiateAuth::NAME, started, username, None)? {
            Step::Challenge(challenge) if matches!(challenge.prompt, Prompt::PasswordVerifier(_)) => {
                self.prove_password(&challenge, password, &ephemeral).await
            }
            // USER_AUTH, and the user has no password: the ways they have.
            Step::Challenge(other) if !config.passwordless.is_empty() => Ok(LoginStep::Challenge(other)),
            Step::NotConfirmed => Ok(LoginStep::NotConfirmed),
            _ => Err(unsupported_step()), // SRP never skips the proof
        }
    }

    /// Choice-based sign-in (USER_AUTH) by username: the way the user took last time when given (a code is
    /// sent at once), else the service offers the ways this user has ([`Prompt::ChooseMethod`]).
    pub async fn start_choice(&self, username: &str, preferred: Option<Method>) -> Result<LoginStep, Problem> {
        let config = self.config();
        let request =
            InitiateAuthRequest::user_auth(&config.client_id, username, preferred.map(Method::challenge), &[], None);
        let answer = api::send::<InitiateAuth>(config, &request).await;
        self.follow(step(InitiateAuth::NAME, answer, username, None)?).await
    }

    /// Signs in the user who just confirmed their sign-up with ConfirmSignUp's Session (USER_AUTH): nothing
    /// asked again (a pool that requires MFA asks to set it up).
    pub async fn sign_in_after_sign_up(&self, username: &str, session: String) -> Result<LoginStep, Problem> {
        let config = self.config();
        let request = InitiateAuthRequest::user_auth(&config.client_id, username, None, &[], Some(session));
        let answer = api::send::<InitiateAuth>(config, &request).await;
        self.follow(step(InitiateAuth::NAME, answer, username, None)?).await
    }

    /// SRP step two: the proof of the password, computed in wasm, and what follows it.
    async fn prove_password(
        &self,
        challenge: &Challenge,
        password: &str,
        ephemeral: &ClientEphemeral,
    ) -> Result<LoginStep, Problem> {
        let config = self.config();
        let Prompt::PasswordVerifier(parameters) = &challenge.prompt else {
            return Err(unsupported_step());
        };
        let proof = answer_password_verifier(
            ephemeral,
            config.pool.pool_name(),
            password,
            parameters,
            &cognito_timestamp(now_seconds()),
        )
        .map_err(|e| Problem::refused(Text::new(k::login::failed).with("detail", e.to_string())))?;
        self.respond(challenge, Reply::PasswordVerifier(proof)).await
    }

    /// Sends the user's reply to a challenge and follows the answer. A wrong code keeps the challenge
    /// (the service lets the user try again within the same sign-in).
    pub async fn respond(&self, challenge: &Challenge, reply: Reply<'_>) -> Result<LoginStep, Problem> {
        let step = match (self.answer(challenge, reply).await, &challenge.prompt) {
            (Err(p), Prompt::Mfa { kind, .. }) if p.is(codes::CODE_MISMATCH) => Err(p.with_message(wrong_code(*kind))),
            (Err(p), Prompt::SignInCode { .. }) if p.is(codes::CODE_MISMATCH) => Err(p.with_message(k::otp::wrong)),
            (step, _) => step,
        };
        self.follow(step?).await
    }

    /// One answer to a challenge (RespondToAuthChallenge) and the service's next step. The answer names
    /// this browser's device when it is one (see `devices`); when the service no longer knows the device,
    /// it is forgotten and the answer sent again without it (the session still stands, as both reference
    /// clients rely on). One call site, so the transport is compiled in once for every challenge.
    async fn answer(&self, challenge: &Challenge, reply: Reply<'_>) -> Result<Step, Problem> {
        let config = self.config();
        let request = challenge.respond(&config.client_id, reply).map_err(|e| flow_problem(&e))?;
        let user_id = challenge.user_id();
        // The device's own answers carry its key already.
        let device_prompt = matches!(challenge.prompt, Prompt::DeviceSrpAuth | Prompt::DevicePasswordVerifier { .. });
        let mut device_key = if device_prompt { None } else { self.stored_device_key(user_id) };
        loop {
            let mut sent = request.clone();
            if let Some(device_key) = &device_key {
                sent.challenge_responses.insert(key::DEVICE_KEY.into(), device_key.clone());
            }
            let answer = api::send::<RespondToAuthChallenge>(config, &sent).await;
            match &answer {
                Err(CallError::Service(e)) if send_again_without_device(e, device_key.is_some()) => {
                    self.forget_stored_device(user_id);
                    device_key = None;
                }
                _ => return step(RespondToAuthChallenge::NAME, answer, user_id, Some(challenge)),
            }
        }
    }

    /// A step of the sign-in for the page: tokens are saved here (and a new device confirmed), so the page
    /// only learns it is done; the device's own proof is answered here, so the page never sees it.
    async fn follow(&self, step: Step) -> Result<LoginStep, Problem> {
        let config = self.config();
        let mut step = step;
        let mut device_ephemeral = None;
        while let Step::Challenge(c) = &step {
            let Some(reply) = self.device_reply(c, &mut device_ephemeral)? else { break };
            step = self.answer(c, reply).await?;
        }
        match step {
            Step::Done { user_id, tokens } => {
                let session = Session::from_auth_result(&config.client_id, &user_id, &tokens, None, now_seconds())
                    .map_err(|e| Problem::refused(Text::new(k::login::bad_tokens).with("detail", e.to_string())))?;
                // The device first (as the reference client does), so the pages that open once the session
                // is saved find it confirmed.
                if let Some(metadata) = &tokens.new_device_metadata {
                    self.confirm_new_device(&user_id, metadata, &tokens.access_token).await;
                }
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
        let mut step = self.login(&user.username, password, ephemeral).await?;
        // Several second steps and none asked first: the authenticator app's, which the code is from.
        if let LoginStep::Challenge(c) = &step {
            if matches!(&c.prompt, Prompt::SelectMfa { kinds } if kinds.contains(&MfaKind::SoftwareToken)) {
                step = self.respond(c, Reply::SelectMfa(MfaKind::SoftwareToken)).await?;
            }
        }
        let step = match step {
            LoginStep::Challenge(c) if matches!(c.prompt, Prompt::Mfa { kind: MfaKind::SoftwareToken, .. }) => {
                self.respond(&c, Reply::Code(code)).await?
            }
            // Another kind is asked for first: the code typed cannot answer it.
            LoginStep::Challenge(c) if matches!(c.prompt, Prompt::Mfa { .. }) => {
                return Err(Problem::refused(k::mfa::reauth_needs_app));
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
/// `after`: the challenge this answers (the core reads what follows it in its light: a code by email after
/// the password is the second factor); none for InitiateAuth's.
fn step(
    operation: &str,
    answer: Result<AuthResponse, CallError>,
    user_id: &str,
    after: Option<&Challenge>,
) -> Result<Step, Problem> {
    match answer {
        Ok(answer) => match after {
            Some(challenge) => challenge.next(answer),
            None => read_answer(user_id, answer),
        }
        .map_err(|e| flow_problem(&e)),
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
        MfaKind::Sms | MfaKind::Email => k::otp::wrong,
    }
}
