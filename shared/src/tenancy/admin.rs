//! What the owner's general settings and the platform admin accept: request bodies and
//! their validation, and a new tenant's starting profile.

use super::{
    BookingRules, Contacts, EmergencyPolicy, Resource, Role, ServiceOffering, Tenant, TenantStatus,
};
use crate::crm::input::FieldError;
use crate::phone::normalize_e164;
use crate::scheduling::WeeklyHours;
use crate::triage::ServiceType;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

fn err(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// `GET`/`PUT /v1/owner/settings`: who is told, what counts as an emergency, how long
/// transcripts are kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GeneralSettings {
    /// Extra phrases this business treats as emergencies (2–60 characters each, at most
    /// 50), matched in lower case.
    pub emergency_keywords: Vec<String>,
    /// The owner's first name, as the receptionist says it.
    pub owner_name: String,
    /// E.164 or any North American format; receives emergency and new-lead texts.
    pub owner_cell: String,
    /// Receives the alert email fallback and the daily digest's copy.
    pub owner_email: Option<String>,
    /// Seconds an emergency text may go undelivered before the owner is phoned (15–600).
    pub alert_sla_s: u32,
    /// Days transcripts and text bodies are kept (30–3650).
    pub transcript_retention_days: u32,
}

impl GeneralSettings {
    pub fn of(t: &Tenant) -> Self {
        Self {
            emergency_keywords: t.emergency.keywords.clone(),
            owner_name: t.contacts.owner_name.clone(),
            owner_cell: t.contacts.owner_cell.clone(),
            owner_email: t.contacts.owner_email.clone(),
            alert_sla_s: t.emergency.alert_sla_s,
            transcript_retention_days: t.lifecycle.transcript_retention_days,
        }
    }

    /// Validates and writes these settings into `t`; nothing changes on an error.
    pub fn apply(&self, t: &mut Tenant) -> Result<(), FieldError> {
        if self.emergency_keywords.len() > 50 {
            return Err(err("emergency_keywords", "at most 50 phrases"));
        }
        let mut keywords = Vec::new();
        for (i, k) in self.emergency_keywords.iter().enumerate() {
            let k = crate::crm::input::fold(k);
            if !(2..=60).contains(&k.chars().count()) {
                return Err(err(
                    &format!("emergency_keywords[{i}]"),
                    "must be 2 to 60 characters",
                ));
            }
            if !keywords.contains(&k) {
                keywords.push(k);
            }
        }
        let name = self.owner_name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(err("owner_name", "must be 1 to 60 characters"));
        }
        let cell = normalize_e164(&self.owner_cell)
            .ok_or_else(|| err("owner_cell", "not a phone number"))?;
        let email = self
            .owner_email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_lowercase);
        if email
            .as_deref()
            .is_some_and(|e| super::Email::parse(e).is_err())
        {
            return Err(err("owner_email", "not a valid email address"));
        }
        if !(15..=600).contains(&self.alert_sla_s) {
            return Err(err("alert_sla_s", "must be 15 to 600 seconds"));
        }
        if !(30..=3650).contains(&self.transcript_retention_days) {
            return Err(err("transcript_retention_days", "must be 30 to 3650 days"));
        }
        t.emergency.keywords = keywords;
        t.emergency.alert_sla_s = self.alert_sla_s;
        t.contacts = Contacts {
            owner_name: name.to_string(),
            owner_cell: cell,
            owner_email: email,
        };
        t.lifecycle.transcript_retention_days = self.transcript_retention_days;
        Ok(())
    }
}

/// `POST /v1/admin/tenants` body.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTenant {
    /// Lower-case letters, digits and dashes, 3–40 characters; never changes.
    pub id: String,
    /// As spoken in the greeting.
    pub name: String,
    /// Spoken to wrong-number callers ("plumbing").
    pub trades: String,
    /// IANA zone (`America/Chicago`).
    pub time_zone: String,
    /// The Twilio number (E.164) that will route to this tenant.
    pub phone: String,
    pub owner_name: String,
    pub owner_cell: String,
    /// The owner's login.
    pub owner_email: String,
    /// 10–256 characters.
    pub owner_password: String,
    /// The service catalogue; an estimate visit when omitted (the owner edits it later).
    #[serde(default)]
    pub services: Vec<ServiceOffering>,
    /// Cities served, lower case.
    #[serde(default)]
    pub service_area: Vec<String>,
    #[serde(default = "default_plan")]
    pub plan: String,
}

