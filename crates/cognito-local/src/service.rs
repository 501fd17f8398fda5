//! The server's state and the helpers every operation uses: the clock, persistence, lookups with
//! Cognito's errors, token issuing and access-token checks.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use cognito_core::api::{AuthenticationResult, ChallengeName};
use cognito_core::error::codes;
use cognito_core::CognitoError;
use num_bigint::BigUint;
use serde_json::{json, Map};

use crate::ids::{random_id, uuid_v4, BASE64URL_ALPHABET};
use crate::model::{AppClient, Model, Pool, RefreshRecord, User};
use crate::tokens::{PoolKeys, SigningKeys};

/// How long an SRP or new-password auth session lives (Cognito: 3 minutes).
pub const AUTH_SESSION_SECONDS: i64 = 180;
/// Sign-up and attribute codes (24 hours) and forgot-password codes (1 hour).
pub const CODE_SECONDS: i64 = 24 * 3600;
pub const FORGOT_PASSWORD_CODE_SECONDS: i64 = 3600;
/// Wrong answers to one emailed code before it is used up and a new one must be requested (Cognito
/// then answers LimitExceededException "Attempt limit exceeded, please try after some time.").
pub const MAX_CODE_ATTEMPTS: u32 = 5;
/// Wrong sign-in MFA codes before MFA answers are refused for [`MFA_LOCK_SECONDS`].
pub const MAX_MFA_ATTEMPTS: u32 = 5;
pub const MFA_LOCK_SECONDS: i64 = 900;
/// How far `/_local/clock` may move the clock in all (100 years): beyond it the clock would overflow.
pub const MAX_CLOCK_OFFSET_SECONDS: i64 = 100 * 365 * 86_400;

pub fn err(code: &str, message: impl Into<String>) -> CognitoError {
    CognitoError::new(400, code, message)
}

pub fn not_authorized(message: &str) -> CognitoError {
    err(codes::NOT_AUTHORIZED, message)
}

/// Cognito's answer once a code has had too many wrong tries.
pub fn attempt_limit_exceeded() -> CognitoError {
    err(codes::LIMIT_EXCEEDED, "Attempt limit exceeded, please try after some time.")
}

/// State of a login between InitiateAuth and RespondToAuthChallenge (memory only, like Cognito's).
pub struct AuthSession {
    pub pool_id: String,
    pub client_id: String,
    pub expires_at: i64,
    pub step: AuthStep,
    /// The device the client says it signs in on (`DEVICE_KEY` of the request that led here).
    pub device_key: Option<String>,
}

pub enum AuthStep {
    PasswordVerifier {
        /// None for a user that does not exist (user-existence errors prevented): always fails.
        user_key: Option<String>,
        user_id_for_srp: String,
        secret_block: String,
        b: BigUint,
        big_a: BigUint,
        big_b: BigUint,
    },
    NewPasswordRequired {
        user_key: String,
    },
    SoftwareTokenMfa {
        user_key: String,
    },
    /// MFA_SETUP: the pool requires MFA and the user has none; `verified` once VerifySoftwareToken
    /// (with this session) accepted a code.
    MfaSetup {
        user_key: String,
        verified: bool,
    },
    /// USER_AUTH, before the first factor is chosen (SELECT_CHALLENGE): the choices this user has.
    SelectChallenge {
        user_key: String,
        user_id: String,
        available: Vec<ChallengeName>,
    },
    /// ConfirmSignUp's Session, for a client with ALLOW_USER_AUTH: InitiateAuth USER_AUTH with it signs
    /// the new user in without asking for a first factor again (the code proved the email).
    SignedUp {
        user_key: String,
    },
    /// USER_AUTH by passkey (WEB_AUTHN): the challenge's state, and the relying party it was made for.
    WebAuthn {
        user_key: String,
        state: Box<webauthn_rs::prelude::PasskeyAuthentication>,
        relying_party_id: String,
    },
    /// A known device proves itself (DEVICE_SRP_AUTH): waiting for its `SRP_A`.
    DeviceSrpAuth {
        user_key: String,
        device_key: String,
    },
    /// DEVICE_PASSWORD_VERIFIER: the device's SRP, as PASSWORD_VERIFIER is the password's.
    DevicePasswordVerifier {
        user_key: String,
        device_key: String,
        secret_block: String,
        b: BigUint,
        big_a: BigUint,
    },
    /// USER_AUTH by a code sent by email or SMS (EMAIL_OTP, SMS_OTP): the code, and the wrong ones so far.
    SignInCode {
        user_key: String,
        challenge: ChallengeName,
        code: String,
        wrong: u32,
        /// A second factor (SMS_MFA, EMAIL_OTP as MFA) rather than USER_AUTH's first one.
        mfa: bool,
    },
    /// SELECT_MFA_TYPE: the user has several second factors and picks one (`ANSWER`).
    SelectMfaType {
        user_key: String,
        choices: Vec<ChallengeName>,
    },
    /// MFA_SETUP answered with an email address: its code (EMAIL_OTP), which turns on email MFA.
    MfaSetupEmail {
        user_key: String,
        email: String,
        code: String,
        wrong: u32,
    },
}

