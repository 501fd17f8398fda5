//! Passkeys (API reference of StartWebAuthnRegistration, CompleteWebAuthnRegistration,
//! ListWebAuthnCredentials, DeleteWebAuthnCredential; USER_AUTH's WEB_AUTHN), checked by webauthn-rs
//! against credentials made by a software authenticator (webauthn-authenticator-rs's SoftPasskey, a
//! real one: its keys, signatures and counters). What must be refused is refused: a credential for
//! another origin or relying party, an assertion signed by another key, a replayed one.

mod common;

use cognito_core::api::*;
use cognito_core::error::codes;
use cognito_core::sign_in::key;
use common::*;
use serde_json::{json, Value};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_authenticator_rs::{AuthenticatorBackend, WebauthnAuthenticator};
use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse, Url};

const ORIGIN: &str = "http://localhost:8080";

struct Site {
    url: String,
    pool_id: String,
    client: String,
}

async fn site(url: &str, factors: &[&str]) -> Site {
    let created = raw_call(
        url,
        "CreateUserPool",
        &json!({"PoolName": "passkeys", "AutoVerifiedAttributes": ["email"],
                "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": factors}}}),
    )
    .await
    .unwrap();
    let pool_id = created["UserPool"]["Id"].as_str().unwrap().to_string();
    let client = raw_call(
        url,
        "CreateUserPoolClient",
        &json!({"UserPoolId": pool_id, "ClientName": "web",
                "ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
    )
    .await
    .unwrap();
    let client = client["UserPoolClient"]["ClientId"].as_str().unwrap().to_string();
    Site { url: url.to_string(), pool_id, client }
}

impl Site {
    /// A confirmed user, signed in with the password: its access token.
    async fn user(&self, username: &str) -> String {
        let mut request = sign_up_request(username, &format!("{username}@example.com"), PASSWORD);
        request.client_id = self.client.clone();
        call::<SignUp>(&self.url, &request).await.unwrap();
        raw_call(&self.url, "AdminConfirmSignUp", &json!({"UserPoolId": self.pool_id, "Username": username}))
            .await
            .unwrap();
        let start = InitiateAuthRequest::user_auth(
            &self.client,
            username,
            Some(ChallengeName::Password),
            &[(key::PASSWORD, PASSWORD.to_string())],
            None,
        );
        call::<InitiateAuth>(&self.url, &start).await.unwrap().authentication_result.unwrap().access_token
    }

    async fn op(&self, name: &str, body: Value) -> Result<Value, cognito_core::CognitoError> {
        raw_call(&self.url, name, &body).await
    }

    /// Registers a passkey of `authenticator` for the user, made at `origin`.
    async fn register(
        &self,
        access_token: &str,
        authenticator: &mut SoftPasskey,
        origin: &str,
    ) -> Result<Value, cognito_core::CognitoError> {
        let started = self.op("StartWebAuthnRegistration", json!({"AccessToken": access_token})).await?;
        let options = started["CredentialCreationOptions"].clone();
        assert_eq!(options["rp"]["id"], "localhost");
        // A passkey: discoverable (so a browser can offer it in a field's autofill), the user verified.
        let selection = &options["authenticatorSelection"];
        assert_eq!((&selection["residentKey"], &selection["requireResidentKey"]), (&json!("required"), &json!(true)));
        assert_eq!(selection["userVerification"], "required");
        // SoftPasskey keeps no credentials (it cannot make discoverable ones); the server's check does not
        // depend on it, so it is asked for a plain one.
        let mut options = options;
        options["authenticatorSelection"]["residentKey"] = json!("discouraged");
        options["authenticatorSelection"]["requireResidentKey"] = json!(false);
        let ccr: CreationChallengeResponse = serde_json::from_value(json!({ "publicKey": options })).unwrap();
        // The backend itself, not the checked ceremony: a browser would refuse a foreign origin, this
        // test wants to see the server refuse it too.
        let credential =
            AuthenticatorBackend::perform_register(authenticator, Url::parse(origin).unwrap(), ccr.public_key, 60_000)
                .unwrap();
        self.op(
            "CompleteWebAuthnRegistration",
            json!({"AccessToken": access_token, "Credential": serde_json::to_value(&credential).unwrap()}),
        )
        .await
    }

    /// USER_AUTH with WEB_AUTHN preferred: the request options and the session.
    async fn start_sign_in(&self, username: &str) -> (RequestChallengeResponse, Option<String>) {
        let start = InitiateAuthRequest::user_auth(&self.client, username, Some(ChallengeName::WebAuthn), &[], None);
        let answer = call::<InitiateAuth>(&self.url, &start).await.unwrap();
        assert_eq!(answer.challenge_name, Some(ChallengeName::WebAuthn));
        let options: Value =
            serde_json::from_str(&answer.challenge_parameters[key::CREDENTIAL_REQUEST_OPTIONS]).unwrap();
        assert_eq!(options["rpId"], "localhost");
        (serde_json::from_value(json!({ "publicKey": options })).unwrap(), answer.session)
    }

    async fn answer(
        &self,
        username: &str,
        credential: &Value,
        session: Option<String>,
    ) -> Result<AuthResponse, cognito_core::CognitoError> {
        let responses = string_map([(key::USERNAME, username.to_string()), (key::CREDENTIAL, credential.to_string())]);
        let request = RespondToAuthChallengeRequest::new(&self.client, ChallengeName::WebAuthn, responses, session);
        call::<RespondToAuthChallenge>(&self.url, &request).await
    }
}

#[tokio::test]
async fn a_passkey_is_registered_listed_used_to_sign_in_and_deleted() {
    let s = server().await;
    let site = site(&s.url(), &["PASSWORD", "WEB_AUTHN"]).await;
    let token = site.user("pam").await;
    // No passkey yet: not offered.
    let start = InitiateAuthRequest::user_auth(&site.client, "pam", None, &[], None);
    let select = call::<InitiateAuth>(&site.url, &start).await.unwrap();
    assert!(!select.available_challenges.contains(&ChallengeName::WebAuthn));

    let mut phone = SoftPasskey::new(true);
    site.register(&token, &mut phone, ORIGIN).await.unwrap();
    let listed = site.op("ListWebAuthnCredentials", json!({"AccessToken": token})).await.unwrap();
    let credentials = listed["Credentials"].as_array().unwrap();
    assert_eq!(credentials.len(), 1);
    assert_eq!(credentials[0]["RelyingPartyId"], "localhost");
    assert_eq!(credentials[0]["FriendlyCredentialName"], "Passkey 1");
    let id = credentials[0]["CredentialId"].as_str().unwrap().to_string();

    let select = call::<InitiateAuth>(&site.url, &start).await.unwrap();
    assert!(select.available_challenges.contains(&ChallengeName::WebAuthn));
    let (options, session) = site.start_sign_in("pam").await;
    let assertion = phone.do_authentication(Url::parse(ORIGIN).unwrap(), options).unwrap();
    let assertion = serde_json::to_value(&assertion).unwrap();
    let done = site.answer("pam", &assertion, session.clone()).await.unwrap();
    assert!(done.authentication_result.is_some());
    // Replayed: the session is spent, and a new challenge is not what the assertion signed.
    let replay = site.answer("pam", &assertion, session).await;
    assert_error(replay, codes::NOT_AUTHORIZED, "Invalid session for the user, session is expired.");
    let (_, fresh) = site.start_sign_in("pam").await;
    let replay = site.answer("pam", &assertion, fresh).await;
    assert_error(replay, codes::NOT_AUTHORIZED, "Incorrect username or password.");

    // Deleted: gone from the list and from the ways to sign in.
    site.op("DeleteWebAuthnCredential", json!({"AccessToken": token, "CredentialId": id})).await.unwrap();
    let listed = site.op("ListWebAuthnCredentials", json!({"AccessToken": token})).await.unwrap();
    assert_eq!(listed["Credentials"], json!([]));
    let again = site.op("DeleteWebAuthnCredential", json!({"AccessToken": token, "CredentialId": id})).await;
    assert_eq!(again.unwrap_err().code, codes::RESOURCE_NOT_FOUND);
    let select = call::<InitiateAuth>(&site.url, &start).await.unwrap();
    assert!(!select.available_challenges.contains(&ChallengeName::WebAuthn));
}

#[tokio::test]
async fn a_signature_from_another_key_is_refused() {
    let s = server().await;
    let site = site(&s.url(), &["PASSWORD", "WEB_AUTHN"]).await;
    let (pam, mallory) = (site.user("pam").await, site.user("mal").await);
    let mut pams = SoftPasskey::new(true);
    let mut mallorys = SoftPasskey::new(true);
    site.register(&pam, &mut pams, ORIGIN).await.unwrap();
    site.register(&mallory, &mut mallorys, ORIGIN).await.unwrap();
    let pam_id = site.op("ListWebAuthnCredentials", json!({"AccessToken": pam})).await.unwrap()["Credentials"][0]
        ["CredentialId"]
        .as_str()
        .unwrap()
        .to_string();
    let mallory_id = site.op("ListWebAuthnCredentials", json!({"AccessToken": mallory})).await.unwrap()["Credentials"]
        [0]["CredentialId"]
        .as_str()
        .unwrap()
        .to_string();
    // Pam's challenge, signed by Mallory's key, presented as Pam's credential.
    let (mut options, session) = site.start_sign_in("pam").await;
    let mut json_options = serde_json::to_value(&options.public_key).unwrap();
    json_options["allowCredentials"][0]["id"] = json!(mallory_id);
    options.public_key = serde_json::from_value(json_options).unwrap();
    let forged = mallorys.do_authentication(Url::parse(ORIGIN).unwrap(), options).unwrap();
    let mut forged = serde_json::to_value(&forged).unwrap();
    forged["id"] = json!(pam_id);
    forged["rawId"] = json!(pam_id);
    let refused = site.answer("pam", &forged, session).await;
    assert_error(refused, codes::NOT_AUTHORIZED, "Incorrect username or password.");
}

#[tokio::test]
async fn credentials_of_another_origin_or_without_passkeys_allowed_are_refused() {
    let s = server().await;
    let site = site(&s.url(), &["PASSWORD", "WEB_AUTHN"]).await;
    let token = site.user("pam").await;
    let mut key = SoftPasskey::new(true);
    let foreign = site.register(&token, &mut key, "https://evil.example").await;
    assert_eq!(foreign.unwrap_err().code, "WebAuthnOriginNotAllowedException");
    // A completion with no registration waiting.
    let lone = site
        .op("CompleteWebAuthnRegistration", json!({"AccessToken": token, "Credential": {"id": "x", "rawId": "eA", "type": "public-key", "response": {"attestationObject": "", "clientDataJSON": ""}}}))
        .await;
    assert_eq!(lone.unwrap_err().code, "WebAuthnChallengeNotFoundException");
    // Served from a subdomain on HTTPS: allowed, as for Cognito's relying party domain.
    site.register(&token, &mut key, "https://app.localhost").await.unwrap();

    // A pool whose first factors leave passkeys out.
    let closed = site_without_passkeys(&s.url()).await;
    let token = closed.user("ned").await;
    let refused = closed.op("StartWebAuthnRegistration", json!({"AccessToken": token})).await;
    assert_eq!(refused.unwrap_err().code, "WebAuthnNotEnabledException");
}

async fn site_without_passkeys(url: &str) -> Site {
    site(url, &["PASSWORD", "EMAIL_OTP"]).await
}
