//! `notify`: SQS `notifications` → Twilio Messages API. Idempotent on the notification id
//! (`NOTIF#{event}#{channel}` is claimed before sending), opt-outs checked at send time,
//! 429/5xx retried through SQS (partial batch response), other 4xx failed for good
//! (21610 marks the number opted out). An emergency text to the owner is watched: a
//! delayed `CheckDelivery` job (the tenant's alert SLA) or an `Escalate` job (failure)
//! phones the owner instead (`frontline::notify::escalation`).

use aws_lambda_events::event::sqs::SqsEvent;
use aws_lambda_events::event::streams::SqsEventResponse;
use frontline::notify::escalation::{self, MAX_DELAY_S};
use frontline::notify::ledger;
use frontline::notify::{Audience, NotificationJob, Purpose};
use frontline::store::ClaimOutcome;
use frontline::twilio::TwilioError;
use frontline::{phone, Services};

/// Handles one SQS batch; failed message ids are returned for redelivery.
pub async fn handle(svc: &Services, event: SqsEvent) -> SqsEventResponse {
    let mut failures = Vec::new();
    for record in event.records {
        let id = record.message_id.clone().unwrap_or_default();
        let Some(job) = record
            .body
            .as_deref()
            .and_then(|b| serde_json::from_str::<NotificationJob>(b).ok())
        else {
            // A message we cannot read will never become readable: drop it (logged), so
            // it does not block the batch or loop until the DLQ.
            tracing::error!(message_id = %id, "unreadable notification job dropped");
            continue;
        };
        let done = match job.purpose {
            Purpose::Send => deliver(svc, &job).await,
            Purpose::CheckDelivery | Purpose::Escalate => escalate(svc, &job).await,
        };
        if let Err(e) = done {
            let receives = frontline::queue::receives(&record);
            let delay = backoff_s(svc.config.notify_retry_base_s, receives);
            tracing::warn!(event = %job.event_id, error = %e, receives, delay_s = delay, "notification will be retried");
            frontline::queue::retry_later(
                &svc.sqs,
                &svc.config.notifications_queue_url,
                &record,
                delay as u64,
            )
            .await;
            failures.push(serde_json::json!({"itemIdentifier": id}));
        }
    }
    serde_json::from_value(serde_json::json!({"batchItemFailures": failures}))
        .expect("response shape")
}

/// Customer texts one number may receive per hour (stops loops with auto-responders).
pub const PER_NUMBER_HOURLY_LIMIT: i64 = 10;

/// Seconds before the next attempt after `receives` failed ones: `base * 2^(receives-1)`,
/// at most 15 minutes.
pub fn backoff_s(base: u32, receives: u32) -> u32 {
    base.saturating_mul(1u32 << receives.saturating_sub(1).min(10))
        .min(escalation::MAX_DELAY_S)
}

/// Phones (and emails) the owner when the watched alert still needs it.
async fn escalate(svc: &Services, job: &NotificationJob) -> Result<(), String> {
    if escalation::needs_fallback(svc, job).await? {
        escalation::fall_back(svc, job).await
    } else {
        Ok(())
    }
}

/// Queues `job` for `notify` again, after `delay_s` seconds.
async fn enqueue(svc: &Services, job: &NotificationJob, delay_s: u32) -> Result<(), String> {
    svc.sqs
        .send_message()
        .queue_url(&svc.config.notifications_queue_url)
        .message_body(serde_json::to_string(job).map_err(|e| e.to_string())?)
        .delay_seconds(delay_s.min(MAX_DELAY_S) as i32)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(e).to_string())
}