impl AuthSession {
    /// The user the password step is for (None for one that does not exist, or another step).
    pub fn step_user_key(&self) -> Option<String> {
        match &self.step {
            AuthStep::PasswordVerifier { user_key, .. } => user_key.clone(),
            _ => None,
        }
    }
}

/// Wrong codes a USER_AUTH sign-in by email or SMS may take before its session ends (Cognito's number is
/// not published; this one is ours).
pub const MAX_SIGN_IN_CODE_ATTEMPTS: u32 = 3;

/// A planned failure (`/_local/faults`): the next `count` calls of an operation fail with `error`, each
/// after `delay_ms`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    pub operation: String,
    #[serde(default)]
    pub count: u32,
    /// InternalErrorException (500), ServiceUnavailable (503) or TooManyRequestsException (400).
    #[serde(default = "default_fault_error")]
    pub error: String,
    #[serde(default)]
    pub delay_ms: u64,
}

fn default_fault_error() -> String {
    codes::INTERNAL_ERROR.to_string()
}

pub struct Service {
    faults: Mutex<HashMap<String, Fault>>,
    model: Mutex<Model>,
    sessions: Mutex<HashMap<String, AuthSession>>,
    /// Passkey registrations waiting for their credential, by `<pool id>/<user key>`.
    passkey_registrations: Mutex<HashMap<String, crate::webauthn_ops::PendingRegistration>>,
    keys: Mutex<HashMap<String, Arc<SigningKeys>>>,
    clock_offset: AtomicI64,
    data_file: Option<PathBuf>,
    /// `http://127.0.0.1:PORT`: token issuers are `<base>/<poolId>`.
    pub issuer_base: String,
    /// Prints the emulated emails (codes) to stdout.
    pub print_codes: bool,
    /// Web origins besides this machine's that may call the server (see `http::origin_allowed`).
    pub allowed_origins: Vec<String>,
}

impl Service {
    /// A service over a model; with a data file, every change is written there atomically.
    pub fn new(model: Model, data_file: Option<PathBuf>, issuer_base: String) -> Self {
        Service {
            faults: Mutex::new(HashMap::new()),
            model: Mutex::new(model),
            sessions: Mutex::new(HashMap::new()),
            passkey_registrations: Mutex::new(HashMap::new()),
            keys: Mutex::new(HashMap::new()),
            clock_offset: AtomicI64::new(0),
            data_file,
            issuer_base,
            print_codes: true,
            allowed_origins: Vec::new(),
        }
    }

