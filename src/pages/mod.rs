//! One file per screen.

pub mod admin;
pub mod confirm;
pub mod forgot_password;
pub mod home;
pub mod login;
pub mod logout;
pub mod not_found;
pub mod oauth_callback;
pub mod profile;
pub mod register;
pub mod setup_error;
