//! What every account section shares: the profile it reads ([`ProfileData`], loaded once per page and
//! reloaded in place, so a save in one section never rebuilds another), and its frame
//! ([`AccountSection`]: the heading, the section's own notice and problem, its progress line).

use cognito_core::api::{attribute, AccessTokenRequest, GetUser, GetUserResponse};
use cognito_core::i18n::Key;
use leptos::prelude::*;

use crate::components::form::{Alerts, Progress};
use crate::form::FormAction;
use crate::i18n::tr;
use crate::problem::Problem;
use crate::session::{use_session, Method, SessionOwner};
use crate::tasks::PageTasks;

/// The signed-in user's profile (GetUser), for the page and its sections.
#[derive(Clone, Copy)]
pub struct ProfileData {
    session: SessionOwner,
    /// The last profile read; kept while it is read again and when a later read fails.
    user: RwSignal<Option<GetUserResponse>>,
    /// Why the last read failed, if it did.
    problem: RwSignal<Option<Problem>>,
    tasks: StoredValue<PageTasks, LocalStorage>,
    /// Bumped when a passkey was added outside the passkeys section (the offer), to list them again.
    pub passkeys_changed: RwSignal<u32>,
}

impl ProfileData {
    /// Reads the profile (the page hands it to each section).
    pub fn load() -> Self {
        let data = ProfileData {
            session: use_session(),
            user: RwSignal::new(None),
            problem: RwSignal::new(None),
            tasks: StoredValue::new_local(PageTasks::new()),
            passkeys_changed: RwSignal::new(0),
        };
        data.refetch();
        data
    }

    /// Reads the profile again (after a save that changes it); the sections stay as they are meanwhile.
    pub fn refetch(self) {
        let session = self.session;
        self.tasks.with_value(|tasks| {
            tasks.spawn(async move {
                let read = session.account().call::<GetUser>(|access_token| AccessTokenRequest { access_token }).await;
                match read {
                    Ok(user) => {
                        self.problem.set(None);
                        self.user.set(Some(user));
                    }
                    Err(problem) => self.problem.set(Some(problem)),
                }
            })
        });
    }

    /// The last profile read, once there is one.
    pub fn user(self) -> Option<GetUserResponse> {
        self.user.get()
    }

    pub fn loaded(self) -> bool {
        self.user.with(Option::is_some)
    }

    /// Why the last read failed, if it did.
    pub fn problem(self) -> Option<Problem> {
        self.problem.get()
    }

    /// An attribute's value ("" when the user has none).
    pub fn attribute(self, name: &str) -> String {
        self.user.with(|u| u.as_ref().and_then(|u| attribute(&u.user_attributes, name)).unwrap_or("").to_string())
    }

    /// Whether the user signs in with this pool's own password and second steps (not a federated user,
    /// whose are their identity provider's; read once: a session's provider does not change).
    pub fn own_sign_in(self) -> bool {
        untrack(|| self.session.user()).is_none_or(|u| u.provider.is_none())
    }

    /// Whether this user can have passkeys here: the pool allows them as a first factor and the user signs
    /// in with the pool (see [`Self::own_sign_in`]).
    pub fn passkeys_here(self) -> bool {
        self.own_sign_in() && self.session.config().passwordless.contains(&Method::Passkey)
    }

    /// Whether an attribute (`email_verified`, `phone_number_verified`) is "true".
    pub fn is_true(self, name: &str) -> bool {
        self.attribute(name) == "true"
    }
}

/// The frame of an account section: `<h2>` (its id `{id}-title`), what came of `action`, the content,
/// then the words while `action` runs.
#[component]
pub fn AccountSection(
    id: &'static str,
    title: Key,
    action: FormAction,
    #[prop(optional)] testid: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let (labelled_by, title_id) = (format!("{id}-title"), format!("{id}-title"));
    view! {
        <section aria-labelledby=labelled_by class="section" data-testid=testid>
            <h2 id=title_id>{tr(title)}</h2>
            <Alerts action />
            {children()}
            <Progress action />
        </section>
    }
}
