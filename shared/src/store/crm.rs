//! Customers, appointments and callbacks: lookups for the call path and lists for the APIs.

use super::attrs::*;
use super::{keys, Store, StoreError};
use crate::crm::{Appointment, AppointmentStatus, CustomerRef, Note};
use crate::dialogue::Lang;
use crate::dialogue::{Address, KnownCustomer, UpcomingAppointment};
use crate::scheduling::{Busy, Slot};
use crate::tenancy::Tenant;
use crate::triage::ServiceType;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One page of a list and the opaque cursor of the next (`None` at the end).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PageOf{T}")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// A whole list on one page (`next` is `null`).
    pub fn whole(items: Vec<T>) -> Self {
        Page { items, next: None }
    }
}

pub(crate) fn encode_cursor(key: Option<&HashMap<String, AttributeValue>>) -> Option<String> {
    let key = key?;
    let flat: HashMap<&str, &str> = key
        .iter()
        .filter_map(|(k, v)| v.as_s().ok().map(|s| (k.as_str(), s.as_str())))
        .collect();
    Some(URL_SAFE_NO_PAD.encode(serde_json::to_vec(&flat).ok()?))
}

/// Decodes an opaque cursor; a cursor that is not ours is an `Invalid` error.
pub(crate) fn decode_cursor(
    cursor: Option<&str>,
    tenant_pk: &str,
) -> Result<Option<HashMap<String, AttributeValue>>, StoreError> {
    let Some(c) = cursor else { return Ok(None) };
    let bytes = URL_SAFE_NO_PAD
        .decode(c)
        .map_err(|_| StoreError::Invalid("cursor is not valid".into()))?;
    let flat: HashMap<String, String> = serde_json::from_slice(&bytes)
        .map_err(|_| StoreError::Invalid("cursor is not valid".into()))?;
    // A cursor may only continue within the caller's own tenant.
    if flat.get("PK").map(String::as_str) != Some(tenant_pk) {
        return Err(StoreError::Invalid("cursor is not valid".into()));
    }
    Ok(Some(flat.into_iter().map(|(k, v)| (k, s(v))).collect()))
}

/// An appointment item as stored (its own attributes; keys and index attributes aside).
#[derive(Deserialize)]
struct AppointmentItem {
    id: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    resource: String,
    status: String,
    service: Option<String>,
    #[serde(default)]
    customer_id: String,
    #[serde(default)]
    customer_name: String,
    #[serde(default)]
    phone: String,
    address: Option<String>,
    call_sid: Option<String>,
    calendar_sync: Option<String>,
    job_id: Option<String>,
    lang: Option<Lang>,
    amount: Option<u32>,
    /// JSON array of [`Note`]s.
    notes: Option<String>,
    updated_at: Option<DateTime<Utc>>,
}

/// An appointment read from its item (`None` for any other entity, or one that does not
/// parse: a list skips it rather than failing whole).
pub(crate) fn appointment_of(it: &Item) -> Option<Appointment> {
    if get_s(it, "entity") != Some("appointment") {
        return None;
    }
    let r: AppointmentItem = serde_dynamo::from_item(it.clone())
        .map_err(|e| tracing::warn!(error = %e, "appointment item does not parse"))
        .ok()?;
    Some(Appointment {
        id: r.id,
        start: r.start,
        end: r.end,
        resource: r.resource,
        status: AppointmentStatus::parse(&r.status)?,
        service: r
            .service
            .as_deref()
            .map(service_of)
            .unwrap_or(ServiceType::Other),
        customer: CustomerRef {
            id: r.customer_id,
            name: r.customer_name,
            phone: r.phone,
        },
        address: r.address,
        call_sid: r.call_sid,
        calendar_sync: r.calendar_sync,
        job_id: r.job_id,
        lang: r.lang.unwrap_or_default(),
        amount: r.amount,
        notes: r
            .notes
            .and_then(|n| serde_json::from_str::<Vec<Note>>(&n).ok())
            .unwrap_or_default(),
        updated_at: r.updated_at,
    })
}

fn service_of(v: &str) -> ServiceType {
    serde_json::from_value(serde_json::Value::String(v.into())).unwrap_or(ServiceType::Other)
}

impl Store {
    /// The customer on file for a phone number (one GetItem on the phone index).
    pub async fn customer_by_phone(
        &self,
        tenant_id: &str,
        e164: &str,
    ) -> Result<Option<KnownCustomer>, StoreError> {
        let k = keys::customer_phone(tenant_id, e164);
        let out = self.get_item(&k, false).await?;
        let Some(it) = out.as_ref() else {
            return Ok(None);
        };
        let address: Option<Address> =
            get_s(it, "address_json").and_then(|a| serde_json::from_str(a).ok());
        Ok(Some(KnownCustomer {
            id: req_s(it, "customer_id")?.into(),
            name: get_s(it, "name").map(String::from),
            address,
        }))
    }

