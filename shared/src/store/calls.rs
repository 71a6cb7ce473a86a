//! Call items and the one write each turn makes.

use super::attrs::*;
use super::write::{applied, put, transaction_outcome};
use super::{keys, Store, StoreError};
use crate::dialogue::{Action, Booking, Conversation, Outcome, TurnRecord, UpcomingAppointment};
use crate::notify::OutboxEvent;
use crate::scheduling::granules;
use crate::tenancy::Tenant;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, TransactWriteItem, Update};
use chrono::{DateTime, Duration, Utc};

use std::collections::HashMap;

/// Outbox items expire after this long (the stream has long since delivered them).
const OUTBOX_TTL_DAYS: i64 = 7;
/// Most items one TransactWriteItems may carry.
const MAX_TRANSACTION_ITEMS: usize = 100;

/// A call as stored: the dialogue state, its sequence number and the last TwiML sent.
///
/// The item keeps the conversation in two attributes: `state`, the dialogue state as JSON
/// without its transcript, rewritten each turn, and `transcript`, a list of
/// `{speaker, text, at}` maps to which a turn appends only its new lines
/// (`list_append`), so a turn's request does not grow with the call.
#[derive(Debug, Clone)]
pub struct StoredCall {
    pub state: Conversation,
    pub seq: u64,
    pub last_twiml: String,
    pub status: Option<String>,
    /// Transcript lines in the item's `transcript` list; `None` for an item written before
    /// the list existed (its transcript is inside `state`).
    pub stored_turns: Option<usize>,
}

impl StoredCall {
    /// The version a turn computed from this read is conditioned on.
    pub fn version(&self) -> CallVersion {
        CallVersion {
            seq: self.seq,
            stored_turns: self.stored_turns,
        }
    }
}

/// The version of a call item a write was computed from: the write applies only while the
/// item's `seq` is still `seq`, and appends the transcript lines past `stored_turns`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallVersion {
    pub seq: u64,
    pub stored_turns: Option<usize>,
}

/// Everything one turn writes.
pub struct TurnWrite<'a> {
    pub tenant: &'a Tenant,
    pub state: &'a Conversation,
    /// The version the call was read at; `None` creates the call.
    pub prev: Option<CallVersion>,
    pub twiml: &'a str,
    pub actions: &'a [Action],
    pub events: &'a [OutboxEvent],
    pub now: DateTime<Utc>,
    /// The inbound text this turn answers (text conversations only).
    pub sms: Option<super::SmsTurn<'a>>,
}

#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    /// The call had already moved past `prev_seq` (a replayed or concurrent webhook).
    #[error("turn already applied")]
    Replay,
    /// A slot lock was taken by someone else first.
    #[error("slot taken")]
    SlotTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Customer ids are derived from (tenant, phone) so that two calls from one number can
/// never create two customers, without a read on the call path.
pub fn customer_id_for(tenant_id: &str, e164: &str) -> String {
    short_id("cu", &[tenant_id, "|", e164])
}

pub use crate::ids::short_id;

impl Store {
    pub async fn get_call(
        &self,
        tenant_id: &str,
        call_sid: &str,
    ) -> Result<Option<StoredCall>, StoreError> {
        let k = keys::call(tenant_id, call_sid);
        let out = self.get_item(&k, true).await?;
        let Some(it) = out.as_ref() else {
            return Ok(None);
        };
        let mut state: Conversation = get_json(it, "state")?;
        let stored_turns = match it.get("transcript") {
            Some(v) => {
                state.transcript = serde_dynamo::from_attribute_value(v.clone())
                    .map_err(|e| StoreError::Corrupt(format!("`transcript`: {e}")))?;
                Some(state.transcript.len())
            }
            None => None,
        };
        Ok(Some(StoredCall {
            state,
            seq: get_n(it, "seq").unwrap_or(0) as u64,
            last_twiml: get_s(it, "last_twiml").unwrap_or_default().to_string(),
            status: get_s(it, "call_status").map(String::from),
            stored_turns,
        }))
    }

    fn customer_of(state: &Conversation) -> String {
        state
            .known
            .as_ref()
            .map(|k| k.id.clone())
            .unwrap_or_else(|| customer_id_for(&state.tenant_id, &state.caller))
    }

