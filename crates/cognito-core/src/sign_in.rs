//! The sign-in challenge protocol as a pure state machine.
//!
//! A sign-in is a conversation: InitiateAuth, then RespondToAuthChallenge until the service hands out
//! tokens. Each answer of the service is read by [`read_answer`] or [`Challenge::next`] into a [`Step`]: done
//! (tokens), not confirmed, or a [`Challenge`] whose [`Prompt`] says what to ask the user. The user's
//! reply becomes the next request through [`Challenge::respond`], which refuses a reply of the wrong kind.
//! Nothing here does I/O: the browser app drives it, and the local server answers with the same names
//! ([`ChallengeName`]) and parameter keys ([`key`]).
//!
//! A new kind of challenge (EMAIL_OTP, SMS_MFA, WEB_AUTHN, SELECT_CHALLENGE, DEVICE_SRP_AUTH, …) is a
//! new [`Prompt`] variant read in `Challenge::prompt_of` and a new [`Reply`] accepted in
//! [`Challenge::respond`]; the app then renders the prompt. Names the app does not handle yet are
//! [`FlowError::Unsupported`], a clear refusal, never a panic.

use std::collections::BTreeMap;
use std::fmt;

use crate::api::{string_map, AuthResponse, AuthenticationResult, ChallengeName, RespondToAuthChallengeRequest};
use crate::error::{codes, CognitoError};
use crate::json::FromJson;
use crate::srp::{PasswordVerifierAnswer, PasswordVerifierChallenge, SrpError};

/// Keys of `AuthParameters`, `ChallengeParameters` and `ChallengeResponses`, spelled as Cognito does.
pub mod key {
    pub const USERNAME: &str = "USERNAME";
    pub const SRP_A: &str = "SRP_A";
    pub const SRP_B: &str = "SRP_B";
    pub const SALT: &str = "SALT";
    pub const SECRET_BLOCK: &str = "SECRET_BLOCK";
    pub const USER_ID_FOR_SRP: &str = "USER_ID_FOR_SRP";
    pub const PASSWORD_CLAIM_SECRET_BLOCK: &str = "PASSWORD_CLAIM_SECRET_BLOCK";
    pub const PASSWORD_CLAIM_SIGNATURE: &str = "PASSWORD_CLAIM_SIGNATURE";
    pub const TIMESTAMP: &str = "TIMESTAMP";
    pub const REFRESH_TOKEN: &str = "REFRESH_TOKEN";
    pub const NEW_PASSWORD: &str = "NEW_PASSWORD";
    /// NEW_PASSWORD_REQUIRED: a JSON list of `userAttributes.<name>` the answer must carry.
    pub const REQUIRED_ATTRIBUTES: &str = "requiredAttributes";
    /// NEW_PASSWORD_REQUIRED: a JSON object of the attributes the account has.
    pub const USER_ATTRIBUTES: &str = "userAttributes";
    /// Prefix of an attribute in a NEW_PASSWORD_REQUIRED answer (and in `requiredAttributes`).
    pub const USER_ATTRIBUTE_PREFIX: &str = "userAttributes.";
    pub const SOFTWARE_TOKEN_MFA_CODE: &str = "SOFTWARE_TOKEN_MFA_CODE";
    pub const SMS_MFA_CODE: &str = "SMS_MFA_CODE";
    pub const EMAIL_OTP_CODE: &str = "EMAIL_OTP_CODE";
    pub const SMS_OTP_CODE: &str = "SMS_OTP_CODE";
    pub const FRIENDLY_DEVICE_NAME: &str = "FRIENDLY_DEVICE_NAME";
    pub const CODE_DELIVERY_DELIVERY_MEDIUM: &str = "CODE_DELIVERY_DELIVERY_MEDIUM";
    pub const CODE_DELIVERY_DESTINATION: &str = "CODE_DELIVERY_DESTINATION";
    pub const ANSWER: &str = "ANSWER";
    /// USER_AUTH: the first factor the user would like (`PASSWORD_SRP`, `EMAIL_OTP`, …).
    pub const PREFERRED_CHALLENGE: &str = "PREFERRED_CHALLENGE";
    /// USER_AUTH's PASSWORD factor: the password itself (the app uses PASSWORD_SRP instead).
    pub const PASSWORD: &str = "PASSWORD";
    /// WEB_AUTHN: the request options for `navigator.credentials.get` (a JSON string).
    pub const CREDENTIAL_REQUEST_OPTIONS: &str = "CREDENTIAL_REQUEST_OPTIONS";
    /// WEB_AUTHN's answer: the assertion (a JSON string).
    pub const CREDENTIAL: &str = "CREDENTIAL";
    pub const DEVICE_KEY: &str = "DEVICE_KEY";
    /// MFA_SETUP: a JSON list of the MFA kinds the user may set up (`["SOFTWARE_TOKEN_MFA"]`).
    pub const MFAS_CAN_SETUP: &str = "MFAS_CAN_SETUP";
    /// SELECT_MFA_TYPE: a JSON list of the MFA kinds the user may choose (`["SMS_MFA","SOFTWARE_TOKEN_MFA"]`).
    pub const MFAS_CAN_CHOOSE: &str = "MFAS_CAN_CHOOSE";
    /// MFA_SETUP answered with a code by email: the address the codes go to.
    pub const EMAIL: &str = "EMAIL";
}

/// Where a sign-in stands after an answer of the service.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Signed in: the tokens, for the user the service knows by `user_id` (the session's storage key).
    Done { user_id: String, tokens: Box<AuthenticationResult> },
    /// The password was right but the account is not confirmed yet (UserNotConfirmedException).
    NotConfirmed,
    /// The service waits for an answer.
    Challenge(Challenge),
}

