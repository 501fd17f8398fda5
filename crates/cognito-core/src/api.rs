//! Cognito user-pool JSON 1.1 API: one marker type per operation tying its target name to its request and
//! response types. Field names are Cognito's (PascalCase, a few irregular ones spelled out). The same types
//! serve the browser (serialize requests, parse responses) and the local server (the other way round).
//!
//! A call is `POST <endpoint>` with `Content-Type: application/x-amz-json-1.1` and
//! `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`; errors are described in [`crate::error`].

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::json::{FromJson, Json, JsonError};
use crate::sign_in::key;

pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
pub const TARGET_HEADER: &str = "X-Amz-Target";
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// One API operation.
pub trait Operation {
    /// The operation name, as in `X-Amz-Target`.
    const NAME: &'static str;
    type Request: Serialize + DeserializeOwned;
    /// Read by the browser with [`FromJson`], written and read by the local server with serde.
    type Response: Serialize + DeserializeOwned + FromJson;

    /// The full `X-Amz-Target` header value.
    fn target() -> String {
        target(Self::NAME)
    }
}

/// The `X-Amz-Target` header value of the operation called `name` (not generic, so callers that only
/// have the name share one copy).
pub fn target(name: &str) -> String {
    [TARGET_PREFIX, name].concat()
}

macro_rules! operations {
    ($($(#[$doc:meta])* $op:ident: $req:ty => $resp:ty;)*) => {
        $(
            $(#[$doc])*
            pub struct $op;
            impl Operation for $op {
                const NAME: &'static str = stringify!($op);
                type Request = $req;
                type Response = $resp;
            }
        )*
        /// Every operation name this module types.
        pub const OPERATION_NAMES: &[&str] = &[$(stringify!($op)),*];
    };
}

operations! {
    SignUp: SignUpRequest => SignUpResponse;
    ConfirmSignUp: ConfirmSignUpRequest => ConfirmSignUpResponse;
    ResendConfirmationCode: ResendConfirmationCodeRequest => CodeDeliveryResponse;
    /// `USER_SRP_AUTH` (starts SRP) and `REFRESH_TOKEN_AUTH`.
    InitiateAuth: InitiateAuthRequest => AuthResponse;
    /// `PASSWORD_VERIFIER`, `NEW_PASSWORD_REQUIRED`, `SOFTWARE_TOKEN_MFA`.
    RespondToAuthChallenge: RespondToAuthChallengeRequest => AuthResponse;
    GetUser: AccessTokenRequest => GetUserResponse;
    GlobalSignOut: AccessTokenRequest => Empty;
    RevokeToken: RevokeTokenRequest => Empty;
    /// New tokens from a refresh token; with refresh-token rotation on, a new refresh token too (and
    /// the only way to refresh: REFRESH_TOKEN_AUTH is refused).
    /// The answer is an `AuthResponse` holding only `AuthenticationResult`.
    GetTokensFromRefreshToken: GetTokensFromRefreshTokenRequest => AuthResponse;
    ForgotPassword: ForgotPasswordRequest => CodeDeliveryResponse;
    ConfirmForgotPassword: ConfirmForgotPasswordRequest => Empty;
    ChangePassword: ChangePasswordRequest => Empty;
    UpdateUserAttributes: UpdateUserAttributesRequest => UpdateUserAttributesResponse;
    VerifyUserAttribute: VerifyUserAttributeRequest => Empty;
    GetUserAttributeVerificationCode: GetUserAttributeVerificationCodeRequest => CodeDeliveryResponse;
    DeleteUser: AccessTokenRequest => Empty;
    AssociateSoftwareToken: AssociateSoftwareTokenRequest => AssociateSoftwareTokenResponse;
    VerifySoftwareToken: VerifySoftwareTokenRequest => VerifySoftwareTokenResponse;
    SetUserMFAPreference: SetUserMfaPreferenceRequest => Empty;
    /// A device handed out at the end of a sign-in, confirmed with its verifier (see [`crate::device`]).
    ConfirmDevice: ConfirmDeviceRequest => ConfirmDeviceResponse;
    GetDevice: DeviceRequest => GetDeviceResponse;
    ListDevices: ListDevicesRequest => ListDevicesResponse;
    UpdateDeviceStatus: UpdateDeviceStatusRequest => Empty;
    ForgetDevice: DeviceRequest => Empty;
    /// The options the browser's authenticator makes a passkey with (WebAuthn's own JSON).
    StartWebAuthnRegistration: AccessTokenRequest => StartWebAuthnRegistrationResponse;
    CompleteWebAuthnRegistration: CompleteWebAuthnRegistrationRequest => Empty;
    ListWebAuthnCredentials: ListWebAuthnCredentialsRequest => ListWebAuthnCredentialsResponse;
    DeleteWebAuthnCredential: DeleteWebAuthnCredentialRequest => Empty;
}

/// `{}`: the answer of operations that return nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeType {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

impl AttributeType {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        AttributeType { name: name.into(), value: value.into() }
    }
}

/// Looks up an attribute's value by name.
pub fn attribute<'a>(attributes: &'a [AttributeType], name: &str) -> Option<&'a str> {
    attributes.iter().find(|a| a.name == name).map(|a| a.value.as_str())
}

