//! Owner alerts that must arrive. An emergency text to the owner is watched: if Twilio
//! rejects it, reports it `undelivered`/`failed`, or has not reported it `delivered`
//! within the tenant's alert SLA, the owner is phoned with the alert read aloud (Twilio
//! Calls API with inline TwiML). The call is its own notification (`voice-owner-N`), so
//! it is placed at most once however many triggers fire.

use super::{delivery_rank, ledger, NotificationJob, Purpose};
use crate::store::NotificationRef;
use crate::twilio::{TwilioError, Twiml, Verb};
use crate::Services;

/// Longest SQS delay (AWS limit), seconds.
pub const MAX_DELAY_S: u32 = 900;

/// The channel key of the fallback call for the job's message.
pub fn call_channel(job: &NotificationJob) -> String {
    format!("voice-owner-{}", job.index)
}

/// The words the owner hears: the alert, twice, so it survives a bad line.
pub fn call_twiml(alert: &str) -> String {
    let line = format!("Frontline emergency alert. {alert}");
    Twiml::new()
        .push(Verb::Say {
            text: line.clone(),
            language: "en-US".into(),
        })
        .push(Verb::Say {
            text: format!("Again. {line}"),
            language: "en-US".into(),
        })
        .push(Verb::Hangup)
        .render()
}

/// Whether the watched text needs the fallback now: for [`Purpose::Escalate`] always; for
/// [`Purpose::CheckDelivery`] unless it is delivered (or read).
pub async fn needs_call(svc: &Services, job: &NotificationJob) -> Result<bool, String> {
    if job.purpose == Purpose::Escalate {
        return Ok(true);
    }
    let status = svc
        .store
        .notification(NotificationRef {
            tenant_id: &job.tenant_id,
            event_id: &job.event_id,
            channel: &job.channel_key(),
        })
        .await
        .map_err(|e| e.to_string())?
        .map(|n| n.status);
    Ok(
        !matches!(status.as_deref(), Some(s) if delivery_rank(s) >= 3 && s != "undelivered" && s != "failed" && s != "canceled"),
    )
}

/// Phones the owner with the alert, once. `Err` is worth a retry (the SQS message comes
/// back); a permanent Twilio refusal is recorded and not retried.
pub async fn call_owner(svc: &Services, job: &NotificationJob) -> Result<(), String> {
    let channel = call_channel(job);
    let m = &job.message;
    if !ledger::claim(svc, job, &channel, "emergency_alert_call").await? {
        return Ok(());
    }
    let creds = svc.twilio_credentials().await.map_err(|e| e.to_string())?;
    match svc
        .twilio
        .create_call(&creds, &m.from, &m.to, &call_twiml(&m.body))
        .await
    {
        Ok(call) => {
            tracing::warn!(event = %job.event_id, call_sid = %call.sid, "owner alert escalated to a phone call");
            ledger::record(svc, job, &channel, "sent", Some(&call.sid), None).await
        }
        Err(TwilioError::Transient(e)) => {
            ledger::record(svc, job, &channel, "retry", None, Some(&e)).await?;
            Err(e)
        }
        Err(TwilioError::Permanent {
            status,
            code,
            message,
        }) => {
            let err = format!("HTTP {status} code {code:?}: {message}");
            tracing::error!(event = %job.event_id, error = %err, "owner alert call failed permanently");
            ledger::record(svc, job, &channel, "failed", None, Some(&err)).await
        }
    }
}
