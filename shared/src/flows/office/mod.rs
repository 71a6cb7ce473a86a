//! The office's work on its own records, from the dashboard and the API: customers
//! ([`customers`]), appointments ([`appointments`]: lifecycle, notes, the reschedule
//! rules), calls ([`calls`]), exports ([`exports`]), the notification audit
//! ([`notifications`]), the owner's day ([`day`]: Today,
//! the schedule, availability, callbacks, analytics), settings and privacy
//! ([`settings`]), and the Google Calendar connection ([`calendar`]). Each flow takes the
//! authenticated context (the tenant comes only from it) and parsed input, and answers a
//! serialisable view or a [`FlowError`](super::FlowError).

pub mod appointments;
pub mod calendar;
pub mod calls;
pub mod customers;
pub mod day;
pub mod exports;
pub mod notifications;
pub mod settings;
pub mod widget_keys;

use crate::tenancy::AuthContext;

/// The audit trail's actor for a signed-in user: `user:{id}`.
pub fn actor(ctx: &AuthContext) -> String {
    format!("user:{}", ctx.user)
}

/// A note as the office typed it: trimmed, `None` when blank.
fn note_text(note: Option<&str>) -> Option<&str> {
    note.map(str::trim).filter(|n| !n.is_empty())
}

/// Longest note, characters.
pub const MAX_NOTE_CHARS: usize = 2_000;
