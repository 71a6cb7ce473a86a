//! The tenant profile: everything the receptionist needs to answer for one business.

use crate::scheduling::WeeklyHours;
use crate::triage::ServiceType;
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tenant {
    pub id: String,
    /// Business name as spoken in the greeting ("Bristol Plumbing").
    pub name: String,
    /// Short description of the trades, spoken to wrong-number callers ("plumbing").
    pub trades: String,
    /// IANA zone, e.g. `America/Chicago`.
    pub time_zone: String,
    /// The tenant's Twilio number (E.164); texts go out from it.
    pub phone: String,
    pub hours: WeeklyHours,
    pub services: Vec<ServiceOffering>,
    /// Calendar resources (technicians or vans) that jobs are booked onto.
    pub resources: Vec<Resource>,
    pub contacts: Contacts,
    pub emergency: EmergencyPolicy,
    /// Cities served, spoken and matched in lower case ("overland park").
    pub service_area: Vec<String>,
    /// Whether Spanish-speaking callers are answered in Spanish.
    pub spanish: bool,
    pub booking: BookingRules,
    pub plan: String,
    pub status: TenantStatus,
    /// Reminders, digest, retention and campaigns (defaults when absent).
    #[serde(default)]
    pub lifecycle: super::Lifecycle,
    /// Verified cells of the shop's logins: a call or text from one of them reaches the
    /// owner's line (`flows::owner_line`) instead of the receptionist.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owner_line: Vec<LineCell>,
}

/// A login's verified cell on the owner's line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineCell {
    /// E.164.
    pub cell: String,
    pub email: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TenantStatus {
    Active,
    /// Off the service (billing, offboarding): calls take messages, nothing books.
    Suspended,
    /// Under abuse: calls take messages, texts get no reply, and only emergency alerts go
    /// out (no texts to callers, no missed-call texts).
    Lockdown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ServiceOffering {
    pub service: ServiceType,
    /// How the receptionist names the job ("water heater service").
    pub label: String,
    /// Time on site, minutes.
    pub duration_min: u32,
    /// Typical price range, whole US dollars.
    pub price_low: u32,
    pub price_high: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Resource {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Contacts {
    pub owner_name: String,
    /// E.164; receives emergency and new-lead texts.
    pub owner_cell: String,
    pub owner_email: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EmergencyPolicy {
    /// Whether an emergency caller is put through (`<Dial>`) to the owner's cell.
    pub transfer_to_owner: bool,
    /// Whether a caller who insists on a person is put through to the owner's cell.
    pub transfer_on_request: bool,
    /// Extra phrases this business treats as emergencies (lower case).
    pub keywords: Vec<String>,
    /// Seconds an emergency text to the owner may go undelivered before the owner is
    /// phoned instead (default 60).
    #[serde(default = "default_alert_sla_s")]
    pub alert_sla_s: u32,
}

fn default_alert_sla_s() -> u32 {
    60
}

/// The tenant's scheduling settings (hours and the service catalogue live on [`Tenant`]).
/// Validated on write by [`Tenant::validate_scheduling`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BookingRules {
    /// Minimum notice before a job may start, minutes.
    pub lead_time_min: u32,
    /// Wrap-up time held after every job, minutes.
    pub buffer_min: u32,
    /// Travel time held between jobs (after the buffer), minutes.
    #[serde(default)]
    pub travel_min: u32,
    /// How far ahead callers may book, days.
    pub horizon_days: u32,
    /// Offered start times are multiples of this many minutes past the hour.
    pub start_step_min: u32,
    /// The arrival window promised to customers, minutes from the booked start
    /// ("between 9 and 11"); 0 reads back an exact time.
    #[serde(default = "default_arrival_window_min")]
    pub arrival_window_min: u32,
    /// Most jobs one resource takes in a day (0: no limit).
    #[serde(default)]
    pub max_jobs_per_day: u32,
    /// Holidays and closures: no job is booked on these days.
    #[serde(default)]
    pub closures: Vec<Closure>,
    #[serde(default)]
    pub after_hours: AfterHoursPolicy,
}

fn default_arrival_window_min() -> u32 {
    120
}

impl Default for BookingRules {
    fn default() -> Self {
        Self {
            lead_time_min: 120,
            buffer_min: 30,
            travel_min: 0,
            horizon_days: 120,
            start_step_min: 30,
            arrival_window_min: default_arrival_window_min(),
            max_jobs_per_day: 0,
            closures: Vec::new(),
            after_hours: AfterHoursPolicy::default(),
        }
    }
}

impl BookingRules {
    /// Minutes held after a job before the next may start on its resource.
    pub fn gap_min(&self) -> u32 {
        self.buffer_min + self.travel_min
    }

    /// The closure covering `date`, if any.
    pub fn closure_on(&self, date: NaiveDate) -> Option<&Closure> {
        self.closures
            .iter()
            .find(|c| c.from <= date && date <= c.to)
    }
}

/// Days the business takes no jobs, inclusive (a holiday is a one-day closure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Closure {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// "Thanksgiving", "Vacation".
    pub name: String,
}

/// What happens outside business hours.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct AfterHoursPolicy {
    pub emergencies: AfterHoursEmergency,
    pub routine: AfterHoursRoutine,
}

/// Emergencies after hours: always alert the on-call owner; `transfer` also puts the
/// caller through (when the emergency policy transfers at all).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AfterHoursEmergency {
    #[default]
    Transfer,
    Notify,
}

/// Ordinary work after hours: book the next business day, or take a message for a
/// callback when the business opens.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AfterHoursRoutine {
    #[default]
    Book,
    TakeMessage,
}

impl Tenant {
    /// The tenant's zone; an unknown zone name falls back to US Central (logged at write time).
    pub fn tz(&self) -> Tz {
        self.time_zone
            .parse()
            .unwrap_or(chrono_tz::America::Chicago)
    }

    /// The tenant's local calendar date at instant `t` (the day a job counts against).
    pub fn local_date(&self, t: chrono::DateTime<chrono::Utc>) -> NaiveDate {
        t.with_timezone(&self.tz()).date_naive()
    }

    /// Whether the business is open at `now`: inside one of today's open spans (local
    /// time) and not on a closure.
    pub fn is_open(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        use chrono::Datelike;
        let l = now.with_timezone(&self.tz());
        self.booking.closure_on(l.date_naive()).is_none()
            && self
                .hours
                .on(l.weekday())
                .iter()
                .any(|s| s.open <= l.time() && l.time() < s.close)
    }

    /// Whether an emergency caller is put through to the owner now: the emergency policy
    /// transfers, and after hours the policy is `transfer` rather than `notify`.
    pub fn transfers_emergencies(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.emergency.transfer_to_owner
            && (self.is_open(now)
                || self.booking.after_hours.emergencies == AfterHoursEmergency::Transfer)
    }

    /// The catalogue entry for a service type, if the business offers it.
    pub fn offering(&self, service: ServiceType) -> Option<&ServiceOffering> {
        self.services.iter().find(|s| s.service == service)
    }

    /// Minutes a job of this type takes; unknown work gets a one-hour diagnostic visit.
    pub fn duration_min(&self, service: ServiceType) -> u32 {
        self.offering(service).map(|s| s.duration_min).unwrap_or(60)
    }

    /// Spoken label for a service type.
    pub fn label(&self, service: ServiceType) -> String {
        self.offering(service)
            .map(|s| s.label.clone())
            .unwrap_or_else(|| service.label().to_string())
    }
}
