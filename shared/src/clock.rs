//! The instant every function reads as "now".
//!
//! A deployed function always reads the system clock ([`Clock::system`], what
//! [`crate::Services::from_env`] builds). Only the local runner builds a [`Clock::shifted`]
//! one, so that the whole local stack (dialogue, scheduling, reminders, TTLs written,
//! tokens issued, the Twilio stand-in's timestamps) can run as of another instant: a test
//! written for a Tuesday morning runs as of a Tuesday morning whatever day CI runs it.
//! Nothing reads an environment variable here; the local runner decides.

use chrono::{DateTime, Duration, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// A clock: the system's, or the system's moved by an offset that the local runner sets.
/// Cloning shares the offset, so every part of one stack reads the same time.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Milliseconds added to the system time; `None` for the system clock.
    offset_ms: Option<Arc<AtomicI64>>,
}

/// Setting the time of the system clock, which only the local runner's clock allows.
#[derive(Debug, thiserror::Error)]
#[error("the system clock cannot be set; only a shifted (local runner) clock can")]
pub struct NotSettable;

impl Clock {
    /// The system clock (every deployed function).
    pub fn system() -> Self {
        Self { offset_ms: None }
    }

    /// A clock that reads `start` now and advances in real time from there (the local
    /// runner's `FRONTLINE_NOW`, and tests pinned to the instant they were written for).
    pub fn shifted(start: DateTime<Utc>) -> Self {
        let offset = (start - Utc::now()).num_milliseconds();
        Self {
            offset_ms: Some(Arc::new(AtomicI64::new(offset))),
        }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now();
        match &self.offset_ms {
            None => now,
            Some(o) => now + Duration::milliseconds(o.load(Ordering::Relaxed)),
        }
    }

    /// Whether this clock is shifted (the local runner's) rather than the system's.
    pub fn is_shifted(&self) -> bool {
        self.offset_ms.is_some()
    }

    /// Moves a shifted clock so that it reads `at` now; it keeps advancing from there.
    /// Every clone sees the move at once.
    pub fn set(&self, at: DateTime<Utc>) -> Result<(), NotSettable> {
        let o = self.offset_ms.as_ref().ok_or(NotSettable)?;
        o.store((at - Utc::now()).num_milliseconds(), Ordering::Relaxed);
        Ok(())
    }

    /// Moves a shifted clock forward (or back, for a negative `by`).
    pub fn advance(&self, by: Duration) -> Result<(), NotSettable> {
        let o = self.offset_ms.as_ref().ok_or(NotSettable)?;
        o.fetch_add(by.num_milliseconds(), Ordering::Relaxed);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_clock_reads_the_system_time_and_cannot_be_set() {
        let c = Clock::system();
        let d = (c.now() - Utc::now()).num_milliseconds().abs();
        assert!(d < 1_000, "{d} ms");
        assert!(c.set(Utc::now()).is_err());
        assert!(c.advance(Duration::hours(1)).is_err());
        assert!(!c.is_shifted());
    }

    #[test]
    fn a_shifted_clock_starts_at_its_instant_advances_and_moves_for_every_clone() {
        let start: DateTime<Utc> = "2026-11-24T15:00:00Z".parse().unwrap();
        let c = Clock::shifted(start);
        let d = (c.now() - start).num_milliseconds();
        assert!((0..1_000).contains(&d), "{d} ms");
        let shared = c.clone();
        c.advance(Duration::days(1)).unwrap();
        let d = (shared.now() - (start + Duration::days(1))).num_milliseconds();
        assert!((0..1_000).contains(&d), "{d} ms");
        let later: DateTime<Utc> = "2027-03-13T12:00:00Z".parse().unwrap();
        shared.set(later).unwrap();
        let d = (c.now() - later).num_milliseconds();
        assert!((0..1_000).contains(&d), "{d} ms");
        assert!(c.is_shifted());
    }
}