/// What the user (or the app, for the SRP proof) must give to go on.
#[derive(Debug, Clone, PartialEq)]
pub enum Prompt {
    /// SRP step two: the proof of the password (computed by the app, see
    /// [`crate::srp::answer_password_verifier`]).
    PasswordVerifier(PasswordVerifierChallenge),
    /// An administrator created the account: a new password, and the attributes the pool requires that
    /// the account lacks (bare names, e.g. `name`).
    NewPassword { required_attributes: Vec<String> },
    /// A second factor: a code of the given kind, and where the service sent it when it sent one (SMS_MFA,
    /// EMAIL_OTP after the password: `+*******1234`, `a***@e***`).
    Mfa { kind: MfaKind, destination: Option<String> },
    /// The user has several second factors and prefers none (SELECT_MFA_TYPE): which one now, among
    /// these; reply [`Reply::SelectMfa`].
    SelectMfa { kinds: Vec<MfaKind> },
    /// The pool requires a second factor the user has not set up (MFA_SETUP): set one of these up (for
    /// an authenticator app: AssociateSoftwareToken and VerifySoftwareToken with the challenge's
    /// [`Challenge::session`]), then reply [`Reply::MfaSetUp`] with the session they returned; for codes
    /// by email, reply [`Reply::MfaSetupEmail`] with the address, and the code sent there follows as
    /// [`Prompt::Mfa`]).
    MfaSetup { kinds: Vec<MfaKind> },
    /// USER_AUTH's SELECT_CHALLENGE: how the user wants to sign in, among these (in the service's order);
    /// reply [`Reply::Choose`].
    ChooseMethod { methods: Vec<Method> },
    /// A sign-in by a code the service sent (EMAIL_OTP, SMS_OTP): where it went, as the service shows it
    /// (`a***@e***`); reply [`Reply::Code`].
    SignInCode { medium: CodeMedium, destination: Option<String> },
    /// A sign-in by passkey (WEB_AUTHN): the options for `navigator.credentials.get` (JSON, as the service
    /// wrote them); reply [`Reply::Passkey`] with the assertion the browser made.
    Passkey { options: String },
    /// The device this sign-in runs on is known to the service and proves itself (DEVICE_SRP_AUTH): the
    /// app answers with [`crate::device::srp_auth_responses`] ([`Reply::Device`]); nobody is asked.
    DeviceSrpAuth,
    /// The device's proof (DEVICE_PASSWORD_VERIFIER): the app answers with
    /// [`crate::device::password_verifier_responses`] over these parameters ([`Reply::Device`]).
    DevicePasswordVerifier { parameters: BTreeMap<String, String> },
}

impl Prompt {
    /// The way of signing in this step belongs to, when it is one of choice-based sign-in's first factors
    /// (a code sent to sign in, a passkey): what the browser remembers for next time once it succeeds.
    pub fn way(&self) -> Option<Method> {
        match self {
            Prompt::SignInCode { medium, .. } => Some(medium.method()),
            Prompt::Passkey { .. } => Some(Method::Passkey),
            _ => None,
        }
    }
}

/// A way to start signing in, as USER_AUTH offers them (its first factors, as people see them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// PASSWORD and PASSWORD_SRP: the app always proves the password with SRP (it never leaves the page).
    Password,
    /// EMAIL_OTP: a code sent by email.
    EmailCode,
    /// SMS_OTP: a code sent by text message.
    SmsCode,
    /// WEB_AUTHN: a passkey.
    Passkey,
}

impl Method {
    /// The challenge that starts it.
    pub fn challenge(self) -> ChallengeName {
        match self {
            Method::Password => ChallengeName::PasswordSrp,
            Method::EmailCode => ChallengeName::EmailOtp,
            Method::SmsCode => ChallengeName::SmsOtp,
            Method::Passkey => ChallengeName::WebAuthn,
        }
    }

    /// The method a challenge name starts (None: not a way this app signs in).
    pub fn of(name: ChallengeName) -> Option<Method> {
        match name {
            ChallengeName::Password | ChallengeName::PasswordSrp => Some(Method::Password),
            ChallengeName::EmailOtp => Some(Method::EmailCode),
            ChallengeName::SmsOtp => Some(Method::SmsCode),
            ChallengeName::WebAuthn => Some(Method::Passkey),
            _ => None,
        }
    }
}

/// Where a sign-in code went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeMedium {
    Email,
    Sms,
}

impl CodeMedium {
    /// The way of signing in that sends a code this way.
    pub fn method(self) -> Method {
        match self {
            CodeMedium::Email => Method::EmailCode,
            CodeMedium::Sms => Method::SmsCode,
        }
    }
}

/// The kinds of second factor a sign-in can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaKind {
    /// SOFTWARE_TOKEN_MFA: the six-digit code of an authenticator app.
    SoftwareToken,
    /// SMS_MFA: a code sent by text message to the user's phone number.
    Sms,
    /// EMAIL_OTP as a second factor: a code sent by email.
    Email,
}

impl MfaKind {
    /// The kind's name in MFAS_CAN_CHOOSE, MFAS_CAN_SETUP, SELECT_MFA_TYPE's ANSWER and GetUser's
    /// `UserMFASettingList`.
    pub fn name(self) -> &'static str {
        self.challenge().as_str()
    }

    /// The kind of a name in those lists (None: a kind this app does not know).
    pub fn of(name: &str) -> Option<MfaKind> {
        [MfaKind::SoftwareToken, MfaKind::Sms, MfaKind::Email].into_iter().find(|k| k.name() == name)
    }

    /// The challenge that asks for this kind's code.
    pub fn challenge(self) -> ChallengeName {
        match self {
            MfaKind::SoftwareToken => ChallengeName::SoftwareTokenMfa,
            MfaKind::Sms => ChallengeName::SmsMfa,
            MfaKind::Email => ChallengeName::EmailOtp,
        }
    }

    /// The `ChallengeResponses` key of the code.
    fn code_key(self) -> &'static str {
        match self {
            MfaKind::SoftwareToken => key::SOFTWARE_TOKEN_MFA_CODE,
            MfaKind::Sms => key::SMS_MFA_CODE,
            MfaKind::Email => key::EMAIL_OTP_CODE,
        }
    }
}

/// A challenge the service waits on: what to ask, and what the answer must carry (the auth session and
/// the user's name as the service knows it).
#[derive(Clone, PartialEq)]
pub struct Challenge {
    pub prompt: Prompt,
    name: ChallengeName,
    session: Option<String>,
    user_id: String,
}

