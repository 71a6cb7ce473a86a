//! Owner alerts that must arrive. An emergency text to the owner is watched: if Twilio
//! rejects it, reports it `undelivered`/`failed`, or has not reported it `delivered`
//! within the tenant's alert SLA, the owner is phoned with the alert read aloud (Twilio
//! Calls API with inline TwiML) and, when the tenant has an owner email and an SES sender
//! is configured, emailed. The call (`voice-owner-N`) and the email (`email-owner-N`) are
//! notifications of their own, so each goes out at most once however many triggers fire.

use super::{ledger, NotifyError};
use crate::email::EmailError;
use crate::notify::{delivery_rank, NotificationMessage, Purpose};
use crate::store::{ClaimOutcome, NotificationRef, StoreError};
use crate::twilio::{TwilioError, Twiml, Verb};
use crate::Services;

/// The channel key of the fallback call for the job's message.
pub fn call_channel(job: &NotificationMessage) -> String {
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
pub async fn needs_fallback(svc: &Services, job: &NotificationMessage) -> Result<bool, StoreError> {
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
        .await?
        .map(|n| n.status);
    Ok(
        !matches!(status.as_deref(), Some(s) if delivery_rank(s) >= 3 && s != "undelivered" && s != "failed" && s != "canceled"),
    )
}

/// Every fallback the tenant has: the phone call, then the email. `Err` (worth a retry)
/// when either failed for now; the ledger keeps a retry from repeating the one that
/// already went out.
pub async fn fall_back(svc: &Services, job: &NotificationMessage) -> Result<(), NotifyError> {
    let call = call_owner(svc, job).await;
    let email = email_owner(svc, job).await;
    call.and(email)
}

/// The email form of the alert's job: same event and index, `email` channel, the owner's
/// address. `None` when the tenant has no owner email.
async fn email_job(
    svc: &Services,
    job: &NotificationMessage,
) -> Result<Option<NotificationMessage>, StoreError> {
    let tenant = svc.store.tenant(&job.tenant_id).await?;
    let Some(to) = tenant.and_then(|t| t.contacts.owner_email) else {
        return Ok(None);
    };
    let mut email = job.clone();
    email.message.channel = "email".into();
    email.message.to = to;
    Ok(Some(email))
}

/// Emails the owner the alert, once (see [`fall_back`]).
pub async fn email_owner(svc: &Services, job: &NotificationMessage) -> Result<(), NotifyError> {
    let Some(from) = svc.config.alert_email_from.as_deref() else {
        return Ok(());
    };
    let Some(email) = email_job(svc, job).await? else {
        return Ok(());
    };
    let channel = email.channel_key();
    // SES has no way to look a message up, so a retry after an unconfirmed send may
    // email twice: better than no email about an emergency.
    if ledger::claim(svc, &email, &channel, "emergency_alert_email").await? == ClaimOutcome::Done {
        return Ok(());
    }
    let subject = "Frontline emergency alert";
    let text = format!(
        "{}\n\nThis alert could not be confirmed as delivered to {} by text, so it was also phoned and emailed.",
        email.message.body,
        crate::phone::mask(&job.message.to)
    );
    match svc
        .email
        .send(from, &email.message.to, subject, &text)
        .await
    {
        Ok(id) => {
            tracing::warn!(event = %job.event_id, "owner alert escalated to email");
            ledger::record(svc, &email, &channel, "sent", Some(&id), None).await
        }
        Err(EmailError::Permanent(e)) => {
            tracing::error!(event = %job.event_id, error = %e, "owner alert email failed permanently");
            ledger::record(svc, &email, &channel, "failed", None, Some(&e)).await
        }
        Err(e) => Err(ledger::retrying(svc, &email, &channel, e).await),
    }
}

/// Phones the owner with the alert, once: a retry after a request that went unanswered
/// looks the call up in Twilio's Calls list first. `Err` is worth a retry (the SQS message
/// comes back); a permanent Twilio refusal is recorded and not retried.
pub async fn call_owner(svc: &Services, job: &NotificationMessage) -> Result<(), NotifyError> {
    let channel = call_channel(job);
    let m = &job.message;
    let unconfirmed_since = match ledger::claim(svc, job, &channel, "emergency_alert_call").await? {
        ClaimOutcome::Done => return Ok(()),
        ClaimOutcome::Claimed => None,
        ClaimOutcome::ClaimedAfterUnconfirmed { since } => Some(since),
    };
    let creds = svc.twilio_credentials().await?;
    if let Some(since) = unconfirmed_since {
        // An earlier attempt went out unanswered: if Twilio has a call to the owner from
        // this number since then, it is ours, and the owner is not rung twice.
        let found = svc
            .twilio
            .find_call(&creds, &m.from, &m.to, since - crate::notify::CLOCK_SLACK)
            .await?;
        if let Some(call) = found {
            tracing::warn!(event = %job.event_id, call_sid = %call.sid, "an unconfirmed owner alert call had been placed; not calling again");
            return ledger::record(svc, job, &channel, "sent", Some(&call.sid), None).await;
        }
    }
    match svc
        .twilio
        .create_call(&creds, &m.from, &m.to, &call_twiml(&m.body))
        .await
    {
        Ok(call) => {
            tracing::warn!(event = %job.event_id, call_sid = %call.sid, "owner alert escalated to a phone call");
            ledger::record(svc, job, &channel, "sent", Some(&call.sid), None).await
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
        Err(e) => Err(ledger::retrying(svc, job, &channel, e).await),
    }
}
