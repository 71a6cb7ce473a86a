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
}

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
        }
    }

    /// Whether the speaker may change jobs (owners and admins; staff only read).
    pub fn may_change(&self) -> bool {
        matches!(self.role, Some(Role::Owner | Role::Admin))
    }

    /// Applies a yes (`true`) or no to the pending change.
    pub fn confirm(&mut self, yes: bool) -> Confirmation {
        let Some(p) = self.pending.as_mut() else {
            return Confirmation::Dropped;
        };
        if !yes {
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
        let p = Pending {
            change: PendingChange::Cancel,
            appointment_id: "ap1".into(),
            described: "the 3 PM".into(),
            customer: "Jane".into(),
            confirmations: 0,
        };
        s.pending = Some(p.clone());
        assert_eq!(s.confirm(true), Confirmation::AskAgain);
        assert_eq!(s.confirm(true), Confirmation::Go);
        s.pending = Some(p);
        assert_eq!(s.confirm(true), Confirmation::AskAgain);
        assert_eq!(s.confirm(false), Confirmation::Dropped);
        assert!(s.pending.is_none());
        assert!(!LineSession::signed_in("s@x", Role::Staff).may_change());
    }
}
