//! Page work that stops when the page goes away, so a late answer never touches a page's disposed state.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::Owner;
use leptos::reactive::spawn_local_scoped_with_cancellation;

/// Captures the page's reactive owner when the page is built; tasks spawned through it (also from event
/// handlers) run under that owner and are cancelled when it is cleaned up.
#[derive(Clone)]
pub struct PageTasks(Owner);

impl PageTasks {
    pub fn new() -> Self {
        PageTasks(Owner::current().unwrap_or_default())
    }

    pub fn spawn(&self, work: impl Future<Output = ()> + 'static) {
        self.spawn_boxed(Box::pin(work));
    }

    /// One compiled copy of the spawning code for every task (boxing keeps the wasm small).
    fn spawn_boxed(&self, work: Pin<Box<dyn Future<Output = ()>>>) {
        self.0.with(|| spawn_local_scoped_with_cancellation(work));
    }
}