    /// Every item in the appointment key range `[from, to)` (jobs and busy blocks), all
    /// pages.
    pub(crate) async fn appointment_items(
        &self,
        tenant_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Item>, StoreError> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let (items, next) = self
                .query_appointments(tenant_id, from, to, None, start)
                .await?;
            out.extend(items);
            match next {
                Some(n) => start = Some(n),
                None => return Ok(out),
            }
        }
    }

    async fn query_appointments(
        &self,
        tenant_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: Option<i32>,
        start: Option<HashMap<String, AttributeValue>>,
    ) -> Result<(Vec<Item>, Option<HashMap<String, AttributeValue>>), StoreError> {
        let (a, b) = keys::appointment_range(from, to);
        let out = self
            .ddb
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND SK BETWEEN :a AND :b")
            .expression_attribute_values(":pk", s(keys::tenant_pk(tenant_id)))
            .expression_attribute_values(":a", s(a))
            .expression_attribute_values(":b", s(b))
            .set_limit(limit)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok((out.items().to_vec(), out.last_evaluated_key().cloned()))
    }

    /// Busy granules of booked jobs starting in `[from, to)`, buffers and travel included,
    /// and the jobs per resource and local day: one Query (more pages only for very busy
    /// calendars).
    pub async fn busy(
        &self,
        tenant: &Tenant,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Busy, StoreError> {
        let mut busy = Busy::read_for(from, to);
        let mut start = None;
        loop {
            let (items, next) = self
                .query_appointments(&tenant.id, from, to, None, start)
                .await?;
            for it in &items {
                let status = get_s(it, "status");
                // A held offer occupies its time like a booked job.
                if !matches!(status, Some("booked" | "held" | "blocked")) {
                    continue;
                }
                let (Some(a), Some(b), Some(r)) = (
                    get_s(it, "start").and_then(parse_ts),
                    get_s(it, "end").and_then(parse_ts),
                    get_s(it, "resource"),
                ) else {
                    continue;
                };
                if status == Some("blocked") {
                    // The owner's own busy time: no travel after it, not a job.
                    busy.add(r, a, b);
                    continue;
                }
                busy.add(r, a, b + Duration::minutes(tenant.booking.gap_min() as i64));
                busy.add_job(r, tenant.local_date(a));
            }
            match next {
                Some(n) => start = Some(n),
                None => return Ok(busy),
            }
        }
    }

    /// A customer's booked jobs from `now` on, earliest first (GSI1 timeline).
    /// Marks a booked appointment confirmed by the customer (an "C" reply to its text).
    /// Idempotent; a cancelled or moved appointment is left alone (returns false).
    pub async fn confirm_appointment(
        &self,
        tenant_id: &str,
        appt: &UpcomingAppointment,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let k = keys::appointment(tenant_id, appt.slot.start, &appt.id);
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .update_expression("SET confirmed_at = if_not_exists(confirmed_at, :now)")
            .condition_expression("#st = :booked")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":booked", s("booked"))
            .expression_attribute_values(":now", s(ts(now)))
            .send()
            .await;
        super::write::applied(res)
    }

    pub async fn upcoming_appointments(
        &self,
        tenant_id: &str,
        customer_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<UpcomingAppointment>, StoreError> {
        let (from, to) = keys::timeline_appointments_from(now);
        let out = self
            .ddb
            .query()
            .table_name(&self.table)
            .index_name("GSI1")
            .key_condition_expression("GSI1PK = :pk AND GSI1SK BETWEEN :a AND :b")
            .expression_attribute_values(":pk", s(keys::customer_timeline(tenant_id, customer_id)))
            .expression_attribute_values(":a", s(from))
            .expression_attribute_values(":b", s(to))
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(out
            .items()
            .iter()
            .filter(|it| get_s(it, "status") == Some("booked"))
            .filter_map(|it| {
                Some(UpcomingAppointment {
                    id: get_s(it, "id")?.into(),
                    job_id: get_s(it, "job_id").map(String::from),
                    service: service_of(get_s(it, "service")?),
                    slot: Slot {
                        resource: get_s(it, "resource")?.into(),
                        start: parse_ts(get_s(it, "start")?)?,
                        end: parse_ts(get_s(it, "end")?)?,
                    },
                })
            })
            .collect())
    }

    /// Appointments starting in `[from, to)`, paginated with an opaque cursor.
    pub async fn list_appointments(
        &self,
        tenant_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: i32,
        cursor: Option<&str>,
    ) -> Result<Page<Appointment>, StoreError> {
        let start = decode_cursor(cursor, &keys::tenant_pk(tenant_id))?;
        let (items, next) = self
            .query_appointments(tenant_id, from, to, Some(limit), start)
            .await?;
        Ok(Page {
            items: items.iter().filter_map(appointment_of).collect(),
            next: encode_cursor(next.as_ref()),
        })
    }

    /// The appointment a call booked, if any.
    pub async fn appointment_for_call(
        &self,
        tenant_id: &str,
        customer_id: &str,
        call_sid: &str,
    ) -> Result<Option<Appointment>, StoreError> {
        let out = self
            .ddb
            .query()
            .table_name(&self.table)
            .index_name("GSI1")
            .key_condition_expression("GSI1PK = :pk AND begins_with(GSI1SK, :p)")
            .expression_attribute_values(":pk", s(keys::customer_timeline(tenant_id, customer_id)))
            .expression_attribute_values(":p", s(keys::APPOINTMENT_PREFIX))
            .send()
            .await
            .map_err(StoreError::sdk)?;
        let mut rows: Vec<Appointment> = out
            .items()
            .iter()
            .filter_map(appointment_of)
            .filter(|r| r.call_sid.as_deref() == Some(call_sid))
            .collect();
        rows.sort_by_key(|r| r.status != AppointmentStatus::Booked);
        Ok(rows.into_iter().next())
    }

    /// Open callback tasks, oldest first.
    pub async fn open_callbacks(
        &self,
        tenant_id: &str,
    ) -> Result<Vec<crate::crm::CallbackTask>, StoreError> {
        self.callbacks(tenant_id, "open", None).await
    }

    /// Counts items whose sort key starts with `prefix` in a tenant's partition (tests, ops).
    pub async fn count_prefix(&self, tenant_id: &str, prefix: &str) -> Result<usize, StoreError> {
        Ok(self
            .query_prefix(tenant_id, prefix, None, false)
            .await?
            .len())
    }
}