fn default_plan() -> String {
    "solo".into()
}

impl NewTenant {
    /// The tenant this creates: weekday hours 8–17, one resource, the owner's cell for
    /// alerts; or the first field at fault.
    pub fn tenant(&self) -> Result<Tenant, FieldError> {
        let id_ok = (3..=40).contains(&self.id.len())
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok || self.id == "platform" {
            return Err(err(
                "id",
                "3 to 40 lower-case letters, digits and dashes (not `platform`)",
            ));
        }
        if self.name.trim().is_empty() {
            return Err(err("name", "is required"));
        }
        if self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            return Err(err("time_zone", "not an IANA time zone"));
        }
        let phone =
            normalize_e164(&self.phone).ok_or_else(|| err("phone", "not a phone number"))?;
        if let Err(e) = super::Email::parse(&self.owner_email) {
            return Err(err("owner_email", e.to_string()));
        }
        if let Err(e) = super::Password::parse(&self.owner_password) {
            return Err(err("owner_password", e.to_string()));
        }
        let services = if self.services.is_empty() {
            vec![ServiceOffering {
                service: ServiceType::Estimate,
                label: "estimate visit".into(),
                duration_min: 60,
                price_low: 0,
                price_high: 0,
            }]
        } else {
            self.services.clone()
        };
        let mut t = Tenant {
            id: self.id.clone(),
            name: self.name.trim().into(),
            trades: self.trades.trim().into(),
            time_zone: self.time_zone.clone(),
            phone,
            hours: WeeklyHours::weekdays((8, 0), (17, 0), None),
            services,
            resources: vec![Resource {
                id: "tech-1".into(),
                name: "Technician 1".into(),
            }],
            contacts: Contacts {
                owner_name: String::new(),
                owner_cell: String::new(),
                owner_email: None,
            },
            emergency: EmergencyPolicy {
                transfer_to_owner: true,
                transfer_on_request: false,
                keywords: Vec::new(),
                alert_sla_s: 60,
            },
            service_area: self.service_area.iter().map(|a| a.to_lowercase()).collect(),
            spanish: false,
            booking: BookingRules::default(),
            plan: self.plan.clone(),
            status: TenantStatus::Active,
            lifecycle: Default::default(),
            owner_line: Vec::new(),
        };
        GeneralSettings {
            emergency_keywords: Vec::new(),
            owner_name: self.owner_name.clone(),
            owner_cell: self.owner_cell.clone(),
            owner_email: Some(self.owner_email.clone()),
            alert_sla_s: 60,
            transcript_retention_days: 365,
        }
        .apply(&mut t)?;
        let scheduling = super::SchedulingSettings::of(&t);
        scheduling.validate().map_err(|e| FieldError {
            field: e.field,
            message: e.message,
        })?;
        Ok(t)
    }
}

/// `PUT /v1/admin/tenants/{tenant_id}/number` body.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NumberRouteInput {
    /// The Twilio number (E.164) that now routes to the tenant; the old one stops.
    pub phone: String,
}

/// `POST /v1/admin/tenants/{tenant_id}/credentials` body.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCredential {
    /// What the key is for ("QuickBooks sync"), 1–80 characters.
    pub name: String,
    /// `owner` or `staff` (default staff).
    #[serde(default = "staff")]
    pub role: Role,
}

fn staff() -> Role {
    Role::Staff
}

/// `POST /v1/admin/credentials/{credential_id}/rotate` body.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateCredential {
    /// Hours the old key keeps working (0–168, default 24).
    #[serde(default = "day")]
    pub overlap_hours: u32,
}

fn day() -> u32 {
    24
}
