//! The account sections of the profile page.

pub mod api_call;
pub mod change_password;
pub mod delete_account;
pub mod devices;
pub mod edit_profile;
pub mod mfa;
pub mod passkeys;
pub mod section;
