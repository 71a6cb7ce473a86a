//! Notification items (one per event and channel) and opt-outs.

use super::attrs::*;
use super::{keys, Store, StoreError};
use chrono::{DateTime, SecondsFormat, Utc};

/// Result of claiming a notification before sending it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// This worker may send it.
    Claimed,
    /// Already sent (or being sent by another worker whose lease is live): do nothing.
    Done,
}

/// How long a claim protects a send in progress before another worker may retry it, s.
const LEASE_S: i64 = 60;

impl Store {
    /// Claims `NOTIF#{event}#{channel}` for sending. Redelivered SQS messages find it sent
    /// and stop, so a message is never sent twice.
    pub async fn claim_notification(
        &self,
        tenant_id: &str,
        event_id: &str,
        channel: &str,
        to: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<ClaimOutcome, StoreError> {
        let k = keys::notification(tenant_id, event_id, channel);
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .update_expression("SET #st = :sending, lease_until = :lease, recipient = :to, body = :body, entity = :e, updated_at = :now, created_at = if_not_exists(created_at, :now) ADD attempts :one")
            .condition_expression("attribute_not_exists(PK) OR #st = :retry OR (#st = :sending AND lease_until < :nowe)")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":sending", s("sending"))
            .expression_attribute_values(":retry", s("retry"))
            .expression_attribute_values(":lease", n(now.timestamp() + LEASE_S))
            .expression_attribute_values(":nowe", n(now.timestamp()))
            .expression_attribute_values(":to", s(crate::phone::mask(to)))
            .expression_attribute_values(":body", s(body))
            .expression_attribute_values(":e", s("notification"))
            .expression_attribute_values(":now", s(now.to_rfc3339_opts(SecondsFormat::Secs, true)))
            .expression_attribute_values(":one", n(1))
            .send()
            .await;
        match res {
            Ok(_) => Ok(ClaimOutcome::Claimed),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Ok(ClaimOutcome::Done)
            }
            Err(e) => Err(StoreError::sdk(e)),
        }
    }

    /// Records the result of a send: `sent` (with Twilio's SID), `retry`, `failed` or
    /// `suppressed` (opted out).
    pub async fn finish_notification(
        &self,
        tenant_id: &str,
        event_id: &str,
        channel: &str,
        status: &str,
        sid: Option<&str>,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let k = keys::notification(tenant_id, event_id, channel);
        let mut req = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":st", s(status));
        let mut set = vec!["#st = :st"];
        if let Some(sid) = sid {
            req = req.expression_attribute_values(":sid", s(sid));
            set.push("message_sid = :sid");
        }
        if let Some(err) = error {
            req = req.expression_attribute_values(":err", s(err));
            set.push("last_error = :err");
        }
        req.update_expression(format!("SET {}", set.join(", ")))
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }

    /// The notification's status, if it exists.
    pub async fn notification_status(
        &self,
        tenant_id: &str,
        event_id: &str,
        channel: &str,
    ) -> Result<Option<String>, StoreError> {
        let k = keys::notification(tenant_id, event_id, channel);
        let out = self.get_item(&k, true).await?;
        Ok(out
            .as_ref()
            .and_then(|i| get_s(i, "status"))
            .map(String::from))
    }

    pub async fn is_opted_out(&self, tenant_id: &str, e164: &str) -> Result<bool, StoreError> {
        let k = keys::opt_out(tenant_id, e164);
        let out = self.get_item(&k, false).await?;
        Ok(out.as_ref().is_some())
    }

    pub async fn set_opt_out(
        &self,
        tenant_id: &str,
        e164: &str,
        opted_out: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let k = keys::opt_out(tenant_id, e164);
        if opted_out {
            let mut it = item(&k);
            it.insert("entity".into(), s("opt_out"));
            it.insert(
                "at".into(),
                s(now.to_rfc3339_opts(SecondsFormat::Secs, true)),
            );
            self.ddb
                .put_item()
                .table_name(&self.table)
                .set_item(Some(it))
                .send()
                .await
                .map_err(StoreError::sdk)?;
        } else {
            self.ddb
                .delete_item()
                .table_name(&self.table)
                .set_key(Some(key_map(&k)))
                .send()
                .await
                .map_err(StoreError::sdk)?;
        }
        Ok(())
    }
}
