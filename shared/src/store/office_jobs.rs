//! A job the office enters by hand (`POST /v1/crm/appointments`): the same slot locks,
//! day count, reminder index and customer text as a phone booking, in one transaction.

use super::accounts::audit_item;
use super::attrs::*;
use super::write::put;
use super::{keys, Store, StoreError};
use crate::crm::Customer;
use crate::notify::{AppointmentRef, Audience, OutboundMessage, OutboxEvent};
use crate::scheduling::Slot;
use crate::tenancy::Tenant;
use crate::triage::ServiceType;
use chrono::{DateTime, Utc};

/// Why a job entered by hand was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum BookRefusal {
    /// Another job or a calendar block holds part of the time.
    Taken,
    /// The technician's day already has its maximum number of jobs.
    DayFull,
}

/// A job the office books: for a customer on file, a service and a slot.
pub struct OfficeBooking<'a> {
    pub tenant: &'a Tenant,
    pub customer: &'a Customer,
    pub service: ServiceType,
    pub slot: &'a Slot,
    /// Who entered it (`user:<id>`), for the audit log.
    pub actor: &'a str,
    pub now: DateTime<Utc>,
}

impl Store {
    /// Books a job entered by the office. The appointment id is derived from the
    /// customer, the start and the resource, so a retried request finds its own job
    /// (`Ok(Ok(id))`) instead of booking twice. Returns the appointment id.
    pub async fn book_office_job(
        &self,
        b: &OfficeBooking<'_>,
    ) -> Result<Result<String, BookRefusal>, StoreError> {
        let (tenant, slot) = (b.tenant, b.slot);
        let tid = &tenant.id;
        let id = super::short_id(
            "ap",
            &[&b.customer.id, "#", &ts(slot.start), "#", &slot.resource],
        );
        let mut tx = self.lock_writes(tenant, tid, Some((slot, &id)), None);
        let locks = 0..tx.len();
        let appointment_at = tx.len();
        tx.push(put(
            &self.table,
            appointment_item(b, &id),
            Some("attribute_not_exists(PK)"),
        ));
        let mut pointer = item(&keys::appointment_ref(tid, &id));
        pointer.insert("entity".into(), s("appointment_ref"));
        pointer.insert("start".into(), s(ts(slot.start)));
        tx.push(put(&self.table, pointer, None));
        let day_full = tx.len();
        tx.push(self.day_load_write(tenant, slot, 1));
        tx.push(put(
            &self.table,
            audit_item(tid, b.actor, "appointment_booked", &id, b.now),
            None,
        ));
        tx.push(self.outbox_item(&booked_event(b, &id)));
        Ok(match self.transact(tx).await? {
            None => Ok(id),
            // Our own job, written by an earlier try of this request.
            Some(failed)
                if failed.contains(&appointment_at)
                    && self.appointment(tid, &id).await?.is_some() =>
            {
                Ok(id)
            }
            Some(failed) if failed.iter().any(|i| locks.contains(i)) => Err(BookRefusal::Taken),
            Some(failed) if failed.contains(&day_full) => Err(BookRefusal::DayFull),
            Some(_) => Err(BookRefusal::Taken),
        })
    }
}

/// The `APPT#` item, shaped as a phone booking's (`booking_writes`), with no call.
fn appointment_item(b: &OfficeBooking<'_>, id: &str) -> Item {
    let (tid, slot, c) = (&b.tenant.id, b.slot, b.customer);
    let mut appt = item(&keys::appointment(tid, slot.start, id));
    appt.insert("entity".into(), s("appointment"));
    appt.insert("id".into(), s(id));
    appt.insert("job_id".into(), s(id));
    appt.insert("start".into(), s(ts(slot.start)));
    appt.insert("end".into(), s(ts(slot.end)));
    appt.insert("resource".into(), s(&slot.resource));
    appt.insert("status".into(), s("booked"));
    appt.insert("lang".into(), s("en"));
    appt.insert("service".into(), s(b.service.as_str()));
    appt.insert("customer_id".into(), s(&c.id));
    appt.insert("customer_name".into(), s(c.name.as_deref().unwrap_or("")));
    appt.insert("phone".into(), s(&c.phone));
    appt.insert("created_at".into(), s(ts(b.now)));
    appt.insert("booked_by".into(), s(b.actor));
    if let Some(a) = c.address.as_deref().filter(|a| !a.is_empty()) {
        appt.insert("address".into(), s(a));
    }
    appt.insert("GSI1PK".into(), s(keys::customer_timeline(tid, &c.id)));
    appt.insert(
        "GSI1SK".into(),
        s(keys::timeline_appointment(slot.start, id)),
    );
    appt.insert("GSI2PK".into(), s(keys::reminder_bucket(slot.start)));
    appt.insert("GSI2SK".into(), s(format!("{}#{id}", ts(slot.start))));
    appt
}

/// The customer's confirmation text (none for an erased or number-less customer; the
/// notifier still honours an opt-out) and the calendar insert.
fn booked_event(b: &OfficeBooking<'_>, id: &str) -> OutboxEvent {
    let tenant = b.tenant;
    let mut messages = Vec::new();
    let phone = &b.customer.phone;
    if !phone.is_empty() && phone != "[erased]" {
        let at = b
            .customer
            .address
            .as_deref()
            .filter(|a| !a.is_empty())
            .map(|a| format!(" at {a}"))
            .unwrap_or_default();
        messages.push(OutboundMessage {
            channel: "sms".into(),
            audience: Audience::Customer,
            to: phone.clone(),
            from: tenant.phone.clone(),
            body: format!(
                "{}: you're booked for {} on {}{at}. Reply C to confirm or call {} to change it. Reply STOP to opt out.",
                tenant.name,
                tenant.label(b.service),
                crate::scheduling::speak_slot(b.slot, tenant),
                crate::phone::display(&tenant.phone)
            ),
        });
    }
    OutboxEvent {
        id: format!("{id}-booked-office"),
        tenant_id: tenant.id.clone(),
        kind: "appointment_booked".into(),
        created_at: b.now,
        messages,
        appointment: Some(AppointmentRef {
            id: id.into(),
            start: b.slot.start,
        }),
    }
}
