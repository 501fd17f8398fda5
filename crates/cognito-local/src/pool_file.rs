//! The pool definition file (`--pool FILE`): fixed pool and client ids so the app's config.json can point
//! at them, plus the pool's policy and the clients' token lifetimes. Seeding is idempotent: an existing
//! pool keeps its users and signing key and takes the file's settings.

use serde::Deserialize;

use crate::admin_ops::new_pool;
use crate::model::{AppClient, Model, PasswordPolicy, RefreshTokenRotation};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PoolFile {
    pub pool_id: String,
    pub pool_name: String,
    #[serde(default)]
    pub password_policy: PasswordPolicy,
    #[serde(default)]
    pub required_attributes: Vec<String>,
    #[serde(default)]
    pub auto_verified_attributes: Vec<String>,
    /// `["email"]`: users sign up and in with their email (the pool names them by UUID).
    #[serde(default)]
    pub username_attributes: Vec<String>,
    /// `email` and/or `preferred_username`: also sign in with those.
    #[serde(default)]
    pub alias_attributes: Vec<String>,
    /// `OFF` (default), `OPTIONAL` or `ON` (users without MFA set it up when they sign in).
    #[serde(default)]
    pub mfa_configuration: Option<String>,
    /// The second factors offered when MFA is not off (CloudFormation's `EnabledMfas`; default
    /// `["SOFTWARE_TOKEN_MFA"]`): `SOFTWARE_TOKEN_MFA`, `SMS_MFA`, `EMAIL_OTP`.
    #[serde(default)]
    pub enabled_mfas: Option<Vec<String>>,
    /// `SignInPolicy.AllowedFirstAuthFactors` (default `["PASSWORD"]`): with `EMAIL_OTP`, `SMS_OTP` or
    /// `WEB_AUTHN`, users of a client with `ALLOW_USER_AUTH` may sign in without a password.
    #[serde(default)]
    pub allowed_first_auth_factors: Option<Vec<String>>,
    /// `WebAuthnRelyingPartyID` (default `localhost`): the domain passkeys are made for.
    #[serde(default)]
    pub web_authn_relying_party_id: Option<String>,
    /// `DeviceConfiguration` (`{"challengeRequiredOnNewDevice": true, "deviceOnlyRememberedOnUserPrompt":
    /// true}`): the pool tracks devices, and remembered ones sign in without MFA.
    #[serde(default)]
    pub device_configuration: Option<crate::model::DeviceConfiguration>,
    pub clients: Vec<ClientFile>,
    /// External identity providers (local stand-ins, see `oauth`): `[{"name": "Google", "type": "Google"},
    /// {"name": "Corp", "type": "SAML", "identifiers": ["corp.example"]}]`; clients list the ones they
    /// offer in `oauth.identityProviders`.
    #[serde(default)]
    pub identity_providers: Vec<crate::oauth::IdentityProvider>,
    /// Web origins besides this machine's whose pages may call the server (CORS), e.g.
    /// `["https://dev.example.com"]`.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientFile {
    pub client_id: String,
    pub client_name: String,
    #[serde(default = "default_flows")]
    pub explicit_auth_flows: Vec<String>,
    #[serde(default = "yes")]
    pub prevent_user_existence_errors: bool,
    #[serde(default = "yes")]
    pub enable_token_revocation: bool,
    #[serde(default = "hour")]
    pub access_token_validity_seconds: i64,
    #[serde(default = "hour")]
    pub id_token_validity_seconds: i64,
    #[serde(default = "thirty_days")]
    pub refresh_token_validity_seconds: i64,
    /// `{"feature": "ENABLED", "retryGracePeriodSeconds": 10}`: refresh-token rotation.
    #[serde(default)]
    pub refresh_token_rotation: Option<RefreshTokenRotation>,
    /// Managed login: `{"enabled": true, "flows": ["code"], "scopes": ["openid", "email"], "callbackUrls":
    /// […], "logoutUrls": […], "identityProviders": ["COGNITO"]}`.
    #[serde(default)]
    pub oauth: crate::oauth::OAuthClient,
}

