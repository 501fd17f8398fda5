//! Cognito's lockout after failed password sign-ins, as the developer guide documents it
//! ("Lockout behavior for failed sign-in attempts", authentication.html#authentication-flow-lockout-behavior):
//!
//! - after five failed attempts the user is locked out for one second; each further failure doubles it,
//!   up to about fifteen minutes: for `n` failures, `2^(n-5)` seconds;
//! - an attempt made while locked out is refused with "Password attempts exceeded" and does not count;
//! - the count starts again after a successful sign-in once the lockout has passed, or after fifteen
//!   minutes with no sign-in attempt at all at any time after a lockout.

use serde::{Deserialize, Serialize};

/// Failures before the first lockout.
pub const FREE_FAILURES: u32 = 5;
/// The longest lockout, and the quiet time that forgets the failures.
pub const MAX_SECONDS: i64 = 15 * 60;

/// One user's password lockout state. Times are the server clock's Unix seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lockout {
    /// Failed attempts counted so far (attempts refused during a lockout are not counted).
    pub failures: u32,
    pub locked_until: i64,
    /// The last attempt of any kind, counted or not.
    pub last_attempt: i64,
}

/// What an attempt may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Open,
    /// Refused without looking at the password: "Password attempts exceeded".
    LockedOut,
}

impl Lockout {
    /// Called at every attempt before the password is judged: forgets the failures after a quiet
    /// quarter of an hour that followed a lockout, records the attempt, and says whether it may go on.
    pub fn attempt(&mut self, now: i64) -> Gate {
        if self.failures >= FREE_FAILURES && now.saturating_sub(self.last_attempt) >= MAX_SECONDS {
            *self = Lockout::default();
        }
        self.last_attempt = now;
        if self.locked_until > now {
            Gate::LockedOut
        } else {
            Gate::Open
        }
    }

    /// A wrong password, judged outside a lockout: counts it and, from the fifth on, locks for `2^(n-5)`
    /// seconds (at most fifteen minutes).
    pub fn failed(&mut self, now: i64) {
        self.failures = self.failures.saturating_add(1);
        if self.failures >= FREE_FAILURES {
            self.locked_until = now + lock_seconds(self.failures);
        }
    }

    /// A right password, judged outside a lockout: the count starts again.
    pub fn succeeded(&mut self) {
        *self = Lockout { last_attempt: self.last_attempt, ..Lockout::default() };
    }
}

/// The lockout after `failures` failed attempts: none before the fifth, then 1, 2, 4, … seconds, never more
/// than fifteen minutes.
pub fn lock_seconds(failures: u32) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let doublings = failures - FREE_FAILURES;
    if doublings >= 10 {
        MAX_SECONDS
    } else {
        (1i64 << doublings).min(MAX_SECONDS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // "Amazon Cognito locks out your user for 2^(n-5) seconds … up to a maximum of approximately 15 minutes."
    #[test]
    fn lockouts_double_from_the_fifth_failure_up_to_fifteen_minutes() {
        let seconds: Vec<i64> = (1..=16).map(lock_seconds).collect();
        assert_eq!(seconds, [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
        assert_eq!(lock_seconds(u32::MAX), MAX_SECONDS);
    }

    // "Attempts made during a lockout period … don't affect the duration of subsequent lockout periods."
    #[test]
    fn attempts_during_a_lockout_are_refused_and_not_counted() {
        let mut l = Lockout::default();
        for t in 0..5 {
            assert_eq!(l.attempt(t), Gate::Open);
            l.failed(t);
        }
        assert_eq!(l.locked_until, 5, "the fifth failure at t=4 locks for one second");
        for _ in 0..10 {
            assert_eq!(l.attempt(4), Gate::LockedOut);
        }
        assert_eq!(l.failures, 5);
        assert_eq!(l.attempt(5), Gate::Open, "the lockout has passed");
        l.failed(5);
        assert_eq!(l.locked_until, 7, "the sixth failure locks for two seconds");
    }

    // "To reset the lockout to its n=0 initial state, your user must either sign in successfully after a
    // lockout period expires, or not initiate any sign-in attempts for 15 consecutive minutes at any time
    // after a lockout."
    #[test]
    fn a_quiet_quarter_hour_after_a_lockout_forgets_the_failures() {
        let mut l = Lockout::default();
        for t in 0..8 {
            let _ = l.attempt(t * 100);
            l.failed(t * 100);
        }
        assert_eq!(l.failures, 8);
        // Attempts keep the failures alive even when refused.
        assert_eq!(l.attempt(700 + 3), Gate::LockedOut);
        assert_eq!(l.attempt(703 + MAX_SECONDS - 1), Gate::Open);
        assert_eq!(l.failures, 8, "not quiet long enough");
        assert_eq!(l.attempt(703 + MAX_SECONDS - 1 + MAX_SECONDS), Gate::Open);
        assert_eq!(l.failures, 0, "fifteen quiet minutes");
        // Before any lockout, quiet time forgets nothing.
        let mut early = Lockout::default();
        let _ = early.attempt(0);
        early.failed(0);
        let _ = early.attempt(10 * MAX_SECONDS);
        assert_eq!(early.failures, 1);
    }

    #[test]
    fn a_right_password_starts_the_count_again() {
        let mut l = Lockout::default();
        for t in 0..6 {
            let _ = l.attempt(t * 10);
            l.failed(t * 10);
        }
        assert_eq!(l.attempt(60), Gate::Open);
        l.succeeded();
        assert_eq!((l.failures, l.locked_until, l.last_attempt), (0, 0, 60));
    }
}
