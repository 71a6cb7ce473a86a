//! `notify`: SQS `notifications` → Twilio Messages API. Idempotent on the notification id
//! (`NOTIF#{event}#{channel}` is claimed before sending), opt-outs checked at send time,
//! 429/5xx retried through SQS (partial batch response), other 4xx failed for good
//! (21610 marks the number opted out).

use aws_lambda_events::event::sqs::SqsEvent;
use aws_lambda_events::event::streams::SqsEventResponse;
use chrono::Utc;
use frontline::notify::{Audience, NotificationJob};
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
        if let Err(e) = deliver(svc, &job).await {
            tracing::warn!(event = %job.event_id, error = %e, "notification will be retried");
            failures.push(serde_json::json!({"itemIdentifier": id}));
        }
    }
    serde_json::from_value(serde_json::json!({"batchItemFailures": failures}))
        .expect("response shape")
}

async fn deliver(svc: &Services, job: &NotificationJob) -> Result<(), String> {
    let channel = job.channel_key();
    let m = &job.message;
    let claim = svc
        .store
        .claim_notification(
            &job.tenant_id,
            &job.event_id,
            &channel,
            &m.to,
            &m.body,
            Utc::now(),
        )
        .await
        .map_err(|e| e.to_string())?;
    if claim == ClaimOutcome::Done {
        return Ok(());
    }
    if m.audience == Audience::Customer
        && svc
            .store
            .is_opted_out(&job.tenant_id, &m.to)
            .await
            .map_err(|e| e.to_string())?
    {
        svc.store
            .finish_notification(
                &job.tenant_id,
                &job.event_id,
                &channel,
                "suppressed",
                None,
                Some("recipient opted out"),
            )
            .await
            .map_err(|e| e.to_string())?;
        return Ok(());
    }
    let creds = svc.twilio_credentials().await.map_err(|e| e.to_string())?;
    let callback = svc
        .config
        .public_base_url
        .as_ref()
        .map(|b| format!("{}/twilio/sms/status", b.trim_end_matches('/')));
    match svc
        .twilio
        .send_sms(&creds, &m.from, &m.to, &m.body, callback.as_deref())
        .await
    {
        Ok(sent) => {
            tracing::info!(event = %job.event_id, to = %phone::mask(&m.to), sid = %sent.sid, "sms sent");
            svc.store
                .finish_notification(
                    &job.tenant_id,
                    &job.event_id,
                    &channel,
                    "sent",
                    Some(&sent.sid),
                    None,
                )
                .await
                .map_err(|e| e.to_string())
        }
        Err(TwilioError::Transient(e)) => {
            let _ = svc
                .store
                .finish_notification(
                    &job.tenant_id,
                    &job.event_id,
                    &channel,
                    "retry",
                    None,
                    Some(&e),
                )
                .await;
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
                    .set_opt_out(&job.tenant_id, &m.to, true, Utc::now())
                    .await;
            }
            let err = format!("HTTP {status} code {code:?}: {message}");
            tracing::error!(event = %job.event_id, to = %phone::mask(&m.to), error = %err, "sms failed permanently");
            svc.store
                .finish_notification(
                    &job.tenant_id,
                    &job.event_id,
                    &channel,
                    "failed",
                    None,
                    Some(&err),
                )
                .await
                .map_err(|e| e.to_string())
        }
    }
}
