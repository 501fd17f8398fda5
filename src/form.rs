//! One form action: everything a submission needs besides its fields, in one `Copy` value (in the spirit
//! of Leptos' `Action`, on top of [`PageTasks`] so a late answer never touches a page that is gone).
//!
//! It owns: whether work is under way (with the words to show meanwhile), the typed [`Problem`] of the
//! last attempt, the notice of the last success, and "submitted once" (fields show their errors only
//! after the first attempt). A page gives it the checks and the work:
//!
//! ```ignore
//! let action = FormAction::new();
//! let code_error = action.required(code, k::otp::code_missing);
//! view! {
//!     <ActionForm action pending=k::confirm::pending submit=move || {
//!         if any_invalid(&[code_error]) { return None } // the fields say what is wrong
//!         let request = ConfirmSignUpRequest { .. };
//!         Some(async move { session.call::<ConfirmSignUp>(&request).await?; Ok(()) })
//!     }>
//!         <Field id="code" label=k::confirm::code value=code error=code_error action />
//!         <SubmitButton action label=k::confirm::submit />
//!     </ActionForm>
//! }
//! ```

use std::future::Future;
use std::pin::Pin;

use cognito_core::i18n::{Key, Text};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::problem::Problem;
use crate::tasks::PageTasks;

/// Whether any of the fields' errors is showing (read without tracking, in a submit handler).
pub fn any_invalid(errors: &[Signal<Option<Text>>]) -> bool {
    errors.iter().any(|e| e.with_untracked(Option::is_some))
}

/// A submission's work, boxed: one compiled copy of the code that runs it.
pub type Work = Pin<Box<dyn Future<Output = Result<(), Problem>>>>;

#[derive(Clone, Copy)]
pub struct FormAction {
    /// `Some(key)` of the words while a submission runs ("Signing in…").
    pending: RwSignal<Option<Key>>,
    /// What the last attempt's [`Problem`] says, for the view to render.
    error: RwSignal<Option<Text>>,
    notice: RwSignal<Option<Text>>,
    tried: RwSignal<bool>,
    tasks: StoredValue<PageTasks, LocalStorage>,
}

impl FormAction {
    /// An action for the page (or section) being built: its work stops when that goes away.
    pub fn new() -> Self {
        FormAction {
            pending: RwSignal::new(None),
            error: RwSignal::new(None),
            notice: RwSignal::new(None),
            tried: RwSignal::new(false),
            tasks: StoredValue::new_local(PageTasks::new()),
        }
    }

    /// With a notice to show before anything is submitted (e.g. "Your account is confirmed").
    pub fn with_notice(self, notice: Option<Text>) -> Self {
        self.notice.set(notice);
        self
    }

    /// A submit handler's body (`<ActionForm>`'s): stops the browser's own submission, marks the form as
    /// submitted (its fields now show their errors), then as [`FormAction::run`], with the work already
    /// boxed.
    pub fn submit(self, ev: &SubmitEvent, pending: Key, start: impl FnOnce() -> Option<Work>) {
        ev.prevent_default();
        if !self.begin(true) {
            return;
        }
        if let Some(work) = start() {
            self.spawn(pending, work);
        }
    }

    /// Another action of the form (a button such as "Send a new code"): does nothing while a submission
    /// runs; otherwise clears the last problem and notice and calls `start`, which checks the input
    /// (`None`: the fields or [`FormAction::fail`] say what is wrong) and returns the work. The work
    /// runs with `pending` shown; its error is kept for the view.
    pub fn run<W>(self, pending: Key, start: impl FnOnce() -> Option<W>)
    where
        W: Future<Output = Result<(), Problem>> + 'static,
    {
        if self.begin(false) {
            self.start(pending, start);
        }
    }

    fn start<W>(self, pending: Key, start: impl FnOnce() -> Option<W>)
    where
        W: Future<Output = Result<(), Problem>> + 'static,
    {
        if let Some(work) = start() {
            self.spawn(pending, Box::pin(work));
        }
    }

