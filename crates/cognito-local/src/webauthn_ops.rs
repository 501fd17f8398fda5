//! Passkeys (WebAuthn), verified by webauthn-rs: StartWebAuthnRegistration, CompleteWebAuthnRegistration,
//! ListWebAuthnCredentials, DeleteWebAuthnCredential (API reference of each), and the WEB_AUTHN first
//! factor of USER_AUTH (`auth_ops`). The relying party is the pool's `WebAuthnRelyingPartyID` (pool
//! file `webAuthnRelyingPartyId`, SetUserPoolMfaConfig's `WebAuthnConfiguration`); cognito-local
//! defaults it to `localhost`, whose pages may be served over plain HTTP on any port, as browsers allow.
//! A pool whose `AllowedFirstAuthFactors` lacks WEB_AUTHN refuses passkeys.

use serde_json::json;
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, Url, Uuid,
    Webauthn, WebauthnBuilder, WebauthnError,
};

use cognito_core::api::{
    AccessTokenRequest, CompleteWebAuthnRegistrationRequest, DeleteWebAuthnCredentialRequest, Empty,
    ListWebAuthnCredentialsRequest, ListWebAuthnCredentialsResponse, StartWebAuthnRegistrationResponse, Timestamp,
    WebAuthnCredentialDescription,
};
use cognito_core::error::codes;
use cognito_core::CognitoError;

use crate::model::{invalid_parameter, Pool, User};
use crate::service::*;

/// The relying party when the pool names none.
pub const DEFAULT_RELYING_PARTY: &str = "localhost";
/// Passkeys a user may have (Cognito's quota).
pub const MAX_PASSKEYS: usize = 20;
/// How long a registration waits for its credential.
const REGISTRATION_SECONDS: i64 = 300;

/// A passkey as the user's record keeps it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredPasskey {
    pub passkey: Passkey,
    pub name: String,
    pub relying_party_id: String,
    pub created: i64,
    #[serde(default)]
    pub attachment: Option<String>,
    #[serde(default)]
    pub transports: Vec<String>,
}

impl StoredPasskey {
    /// The credential id as Cognito shows it (base64url, as the browser's `id`).
    pub fn id(&self) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(self.passkey.cred_id())
    }
}

/// A registration waiting for its credential.
pub struct PendingRegistration {
    pub state: PasskeyRegistration,
    pub relying_party_id: String,
    pub expires_at: i64,
}

fn not_enabled() -> CognitoError {
    err("WebAuthnNotEnabledException", "WebAuthn is not enabled for the user pool.")
}

/// The relying party of a pool.
pub fn relying_party(pool: &Pool) -> String {
    pool.web_authn_relying_party_id.clone().unwrap_or_else(|| DEFAULT_RELYING_PARTY.to_string())
}

/// The verifier for a relying party: origins `https://<rp>` and its subdomains, any port; for
/// `localhost` also plain HTTP (a secure context in browsers).
pub fn verifier(relying_party_id: &str) -> Result<Webauthn, CognitoError> {
    let broken = |e: WebauthnError| {
        err(
            "WebAuthnConfigurationMissingException",
            format!("The relying party {relying_party_id:?} cannot be used: {e}"),
        )
    };
    let https = Url::parse(&format!("https://{relying_party_id}")).map_err(|_| broken(WebauthnError::Configuration))?;
    let mut builder =
        WebauthnBuilder::new(relying_party_id, &https).map_err(broken)?.allow_subdomains(true).allow_any_port(true);
    if relying_party_id == "localhost" {
        let http = Url::parse("http://localhost").map_err(|_| broken(WebauthnError::Configuration))?;
        builder = builder.append_allowed_origin(&http);
    }
    builder.build().map_err(broken)
}