    /// Loads `state.json` from a data directory (empty model when absent).
    pub fn load_model(dir: &Path) -> Result<Model, String> {
        let file = dir.join("state.json");
        match std::fs::read(&file) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", file.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Model::default()),
            Err(e) => Err(format!("{}: {e}", file.display())),
        }
    }

    pub fn set_fault(&self, fault: Fault) {
        self.faults.lock().unwrap_or_else(|p| p.into_inner()).insert(fault.operation.clone(), fault);
    }

    pub fn clear_faults(&self) {
        self.faults.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// The delay and the error planned for this call of `operation`, if any (uses up one failure).
    pub fn take_fault(&self, operation: &str) -> (u64, Option<CognitoError>) {
        let mut faults = self.faults.lock().unwrap_or_else(|p| p.into_inner());
        let Some(fault) = faults.get_mut(operation) else { return (0, None) };
        if fault.count == 0 {
            return (fault.delay_ms, None);
        }
        fault.count -= 1;
        let error = match fault.error.as_str() {
            "ServiceUnavailable" => CognitoError::new(503, "ServiceUnavailable", "Service Unavailable"),
            codes::TOO_MANY_REQUESTS => CognitoError::new(400, codes::TOO_MANY_REQUESTS, "Rate exceeded"),
            _ => CognitoError::new(500, codes::INTERNAL_ERROR, "Internal server error (planned by /_local/faults)"),
        };
        (fault.delay_ms, Some(error))
    }

    /// Seconds since the epoch, moved by `/_local/clock`.
    pub fn now(&self) -> i64 {
        let real = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        real.saturating_add(self.clock_offset.load(Ordering::Relaxed))
    }

    /// Moves the clock forward by `seconds`; refused (None) when the total would pass
    /// [`MAX_CLOCK_OFFSET_SECONDS`] or `seconds` is negative.
    pub fn advance_clock(&self, seconds: i64) -> Option<i64> {
        let moved = self.clock_offset.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
            offset.checked_add(seconds).filter(|total| seconds >= 0 && *total <= MAX_CLOCK_OFFSET_SECONDS)
        });
        moved.ok().map(|_| self.now())
    }

    pub fn model(&self) -> MutexGuard<'_, Model> {
        self.model.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn passkey_registrations(&self) -> MutexGuard<'_, HashMap<String, crate::webauthn_ops::PendingRegistration>> {
        self.passkey_registrations.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn sessions(&self) -> MutexGuard<'_, HashMap<String, AuthSession>> {
        self.sessions.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes the model to the data file, atomically: a temporary file, fsync, rename, fsync of the folder.
    /// A crash at any point leaves either the old or the new state, never a torn one.
    pub fn persist(&self, model: &Model) -> Result<(), CognitoError> {
        let Some(file) = &self.data_file else {
            return Ok(());
        };
        let write = || -> std::io::Result<()> {
            let dir = file.parent().unwrap_or(Path::new("."));
            let tmp = dir.join(format!(".state.json.{}", std::process::id()));
            let mut out = std::fs::File::create(&tmp)?;
            out.write_all(&serde_json::to_vec(model).expect("model serializes"))?;
            out.sync_all()?;
            drop(out);
            std::fs::rename(&tmp, file)?;
            std::fs::File::open(dir)?.sync_all()
        };
        write().map_err(|e| CognitoError::new(500, codes::INTERNAL_ERROR, format!("cannot save state: {e}")))
    }

    /// The parsed signing keys of a pool (cached). A pool saved before id and access tokens had keys of
    /// their own signs both with its one key.
    pub fn pool_keys(&self, pool: &Pool) -> Arc<SigningKeys> {
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        keys.entry(pool.id.clone())
            .or_insert_with(|| {
                let parse = |pem: &str, kid: &str| PoolKeys::from_pem(pem, kid).expect("stored key parses");
                let id = parse(&pool.signing_key_pem, &pool.key_id);
                let access = if pool.access_signing_key_pem.is_empty() {
                    parse(&pool.signing_key_pem, &pool.key_id)
                } else {
                    parse(&pool.access_signing_key_pem, &pool.access_key_id)
                };
                Arc::new(SigningKeys { id, access })
            })
            .clone()
    }

    pub fn issuer(&self, pool_id: &str) -> String {
        format!("{}/{pool_id}", self.issuer_base)
    }

    /// Prints an emulated email.
    pub fn deliver(&self, pool: &Pool, user: &User, what: &str, code: &str) {
        if self.print_codes {
            let to = user.attribute("email").unwrap_or("(no email)");
            println!("[cognito-local] email to {to} ({}/{}): {what}: {code}", pool.id, user.username);
        }
    }

    /// Mints id and access tokens (and a refresh token when `refresh` is None, i.e. a fresh login). A
    /// sign-in at managed login gives its `grant`: its scopes in the access token's `scope` (kept by the
    /// refresh-token family), its `nonce` in the id token.
    pub fn issue_tokens(
        &self,
        pool: &mut Pool,
        client: &AppClient,
        user_key: &str,
        refresh: Option<&RefreshRecord>,
        device_key: Option<&str>,
        grant: Option<&OAuthGrant<'_>>,
    ) -> AuthenticationResult {
        let now = self.now();
        let (origin_jti, auth_time) = match refresh {
            Some(r) => (r.origin_jti.clone(), r.auth_time),
            None => (uuid_v4(), now),
        };
        let device_key = refresh.map_or(device_key, |r| r.device_key.as_deref()).map(str::to_string);
        let user = &pool.users[user_key];
        let event_id = uuid_v4();
        let groups: Vec<&String> = user.groups.iter().collect();
        let mut common = Map::new();
        common.insert("sub".into(), json!(user.sub));
        if !groups.is_empty() {
            common.insert("cognito:groups".into(), json!(groups));
        }
        common.insert("iss".into(), json!(self.issuer(&pool.id)));
        common.insert("origin_jti".into(), json!(origin_jti));
        common.insert("event_id".into(), json!(event_id));
        common.insert("auth_time".into(), json!(auth_time));
        common.insert("iat".into(), json!(now));

        let mut id = common.clone();
        id.insert("aud".into(), json!(client.client_id));
        id.insert("token_use".into(), json!("id"));
        id.insert("cognito:username".into(), json!(user.username));
        id.insert("exp".into(), json!(now + client.id_token_validity_seconds));
        id.insert("jti".into(), json!(uuid_v4()));
        if let Some(nonce) = grant.and_then(|g| g.nonce) {
            id.insert("nonce".into(), json!(nonce));
        }
        for (name, value) in &user.attributes {
            let value = match name.as_str() {
                "email_verified" | "phone_number_verified" => json!(value == "true"),
                // A federated user's links, a JSON array in the id token (a string in GetUser).
                "identities" => serde_json::from_str(value).unwrap_or_else(|_| json!(value)),
                _ => json!(value),
            };
            id.insert(name.clone(), value);
        }

        let mut access = common;
        access.insert("client_id".into(), json!(client.client_id));
        access.insert("token_use".into(), json!("access"));
        let scopes = refresh.and_then(|r| r.scopes.clone()).or_else(|| grant.map(|g| g.scopes.to_vec()));
        let scope = scopes.as_ref().map_or(ADMIN_SCOPE.to_string(), |s| s.join(" "));
        access.insert("scope".into(), json!(scope));
        access.insert("exp".into(), json!(now + client.access_token_validity_seconds));
        access.insert("jti".into(), json!(uuid_v4()));
        access.insert("username".into(), json!(user.username));
        if let Some(device) = &device_key {
            access.insert("device_key".into(), json!(device));
        }

        let keys = self.pool_keys(pool);
        let refresh_token = match refresh {
            // A sign-in: a new family of refresh tokens.
            None => Some(new_refresh_token(
                pool,
                RefreshRecord {
                    client_id: client.client_id.clone(),
                    user_key: user_key.to_string(),
                    origin_jti,
                    auth_time,
                    issued_at: now,
                    expires_at: now + client.refresh_token_validity_seconds,
                    rotated_at: None,
                    device_key,
                    scopes,
                },
            )),
            // Rotation: the next token of the family, expiring when the first one does (rotation does
            // not extend a session).
            Some(r) if client.rotation_grace_seconds.is_some() => {
                Some(new_refresh_token(pool, RefreshRecord { issued_at: now, rotated_at: None, ..r.clone() }))
            }
            Some(_) => None,
        };
        AuthenticationResult {
            access_token: keys.access.sign(&access),
            id_token: keys.id.sign(&id),
            refresh_token,
            expires_in: client.access_token_validity_seconds,
            token_type: "Bearer".into(),
            new_device_metadata: None,
        }
    }

    /// Checks an access token like Cognito's user-facing calls do; returns (pool id, user key).
    pub fn authenticate(&self, model: &Model, access_token: &str) -> Result<(String, String), CognitoError> {
        self.check_access_token(model, access_token, true)
    }

    /// [`Self::authenticate`] for `/oauth2/userInfo`, which takes any scope.
    pub fn authenticate_any_scope(&self, model: &Model, access_token: &str) -> Result<(String, String), CognitoError> {
        self.check_access_token(model, access_token, false)
    }

    fn check_access_token(
        &self,
        model: &Model,
        access_token: &str,
        require_admin_scope: bool,
    ) -> Result<(String, String), CognitoError> {
        let invalid = || not_authorized("Invalid Access Token");
        let claims = cognito_core::jwt::decode_payload(access_token).map_err(|_| invalid())?;
        let pool_id = claims.str("iss").and_then(|iss| iss.rsplit('/').next()).ok_or_else(invalid)?;
        let pool = model.pools.get(pool_id).ok_or_else(invalid)?;
        if claims.str("iss") != Some(self.issuer(pool_id).as_str())
            || !self.pool_keys(pool).access.verify(access_token)
            || claims.token_use() != Some("access")
        {
            return Err(invalid());
        }
        if claims.exp() <= self.now() {
            return Err(not_authorized("Access Token has expired"));
        }
        // A token from managed login works with the user's own operations only if it was granted
        // `aws.cognito.signin.user.admin`.
        let scoped = claims.str("scope").is_some();
        if require_admin_scope && scoped && !claims.has_scope(ADMIN_SCOPE) {
            return Err(not_authorized("Access Token does not have required scopes"));
        }
        let revoked = claims.origin_jti().is_some_and(|o| pool.revoked_origins.contains(o));
        let user_key = claims.username().map(str::to_lowercase).ok_or_else(invalid)?;
        // A deleted user's tokens were revoked with it; a disabled user's too, but that says more.
        match pool.users.get(&user_key).filter(|u| Some(u.sub.as_str()) == claims.sub()) {
            Some(user) if !user.enabled => Err(not_authorized("User is disabled.")),
            _ if revoked => Err(not_authorized("Access Token has been revoked")),
            None => Err(not_authorized("User does not exist.")),
            Some(_) => Ok((pool.id.clone(), user_key)),
        }
    }

    /// Revokes every refresh token of a user and the tokens issued from them. The records stay, so a
    /// later refresh hears "Refresh Token has been revoked" as from Cognito.
    pub fn revoke_all(pool: &mut Pool, user_key: &str) {
        let origins: Vec<String> =
            pool.refresh_tokens.values().filter(|r| r.user_key == user_key).map(|r| r.origin_jti.clone()).collect();
        pool.revoked_origins.extend(origins);
    }
}

