//! Conversation state, inputs, replies and actions.

use super::extract::Address;
use super::replies::Lang;
use crate::scheduling::{Slot, TimePreference};
use crate::triage::{Intent, Reason, SafetyAdvice, ServiceType};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Every call ends in exactly one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Booked,
    EmergencyDispatched,
    Rescheduled,
    Cancelled,
    FaqAnswered,
    MessageTaken,
    Transferred,
    NotALead,
    Abandoned,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Booked => "booked",
            Outcome::EmergencyDispatched => "emergency_dispatched",
            Outcome::Rescheduled => "rescheduled",
            Outcome::Cancelled => "cancelled",
            Outcome::FaqAnswered => "faq_answered",
            Outcome::MessageTaken => "message_taken",
            Outcome::Transferred => "transferred",
            Outcome::NotALead => "not_a_lead",
            Outcome::Abandoned => "abandoned",
        }
    }
}

/// Where the conversation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Problem,
    Name,
    Address,
    Time,
    /// A job is held; the caller may accept or ask for another time.
    ConfirmBooking,
    /// The requested time was not free; one alternative is offered.
    ConfirmAlternative,
    /// The time phrase had two readings ("next Friday" on a Wednesday); which one?
    ClarifyTime,
    /// A hazard was mentioned without a clear "now": its question was asked.
    ClarifyHazard,
    /// The name was not one we know: the caller was asked to spell it.
    SpellName,
    /// Gas or CO: waiting for the caller to be outside.
    EmergencySafety,
    EmergencyDetails,
    /// Dispatched; anything the caller adds is passed on.
    EmergencyNotes,
    ExistingAppointment,
    RescheduleTime,
    AfterCancel,
    TransferOrMessage,
    TransferName,
    MessageDetails,
    AnythingElse,
    WrongBusiness,
    Ended,
}

/// A customer already on file for the calling number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnownCustomer {
    pub id: String,
    pub name: Option<String>,
    pub address: Option<Address>,
}

/// An upcoming job of the caller, for reschedule and cancel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpcomingAppointment {
    pub id: String,
    pub service: ServiceType,
    pub slot: Slot,
    /// The job this appointment belongs to: a rescheduled job is a new appointment of the
    /// same job (its calendar event follows it). `None` means the appointment's own id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
}

impl UpcomingAppointment {
    /// The job id ([`UpcomingAppointment::job_id`], else the appointment id).
    pub fn job(&self) -> &str {
        self.job_id.as_deref().unwrap_or(&self.id)
    }
}

/// One transcript line (caller speech is redacted and bounded before it is kept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TurnRecord {
    pub speaker: String,
    pub text: String,
    pub at: DateTime<Utc>,
}

/// How the customer reached us: a phone call, a text conversation, or the chat on the
/// shop's website. Only a call holds an offered time until "yes"; written channels book
/// at once (the customer reads the time before answering).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    #[default]
    Voice,
    Sms,
    Chat,
}

/// One conversation with a customer on any channel: a call, a text conversation or a
/// website chat. Stored with its item (`CALL#{id}`) as JSON; `dialogue::step` moves it on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// Twilio's CallSid for a call (`CA…`); `tx_…` for a text conversation, `ch_…` for a
    /// website chat. (Stored as `call_sid` before conversations had other channels.)
    #[serde(alias = "call_sid")]
    pub id: String,
    #[serde(default)]
    pub channel: Channel,
    pub tenant_id: String,
    /// Caller ID (E.164) as Twilio reported it.
    pub caller: String,
    pub started_at: DateTime<Utc>,
    pub lang: Lang,
    pub stage: Stage,
    pub known: Option<KnownCustomer>,
    pub name: Option<String>,
    pub address: Option<Address>,
    pub callback_number: Option<String>,
    pub service: ServiceType,
    pub intent: Option<Intent>,
    pub emergency: bool,
    pub life_safety: bool,
    pub safety: Option<SafetyAdvice>,
    pub confidence: f32,
    pub reasons: Vec<Reason>,
    pub preference: Option<TimePreference>,
    pub booked: Option<UpcomingAppointment>,
    /// The caller's upcoming jobs once loaded (`None` until asked for).
    pub upcoming: Option<Vec<UpcomingAppointment>>,
    /// The appointment this call is changing (reschedule/cancel).
    pub target: Option<UpcomingAppointment>,
    pub offered: Option<Slot>,
    /// The two readings of an ambiguous time phrase while the caller is asked which.
    #[serde(default)]
    pub time_readings: (Vec<chrono::NaiveDate>, Vec<chrono::NaiveDate>),
    /// The second-earliest fitting slot, read back beside the one held.
    #[serde(default)]
    pub alternative: Option<Slot>,
    pub outcome: Option<Outcome>,
    pub misses: u8,
    pub alerted: bool,
    pub problem: Option<String>,
    pub message: Option<String>,
    /// The call's lines so far (stored apart from the rest of the state; see
    /// `store::StoredCall`).
    #[serde(default)]
    pub transcript: Vec<TurnRecord>,
    /// The hazard question asked and waiting for its answer, with the stage to go back to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_hazard: Option<PendingHazard>,
    /// Hazard codes already asked about (each is asked once a call).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asked_hazards: Vec<String>,
    /// Times the caller asked for a person.
    #[serde(default)]
    pub person_requests: u8,
    /// The caller was asked to spell their name.
    #[serde(default)]
    pub asked_spelling: bool,
    /// Asked for a name, the caller went on to the address instead: the booking goes on
    /// without one rather than asking again and again.
    #[serde(default)]
    pub name_passed_over: bool,
    /// The caller answered "put through or message?" with their name and was asked again.
    #[serde(default)]
    pub choice_reasked: bool,
    /// The caller about a booked job was asked whether to move or cancel it.
    #[serde(default)]
    pub asked_move_or_cancel: bool,
    /// The held appointment was announced (confirmed by the caller, its texts sent).
    #[serde(default)]
    pub announced: bool,
    /// The website chat's last message ids (the widget's `message_id`, newest last, at
    /// most [`MESSAGE_IDS_KEPT`]): a message sent again is answered without a turn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub message_ids: Vec<String>,
}

