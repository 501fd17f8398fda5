//! Administrative operations, enough to manage a pool with `aws cognito-idp --endpoint-url` or boto3.
//! No SigV4 check: this server is for loopback development and tests.

use std::collections::BTreeMap;

use cognito_core::api::{AttributeType, Empty};
use cognito_core::error::codes;
use cognito_core::CognitoError;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::ids;
use crate::model::{
    check_attributes, check_password, invalid_parameter, AppClient, Group, PasswordPolicy, Pool, RefreshTokenRotation,
    User, UserStatus,
};
use crate::service::*;
use crate::tokens::generate_key;
use crate::user_ops::{attribute_map, set_password};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicyType {
    pub minimum_length: Option<usize>,
    pub require_uppercase: Option<bool>,
    pub require_lowercase: Option<bool>,
    pub require_numbers: Option<bool>,
    pub require_symbols: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policies {
    pub password_policy: Option<PasswordPolicyType>,
    pub sign_in_policy: Option<SignInPolicy>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignInPolicy {
    pub allowed_first_auth_factors: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SchemaAttribute {
    pub name: String,
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolRequest {
    pub pool_name: String,
    #[serde(default)]
    pub policies: Option<Policies>,
    #[serde(default)]
    pub auto_verified_attributes: Vec<String>,
    #[serde(default)]
    pub schema: Vec<SchemaAttribute>,
    #[serde(default)]
    pub username_attributes: Vec<String>,
    #[serde(default)]
    pub alias_attributes: Vec<String>,
    #[serde(default)]
    pub mfa_configuration: Option<String>,
    #[serde(default)]
    pub device_configuration: Option<DeviceConfigurationRequest>,
}

/// CreateUserPool's `DeviceConfiguration`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceConfigurationRequest {
    #[serde(default)]
    pub challenge_required_on_new_device: bool,
    #[serde(default)]
    pub device_only_remembered_on_user_prompt: bool,
}

/// `MfaConfiguration`: OFF (the default), OPTIONAL or ON.
pub fn check_mfa_configuration(value: Option<String>) -> Result<String, String> {
    match value.as_deref().unwrap_or("OFF") {
        v @ ("OFF" | "OPTIONAL" | "ON") => Ok(v.to_string()),
        other => Err(format!("Invalid MfaConfiguration {other:?}: OFF, OPTIONAL or ON")),
    }
}

/// `SignInPolicy.AllowedFirstAuthFactors`: known names, and `PASSWORD` among them (the console cannot turn
/// it off; the wording of this refusal is ours).
pub fn check_first_auth_factors(factors: &[String]) -> Result<(), String> {
    if let Some(f) = factors.iter().find(|f| !crate::model::FIRST_AUTH_FACTORS.contains(&f.as_str())) {
        return Err(format!("Invalid AllowedFirstAuthFactors {f:?}: PASSWORD, EMAIL_OTP, SMS_OTP or WEB_AUTHN"));
    }
    if !factors.iter().any(|f| f == "PASSWORD") {
        return Err("AllowedFirstAuthFactors must include PASSWORD".into());
    }
    Ok(())
}

/// Cognito's rules for `UsernameAttributes` (`email`, `phone_number`) and `AliasAttributes` (`email`,
/// `phone_number`, `preferred_username`): one or the other. Phone numbers are not implemented here.
pub fn check_username_configuration(username: &[String], alias: &[String]) -> Result<(), String> {
    if !username.is_empty() && !alias.is_empty() {
        return Err("Only one of the UsernameAttributes or AliasAttributes can be set in a User Pool".into());
    }
    if let Some(a) = username.iter().find(|a| a.as_str() != "email") {
        return Err(format!("UsernameAttributes {a:?} is not supported by cognito-local (only email)"));
    }
    if let Some(a) = alias.iter().find(|a| !matches!(a.as_str(), "email" | "preferred_username")) {
        return Err(format!("AliasAttributes {a:?} is not supported by cognito-local (email, preferred_username)"));
    }
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TokenValidityUnits {
    pub access_token: Option<String>,
    pub id_token: Option<String>,
    pub refresh_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolClientRequest {
    pub user_pool_id: String,
    /// UpdateUserPoolClient's: the client to change.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Required by CreateUserPoolClient; UpdateUserPoolClient keeps the name when it is left out.
    #[serde(default)]
    pub client_name: Option<String>,
    #[serde(default)]
    pub explicit_auth_flows: Option<Vec<String>>,
    #[serde(default)]
    pub prevent_user_existence_errors: Option<String>,
    #[serde(default)]
    pub enable_token_revocation: Option<bool>,
    pub access_token_validity: Option<i64>,
    pub id_token_validity: Option<i64>,
    pub refresh_token_validity: Option<i64>,
    #[serde(default)]
    pub token_validity_units: Option<TokenValidityUnits>,
    #[serde(default)]
    pub generate_secret: Option<bool>,
    #[serde(default)]
    pub refresh_token_rotation: Option<RefreshTokenRotation>,
    #[serde(default, rename = "AllowedOAuthFlowsUserPoolClient")]
    pub allowed_oauth_flows_user_pool_client: Option<bool>,
    #[serde(default, rename = "AllowedOAuthFlows")]
    pub allowed_oauth_flows: Option<Vec<String>>,
    #[serde(default, rename = "AllowedOAuthScopes")]
    pub allowed_oauth_scopes: Option<Vec<String>>,
    #[serde(default, rename = "CallbackURLs")]
    pub callback_urls: Option<Vec<String>>,
    #[serde(default, rename = "LogoutURLs")]
    pub logout_urls: Option<Vec<String>>,
    #[serde(default)]
    pub supported_identity_providers: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PoolRequest {
    pub user_pool_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUserRequest {
    pub user_pool_id: String,
    pub username: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserRequest {
    pub user_pool_id: String,
    pub username: String,
    #[serde(default)]
    pub temporary_password: Option<String>,
    #[serde(default)]
    pub user_attributes: Vec<AttributeType>,
    #[serde(default)]
    pub message_action: Option<String>,
    #[serde(default)]
    pub force_alias_creation: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolDomainRequest {
    pub user_pool_id: String,
    pub domain: String,
    #[serde(default)]
    pub managed_login_version: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateIdentityProviderRequest {
    pub user_pool_id: String,
    pub provider_name: String,
    pub provider_type: String,
    #[serde(default)]
    pub idp_identifiers: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateGroupRequest {
    pub user_pool_id: String,
    pub group_name: String,
    pub description: Option<String>,
    pub precedence: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminAddUserToGroupRequest {
    pub user_pool_id: String,
    pub username: String,
    pub group_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersRequest {
    pub user_pool_id: String,
    pub filter: Option<String>,
    pub limit: Option<usize>,
}

/// A pool with a fresh signing key.
pub fn new_pool(
    id: String,
    name: String,
    now: i64,
    password_policy: PasswordPolicy,
    required_attributes: Vec<String>,
    auto_verified_attributes: Vec<String>,
) -> Pool {
    let (signing_key_pem, key_id) = generate_key();
    let (access_signing_key_pem, access_key_id) = generate_key();
    Pool {
        id,
        name,
        created: now,
        password_policy,
        required_attributes,
        auto_verified_attributes,
        username_attributes: Vec::new(),
        alias_attributes: Vec::new(),
        mfa_configuration: "OFF".into(),
        enabled_mfas: crate::model::totp_only(),
        allowed_first_auth_factors: crate::model::password_only(),
        web_authn_relying_party_id: None,
        device_configuration: None,
        clients: BTreeMap::new(),
        users: BTreeMap::new(),
        groups: BTreeMap::new(),
        refresh_tokens: BTreeMap::new(),
        oauth_codes: BTreeMap::new(),
        hosted_sessions: BTreeMap::new(),
        identity_providers: BTreeMap::new(),
        domain: None,
        revoked_origins: Default::default(),
        signing_key_pem,
        key_id,
        access_signing_key_pem,
        access_key_id,
    }
}

/// A new app client id: 26 lower-case letters and digits, like Cognito's.
pub fn new_client_id() -> String {
    ids::random_id(26, ids::LOWER_ALNUM)
}

fn pool_json(pool: &Pool) -> Value {
    let p = &pool.password_policy;
    json!({
        "Id": pool.id,
        "Name": pool.name,
        "UsernameAttributes": pool.username_attributes,
        "AliasAttributes": pool.alias_attributes,
        "MfaConfiguration": pool.mfa_configuration,
        "Arn": format!("arn:aws:cognito-idp:{}:000000000000:userpool/{}", pool.id.split('_').next().unwrap_or(""), pool.id),
        "CreationDate": pool.created,
        "LastModifiedDate": pool.created,
        "Policies": {"PasswordPolicy": {
            "MinimumLength": p.minimum_length, "RequireUppercase": p.require_uppercase,
            "RequireLowercase": p.require_lowercase, "RequireNumbers": p.require_numbers,
            "RequireSymbols": p.require_symbols, "TemporaryPasswordValidityDays": 7
        }, "SignInPolicy": {"AllowedFirstAuthFactors": pool.allowed_first_auth_factors}},
        "AutoVerifiedAttributes": pool.auto_verified_attributes,
        "SchemaAttributes": crate::model::STANDARD_ATTRIBUTES.iter().map(|name| json!({
            "Name": name, "AttributeDataType": if name.ends_with("_verified") { "Boolean" } else { "String" },
            "Mutable": true, "Required": pool.required_attributes.iter().any(|r| r == name)
        })).collect::<Vec<_>>(),
        "DeviceConfiguration": pool.device_configuration.as_ref().map(|d| json!({
            "ChallengeRequiredOnNewDevice": d.challenge_required_on_new_device,
            "DeviceOnlyRememberedOnUserPrompt": d.device_only_remembered_on_user_prompt,
        })),
        "EstimatedNumberOfUsers": pool.users.len(),
        "Domain": pool.domain,
        "UserPoolTags": {},
    })
}

fn client_json(pool_id: &str, c: &AppClient) -> Value {
    json!({
        "UserPoolId": pool_id,
        "ClientName": c.client_name,
        "ClientId": c.client_id,
        "ExplicitAuthFlows": c.explicit_auth_flows,
        "PreventUserExistenceErrors": if c.prevent_user_existence_errors { "ENABLED" } else { "LEGACY" },
        "EnableTokenRevocation": c.enable_token_revocation,
        "AccessTokenValidity": c.access_token_validity_seconds,
        "IdTokenValidity": c.id_token_validity_seconds,
        "RefreshTokenValidity": c.refresh_token_validity_seconds,
        "TokenValidityUnits": {"AccessToken": "seconds", "IdToken": "seconds", "RefreshToken": "seconds"},
        "RefreshTokenRotation": RefreshTokenRotation::of(c.rotation_grace_seconds),
        "AllowedOAuthFlowsUserPoolClient": c.oauth.enabled,
        "AllowedOAuthFlows": c.oauth.flows,
        "AllowedOAuthScopes": c.oauth.scopes,
        "CallbackURLs": c.oauth.callback_urls,
        "LogoutURLs": c.oauth.logout_urls,
        "SupportedIdentityProviders": c.oauth.identity_providers,
    })
}

fn user_json(user: &User) -> Value {
    json!({
        "Username": user.username,
        "Attributes": user.attribute_list(),
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status.as_str(),
    })
}

fn user_mut<'p>(pool: &'p mut Pool, username: &str) -> Result<&'p mut User, CognitoError> {
    let key = pool.find_user(username).ok_or_else(|| err(codes::USER_NOT_FOUND, "User does not exist."))?;
    pool.users.get_mut(&key).ok_or_else(|| err(codes::USER_NOT_FOUND, "User does not exist."))
}

/// Seconds for a validity value in Cognito's units (default unit: hours for access/id, days for refresh).
fn seconds(
    value: Option<i64>,
    unit: Option<&str>,
    default_unit: &str,
    default_value: i64,
) -> Result<i64, CognitoError> {
    let value = value.unwrap_or(default_value);
    let factor = match unit.unwrap_or(default_unit) {
        "seconds" => 1,
        "minutes" => 60,
        "hours" => 3600,
        "days" => 86_400,
        other => return Err(invalid_parameter(format!("Invalid time unit {other}"))),
    };
    if value <= 0 {
        return Err(invalid_parameter("Token validity must be positive"));
    }
    Ok(value * factor)
}

pub fn create_user_pool(svc: &Service, req: CreateUserPoolRequest) -> Result<Value, CognitoError> {
    if req.pool_name.is_empty() || req.pool_name.len() > 128 {
        return Err(invalid_parameter("PoolName must be 1 to 128 characters"));
    }
    let policies = req.policies.unwrap_or_default();
    let factors = policies.sign_in_policy.and_then(|p| p.allowed_first_auth_factors);
    if let Some(factors) = &factors {
        check_first_auth_factors(factors).map_err(invalid_parameter)?;
    }
    let given = policies.password_policy.unwrap_or_default();
    let default = PasswordPolicy::default();
    let policy = PasswordPolicy {
        minimum_length: given.minimum_length.unwrap_or(default.minimum_length),
        require_uppercase: given.require_uppercase.unwrap_or(default.require_uppercase),
        require_lowercase: given.require_lowercase.unwrap_or(default.require_lowercase),
        require_numbers: given.require_numbers.unwrap_or(default.require_numbers),
        require_symbols: given.require_symbols.unwrap_or(default.require_symbols),
    };
    let required = req.schema.iter().filter(|a| a.required).map(|a| a.name.clone()).collect();
    let id = format!("us-east-1_{}", ids::random_id(9, ids::ALNUM));
    check_username_configuration(&req.username_attributes, &req.alias_attributes).map_err(invalid_parameter)?;
    let mut pool = new_pool(id.clone(), req.pool_name, svc.now(), policy, required, req.auto_verified_attributes);
    pool.username_attributes = req.username_attributes;
    pool.alias_attributes = req.alias_attributes;
    pool.mfa_configuration = check_mfa_configuration(req.mfa_configuration).map_err(invalid_parameter)?;
    pool.allowed_first_auth_factors = factors.unwrap_or_else(crate::model::password_only);
    pool.device_configuration = req.device_configuration.map(|d| crate::model::DeviceConfiguration {
        challenge_required_on_new_device: d.challenge_required_on_new_device,
        device_only_remembered_on_user_prompt: d.device_only_remembered_on_user_prompt,
    });
    let answer = json!({"UserPool": pool_json(&pool)});
    let mut model = svc.model();
    model.pools.insert(id, pool);
    svc.persist(&model)?;
    Ok(answer)
}

pub fn create_user_pool_client(svc: &Service, req: CreateUserPoolClientRequest) -> Result<Value, CognitoError> {
    let name = req.client_name.clone().ok_or_else(|| invalid_parameter("ClientName is required"))?;
    store_client(svc, client_of(req, new_client_id(), name)?)
}

/// UpdateUserPoolClient: as Cognito does, what the request leaves out goes back to its default (the name
/// stays).
pub fn update_user_pool_client(svc: &Service, mut req: CreateUserPoolClientRequest) -> Result<Value, CognitoError> {
    let client_id = req.client_id.take().ok_or_else(|| invalid_parameter("ClientId is required"))?;
    let name = {
        let mut model = svc.model();
        let pool = pool_by_id(&mut model, &req.user_pool_id)?;
        let existing = pool
            .clients
            .get(&client_id)
            .ok_or_else(|| err(codes::RESOURCE_NOT_FOUND, format!("User pool client {client_id} does not exist.")))?;
        req.client_name.clone().unwrap_or_else(|| existing.client_name.clone())
    };
    store_client(svc, client_of(req, client_id, name)?)
}

/// The client a create or update request describes (with `UserPoolId` to store it in).
fn client_of(
    req: CreateUserPoolClientRequest,
    client_id: String,
    client_name: String,
) -> Result<(String, AppClient), CognitoError> {
    if req.generate_secret == Some(true) {
        return Err(invalid_parameter("cognito-local supports only public app clients (GenerateSecret false)"));
    }
    let units = req.token_validity_units.unwrap_or_default();
    let client = AppClient {
        client_id,
        client_name,
        explicit_auth_flows: req
            .explicit_auth_flows
            .unwrap_or_else(|| vec!["ALLOW_USER_SRP_AUTH".into(), "ALLOW_REFRESH_TOKEN_AUTH".into()]),
        prevent_user_existence_errors: req.prevent_user_existence_errors.as_deref() == Some("ENABLED"),
        enable_token_revocation: req.enable_token_revocation.unwrap_or(true),
        access_token_validity_seconds: seconds(req.access_token_validity, units.access_token.as_deref(), "hours", 1)?,
        id_token_validity_seconds: seconds(req.id_token_validity, units.id_token.as_deref(), "hours", 1)?,
        refresh_token_validity_seconds: seconds(
            req.refresh_token_validity,
            units.refresh_token.as_deref(),
            "days",
            30,
        )?,
        rotation_grace_seconds: match &req.refresh_token_rotation {
            Some(r) => r.grace_seconds().map_err(invalid_parameter)?,
            None => None,
        },
        oauth: crate::oauth::OAuthClient {
            enabled: req.allowed_oauth_flows_user_pool_client.unwrap_or(false),
            flows: req.allowed_oauth_flows.unwrap_or_default(),
            scopes: req.allowed_oauth_scopes.unwrap_or_default(),
            callback_urls: req.callback_urls.unwrap_or_default(),
            logout_urls: req.logout_urls.unwrap_or_default(),
            identity_providers: req.supported_identity_providers.unwrap_or_default(),
        },
    };
    client.check_rotation().map_err(invalid_parameter)?;
    Ok((req.user_pool_id, client))
}

fn store_client(svc: &Service, (pool_id, client): (String, AppClient)) -> Result<Value, CognitoError> {
    let mut model = svc.model();
    let pool = pool_by_id(&mut model, &pool_id)?;
    if let Some(missing) =
        client.oauth.identity_providers.iter().find(|p| *p != "COGNITO" && !pool.identity_providers.contains_key(*p))
    {
        return Err(invalid_parameter(format!("The provider {missing} does not exist for User Pool {}", pool.id)));
    }
    let answer = json!({"UserPoolClient": client_json(&pool.id, &client)});
    pool.clients.insert(client.client_id.clone(), client);
    svc.persist(&model)?;
    Ok(answer)
}

pub fn describe_user_pool(svc: &Service, req: PoolRequest) -> Result<Value, CognitoError> {
    let mut model = svc.model();
    Ok(json!({"UserPool": pool_json(pool_by_id(&mut model, &req.user_pool_id)?)}))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserPoolMfaConfigRequest {
    pub user_pool_id: String,
    #[serde(default)]
    pub mfa_configuration: Option<String>,
    #[serde(default)]
    pub software_token_mfa_configuration: Option<SoftwareTokenMfaConfiguration>,
    /// Present: codes by SMS (its `SmsConfiguration`, the SNS role, is not modelled: messages go to the log).
    #[serde(default)]
    pub sms_mfa_configuration: Option<Value>,
    /// Present: codes by email (its `Message`/`Subject` are not modelled).
    #[serde(default)]
    pub email_mfa_configuration: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SoftwareTokenMfaConfiguration {
    #[serde(default)]
    pub enabled: bool,
}

fn mfa_config_json(pool: &Pool) -> Value {
    let on = |kind: &str| pool.offers_mfa(kind);
    let mut answer = json!({
        "MfaConfiguration": pool.mfa_configuration,
        "SoftwareTokenMfaConfiguration": {"Enabled": on("SOFTWARE_TOKEN_MFA")},
    });
    if on("SMS_MFA") {
        answer["SmsMfaConfiguration"] = json!({"SmsAuthenticationMessage": "Your authentication code is {####}."});
    }
    if on("EMAIL_OTP") {
        answer["EmailMfaConfiguration"] =
            json!({"Message": "Your authentication code is {####}.", "Subject": "Your code"});
    }
    answer
}

/// SetUserPoolMfaConfig: MFA off, optional or required, and which second factors (an authenticator app,
/// a code by SMS, a code by email). Cognito refuses a factor with `OFF`, and `OPTIONAL`/`ON` with none,
/// in these words (observed answers quoted in go-to-k/cdkd#1923 and anomalyco/sst#5177).
pub fn set_user_pool_mfa_config(svc: &Service, req: SetUserPoolMfaConfigRequest) -> Result<Value, CognitoError> {
    let mut model = svc.model();
    let pool = pool_by_id(&mut model, &req.user_pool_id)?;
    let configuration = match req.mfa_configuration {
        Some(given) => check_mfa_configuration(Some(given)).map_err(invalid_parameter)?,
        None => pool.mfa_configuration.clone(),
    };
    let totp = req.software_token_mfa_configuration.map(|c| c.enabled);
    let (sms, email) = (req.sms_mfa_configuration.is_some(), req.email_mfa_configuration.is_some());
    let configures = totp.is_some() || sms || email;
    let mut kinds: Vec<String> = Vec::new();
    if totp.unwrap_or_else(|| !configures && pool.enabled_mfas.iter().any(|k| k == "SOFTWARE_TOKEN_MFA")) {
        kinds.push("SOFTWARE_TOKEN_MFA".into());
    }
    if sms || (!configures && pool.enabled_mfas.iter().any(|k| k == "SMS_MFA")) {
        kinds.push("SMS_MFA".into());
    }
    if email || (!configures && pool.enabled_mfas.iter().any(|k| k == "EMAIL_OTP")) {
        kinds.push("EMAIL_OTP".into());
    }
    match configuration.as_str() {
        "OFF" if configures => {
            return Err(invalid_parameter(
                "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
            ))
        }
        "OPTIONAL" | "ON" if kinds.is_empty() => {
            return Err(invalid_parameter(
                "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
            ))
        }
        _ => {}
    }
    pool.mfa_configuration = configuration;
    if configures || !kinds.is_empty() {
        pool.enabled_mfas = if kinds.is_empty() { crate::model::totp_only() } else { kinds };
    }
    let answer = mfa_config_json(pool);
    svc.persist(&model)?;
    Ok(answer)
}

pub fn get_user_pool_mfa_config(svc: &Service, req: PoolRequest) -> Result<Value, CognitoError> {
    let mut model = svc.model();
    Ok(mfa_config_json(pool_by_id(&mut model, &req.user_pool_id)?))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientRequest {
    pub user_pool_id: String,
    pub client_id: String,
}

pub fn describe_user_pool_client(svc: &Service, req: ClientRequest) -> Result<Value, CognitoError> {
    let mut model = svc.model();
    let pool = pool_by_id(&mut model, &req.user_pool_id)?;
    let client = pool
        .clients
        .get(&req.client_id)
        .ok_or_else(|| err(codes::RESOURCE_NOT_FOUND, format!("User pool client {} does not exist.", req.client_id)))?;
    Ok(json!({"UserPoolClient": client_json(&pool.id, client)}))
}

pub fn admin_create_user(svc: &Service, req: AdminCreateUserRequest) -> Result<Value, CognitoError> {
    let now = svc.now();
    let mut attrs = attribute_map(&req.user_attributes);
    let email_verified = attrs.remove("email_verified");
    check_attributes(&attrs)?;
    if let Some(v) = email_verified {
        attrs.insert("email_verified".into(), v);
    }
    let mut model = svc.model();
    let pool = pool_by_id(&mut model, &req.user_pool_id)?;
    if pool.find_user(&req.username).is_some() {
        return Err(err(codes::USERNAME_EXISTS, "User account already exists"));
    }
    let temporary = match req.temporary_password {
        Some(p) => {
            check_password(&pool.password_policy, &p)?;
            p
        }
        None => format!("Tmp-{}-{}a", ids::random_id(8, ids::ALNUM), ids::random_id(2, ids::DIGITS)),
    };
    let mut user = crate::user_ops::new_user(pool, &req.username, attrs, UserStatus::ForceChangePassword, now)?;
    let key = user_key(&user.username);
    if user.attribute("email_verified") == Some("true") {
        if let Some(email) = user.attribute("email").map(str::to_string) {
            pool.claim_email_alias(&key, &email, req.force_alias_creation.unwrap_or(false))?;
        }
    }
    set_password(&pool.id, &mut user, &temporary);
    if req.message_action.as_deref() != Some("SUPPRESS") {
        svc.deliver(pool, &user, "your temporary password", &temporary);
    }
    let answer = json!({"User": user_json(&user)});
    pool.users.insert(key, user);
    svc.persist(&model)?;
    Ok(answer)
}

pub fn admin_confirm_sign_up(svc: &Service, req: AdminUserRequest) -> Result<Empty, CognitoError> {
    let now = svc.now();
    let mut model = svc.model();
    let user = user_mut(pool_by_id(&mut model, &req.user_pool_id)?, &req.username)?;
    if user.status != UserStatus::Unconfirmed {
        return Err(not_authorized(&format!("User cannot be confirmed. Current status is {}", user.status.as_str())));
    }
    user.status = UserStatus::Confirmed;
    user.codes.confirmation = None;
    user.modified = now;
    svc.persist(&model)?;
    Ok(Empty {})
}

pub fn admin_get_user(svc: &Service, req: AdminUserRequest) -> Result<Value, CognitoError> {
    let mut model = svc.model();
    let user = user_mut(pool_by_id(&mut model, &req.user_pool_id)?, &req.username)?;
    let mut answer = user_json(user);
    let attributes = answer["Attributes"].take();
    answer["UserAttributes"] = attributes;
    Ok(answer)
}

pub fn admin_delete_user(svc: &Service, req: AdminUserRequest) -> Result<Empty, CognitoError> {
    let mut model = svc.model();
    let pool = pool_by_id(&mut model, &req.user_pool_id)?;
    let key = pool.find_user(&req.username).ok_or_else(|| err(codes::USER_NOT_FOUND, "User does not exist."))?;
    Service::revoke_all(pool, &key);
    pool.users.remove(&key);
    svc.persist(&model)?;
    Ok(Empty {})
}

/// A disabled user cannot sign in, refresh or use their access tokens ("User is disabled.").
pub fn admin_set_enabled(svc: &Service, req: AdminUserRequest, enabled: bool) -> Result<Empty, CognitoError> {
    let now = svc.now();
    let mut model = svc.model();
    let pool = pool_by_id(&mut model, &req.user_pool_id)?;
    let user = user_mut(pool, &req.username)?;
    user.enabled = enabled;
    user.modified = now;
    // AdminDisableUser "deactivates a user and revokes all access tokens for the user": they stay revoked
    // when the user is enabled again.
    if !enabled {
        let key = user.username.to_lowercase();
        Service::revoke_all(pool, &key);
    }
    svc.persist(&model)?;
    Ok(Empty {})
}

/// CreateUserPoolDomain with a prefix (`<prefix>.auth.<region>.amazoncognito.com`): one per pool, and
/// unique (custom domains are not modelled).
pub fn create_user_pool_domain(svc: &Service, req: CreateUserPoolDomainRequest) -> Result<Value, CognitoError> {
    let d = &req.domain;
    let well_formed = (1..=63).contains(&d.len())
        && d.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !d.starts_with('-')
        && !d.ends_with('-')
        && !["aws", "amazon", "cognito"].iter().any(|reserved| d.contains(reserved));
    if !well_formed {
        return Err(invalid_parameter(format!("Domain {d} is invalid or reserved.")));
    }
    let mut model = svc.model();
    if model.pools.values().any(|p| p.domain.as_deref() == Some(d)) {
        return Err(invalid_parameter("Domain already associated with another user pool."));
    }
    let pool = pool_by_id(&mut model, &req.user_pool_id)?;
    if pool.domain.is_some() {
        return Err(invalid_parameter(format!("User pool {} already has a domain configured.", pool.id)));
    }
    pool.domain = Some(d.clone());
    svc.persist(&model)?;
    Ok(json!({"ManagedLoginVersion": req.managed_login_version.unwrap_or(1)}))
}

/// CreateIdentityProvider: an external provider of the pool (a local stand-in, see `oauth`); its
/// `ProviderDetails` are not needed here.
pub fn create_identity_provider(svc: &Service, req: CreateIdentityProviderRequest) -> Result<Value, CognitoError> {
    let provider = crate::oauth::IdentityProvider {
        name: req.provider_name,
        provider_type: req.provider_type,
        identifiers: req.idp_identifiers,
    };
    crate::oauth::check_provider(&provider).map_err(invalid_parameter)?;
    let mut model = svc.model();
    let pool = pool_by_id(&mut model, &req.user_pool_id)?;
    if pool.identity_providers.contains_key(&provider.name) {
        return Err(err("DuplicateProviderException", "A provider with the name already exists."));
    }
    let answer = json!({"IdentityProvider": {
        "UserPoolId": pool.id, "ProviderName": provider.name, "ProviderType": provider.provider_type,
        "IdpIdentifiers": provider.identifiers, "CreationDate": svc.now(), "LastModifiedDate": svc.now()
    }});
    pool.identity_providers.insert(provider.name.clone(), provider);
    svc.persist(&model)?;
    Ok(answer)
}

pub fn create_group(svc: &Service, req: CreateGroupRequest) -> Result<Value, CognitoError> {
    let now = svc.now();
    let mut model = svc.model();
    let pool = pool_by_id(&mut model, &req.user_pool_id)?;
    if pool.groups.contains_key(&req.group_name) {
        return Err(err("GroupExistsException", "A group with the name already exists."));
    }
    let group =
        Group { name: req.group_name.clone(), description: req.description, precedence: req.precedence, created: now };
    let answer = json!({"Group": {
        "GroupName": group.name, "UserPoolId": pool.id, "Description": group.description,
        "Precedence": group.precedence, "CreationDate": now, "LastModifiedDate": now
    }});
    pool.groups.insert(req.group_name, group);
    svc.persist(&model)?;
    Ok(answer)
}

pub fn admin_add_user_to_group(svc: &Service, req: AdminAddUserToGroupRequest) -> Result<Empty, CognitoError> {
    let mut model = svc.model();
    let pool = pool_by_id(&mut model, &req.user_pool_id)?;
    if !pool.groups.contains_key(&req.group_name) {
        return Err(err(codes::RESOURCE_NOT_FOUND, "Group not found."));
    }
    user_mut(pool, &req.username)?.groups.insert(req.group_name);
    svc.persist(&model)?;
    Ok(Empty {})
}

/// `attr = "value"` or `attr ^= "prefix"`, as ListUsers filters are written.
fn parse_filter(filter: &str) -> Result<(String, bool, String), CognitoError> {
    let bad = || invalid_parameter("Error while parsing filter.");
    let (name, prefix, rest) = if let Some((n, r)) = filter.split_once("^=") {
        (n, true, r)
    } else {
        let (n, r) = filter.split_once('=').ok_or_else(bad)?;
        (n, false, r)
    };
    let value = rest.trim().strip_prefix('"').and_then(|v| v.strip_suffix('"')).ok_or_else(bad)?;
    Ok((name.trim().to_string(), prefix, value.to_string()))
}

pub fn list_users(svc: &Service, req: ListUsersRequest) -> Result<Value, CognitoError> {
    let filter = req.filter.as_deref().filter(|f| !f.trim().is_empty()).map(parse_filter).transpose()?;
    let limit = req.limit.unwrap_or(60).clamp(1, 60);
    let mut model = svc.model();
    let pool = pool_by_id(&mut model, &req.user_pool_id)?;
    let users: Vec<Value> = pool
        .users
        .values()
        .filter(|u| match &filter {
            None => true,
            Some((name, prefix, value)) => {
                let actual = match name.as_str() {
                    "username" => Some(u.username.as_str()),
                    "sub" => Some(u.sub.as_str()),
                    "status" | "cognito:user_status" => Some(u.status.as_str()),
                    other => u.attribute(other),
                };
                actual.is_some_and(|a| if *prefix { a.starts_with(value.as_str()) } else { a == value })
            }
        })
        .take(limit)
        .map(user_json)
        .collect();
    Ok(json!({"Users": users}))
}
