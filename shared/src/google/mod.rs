//! Google Calendar: the OAuth 2.0 web-server flow, the Calendar API v3 REST client, and the
//! sealing of refresh tokens at rest. Google is never on the call path: `calendar-sync`
//! pushes jobs to Google and pulls the owner's busy times back into DynamoDB.
//!
//! Sources: "Using OAuth 2.0 for Web Server Applications"
//! (<https://developers.google.com/identity/protocols/oauth2/web-server>) and the Calendar
//! API reference (<https://developers.google.com/calendar/api/v3/reference>): `events.insert`,
//! `events.patch`, `events.delete`, `freebusy.query`.

mod client;
pub mod connect;
mod oauth;
pub mod seal;
pub mod sync;

pub use client::{
    BusyInterval, CalendarEvent, EventTime, GoogleClient, GoogleEndpoints, GoogleError,
};
pub use oauth::{pkce_challenge, OAuthApp, TokenGrant, SCOPES};

/// The event id Google will hold for one job: stable across reschedules (the job keeps it),
/// so a replayed insert is a 409 rather than a duplicate. Event ids may use base32hex
/// characters (`a`–`v`, `0`–`9`), 5 to 1024 of them; hex digits are a subset.
pub fn event_id(tenant_id: &str, job_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{tenant_id}\n{job_id}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("fl{}", &hex[..40])
}

#[cfg(test)]
mod tests {
    #[test]
    fn event_ids_are_base32hex_and_stable() {
        let a = super::event_id("bristol", "ap_1");
        assert_eq!(a, super::event_id("bristol", "ap_1"));
        assert_ne!(a, super::event_id("prairie", "ap_1"));
        assert_eq!(a.len(), 42);
        assert!(a.chars().all(|c| matches!(c, '0'..='9' | 'a'..='v')));
    }
}
