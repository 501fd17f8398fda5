//! Sign-in through managed login: the OAuth 2.0 authorization-code flow with PKCE
//! (`cognito_core::oauth`). The flow's secrets (the code verifier, `state`, and where to go afterwards)
//! are kept in this tab's sessionStorage only while the user is away at managed login, and taken (read
//! and removed) when the callback is read, so they never serve twice or outlive the flow. The code is
//! exchanged at the token endpoint and the tokens saved like any sign-in's, in the reference client's
//! keys: refresh (REFRESH_TOKEN_AUTH, or GetTokensFromRefreshToken with rotation) and the rest of the app
//! work unchanged.

use cognito_core::api::{InitiateAuth, Operation};
use cognito_core::config::ProviderButton;
use cognito_core::i18n::{k, Text};
use cognito_core::messages::{oauth_callback_problem, oauth_refusal};
use cognito_core::oauth::{self, AuthorizeRequest, Callback, FlowRecord, FlowSecrets};
use cognito_core::session::Session;

use crate::api;
use crate::browser::{current_origin, now_seconds, tab_storage_set, tab_storage_take};
use crate::problem::{Problem, ProblemKind};
use crate::session::SessionOwner;

/// sessionStorage: the flow's [`FlowRecord`].
const FLOW_KEY: &str = "cognito-spa.oauth-flow";

impl SessionOwner {
    /// Keeps a new flow's secrets and returns the managed-login address to go to: `provider`'s sign-in, or
    /// the hosted page with every provider when None. `next` is where to go once signed in.
    pub fn start_managed_login(
        &self,
        provider: Option<&ProviderButton>,
        login_hint: Option<&str>,
        next: Option<&str>,
        lang: &str,
    ) -> Result<String, Problem> {
        let config = self.config();
        let Some(settings) = &config.oauth else { return Err(Problem::refused(k::login::unsupported_step)) };
        let secrets = FlowSecrets::generate()
            .map_err(|e| Problem::refused(Text::new(k::login::cannot_start).with("detail", e.to_string())))?;
        let record = FlowRecord {
            state: secrets.state.clone(),
            verifier: secrets.verifier.clone(),
            started_at: now_seconds(),
            next: next.unwrap_or_default().to_string(),
        };
        tab_storage_set(FLOW_KEY, &record.write())
            .map_err(|_| Problem::new(ProblemKind::Storage, k::oauth::no_storage))?;
        Ok(oauth::authorize_url(&AuthorizeRequest {
            domain: &settings.domain,
            client_id: &config.client_id,
            redirect_uri: &settings.redirect_sign_in(&current_origin()),
            scopes: &settings.scopes,
            state: &secrets.state,
            challenge: &oauth::challenge(&secrets.verifier),
            provider: provider.map(ProviderButton::provider),
            lang: Some(lang),
            login_hint,
            prompt: settings.prompt.as_deref(),
        }))
    }

    /// The callback's query read against this tab's flow (a code is used only with its `state`), the code
    /// exchanged for tokens with the verifier, and the session saved. Returns where the user was going.
    pub async fn finish_managed_login(&self, query: &str) -> Result<Option<String>, Problem> {
        let config = self.config();
        // Taken at once: whatever comes of this answer, the flow is over. One started too long ago is
        // no flow at all (the user left managed login and came back much later).
        let flow = tab_storage_take(FLOW_KEY).map(zeroize::Zeroizing::new);
        let flow = flow.and_then(|f| FlowRecord::read(&f, now_seconds()));
        let (state, verifier, next) = flow.as_ref().map_or(("", "", ""), |f| (&*f.state, &**f.verifier, &*f.next));
        let callback = oauth::read_callback(query, state);
        if let Some(problem) = oauth_callback_problem(&callback) {
            return Err(Problem::refused(problem));
        }
        let (Callback::Code(code), Some(settings)) = (callback, &config.oauth) else {
            return Err(Problem::refused(k::oauth::malformed));
        };
        let body =
            oauth::token_request(&config.client_id, &code, &settings.redirect_sign_in(&current_origin()), verifier);
        // Not repeated: a code works once, so a second try could only be refused. A failure to reach the
        // endpoint is told as a sign-in start's is (worth trying again from the start).
        let (status, answer) = api::post_form(&format!("{}/oauth2/token", settings.domain), body)
            .await
            .map_err(|e| Problem::from_call(InitiateAuth::NAME, &e))?;
        let tokens = match oauth::read_token_answer(&answer) {
            Ok(tokens) => tokens,
            Err(error) if status == 400 || status == 401 => return Err(Problem::refused(oauth_refusal(&error, None))),
            Err(detail) => return Err(Problem::refused(Text::new(k::login::bad_answer).with("detail", detail))),
        };
        let session = Session::from_managed_login(&config.client_id, &tokens, now_seconds())
            .map_err(|e| Problem::refused(Text::new(k::login::bad_tokens).with("detail", e.to_string())))?;
        self.save(&session)?;
        Ok(Some(next.to_string()).filter(|n| !n.is_empty()))
    }

    /// Ends a flow the user did not finish (back on the sign-in page instead of the callback): its secrets
    /// go.
    pub fn forget_managed_login(&self) {
        drop(tab_storage_take(FLOW_KEY).map(zeroize::Zeroizing::new));
    }

    /// Managed login's `/logout` for a session that came from it (which ends the hosted session too:
    /// otherwise the next "Continue with…" would sign straight back in); None for other sessions.
    pub(super) fn hosted_logout_url(&self) -> Option<String> {
        let config = self.config();
        let settings = config.oauth.as_ref()?;
        let access = self.stored().access_token?;
        let from_managed_login = cognito_core::jwt::decode_payload(&access).is_ok_and(|c| c.from_managed_login());
        from_managed_login.then(|| {
            oauth::logout_url(&settings.domain, &config.client_id, &settings.redirect_sign_out(&current_origin()))
        })
    }
}
