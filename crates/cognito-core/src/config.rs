//! The app's runtime configuration, `config.json` beside index.html: the same build serves any pool by
//! swapping this one file.
//!
//! ```json
//! {"region": "eu-west-1", "userPoolId": "eu-west-1_AbCdEf123", "clientId": "1a2b3c…",
//!  "endpoint": "http://127.0.0.1:9339/", "passwordPolicy": {"minimumLength": 8, "requireSymbols": false}}
//! ```
//! `endpoint` (optional) overrides AWS's `https://cognito-idp.<region>.amazonaws.com/` (the local server);
//! `passwordPolicy` (optional, Cognito's default otherwise) is what the sign-up form shows while typing;
//! `apiUrl` (optional) is an API the profile page can call with the id token;
//! `refreshTokenRotation` (optional, `false`) says the app client rotates refresh tokens
//! (`RefreshTokenRotation.Feature = ENABLED`): the app then refreshes with GetTokensFromRefreshToken and
//! keeps the new refresh token each time, instead of REFRESH_TOKEN_AUTH;
//! `usernameAttributes` (`["email"]`) and `aliasAttributes` (`["email"]`, `["preferred_username"]`) repeat
//! the pool's settings of the same names, so the forms ask for what the pool signs users in with;
//! `mfaConfiguration` (`"OFF"`, `"OPTIONAL"`, `"ON"`; optional, `"OPTIONAL"`) repeats the pool's: with
//! `"OFF"` the profile offers no second step at all (Cognito would refuse to set one up);
//! `mfaKinds` (optional, `["SOFTWARE_TOKEN_MFA"]`) repeats the kinds of second step the pool enables
//! (`SOFTWARE_TOKEN_MFA`, `SMS_MFA`, `EMAIL_OTP`; GetUserPoolMfaConfig): the profile offers those;
//! `branding` (optional) is the deployer's name, logo, colors and links (see [`crate::branding`]);
//! `allowedFirstAuthFactors` (optional, `["PASSWORD"]`) repeats the pool's
//! `SignInPolicy.AllowedFirstAuthFactors`: with `EMAIL_OTP` or `SMS_OTP` (and an app client allowing
//! `ALLOW_USER_AUTH`) the sign-in page asks for the username first and signs in the way the user picks
//! (USER_AUTH);
//! `oauth` (optional) turns on sign-in through managed login (see [`OAuthConfig`]):
//! `{"domain": "https://auth.example.com", "providers": ["Google", {"name": "Corp", "label": "Acme staff"},
//! {"identifier": "acme.com", "label": "Acme email"}], "hostedPage": true}`, with `scopes`,
//! `redirectSignIn`, `redirectSignOut` and `prompt` when the defaults do not fit.

use std::fmt;

use crate::branding::{Branding, RawBranding};
use crate::i18n::{k, Key};
use crate::json::{FromJson, Json, JsonError};

use crate::password_policy::PasswordPolicy;
use crate::pool::PoolId;
use crate::sign_in::{Method, MfaKind};

#[derive(Debug, Clone, PartialEq)]
pub struct AppConfig {
    pub pool: PoolId,
    pub client_id: String,
    /// Where Cognito calls go.
    pub endpoint: String,
    pub password_policy: PasswordPolicy,
    /// An API to call with the id token (`Authorization: <id token>`, the API Gateway Cognito-authorizer
    /// convention), offered on the profile page.
    pub api_url: Option<String>,
    /// The app client rotates refresh tokens: refresh with GetTokensFromRefreshToken.
    pub refresh_token_rotation: bool,
    pub sign_in_name: SignInName,
    /// The pool's MFA is not `OFF` and it enables authenticator apps: users may set one up.
    pub authenticator_apps: bool,
    /// The codes by text message or email the pool enables as second steps (none when MFA is `OFF`):
    /// the profile turns them on and off.
    pub mfa_codes: Vec<MfaKind>,
    pub branding: Branding,
    /// The ways the pool lets users start signing in that this app offers, besides the password
    /// (`allowedFirstAuthFactors`): when there are any, sign-in is choice-based (USER_AUTH).
    pub passwordless: Vec<Method>,
    /// Sign-in through managed login (OAuth 2.0 code flow with PKCE), when config.json sets it up.
    pub oauth: Option<OAuthConfig>,
}

