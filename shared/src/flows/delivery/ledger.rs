//! The notification ledger from a sender's side: claim `NOTIF#{event}#{channel}` before
//! sending (so a redelivered message never sends twice) and record what became of the
//! send.

use super::NotifyError;
use crate::email::EmailError;
use crate::notify::NotificationMessage;
use crate::store::{ClaimOutcome, NotificationRef, StoreError};
use crate::twilio::TwilioError;
use crate::Services;

fn reference<'a>(job: &'a NotificationMessage, channel: &'a str) -> NotificationRef<'a> {
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
    job: &NotificationMessage,
    channel: &str,
    kind: &str,
) -> Result<ClaimOutcome, StoreError> {
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
}

/// Records the outcome of a send on `channel`: `sent` (with Twilio's SID), `retry`,
/// `unconfirmed`, `failed` or `suppressed`, with the error if any.
pub async fn record(
    svc: &Services,
    job: &NotificationMessage,
    channel: &str,
    status: &str,
    sid: Option<&str>,
    error: Option<&str>,
) -> Result<(), NotifyError> {
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
        .map_err(NotifyError::from)
}

/// Records a send that will be tried again (`unconfirmed` when the provider may have it,
/// else `retry`, with the provider's words) and hands back the error for the queue.
pub async fn retrying(
    svc: &Services,
    job: &NotificationMessage,
    channel: &str,
    e: impl Into<NotifyError>,
) -> NotifyError {
    let e = e.into();
    let (status, detail) = match &e {
        NotifyError::Twilio(TwilioError::Unconfirmed(m)) => ("unconfirmed", m.clone()),
        NotifyError::Twilio(TwilioError::Transient(m))
        | NotifyError::Email(EmailError::Transient(m)) => ("retry", m.clone()),
        other => ("retry", crate::telemetry::chain(other)),
    };
    if let Err(not_recorded) = record(svc, job, channel, status, None, Some(&detail)).await {
        tracing::warn!(event = %job.event_id, error = %crate::telemetry::chain(&not_recorded), "attempt not recorded");
    }
    e
}