/// The delivery-status callback URL for a notification: it names the notification, and
/// `w=1` marks an alert whose failure must be escalated. Twilio signs the whole URL.
fn status_callback(svc: &Services, job: &NotificationJob) -> Option<String> {
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
    job: &NotificationJob,
) -> Result<Option<&'static str>, String> {
    let m = &job.message;
    if job.kind != "emergency_alert" && job.kind != ledger::SECRET_KIND {
        let tenant = svc
            .store
            .tenant(&job.tenant_id)
            .await
            .map_err(|e| e.to_string())?;
        if tenant.is_some_and(|t| t.status == frontline::tenancy::TenantStatus::Lockdown) {
            return Ok(Some("tenant in lockdown"));
        }
    }
    if m.audience != Audience::Customer {
        return Ok(None);
    }
    if svc
        .store
        .is_opted_out(&job.tenant_id, &m.to)
        .await
        .map_err(|e| e.to_string())?
    {
        return Ok(Some("recipient opted out"));
    }
    if !svc
        .store
        .take_send_allowance(
            &job.tenant_id,
            &m.to,
            PER_NUMBER_HOURLY_LIMIT,
            svc.clock.now(),
        )
        .await
        .map_err(|e| e.to_string())?
    {
        tracing::warn!(event = %job.event_id, to = %phone::mask(&m.to), "per-number limit reached; text suppressed");
        return Ok(Some("per-number hourly limit reached"));
    }
    Ok(None)
}

async fn deliver(svc: &Services, job: &NotificationJob) -> Result<(), String> {
    let channel = job.channel_key();
    let m = &job.message;
    let unconfirmed_since = match ledger::claim(svc, job, &channel, &job.kind).await? {
        ClaimOutcome::Done => return Ok(()),
        ClaimOutcome::Claimed => None,
        ClaimOutcome::ClaimedAfterUnconfirmed { since } => Some(since),
    };
    if let (Some(since), "sms") = (unconfirmed_since, m.channel.as_str()) {
        // An earlier attempt went out unanswered: if Twilio has the text, it was sent.
        let creds = svc.twilio_credentials().await.map_err(|e| e.to_string())?;
        let found = svc
            .twilio
            .find_message(
                &creds,
                &m.from,
                &m.to,
                &m.body,
                since - frontline::notify::CLOCK_SLACK,
            )
            .await
            .map_err(|e| e.to_string());
        if let Some(sent) = found? {
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
    let creds = svc.twilio_credentials().await.map_err(|e| e.to_string())?;
    let callback = status_callback(svc, job);
    match svc
        .twilio
        .send_sms(&creds, &m.from, &m.to, &m.body, callback.as_deref())
        .await
    {
        Ok(sent) => {
            tracing::info!(event = %job.event_id, to = %phone::mask(&m.to), sid = %sent.sid, "sms sent");
            confirm_sent(svc, job, &channel, &sent.sid).await
        }
        Err(TwilioError::Transient(e)) => {
            let _ = ledger::record(svc, job, &channel, "retry", None, Some(&e)).await;
            Err(e)
        }
        Err(TwilioError::Unconfirmed(e)) => {
            // The next attempt looks the text up before sending (see above).
            let _ = ledger::record(svc, job, &channel, "unconfirmed", None, Some(&e)).await;
            Err(e)
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
    }
}

/// Records a text Twilio accepted (SID `sid`) and, for an owner's emergency alert, queues
/// the delivery check that phones the owner if it is not delivered within the SLA.
async fn confirm_sent(
    svc: &Services,
    job: &NotificationJob,
    channel: &str,
    sid: &str,
) -> Result<(), String> {
    if job.is_owner_emergency() {
        let sla = match svc.store.tenant(&job.tenant_id).await {
            Ok(Some(t)) => t.emergency.alert_sla_s,
            _ => 60,
        };
        if let Err(e) = enqueue(svc, &job.with_purpose(Purpose::CheckDelivery), sla).await {
            tracing::error!(event = %job.event_id, error = %e, "could not schedule the delivery check");
        }
    }
    ledger::record(svc, job, channel, "sent", Some(sid), None).await
}

/// An email job (password resets): the body's first line is the subject. SES throttling
/// is retried through the queue; a rejection is recorded as failed.
async fn deliver_email(svc: &Services, job: &NotificationJob, channel: &str) -> Result<(), String> {
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
        Err(frontline::email::EmailError::Transient(e)) => {
            let _ = ledger::record(svc, job, channel, "retry", None, Some(&e)).await;
            Err(e)
        }
        Err(frontline::email::EmailError::Permanent(e)) => {
            tracing::error!(event = %job.event_id, error = %e, "email rejected");
            ledger::record(svc, job, channel, "failed", None, Some(&e)).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_s;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_s(10, 1), 10);
        assert_eq!(backoff_s(10, 2), 20);
        assert_eq!(backoff_s(10, 4), 80);
        assert_eq!(backoff_s(10, 30), 900);
    }
}
