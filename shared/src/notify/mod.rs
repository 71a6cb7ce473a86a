//! Notifications: outbox events (written with the change that causes them), the SQS jobs
//! `fanout` makes of them (one per recipient and channel), and the texts themselves.

mod events;
mod keywords;

pub use events::{events_for_turn, missed_call_event};
pub use keywords::{keyword, Keyword};

use serde::{Deserialize, Serialize};

/// Who a message is for: opt-outs apply to customers, never to the owner's alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Owner,
    Customer,
}

/// One message to send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboundMessage {
    /// `sms` (email and voice come later).
    pub channel: String,
    pub audience: Audience,
    pub to: String,
    pub from: String,
    pub body: String,
}

/// An outbox event: stored under `OUTBOX#`, streamed to `fanout`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEvent {
    /// Unique and deterministic for the change (`{CallSid}-{seq}-{n}`), so a replayed
    /// change can never create a second event.
    pub id: String,
    pub tenant_id: String,
    /// `booking_confirmed`, `emergency_alert`, `message_taken`, …
    pub kind: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub messages: Vec<OutboundMessage>,
}

/// One SQS message body for `notify`: a single recipient and channel of one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationJob {
    pub event_id: String,
    pub tenant_id: String,
    pub kind: String,
    /// Position of the message in its event: with the channel, names the notification.
    pub index: usize,
    pub message: OutboundMessage,
}

impl NotificationJob {
    /// The notification's channel key: `sms-owner-0`.
    pub fn channel_key(&self) -> String {
        let aud = match self.message.audience {
            Audience::Owner => "owner",
            Audience::Customer => "customer",
        };
        format!("{}-{aud}-{}", self.message.channel, self.index)
    }
}

/// Splits an event into one job per message.
pub fn jobs(event: &OutboxEvent) -> Vec<NotificationJob> {
    event
        .messages
        .iter()
        .enumerate()
        .map(|(index, m)| NotificationJob {
            event_id: event.id.clone(),
            tenant_id: event.tenant_id.clone(),
            kind: event.kind.clone(),
            index,
            message: m.clone(),
        })
        .collect()
}
