//! The office side of jobs, calls and callbacks: an appointment by id and its lifecycle
//! and notes, the callback queue and its resolution, and call lists for the dashboard,
//! exports and analytics.

use super::accounts::audit_item;
use super::attrs::*;
use super::write::put;
use super::{keys, Store, StoreError};
use crate::crm::input::CallbackOutcome;
use crate::crm::{Appointment, AppointmentStatus, CallSummary, CallbackTask, Note};
use crate::notify::{AppointmentRef, Audience, OutboundMessage, OutboxEvent};
use crate::tenancy::Tenant;
use aws_sdk_dynamodb::types::{Delete, TransactWriteItem, Update};
use chrono::{DateTime, Utc};

/// A `CB#` item's own attributes (the status is in its sort key).
#[derive(serde::Deserialize)]
struct CallbackItem {
    id: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    phone: String,
    name: Option<String>,
    call_sid: Option<String>,
    #[serde(default)]
    created_at: String,
    outcome: Option<String>,
    resolution_note: Option<String>,
    resolved_by: Option<String>,
    resolved_at: Option<String>,
}

fn callback_task(it: &Item) -> Option<CallbackTask> {
    let status = get_s(it, "SK")?
        .strip_prefix(keys::CALLBACK_PREFIX)?
        .split('#')
        .next()?
        .to_string();
    let r: CallbackItem = record(it, "callback")?;
    Some(CallbackTask {
        id: r.id,
        status,
        reason: r.reason,
        note: r.note,
        phone: r.phone,
        name: r.name,
        call_sid: r.call_sid,
        created_at: r.created_at,
        outcome: r.outcome,
        resolution_note: r.resolution_note,
        resolved_by: r.resolved_by,
        resolved_at: r.resolved_at,
        voicemail: None,
    })
}

/// A `CALL#` item's list attributes (the id is in its sort key).
#[derive(serde::Deserialize)]
struct CallItem {
    started_at: String,
    #[serde(default)]
    caller: String,
    customer_id: Option<String>,
    outcome: Option<String>,
    emergency: Option<bool>,
    service: Option<String>,
    duration_s: Option<i64>,
}

fn call_summary(it: &Item) -> Option<CallSummary> {
    let sid = get_s(it, "SK")?
        .strip_prefix(keys::CALL_PREFIX)?
        .to_string();
    let r: CallItem = record(it, "call")?;
    Some(CallSummary {
        channel: match sid.split('_').next() {
            Some("tx") => "sms",
            Some("ch") => "chat",
            _ => "voice",
        }
        .into(),
        call_sid: sid,
        started_at: r.started_at,
        caller: r.caller,
        customer_id: r.customer_id,
        outcome: r.outcome.unwrap_or_else(|| "in_progress".into()),
        emergency: r.emergency.unwrap_or(false),
        service: r.service.unwrap_or_else(|| "other".into()),
        duration_s: r.duration_s,
    })
}

/// Why an appointment change was refused.
#[derive(Debug)]
pub enum AppointmentRefusal {
    /// The lifecycle does not allow `from` → `to`.
    Transition { from: String, to: String },
    /// It changed since it was read; read it again.
    Changed,
}

