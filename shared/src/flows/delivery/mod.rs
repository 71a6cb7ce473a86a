//! Delivering notifications: one queue message ([`NotificationMessage`]) becomes one text
//! (Twilio Messages API) or email (SES), at most once. The notification id
//! (`NOTIF#{event}#{channel}`) is claimed before sending ([`ledger`]); opt-outs, lockdown
//! and the per-number limit are checked at send time; 429/5xx come back through SQS
//! ([`NotifyError`] is worth a retry), other 4xx fail for good (21610 marks the number
//! opted out). An emergency text to the owner is watched ([`escalation`]): a delayed
//! `CheckDelivery` message (the tenant's alert SLA), an `Escalate` one (failure) or an
//! undelivered status callback ([`status`]) phones the owner instead.

pub mod escalation;
pub mod ledger;
pub mod status;

use crate::email::EmailError;
use crate::notify::{Audience, NotificationMessage, Purpose};
use crate::queue::{QueueError, Retryable};
use crate::secrets::SecretError;
use crate::store::{ClaimOutcome, StoreError};
use crate::twilio::TwilioError;
use crate::{phone, Services};

/// Customer texts one number may receive per hour (stops loops with auto-responders).
pub const PER_NUMBER_HOURLY_LIMIT: i64 = 10;

/// A send that did not finish and is worth another attempt (the queue brings the message
/// back). Permanent refusals are not errors: they are recorded as `failed`.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("notification ledger unavailable")]
    Store(#[from] StoreError),
    #[error("Twilio credentials unavailable")]
    Secret(#[from] SecretError),
    #[error("Twilio did not send")]
    Twilio(#[from] TwilioError),
    #[error("email not sent")]
    Email(#[from] EmailError),
    #[error("could not queue the follow-up")]
    Queue(#[from] QueueError),
}

impl Retryable for NotifyError {}

/// Does what one queue message asks: send it, or check on (or escalate) a watched alert.
pub async fn handle(svc: &Services, message: &NotificationMessage) -> Result<(), NotifyError> {
    // Boxed: the Twilio, SES and DynamoDB futures nest deeply enough to overflow the
    // compiler's layout depth in the Lambda's main.
    match message.purpose {
        Purpose::Send => Box::pin(deliver(svc, message)).await,
        Purpose::CheckDelivery | Purpose::Escalate => {
            if escalation::needs_fallback(svc, message).await? {
                Box::pin(escalation::fall_back(svc, message)).await
            } else {
                Ok(())
            }
        }
    }
}

/// Queues `message` for `notify` again, after `delay_s` seconds.
pub(crate) async fn enqueue(
    svc: &Services,
    message: &NotificationMessage,
    delay_s: u32,
) -> Result<(), QueueError> {
    crate::queue::send_one(
        &svc.sqs,
        &svc.config.notifications_queue_url,
        message,
        delay_s,
    )
    .await
}

/// The delivery-status callback URL for a notification: it names the notification, and
/// `w=1` marks an alert whose failure must be escalated. Twilio signs the whole URL.
fn status_callback(svc: &Services, job: &NotificationMessage) -> Option<String> {
    let base = svc.config.public_base_url.as_ref()?;
    let watched = if job.is_owner_emergency() { "1" } else { "0" };
    let q = serde_urlencoded::to_string([
        ("n", job.event_id.as_str()),
        ("c", job.channel_key().as_str()),
        ("w", watched),
    ])
    .ok()?;
    Some(format!(
        "{}/twilio/sms/status?{q}",
        base.trim_end_matches('/')
    ))
}

/// Why this message must not go out, if it must not: the tenant is in lockdown (under
/// abuse, only emergency alerts and account emails go out), or, to a customer, the number
/// opted out or reached its hourly limit.
async fn suppression(
    svc: &Services,
    job: &NotificationMessage,
) -> Result<Option<&'static str>, StoreError> {
    let m = &job.message;
    if job.kind != "emergency_alert" && job.kind != ledger::SECRET_KIND {
        let tenant = svc.store.tenant(&job.tenant_id).await?;
        if tenant.is_some_and(|t| t.status == crate::tenancy::TenantStatus::Lockdown) {
            return Ok(Some("tenant in lockdown"));
        }
    }
    if m.audience != Audience::Customer {
        return Ok(None);
    }
    if svc.store.is_opted_out(&job.tenant_id, &m.to).await? {
        return Ok(Some("recipient opted out"));
    }
    let now = svc.clock.now();
    if !svc
        .store
        .take_send_allowance(&job.tenant_id, &m.to, PER_NUMBER_HOURLY_LIMIT, now)
        .await?
    {
        tracing::warn!(event = %job.event_id, to = %phone::mask(&m.to), "per-number limit reached; text suppressed");
        return Ok(Some("per-number hourly limit reached"));
    }
    Ok(None)
}

async fn deliver(svc: &Services, job: &NotificationMessage) -> Result<(), NotifyError> {
    let channel = job.channel_key();
    let m = &job.message;
    let unconfirmed_since = match ledger::claim(svc, job, &channel, &job.kind).await? {
        ClaimOutcome::Done => return Ok(()),
        ClaimOutcome::Claimed => None,
        ClaimOutcome::ClaimedAfterUnconfirmed { since } => Some(since),
    };
    if let (Some(since), "sms") = (unconfirmed_since, m.channel.as_str()) {
        // An earlier attempt went out unanswered: if Twilio has the text, it was sent.
        let creds = svc.twilio_credentials().await?;
        let since = since - crate::notify::CLOCK_SLACK;
        let found = svc
            .twilio
            .find_message(&creds, &m.from, &m.to, &m.body, since)
            .await?;
        if let Some(sent) = found {
            tracing::info!(event = %job.event_id, sid = %sent.sid, "an unconfirmed send had gone out; not sending again");
            return confirm_sent(svc, job, &channel, &sent.sid).await;
        }
    }
    if let Some(reason) = suppression(svc, job).await? {
        return ledger::record(svc, job, &channel, "suppressed", None, Some(reason)).await;
    }
    if m.channel == "email" {
        return deliver_email(svc, job, &channel).await;
    }
    let creds = svc.twilio_credentials().await?;
    let callback = status_callback(svc, job);
    let sent = svc
        .twilio
        .send_sms(&creds, &m.from, &m.to, &m.body, callback.as_deref())
        .await;
    match sent {
        Ok(sent) => {
            tracing::info!(event = %job.event_id, to = %phone::mask(&m.to), sid = %sent.sid, "sms sent");
            if let (true, Purpose::Send, Some(at)) =
                (job.is_owner_emergency(), job.purpose, job.event_at)
            {
                let ms = (svc.clock.now() - at).num_milliseconds().max(0);
                crate::telemetry::alert_sent(ms as f64, &job.event_id);
            }
            confirm_sent(svc, job, &channel, &sent.sid).await
        }
        Err(TwilioError::Permanent {
            status,
            code,
            message,
        }) => {
            if code == Some(21610) {
                let _ = svc
                    .store
                    .set_opt_out(&job.tenant_id, &m.to, true, svc.clock.now())
                    .await;
            }
            let err = format!("HTTP {status} code {code:?}: {message}");
            tracing::error!(event = %job.event_id, to = %phone::mask(&m.to), error = %err, "sms failed permanently");
            if job.is_owner_emergency() {
                let esc = job.with_purpose(Purpose::Escalate);
                if escalation::fall_back(svc, &esc).await.is_err() {
                    // Retry through the queue (the ledger keeps each fallback to one send).
                    enqueue(svc, &esc, 0).await?;
                }
            }
            ledger::record(svc, job, &channel, "failed", None, Some(&err)).await
        }
        // The next attempt of an unconfirmed one looks the text up before sending (above).
        Err(e) => Err(ledger::retrying(svc, job, &channel, e).await),
    }
}

/// Records a text Twilio accepted (SID `sid`) and, for an owner's emergency alert, queues
/// the delivery check that phones the owner if it is not delivered within the SLA.
async fn confirm_sent(
    svc: &Services,
    job: &NotificationMessage,
    channel: &str,
    sid: &str,
) -> Result<(), NotifyError> {
    if job.is_owner_emergency() {
        let sla = match svc.store.tenant(&job.tenant_id).await {
            Ok(Some(t)) => t.emergency.alert_sla_s,
            _ => 60,
        };
        if let Err(e) = enqueue(svc, &job.with_purpose(Purpose::CheckDelivery), sla).await {
            tracing::error!(event = %job.event_id, error = %crate::telemetry::chain(&e), "could not schedule the delivery check");
        }
    }
    ledger::record(svc, job, channel, "sent", Some(sid), None).await
}

/// An email message (password resets): the body's first line is the subject. SES
/// throttling is retried through the queue; a rejection is recorded as failed.
async fn deliver_email(
    svc: &Services,
    job: &NotificationMessage,
    channel: &str,
) -> Result<(), NotifyError> {
    let m = &job.message;
    let from = svc
        .config
        .alert_email_from
        .as_deref()
        .filter(|f| !f.is_empty())
        .unwrap_or(m.from.as_str());
    let (subject, text) = m
        .body
        .split_once('\n')
        .unwrap_or(("Frontline", m.body.as_str()));
    match svc
        .email
        .send(from, &m.to, subject, text.trim_start())
        .await
    {
        Ok(id) => ledger::record(svc, job, channel, "sent", Some(&id), None).await,
        Err(EmailError::Permanent(e)) => {
            tracing::error!(event = %job.event_id, error = %e, "email rejected");
            ledger::record(svc, job, channel, "failed", None, Some(&e)).await
        }
        Err(e) => Err(ledger::retrying(svc, job, channel, e).await),
    }
}
