//! CSV exports of the tenant's customers, appointments and calls (RFC 4180, a header row),
//! for the owner's spreadsheet or the next system.

use crate::crm::input::to_csv;
use crate::flows::FlowError;
use crate::Services;
use chrono::{DateTime, Duration, SecondsFormat, Utc};

/// What may be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Customers,
    Appointments,
    Calls,
}

impl ExportKind {
    /// The kind a path segment names: `customers`, `appointments` or `calls`.
    pub fn named(name: &str) -> Option<Self> {
        match name {
            "customers" => Some(ExportKind::Customers),
            "appointments" => Some(ExportKind::Appointments),
            "calls" => Some(ExportKind::Calls),
            _ => None,
        }
    }

    /// The file's base name.
    pub fn name(self) -> &'static str {
        match self {
            ExportKind::Customers => "customers",
            ExportKind::Appointments => "appointments",
            ExportKind::Calls => "calls",
        }
    }
}

/// Every record of the kind, as CSV text.
pub async fn export(
    svc: &Services,
    tenant_id: &str,
    kind: ExportKind,
) -> Result<String, FlowError> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let now = svc.clock.now();
    let (header, rows): (&[&str], Vec<Vec<String>>) = match kind {
        ExportKind::Customers => (
            &[
                "id",
                "name",
                "phone",
                "other_phones",
                "email",
                "address",
                "notes",
                "created_at",
                "last_job_at",
            ],
            svc.store
                .all_customers(tenant_id)
                .await?
                .into_iter()
                .map(|c| {
                    vec![
                        c.id.clone(),
                        text(&c.name),
                        c.phone.clone(),
                        c.other_phones.join(" "),
                        text(&c.email),
                        text(&c.address),
                        text(&c.notes),
                        text(&c.created_at),
                        text(&c.last_job_at),
                    ]
                })
                .collect(),
        ),
        ExportKind::Appointments => (
            &[
                "id",
                "start",
                "end",
                "status",
                "service",
                "resource",
                "customer_id",
                "customer_name",
                "phone",
                "address",
                "amount",
            ],
            svc.store
                .appointments_between(
                    tenant_id,
                    DateTime::<Utc>::UNIX_EPOCH,
                    now + Duration::days(3650),
                )
                .await?
                .into_iter()
                .map(|a| {
                    let time = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
                    vec![
                        a.id,
                        time(a.start),
                        time(a.end),
                        a.status.as_str().to_string(),
                        a.service.as_str().to_string(),
                        a.resource,
                        a.customer.id,
                        a.customer.name,
                        a.customer.phone,
                        a.address.unwrap_or_default(),
                        a.amount.map(|x| x.to_string()).unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
        ExportKind::Calls => (
            &[
                "call_sid",
                "started_at",
                "channel",
                "caller",
                "customer_id",
                "outcome",
                "emergency",
                "service",
                "duration_s",
            ],
            svc.store
                .calls_between(
                    tenant_id,
                    DateTime::<Utc>::UNIX_EPOCH,
                    now + Duration::days(1),
                )
                .await?
                .into_iter()
                .map(|c| {
                    vec![
                        c.call_sid,
                        c.started_at,
                        c.channel,
                        c.caller,
                        c.customer_id.unwrap_or_default(),
                        c.outcome,
                        c.emergency.to_string(),
                        c.service,
                        c.duration_s.map(|d| d.to_string()).unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
    };
    Ok(to_csv(header, &rows))
}
