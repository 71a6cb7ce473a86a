//! Tenants (the trades businesses), their phone-number routes, and the authenticated
//! context every request carries.

mod admin;
pub mod credentials;
mod directory;
mod lifecycle;
mod profile;
mod settings;
pub mod widget;

pub use admin::{GeneralSettings, NewCredential, NewTenant, NumberRouteInput, RotateCredential};
pub use credentials::{CredentialError, Email, Password};
pub use directory::TenantDirectory;
pub use lifecycle::{Lifecycle, REMINDER_LEADS_H};
pub use profile::{
    AfterHoursEmergency, AfterHoursPolicy, AfterHoursRoutine, BookingRules, Closure, Contacts,
    EmergencyPolicy, LineCell, Resource, ServiceOffering, Tenant, TenantStatus,
};
pub use settings::{SchedulingSettings, SettingsError};

use serde::{Deserialize, Serialize};

/// Who is calling an API, established only from a verified token or a routed Twilio number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthContext {
    pub tenant_id: crate::ids::TenantId,
    pub user: String,
    pub role: Role,
}

/// Dashboard and API roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Staff,
    Admin,
}

/// Twilio number → tenant, as stored under `NUM#{e164}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NumberRoute {
    pub number: String,
    pub tenant_id: String,
}
