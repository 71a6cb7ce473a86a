//! Notifications: outbox events (written with the change that causes them), the SQS
//! messages `fanout` makes of them (one per recipient and channel), and the texts
//! themselves. Sending them is `flows::delivery`.

mod events;
pub mod keywords;

pub use events::{events_for_turn, missed_call_event};
pub use keywords::{keyword, whole_body, Keyword};

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
    /// The appointment a booking, move or cancellation is about: `fanout` also sends it to
    /// the `integrations` queue for the calendar sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<AppointmentRef>,
}

/// Names one appointment item (its key is the start and the id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentRef {
    pub id: String,
    pub start: chrono::DateTime<chrono::Utc>,
}

/// What `notify` does with a message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Send the message.
    #[default]
    Send,
    /// The owner's emergency text: phone the owner unless it has been delivered by now
    /// (sent with an SQS delay of the tenant's alert SLA).
    CheckDelivery,
    /// The owner's emergency text failed or came back undelivered: phone the owner now.
    Escalate,
}

/// One SQS message body for `notify`: a single recipient and channel of one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationMessage {
    pub event_id: String,
    pub tenant_id: String,
    pub kind: String,
    /// Position of the message in its event: with the channel, names the notification.
    pub index: usize,
    pub message: OutboundMessage,
    #[serde(default)]
    pub purpose: Purpose,
    /// When the event was written (its outbox `created_at`): an emergency alert's send
    /// time is measured from it. Absent on messages made after the fact (an escalation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl NotificationMessage {
    /// An emergency text to the owner: the one notification that must reach a person, so
    /// it is watched and escalated to a phone call.
    pub fn is_owner_emergency(&self) -> bool {
        self.kind == "emergency_alert" && self.message.audience == Audience::Owner
    }

    /// This message with another purpose.
    pub fn with_purpose(&self, purpose: Purpose) -> Self {
        Self {
            purpose,
            ..self.clone()
        }
    }

    /// The notification's channel key: `sms-owner-0`.
    pub fn channel_key(&self) -> String {
        let aud = match self.message.audience {
            Audience::Owner => "owner",
            Audience::Customer => "customer",
        };
        format!("{}-{aud}-{}", self.message.channel, self.index)
    }
}

/// How far before our first attempt a text or call found at Twilio may be dated and still
/// be ours: our clock and Twilio's may disagree by this much.
pub const CLOCK_SLACK: chrono::TimeDelta = chrono::TimeDelta::minutes(2);

/// Order of delivery statuses (Twilio "Message status values"): a callback may only move a
/// notification forward. Terminal outcomes share the top rank, so a late `sent` never
/// overwrites `delivered` and a duplicate `delivered` changes nothing.
pub fn delivery_rank(status: &str) -> u8 {
    match status {
        "accepted" | "scheduled" | "queued" | "sending" => 1,
        "sent" => 2,
        "delivered" | "undelivered" | "failed" | "canceled" => 3,
        "read" => 4,
        _ => 0,
    }
}

/// Splits an event into one queue message per recipient and channel.
pub fn messages(event: &OutboxEvent) -> Vec<NotificationMessage> {
    event
        .messages
        .iter()
        .enumerate()
        .map(|(index, m)| NotificationMessage {
            event_id: event.id.clone(),
            tenant_id: event.tenant_id.clone(),
            kind: event.kind.clone(),
            index,
            message: m.clone(),
            purpose: Purpose::Send,
            event_at: Some(event.created_at),
        })
        .collect()
}