    fn begin(self, submitted: bool) -> bool {
        if self.pending.get_untracked().is_some() {
            return false;
        }
        if submitted {
            self.tried.set(true);
        }
        self.error.set(None);
        self.notice.set(None);
        true
    }

    /// One compiled copy of the running code for every form (boxing keeps the wasm small).
    fn spawn(self, pending: Key, work: Work) {
        let task = async move {
            let result = work.await;
            // The work may have left the page (a navigation): then these signals are gone, and `try_`
            // leaves them be.
            self.pending.try_set(None);
            if let Err(problem) = result {
                self.fail(problem);
            }
        };
        // Queued before the form re-renders as busy, so the work (a sign-in's first request) starts first
        // and the page updates while it is on the network. Nothing can submit twice in between: this
        // runs inside the event handler, and `pending` is set before it returns.
        self.tasks.with_value(|tasks| tasks.spawn(task));
        self.pending.set(Some(pending));
    }

    /// Whether a submission runs (for `disabled` and `aria-busy`).
    pub fn is_busy(self) -> bool {
        self.pending.with(Option::is_some)
    }

    /// `aria-busy`'s value: ARIA reads only "true" and "false" (a bare attribute means false).
    pub fn aria_busy(self) -> &'static str {
        if self.is_busy() {
            "true"
        } else {
            "false"
        }
    }

    /// The words shown while a submission runs, in the page's language.
    pub fn pending(self) -> Option<String> {
        self.pending.get().map(crate::i18n::t)
    }

    /// The button's words: the pending words while it runs, else `idle` (a catalog key).
    pub fn label(self, idle: Key) -> impl Fn() -> String + Copy + 'static {
        move || crate::i18n::t(self.pending.get().unwrap_or(idle))
    }

    /// Changes the words (a key) while the work moves to its next part ("Turning off…").
    pub fn progress(self, words: Key) {
        self.pending.try_set(Some(words));
    }

    /// Whether the form was submitted since it was last [`FormAction::reset`] (fields show their errors).
    pub fn tried(self) -> RwSignal<bool> {
        self.tried
    }

    /// The last problem, in words, for [`crate::components::alerts::ErrorAlert`].
    pub fn error(self) -> Signal<Option<Text>> {
        self.error.into()
    }

    /// The last notice, for [`crate::components::alerts::Notice`].
    pub fn notice(self) -> Signal<Option<Text>> {
        self.notice.into()
    }

    /// Shows a problem (a check of the whole form, or a refusal found before any work).
    pub fn fail(self, problem: Problem) {
        self.error.try_set(Some(problem.message));
    }

    /// Shows a notice (a success the page stays on).
    pub fn succeed(self, notice: impl Into<Text>) {
        self.notice.try_set(Some(notice.into()));
    }

    /// A field's error once the form was submitted: `missing` while `value` holds nothing but spaces.
    pub fn required(self, value: RwSignal<String>, missing: Key) -> Signal<Option<Text>> {
        self.check(move || value.with(|v| v.trim().is_empty()), missing)
    }

    /// A field's error once the form was submitted: `problem` while `wrong` says the value is wrong.
    pub fn check(self, wrong: impl Fn() -> bool + Send + Sync + 'static, problem: Key) -> Signal<Option<Text>> {
        self.shown(move || wrong().then(|| Text::new(problem)))
    }

    /// A field's error once the form was submitted: what `problem` finds wrong with the value.
    pub fn shown(self, problem: impl Fn() -> Option<Text> + Send + Sync + 'static) -> Signal<Option<Text>> {
        let tried = self.tried;
        Signal::derive(move || if tried.get() { problem() } else { None })
    }

    /// Back to a fresh form (after a success that clears the fields): fields stop showing errors.
    pub fn reset(self) {
        self.tried.try_set(false);
        self.error.try_set(None);
    }
}