    fn call_values(
        &self,
        w: &TurnWrite<'_>,
        seq: u64,
        customer: Option<&str>,
    ) -> HashMap<String, AttributeValue> {
        let st = w.state;
        let mut v = HashMap::new();
        v.insert(":state".into(), state_json(st));
        v.insert(":seq".into(), n(seq));
        v.insert(":twiml".into(), s(w.twiml));
        v.insert(
            ":outcome".into(),
            s(st.outcome.map(Outcome::as_str).unwrap_or("in_progress")),
        );
        v.insert(":emergency".into(), b(st.emergency));
        v.insert(":service".into(), s(st.service.as_str()));
        v.insert(":updated".into(), s(ts(w.now)));
        v.insert(":caller".into(), s(&st.caller));
        v.insert(":started".into(), s(ts(st.started_at)));
        v.insert(":entity".into(), s("call"));
        if let Some(c) = customer {
            v.insert(":cust".into(), s(c));
            v.insert(":g1pk".into(), s(keys::customer_timeline(&st.tenant_id, c)));
            v.insert(
                ":g1sk".into(),
                s(keys::timeline_call(st.started_at, &st.id)),
            );
        }
        v
    }

    fn call_write(&self, w: &TurnWrite<'_>) -> TransactWriteItem {
        let st = w.state;
        let k = keys::call(&st.tenant_id, &st.id);
        let customer = (st.known.is_some()
            || w.actions
                .iter()
                .any(|a| matches!(a, Action::Book(_) | Action::SaveCustomer)))
        .then(|| Self::customer_of(st));
        let seq = w.prev.map(|p| p.seq + 1).unwrap_or(1);
        let mut values = self.call_values(w, seq, customer.as_deref());
        let mut set = "#state = :state, seq = :seq, last_twiml = :twiml, outcome = :outcome, emergency = :emergency, service = :service, updated_at = :updated, caller = :caller, started_at = :started, entity = :entity".to_string();
        if customer.is_some() {
            set.push_str(", customer_id = :cust, GSI1PK = :g1pk, GSI1SK = :g1sk");
        }
        if let Some(t) = transcript_set(w.prev.and_then(|p| p.stored_turns), &st.transcript) {
            set.push_str(t.expression);
            values.extend(t.values);
        }
        let cond = match w.prev {
            Some(p) => {
                values.insert(":prev".into(), n(p.seq));
                "seq = :prev"
            }
            None => "attribute_not_exists(PK)",
        };
        TransactWriteItem::builder()
            .update(
                Update::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_map(&k)))
                    .update_expression(format!("SET {set}"))
                    .condition_expression(cond)
                    .expression_attribute_names("#state", "state")
                    .set_expression_attribute_values(Some(values))
                    .build()
                    .expect("update"),
            )
            .build()
    }

    fn customer_writes(
        &self,
        w: &TurnWrite<'_>,
        phone: &str,
        name: Option<&str>,
        address: Option<&crate::dialogue::Address>,
        last_job: Option<DateTime<Utc>>,
    ) -> Vec<TransactWriteItem> {
        let st = w.state;
        let id = Self::customer_of(st);
        let tenant = &st.tenant_id;
        let mut values: HashMap<String, AttributeValue> = HashMap::new();
        values.insert(":id".into(), s(&id));
        values.insert(":phone".into(), s(phone));
        values.insert(":now".into(), s(ts(w.now)));
        values.insert(":entity".into(), s("customer"));
        values.insert(":g1pk".into(), s(keys::customer_timeline(tenant, &id)));
        values.insert(":g1sk".into(), s("PROFILE"));
        let mut set = vec![
            "id = :id",
            "phone = :phone",
            "updated_at = :now",
            "created_at = if_not_exists(created_at, :now)",
            "entity = :entity",
            "GSI1PK = :g1pk",
            "GSI1SK = :g1sk",
        ];
        if let Some(nm) = name.filter(|n| !n.is_empty()) {
            values.insert(":name".into(), s(nm));
            set.push("#name = :name");
        }
        if let Some(t) = last_job {
            // The win-back campaign picks customers by their latest job.
            values.insert(":lastjob".into(), s(ts(t)));
            set.push("last_job_at = :lastjob");
        }
        if let Some(a) = address {
            values.insert(":addr".into(), s(a.display()));
            values.insert(":addrj".into(), json(a));
            set.push("address = :addr");
            set.push("address_json = :addrj");
        }
        let search = format!(
            "{} {} {}",
            name.unwrap_or_default(),
            phone.trim_start_matches('+'),
            address.map(|a| a.display()).unwrap_or_default()
        )
        .to_lowercase();
        values.insert(":search".into(), s(search));
        set.push("search_text = :search");
        let has_name = name.is_some_and(|n| !n.is_empty());
        let cust = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::customer(tenant, &id))))
            .update_expression(format!("SET {}", set.join(", ")))
            .set_expression_attribute_names(
                has_name.then(|| HashMap::from([("#name".to_string(), "name".to_string())])),
            )
            .set_expression_attribute_values(Some(values))
            .build()
            .expect("update");
        let mut pv: HashMap<String, AttributeValue> = HashMap::from([
            (":id".into(), s(&id)),
            (":entity".into(), s("customer_phone")),
        ]);
        let mut pset = vec!["customer_id = :id", "entity = :entity"];
        if let Some(nm) = name.filter(|n| !n.is_empty()) {
            pv.insert(":name".into(), s(nm));
            pset.push("#name = :name");
        }
        if let Some(a) = address {
            pv.insert(":addrj".into(), json(a));
            pset.push("address_json = :addrj");
        }
        let phone_idx = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::customer_phone(tenant, phone))))
            .update_expression(format!("SET {}", pset.join(", ")))
            .set_expression_attribute_names(
                has_name.then(|| HashMap::from([("#name".to_string(), "name".to_string())])),
            )
            .set_expression_attribute_values(Some(pv))
            .build()
            .expect("update");
        vec![
            TransactWriteItem::builder().update(cust).build(),
            TransactWriteItem::builder().update(phone_idx).build(),
        ]
    }

    pub(crate) fn hold_granules(
        tenant: &Tenant,
        slot: &crate::scheduling::Slot,
    ) -> Vec<DateTime<Utc>> {
        granules(
            slot.start,
            slot.end + Duration::minutes(tenant.booking.gap_min() as i64),
        )
    }

    /// Frees a job's slot locks, marks it `status` and audits it; with `count_out` it also
    /// leaves its day's job count (a move within the same resource and day keeps it).
    fn release_writes(
        &self,
        w: &TurnWrite<'_>,
        old: &UpcomingAppointment,
        status: &str,
        count_out: bool,
    ) -> Vec<TransactWriteItem> {
        let tenant = &w.state.tenant_id;
        let mut out = self.lock_writes(w.tenant, tenant, None, Some((&old.slot, &old.id)));
        self.release_rest(w, old, status, count_out, &mut out);
        out
    }

    /// The slot-lock writes of taking `new` (slot, appointment id) and freeing `old`: a
    /// granule both hold changes hands (one UpdateItem: a transaction may not touch an
    /// item twice), the rest are taken (`attribute_not_exists`) or freed. Taken locks
    /// come first.
    pub(crate) fn lock_writes(
        &self,
        tenant: &Tenant,
        tid: &str,
        new: Option<(&crate::scheduling::Slot, &str)>,
        old: Option<(&crate::scheduling::Slot, &str)>,
    ) -> Vec<TransactWriteItem> {
        let granules = |held: Option<(&crate::scheduling::Slot, &str)>| {
            held.map(|(slot, _)| Self::hold_granules(tenant, slot))
                .unwrap_or_default()
        };
        let (new_g, old_g) = (granules(new), granules(old));
        let same_resource =
            matches!((new, old), (Some((a, _)), Some((b, _))) if a.resource == b.resource);
        let shared =
            |g: &DateTime<Utc>, other: &[DateTime<Utc>]| same_resource && other.contains(g);
        let mut out = Vec::new();
        if let Some((slot, id)) = new {
            for g in &new_g {
                let k = keys::slot_lock(tid, &slot.resource, *g);
                if let (true, Some((_, old_id))) = (shared(g, &old_g), old) {
                    out.push(
                        TransactWriteItem::builder()
                            .update(
                                Update::builder()
                                    .table_name(&self.table)
                                    .set_key(Some(key_map(&k)))
                                    .update_expression("SET appointment_id = :new")
                                    .condition_expression("appointment_id = :old")
                                    .expression_attribute_values(":new", s(id))
                                    .expression_attribute_values(":old", s(old_id))
                                    .build()
                                    .expect("update"),
                            )
                            .build(),
                    );
                } else {
                    let mut it = item(&k);
                    it.insert("appointment_id".into(), s(id));
                    it.insert("entity".into(), s("slot_lock"));
                    it.insert(
                        "expires_at".into(),
                        n((slot.end + Duration::days(30)).timestamp()),
                    );
                    out.push(put(&self.table, it, Some("attribute_not_exists(PK)")));
                }
            }
        }
        if let Some((slot, id)) = old {
            for g in old_g.iter().filter(|g| !shared(g, &new_g)) {
                out.push(
                    TransactWriteItem::builder()
                        .delete(
                            Delete::builder()
                                .table_name(&self.table)
                                .set_key(Some(key_map(&keys::slot_lock(tid, &slot.resource, *g))))
                                .condition_expression(
                                    "attribute_not_exists(PK) OR appointment_id = :a",
                                )
                                .expression_attribute_values(":a", s(id))
                                .build()
                                .expect("delete"),
                        )
                        .build(),
                );
            }
        }
        out
    }

    /// Everything of a release but its slot locks: the day's job count (with
    /// `count_out`), the appointment's status, and the audit line.
    fn release_rest(
        &self,
        w: &TurnWrite<'_>,
        old: &UpcomingAppointment,
        status: &str,
        count_out: bool,
        out: &mut Vec<TransactWriteItem>,
    ) {
        let tenant = &w.state.tenant_id;
        if count_out {
            out.push(self.day_load_write(w.tenant, &old.slot, -1));
        }
        let k = keys::appointment(tenant, old.slot.start, &old.id);
        out.push(
            TransactWriteItem::builder()
                .update(
                    Update::builder()
                        .table_name(&self.table)
                        .set_key(Some(key_map(&k)))
                        .update_expression("SET #st = :st, updated_at = :now REMOVE GSI2PK, GSI2SK")
                        .condition_expression("attribute_exists(PK)")
                        .expression_attribute_names("#st", "status")
                        .expression_attribute_values(":st", s(status))
                        .expression_attribute_values(":now", s(ts(w.now)))
                        .build()
                        .expect("update"),
                )
                .build(),
        );
        let mut audit = item(&keys::audit(tenant, w.now, &format!("{}-{status}", old.id)));
        audit.insert("entity".into(), s("audit"));
        audit.insert("actor".into(), s(format!("call:{}", w.state.id)));
        audit.insert("action".into(), s(format!("appointment_{status}")));
        audit.insert("target".into(), s(&old.id));
        audit.insert("at".into(), s(ts(w.now)));
        out.push(put(&self.table, audit, None));
    }

    /// Counts a job in (`+1`, under the tenant's daily limit) or out (`-1`) of its
    /// resource's day.
    pub(crate) fn day_load_write(
        &self,
        tenant: &Tenant,
        slot: &crate::scheduling::Slot,
        delta: i64,
    ) -> TransactWriteItem {
        let day = tenant.local_date(slot.start);
        let k = keys::day_load(&tenant.id, &slot.resource, day);
        let max = tenant.booking.max_jobs_per_day;
        let mut u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .update_expression("ADD jobs :d SET entity = :e, expires_at = :x")
            .expression_attribute_values(":d", n(delta))
            .expression_attribute_values(":e", s("day_load"))
            .expression_attribute_values(":x", n((slot.end + Duration::days(60)).timestamp()));
        if delta > 0 && max > 0 {
            u = u
                .condition_expression("attribute_not_exists(jobs) OR jobs < :max")
                .expression_attribute_values(":max", n(max as i64));
        }
        TransactWriteItem::builder()
            .update(u.build().expect("update"))
            .build()
    }

    fn booking_writes(&self, w: &TurnWrite<'_>, bk: &Booking) -> Vec<TransactWriteItem> {
        let tenant = &w.state.tenant_id;
        let customer = Self::customer_of(w.state);
        // A move to an overlapping time hands the shared granules over in place.
        let mut out = self.lock_writes(
            w.tenant,
            tenant,
            Some((&bk.slot, &bk.appointment_id)),
            bk.replaces.as_ref().map(|old| (&old.slot, old.id.as_str())),
        );
        let mut appt = item(&keys::appointment(
            tenant,
            bk.slot.start,
            &bk.appointment_id,
        ));
        appt.insert("entity".into(), s("appointment"));
        appt.insert("id".into(), s(&bk.appointment_id));
        appt.insert(
            "job_id".into(),
            s(bk.replaces
                .as_ref()
                .map_or(bk.appointment_id.as_str(), |r| r.job())),
        );
        appt.insert("start".into(), s(ts(bk.slot.start)));
        appt.insert("end".into(), s(ts(bk.slot.end)));
        appt.insert("resource".into(), s(&bk.slot.resource));
        appt.insert("status".into(), s(if bk.held { "held" } else { "booked" }));
        appt.insert(
            "lang".into(),
            s(if bk.lang == crate::dialogue::Lang::Es {
                "es"
            } else {
                "en"
            }),
        );
        appt.insert("service".into(), s(bk.service.as_str()));
        appt.insert("customer_id".into(), s(&customer));
        appt.insert("customer_name".into(), s(&bk.name));
        appt.insert("phone".into(), s(&bk.phone));
        appt.insert("call_sid".into(), s(&w.state.id));
        appt.insert("created_at".into(), s(ts(w.now)));
        if let Some(a) = &bk.address {
            appt.insert("address".into(), s(a.display()));
        }
        appt.insert(
            "GSI1PK".into(),
            s(keys::customer_timeline(tenant, &customer)),
        );
        appt.insert(
            "GSI1SK".into(),
            s(keys::timeline_appointment(
                bk.slot.start,
                &bk.appointment_id,
            )),
        );
        // A held offer gets no reminder until the caller says yes.
        if !bk.held {
            appt.insert("GSI2PK".into(), s(keys::reminder_bucket(bk.slot.start)));
            appt.insert(
                "GSI2SK".into(),
                s(format!("{}#{}", ts(bk.slot.start), bk.appointment_id)),
            );
        }
        out.push(put(&self.table, appt, Some("attribute_not_exists(PK)")));
        let mut pointer = item(&keys::appointment_ref(tenant, &bk.appointment_id));
        pointer.insert("entity".into(), s("appointment_ref"));
        pointer.insert("start".into(), s(ts(bk.slot.start)));
        out.push(put(&self.table, pointer, None));
        let day =
            |sl: &crate::scheduling::Slot| (sl.resource.clone(), w.tenant.local_date(sl.start));
        let same_day = bk
            .replaces
            .as_ref()
            .is_some_and(|old| day(&old.slot) == day(&bk.slot));
        if !same_day {
            out.push(self.day_load_write(w.tenant, &bk.slot, 1));
        }
        if let Some(old) = &bk.replaces {
            let status = if bk.replaces_hold {
                "released"
            } else {
                "rescheduled"
            };
            self.release_rest(w, old, status, !same_day, &mut out);
        }
        out
    }

    /// The held appointment `a` becomes booked (and due its reminder); only while it is
    /// still held, so a replay changes nothing.
    fn confirm_write(&self, w: &TurnWrite<'_>, a: &UpcomingAppointment) -> TransactWriteItem {
        let k = keys::appointment(&w.state.tenant_id, a.slot.start, &a.id);
        TransactWriteItem::builder()
            .update(
                Update::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_map(&k)))
                    .update_expression(
                        "SET #st = :booked, updated_at = :now, GSI2PK = :bucket, GSI2SK = :sk",
                    )
                    .condition_expression("#st = :held")
                    .expression_attribute_names("#st", "status")
                    .expression_attribute_values(":booked", s("booked"))
                    .expression_attribute_values(":held", s("held"))
                    .expression_attribute_values(":now", s(ts(w.now)))
                    .expression_attribute_values(":bucket", s(keys::reminder_bucket(a.slot.start)))
                    .expression_attribute_values(":sk", s(format!("{}#{}", ts(a.slot.start), a.id)))
                    .build()
                    .expect("update"),
            )
            .build()
    }

    /// Writes the turn: one UpdateItem when nothing else changes, else one
    /// TransactWriteItems with the call, slot locks, appointment, customer, callback and
    /// outbox items.
    pub async fn commit_turn(&self, w: TurnWrite<'_>) -> Result<(), CommitError> {
        let call = self.call_write(&w);
        let mut others: Vec<TransactWriteItem> = Vec::new();
        let st = w.state;
        // The inbound text's idempotency item goes right after the call (index 1), so a
        // replayed MessageSid is told apart from a taken slot.
        if let Some(t) = &w.sms {
            others.extend(self.sms_writes(&st.tenant_id, &st.id, t, w.now));
        }
        for a in w.actions {
            match a {
                Action::Book(bk) => {
                    others.extend(self.booking_writes(&w, bk));
                    others.extend(self.customer_writes(
                        &w,
                        &bk.phone.clone(),
                        Some(&bk.name),
                        bk.address.as_ref(),
                        Some(bk.slot.start),
                    ));
                }
                Action::Cancel(old) => {
                    others.extend(self.release_writes(&w, old, "cancelled", true))
                }
                Action::Confirm(held) => others.push(self.confirm_write(&w, held)),
                Action::Release(held) => {
                    others.extend(self.release_writes(&w, held, "released", true))
                }
                Action::SaveCustomer if !w.actions.iter().any(|x| matches!(x, Action::Book(_))) => {
                    others.extend(self.customer_writes(
                        &w,
                        st.callback_number(),
                        st.name.as_deref(),
                        st.address.as_ref(),
                        None,
                    ));
                }
                Action::Callback { reason, note } => {
                    others.push(self.callback_item(st, reason, note, w.now))
                }
                _ => {}
            }
        }
        for e in w.events {
            others.push(self.outbox_item(e));
        }
        if others.is_empty() {
            let u = call.update.expect("call write is an update");
            let res = self
                .ddb
                .update_item()
                .table_name(u.table_name())
                .set_key(Some(u.key().clone()))
                .update_expression(u.update_expression())
                .set_condition_expression(u.condition_expression().map(String::from))
                .set_expression_attribute_names(u.expression_attribute_names().cloned())
                .set_expression_attribute_values(u.expression_attribute_values().cloned())
                .send()
                .await;
            return match applied(res)? {
                true => Ok(()),
                false => Err(CommitError::Replay),
            };
        }
        let mut items = vec![call];
        items.extend(others);
        if items.len() > MAX_TRANSACTION_ITEMS {
            return Err(StoreError::Invalid(format!(
                "turn needs {} items; a transaction holds {MAX_TRANSACTION_ITEMS}",
                items.len()
            ))
            .into());
        }
        let sort_keys: Vec<String> = items.iter().map(sort_key_of).collect();
        let res = self
            .ddb
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await;
        match transaction_outcome(res)? {
            None => Ok(()),
            Some(failed) if failed[0] == 0 || (w.sms.is_some() && failed.contains(&1)) => {
                Err(CommitError::Replay)
            }
            Some(failed) => {
                let held: Vec<&str> = failed
                    .iter()
                    .filter_map(|i| sort_keys.get(*i).map(String::as_str))
                    .collect();
                tracing::info!(call_sid = %st.id, ?held, "booking lost: items already held");
                Err(CommitError::SlotTaken)
            }
        }
    }

    pub(crate) fn callback_item(
        &self,
        st: &Conversation,
        reason: &str,
        note: &str,
        now: DateTime<Utc>,
    ) -> TransactWriteItem {
        let id = format!("{}-{reason}", st.id);
        let mut it = item(&keys::callback(&st.tenant_id, "open", now, &id));
        it.insert("entity".into(), s("callback"));
        it.insert("id".into(), s(&id));
        it.insert("reason".into(), s(reason));
        it.insert("note".into(), s(note));
        it.insert("phone".into(), s(st.callback_number()));
        it.insert("call_sid".into(), s(&st.id));
        it.insert("created_at".into(), s(ts(now)));
        if let Some(nm) = &st.name {
            it.insert("name".into(), s(nm));
        }
        put(&self.table, it, None)
    }

    pub(crate) fn outbox_item(&self, e: &OutboxEvent) -> TransactWriteItem {
        put(
            &self.table,
            self.outbox_put_item(e),
            Some("attribute_not_exists(PK)"),
        )
    }

    /// The `OUTBOX#` item of an event (TTL seven days).
    pub(crate) fn outbox_put_item(&self, e: &OutboxEvent) -> Item {
        let mut it = item(&keys::outbox(&e.tenant_id, e.created_at, &e.id));
        it.insert("entity".into(), s("outbox"));
        it.insert("event".into(), json(e));
        it.insert(
            "expires_at".into(),
            n((e.created_at + Duration::days(OUTBOX_TTL_DAYS)).timestamp()),
        );
        it
    }

    /// Marks a call that ended without an outcome as `abandoned`, with a callback task and
    /// the owner's missed-call text, in one transaction. A second status callback finds the
    /// outcome set and changes nothing (returns false).
    pub async fn abandon_call(
        &self,
        tenant: &Tenant,
        call: &StoredCall,
        event: &OutboxEvent,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut st = call.state.clone();
        st.outcome = Some(Outcome::Abandoned);
        st.stage = crate::dialogue::Stage::Ended;
        let k = keys::call(&tenant.id, &st.id);
        let mut set = "SET #state = :state, outcome = :o, updated_at = :now".to_string();
        let mut values = HashMap::from([
            (":state".to_string(), state_json(&st)),
            (":o".into(), s("abandoned")),
            (":now".into(), s(ts(now))),
            (":seq".into(), n(call.seq)),
            (":open".into(), s("in_progress")),
        ]);
        if let Some(t) = transcript_set(call.stored_turns, &st.transcript) {
            set.push_str(t.expression);
            values.extend(t.values);
        }
        let update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .update_expression(set)
            .condition_expression("seq = :seq AND outcome = :open")
            .expression_attribute_names("#state", "state")
            .set_expression_attribute_values(Some(values))
            .build()
            .expect("update");
        let note = st
            .transcript
            .iter()
            .find(|t| t.speaker == "caller")
            .map(|t| t.text.clone())
            .unwrap_or_else(|| "hung up before saying anything".into());
        let items = vec![
            TransactWriteItem::builder().update(update).build(),
            self.callback_item(&st, "missed_call", &note, now),
            self.outbox_item(event),
        ];
        match self
            .ddb
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(e)
                if matches!(
                    e.as_service_error(),
                    Some(TransactWriteItemsError::TransactionCanceledException(_))
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(StoreError::sdk(e)),
        }
    }

    /// Records Twilio's final call status and duration on the call item.
    pub async fn set_call_status(
        &self,
        tenant_id: &str,
        call_sid: &str,
        status: &str,
        duration_s: Option<i64>,
    ) -> Result<(), StoreError> {
        let k = keys::call(tenant_id, call_sid);
        let mut req = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":st", s(status));
        req = match duration_s {
            Some(d) => req
                .update_expression("SET call_status = :st, duration_s = :d")
                .expression_attribute_values(":d", n(d)),
            None => req.update_expression("SET call_status = :st"),
        };
        applied(req.send().await).map(|_| ())
    }
}