// The auth session is a bearer secret of the sign-in in progress: never printed.
impl fmt::Debug for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Challenge").field("prompt", &self.prompt).field("user_id", &self.user_id).finish()
    }
}

/// The user's (or the app's) reply to a [`Prompt`].
pub enum Reply<'a> {
    PasswordVerifier(PasswordVerifierAnswer),
    /// The new password and a value for each required attribute (bare names).
    NewPassword {
        password: &'a str,
        attributes: &'a [(String, String)],
    },
    /// A code of the kind the prompt asked for.
    Code(&'a str),
    /// The second factor was set up (MFA_SETUP).
    MfaSetUp,
    /// Codes by email chosen as the second factor while signing in (MFA_SETUP): the address to send them
    /// to; the service sends the first one there at once.
    MfaSetupEmail(&'a str),
    /// The second factor chosen for this sign-in (SELECT_MFA_TYPE).
    SelectMfa(MfaKind),
    /// A way to sign in, chosen (SELECT_CHALLENGE); a password needs the SRP `A` (hex) with it.
    Choose {
        method: Method,
        srp_a: Option<String>,
    },
    /// The passkey's assertion (`PublicKeyCredential.toJSON()`, as JSON text).
    Passkey(&'a str),
    /// The device's answer to DEVICE_SRP_AUTH or DEVICE_PASSWORD_VERIFIER (see [`crate::device`]).
    Device(BTreeMap<String, String>),
}

/// Why an answer of the service cannot be followed, or a reply cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowError {
    /// A challenge this app does not handle (its wire name).
    Unsupported(&'static str),
    /// The answer is not what the protocol says (no tokens and no challenge, a malformed parameter).
    Malformed(&'static str),
    /// The PASSWORD_VERIFIER parameters are missing or malformed.
    BadVerifierParameters(SrpError),
    /// The reply does not answer the prompt (a programming error in the app, refused rather than sent).
    WrongReply,
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::Unsupported(name) => {
                write!(f, "the sign-in service asked for a step this app does not support ({name})")
            }
            FlowError::Malformed(why) => write!(f, "the sign-in service sent a bad answer: {why}"),
            FlowError::BadVerifierParameters(e) => write!(f, "the sign-in service sent a bad challenge: {e}"),
            FlowError::WrongReply => f.write_str("the reply does not answer this step"),
        }
    }
}

impl std::error::Error for FlowError {}

impl From<SrpError> for FlowError {
    fn from(e: SrpError) -> Self {
        FlowError::BadVerifierParameters(e)
    }
}

/// Reads an answer of InitiateAuth or RespondToAuthChallenge. `user_id`: the user as known so far (what
/// they typed, for InitiateAuth; then [`Challenge::user_id`], which [`Challenge::next`] passes).
pub fn read_answer(user_id: &str, answer: AuthResponse) -> Result<Step, FlowError> {
    read(user_id, answer, false)
}

/// What a refusal means for the sign-in: some errors are steps, not failures. `None`: it is a failure
/// the app shows as it is.
pub fn step_of_refusal(error: &CognitoError) -> Option<Step> {
    error.is(codes::USER_NOT_CONFIRMED).then_some(Step::NotConfirmed)
}

impl Challenge {
    /// The user's name as the service knows it (USER_ID_FOR_SRP, which is a UUID in pools whose users
    /// sign in with their email).
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    pub fn name(&self) -> ChallengeName {
        self.name
    }

    /// The auth session, for the calls a prompt needs besides the answer (MFA_SETUP's
    /// AssociateSoftwareToken and VerifySoftwareToken). A secret of the sign-in in progress.
    pub fn session(&self) -> Option<&str> {
        self.session.as_deref()
    }

    /// The same challenge with the session those calls returned (each returns a new one).
    pub fn with_session(&self, session: Option<String>) -> Challenge {
        Challenge { session, ..self.clone() }
    }

    /// Reads the service's answer to this challenge's reply. A code by email that follows anything but
    /// the choice of a way to sign in is a second factor (EMAIL_OTP names both).
    pub fn next(&self, answer: AuthResponse) -> Result<Step, FlowError> {
        read(&self.user_id, answer, !matches!(self.prompt, Prompt::ChooseMethod { .. }))
    }

    /// The RespondToAuthChallenge request carrying `reply`; a reply of another kind than the prompt
    /// asks for is refused.
    pub fn respond(&self, client_id: &str, reply: Reply<'_>) -> Result<RespondToAuthChallengeRequest, FlowError> {
        let responses = match (&self.prompt, reply) {
            (Prompt::PasswordVerifier(_), Reply::PasswordVerifier(answer)) => answer.into_challenge_responses(),
            (Prompt::NewPassword { .. }, Reply::NewPassword { password, attributes }) => {
                let mut responses =
                    string_map([(key::USERNAME, self.user_id.clone()), (key::NEW_PASSWORD, password.to_string())]);
                for (name, value) in attributes {
                    responses.insert(format!("{}{name}", key::USER_ATTRIBUTE_PREFIX), value.clone());
                }
                responses
            }
            (Prompt::Mfa { kind, .. }, Reply::Code(code)) => {
                string_map([(key::USERNAME, self.user_id.clone()), (kind.code_key(), code.trim().to_string())])
            }
            (Prompt::MfaSetup { .. }, Reply::MfaSetUp) => string_map([(key::USERNAME, self.user_id.clone())]),
            (Prompt::MfaSetup { kinds }, Reply::MfaSetupEmail(address)) if kinds.contains(&MfaKind::Email) => {
                string_map([(key::USERNAME, self.user_id.clone()), (key::EMAIL, address.trim().to_string())])
            }
            (Prompt::SelectMfa { kinds }, Reply::SelectMfa(kind)) if kinds.contains(&kind) => {
                string_map([(key::USERNAME, self.user_id.clone()), (key::ANSWER, kind.name().to_string())])
            }
            (Prompt::ChooseMethod { methods }, Reply::Choose { method, srp_a }) if methods.contains(&method) => {
                let mut responses = string_map([
                    (key::USERNAME, self.user_id.clone()),
                    (key::ANSWER, method.challenge().as_str().to_string()),
                ]);
                match (method, srp_a) {
                    (Method::Password, Some(a)) => {
                        responses.insert(key::SRP_A.to_string(), a);
                    }
                    (Method::Password, None) => return Err(FlowError::WrongReply),
                    _ => {}
                }
                responses
            }
            (Prompt::DeviceSrpAuth | Prompt::DevicePasswordVerifier { .. }, Reply::Device(responses)) => responses,
            (Prompt::Passkey { .. }, Reply::Passkey(credential)) => {
                string_map([(key::USERNAME, self.user_id.clone()), (key::CREDENTIAL, credential.to_string())])
            }
            (Prompt::SignInCode { medium, .. }, Reply::Code(code)) => {
                let code_key = match medium {
                    CodeMedium::Email => key::EMAIL_OTP_CODE,
                    CodeMedium::Sms => key::SMS_OTP_CODE,
                };
                string_map([(key::USERNAME, self.user_id.clone()), (code_key, code.trim().to_string())])
            }
            _ => return Err(FlowError::WrongReply),
        };
        Ok(RespondToAuthChallengeRequest::new(client_id, self.name, responses, self.session.clone()))
    }

    /// The prompt of a challenge named `name` with these parameters (and, for SELECT_CHALLENGE, the
    /// answer's `AvailableChallenges`).
    fn prompt_of(
        name: ChallengeName,
        parameters: &BTreeMap<String, String>,
        available: &[ChallengeName],
        second_factor: bool,
    ) -> Result<Prompt, FlowError> {
        let destination = || parameters.get(key::CODE_DELIVERY_DESTINATION).filter(|d| !d.is_empty()).cloned();
        Ok(match name {
            ChallengeName::EmailOtp if second_factor => {
                Prompt::Mfa { kind: MfaKind::Email, destination: destination() }
            }
            ChallengeName::SmsMfa => Prompt::Mfa { kind: MfaKind::Sms, destination: destination() },
            ChallengeName::SelectMfaType => {
                let kinds = kinds_in(
                    parameters,
                    key::MFAS_CAN_CHOOSE,
                    &[MfaKind::SoftwareToken, MfaKind::Sms, MfaKind::Email],
                )?;
                if kinds.is_empty() {
                    return Err(FlowError::Unsupported(name.as_str())); // only kinds this app cannot answer
                }
                Prompt::SelectMfa { kinds }
            }
            ChallengeName::SelectChallenge => {
                let mut methods: Vec<Method> = Vec::new();
                for method in available.iter().filter_map(|n| Method::of(*n)) {
                    if !methods.contains(&method) {
                        methods.push(method);
                    }
                }
                if methods.is_empty() {
                    return Err(FlowError::Unsupported(name.as_str())); // only ways this app cannot sign in
                }
                Prompt::ChooseMethod { methods }
            }
            ChallengeName::WebAuthn => match parameters.get(key::CREDENTIAL_REQUEST_OPTIONS) {
                Some(options) if !options.is_empty() => Prompt::Passkey { options: options.clone() },
                _ => return Err(FlowError::Malformed("WEB_AUTHN without CREDENTIAL_REQUEST_OPTIONS")),
            },
            ChallengeName::EmailOtp | ChallengeName::SmsOtp => Prompt::SignInCode {
                medium: if name == ChallengeName::EmailOtp { CodeMedium::Email } else { CodeMedium::Sms },
                destination: destination(),
            },
            ChallengeName::PasswordVerifier => {
                Prompt::PasswordVerifier(PasswordVerifierChallenge::from_parameters(parameters)?)
            }
            ChallengeName::NewPasswordRequired => {
                Prompt::NewPassword { required_attributes: required_attributes(parameters)? }
            }
            ChallengeName::SoftwareTokenMfa => Prompt::Mfa { kind: MfaKind::SoftwareToken, destination: None },
            ChallengeName::DeviceSrpAuth => Prompt::DeviceSrpAuth,
            ChallengeName::DevicePasswordVerifier => {
                for needed in [key::SALT, key::SRP_B, key::SECRET_BLOCK] {
                    if parameters.get(needed).is_none_or(|v| v.is_empty()) {
                        return Err(FlowError::Malformed(
                            "DEVICE_PASSWORD_VERIFIER without SALT, SRP_B or SECRET_BLOCK",
                        ));
                    }
                }
                Prompt::DevicePasswordVerifier { parameters: parameters.clone() }
            }
            ChallengeName::MfaSetup => {
                // Codes by text message cannot be set up while signing in (the phone number needs an
                // access token first).
                let kinds = kinds_in(parameters, key::MFAS_CAN_SETUP, &[MfaKind::SoftwareToken, MfaKind::Email])?;
                if kinds.is_empty() {
                    return Err(FlowError::Unsupported(name.as_str())); // only kinds this app cannot set up
                }
                Prompt::MfaSetup { kinds }
            }
            other => return Err(FlowError::Unsupported(other.as_str())),
        })
    }
}

fn read(user_id: &str, answer: AuthResponse, second_factor: bool) -> Result<Step, FlowError> {
    let AuthResponse { challenge_name, session, challenge_parameters, authentication_result, available_challenges } =
        answer;
    if let Some(tokens) = authentication_result {
        // Tokens with no challenge before them (USER_AUTH's PASSWORD, a sign-in right after sign-up) say
        // the service's name for the user only in the id token: the session is stored under it.
        let named = crate::jwt::decode_payload(&tokens.id_token).ok().and_then(|c| c.username().map(str::to_string));
        let user_id = named.filter(|n| !n.is_empty()).unwrap_or_else(|| user_id.to_string());
        return Ok(Step::Done { user_id, tokens: Box::new(tokens) });
    }
    let Some(name) = challenge_name else {
        return Err(FlowError::Malformed("neither tokens nor a challenge"));
    };
    let prompt = Challenge::prompt_of(name, &challenge_parameters, &available_challenges, second_factor)?;
    // The service renames the user when it knows them under another name (an alias or an email): from
    // then on, that name answers the challenges and keys the stored session. SRP says it as
    // USER_ID_FOR_SRP; a sign-in by code as USERNAME.
    let renamed = match prompt {
        Prompt::SignInCode { .. } | Prompt::Passkey { .. } => key::USERNAME,
        _ => key::USER_ID_FOR_SRP,
    };
    let user_id = match challenge_parameters.get(renamed).filter(|v| !v.is_empty()) {
        Some(id) => id.clone(),
        None => user_id.to_string(),
    };
    Ok(Step::Challenge(Challenge { prompt, name, session, user_id }))
}

/// The bare attribute names of NEW_PASSWORD_REQUIRED's `requiredAttributes` (absent: none).
fn required_attributes(parameters: &BTreeMap<String, String>) -> Result<Vec<String>, FlowError> {
    let names = name_list(parameters, key::REQUIRED_ATTRIBUTES, "requiredAttributes is not a list of names")?;
    Ok(names
        .into_iter()
        .map(|name| name.strip_prefix(key::USER_ATTRIBUTE_PREFIX).map(str::to_string).unwrap_or(name))
        .filter(|name| !name.is_empty())
        .collect())
}

/// The kinds among `wanted` that a list of MFA kinds (MFAS_CAN_SETUP, MFAS_CAN_CHOOSE) names, in the
/// service's order (absent: none).
fn kinds_in(
    parameters: &BTreeMap<String, String>,
    list: &'static str,
    wanted: &[MfaKind],
) -> Result<Vec<MfaKind>, FlowError> {
    let names = name_list(parameters, list, "an MFA list is not a list of names")?;
    let mut kinds = Vec::new();
    for kind in names.iter().filter_map(|n| MfaKind::of(n)).filter(|k| wanted.contains(k)) {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    Ok(kinds)
}

/// A challenge parameter holding a JSON list of names (absent: none; not such a list: `malformed`).
fn name_list(
    parameters: &BTreeMap<String, String>,
    name: &str,
    malformed: &'static str,
) -> Result<Vec<String>, FlowError> {
    match parameters.get(name) {
        None => Ok(Vec::new()),
        Some(text) => Vec::<String>::from_json_text(text).map_err(|_| FlowError::Malformed(malformed)),
    }
}

/// The `requiredAttributes` parameter the server sends for these bare names (the inverse of the
/// reading above).
pub fn required_attributes_parameter<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let list: Vec<String> = names.into_iter().map(|n| format!("{}{n}", key::USER_ATTRIBUTE_PREFIX)).collect();
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".into()) // a list of strings always serializes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srp::{answer_password_verifier, to_hex, verifier, ClientEphemeral, ServerEphemeral};

    fn tokens() -> AuthenticationResult {
        AuthenticationResult { access_token: "a".into(), id_token: "i".into(), expires_in: 3600, ..Default::default() }
    }

    fn challenge(name: ChallengeName, parameters: &[(&str, &str)]) -> AuthResponse {
        AuthResponse {
            challenge_name: Some(name),
            session: Some("s-1".into()),
            challenge_parameters: parameters.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            authentication_result: None,
            available_challenges: Vec::new(),
        }
    }

    fn expect_challenge(step: Result<Step, FlowError>) -> Challenge {
        match step {
            Ok(Step::Challenge(c)) => c,
            other => panic!("expected a challenge, got {other:?}"),
        }
    }

    #[test]
    fn tokens_finish_the_sign_in_under_the_services_name_for_the_user() {
        let answer = AuthResponse { authentication_result: Some(tokens()), ..Default::default() };
        assert_eq!(
            read_answer("alice", answer),
            Ok(Step::Done { user_id: "alice".into(), tokens: Box::new(tokens()) })
        );
    }

    /// The whole SRP conversation against the server half: the PASSWORD_VERIFIER prompt, the proof as a
    /// reply, and the request the server can verify.
    #[test]
    fn password_verifier_round_trip() {
        let salt = num_bigint::BigUint::from(0x5a17u32);
        let v = verifier("pool", "uuid-1", "pw", &salt);
        let server = ServerEphemeral::generate(&v).unwrap();
        let answer = challenge(
            ChallengeName::PasswordVerifier,
            &[
                (key::SALT, &to_hex(&salt.to_bytes_be())),
                (key::SRP_B, &server.public_hex()),
                (key::SECRET_BLOCK, "AAEC"),
                (key::USER_ID_FOR_SRP, "uuid-1"),
                (key::USERNAME, "uuid-1"),
            ],
        );
        let c = expect_challenge(read_answer("alice@example.com", answer));
        assert_eq!(c.user_id(), "uuid-1", "the service's name replaces the typed one");
        let Prompt::PasswordVerifier(params) = &c.prompt else { panic!("{c:?}") };
        let ephemeral = ClientEphemeral::generate().unwrap();
        let proof = answer_password_verifier(&ephemeral, "pool", "pw", params, "Mon Nov 30 04:00:00 UTC 2026").unwrap();
        let request = c.respond("client", Reply::PasswordVerifier(proof)).unwrap();
        assert_eq!(request.challenge_name, ChallengeName::PasswordVerifier);
        assert_eq!(request.session.as_deref(), Some("s-1"));
        let r = &request.challenge_responses;
        assert_eq!(r[key::USERNAME], "uuid-1");
        assert_eq!(r[key::PASSWORD_CLAIM_SECRET_BLOCK], "AAEC");
        let key = server.password_key(ephemeral.public(), &v).unwrap();
        assert!(key.verify_signature(
            "pool",
            "uuid-1",
            &[0, 1, 2],
            &r[key::TIMESTAMP],
            &r[key::PASSWORD_CLAIM_SIGNATURE]
        ));
    }

    #[test]
    fn new_password_asks_for_missing_attributes_by_bare_name_and_answers_with_the_prefix() {
        let required = required_attributes_parameter(["name", "family_name"]);
        let answer = challenge(
            ChallengeName::NewPasswordRequired,
            &[(key::USER_ID_FOR_SRP, "uuid-2"), (key::REQUIRED_ATTRIBUTES, &required), (key::USER_ATTRIBUTES, "{}")],
        );
        let c = expect_challenge(Challenge::next(&dummy("alice"), answer));
        assert_eq!(c.prompt, Prompt::NewPassword { required_attributes: vec!["name".into(), "family_name".into()] });
        let attributes = [("name".to_string(), "Alice".to_string())];
        let request =
            c.respond("client", Reply::NewPassword { password: "Secret-1", attributes: &attributes }).unwrap();
        assert_eq!(request.challenge_name, ChallengeName::NewPasswordRequired);
        assert_eq!(
            request.challenge_responses,
            string_map([
                (key::USERNAME, "uuid-2".into()),
                (key::NEW_PASSWORD, "Secret-1".into()),
                ("userAttributes.name", "Alice".into())
            ])
        );
        // No list: nothing is required. A list that is not one: a clear error.
        let none = expect_challenge(read_answer("a", challenge(ChallengeName::NewPasswordRequired, &[])));
        assert_eq!(none.prompt, Prompt::NewPassword { required_attributes: vec![] });
        assert!(matches!(
            read_answer("a", challenge(ChallengeName::NewPasswordRequired, &[(key::REQUIRED_ATTRIBUTES, "{")])),
            Err(FlowError::Malformed(_))
        ));
    }

    #[test]
    fn mfa_code_is_answered_under_the_name_from_the_earlier_step() {
        let c = expect_challenge(
            dummy("uuid-3")
                .next(challenge(ChallengeName::SoftwareTokenMfa, &[(key::FRIENDLY_DEVICE_NAME, "TOTP device")])),
        );
        assert_eq!(c.prompt, Prompt::Mfa { kind: MfaKind::SoftwareToken, destination: None });
        assert_eq!(c.user_id(), "uuid-3");
        let request = c.respond("client", Reply::Code(" 123456 ")).unwrap();
        assert_eq!(request.challenge_name, ChallengeName::SoftwareTokenMfa);
        assert_eq!(
            request.challenge_responses,
            string_map([(key::USERNAME, "uuid-3".into()), (key::SOFTWARE_TOKEN_MFA_CODE, "123456".into())])
        );
        assert_eq!(
            c.respond("client", Reply::NewPassword { password: "x", attributes: &[] }),
            Err(FlowError::WrongReply)
        );
    }

    #[test]
    fn mfa_setup_offers_what_the_app_can_set_up_and_answers_with_the_newest_session() {
        let answer =
            challenge(ChallengeName::MfaSetup, &[(key::MFAS_CAN_SETUP, r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#)]);
        let c = expect_challenge(dummy("uuid-4").next(answer));
        assert_eq!(c.prompt, Prompt::MfaSetup { kinds: vec![MfaKind::SoftwareToken] });
        assert_eq!(c.session(), Some("s-1"));
        let later = c.with_session(Some("s-3".into()));
        let request = later.respond("client", Reply::MfaSetUp).unwrap();
        assert_eq!(request.challenge_name, ChallengeName::MfaSetup);
        assert_eq!(request.session.as_deref(), Some("s-3"));
        assert_eq!(request.challenge_responses, string_map([(key::USERNAME, "uuid-4".into())]));
        // Only kinds this app cannot set up: a clear refusal.
        let sms = challenge(ChallengeName::MfaSetup, &[(key::MFAS_CAN_SETUP, r#"["SMS_MFA"]"#)]);
        assert_eq!(read_answer("a", sms), Err(FlowError::Unsupported("MFA_SETUP")));
    }

    #[test]
    fn codes_by_text_message_and_by_email_are_second_factors_after_the_password() {
        let destination =
            [(key::CODE_DELIVERY_DELIVERY_MEDIUM, "SMS"), (key::CODE_DELIVERY_DESTINATION, "+*******0100")];
        let sms = expect_challenge(dummy("uuid-5").next(challenge(ChallengeName::SmsMfa, &destination)));
        assert_eq!(sms.prompt, Prompt::Mfa { kind: MfaKind::Sms, destination: Some("+*******0100".into()) });
        let request = sms.respond("client", Reply::Code("654321")).unwrap();
        assert_eq!(
            (request.challenge_name, &request.challenge_responses[key::SMS_MFA_CODE][..]),
            (ChallengeName::SmsMfa, "654321")
        );
        // EMAIL_OTP after the password is the second factor; as USER_AUTH's first answer, or after the
        // choice of a way, it is the sign-in code.
        let email = [(key::CODE_DELIVERY_DESTINATION, "a***@e***")];
        let mfa = expect_challenge(dummy("uuid-5").next(challenge(ChallengeName::EmailOtp, &email)));
        assert_eq!(mfa.prompt, Prompt::Mfa { kind: MfaKind::Email, destination: Some("a***@e***".into()) });
        let request = mfa.respond("client", Reply::Code("12345678")).unwrap();
        assert_eq!(
            (request.challenge_name, &request.challenge_responses[key::EMAIL_OTP_CODE][..]),
            (ChallengeName::EmailOtp, "12345678")
        );
        let first = expect_challenge(read_answer("ada", challenge(ChallengeName::EmailOtp, &email)));
        assert!(matches!(first.prompt, Prompt::SignInCode { medium: CodeMedium::Email, .. }));
        let mut choose = challenge(ChallengeName::SelectChallenge, &[]);
        choose.available_challenges = vec![ChallengeName::EmailOtp];
        let picked = expect_challenge(read_answer("ada", choose)).next(challenge(ChallengeName::EmailOtp, &email));
        assert!(matches!(expect_challenge(picked).prompt, Prompt::SignInCode { .. }));
    }

    #[test]
    fn several_second_factors_and_none_preferred_the_user_picks_one() {
        let kinds = [(key::MFAS_CAN_CHOOSE, r#"["SMS_MFA","EMAIL_OTP","SOFTWARE_TOKEN_MFA","FUTURE_MFA"]"#)];
        let select = expect_challenge(dummy("uuid-6").next(challenge(ChallengeName::SelectMfaType, &kinds)));
        assert_eq!(
            select.prompt,
            Prompt::SelectMfa { kinds: vec![MfaKind::Sms, MfaKind::Email, MfaKind::SoftwareToken] }
        );
        let request = select.respond("client", Reply::SelectMfa(MfaKind::Email)).unwrap();
        assert_eq!(request.challenge_name, ChallengeName::SelectMfaType);
        assert_eq!(
            request.challenge_responses,
            string_map([(key::USERNAME, "uuid-6".into()), (key::ANSWER, "EMAIL_OTP".into())])
        );
        let only = [(key::MFAS_CAN_CHOOSE, r#"["SMS_MFA"]"#)];
        let select = expect_challenge(dummy("uuid-6").next(challenge(ChallengeName::SelectMfaType, &only)));
        assert_eq!(select.respond("client", Reply::SelectMfa(MfaKind::Email)).unwrap_err(), FlowError::WrongReply);
        let unknown = challenge(ChallengeName::SelectMfaType, &[(key::MFAS_CAN_CHOOSE, r#"["FUTURE_MFA"]"#)]);
        assert_eq!(read_answer("a", unknown), Err(FlowError::Unsupported("SELECT_MFA_TYPE")));
        assert_eq!(MfaKind::of("SOFTWARE_TOKEN_MFA"), Some(MfaKind::SoftwareToken));
        assert_eq!(MfaKind::Sms.name(), "SMS_MFA");
    }

    #[test]
    fn codes_by_email_can_be_set_up_while_signing_in() {
        let answer =
            challenge(ChallengeName::MfaSetup, &[(key::MFAS_CAN_SETUP, r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#)]);
        let setup = expect_challenge(dummy("uuid-7").next(answer));
        assert_eq!(setup.prompt, Prompt::MfaSetup { kinds: vec![MfaKind::SoftwareToken, MfaKind::Email] });
        let request = setup.respond("client", Reply::MfaSetupEmail(" di@example.com ")).unwrap();
        assert_eq!(
            request.challenge_responses,
            string_map([(key::USERNAME, "uuid-7".into()), (key::EMAIL, "di@example.com".into())])
        );
        let code = expect_challenge(
            setup.next(challenge(ChallengeName::EmailOtp, &[(key::CODE_DELIVERY_DESTINATION, "d***@e***")])),
        );
        assert!(matches!(code.prompt, Prompt::Mfa { kind: MfaKind::Email, .. }));
        let app_only = challenge(ChallengeName::MfaSetup, &[(key::MFAS_CAN_SETUP, r#"["SOFTWARE_TOKEN_MFA"]"#)]);
        let app_only = expect_challenge(read_answer("a", app_only));
        assert_eq!(
            app_only.respond("client", Reply::MfaSetupEmail("di@example.com")).unwrap_err(),
            FlowError::WrongReply
        );
    }

    #[test]
    fn user_auth_offers_a_choice_and_answers_with_the_chosen_way() {
        use ChallengeName::*;
        let mut answer = challenge(SelectChallenge, &[]);
        answer.available_challenges = vec![Password, PasswordSrp, EmailOtp, WebAuthn];
        let select = expect_challenge(read_answer("ada", answer));
        // PASSWORD and PASSWORD_SRP are one way for people.
        assert_eq!(
            select.prompt,
            Prompt::ChooseMethod { methods: vec![Method::Password, Method::EmailCode, Method::Passkey] }
        );
        let email = select.respond("client", Reply::Choose { method: Method::EmailCode, srp_a: None }).unwrap();
        assert_eq!(email.challenge_name, SelectChallenge);
        assert_eq!(email.session.as_deref(), Some("s-1"));
        assert_eq!(
            email.challenge_responses,
            string_map([(key::USERNAME, "ada".into()), (key::ANSWER, "EMAIL_OTP".into())])
        );
        let password = select.respond("client", Reply::Choose { method: Method::Password, srp_a: Some("abc".into()) });
        assert_eq!(
            password.unwrap().challenge_responses,
            string_map([
                (key::USERNAME, "ada".into()),
                (key::ANSWER, "PASSWORD_SRP".into()),
                (key::SRP_A, "abc".into())
            ])
        );
        let no_a = select.respond("client", Reply::Choose { method: Method::Password, srp_a: None });
        assert_eq!(no_a.unwrap_err(), FlowError::WrongReply, "a password is proven with SRP: A goes with the choice");
        let not_offered = select.respond("client", Reply::Choose { method: Method::SmsCode, srp_a: None });
        assert_eq!(not_offered.unwrap_err(), FlowError::WrongReply);
        let mut only_unknown = challenge(SelectChallenge, &[]);
        only_unknown.available_challenges = vec![CustomChallenge];
        assert_eq!(read_answer("ada", only_unknown).unwrap_err(), FlowError::Unsupported("SELECT_CHALLENGE"));
    }

    #[test]
    fn sign_in_codes_say_where_they_went_and_are_answered_under_the_services_name() {
        let email = expect_challenge(read_answer(
            "ada@example.com",
            challenge(
                ChallengeName::EmailOtp,
                &[
                    (key::CODE_DELIVERY_DELIVERY_MEDIUM, "EMAIL"),
                    (key::CODE_DELIVERY_DESTINATION, "a***@e***"),
                    (key::USERNAME, "uuid-1"),
                ],
            ),
        ));
        assert_eq!(
            email.prompt,
            Prompt::SignInCode { medium: CodeMedium::Email, destination: Some("a***@e***".into()) }
        );
        assert_eq!(email.user_id(), "uuid-1", "the name the session is stored under");
        let reply = email.respond("client", Reply::Code(" 12345678 ")).unwrap();
        assert_eq!(reply.challenge_name, ChallengeName::EmailOtp);
        assert_eq!(
            reply.challenge_responses,
            string_map([(key::USERNAME, "uuid-1".into()), (key::EMAIL_OTP_CODE, "12345678".into())])
        );
        let sms = expect_challenge(read_answer("bo", challenge(ChallengeName::SmsOtp, &[])));
        assert_eq!(sms.prompt, Prompt::SignInCode { medium: CodeMedium::Sms, destination: None });
        let reply = sms.respond("client", Reply::Code("87654321")).unwrap();
        assert_eq!(reply.challenge_responses.get(key::SMS_OTP_CODE).map(String::as_str), Some("87654321"));
        assert_eq!(sms.respond("client", Reply::MfaSetUp).unwrap_err(), FlowError::WrongReply);
        // The way each belongs to, remembered for next time.
        assert_eq!((email.prompt.way(), sms.prompt.way()), (Some(Method::EmailCode), Some(Method::SmsCode)));
        assert_eq!(Prompt::Passkey { options: "{}".into() }.way(), Some(Method::Passkey));
        assert_eq!(Prompt::Mfa { kind: MfaKind::Email, destination: None }.way(), None, "a second factor is no way");
    }

    #[test]
    fn tokens_with_no_challenge_are_stored_under_the_id_tokens_name_for_the_user() {
        let id_token = "eyJhbGciOiJSUzI1NiJ9.eyJjb2duaXRvOnVzZXJuYW1lIjogInV1aWQtOSIsICJ0b2tlbl91c2UiOiAiaWQiLCAiZXhwIjogMjAwMDAwMDAwMCwgImlhdCI6IDE3MDAwMDAwMDB9.c2ln".to_string();
        let answer = AuthResponse {
            authentication_result: Some(AuthenticationResult { id_token, ..tokens() }),
            ..Default::default()
        };
        match read_answer("ana@example.com", answer) {
            Ok(Step::Done { user_id, .. }) => assert_eq!(user_id, "uuid-9"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_passkey_is_asked_with_the_services_options_and_answered_with_the_assertion() {
        let options = r#"{"challenge":"abc","rpId":"localhost"}"#;
        let asked = expect_challenge(read_answer(
            "ada",
            challenge(
                ChallengeName::WebAuthn,
                &[(key::CREDENTIAL_REQUEST_OPTIONS, options), (key::USERNAME, "uuid-2")],
            ),
        ));
        assert_eq!(asked.prompt, Prompt::Passkey { options: options.into() });
        assert_eq!(asked.user_id(), "uuid-2");
        let reply = asked.respond("client", Reply::Passkey(r#"{"id":"x"}"#)).unwrap();
        assert_eq!(reply.challenge_name, ChallengeName::WebAuthn);
        assert_eq!(
            reply.challenge_responses,
            string_map([(key::USERNAME, "uuid-2".into()), (key::CREDENTIAL, r#"{"id":"x"}"#.into())])
        );
        assert_eq!(asked.respond("client", Reply::Code("1")).unwrap_err(), FlowError::WrongReply);
        let bare = read_answer("ada", challenge(ChallengeName::WebAuthn, &[])).unwrap_err();
        assert!(matches!(bare, FlowError::Malformed(_)));
    }

    #[test]
    fn a_known_device_proves_itself_with_the_apps_answers() {
        let asked = expect_challenge(read_answer("uuid-3", challenge(ChallengeName::DeviceSrpAuth, &[])));
        assert_eq!(asked.prompt, Prompt::DeviceSrpAuth);
        let answer =
            string_map([(key::USERNAME, "uuid-3".into()), (key::DEVICE_KEY, "d".into()), (key::SRP_A, "ab".into())]);
        let reply = asked.respond("client", Reply::Device(answer.clone())).unwrap();
        assert_eq!((reply.challenge_name, reply.challenge_responses), (ChallengeName::DeviceSrpAuth, answer));
        assert_eq!(asked.respond("client", Reply::Code("1")).unwrap_err(), FlowError::WrongReply);
        let proof = [(key::SALT, "0a"), (key::SRP_B, "0b"), (key::SECRET_BLOCK, "AAAA")];
        let asked = expect_challenge(asked.next(challenge(ChallengeName::DevicePasswordVerifier, &proof)));
        assert!(
            matches!(&asked.prompt, Prompt::DevicePasswordVerifier { parameters } if parameters[key::SRP_B] == "0b")
        );
        assert_eq!(asked.user_id(), "uuid-3");
        let partial = asked.next(challenge(ChallengeName::DevicePasswordVerifier, &proof[..2]));
        assert!(matches!(partial, Err(FlowError::Malformed(_))));
    }

    #[test]
    fn unknown_and_unhandled_challenges_are_clear_errors() {
        for name in [ChallengeName::Other, ChallengeName::CustomChallenge] {
            let error = read_answer("a", challenge(name, &[])).unwrap_err();
            assert_eq!(error, FlowError::Unsupported(name.as_str()));
            assert!(error.to_string().contains("does not support"), "{error}");
        }
        assert!(matches!(read_answer("a", AuthResponse::default()), Err(FlowError::Malformed(_))));
        assert!(matches!(
            read_answer("a", challenge(ChallengeName::PasswordVerifier, &[(key::SALT, "zz")])),
            Err(FlowError::BadVerifierParameters(_))
        ));
    }

    #[test]
    fn not_confirmed_is_a_step_other_refusals_are_not() {
        assert_eq!(
            step_of_refusal(&CognitoError::new(400, codes::USER_NOT_CONFIRMED, "User is not confirmed.")),
            Some(Step::NotConfirmed)
        );
        assert_eq!(
            step_of_refusal(&CognitoError::new(400, codes::NOT_AUTHORIZED, "Incorrect username or password.")),
            None
        );
    }

    #[test]
    fn the_auth_session_is_never_printed() {
        let c = expect_challenge(read_answer("a", challenge(ChallengeName::SoftwareTokenMfa, &[])));
        assert!(!format!("{c:?}").contains("s-1"));
    }

    fn dummy(user_id: &str) -> Challenge {
        Challenge {
            prompt: Prompt::Mfa { kind: MfaKind::SoftwareToken, destination: None },
            name: ChallengeName::SoftwareTokenMfa,
            session: None,
            user_id: user_id.into(),
        }
    }
}