/// Cognito's refusal for a credential webauthn-rs did not accept.
pub fn refusal(error: WebauthnError) -> CognitoError {
    match error {
        WebauthnError::InvalidRPOrigin => err(
            "WebAuthnOriginNotAllowedException",
            "The origin of the credential is not allowed for the relying party.",
        ),
        WebauthnError::InvalidRPIDHash => {
            err("WebAuthnRelyingPartyMismatchException", "The credential was made for another relying party.")
        }
        WebauthnError::MismatchedChallenge | WebauthnError::ChallengeNotFound => {
            err("WebAuthnChallengeNotFoundException", "The challenge of the credential was not found.")
        }
        WebauthnError::UserNotVerified => {
            err("WebAuthnCredentialNotSupportedException", "The authenticator did not verify the user.")
        }
        other => err("WebAuthnCredentialNotSupportedException", format!("The credential is not supported: {other}")),
    }
}

fn allows_passkeys(pool: &Pool) -> bool {
    pool.allowed_first_auth_factors.iter().any(|f| f == "WEB_AUTHN")
}

pub fn start_registration(
    svc: &Service,
    req: AccessTokenRequest,
) -> Result<StartWebAuthnRegistrationResponse, CognitoError> {
    let access_token = req.access_token.as_str();
    let model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, access_token)?;
    let pool = &model.pools[&pool_id];
    if !allows_passkeys(pool) {
        return Err(not_enabled());
    }
    let user: &User = &pool.users[&key];
    if user.passkeys.len() >= MAX_PASSKEYS {
        return Err(err(codes::LIMIT_EXCEEDED, "The user has the most passkeys allowed."));
    }
    let relying_party_id = relying_party(pool);
    let webauthn = verifier(&relying_party_id)?;
    let user_id = Uuid::parse_str(&user.sub).unwrap_or_else(|_| Uuid::new_v4());
    let display = user.attribute("email").unwrap_or(&user.username).to_string();
    let exclude = user.passkeys.iter().map(|p| p.passkey.cred_id().clone()).collect::<Vec<_>>();
    let (options, state) =
        webauthn.start_passkey_registration(user_id, &user.username, &display, Some(exclude)).map_err(refusal)?;
    let mut options =
        serde_json::to_value(&options).map_err(|e| CognitoError::new(500, codes::INTERNAL_ERROR, e.to_string()))?;
    // A passkey is a discoverable credential: the authenticator keeps it, so browsers can offer it in a
    // sign-in field's autofill (webauthn-rs asks for a non-discoverable one; its check does not depend on it).
    options["publicKey"]["authenticatorSelection"]["residentKey"] = json!("required");
    options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = json!(true);
    let pending = PendingRegistration { state, relying_party_id, expires_at: svc.now() + REGISTRATION_SECONDS };
    svc.passkey_registrations().insert(format!("{pool_id}/{key}"), pending);
    let credential_creation_options = serde_json::from_value(options["publicKey"].take())
        .map_err(|e| CognitoError::new(500, codes::INTERNAL_ERROR, e.to_string()))?;
    Ok(StartWebAuthnRegistrationResponse { credential_creation_options })
}

pub fn complete_registration(svc: &Service, req: CompleteWebAuthnRegistrationRequest) -> Result<Empty, CognitoError> {
    let access_token = req.access_token.as_str();
    let as_sent = serde_json::to_value(&req.credential)
        .map_err(|e| invalid_parameter(format!("Credential is not a registration response: {e}")))?;
    let credential: RegisterPublicKeyCredential = serde_json::from_value(as_sent.clone())
        .map_err(|e| invalid_parameter(format!("Credential is not a registration response: {e}")))?;
    let now = svc.now();
    let mut model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, access_token)?;
    let pending =
        svc.passkey_registrations().remove(&format!("{pool_id}/{key}")).filter(|p| p.expires_at > now).ok_or_else(
            || err("WebAuthnChallengeNotFoundException", "No registration is waiting for this credential."),
        )?;
    let webauthn = verifier(&pending.relying_party_id)?;
    let passkey = webauthn.finish_passkey_registration(&credential, &pending.state).map_err(refusal)?;
    let pool = model.pools.get_mut(&pool_id).ok_or_else(not_enabled)?;
    let id = passkey.cred_id().clone();
    if pool.users.values().any(|u| u.passkeys.iter().any(|p| p.passkey.cred_id() == &id)) {
        return Err(err("WebAuthnCredentialNotSupportedException", "The credential is already registered."));
    }
    let transports = credential
        .response
        .transports
        .clone()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| serde_json::to_value(t).ok().and_then(|v| v.as_str().map(str::to_string)))
        .collect();
    let attachment = as_sent["authenticatorAttachment"].as_str().map(str::to_string);
    let user = pool.users.get_mut(&key).ok_or_else(not_enabled)?;
    let name = format!("Passkey {}", user.passkeys.len() + 1);
    user.passkeys.push(StoredPasskey {
        passkey,
        name,
        relying_party_id: pending.relying_party_id,
        created: now,
        attachment,
        transports,
    });
    svc.persist(&model)?;
    Ok(Empty {})
}