/// The user an access token was checked for by [`Service::authenticate`].
pub fn authenticated_user<'m>(model: &'m mut Model, pool_id: &str, user_key: &str) -> &'m mut User {
    model.pools.get_mut(pool_id).and_then(|p| p.users.get_mut(user_key)).expect("authenticate found this user")
}

/// Finds the pool holding an app client.
pub fn pool_of_client<'m>(model: &'m mut Model, client_id: &str) -> Result<&'m mut Pool, CognitoError> {
    model
        .pools
        .values_mut()
        .find(|p| p.clients.contains_key(client_id))
        .ok_or_else(|| err(codes::RESOURCE_NOT_FOUND, format!("User pool client {client_id} does not exist.")))
}

pub fn pool_by_id<'m>(model: &'m mut Model, pool_id: &str) -> Result<&'m mut Pool, CognitoError> {
    model
        .pools
        .get_mut(pool_id)
        .ok_or_else(|| err(codes::RESOURCE_NOT_FOUND, format!("User pool {pool_id} does not exist.")))
}

pub fn user_key(username: &str) -> String {
    username.to_lowercase()
}

/// Stores a new refresh token for `record` and returns it.
fn new_refresh_token(pool: &mut Pool, record: RefreshRecord) -> String {
    let token = random_id(400, BASE64URL_ALPHABET);
    pool.refresh_tokens.insert(token.clone(), record);
    token
}

/// The scope of the API's own sign-ins, which the user's own operations require.
pub const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// What a managed-login sign-in adds to its tokens.
pub struct OAuthGrant<'a> {
    pub scopes: &'a [String],
    pub nonce: Option<&'a str>,
}
