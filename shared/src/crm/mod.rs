//! CRM views: what the owner's APIs return about calls, customers and jobs.

pub mod analytics;
pub mod input;
mod model;

pub use model::{
    Appointment, AppointmentStatus, CallSummary, CallbackTask, Customer, CustomerRef, Note,
    TimelineEntry,
};

use crate::dialogue::Conversation;
use serde::Serialize;

/// `GET /v1/crm/calls/{call_sid}`: the call, its outcome, triage reasons and transcript.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CallView {
    pub call_sid: String,
    pub started_at: String,
    pub caller: String,
    pub outcome: Option<String>,
    pub status: Option<String>,
    pub emergency: bool,
    pub life_safety: bool,
    pub service: String,
    pub intent: Option<String>,
    pub confidence: f32,
    pub reasons: Vec<crate::triage::Reason>,
    pub customer: CallCustomer,
    pub appointment: Option<Appointment>,
    pub message: Option<String>,
    pub language: String,
    pub transcript: Vec<crate::dialogue::TurnRecord>,
    /// The caller's voicemail, when one was left.
    pub voicemail: Option<Voicemail>,
}

/// A call's voicemail as the office sees it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Voicemail {
    /// Twilio's `RecordingSid` (`RE…`).
    pub recording_sid: String,
    /// Twilio's `RecordingUrl` (never fetched by the browser: see `audio`).
    #[serde(skip_serializing)]
    pub recording_url: Option<String>,
    /// Length, seconds.
    pub duration_s: Option<i64>,
    /// Twilio's transcription, when it has come.
    pub transcription: Option<String>,
    /// RFC 3339.
    pub recorded_at: Option<String>,
    /// The authenticated route that plays it (`GET`, WAV).
    pub audio: String,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CallCustomer {
    pub name: Option<String>,
    pub phone: String,
    pub address: Option<String>,
}

impl CallView {
    pub fn new(
        state: &Conversation,
        status: Option<String>,
        appointment: Option<Appointment>,
    ) -> Self {
        Self {
            call_sid: state.id.clone(),
            started_at: state.started_at.to_rfc3339(),
            caller: state.caller.clone(),
            outcome: state.outcome.map(|o| o.as_str().to_string()),
            status,
            emergency: state.emergency,
            life_safety: state.life_safety,
            service: state.service.as_str().to_string(),
            intent: state.intent.map(|i| i.as_str().to_string()),
            confidence: state.confidence,
            reasons: state.reasons.clone(),
            customer: CallCustomer {
                name: state.name.clone(),
                phone: state.callback_number().to_string(),
                address: state.address.as_ref().map(|a| a.display()),
            },
            appointment,
            message: state.message.clone(),
            language: state.lang.code().to_string(),
            transcript: state.transcript.clone(),
            voicemail: None,
        }
    }
}