pub fn list_credentials(
    svc: &Service,
    req: ListWebAuthnCredentialsRequest,
) -> Result<ListWebAuthnCredentialsResponse, CognitoError> {
    let access_token = req.access_token.as_str();
    let model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, access_token)?;
    let user = &model.pools[&pool_id].users[&key];
    let credentials = user
        .passkeys
        .iter()
        .map(|p| WebAuthnCredentialDescription {
            credential_id: p.id(),
            friendly_credential_name: p.name.clone(),
            relying_party_id: p.relying_party_id.clone(),
            authenticator_attachment: p.attachment.clone(),
            authenticator_transports: p.transports.clone(),
            created_at: Timestamp(Some(p.created)),
        })
        .collect();
    Ok(ListWebAuthnCredentialsResponse { credentials, next_token: None })
}

pub fn delete_credential(svc: &Service, req: DeleteWebAuthnCredentialRequest) -> Result<Empty, CognitoError> {
    let (access_token, id) = (req.access_token.as_str(), req.credential_id.as_str());
    let mut model = svc.model();
    let (pool_id, key) = svc.authenticate(&model, access_token)?;
    let user = model.pools.get_mut(&pool_id).and_then(|p| p.users.get_mut(&key)).ok_or_else(not_enabled)?;
    let before = user.passkeys.len();
    user.passkeys.retain(|p| p.id() != id);
    if user.passkeys.len() == before {
        return Err(err(codes::RESOURCE_NOT_FOUND, "The credential was not found."));
    }
    svc.persist(&model)?;
    Ok(Empty {})
}

/// USER_AUTH's WEB_AUTHN: the request options for the user's passkeys (`CREDENTIAL_REQUEST_OPTIONS`) and
/// the state that checks the answer.
pub fn start_sign_in(pool: &Pool, user: &User) -> Result<(String, PasskeyAuthentication, String), CognitoError> {
    let relying_party_id = relying_party(pool);
    let webauthn = verifier(&relying_party_id)?;
    let passkeys: Vec<Passkey> = user.passkeys.iter().map(|p| p.passkey.clone()).collect();
    let (options, state) = webauthn.start_passkey_authentication(&passkeys).map_err(refusal)?;
    let options =
        serde_json::to_value(&options).map_err(|e| CognitoError::new(500, codes::INTERNAL_ERROR, e.to_string()))?;
    Ok((options["publicKey"].to_string(), state, relying_party_id))
}

/// Checks a WEB_AUTHN answer (`CREDENTIAL`) against the sign-in's state; updates the passkey's counter.
pub fn finish_sign_in(
    user: &mut User,
    relying_party_id: &str,
    state: &PasskeyAuthentication,
    credential: &str,
) -> Result<(), CognitoError> {
    let credential: PublicKeyCredential = serde_json::from_str(credential)
        .map_err(|e| invalid_parameter(format!("CREDENTIAL is not an assertion: {e}")))?;
    let webauthn = verifier(relying_party_id)?;
    let result = webauthn
        .finish_passkey_authentication(&credential, state)
        .map_err(|_| not_authorized("Incorrect username or password."))?;
    for stored in &mut user.passkeys {
        stored.passkey.update_credential(&result);
    }
    Ok(())
}