/// config.json's `oauth`: the pool's managed-login domain and what the sign-in page offers there.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthConfig {
    /// `https://<prefix>.auth.<region>.amazoncognito.com` or a custom domain (no trailing slash).
    pub domain: String,
    /// Default `openid email profile aws.cognito.signin.user.admin` (the last lets the profile page
    /// call the user's own operations with the access token).
    pub scopes: Vec<String>,
    /// Where managed login sends the code (registered as a callback URL); default this site's
    /// `/oauth/callback` (see [`Self::redirect_sign_in`]).
    pub redirect_sign_in: Option<String>,
    /// Where `/logout` comes back to (registered as a sign-out URL); default this site's `/login`.
    pub redirect_sign_out: Option<String>,
    /// A button for each, in order.
    pub providers: Vec<ProviderButton>,
    /// Also "Sign in with the hosted page" (managed login's own page with every provider).
    pub hosted_page: bool,
    /// `prompt` for every authorize request: `login` (always ask, even with a managed-login session),
    /// `select_account`, `consent` or `none`.
    pub prompt: Option<String>,
}

/// The path managed login calls back to on this site by default.
pub const CALLBACK_PATH: &str = "/oauth/callback";

impl OAuthConfig {
    pub fn redirect_sign_in(&self, origin: &str) -> String {
        self.redirect_sign_in.clone().unwrap_or_else(|| format!("{origin}{CALLBACK_PATH}"))
    }

    pub fn redirect_sign_out(&self, origin: &str) -> String {
        self.redirect_sign_out.clone().unwrap_or_else(|| format!("{origin}/login"))
    }
}

/// A sign-in button for an identity provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderButton {
    /// `Google`, `SignInWithApple`, `Facebook`, `LoginWithAmazon`, or a SAML/OIDC provider's name
    /// (`identity_provider`); or, with `by_identifier`, one of the pool's `IdpIdentifiers`.
    pub name: String,
    pub by_identifier: bool,
    /// What the button names (default: the social provider's brand, else the name).
    pub label: String,
}

impl ProviderButton {
    /// How the authorize request names it.
    pub fn provider(&self) -> crate::oauth::Provider<'_> {
        if self.by_identifier {
            crate::oauth::Provider::Identifier(&self.name)
        } else {
            crate::oauth::Provider::Name(&self.name)
        }
    }
}

/// The brand a social provider's button shows.
fn social_label(name: &str) -> &str {
    match name {
        "SignInWithApple" => "Apple",
        "LoginWithAmazon" => "Amazon",
        other => other,
    }
}

struct RawOAuth {
    domain: Option<String>,
    scopes: Option<Vec<String>>,
    redirect_sign_in: Option<String>,
    redirect_sign_out: Option<String>,
    providers: Option<Vec<Json>>,
    hosted_page: Option<bool>,
    prompt: Option<String>,
}

impl FromJson for RawOAuth {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let f = value.fields("oauth")?;
        Ok(RawOAuth {
            domain: f.optional("domain")?,
            scopes: f.optional("scopes")?,
            redirect_sign_in: f.optional("redirectSignIn")?,
            redirect_sign_out: f.optional("redirectSignOut")?,
            providers: f.optional("providers")?,
            hosted_page: f.optional("hostedPage")?,
            prompt: f.optional("prompt")?,
        })
    }
}

fn http_url(what: &str, value: &str) -> Result<(), ConfigError> {
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !value.contains(char::is_whitespace) => Ok(()),
        _ => Err(ConfigError(format!("config.json \"oauth.{what}\" must be an http(s) URL, not {value:?}"))),
    }
}

