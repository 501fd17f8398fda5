//! What the server stores: pools, their app clients, users (SRP verifiers, never passwords), groups,
//! codes and refresh tokens. Serializable as one JSON document for the data directory.

use std::collections::{BTreeMap, BTreeSet};

use cognito_core::error::codes;
use cognito_core::CognitoError;
use serde::{Deserialize, Serialize};

/// The whole persistent state.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Model {
    pub pools: BTreeMap<String, Pool>,
}

pub use cognito_core::password_policy::PasswordPolicy;

/// Checks a password against a pool's policy, answering as Cognito does.
pub fn check_password(policy: &PasswordPolicy, password: &str) -> Result<(), CognitoError> {
    match policy.first_unmet(password) {
        None => Ok(()),
        Some(rule) => Err(CognitoError::new(
            400,
            codes::INVALID_PASSWORD,
            format!("Password did not conform with policy: {}", rule.cognito_message()),
        )),
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pool {
    pub id: String,
    pub name: String,
    pub created: i64,
    pub password_policy: PasswordPolicy,
    /// Attributes SignUp must carry, e.g. `email`, `name`.
    pub required_attributes: Vec<String>,
    /// Attributes verified by the sign-up code (and so marked verified by ConfirmSignUp), e.g. `email`.
    pub auto_verified_attributes: Vec<String>,
    /// `UsernameAttributes` (`["email"]`): users sign up and in with their email; the pool names each one
    /// with a UUID (its `sub`), which is `USER_ID_FOR_SRP` and `cognito:username`.
    #[serde(default)]
    pub username_attributes: Vec<String>,
    /// `AliasAttributes` (`email`, `preferred_username`): besides the username, a user signs in with a
    /// verified email or their preferred_username.
    #[serde(default)]
    pub alias_attributes: Vec<String>,
    /// `MfaConfiguration`: `OFF` (Cognito's default), `OPTIONAL` (users choose) or `ON` (users without
    /// MFA set it up at sign-in, through the MFA_SETUP challenge).
    #[serde(default = "mfa_off")]
    pub mfa_configuration: String,
    /// The second factors the pool offers (SetUserPoolMfaConfig; CloudFormation's `EnabledMfas`):
    /// `SOFTWARE_TOKEN_MFA`, `SMS_MFA`, `EMAIL_OTP`.
    #[serde(default = "totp_only")]
    pub enabled_mfas: Vec<String>,
    /// `Policies.SignInPolicy.AllowedFirstAuthFactors`: what a USER_AUTH sign-in may start with
    /// (`PASSWORD`, `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`); Cognito's default is `PASSWORD` alone.
    #[serde(default = "password_only")]
    pub allowed_first_auth_factors: Vec<String>,
    /// `WebAuthnRelyingPartyID`: the domain passkeys are made for (`localhost` when not set, see
    /// `webauthn_ops`).
    #[serde(default)]
    pub web_authn_relying_party_id: Option<String>,
    /// `DeviceConfiguration`: None, the pool does not track devices.
    #[serde(default)]
    pub device_configuration: Option<DeviceConfiguration>,
    pub clients: BTreeMap<String, AppClient>,
    /// By lower-cased username (usernames are case-insensitive, as in new Cognito pools).
    pub users: BTreeMap<String, User>,
    pub groups: BTreeMap<String, Group>,
    /// By refresh token.
    pub refresh_tokens: BTreeMap<String, RefreshRecord>,
    /// Authorization codes of managed login waiting to be exchanged, by code.
    #[serde(default)]
    pub oauth_codes: BTreeMap<String, crate::oauth::AuthorizationCode>,
    /// Hosted-page sessions (managed login's cookie), by id.
    #[serde(default)]
    pub hosted_sessions: BTreeMap<String, crate::oauth::HostedSession>,
    /// External identity providers (CreateIdentityProvider), by name: here local stand-ins that sign
    /// users in as Cognito does for Google's or a SAML provider's (see `oauth::federated_user`).
    #[serde(default)]
    pub identity_providers: BTreeMap<String, crate::oauth::IdentityProvider>,
    /// The managed-login domain's prefix (CreateUserPoolDomain; DescribeUserPool's `Domain`). Here
    /// managed login is served by this server itself, whatever the prefix.
    #[serde(default)]
    pub domain: Option<String>,
    /// `origin_jti`s whose tokens were revoked by RevokeToken.
    pub revoked_origins: BTreeSet<String>,
    /// RSA private key (PKCS#8 PEM) signing this pool's id tokens, and its key id.
    pub signing_key_pem: String,
    pub key_id: String,
    /// The key signing access tokens (empty in a pool saved before it existed: the id key signs both).
    #[serde(default)]
    pub access_signing_key_pem: String,
    #[serde(default)]
    pub access_key_id: String,
}

fn mfa_off() -> String {
    "OFF".into()
}

pub fn totp_only() -> Vec<String> {
    vec!["SOFTWARE_TOKEN_MFA".into()]
}

/// The second factors a pool can offer, as `EnabledMfas` names them.
pub const MFA_KINDS: [&str; 3] = ["SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP"];

pub fn password_only() -> Vec<String> {
    vec!["PASSWORD".into()]
}

/// The first factors a pool can allow, as `AllowedFirstAuthFactors` names them.
pub const FIRST_AUTH_FACTORS: [&str; 4] = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];

impl Pool {
    pub fn mfa_required(&self) -> bool {
        self.mfa_configuration == "ON"
    }

    /// `MfaConfiguration: OFF`: no user sets up or is asked for a second factor.
    pub fn mfa_off(&self) -> bool {
        self.mfa_configuration == "OFF"
    }

    /// Whether the pool offers this second factor (and MFA is not off).
    pub fn offers_mfa(&self, kind: &str) -> bool {
        !self.mfa_off() && self.enabled_mfas.iter().any(|k| k == kind)
    }

    pub fn email_is_username(&self) -> bool {
        self.username_attributes.iter().any(|a| a == "email")
    }

    /// The key in `users` of the user a request names: by username (case-insensitive), or by email in a
    /// pool whose users sign in with it, or by an alias the pool allows (an email only once verified).
    pub fn find_user(&self, name: &str) -> Option<String> {
        let key = name.to_lowercase();
        if self.users.contains_key(&key) {
            return Some(key);
        }
        let has = |user: &User, attribute: &str| user.attribute(attribute).is_some_and(|v| v.to_lowercase() == key);
        let alias = |a: &str| self.alias_attributes.iter().any(|x| x == a);
        self.users
            .iter()
            .find(|(_, u)| {
                (self.email_is_username() && has(u, "email"))
                    || (alias("email") && has(u, "email") && u.attribute("email_verified") == Some("true"))
                    || (alias("preferred_username") && has(u, "preferred_username"))
            })
            .map(|(k, _)| k.clone())
    }

    /// In a pool with an email alias, the other user (not `except`) that signs in with this email: the
    /// one whose verified email it is.
    pub fn email_alias_holder(&self, email: &str, except: &str) -> Option<String> {
        if !self.alias_attributes.iter().any(|a| a == "email") {
            return None;
        }
        let email = email.to_lowercase();
        self.users
            .iter()
            .find(|(k, u)| {
                k.as_str() != except
                    && u.attribute("email").is_some_and(|e| e.to_lowercase() == email)
                    && u.attribute("email_verified") == Some("true")
            })
            .map(|(k, _)| k.clone())
    }

    /// Before `user_key`'s email becomes verified: if it is another user's alias, either moves the alias
    /// (`force`: the other user's email is no longer verified, so it no longer signs them in) or refuses
    /// with AliasExistsException, as ConfirmSignUp's and AdminCreateUser's `ForceAliasCreation` say.
    pub fn claim_email_alias(&mut self, user_key: &str, email: &str, force: bool) -> Result<(), CognitoError> {
        let Some(holder) = self.email_alias_holder(email, user_key) else {
            return Ok(());
        };
        if !force {
            return Err(CognitoError::new(400, codes::ALIAS_EXISTS, "An account with the email already exists."));
        }
        if let Some(previous) = self.users.get_mut(&holder) {
            previous.attributes.insert("email_verified".into(), "false".into());
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppClient {
    pub client_id: String,
    pub client_name: String,
    pub explicit_auth_flows: Vec<String>,
    pub prevent_user_existence_errors: bool,
    pub enable_token_revocation: bool,
    pub access_token_validity_seconds: i64,
    pub id_token_validity_seconds: i64,
    pub refresh_token_validity_seconds: i64,
    /// Refresh-token rotation (`RefreshTokenRotation.Feature = ENABLED`): the grace period in seconds
    /// (`RetryGracePeriodSeconds`, 0 to 60) during which a rotated-out token still works. `None`: off.
    #[serde(default)]
    pub rotation_grace_seconds: Option<i64>,
    /// Managed login (the OAuth endpoints): flows, scopes, callback and sign-out URLs, providers.
    #[serde(default)]
    pub oauth: crate::oauth::OAuthClient,
}

impl AppClient {
    pub fn allows(&self, flow: &str) -> bool {
        self.explicit_auth_flows.iter().any(|f| f == flow)
    }

    /// Cognito's checks of a client's settings that involve rotation.
    pub fn check_rotation(&self) -> Result<(), String> {
        match self.rotation_grace_seconds {
            Some(grace) if !(0..=60).contains(&grace) => Err("RetryGracePeriodSeconds must be between 0 and 60".into()),
            // Rotation is done only by GetTokensFromRefreshToken; the console asks to clear this flow.
            Some(_) if self.allows("ALLOW_REFRESH_TOKEN_AUTH") => {
                Err("ALLOW_REFRESH_TOKEN_AUTH cannot be enabled when refresh token rotation is enabled".into())
            }
            _ => Ok(()),
        }
    }
}

/// `RefreshTokenRotation` of CreateUserPoolClient / DescribeUserPoolClient (and, in camelCase, of the
/// pool file).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RefreshTokenRotation {
    #[serde(rename = "Feature", alias = "feature")]
    pub feature: String,
    #[serde(rename = "RetryGracePeriodSeconds", alias = "retryGracePeriodSeconds", default)]
    pub retry_grace_period_seconds: Option<i64>,
}

impl RefreshTokenRotation {
    /// The model's form: the grace period when the feature is on.
    pub fn grace_seconds(&self) -> Result<Option<i64>, String> {
        match self.feature.as_str() {
            "ENABLED" => Ok(Some(self.retry_grace_period_seconds.unwrap_or(0))),
            "DISABLED" => Ok(None),
            other => Err(format!("Invalid RefreshTokenRotation Feature {other:?}: ENABLED or DISABLED")),
        }
    }

    pub fn of(grace: Option<i64>) -> RefreshTokenRotation {
        match grace {
            Some(g) => RefreshTokenRotation { feature: "ENABLED".into(), retry_grace_period_seconds: Some(g) },
            None => RefreshTokenRotation { feature: "DISABLED".into(), retry_grace_period_seconds: None },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    Unconfirmed,
    Confirmed,
    ForceChangePassword,
    ResetRequired,
    /// Made by a sign-in through an external identity provider (`Google_…`); no password of its own.
    ExternalProvider,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Unconfirmed => "UNCONFIRMED",
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            UserStatus::ResetRequired => "RESET_REQUIRED",
            UserStatus::ExternalProvider => "EXTERNAL_PROVIDER",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Code {
    pub value: String,
    pub expires_at: i64,
    /// Wrong codes entered so far; at [`crate::service::MAX_CODE_ATTEMPTS`] the code is used up.
    #[serde(default)]
    pub failed_attempts: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Codes {
    pub confirmation: Option<Code>,
    pub forgot_password: Option<Code>,
    /// Attribute verification codes by attribute name.
    pub attributes: BTreeMap<String, Code>,
    /// The code of a USER_AUTH sign-in by email or SMS (EMAIL_OTP, SMS_OTP): shown by `/_local/codes`;
    /// it is checked against the sign-in's session, which holds the same code.
    #[serde(default)]
    pub sign_in: Option<Code>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub username: String,
    pub sub: String,
    /// Every attribute but `sub`, by name.
    pub attributes: BTreeMap<String, String>,
    pub status: UserStatus,
    pub enabled: bool,
    /// SRP salt and verifier `v = g^x mod N`, both hex. The password itself is never stored.
    pub salt_hex: String,
    pub verifier_hex: String,
    pub created: i64,
    pub modified: i64,
    /// Failed password sign-ins and the lockout they cause (see [`crate::lockout`]).
    #[serde(default)]
    pub lockout: crate::lockout::Lockout,
    /// Wrong previous passwords given to ChangePassword, counted the same way.
    #[serde(default)]
    pub change_password_lockout: crate::lockout::Lockout,
    pub codes: Codes,
    pub groups: BTreeSet<String>,
    /// TOTP secret (base32) waiting for VerifySoftwareToken, and the verified one.
    #[serde(default)]
    pub totp_pending: Option<String>,
    #[serde(default)]
    pub totp_secret: Option<String>,
    /// SetUserMFAPreference enabled software-token MFA: sign-in asks for a TOTP code.
    #[serde(default)]
    pub mfa_enabled: bool,
    /// SetUserMFAPreference enabled a code by SMS (to the phone number) or by email as the second factor.
    #[serde(default)]
    pub sms_mfa_enabled: bool,
    #[serde(default)]
    pub email_mfa_enabled: bool,
    /// The preferred kind when several are on (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`).
    #[serde(default)]
    pub preferred_mfa: Option<String>,
    /// Wrong sign-in MFA codes since the last right one, and until when MFA answers are refused after
    /// [`crate::service::MAX_MFA_ATTEMPTS`] of them.
    #[serde(default)]
    pub failed_mfa_codes: u32,
    #[serde(default)]
    pub mfa_locked_until: i64,
    /// Registered passkeys (WebAuthn credentials).
    #[serde(default)]
    pub passkeys: Vec<crate::webauthn_ops::StoredPasskey>,
    /// Devices the user signed in on, in a pool that tracks them (see `devices`), and the group key all
    /// of them share (`DeviceGroupKey`, made with the first).
    #[serde(default)]
    pub devices: Vec<Device>,
    #[serde(default)]
    pub device_group_key: Option<String>,
}

/// A device a user signed in on (device tracking): made with the sign-in's `NewDeviceMetadata`; its SRP
/// verifier comes with ConfirmDevice.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    pub key: String,
    #[serde(default)]
    pub name: Option<String>,
    /// ConfirmDevice's `DeviceSecretVerifierConfig` (base64), None until then.
    #[serde(default)]
    pub salt: Option<String>,
    #[serde(default)]
    pub verifier: Option<String>,
    /// `DeviceRememberedStatus`: `remembered` (true) or `not_remembered`.
    #[serde(default)]
    pub remembered: bool,
    pub created: i64,
    pub modified: i64,
    pub last_authenticated: i64,
}

impl Device {
    /// ConfirmDevice has given its verifier: the device can prove itself (DEVICE_SRP_AUTH).
    pub fn confirmed(&self) -> bool {
        self.verifier.is_some()
    }
}

/// `DeviceConfiguration` of a pool: with it, the pool tracks devices.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeviceConfiguration {
    /// A remembered device signs in with its own proof (DEVICE_SRP_AUTH) instead of an MFA code.
    #[serde(default)]
    pub challenge_required_on_new_device: bool,
    /// ConfirmDevice does not remember the device by itself: the app asks the user (UpdateDeviceStatus).
    #[serde(default)]
    pub device_only_remembered_on_user_prompt: bool,
}

impl User {
    /// The second factors this user has turned on that the pool offers, in Cognito's order.
    pub fn mfa_kinds(&self, pool: &Pool) -> Vec<&'static str> {
        let mut kinds = Vec::new();
        if self.sms_mfa_enabled && self.attribute("phone_number").is_some() && pool.offers_mfa("SMS_MFA") {
            kinds.push("SMS_MFA");
        }
        if self.mfa_enabled && self.totp_secret.is_some() && pool.offers_mfa("SOFTWARE_TOKEN_MFA") {
            kinds.push("SOFTWARE_TOKEN_MFA");
        }
        if self.email_mfa_enabled && self.attribute("email").is_some() && pool.offers_mfa("EMAIL_OTP") {
            kinds.push("EMAIL_OTP");
        }
        kinds
    }

    /// A new user with no password set yet (see `user_ops::set_password`).
    pub fn new(username: &str, attributes: BTreeMap<String, String>, status: UserStatus, now: i64) -> Self {
        User {
            username: username.to_string(),
            sub: crate::ids::uuid_v4(),
            attributes,
            status,
            enabled: true,
            salt_hex: String::new(),
            verifier_hex: String::new(),
            created: now,
            modified: now,
            lockout: Default::default(),
            change_password_lockout: Default::default(),
            codes: Codes::default(),
            groups: BTreeSet::new(),
            totp_pending: None,
            totp_secret: None,
            mfa_enabled: false,
            sms_mfa_enabled: false,
            email_mfa_enabled: false,
            preferred_mfa: None,
            failed_mfa_codes: 0,
            mfa_locked_until: 0,
            passkeys: Vec::new(),
            devices: Vec::new(),
            device_group_key: None,
        }
    }

    /// All attributes including `sub`, as Cognito lists them.
    pub fn attribute_list(&self) -> Vec<cognito_core::api::AttributeType> {
        let mut list = vec![cognito_core::api::AttributeType::new("sub", &self.sub)];
        list.extend(self.attributes.iter().map(|(k, v)| cognito_core::api::AttributeType::new(k, v)));
        list
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub name: String,
    pub description: Option<String>,
    pub precedence: Option<i64>,
    pub created: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRecord {
    pub client_id: String,
    /// Lower-cased username (the key in `Pool::users`).
    pub user_key: String,
    pub origin_jti: String,
    pub auth_time: i64,
    pub issued_at: i64,
    pub expires_at: i64,
    /// With rotation: when this token was first exchanged for a new one (it works until the client's
    /// grace period after that, then RefreshTokenReuseException).
    #[serde(default)]
    pub rotated_at: Option<i64>,
    /// The device the tokens were issued to (device tracking): refreshing needs its `DEVICE_KEY`, and
    /// forgetting the device ends the family.
    #[serde(default)]
    pub device_key: Option<String>,
    /// The OAuth scopes of a family started at managed login's token endpoint (its access tokens carry
    /// them); None for the API's sign-ins (`aws.cognito.signin.user.admin`).
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
}

/// Standard attributes a pool accepts besides custom ones (`custom:…`).
pub const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];

pub fn invalid_parameter(message: impl Into<String>) -> CognitoError {
    CognitoError::new(400, codes::INVALID_PARAMETER, message)
}

pub use cognito_core::messages::looks_like_email as is_email;

/// Checks attributes a user may set (SignUp, UpdateUserAttributes, AdminCreateUser).
pub fn check_attributes(attrs: &BTreeMap<String, String>) -> Result<(), CognitoError> {
    for (name, value) in attrs {
        if name == "sub" {
            return Err(invalid_parameter("Cannot modify the non-mutable attribute sub"));
        }
        if !(STANDARD_ATTRIBUTES.contains(&name.as_str()) || name.starts_with("custom:") && name.len() > 7) {
            return Err(invalid_parameter(format!(
                "Attributes did not conform to the schema: Type for attribute {{{name}}} could not be determined"
            )));
        }
        if value.chars().count() > 2048 {
            return Err(invalid_parameter(format!(
                "Attributes did not conform to the schema: {name}: String must be no longer than 2048 characters"
            )));
        }
        if name == "email" && !is_email(value) {
            return Err(invalid_parameter("Invalid email address format."));
        }
        // E.164, as Cognito wants phone numbers (the app checks the same shape before sending).
        if name == "phone_number" && !cognito_core::messages::looks_like_phone(value) {
            return Err(invalid_parameter("Invalid phone number format."));
        }
    }
    Ok(())
}

/// `a***@e***`-style masking used in CodeDeliveryDetails.Destination.
pub fn mask_email(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    format!("{}***@{}***", first(local), first(domain))
}

/// A phone number as Cognito shows where a text message went: `+*******0100`.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let tail: String = digits.iter().skip(digits.len().saturating_sub(4)).collect();
    format!("+*******{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_errors_are_cognitos() {
        let e = check_password(&PasswordPolicy::default(), "Aa1!").unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("InvalidPasswordException", "Password did not conform with policy: Password not long enough")
        );
        assert!(check_password(&PasswordPolicy::default(), "Correct-horse-1").is_ok());
    }

    #[test]
    fn masked_destination() {
        assert_eq!(mask_email("alice@example.com"), "a***@e***");
    }

    #[test]
    fn attribute_schema() {
        let ok: BTreeMap<String, String> =
            [("email", "a@example.com"), ("name", "A"), ("custom:team", "x")].map(|(k, v)| (k.into(), v.into())).into();
        assert!(check_attributes(&ok).is_ok());
        let unknown: BTreeMap<String, String> = [("shoe_size".to_string(), "9".to_string())].into();
        assert!(check_attributes(&unknown).unwrap_err().message.contains("could not be determined"));
        let bad_email: BTreeMap<String, String> = [("email".to_string(), "nope".to_string())].into();
        assert_eq!(check_attributes(&bad_email).unwrap_err().message, "Invalid email address format.");
    }
}
