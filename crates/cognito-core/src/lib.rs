//! The Cognito user-pool protocol, free of any browser or server dependency so that it compiles for
//! wasm32 and the host alike and is tested on the host:
//!
//! - [`srp`]: SRP-6a the way Cognito does it, client half (the browser) and server half (the local server);
//! - [`timestamp`]: the `TIMESTAMP` format of the password-verifier answer;
//! - [`api`]: typed requests and responses of every operation the app uses;
//! - [`error`]: Cognito's error answers;
//! - [`jwt`]: token payload decoding;
//! - [`session`]: the amazon-cognito-identity-js storage layout and the restore/refresh decision;
//! - [`pool`]: user-pool ids;
//! - [`password_policy`]: a pool's password rules, Cognito's order and messages;
//! - [`config`]: the app's runtime `config.json`;
//! - [`messages`]: plain-language error messages and input checks for forms;
//! - [`redirect`]: where to go after signing in (`?next=`), only on this site;
//! - [`sign_in`]: the sign-in challenge protocol as a state machine, with the parameter keys;
//! - [`retry`]: which failed calls may be sent again, and when a change's outcome is unknown.

pub mod api;
pub mod branding;
pub mod config;
pub mod device;
pub mod error;
pub mod i18n;
pub mod json;
pub mod jwt;
pub mod messages;
pub mod oauth;
pub mod passkeys;
pub mod password_policy;
pub mod pool;
pub mod redirect;
pub mod retry;
pub mod session;
pub mod sign_in;
pub mod srp;
pub mod timestamp;

pub use error::{CallError, CognitoError};
pub use pool::PoolId;