impl RawOAuth {
    fn check(self) -> Result<OAuthConfig, ConfigError> {
        let domain = self.domain.unwrap_or_default();
        http_url("domain", &domain)?;
        let domain = domain.trim_end_matches('/').to_string();
        for (what, url) in [("redirectSignIn", &self.redirect_sign_in), ("redirectSignOut", &self.redirect_sign_out)] {
            if let Some(url) = url {
                http_url(what, url)?;
            }
        }
        let scopes = self.scopes.unwrap_or_else(|| {
            ["openid", "email", "profile", "aws.cognito.signin.user.admin"].map(String::from).to_vec()
        });
        if scopes.is_empty() || scopes.iter().any(|s| s.is_empty() || s.contains(char::is_whitespace)) {
            return Err(ConfigError("config.json \"oauth.scopes\" is a list of scope names".into()));
        }
        let mut providers = Vec::new();
        for entry in self.providers.unwrap_or_default() {
            let bad = || {
                ConfigError(
                    "config.json \"oauth.providers\" holds names (\"Google\") or {\"name\" or \"identifier\", \"label\"}".into(),
                )
            };
            let (name, by_identifier, label) = match (entry.as_str(), entry.get("name"), entry.get("identifier")) {
                (Some(name), _, _) => (name, false, None),
                (None, Some(name), None) => (name.as_str().ok_or_else(bad)?, false, entry.get("label")),
                (None, None, Some(id)) => (id.as_str().ok_or_else(bad)?, true, entry.get("label")),
                _ => return Err(bad()),
            };
            let label = match label {
                Some(l) => l.as_str().ok_or_else(bad)?.to_string(),
                None => social_label(name).to_string(),
            };
            if name.is_empty() || name == "COGNITO" || label.is_empty() {
                return Err(bad());
            }
            providers.push(ProviderButton { name: name.to_string(), by_identifier, label });
        }
        let hosted_page = self.hosted_page.unwrap_or(providers.is_empty());
        if let Some(prompt) =
            self.prompt.as_deref().filter(|p| !["login", "none", "select_account", "consent"].contains(p))
        {
            return Err(ConfigError(format!(
                "config.json \"oauth.prompt\" is \"login\", \"none\", \"select_account\" or \"consent\", not {prompt:?}"
            )));
        }
        Ok(OAuthConfig {
            domain,
            scopes,
            redirect_sign_in: self.redirect_sign_in,
            redirect_sign_out: self.redirect_sign_out,
            providers,
            hosted_page,
            prompt: self.prompt,
        })
    }
}

/// What users sign in with, from the pool's `UsernameAttributes` / `AliasAttributes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignInName {
    /// A username they choose.
    #[default]
    Username,
    /// Their email is their username (`UsernameAttributes: [email]`): the pool names them by a UUID.
    Email,
    /// A username, or once verified their email (`AliasAttributes` with `email`).
    UsernameOrEmail,
}

impl SignInName {
    /// The label of the sign-in field (a catalog key).
    pub fn label(self) -> Key {
        match self {
            SignInName::Username => k::sign_in_name::username,
            SignInName::Email => k::sign_in_name::email,
            SignInName::UsernameOrEmail => k::sign_in_name::username_or_email,
        }
    }

    /// What a form says when the field is empty (a catalog key).
    pub fn missing(self) -> Key {
        match self {
            SignInName::Username => k::sign_in_name::username_missing,
            SignInName::Email => k::sign_in_name::email_missing,
            SignInName::UsernameOrEmail => k::sign_in_name::username_or_email_missing,
        }
    }

    /// The account-deletion check: type your username (or email), with `{name}` the value to type.
    pub fn type_to_confirm(self) -> Key {
        match self {
            SignInName::Email => k::delete::type_email,
            SignInName::Username | SignInName::UsernameOrEmail => k::delete::type_username,
        }
    }

