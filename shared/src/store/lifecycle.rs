//! Reads and writes of the scheduled jobs: jobs starting in an hour (GSI2), every tenant,
//! outbox events written once, old conversations to redact, win-back candidates, and the
//! digest's counts.

use super::attrs::*;
use super::{keys, Store, StoreError};
use crate::crm::{Appointment, AppointmentStatus};
use crate::notify::OutboxEvent;
use crate::store::calls::StoredCall;
use chrono::{DateTime, SecondsFormat, Utc};
use std::collections::HashMap;

/// A customer the win-back campaign may text.
#[derive(Debug, Clone)]
pub struct WinbackCandidate {
    pub id: String,
    pub name: Option<String>,
    pub phone: String,
    pub last_job_at: DateTime<Utc>,
    /// The last campaign that texted them (`winback-2026-11`).
    pub last_campaign: Option<String>,
}

impl Store {
    /// Every tenant id.
    pub async fn tenant_ids(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .query_all(keys::TENANTS_PK, keys::TENANT_PREFIX)
            .await?
            .iter()
            .filter_map(|it| get_s(it, "tenant_id").map(String::from))
            .collect())
    }

    /// Booked jobs of every tenant starting in the UTC hour of `hour` (GSI2, all pages), each
    /// with its tenant id.
    pub async fn jobs_starting_in_hour(
        &self,
        hour: DateTime<Utc>,
    ) -> Result<Vec<(String, Appointment)>, StoreError> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let res = self
                .ddb
                .query()
                .table_name(&self.table)
                .index_name("GSI2")
                .key_condition_expression("GSI2PK = :b")
                .expression_attribute_values(":b", s(keys::reminder_bucket(hour)))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(StoreError::sdk)?;
            for it in res.items() {
                let due = (|| {
                    let tenant = get_s(it, "PK")?.strip_prefix(keys::TENANT_PREFIX)?;
                    let a = super::crm::appointment_of(it)?;
                    let remindable =
                        a.status == AppointmentStatus::Booked && !a.customer.phone.is_empty();
                    remindable.then(|| (tenant.to_string(), a))
                })();
                out.extend(due);
            }
            match res.last_evaluated_key() {
                Some(k) => start = Some(k.clone()),
                None => return Ok(out),
            }
        }
    }

    /// Writes an outbox event unless one with its key exists; `false` when it did (a
    /// second run of the same job in the same hour).
    pub async fn put_outbox_once(&self, e: &OutboxEvent) -> Result<bool, StoreError> {
        let it = self.outbox_put_item(e);
        let res = self
            .ddb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(it))
            .condition_expression("attribute_not_exists(PK)")
            .send()
            .await;
        super::write::applied(res)
    }

    /// Callbacks (open and done) created in `[from, to)` for `reason`.
    pub async fn callbacks_created(
        &self,
        tenant_id: &str,
        reason: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let (a, b) = (ts(from), ts(to));
        Ok(self
            .query_all(&keys::tenant_pk(tenant_id), keys::CALLBACK_PREFIX)
            .await?
            .iter()
            .filter(|it| get_s(it, "reason") == Some(reason))
            .filter(|it| get_s(it, "created_at").is_some_and(|c| c >= a.as_str() && c < b.as_str()))
            .count())
    }

    /// Calls whose transcript is older than `cutoff` and not yet redacted.
    pub async fn calls_to_redact(
        &self,
        tenant_id: &str,
        cutoff: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let c = ts(cutoff);
        Ok(self
            .query_all(&keys::tenant_pk(tenant_id), keys::CALL_PREFIX)
            .await?
            .iter()
            .filter(|it| get_s(it, "transcript_redacted_at").is_none())
            .filter(|it| get_s(it, "started_at").is_some_and(|t| t < c.as_str()))
            .filter_map(|it| {
                get_s(it, "SK")?
                    .strip_prefix(keys::CALL_PREFIX)
                    .map(String::from)
            })
            .collect())
    }

    /// Replaces a call's transcript with nothing (the outcome, customer and job stay), if
    /// the call has not moved on since it was read.
    pub async fn redact_call(
        &self,
        tenant_id: &str,
        call: &StoredCall,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut state = call.state.clone();
        state.transcript.clear();
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::call(tenant_id, &state.id))))
            .update_expression(
                "SET #state = :state, transcript = :none, transcript_redacted_at = :now",
            )
            .condition_expression("seq = :seq")
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":state", super::calls::state_json(&state))
            .expression_attribute_values(
                ":none",
                aws_sdk_dynamodb::types::AttributeValue::L(Vec::new()),
            )
            .expression_attribute_values(":seq", n(call.seq))
            .expression_attribute_values(":now", s(ts(now)))
            .send()
            .await;
        super::write::applied(res)
    }

    /// Text messages older than `cutoff` whose body is still kept: their sort keys.
    pub async fn messages_to_redact(
        &self,
        tenant_id: &str,
        cutoff: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let c = cutoff.to_rfc3339_opts(SecondsFormat::Millis, true);
        Ok(self
            .query_all(&keys::tenant_pk(tenant_id), keys::MESSAGE_PREFIX)
            .await?
            .iter()
            .filter(|it| it.contains_key("body"))
            .filter(|it| get_s(it, "at").is_some_and(|t| t < c.as_str()))
            .filter_map(|it| get_s(it, "SK").map(String::from))
            .collect())
    }

    /// Removes a text's body (who, when and which way stay).
    pub async fn redact_message(
        &self,
        tenant_id: &str,
        sk: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .key("PK", s(keys::tenant_pk(tenant_id)))
            .key("SK", s(sk))
            .update_expression("REMOVE body SET body_redacted_at = :now")
            .condition_expression("attribute_exists(body)")
            .expression_attribute_values(":now", s(ts(now)))
            .send()
            .await;
        super::write::applied(res)
    }

    /// Records a scheduled job's counts for a tenant as an audit record.
    pub async fn audit_counts(
        &self,
        tenant_id: &str,
        actor: &str,
        action: &str,
        counts: &HashMap<String, u64>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut a = item(&keys::audit(tenant_id, now, action));
        a.insert("entity".into(), s("audit"));
        a.insert("actor".into(), s(actor));
        a.insert("action".into(), s(action));
        a.insert("target".into(), s(tenant_id));
        a.insert("at".into(), s(ts(now)));
        a.insert("counts".into(), json(counts));
        self.ddb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(a))
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }

    /// Customers whose latest job started before `before` (never-booked customers are not
    /// win-back candidates).
    pub async fn winback_candidates(
        &self,
        tenant_id: &str,
        before: DateTime<Utc>,
    ) -> Result<Vec<WinbackCandidate>, StoreError> {
        let b = ts(before);
        Ok(self
            .query_all(&keys::tenant_pk(tenant_id), keys::CUSTOMER_PREFIX)
            .await?
            .iter()
            .filter(|it| get_s(it, "last_job_at").is_some_and(|t| t < b.as_str()))
            .filter_map(|it| {
                Some(WinbackCandidate {
                    id: get_s(it, "id")?.into(),
                    name: get_s(it, "name").map(String::from),
                    phone: get_s(it, "phone")?.into(),
                    last_job_at: parse_ts(get_s(it, "last_job_at")?)?,
                    last_campaign: get_s(it, "last_campaign").map(String::from),
                })
            })
            .collect())
    }

    /// Marks a customer texted by `campaign` and writes its outbox event, together; `false`
    /// when the customer already had this campaign.
    pub async fn record_campaign_text(
        &self,
        tenant_id: &str,
        customer_id: &str,
        campaign: &str,
        event: &OutboxEvent,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mark = aws_sdk_dynamodb::types::Update::builder()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::customer(tenant_id, customer_id))))
            .update_expression("SET last_campaign = :c, last_campaign_at = :now")
            .condition_expression("attribute_exists(PK) AND (attribute_not_exists(last_campaign) OR last_campaign <> :c)")
            .expression_attribute_values(":c", s(campaign))
            .expression_attribute_values(":now", s(ts(now)))
            .build()
            .expect("update");
        let res = self
            .ddb
            .transact_write_items()
            .transact_items(
                aws_sdk_dynamodb::types::TransactWriteItem::builder()
                    .update(mark)
                    .build(),
            )
            .transact_items(self.outbox_item(event))
            .send()
            .await;
        Ok(super::write::transaction_outcome(res)?.is_none())
    }
}