/// The `state` attribute: the conversation as JSON, without the transcript (kept in the
/// item's `transcript` list).
pub(crate) fn state_json(st: &Conversation) -> AttributeValue {
    let mut v = serde_json::to_value(st).expect("domain types serialise");
    if let Some(o) = v.as_object_mut() {
        o.remove("transcript");
    }
    s(v.to_string())
}

/// What a write adds to its `SET` clause for the transcript list.
struct TranscriptSet {
    expression: &'static str,
    values: Vec<(String, AttributeValue)>,
}

/// The transcript part of a call write, given how many lines the item already holds
/// (`None`: none in the list yet, or an item from before the list): the lines past them
/// appended with `list_append`, or the whole list written when the item's list is not a
/// prefix of it (a new item, or a transcript cleared). `None` when nothing changes.
fn transcript_set(stored: Option<usize>, turns: &[TurnRecord]) -> Option<TranscriptSet> {
    let list =
        |t: &[TurnRecord]| serde_dynamo::to_attribute_value(t).expect("transcript lines serialise");
    match stored {
        Some(n) if n == turns.len() => None,
        Some(n) if n < turns.len() => Some(TranscriptSet {
            expression: ", transcript = list_append(if_not_exists(transcript, :none), :turns)",
            values: vec![
                (":none".into(), AttributeValue::L(Vec::new())),
                (":turns".into(), list(&turns[n..])),
            ],
        }),
        _ => Some(TranscriptSet {
            expression: ", transcript = :turns",
            values: vec![(":turns".into(), list(turns))],
        }),
    }
}

/// The sort key a transaction item writes (for naming what a cancelled one collided on).
fn sort_key_of(t: &TransactWriteItem) -> String {
    let key = t
        .put()
        .map(|p| p.item())
        .or_else(|| t.update().map(|u| u.key()))
        .or_else(|| t.delete().map(|d| d.key()))
        .or_else(|| t.condition_check().map(|c| c.key()));
    key.and_then(|k| get_s(k, "SK"))
        .unwrap_or_default()
        .to_string()
}
