//! The CRM's records, typed: a job's appointment, the customer it is for, its notes, a
//! callback task and a call as lists show it. `store` maps DynamoDB items to and from
//! them; the APIs serialise them as they are (times RFC 3339 in UTC, enums snake_case).

use crate::dialogue::{Lang, UpcomingAppointment};
use crate::scheduling::Slot;
use crate::triage::ServiceType;
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where an appointment is in its life. Office moves: `booked` → `completed` →
/// `invoiced`; `booked` → `cancelled` or `no_show`. The receptionist's own: `held` (a
/// time offered on the phone, locked until the caller says yes), `released` (a held time
/// turned down), `rescheduled` (the old appointment of a job moved to another time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    Held,
    Booked,
    Completed,
    Invoiced,
    Cancelled,
    NoShow,
    Released,
    /// A job moved to another time: the old item keeps this status.
    Rescheduled,
}

impl AppointmentStatus {
    /// The stored and wire name (`no_show`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Held => "held",
            Self::Booked => "booked",
            Self::Completed => "completed",
            Self::Invoiced => "invoiced",
            Self::Cancelled => "cancelled",
            Self::NoShow => "no_show",
            Self::Released => "released",
            Self::Rescheduled => "rescheduled",
        }
    }

    /// A stored or wire name; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(s.into())).ok()
    }

    /// Whether the office may move a job from `self` to `next`.
    pub fn can_become(self, next: Self) -> bool {
        use AppointmentStatus::*;
        matches!(
            (self, next),
            (Booked, Completed) | (Booked, Cancelled) | (Booked, NoShow) | (Completed, Invoiced)
        )
    }

    /// The job will happen or has: it counts as work (booked, completed, invoiced).
    pub fn is_work(self) -> bool {
        matches!(self, Self::Booked | Self::Completed | Self::Invoiced)
    }
}

/// The customer an appointment is for, as it was booked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CustomerRef {
    pub id: String,
    pub name: String,
    /// E.164.
    pub phone: String,
}

/// A note on a job or callback: who wrote it (a login's email, or `receptionist`) and
/// when (RFC 3339).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Note {
    pub at: String,
    pub by: String,
    pub text: String,
}

/// One appointment of a job: `GET /v1/crm/appointments` and `…/{appointment_id}`, the
/// reminders, the calendar sync and the owner's day all read this one shape.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Appointment {
    pub id: String,
    /// `[start, end)`, UTC.
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The technician or van (a resource id).
    pub resource: String,
    pub status: AppointmentStatus,
    pub service: ServiceType,
    pub customer: CustomerRef,
    pub address: Option<String>,
    /// The call or text conversation that booked it.
    pub call_sid: Option<String>,
    /// The job's Google Calendar state (`synced`, `failed`, `removed`) when the tenant is
    /// connected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar_sync: Option<String>,
    /// The job this appointment belongs to (stable across reschedules; the calendar
    /// event follows it). `None` means the appointment's own id.
    pub job_id: Option<String>,
    /// The language it was booked in: its texts follow it.
    #[serde(skip)]
    pub lang: Lang,
    /// Invoiced amount, whole US dollars.
    pub amount: Option<u32>,
    /// In the order written; never replaced.
    pub notes: Vec<Note>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl Appointment {
    /// The job id ([`Appointment::job_id`], else the appointment id).
    pub fn job(&self) -> &str {
        self.job_id.as_deref().unwrap_or(&self.id)
    }

    /// When and on which resource.
    pub fn slot(&self) -> Slot {
        Slot {
            start: self.start,
            end: self.end,
            resource: self.resource.clone(),
        }
    }

    /// The conversation's handle on this appointment (a caller moving or cancelling it).
    pub fn upcoming(&self) -> UpcomingAppointment {
        UpcomingAppointment {
            id: self.id.clone(),
            service: self.service,
            slot: self.slot(),
            job_id: self.job_id.clone(),
        }
    }
}

/// A callback task as the queue shows it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CallbackTask {
    pub id: String,
    /// `open` or `done`.
    pub status: String,
    /// `missed_call`, `voicemail`, `handoff`, …
    pub reason: String,
    pub note: String,
    pub phone: String,
    pub name: Option<String>,
    pub call_sid: Option<String>,
    pub created_at: String,
    pub outcome: Option<String>,
    pub resolution_note: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
    /// The route that plays the caller's voicemail (`GET`, WAV), when they left one.
    pub voicemail: Option<String>,
}

/// A call in lists (no transcript).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CallSummary {
    pub call_sid: String,
    pub started_at: String,
    pub caller: String,
    pub customer_id: Option<String>,
    pub outcome: String,
    pub emergency: bool,
    pub service: String,
    /// `voice`, `sms` or `chat` (a text conversation is stored as a call with a `tx_` id,
    /// a website chat with a `ch_` id).
    pub channel: String,
    /// Call length, seconds, from Twilio's status callback (`CallDuration`).
    pub duration_s: Option<i64>,
}

/// A customer as the CRM shows it (`GET /v1/crm/customers/{customer_id}`); times RFC 3339.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Customer {
    pub id: String,
    pub name: Option<String>,
    pub phone: String,
    /// Numbers merged in from duplicates; calls and texts from them land here.
    pub other_phones: Vec<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub last_job_at: Option<String>,
}

impl Customer {
    /// The editable fields.
    pub fn fields(&self) -> super::input::NewCustomer {
        super::input::NewCustomer {
            name: self.name.clone().unwrap_or_default(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            address: self.address.clone(),
            notes: self.notes.clone(),
        }
    }
}

/// One entry of a customer's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TimelineEntry {
    /// `call`, `text` or `appointment`.
    pub kind: String,
    /// RFC 3339.
    pub at: String,
    /// CallSid, appointment id, or the message's sort key time.
    pub id: String,
    /// One line: the call's outcome and service, the text's body, the job's service and
    /// status.
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}
