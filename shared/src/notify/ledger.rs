//! The notification ledger from a sender's side: claim `NOTIF#{event}#{channel}` before
//! sending (so a redelivered job never sends twice) and record what became of the send.
//! Errors are strings: the SQS workers only log them and let the message come back.

use super::NotificationJob;
use crate::store::{ClaimOutcome, NotificationRef};
use crate::Services;

fn reference<'a>(job: &'a NotificationJob, channel: &'a str) -> NotificationRef<'a> {
    NotificationRef {
        tenant_id: &job.tenant_id,
        event_id: &job.event_id,
        channel,
    }
}

/// The notification kind whose body must never be stored.
pub const SECRET_KIND: &str = "password_reset";

/// Claims the job's message on `channel` under `kind`: [`ClaimOutcome::Done`] when it was
/// already sent (or another worker holds a live claim), and
/// [`ClaimOutcome::ClaimedAfterUnconfirmed`] when an earlier attempt may have reached the
/// provider.
pub async fn claim(
    svc: &Services,
    job: &NotificationJob,
    channel: &str,
    kind: &str,
) -> Result<ClaimOutcome, String> {
    let m = &job.message;
    // A reset link is a credential: the trail (readable by staff) keeps only its kind.
    let body = if job.kind == SECRET_KIND {
        "[password reset link]"
    } else {
        m.body.as_str()
    };
    svc.store
        .claim_notification(reference(job, channel), kind, &m.to, body, svc.clock.now())
        .await
        .map_err(|e| e.to_string())
}

/// Records the outcome of a send on `channel`: `sent` (with Twilio's SID), `retry`,
/// `unconfirmed`, `failed` or `suppressed`, with the error if any.
pub async fn record(
    svc: &Services,
    job: &NotificationJob,
    channel: &str,
    status: &str,
    sid: Option<&str>,
    error: Option<&str>,
) -> Result<(), String> {
    if status == "failed" && job.is_owner_emergency() {
        crate::telemetry::emergency_alert_failed(channel);
    }
    svc.store
        .finish_notification(
            &job.tenant_id,
            &job.event_id,
            channel,
            crate::store::SendResult { status, sid, error },
            svc.clock.now(),
        )
        .await
        .map_err(|e| e.to_string())
}