impl Store {
    /// An appointment by id (one GetItem on its `APPTREF#` pointer, one on the job).
    pub async fn appointment(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<Appointment>, StoreError> {
        let Some(ptr) = self
            .get_item(&keys::appointment_ref(tenant_id, id), false)
            .await?
        else {
            return Ok(None);
        };
        let Some(start) = get_s(&ptr, "start").and_then(parse_ts) else {
            return Ok(None);
        };
        let Some(it) = self
            .get_item(&keys::appointment(tenant_id, start, id), true)
            .await?
        else {
            return Ok(None);
        };
        Ok(super::crm::appointment_of(&it))
    }

    /// Moves a job along its lifecycle and/or adds a note, audited, conditioned on the
    /// status it was read with. Cancelling frees its slots and day count, tells the
    /// customer by text and takes it off the connected calendar (outbox event).
    #[allow(clippy::too_many_arguments)]
    pub async fn update_appointment(
        &self,
        tenant: &Tenant,
        a: &Appointment,
        status: Option<AppointmentStatus>,
        note: Option<&str>,
        amount: Option<u32>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<(), AppointmentRefusal>, StoreError> {
        let tid = &tenant.id;
        if let Some(to) = status {
            if !a.status.can_become(to) {
                return Ok(Err(AppointmentRefusal::Transition {
                    from: a.status.as_str().into(),
                    to: to.as_str().into(),
                }));
            }
        }
        let (start, end) = (a.start, a.end);
        let mut notes = a.notes.clone();
        if let Some(n) = note {
            notes.push(Note {
                at: ts(now),
                by: actor.trim_start_matches("user:").into(),
                text: n.into(),
            });
        }
        let mut set = vec!["updated_at = :now", "notes = :notes"];
        let mut upd = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::appointment(tid, start, &a.id))))
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":now", s(ts(now)))
            .expression_attribute_values(":notes", json(&notes))
            .expression_attribute_values(":was", s(a.status.as_str()))
            .condition_expression("#st = :was");
        if let Some(to) = status {
            set.push("#st = :to");
            upd = upd.expression_attribute_values(":to", s(to.as_str()));
        }
        if let Some(v) = amount {
            set.push("amount = :amt");
            upd = upd.expression_attribute_values(":amt", n(v));
        }
        let mut expr = format!("SET {}", set.join(", "));
        if status.is_some_and(|s| s != AppointmentStatus::Completed) {
            // Only a booked job is reminded.
            expr.push_str(" REMOVE GSI2PK, GSI2SK");
        }
        let mut tx = vec![TransactWriteItem::builder()
            .update(upd.update_expression(expr).build().expect("update"))
            .build()];
        let action = match status {
            Some(s) => format!("appointment_{}", s.as_str()),
            None => "appointment_noted".into(),
        };
        tx.push(put(
            &self.table,
            audit_item(tid, actor, &action, &a.id, now),
            None,
        ));
        if status == Some(AppointmentStatus::Cancelled) {
            let slot = crate::scheduling::Slot {
                resource: a.resource.clone(),
                start,
                end,
            };
            for g in Self::hold_granules(tenant, &slot) {
                tx.push(
                    TransactWriteItem::builder()
                        .delete(
                            Delete::builder()
                                .table_name(&self.table)
                                .set_key(Some(key_map(&keys::slot_lock(tid, &slot.resource, g))))
                                .condition_expression(
                                    "attribute_not_exists(PK) OR appointment_id = :a",
                                )
                                .expression_attribute_values(":a", s(&a.id))
                                .build()
                                .expect("delete"),
                        )
                        .build(),
                );
            }
            tx.push(self.day_load_write(tenant, &slot, -1));
            tx.push(self.outbox_item(&cancel_event(tenant, a, start, now)));
        }
        let res = self.transact(tx).await?;
        Ok(match res {
            None => Ok(()),
            Some(_) => Err(AppointmentRefusal::Changed),
        })
    }

    /// Callback tasks with `status` (`open` oldest first, `done` newest first),
    /// optionally of one `reason`.
    pub async fn callbacks(
        &self,
        tenant_id: &str,
        status: &str,
        reason: Option<&str>,
    ) -> Result<Vec<CallbackTask>, StoreError> {
        let mut out: Vec<CallbackTask> = self
            .query_all(&keys::tenant_pk(tenant_id), &keys::callback_prefix(status))
            .await?
            .iter()
            .filter_map(callback_task)
            .filter(|c| reason.is_none_or(|r| c.reason == r))
            .collect();
        if status == "done" {
            out.reverse();
        }
        Ok(out)
    }

    /// Resolves an open callback: it moves to `CB#done#…` with the outcome, note, who and
    /// when, and an audit record, in one transaction. `None` when no open callback has
    /// this id (resolved already, or never existed).
    pub async fn resolve_callback(
        &self,
        tenant_id: &str,
        id: &str,
        outcome: CallbackOutcome,
        note: Option<&str>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<CallbackTask>, StoreError> {
        let open = self
            .query_all(&keys::tenant_pk(tenant_id), &keys::callback_prefix("open"))
            .await?;
        let Some(it) = open.into_iter().find(|it| get_s(it, "id") == Some(id)) else {
            return Ok(None);
        };
        let created = get_s(&it, "created_at").and_then(parse_ts).unwrap_or(now);
        let outcome_s = serde_json::to_value(outcome)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        let mut done = it.clone();
        let k = keys::callback(tenant_id, "done", created, id);
        done.insert("PK".into(), s(&k.pk));
        done.insert("SK".into(), s(&k.sk));
        done.insert("outcome".into(), s(&outcome_s));
        done.insert("resolved_by".into(), s(actor.trim_start_matches("user:")));
        done.insert("resolved_at".into(), s(ts(now)));
        if let Some(n) = note {
            done.insert("resolution_note".into(), s(n));
        }
        let tx = vec![
            TransactWriteItem::builder()
                .delete(
                    Delete::builder()
                        .table_name(&self.table)
                        .key("PK", it["PK"].clone())
                        .key("SK", it["SK"].clone())
                        .condition_expression("attribute_exists(PK)")
                        .build()
                        .expect("delete"),
                )
                .build(),
            put(&self.table, done.clone(), None),
            put(
                &self.table,
                audit_item(tenant_id, actor, "callback_resolved", id, now),
                None,
            ),
        ];
        let res = self.transact(tx).await?;
        if res.is_some() {
            return Ok(None);
        }
        Ok(callback_task(&done))
    }

    /// Calls (and text conversations) that started in `[from, to)`, newest first.
    pub async fn calls_between(
        &self,
        tenant_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<CallSummary>, StoreError> {
        let q = self
            .ddb
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :p)")
            .filter_expression("started_at >= :a AND started_at < :b")
            .projection_expression(
                "SK, started_at, caller, customer_id, outcome, emergency, service, duration_s",
            )
            .expression_attribute_values(":pk", s(keys::tenant_pk(tenant_id)))
            .expression_attribute_values(":p", s(keys::CALL_PREFIX))
            .expression_attribute_values(":a", s(ts(from)))
            .expression_attribute_values(":b", s(ts(to)));
        let mut out: Vec<CallSummary> = self
            .query_pages(q)
            .await?
            .iter()
            .filter_map(call_summary)
            .collect();
        out.sort_by(|a, b| b.started_at.cmp(&a.started_at));
        Ok(out)
    }

    /// Every appointment (any status) starting in `[from, to)`.
    pub async fn appointments_between(
        &self,
        tenant_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Appointment>, StoreError> {
        Ok(self
            .appointment_items(tenant_id, from, to)
            .await?
            .iter()
            .filter_map(super::crm::appointment_of)
            .collect())
    }

    /// Texts in `[from, to)` (count only: usage).
    pub async fn count_messages_between(
        &self,
        tenant_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        // Message times carry milliseconds; so must the bounds, for a lexical compare.
        let q = self
            .ddb
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :p)")
            .filter_expression("#at >= :a AND #at < :b")
            .projection_expression("SK")
            .expression_attribute_names("#at", "at")
            .expression_attribute_values(":pk", s(keys::tenant_pk(tenant_id)))
            .expression_attribute_values(":p", s(keys::MESSAGE_PREFIX))
            .expression_attribute_values(
                ":a",
                s(from.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
            )
            .expression_attribute_values(
                ":b",
                s(to.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
            );
        Ok(self.query_pages(q).await?.len())
    }
}

/// The service's name as the tenant says it ("faucet repair"), or "appointment".
fn service_label(tenant: &Tenant, a: &Appointment) -> String {
    tenant.label(a.service)
}

/// An office change the customer hears about by text (none once they were erased) and
/// the connected calendar follows (`appointment`).
fn office_event(
    tenant: &Tenant,
    a: &Appointment,
    (id, kind): (String, &str),
    body: String,
    appointment: AppointmentRef,
    now: DateTime<Utc>,
) -> OutboxEvent {
    let mut messages = Vec::new();
    if !a.customer.phone.is_empty() && a.customer.phone != "[erased]" {
        messages.push(OutboundMessage {
            channel: "sms".into(),
            audience: Audience::Customer,
            to: a.customer.phone.clone(),
            from: tenant.phone.clone(),
            body,
        });
    }
    OutboxEvent {
        id,
        tenant_id: tenant.id.clone(),
        kind: kind.into(),
        created_at: now,
        messages,
        appointment: Some(appointment),
    }
}

/// The customer's text and the calendar removal for a job the office cancelled.
fn cancel_event(
    tenant: &Tenant,
    a: &Appointment,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> OutboxEvent {
    let when = start
        .with_timezone(&tenant.tz())
        .format("%A %B %-d at %-I:%M %p");
    office_event(
        tenant,
        a,
        (
            format!("{}-cancelled-office", a.id),
            "appointment_cancelled",
        ),
        format!(
            "{}: your {} on {when} has been cancelled. Call or text {} to book another time.",
            tenant.name,
            service_label(tenant, a),
            crate::phone::display(&tenant.phone)
        ),
        AppointmentRef {
            id: a.id.clone(),
            start,
        },
        now,
    )
}

/// Why an office move of a job was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum MoveRefusal {
    /// Only a `booked` job can move; it is `status`.
    NotBooked(String),
    /// Another job or a calendar block holds part of the new time.
    Taken,
    /// The technician's day already has its maximum number of jobs.
    DayFull,
    /// It changed since it was read; read it again.
    Changed,
}

impl Store {
    /// Moves a booked job to `to` the way a caller's reschedule does: a new appointment
    /// (same `job_id`, so the calendar event and history follow it) takes the new slot
    /// locks and day count, the old one becomes `rescheduled` and frees its own, the
    /// customer is texted and the calendar is updated (outbox event). One transaction;
    /// the new id is derived from the old id and the new slot, so a retried request
    /// finds its own result. Returns the new appointment's id.
    pub async fn reschedule_appointment(
        &self,
        tenant: &Tenant,
        a: &Appointment,
        to: &crate::scheduling::Slot,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<String, MoveRefusal>, StoreError> {
        let tid = &tenant.id;
        let new_id = super::short_id("ap", &[&a.id, "#", &ts(to.start), "#", &to.resource]);
        if a.status != AppointmentStatus::Booked {
            let already = self.appointment(tid, &new_id).await?;
            return Ok(match already {
                Some(_) if a.status == AppointmentStatus::Rescheduled => Ok(new_id),
                _ => Err(MoveRefusal::NotBooked(a.status.as_str().into())),
            });
        }
        let start = a.start;
        let from = a.slot();
        let Some(old) = self
            .get_item(&keys::appointment(tid, start, &a.id), true)
            .await?
        else {
            return Ok(Err(MoveRefusal::Changed));
        };
        let mut tx = Vec::new();
        // The old job: marked moved, out of the reminder index.
        tx.push(
            TransactWriteItem::builder()
                .update(
                    Update::builder()
                        .table_name(&self.table)
                        .set_key(Some(key_map(&keys::appointment(tid, start, &a.id))))
                        .update_expression(
                            "SET #st = :to, updated_at = :now, rescheduled_to = :new REMOVE GSI2PK, GSI2SK",
                        )
                        .condition_expression("#st = :was")
                        .expression_attribute_names("#st", "status")
                        .expression_attribute_values(":to", s("rescheduled"))
                        .expression_attribute_values(":was", s("booked"))
                        .expression_attribute_values(":now", s(ts(now)))
                        .expression_attribute_values(":new", s(&new_id))
                        .build()
                        .expect("update"),
                )
                .build(),
        );
        // The new job: a copy with the new time, id and index keys.
        let mut moved = old.clone();
        let key = keys::appointment(tid, to.start, &new_id);
        moved.insert("PK".into(), s(&key.pk));
        moved.insert("SK".into(), s(&key.sk));
        moved.insert("id".into(), s(&new_id));
        moved.insert("job_id".into(), s(a.job()));
        moved.insert("rescheduled_from".into(), s(&a.id));
        moved.insert("start".into(), s(ts(to.start)));
        moved.insert("end".into(), s(ts(to.end)));
        moved.insert("resource".into(), s(&to.resource));
        moved.insert("status".into(), s("booked"));
        moved.insert("created_at".into(), s(ts(now)));
        moved.insert("updated_at".into(), s(ts(now)));
        moved.insert(
            "GSI1SK".into(),
            s(keys::timeline_appointment(to.start, &new_id)),
        );
        moved.insert("GSI2PK".into(), s(keys::reminder_bucket(to.start)));
        moved.insert("GSI2SK".into(), s(format!("{}#{new_id}", ts(to.start))));
        moved.remove("calendar_sync");
        tx.push(put(&self.table, moved, Some("attribute_not_exists(PK)")));
        let mut pointer = item(&keys::appointment_ref(tid, &new_id));
        pointer.insert("entity".into(), s("appointment_ref"));
        pointer.insert("start".into(), s(ts(to.start)));
        tx.push(put(&self.table, pointer, None));
        // Slot locks: a granule both slots hold changes hands; the rest are freed or taken.
        let first_lock = tx.len();
        let taken = Self::hold_granules(tenant, to).len();
        tx.extend(self.lock_writes(tenant, tid, Some((to, &new_id)), Some((&from, &a.id))));
        let locks = first_lock..first_lock + taken;
        let day = |sl: &crate::scheduling::Slot| (sl.resource.clone(), tenant.local_date(sl.start));
        let mut day_full = None;
        if day(&from) != day(to) {
            day_full = Some(tx.len());
            tx.push(self.day_load_write(tenant, to, 1));
            tx.push(self.day_load_write(tenant, &from, -1));
        }
        tx.push(put(
            &self.table,
            audit_item(tid, actor, "appointment_rescheduled", &a.id, now),
            None,
        ));
        tx.push(self.outbox_item(&move_event(tenant, a, &new_id, to, now)));
        Ok(match self.transact(tx).await? {
            None => Ok(new_id),
            Some(failed) if failed.iter().any(|i| locks.contains(i)) => Err(MoveRefusal::Taken),
            Some(failed) if day_full.is_some_and(|d| failed.contains(&d)) => {
                Err(MoveRefusal::DayFull)
            }
            Some(_) => Err(MoveRefusal::Changed),
        })
    }
}

/// The customer's text and the calendar update for a job the office moved.
fn move_event(
    tenant: &Tenant,
    a: &Appointment,
    new_id: &str,
    to: &crate::scheduling::Slot,
    now: DateTime<Utc>,
) -> OutboxEvent {
    office_event(
        tenant,
        a,
        (format!("{new_id}-moved-office"), "appointment_rescheduled"),
        format!(
            "{}: your {} has moved to {}. Reply C to confirm, or call {} to change it.",
            tenant.name,
            service_label(tenant, a),
            crate::scheduling::speak_slot(to, tenant),
            crate::phone::display(&tenant.phone)
        ),
        AppointmentRef {
            id: new_id.into(),
            start: to.start,
        },
        now,
    )
}