    /// Whether sign-up asks for a username of its own (not when the email is the username).
    pub fn asks_username(self) -> bool {
        self != SignInName::Email
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

struct RawConfig {
    region: Option<String>,
    user_pool_id: Option<String>,
    client_id: Option<String>,
    endpoint: Option<String>,
    password_policy: Option<PasswordPolicy>,
    api_url: Option<String>,
    refresh_token_rotation: Option<bool>,
    username_attributes: Option<Vec<String>>,
    alias_attributes: Option<Vec<String>>,
    mfa_configuration: Option<String>,
    mfa_kinds: Option<Vec<String>>,
    branding: Option<RawBranding>,
    allowed_first_auth_factors: Option<Vec<String>>,
    oauth: Option<RawOAuth>,
}

impl FromJson for RawConfig {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let f = value.fields("the settings")?;
        Ok(RawConfig {
            region: f.optional("region")?,
            user_pool_id: f.optional("userPoolId")?,
            client_id: f.optional("clientId")?,
            endpoint: f.optional("endpoint")?,
            password_policy: f.optional("passwordPolicy")?,
            api_url: f.optional("apiUrl")?,
            refresh_token_rotation: f.optional("refreshTokenRotation")?,
            username_attributes: f.optional("usernameAttributes")?,
            alias_attributes: f.optional("aliasAttributes")?,
            mfa_configuration: f.optional("mfaConfiguration")?,
            mfa_kinds: f.optional("mfaKinds")?,
            branding: f.optional("branding")?,
            allowed_first_auth_factors: f.optional("allowedFirstAuthFactors")?,
            oauth: f.optional("oauth")?,
        })
    }
}

impl AppConfig {
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let raw: RawConfig =
            RawConfig::from_json_text(text).map_err(|e| ConfigError(format!("config.json is not valid: {e}")))?;
        let pool_text = raw.user_pool_id.ok_or_else(|| ConfigError("config.json has no \"userPoolId\"".into()))?;
        let pool = PoolId::parse(&pool_text).map_err(|e| ConfigError(format!("config.json \"userPoolId\": {e}")))?;
        if let Some(region) = raw.region.as_deref().filter(|r| *r != pool.region()) {
            return Err(ConfigError(format!(
                "config.json \"region\" is {region:?} but the pool {pool} is in {:?}",
                pool.region()
            )));
        }
        let client_id = raw.client_id.unwrap_or_default();
        if client_id.is_empty()
            || client_id.len() > 128
            || !client_id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'_')
        {
            return Err(ConfigError("config.json needs a \"clientId\": the app client id of the user pool".into()));
        }
        let endpoint = match raw.endpoint.filter(|e| !e.is_empty()) {
            Some(e) if e.starts_with("https://") || e.starts_with("http://") => e,
            Some(e) => return Err(ConfigError(format!("config.json \"endpoint\" must be an http(s) URL, not {e:?}"))),
            None => pool.default_endpoint(),
        };
        let password_policy = raw.password_policy.unwrap_or_default();
        if password_policy.minimum_length == 0 || password_policy.minimum_length > 99 {
            return Err(ConfigError("config.json \"passwordPolicy.minimumLength\" must be 1 to 99".into()));
        }
        let api_url = match raw.api_url.filter(|u| !u.is_empty()) {
            Some(u) if u.starts_with("https://") || u.starts_with("http://") => Some(u),
            Some(u) => return Err(ConfigError(format!("config.json \"apiUrl\" must be an http(s) URL, not {u:?}"))),
            None => None,
        };
        let refresh_token_rotation = raw.refresh_token_rotation.unwrap_or(false);
        let (names, aliases) = (raw.username_attributes.unwrap_or_default(), raw.alias_attributes.unwrap_or_default());
        let sign_in_name = match (names.as_slice(), aliases.iter().any(|a| a == "email")) {
            ([], false) => SignInName::Username,
            ([], true) => SignInName::UsernameOrEmail,
            ([only], false) if only == "email" => SignInName::Email,
            _ => {
                return Err(ConfigError(
                    "config.json \"usernameAttributes\" can only be [\"email\"], and not with an email alias".into(),
                ))
            }
        };
        let mfa_on = match raw.mfa_configuration.as_deref() {
            None | Some("OPTIONAL" | "ON") => true,
            Some("OFF") => false,
            Some(other) => {
                return Err(ConfigError(format!(
                    "config.json \"mfaConfiguration\" is \"OFF\", \"OPTIONAL\" or \"ON\", not {other:?}"
                )))
            }
        };
        let mut mfa_kinds = Vec::new();
        for name in raw.mfa_kinds.unwrap_or_else(|| vec![MfaKind::SoftwareToken.name().to_string()]) {
            match MfaKind::of(&name) {
                Some(kind) if mfa_on && !mfa_kinds.contains(&kind) => mfa_kinds.push(kind),
                Some(_) => {}
                None => {
                    return Err(ConfigError(format!(
                        "config.json \"mfaKinds\" holds SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP, not {name:?}"
                    )))
                }
            }
        }
        let authenticator_apps = mfa_kinds.contains(&MfaKind::SoftwareToken);
        mfa_kinds.retain(|k| *k != MfaKind::SoftwareToken);
        let branding = raw.branding.unwrap_or_default().check().map_err(|e| ConfigError(format!("config.json {e}")))?;
        let mut passwordless = Vec::new();
        for factor in raw.allowed_first_auth_factors.unwrap_or_default() {
            match factor.as_str() {
                "PASSWORD" => {}
                "EMAIL_OTP" => passwordless.push(Method::EmailCode),
                "SMS_OTP" => passwordless.push(Method::SmsCode),
                "WEB_AUTHN" => passwordless.push(Method::Passkey),
                other => {
                    return Err(ConfigError(format!(
                        "config.json \"allowedFirstAuthFactors\" holds PASSWORD, EMAIL_OTP, SMS_OTP or WEB_AUTHN, not {other:?}"
                    )))
                }
            }
        }
        let oauth = raw.oauth.map(RawOAuth::check).transpose()?;
        Ok(AppConfig {
            oauth,
            branding,
            pool,
            client_id,
            endpoint,
            password_policy,
            api_url,
            refresh_token_rotation,
            sign_in_name,
            authenticator_apps,
            mfa_codes: mfa_kinds,
            passwordless,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_endpoint_by_default() {
        let c =
            AppConfig::parse(r#"{"region":"eu-west-1","userPoolId":"eu-west-1_AbC123","clientId":"abc123"}"#).unwrap();
        assert_eq!(c.endpoint, "https://cognito-idp.eu-west-1.amazonaws.com/");
        assert_eq!(c.pool.pool_name(), "AbC123");
        assert_eq!(c.password_policy, PasswordPolicy::default());
        assert!(!c.refresh_token_rotation);
        assert_eq!(c.sign_in_name, SignInName::Username);
        assert!(c.authenticator_apps);
    }

    #[test]
    fn mfa_configuration_decides_whether_authenticator_apps_are_offered() {
        let with =
            |extra: &str| AppConfig::parse(&format!(r#"{{"userPoolId":"us-east-1_X1","clientId":"c1"{extra}}}"#));
        assert!(!with(r#","mfaConfiguration":"OFF""#).unwrap().authenticator_apps);
        assert!(with(r#","mfaConfiguration":"OPTIONAL""#).unwrap().authenticator_apps);
        assert!(with(r#","mfaConfiguration":"ON""#).unwrap().authenticator_apps);
        assert!(with(r#","mfaConfiguration":"off""#).is_err(), "Cognito's spelling only");
        assert!(with("").unwrap().mfa_codes.is_empty());
        let all = with(r#","mfaKinds":["EMAIL_OTP","SMS_MFA","SOFTWARE_TOKEN_MFA"]"#).unwrap();
        assert!(all.authenticator_apps);
        assert_eq!(all.mfa_codes, vec![MfaKind::Email, MfaKind::Sms]);
        let email_only = with(r#","mfaKinds":["EMAIL_OTP"]"#).unwrap();
        assert!(!email_only.authenticator_apps);
        assert_eq!(email_only.mfa_codes, vec![MfaKind::Email]);
        let off = with(r#","mfaConfiguration":"OFF","mfaKinds":["EMAIL_OTP","SOFTWARE_TOKEN_MFA"]"#).unwrap();
        assert!(!off.authenticator_apps && off.mfa_codes.is_empty());
        assert!(with(r#","mfaKinds":["VOICE"]"#).is_err());
    }

    #[test]
    fn how_users_sign_in() {
        let with =
            |extra: &str| AppConfig::parse(&format!(r#"{{"userPoolId":"us-east-1_X1","clientId":"c1"{extra}}}"#));
        assert_eq!(with(r#","usernameAttributes":["email"]"#).unwrap().sign_in_name, SignInName::Email);
        assert_eq!(
            with(r#","aliasAttributes":["email","preferred_username"]"#).unwrap().sign_in_name,
            SignInName::UsernameOrEmail
        );
        assert_eq!(with(r#","aliasAttributes":["preferred_username"]"#).unwrap().sign_in_name, SignInName::Username);
        assert!(with(r#","usernameAttributes":["phone_number"]"#).is_err());
        assert!(with(r#","usernameAttributes":"email""#).is_err());
        assert!(!SignInName::Email.asks_username());
        assert_eq!(SignInName::UsernameOrEmail.label(), k::sign_in_name::username_or_email);
    }

    #[test]
    fn local_endpoint_and_policy() {
        let c = AppConfig::parse(
            r#"{"userPoolId":"us-east-1_X1","clientId":"c1","endpoint":"http://127.0.0.1:9339/",
                "passwordPolicy":{"minimumLength":10,"requireSymbols":false},"apiUrl":"https://api.example.com/me",
                "refreshTokenRotation":true}"#,
        )
        .unwrap();
        assert_eq!(c.endpoint, "http://127.0.0.1:9339/");
        assert_eq!(c.password_policy.minimum_length, 10);
        assert!(!c.password_policy.require_symbols);
        assert_eq!(c.api_url.as_deref(), Some("https://api.example.com/me"));
        assert!(c.refresh_token_rotation);
    }

    #[test]
    fn clear_messages_for_bad_files() {
        let msg = |t: &str| AppConfig::parse(t).unwrap_err().0;
        assert!(msg("<html>").starts_with("config.json is not valid"));
        assert_eq!(msg(r#"{"clientId":"c"}"#), "config.json has no \"userPoolId\"");
        assert!(msg(r#"{"userPoolId":"nope","clientId":"c"}"#).contains("not a user pool id"));
        assert!(
            msg(r#"{"userPoolId":"us-east-1_A","region":"eu-west-1","clientId":"c"}"#).contains("is in \"us-east-1\"")
        );
        assert!(msg(r#"{"userPoolId":"us-east-1_A"}"#).contains("clientId"));
        assert!(msg(r#"{"userPoolId":"us-east-1_A","clientId":"c","endpoint":"ftp://x"}"#).contains("http(s) URL"));
        assert!(msg(r#"{"userPoolId":"us-east-1_A","clientId":"c","apiUrl":"/relative"}"#).contains("apiUrl"));
        assert!(msg(r#"{"userPoolId":"us-east-1_A","clientId":"c","refreshTokenRotation":"yes"}"#).contains("valid"));
    }

    #[test]
    fn managed_login_settings() {
        let parse = |oauth: &str| {
            AppConfig::parse(&format!(r#"{{"userPoolId":"us-east-1_A1","clientId":"c1","oauth":{oauth}}}"#))
        };
        let plain = parse(r#"{"domain":"https://auth.example.com/"}"#).unwrap().oauth.unwrap();
        assert_eq!(plain.domain, "https://auth.example.com");
        assert!(plain.scopes.contains(&"aws.cognito.signin.user.admin".to_string()));
        assert!(plain.hosted_page, "no providers: the hosted page");
        assert_eq!(plain.redirect_sign_in("https://app.example"), "https://app.example/oauth/callback");
        assert_eq!(plain.redirect_sign_out("https://app.example"), "https://app.example/login");
        let full = parse(
            r#"{"domain":"https://auth.example.com","scopes":["openid"],"redirectSignIn":"https://a.example/cb",
                "providers":["Google","SignInWithApple",{"name":"Corp","label":"Acme staff"},{"identifier":"acme.com"}]}"#,
        )
        .unwrap()
        .oauth
        .unwrap();
        assert!(!full.hosted_page);
        assert_eq!(full.redirect_sign_in("https://app.example"), "https://a.example/cb");
        let labels: Vec<&str> = full.providers.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["Google", "Apple", "Acme staff", "acme.com"]);
        assert_eq!(full.providers[3].provider(), crate::oauth::Provider::Identifier("acme.com"));
        assert_eq!(full.providers[2].provider(), crate::oauth::Provider::Name("Corp"));
        let msg = |oauth: &str| parse(oauth).unwrap_err().0;
        assert!(msg(r#"{}"#).contains("oauth.domain"));
        assert!(msg(r#"{"domain":"auth.example.com"}"#).contains("oauth.domain"));
        assert!(msg(r#"{"domain":"https://a.example","redirectSignOut":"/login"}"#).contains("redirectSignOut"));
        assert!(msg(r#"{"domain":"https://a.example","scopes":["open id"]}"#).contains("scopes"));
        assert!(msg(r#"{"domain":"https://a.example","providers":[{"label":"x"}]}"#).contains("providers"));
        assert!(msg(r#"{"domain":"https://a.example","providers":["COGNITO"]}"#).contains("providers"));
        assert!(msg(r#"{"domain":"https://a.example","prompt":"always"}"#).contains("oauth.prompt"));
        let login = parse(r#"{"domain":"https://a.example","prompt":"login"}"#).unwrap().oauth.unwrap();
        assert_eq!(login.prompt.as_deref(), Some("login"));
        assert_eq!(AppConfig::parse(r#"{"userPoolId":"us-east-1_A1","clientId":"c1"}"#).unwrap().oauth, None);
    }

    #[test]
    fn first_auth_factors_make_sign_in_choice_based() {
        let parse = |factors: &str| {
            AppConfig::parse(&format!(
                r#"{{"userPoolId":"us-east-1_A1","clientId":"c1","allowedFirstAuthFactors":{factors}}}"#
            ))
        };
        assert!(parse(r#"["PASSWORD"]"#).unwrap().passwordless.is_empty());
        assert_eq!(
            parse(r#"["PASSWORD","EMAIL_OTP","SMS_OTP","WEB_AUTHN"]"#).unwrap().passwordless,
            vec![Method::EmailCode, Method::SmsCode, Method::Passkey]
        );
        assert!(parse(r#"["PASSWORD","PIGEON"]"#).unwrap_err().0.contains("allowedFirstAuthFactors"));
        let default = AppConfig::parse(r#"{"userPoolId":"us-east-1_A1","clientId":"c1"}"#).unwrap();
        assert!(default.passwordless.is_empty(), "password only, USER_SRP_AUTH as before");
    }
}
