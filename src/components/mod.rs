//! Widgets shared by the pages.

pub mod account;
pub mod alerts;
pub mod confirm;
pub mod field;
pub mod footer;
pub mod form;
pub mod managed_login;
pub mod nav;
pub mod new_password;
pub mod restoring;
pub mod sign_out_buttons;