/// Where a code was sent, e.g. `{"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_medium: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_name: Option<String>,
}

type Metadata = Option<BTreeMap<String, String>>;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpRequest {
    pub client_id: String,
    pub username: String,
    /// None (or blank): a user without a password, who signs in with codes (pools with passwordless
    /// sign-in only; API reference, SignUp `Password`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default)]
    pub user_attributes: Vec<AttributeType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_data: Option<Vec<AttributeType>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Metadata,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpResponse {
    pub user_confirmed: bool,
    pub user_sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmSignUpRequest {
    pub client_id: String,
    pub username: String,
    pub confirmation_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_alias_creation: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Metadata,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmSignUpResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResendConfirmationCodeRequest {
    pub client_id: String,
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Metadata,
}

/// Answer of ResendConfirmationCode, ForgotPassword and GetUserAttributeVerificationCode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AuthFlow {
    UserSrpAuth,
    RefreshTokenAuth,
    RefreshToken,
    UserPasswordAuth,
    CustomAuth,
    AdminNoSrpAuth,
    AdminUserPasswordAuth,
    UserAuth,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuthRequest {
    pub auth_flow: AuthFlow,
    pub client_id: String,
    #[serde(default)]
    pub auth_parameters: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Metadata,
    /// USER_AUTH right after ConfirmSignUp: the session it returned (no first factor asked again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

impl InitiateAuthRequest {
    /// Step one of an SRP login: `USERNAME` and `SRP_A` (see [`crate::srp::ClientEphemeral::public_hex`]).
    pub fn user_srp(client_id: &str, username: &str, srp_a_hex: String) -> Self {
        InitiateAuthRequest {
            auth_flow: AuthFlow::UserSrpAuth,
            client_id: client_id.to_string(),
            auth_parameters: string_map([(key::USERNAME, username.to_string()), (key::SRP_A, srp_a_hex)]),
            client_metadata: None,
            session: None,
        }
    }

    /// A choice-based sign-in (USER_AUTH): the user's preferred first factor if any (`PREFERRED_CHALLENGE`,
    /// with `extra` parameters such as `SRP_A` for PASSWORD_SRP), else the service offers a choice.
    pub fn user_auth(
        client_id: &str,
        username: &str,
        preferred: Option<ChallengeName>,
        extra: &[(&str, String)],
        session: Option<String>,
    ) -> Self {
        let mut auth_parameters = string_map([(key::USERNAME, username.to_string())]);
        if let Some(p) = preferred {
            auth_parameters.insert(key::PREFERRED_CHALLENGE.to_string(), p.as_str().to_string());
        }
        for (name, value) in extra {
            auth_parameters.insert(name.to_string(), value.clone());
        }
        InitiateAuthRequest {
            auth_flow: AuthFlow::UserAuth,
            client_id: client_id.to_string(),
            auth_parameters,
            client_metadata: None,
            session,
        }
    }

    /// New tokens from a refresh token.
    pub fn refresh(client_id: &str, refresh_token: &str) -> Self {
        InitiateAuthRequest {
            auth_flow: AuthFlow::RefreshTokenAuth,
            client_id: client_id.to_string(),
            auth_parameters: string_map([(key::REFRESH_TOKEN, refresh_token.to_string())]),
            client_metadata: None,
            session: None,
        }
    }
}

/// A parameters map (AuthParameters, ChallengeParameters, ChallengeResponses) from name/value pairs.
///
/// Inserts one pair at a time: `collect()` into a BTreeMap sorts a buffer first, which pulls sort code
/// into the browser app's download.
pub fn string_map<const N: usize>(pairs: [(&str, String); N]) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for (name, value) in pairs {
        map.insert(name.to_string(), value);
    }
    map
}

/// Challenge names of InitiateAuth and RespondToAuthChallenge (Cognito's `ChallengeNameType`, 2026); names
/// this crate does not know land in `Other`. What each one asks and how it is answered:
/// [`crate::sign_in`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChallengeName {
    PasswordVerifier,
    NewPasswordRequired,
    SoftwareTokenMfa,
    SmsMfa,
    EmailOtp,
    SmsOtp,
    SelectMfaType,
    SelectChallenge,
    MfaSetup,
    CustomChallenge,
    DeviceSrpAuth,
    DevicePasswordVerifier,
    AdminNoSrpAuth,
    WebAuthn,
    Password,
    PasswordSrp,
    #[serde(other)]
    Other,
}

impl ChallengeName {
    /// Every known name with its wire spelling (the serde attributes above spell the same).
    pub const ALL: [(ChallengeName, &'static str); 16] = [
        (ChallengeName::PasswordVerifier, "PASSWORD_VERIFIER"),
        (ChallengeName::NewPasswordRequired, "NEW_PASSWORD_REQUIRED"),
        (ChallengeName::SoftwareTokenMfa, "SOFTWARE_TOKEN_MFA"),
        (ChallengeName::SmsMfa, "SMS_MFA"),
        (ChallengeName::EmailOtp, "EMAIL_OTP"),
        (ChallengeName::SmsOtp, "SMS_OTP"),
        (ChallengeName::SelectMfaType, "SELECT_MFA_TYPE"),
        (ChallengeName::SelectChallenge, "SELECT_CHALLENGE"),
        (ChallengeName::MfaSetup, "MFA_SETUP"),
        (ChallengeName::CustomChallenge, "CUSTOM_CHALLENGE"),
        (ChallengeName::DeviceSrpAuth, "DEVICE_SRP_AUTH"),
        (ChallengeName::DevicePasswordVerifier, "DEVICE_PASSWORD_VERIFIER"),
        (ChallengeName::AdminNoSrpAuth, "ADMIN_NO_SRP_AUTH"),
        (ChallengeName::WebAuthn, "WEB_AUTHN"),
        (ChallengeName::Password, "PASSWORD"),
        (ChallengeName::PasswordSrp, "PASSWORD_SRP"),
    ];

    /// The name as Cognito spells it (`"OTHER"` for a name this crate does not know).
    pub fn as_str(self) -> &'static str {
        ChallengeName::ALL.iter().find(|(name, _)| *name == self).map_or("OTHER", |(_, text)| text)
    }

    /// Reads a wire name; unknown names are `Other`.
    pub fn parse(text: &str) -> ChallengeName {
        ChallengeName::ALL.iter().find(|(_, t)| *t == text).map_or(ChallengeName::Other, |(name, _)| *name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallengeRequest {
    pub client_id: String,
    pub challenge_name: ChallengeName,
    #[serde(default)]
    pub challenge_responses: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Metadata,
}

impl RespondToAuthChallengeRequest {
    pub fn new(
        client_id: &str,
        challenge_name: ChallengeName,
        challenge_responses: BTreeMap<String, String>,
        session: Option<String>,
    ) -> Self {
        RespondToAuthChallengeRequest {
            client_id: client_id.to_string(),
            challenge_name,
            challenge_responses,
            session,
            client_metadata: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewDeviceMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_group_key: Option<String>,
}

/// Tokens of a finished login or refresh. A refresh answer has no `RefreshToken`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthenticationResult {
    pub access_token: String,
    pub id_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub expires_in: i64,
    #[serde(default)]
    pub token_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

/// Answer of InitiateAuth and RespondToAuthChallenge: either a next challenge or the tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_name: Option<ChallengeName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// Always written, `{}` with tokens, as Cognito does (InitiateAuth and RespondToAuthChallenge).
    #[serde(default)]
    pub challenge_parameters: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
    /// USER_AUTH's SELECT_CHALLENGE: the first factors the user may choose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub available_challenges: Vec<ChallengeName>,
}

/// Request of GetUser, GlobalSignOut and DeleteUser.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessTokenRequest {
    pub access_token: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaOption {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_medium: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserResponse {
    pub username: String,
    #[serde(default)]
    pub user_attributes: Vec<AttributeType>,
    #[serde(rename = "MFAOptions", default, skip_serializing_if = "Option::is_none")]
    pub mfa_options: Option<Vec<MfaOption>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_mfa_setting: Option<String>,
    #[serde(rename = "UserMFASettingList", default, skip_serializing_if = "Option::is_none")]
    pub user_mfa_setting_list: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RevokeTokenRequest {
    pub token: String,
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenRequest {
    pub refresh_token: String,
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Metadata,
}

impl GetTokensFromRefreshTokenRequest {
    pub fn new(client_id: &str, refresh_token: &str) -> Self {
        GetTokensFromRefreshTokenRequest {
            refresh_token: refresh_token.to_string(),
            client_id: client_id.to_string(),
            ..Default::default()
        }
    }

    /// The request a public client sends (no secret, device or metadata) as a map: it writes the same
    /// JSON as [`GetTokensFromRefreshTokenRequest::new`], with the serialization code the browser app
    /// already has for parameter maps (a struct of its own would add to the download).
    pub fn public_client_body(client_id: &str, refresh_token: &str) -> BTreeMap<String, String> {
        string_map([("ClientId", client_id.to_string()), ("RefreshToken", refresh_token.to_string())])
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForgotPasswordRequest {
    pub client_id: String,
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Metadata,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmForgotPasswordRequest {
    pub client_id: String,
    pub username: String,
    pub confirmation_code: String,
    pub password: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Metadata,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangePasswordRequest {
    pub previous_password: String,
    pub proposed_password: String,
    pub access_token: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesRequest {
    pub user_attributes: Vec<AttributeType>,
    pub access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Metadata,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesResponse {
    #[serde(default)]
    pub code_delivery_details_list: Vec<CodeDeliveryDetails>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifyUserAttributeRequest {
    pub access_token: String,
    pub attribute_name: String,
    pub code: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserAttributeVerificationCodeRequest {
    pub access_token: String,
    pub attribute_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Metadata,
}

/// Either `AccessToken` (from the profile) or `Session` (during an MFA_SETUP challenge).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenResponse {
    pub secret_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    pub user_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendly_device_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VerifySoftwareTokenStatus {
    Success,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenResponse {
    pub status: VerifySoftwareTokenStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaSettings {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub preferred_mfa: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserMfaPreferenceRequest {
    #[serde(rename = "SMSMfaSettings", default, skip_serializing_if = "Option::is_none")]
    pub sms_mfa_settings: Option<MfaSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_settings: Option<MfaSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_mfa_settings: Option<MfaSettings>,
    pub access_token: String,
}

/// A date as the service writes it: seconds since the epoch, maybe with a fraction, read in whole seconds
/// (`None` when absent, or in a form the browser's reader does not take: never a reason to refuse an
/// answer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub Option<i64>);

impl Timestamp {
    pub fn is_none(&self) -> bool {
        self.0.is_none()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceRequest {
    pub access_token: String,
    pub device_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_secret_verifier_config: Option<DeviceSecretVerifierConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
}

/// The device's SRP verifier and salt, base64 (see [`crate::device::VerifierConfig`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceSecretVerifierConfig {
    #[serde(default)]
    pub password_verifier: String,
    #[serde(default)]
    pub salt: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceResponse {
    /// The pool remembers devices only when the user says so (UpdateDeviceStatus).
    #[serde(default)]
    pub user_confirmation_necessary: bool,
}

/// Request of GetDevice and ForgetDevice (without a device key: the access token's own device).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceRequest {
    pub access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateDeviceStatusRequest {
    pub access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    /// `remembered` or `not_remembered` (kept as text: the service names what else it refuses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_remembered_status: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesRequest {
    pub access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesResponse {
    pub devices: Vec<DeviceType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetDeviceResponse {
    pub device: DeviceType,
}

/// A device as the service lists it; its name and remembered status are among its attributes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceType {
    pub device_key: String,
    #[serde(default)]
    pub device_attributes: Vec<AttributeType>,
    #[serde(default, skip_serializing_if = "Timestamp::is_none")]
    pub device_create_date: Timestamp,
    #[serde(default, skip_serializing_if = "Timestamp::is_none")]
    pub device_last_modified_date: Timestamp,
    #[serde(default, skip_serializing_if = "Timestamp::is_none")]
    pub device_last_authenticated_date: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartWebAuthnRegistrationResponse {
    /// WebAuthn's `PublicKeyCredentialCreationOptions`, handed to the browser as they are.
    pub credential_creation_options: Json,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CompleteWebAuthnRegistrationRequest {
    pub access_token: String,
    /// The browser's `PublicKeyCredential.toJSON()`, passed on as it is.
    pub credential: Json,
}

impl CompleteWebAuthnRegistrationRequest {
    /// The request as the browser sends it, written by hand: the credential is JSON that the browser
    /// already has as text, and writing it through serde would compile a generic JSON writer into the
    /// download for this one request. The same text as serde's (a test says so).
    pub fn to_json_text(&self) -> String {
        format!(
            r#"{{"AccessToken":{},"Credential":{}}}"#,
            crate::json::quote(&self.access_token),
            self.credential.to_pretty_string()
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListWebAuthnCredentialsRequest {
    pub access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListWebAuthnCredentialsResponse {
    pub credentials: Vec<WebAuthnCredentialDescription>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WebAuthnCredentialDescription {
    pub credential_id: String,
    #[serde(default)]
    pub friendly_credential_name: String,
    #[serde(default)]
    pub relying_party_id: String,
    /// `platform` (this device's) or `cross-platform` (a security key, a phone), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_attachment: Option<String>,
    #[serde(default)]
    pub authenticator_transports: Vec<String>,
    #[serde(default, skip_serializing_if = "Timestamp::is_none")]
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteWebAuthnCredentialRequest {
    pub access_token: String,
    pub credential_id: String,
}

// Reading answers in the browser (see crate::json for why these are written out, not derived). Field
// names and defaults are the serde attributes' above; `answers_read_like_serde` in the tests checks that
// both readers agree.

/// `impl FromJson` for an answer struct: each field read with a [`crate::json::Fields`] method
/// (`required`, `optional` or `or_default`) under its name on the wire.
macro_rules! read_from_json {
    ($($ty:ident ($what:literal) { $($field:ident: $how:ident($name:literal)),* $(,)? })*) => {
        $(
            impl FromJson for $ty {
                #[allow(unused_variables)]
                fn from_json(value: &Json) -> Result<Self, JsonError> {
                    let fields = value.fields($what)?;
                    Ok($ty { $($field: fields.$how($name)?),* })
                }
            }
        )*
    };
}

read_from_json! {
    Empty ("an empty answer") {}
    AttributeType ("an attribute") { name: required("Name"), value: or_default("Value") }
    CodeDeliveryDetails ("CodeDeliveryDetails") {
        destination: optional("Destination"),
        delivery_medium: optional("DeliveryMedium"),
        attribute_name: optional("AttributeName"),
    }
    SignUpResponse ("the SignUp answer") {
        user_confirmed: required("UserConfirmed"),
        user_sub: required("UserSub"),
        code_delivery_details: optional("CodeDeliveryDetails"),
        session: optional("Session"),
    }
    ConfirmSignUpResponse ("the ConfirmSignUp answer") { session: optional("Session") }
    CodeDeliveryResponse ("a code delivery answer") { code_delivery_details: optional("CodeDeliveryDetails") }
    NewDeviceMetadata ("NewDeviceMetadata") {
        device_key: optional("DeviceKey"),
        device_group_key: optional("DeviceGroupKey"),
    }
    AuthenticationResult ("AuthenticationResult") {
        access_token: required("AccessToken"),
        id_token: required("IdToken"),
        refresh_token: optional("RefreshToken"),
        expires_in: or_default("ExpiresIn"),
        token_type: or_default("TokenType"),
        new_device_metadata: optional("NewDeviceMetadata"),
    }
    AuthResponse ("the sign-in answer") {
        challenge_name: optional("ChallengeName"),
        session: optional("Session"),
        challenge_parameters: or_default("ChallengeParameters"),
        authentication_result: optional("AuthenticationResult"),
        available_challenges: or_default("AvailableChallenges"),
    }
    MfaOption ("an MFA option") { delivery_medium: optional("DeliveryMedium"), attribute_name: optional("AttributeName") }
    GetUserResponse ("the GetUser answer") {
        username: required("Username"),
        user_attributes: or_default("UserAttributes"),
        mfa_options: optional("MFAOptions"),
        preferred_mfa_setting: optional("PreferredMfaSetting"),
        user_mfa_setting_list: optional("UserMFASettingList"),
    }
    UpdateUserAttributesResponse ("the UpdateUserAttributes answer") {
        code_delivery_details_list: or_default("CodeDeliveryDetailsList"),
    }
    AssociateSoftwareTokenResponse ("the AssociateSoftwareToken answer") {
        secret_code: required("SecretCode"),
        session: optional("Session"),
    }
    VerifySoftwareTokenResponse ("the VerifySoftwareToken answer") {
        status: required("Status"),
        session: optional("Session"),
    }
    ConfirmDeviceResponse ("the ConfirmDevice answer") {
        user_confirmation_necessary: or_default("UserConfirmationNecessary"),
    }
    GetDeviceResponse ("the GetDevice answer") { device: required("Device") }
    ListDevicesResponse ("the ListDevices answer") {
        devices: required("Devices"),
        pagination_token: optional("PaginationToken"),
    }
    DeviceType ("a device") {
        device_key: required("DeviceKey"),
        device_attributes: or_default("DeviceAttributes"),
        device_create_date: or_default("DeviceCreateDate"),
        device_last_modified_date: or_default("DeviceLastModifiedDate"),
        device_last_authenticated_date: or_default("DeviceLastAuthenticatedDate"),
    }
    StartWebAuthnRegistrationResponse ("the StartWebAuthnRegistration answer") {
        credential_creation_options: required("CredentialCreationOptions"),
    }
    ListWebAuthnCredentialsResponse ("the ListWebAuthnCredentials answer") {
        credentials: required("Credentials"),
        next_token: optional("NextToken"),
    }
    WebAuthnCredentialDescription ("a passkey") {
        credential_id: required("CredentialId"),
        friendly_credential_name: or_default("FriendlyCredentialName"),
        relying_party_id: or_default("RelyingPartyId"),
        authenticator_attachment: optional("AuthenticatorAttachment"),
        authenticator_transports: or_default("AuthenticatorTransports"),
        created_at: or_default("CreatedAt"),
    }
}

impl FromJson for Timestamp {
    /// Whole seconds of a number written plainly (`1733000123.5`); one in exponent form is not read (no
    /// float parser is compiled into the browser's reader).
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let Json::Number(n) = value else { return Ok(Timestamp(None)) };
        if n.contains(['e', 'E']) {
            return Ok(Timestamp(None));
        }
        Ok(Timestamp(n.split('.').next().and_then(|whole| whole.parse().ok())))
    }
}

impl FromJson for ChallengeName {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        Ok(ChallengeName::parse(&String::from_json(value)?))
    }
}

impl FromJson for VerifySoftwareTokenStatus {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        match String::from_json(value)?.as_str() {
            "SUCCESS" => Ok(VerifySoftwareTokenStatus::Success),
            "ERROR" => Ok(VerifySoftwareTokenStatus::Error),
            other => Err(JsonError(format!("unknown VerifySoftwareToken status {other:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both readers of an answer: the browser's (FromJson) and the local server's (serde). They must
    /// agree on every valid answer and both refuse answers missing required fields.
    fn read_both<T: FromJson + DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) -> Option<T> {
        let ours = T::from_json_text(text);
        let theirs = serde_json::from_str::<T>(text);
        match (ours, theirs) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "{text}");
                Some(a)
            }
            (Err(_), Err(_)) => None,
            (a, b) => panic!("readers disagree on {text}: FromJson {a:?}, serde {b:?}"),
        }
    }

    #[test]
    fn answers_read_like_serde() {
        let auth = read_both::<AuthResponse>(
            r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"ab","SRP_B":"cd",
                "SECRET_BLOCK":"AA==","USER_ID_FOR_SRP":"u","USERNAME":"u"},"Session":null}"#,
        )
        .unwrap();
        assert_eq!(auth.challenge_parameters["SRP_B"], "cd");
        let tokens = read_both::<AuthResponse>(
            r#"{"AuthenticationResult":{"AccessToken":"a","ExpiresIn":3600,"IdToken":"i","RefreshToken":"r",
                "TokenType":"Bearer","NewDeviceMetadata":{"DeviceKey":"k","DeviceGroupKey":"g"}},"ChallengeParameters":{}}"#,
        )
        .unwrap();
        assert_eq!(tokens.authentication_result.unwrap().expires_in, 3600);
        assert_eq!(
            read_both::<AuthResponse>(r#"{"ChallengeName":"SOME_FUTURE_CHALLENGE"}"#).unwrap().challenge_name,
            Some(ChallengeName::Other)
        );
        // Every known name: both readers agree with the table, and serde writes the table's spelling.
        for (name, text) in ChallengeName::ALL {
            let read = read_both::<AuthResponse>(&format!(r#"{{"ChallengeName":"{text}","Session":"s"}}"#)).unwrap();
            assert_eq!(read.challenge_name, Some(name), "{text}");
            assert_eq!(serde_json::to_value(name).unwrap(), serde_json::json!(text));
            assert_eq!(name.as_str(), text);
        }
        assert!(read_both::<AuthResponse>(r#"{"AuthenticationResult":{"IdToken":"i"}}"#).is_none());
        assert!(read_both::<AuthResponse>(r#"{"ChallengeParameters":{"A":1}}"#).is_none());
        // (serde also takes a struct written as a list; Cognito never answers that way, and ours refuses it.)
        assert!(AuthResponse::from_json_text("[]").is_err());
        assert!(read_both::<AuthResponse>(r#""text""#).is_none());

        let devices = read_both::<ListDevicesResponse>(
            r#"{"Devices":[{"DeviceKey":"k1","DeviceAttributes":[{"Name":"device_name","Value":"Firefox"}],
                "DeviceCreateDate":1733000000,"DeviceLastAuthenticatedDate":1733000200}],"PaginationToken":null}"#,
        )
        .unwrap();
        assert_eq!(devices.devices[0].device_last_authenticated_date, Timestamp(Some(1733000200)));
        assert!(read_both::<ListDevicesResponse>("{}").is_none());
        assert!(
            read_both::<ConfirmDeviceResponse>(r#"{"UserConfirmationNecessary":true}"#)
                .unwrap()
                .user_confirmation_necessary
        );
        assert!(!read_both::<ConfirmDeviceResponse>("{}").unwrap().user_confirmation_necessary);
        let passkeys = read_both::<ListWebAuthnCredentialsResponse>(
            r#"{"Credentials":[{"CredentialId":"c","FriendlyCredentialName":"Passkey 1","RelyingPartyId":"localhost",
                "AuthenticatorTransports":["internal"],"CreatedAt":1733000000}]}"#,
        )
        .unwrap();
        assert_eq!(passkeys.credentials[0].authenticator_transports, ["internal"]);
        let options = read_both::<StartWebAuthnRegistrationResponse>(
            r#"{"CredentialCreationOptions":{"challenge":"c","pubKeyCredParams":[{"type":"public-key","alg":-7}]}}"#,
        )
        .unwrap();
        assert_eq!(options.credential_creation_options.get("challenge"), Some(&Json::String("c".into())));

        let user = read_both::<GetUserResponse>(
            r#"{"Username":"alice","UserAttributes":[{"Name":"sub","Value":"1"},{"Name":"email","Value":"a@example.com"}],
                "MFAOptions":[{"DeliveryMedium":"SMS","AttributeName":"phone_number"}],
                "PreferredMfaSetting":"SOFTWARE_TOKEN_MFA","UserMFASettingList":["SOFTWARE_TOKEN_MFA"],"Extra":{"x":[1,2]}}"#,
        )
        .unwrap();
        assert_eq!(attribute(&user.user_attributes, "email"), Some("a@example.com"));
        read_both::<GetUserResponse>(r#"{"Username":"bob","UserAttributes":[{"Name":"flag"}]}"#).unwrap();
        assert!(read_both::<GetUserResponse>(r#"{"UserAttributes":[]}"#).is_none());
        assert!(read_both::<GetUserResponse>(r#"{"Username":"bob","UserAttributes":[{"Value":"v"}]}"#).is_none());

        read_both::<SignUpResponse>(
            r#"{"UserConfirmed":false,"UserSub":"s","CodeDeliveryDetails":{"Destination":"a***@e***","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#,
        )
        .unwrap();
        assert!(read_both::<SignUpResponse>(r#"{"UserSub":"s"}"#).is_none());
        assert!(read_both::<SignUpResponse>(r#"{"UserConfirmed":"yes","UserSub":"s"}"#).is_none());
        read_both::<ConfirmSignUpResponse>(r#"{}"#).unwrap();
        read_both::<ConfirmSignUpResponse>(r#"{"Session":"s"}"#).unwrap();
        read_both::<CodeDeliveryResponse>(r#"{"CodeDeliveryDetails":{"DeliveryMedium":"EMAIL"}}"#).unwrap();
        read_both::<UpdateUserAttributesResponse>(r#"{"CodeDeliveryDetailsList":[{"AttributeName":"email"}]}"#)
            .unwrap();
        read_both::<UpdateUserAttributesResponse>(r#"{}"#).unwrap();
        read_both::<AssociateSoftwareTokenResponse>(r#"{"SecretCode":"ABC","Session":null}"#).unwrap();
        assert!(read_both::<AssociateSoftwareTokenResponse>(r#"{}"#).is_none());
        read_both::<VerifySoftwareTokenResponse>(r#"{"Status":"SUCCESS"}"#).unwrap();
        read_both::<VerifySoftwareTokenResponse>(r#"{"Status":"ERROR","Session":"s"}"#).unwrap();
        assert!(read_both::<VerifySoftwareTokenResponse>(r#"{"Status":"MAYBE"}"#).is_none());
        read_both::<Empty>(r#"{}"#).unwrap();
        assert!(read_both::<Empty>(r#"null"#).is_none());
    }

    /// What the local server writes (serde), the browser reads back unchanged.
    #[test]
    fn server_answers_round_trip_through_the_browser_reader() {
        fn round_trip<T: FromJson + Serialize + PartialEq + std::fmt::Debug>(value: T) {
            let text = serde_json::to_string(&value).unwrap();
            assert_eq!(T::from_json_text(&text).unwrap(), value, "{text}");
        }
        round_trip(AuthResponse {
            challenge_name: Some(ChallengeName::SoftwareTokenMfa),
            session: Some("sess\"quoted\" \u{e9}\u{1F600}".into()),
            challenge_parameters: string_map([("USER_ID_FOR_SRP", "u-1".to_string())]),
            authentication_result: Some(AuthenticationResult {
                access_token: "a".into(),
                id_token: "i".into(),
                refresh_token: None,
                expires_in: -7,
                token_type: "Bearer".into(),
                new_device_metadata: Some(NewDeviceMetadata::default()),
            }),
            available_challenges: vec![],
        });
        round_trip(AuthResponse {
            challenge_name: Some(ChallengeName::SelectChallenge),
            session: Some("s".into()),
            available_challenges: vec![ChallengeName::PasswordSrp, ChallengeName::EmailOtp, ChallengeName::WebAuthn],
            ..Default::default()
        });
        round_trip(GetUserResponse {
            username: "al\nice".into(),
            user_attributes: vec![AttributeType::new("name", "Ünïcødé \u{7}")],
            mfa_options: Some(vec![MfaOption::default()]),
            preferred_mfa_setting: None,
            user_mfa_setting_list: Some(vec![]),
        });
        round_trip(SignUpResponse { user_confirmed: true, user_sub: "s".into(), ..Default::default() });
        round_trip(VerifySoftwareTokenResponse { status: VerifySoftwareTokenStatus::Success, session: None });
        round_trip(UpdateUserAttributesResponse { code_delivery_details_list: vec![CodeDeliveryDetails::default()] });
    }
    use serde_json::{json, to_value};

    #[test]
    fn targets_are_service_qualified() {
        assert_eq!(InitiateAuth::target(), "AWSCognitoIdentityProviderService.InitiateAuth");
        assert_eq!(SetUserMFAPreference::target(), "AWSCognitoIdentityProviderService.SetUserMFAPreference");
        assert_eq!(OPERATION_NAMES.len(), 28);
    }

    #[test]
    fn srp_start_serializes_like_the_reference_client() {
        let req = InitiateAuthRequest::user_srp("client123", "alice", "abc".into());
        assert_eq!(
            to_value(&req).unwrap(),
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": "client123",
                   "AuthParameters": {"USERNAME": "alice", "SRP_A": "abc"}})
        );
        let refresh = InitiateAuthRequest::refresh("c", "r");
        assert_eq!(to_value(&refresh).unwrap()["AuthFlow"], "REFRESH_TOKEN_AUTH");
    }

    #[test]
    fn the_refresh_body_of_a_public_client_is_the_typed_request() {
        assert_eq!(
            serde_json::to_value(GetTokensFromRefreshTokenRequest::public_client_body("c1", "r.t-1")).unwrap(),
            serde_json::to_value(GetTokensFromRefreshTokenRequest::new("c1", "r.t-1")).unwrap()
        );
        // Its answer is read as an AuthResponse holding only the tokens.
        let answer = read_both::<AuthResponse>(
            r#"{"AuthenticationResult":{"AccessToken":"a","ExpiresIn":3600,"IdToken":"i","RefreshToken":"r2","TokenType":"Bearer"}}"#,
        )
        .unwrap();
        assert_eq!(answer.authentication_result.unwrap().refresh_token.as_deref(), Some("r2"));
    }

    #[test]
    fn challenge_answer_parses() {
        let body = json!({
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {"SALT": "ab", "SRP_B": "cd", "SECRET_BLOCK": "AA==", "USER_ID_FOR_SRP": "u", "USERNAME": "u"},
            "Session": null
        });
        let resp: AuthResponse = serde_json::from_value(body).unwrap();
        assert_eq!(resp.challenge_name, Some(ChallengeName::PasswordVerifier));
        assert_eq!(resp.challenge_parameters["SRP_B"], "cd");
        assert!(resp.authentication_result.is_none());

        let unknown: AuthResponse = serde_json::from_value(json!({"ChallengeName": "NOT_A_CHALLENGE"})).unwrap();
        assert_eq!(unknown.challenge_name, Some(ChallengeName::Other));
    }

    #[test]
    fn tokens_parse_without_a_refresh_token() {
        let body = json!({"AuthenticationResult": {"AccessToken": "a", "IdToken": "i", "ExpiresIn": 3600, "TokenType": "Bearer"}, "ChallengeParameters": {}});
        let resp: AuthResponse = serde_json::from_value(body).unwrap();
        let tokens = resp.authentication_result.unwrap();
        assert_eq!((tokens.access_token.as_str(), tokens.refresh_token), ("a", None));
    }

    #[test]
    fn irregular_field_names_are_spelled_like_cognito() {
        let req = SetUserMfaPreferenceRequest {
            sms_mfa_settings: Some(MfaSettings::default()),
            software_token_mfa_settings: Some(MfaSettings { enabled: true, preferred_mfa: true }),
            email_mfa_settings: None,
            access_token: "t".into(),
        };
        assert_eq!(
            to_value(&req).unwrap(),
            json!({"SMSMfaSettings": {"Enabled": false, "PreferredMfa": false},
                   "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}, "AccessToken": "t"})
        );
        let user: GetUserResponse = serde_json::from_value(json!({
            "Username": "alice", "UserAttributes": [{"Name": "email", "Value": "a@example.com"}],
            "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"], "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA"
        }))
        .unwrap();
        assert_eq!(attribute(&user.user_attributes, "email"), Some("a@example.com"));
        assert_eq!(user.user_mfa_setting_list.unwrap(), vec!["SOFTWARE_TOKEN_MFA"]);
    }

    #[test]
    fn sign_up_round_trips() {
        let req = SignUpRequest {
            client_id: "c".into(),
            username: "alice".into(),
            password: Some("pw".into()),
            user_attributes: vec![AttributeType::new("email", "a@example.com"), AttributeType::new("name", "Alice")],
            ..Default::default()
        };
        let text = serde_json::to_string(&req).unwrap();
        assert!(!text.contains("ValidationData"));
        // A passwordless sign-up sends no Password at all.
        let without = SignUpRequest { password: None, ..req.clone() };
        assert!(!serde_json::to_string(&without).unwrap().contains("Password"));
        assert_eq!(serde_json::from_str::<SignUpRequest>(&text).unwrap(), req);
        let resp: SignUpResponse = serde_json::from_value(json!({
            "UserConfirmed": false, "UserSub": "1234",
            "CodeDeliveryDetails": {"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
        }))
        .unwrap();
        assert_eq!(resp.code_delivery_details.unwrap().delivery_medium.as_deref(), Some("EMAIL"));
    }
}
