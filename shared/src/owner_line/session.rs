//! Who is on the owner's line and what waits for their second "yes". Stored between turns
//! (by `store`, keyed by the CallSid or the texting number).

use crate::tenancy::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where the session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// A caller claimed the owner's line from a number that is nobody's verified cell:
    /// waiting for a PIN (`tries` wrong ones so far on this call).
    AwaitingPin { tries: u8 },
    /// Signed in as `email`.
    Ready,
}

/// A change to a job that needs two "yes" answers before it happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PendingChange {
    Cancel,
    /// Move to this start (UTC), same technician and length.
    Move {
        start: DateTime<Utc>,
    },
}

/// The change, the job it is about, and how many times it has been confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub change: PendingChange,
    pub appointment_id: String,
    /// The job as it was read out ("the 3 PM, Jane Doe, faucet repair").
    pub described: String,
    /// The customer's first name, for "Jane will get a text".
    pub customer: String,
    pub confirmations: u8,
    /// When it was read back: a change not confirmed within [`PENDING_MINUTES`] lapses
    /// (one stored without it has lapsed).
    #[serde(default)]
    pub proposed_at: DateTime<Utc>,
}

/// Minutes a read-back change waits for its two "yes" answers.
pub const PENDING_MINUTES: i64 = 5;

/// What one "yes" or "no" to a pending change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    /// Confirmed once: ask again.
    AskAgain,
    /// Confirmed twice: do it.
    Go,
    /// Refused: nothing changes.
    Dropped,
}

/// One owner's-line conversation (a call, or the texts from one cell).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineSession {
    pub stage: Stage,
    /// The login speaking (after a verified cell or a PIN).
    pub email: Option<String>,
    pub role: Option<Role>,
    /// What waits for confirmation.
    pub pending: Option<Pending>,
    /// The number speaking (E.164 or Twilio's placeholder): where "text me" goes.
    #[serde(default)]
    pub caller: String,
    /// The last text answered (a redelivered `MessageSid` gets the same answer).
    #[serde(default)]
    pub last_message_sid: Option<String>,
    /// Whether the speaker proved who they are beyond caller ID: a PIN, or a call whose
    /// caller ID the carrier attested in full (STIR/SHAKEN `A`). Only then may jobs change.
    #[serde(default)]
    pub attested: bool,
}

/// Wrong PINs a call may give before it is hung up on (the shop-wide lock is counted in
/// `store`).
pub const PIN_TRIES_PER_CALL: u8 = 5;

impl LineSession {
    /// A session signed in as `email` with `role`.
    pub fn signed_in(email: &str, role: Role) -> Self {
        LineSession {
            stage: Stage::Ready,
            email: Some(email.to_string()),
            role: Some(role),
            pending: None,
            caller: String::new(),
            last_message_sid: None,
            attested: false,
        }
    }

    /// A session waiting for a PIN.
    pub fn awaiting_pin() -> Self {
        LineSession {
            stage: Stage::AwaitingPin { tries: 0 },
            email: None,
            role: None,
            pending: None,
            caller: String::new(),
            last_message_sid: None,
            attested: false,
        }
    }

    /// Whether the speaker may change jobs: an owner or admin (staff only read) who
    /// proved who they are ([`LineSession::attested`]).
    pub fn may_change(&self) -> bool {
        self.attested && matches!(self.role, Some(Role::Owner | Role::Admin))
    }

    /// Applies a yes (`true`) or no to the pending change at `now`; a lapsed change is
    /// dropped.
    pub fn confirm(&mut self, yes: bool, now: DateTime<Utc>) -> Confirmation {
        let Some(p) = self.pending.as_mut() else {
            return Confirmation::Dropped;
        };
        if !yes || now - p.proposed_at > chrono::Duration::minutes(PENDING_MINUTES) {
            self.pending = None;
            return Confirmation::Dropped;
        }
        p.confirmations += 1;
        if p.confirmations >= 2 {
            Confirmation::Go
        } else {
            Confirmation::AskAgain
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_needs_two_yeses_and_one_no_drops_it() {
        let mut s = LineSession::signed_in("o@x", Role::Owner);
        let now = Utc::now();
        let p = Pending {
            change: PendingChange::Cancel,
            appointment_id: "ap1".into(),
            described: "the 3 PM".into(),
            customer: "Jane".into(),
            confirmations: 0,
            proposed_at: now,
        };
        s.pending = Some(p.clone());
        assert_eq!(s.confirm(true, now), Confirmation::AskAgain);
        assert_eq!(s.confirm(true, now), Confirmation::Go);
        s.pending = Some(p.clone());
        assert_eq!(s.confirm(true, now), Confirmation::AskAgain);
        assert_eq!(s.confirm(false, now), Confirmation::Dropped);
        assert!(s.pending.is_none());
        // A change left waiting lapses.
        s.pending = Some(p);
        let later = now + chrono::Duration::minutes(PENDING_MINUTES + 1);
        assert_eq!(s.confirm(true, later), Confirmation::Dropped);
        // Caller ID alone, or a staff login, changes nothing.
        assert!(!s.may_change());
        s.attested = true;
        assert!(s.may_change());
        let mut staff = LineSession::signed_in("s@x", Role::Staff);
        staff.attested = true;
        assert!(!staff.may_change());
    }
}