/// How many chat message ids a conversation remembers for replays.
pub const MESSAGE_IDS_KEPT: usize = 20;

/// A hazard question waiting for the caller's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingHazard {
    pub clarify: crate::triage::Clarify,
    /// The stage the call was at when the question was asked.
    pub resume: Stage,
    /// The words that raised it.
    pub text: String,
    /// Unclear answers so far.
    pub unclear_answers: u8,
}

impl Conversation {
    /// Drops everything that identifies the caller (a privacy erasure): number, name,
    /// address, the words they said and left. Outcome, service and triage stay.
    pub fn erase_personal_data(&mut self) {
        self.caller = "[erased]".into();
        self.known = None;
        self.name = None;
        self.address = None;
        self.callback_number = None;
        self.problem = None;
        self.message = None;
        self.transcript.clear();
    }

    pub fn new(
        id: &str,
        tenant_id: &str,
        caller: &str,
        started_at: DateTime<Utc>,
        known: Option<KnownCustomer>,
    ) -> Self {
        Self {
            id: id.into(),
            channel: Channel::Voice,
            tenant_id: tenant_id.into(),
            caller: caller.into(),
            started_at,
            lang: Lang::En,
            stage: Stage::Problem,
            name: known.as_ref().and_then(|k| k.name.clone()),
            address: known.as_ref().and_then(|k| k.address.clone()),
            known,
            callback_number: None,
            service: ServiceType::Other,
            intent: None,
            emergency: false,
            life_safety: false,
            safety: None,
            confidence: 0.0,
            reasons: Vec::new(),
            preference: None,
            booked: None,
            upcoming: None,
            target: None,
            offered: None,
            alternative: None,
            time_readings: Default::default(),
            outcome: None,
            misses: 0,
            alerted: false,
            problem: None,
            message: None,
            transcript: Vec::new(),
            pending_hazard: None,
            asked_hazards: Vec::new(),
            person_requests: 0,
            asked_spelling: false,
            name_passed_over: false,
            choice_reasked: false,
            asked_move_or_cancel: false,
            announced: false,
            message_ids: Vec::new(),
        }
    }

    /// The appointment this call holds and has not announced (a held offer on the phone),
    /// if any.
    pub fn unannounced_hold(&self) -> Option<UpcomingAppointment> {
        self.booked
            .clone()
            .filter(|_| !self.announced && self.channel == Channel::Voice)
            .filter(|b| self.target.as_ref().is_none_or(|t| t.id != b.id))
    }

    /// The number to call back: what the caller gave, else caller ID.
    pub fn callback_number(&self) -> &str {
        self.callback_number.as_deref().unwrap_or(&self.caller)
    }
}

/// What the caller did this turn.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// The call was just answered.
    Start,
    /// Recognised speech (or an SMS body) with the recogniser's confidence 0..1.
    Speech { text: String, confidence: f32 },
    /// The `<Gather>` timed out with nothing heard.
    Silence,
    /// Keys pressed instead of speaking: 1 yes, 2 no, 0 a person.
    Digits(String),
}

/// What to say and do on the line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub say: Vec<String>,
    /// Listen for the caller's next turn.
    pub gather: bool,
    /// Put the caller through to this number.
    pub dial: Option<String>,
    pub hangup: bool,
    /// After the words, offer a recorded voicemail (`<Record>`) before hanging up: a
    /// message taken by phone, so the owner can hear the caller too.
    pub record: bool,
    pub lang: Lang,
}

/// A job to book (or move, when `replaces` is set) in one transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Booking {
    pub appointment_id: String,
    pub slot: Slot,
    pub service: ServiceType,
    pub name: String,
    pub phone: String,
    pub address: Option<Address>,
    pub replaces: Option<UpcomingAppointment>,
    pub emergency: bool,
    /// Held for the caller while they decide: its slots are locked, nobody is texted, and
    /// reminders wait, until the caller says yes (`Action::Confirm`) or the call ends.
    #[serde(default)]
    pub held: bool,
    /// `replaces` is this call's own held offer (released, never "rescheduled").
    #[serde(default)]
    pub replaces_hold: bool,
    /// The caller's language (the texts about this job are sent in it).
    #[serde(default)]
    pub lang: super::Lang,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    Emergency,
    EmergencyDetails,
    Message,
    MissedCall,
}

/// A text to the owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub kind: AlertKind,
    pub text: String,
}

/// Side effects of a step, carried out by the handler in one write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Action {
    Book(Box<Booking>),
    /// The caller said yes to the held appointment: booked, and everyone told.
    Confirm(UpcomingAppointment),
    /// The caller turned the held appointment down: its slots are freed, nobody told.
    Release(UpcomingAppointment),
    Cancel(UpcomingAppointment),
    AlertOwner(Alert),
    /// Record the customer (name, phone, address) on file.
    SaveCustomer,
    /// A callback task for the owner's queue.
    Callback {
        reason: String,
        note: String,
    },
}
