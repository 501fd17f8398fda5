//! The app's pages and how to link to them: every path and query string the app writes is built here, so
//! a page's address and its parameters have one spelling. (The route table in `app.rs` matches these
//! paths; `path!` needs literals there.)

use crate::browser::encode_query;

/// A page of the app, with what its address carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    Register,
    /// `/confirm`: the username to confirm, where the code was sent, and whether sign-in found the
    /// account unconfirmed.
    Confirm {
        username: Option<String>,
        destination: Option<String>,
        medium: Option<String>,
        unconfirmed: bool,
    },
    /// `/login`: where to go after signing in (a path of this site) and the username to fill in.
    Login {
        next: Option<String>,
        username: Option<String>,
    },
    ForgotPassword {
        username: Option<String>,
    },
    Profile,
    Admin,
    Logout,
    /// Where managed login sends the browser back (`cognito_core::config::CALLBACK_PATH`).
    OAuthCallback,
}

impl Route {
    /// The sign-in page with nothing filled in.
    pub const LOGIN: Route = Route::Login { next: None, username: None };

    /// The address to link or navigate to, e.g. `/login?next=%2Fadmin`.
    pub fn href(&self) -> String {
        let (path, query): (&str, Vec<(&str, Option<&str>)>) = match self {
            Route::Home => ("/", vec![]),
            Route::Register => ("/register", vec![]),
            Route::Confirm { username, destination, medium, unconfirmed } => (
                "/confirm",
                vec![
                    ("username", username.as_deref()),
                    ("destination", destination.as_deref()),
                    ("medium", medium.as_deref()),
                    ("unconfirmed", unconfirmed.then_some("1")),
                ],
            ),
            Route::Login { next, username } => {
                ("/login", vec![("next", next.as_deref()), ("username", username.as_deref())])
            }
            Route::ForgotPassword { username } => ("/forgot-password", vec![("username", username.as_deref())]),
            Route::Profile => ("/profile", vec![]),
            Route::Admin => ("/admin", vec![]),
            Route::Logout => ("/logout", vec![]),
            Route::OAuthCallback => (cognito_core::config::CALLBACK_PATH, vec![]),
        };
        let mut href = path.to_string();
        for (i, (name, value)) in query.iter().filter_map(|(n, v)| v.map(|v| (n, v))).enumerate() {
            href.push(if i == 0 { '?' } else { '&' });
            href.push_str(name);
            href.push('=');
            href.push_str(&encode_query(value));
        }
        href
    }

    /// The sign-in page that comes back to `path` afterwards.
    pub fn login_then(path: impl Into<String>) -> Route {
        Route::Login { next: Some(path.into()), username: None }
    }

    /// The sign-in page with the username filled in.
    pub fn login_as(username: impl Into<String>) -> Route {
        Route::Login { next: None, username: Some(username.into()) }
    }
}
