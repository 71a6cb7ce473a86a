//! Twilio's delivery status callbacks for the texts `notify` sent (Twilio "Track the
//! message status of outbound messages"): statuses only move forward (duplicates and
//! out-of-order callbacks change nothing); error 21610 (the recipient replied STOP) opts
//! the number out; an undelivered or failed emergency text to the owner queues the
//! fallback phone call.

use super::enqueue;
use crate::flows::conversation::tenant_for;
use crate::notify::{Audience, NotificationMessage, OutboundMessage, Purpose};
use crate::queue::QueueError;
use crate::store::{NotificationRef, StoreError};
use crate::Services;

/// One status callback, read from Twilio's form and the URL the sender signed.
#[derive(Debug, Clone, Copy)]
pub struct StatusReport<'a> {
    /// `MessageSid`.
    pub sid: &'a str,
    /// `MessageStatus` (`queued`, `sent`, `delivered`, `undelivered`, `failed`, …).
    pub status: &'a str,
    /// `From`: the tenant's number, which names the tenant.
    pub from: &'a str,
    /// `To`: the recipient.
    pub to: &'a str,
    /// `ErrorCode`, when Twilio gave one.
    pub error_code: Option<&'a str>,
    /// The notification's event id and channel key (`n`, `c`).
    pub event_id: &'a str,
    pub channel: &'a str,
    /// `w=1`: an owner's emergency alert, whose failure must be escalated.
    pub watched: bool,
}

/// Why a callback was not taken in (Twilio retries it).
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    #[error("number is not routed")]
    NotRouted,
    #[error("storage unavailable")]
    Store(#[from] StoreError),
    #[error("could not queue the owner's fallback call")]
    Queue(#[from] QueueError),
}

/// Takes one status callback in.
pub async fn reported(svc: &Services, r: StatusReport<'_>) -> Result<(), StatusError> {
    let tenant = tenant_for(svc, r.from)
        .await?
        .ok_or(StatusError::NotRouted)?;
    let notification = NotificationRef {
        tenant_id: &tenant.id,
        event_id: r.event_id,
        channel: r.channel,
    };
    let now = svc.clock.now();
    let moved = svc
        .store
        .record_delivery_status(notification, r.status, r.sid, r.error_code, now)
        .await?;
    if r.error_code == Some("21610") {
        // The recipient has texted STOP to this number at the carrier: honour it here too.
        let _ = svc.store.set_opt_out(&tenant.id, r.to, true, now).await;
    }
    if !moved || !matches!(r.status, "undelivered" | "failed") || !r.watched {
        return Ok(());
    }
    let index = r
        .channel
        .rsplit('-')
        .next()
        .and_then(|i| i.parse().ok())
        .unwrap_or(0);
    let body = svc
        .store
        .notification(notification)
        .await
        .ok()
        .flatten()
        .map(|n| n.body)
        .unwrap_or_else(|| {
            format!(
                "{}: an emergency alert could not be texted to you. Check your Frontline dashboard.",
                tenant.name
            )
        });
    let escalate = NotificationMessage {
        event_id: r.event_id.to_string(),
        tenant_id: tenant.id.clone(),
        kind: "emergency_alert".into(),
        index,
        message: OutboundMessage {
            channel: "sms".into(),
            audience: Audience::Owner,
            to: tenant.contacts.owner_cell.clone(),
            from: tenant.phone.clone(),
            body,
        },
        purpose: Purpose::Escalate,
        event_at: None,
    };
    enqueue(svc, &escalate, 0).await?;
    crate::telemetry::emergency_alert_failed("sms");
    tracing::warn!(
        event = r.event_id,
        "owner alert undelivered; fallback call queued"
    );
    Ok(())
}