impl ClientFile {
    /// The client as the model keeps it, with Cognito's checks of its settings ([`PoolFile::read`] reports
    /// a failure).
    fn app_client(&self) -> Result<AppClient, String> {
        let client = AppClient {
            client_id: self.client_id.clone(),
            client_name: self.client_name.clone(),
            explicit_auth_flows: self.explicit_auth_flows.clone(),
            prevent_user_existence_errors: self.prevent_user_existence_errors,
            enable_token_revocation: self.enable_token_revocation,
            access_token_validity_seconds: self.access_token_validity_seconds,
            id_token_validity_seconds: self.id_token_validity_seconds,
            refresh_token_validity_seconds: self.refresh_token_validity_seconds,
            rotation_grace_seconds: match &self.refresh_token_rotation {
                Some(r) => r.grace_seconds()?,
                None => None,
            },
            oauth: self.oauth.clone(),
        };
        client.check_rotation()?;
        Ok(client)
    }
}

fn default_flows() -> Vec<String> {
    vec!["ALLOW_USER_SRP_AUTH".into(), "ALLOW_REFRESH_TOKEN_AUTH".into()]
}
fn yes() -> bool {
    true
}
fn hour() -> i64 {
    3600
}
fn thirty_days() -> i64 {
    30 * 86_400
}

impl PoolFile {
    pub fn read(path: &std::path::Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file: PoolFile = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        cognito_core::PoolId::parse(&file.pool_id).map_err(|e| format!("{}: {e}", path.display()))?;
        if file.clients.is_empty() {
            return Err(format!("{}: a pool needs at least one client", path.display()));
        }
        crate::admin_ops::check_username_configuration(&file.username_attributes, &file.alias_attributes)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        crate::admin_ops::check_mfa_configuration(file.mfa_configuration.clone())
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(kind) = file.enabled_mfas.iter().flatten().find(|k| !crate::model::MFA_KINDS.contains(&k.as_str()))
        {
            return Err(format!(
                "{}: unknown enabledMfas {kind:?}: SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP",
                path.display()
            ));
        }
        if let Some(factors) = &file.allowed_first_auth_factors {
            crate::admin_ops::check_first_auth_factors(factors).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        for p in &file.identity_providers {
            crate::oauth::check_provider(p)
                .map_err(|e| format!("{}: identity provider {:?}: {e}", path.display(), p.name))?;
        }
        for c in &file.clients {
            c.app_client().map_err(|e| format!("{}: client {}: {e}", path.display(), c.client_id))?;
        }
        Ok(file)
    }

    /// Creates or updates the pool in the model.
    pub fn seed(self, model: &mut Model, now: i64) {
        let pool = model.pools.entry(self.pool_id.clone()).or_insert_with(|| {
            new_pool(self.pool_id.clone(), self.pool_name.clone(), now, PasswordPolicy::default(), vec![], vec![])
        });
        pool.name = self.pool_name;
        pool.password_policy = self.password_policy;
        pool.required_attributes = self.required_attributes;
        pool.auto_verified_attributes = self.auto_verified_attributes;
        pool.username_attributes = self.username_attributes;
        pool.alias_attributes = self.alias_attributes;
        pool.mfa_configuration = crate::admin_ops::check_mfa_configuration(self.mfa_configuration).unwrap_or_default();
        pool.enabled_mfas = self.enabled_mfas.unwrap_or_else(crate::model::totp_only);
        pool.allowed_first_auth_factors = self.allowed_first_auth_factors.unwrap_or_else(crate::model::password_only);
        pool.web_authn_relying_party_id = self.web_authn_relying_party_id;
        pool.device_configuration = self.device_configuration;
        pool.identity_providers = self.identity_providers.into_iter().map(|p| (p.name.clone(), p)).collect();
        for c in self.clients {
            if let Ok(client) = c.app_client() {
                pool.clients.insert(client.client_id.clone(), client);
            }
        }
    }
}
