//! Notification items (one per event and channel) and opt-outs.

use super::attrs::*;
use super::write::applied;
use super::{keys, Store, StoreError};
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, SecondsFormat, Utc};

/// The result of one send attempt, as [`Store::finish_notification`] records it.
#[derive(Debug, Clone, Copy)]
pub struct SendResult<'a> {
    /// `sent`, `retry`, `unconfirmed`, `failed` or `suppressed`.
    pub status: &'a str,
    /// Twilio's Message or Call SID, when the send was accepted.
    pub sid: Option<&'a str>,
    /// Why it failed or was suppressed.
    pub error: Option<&'a str>,
}

/// Result of claiming a notification before sending it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// This worker may send it: no earlier attempt can have reached the provider.
    Claimed,
    /// This worker may send it, but an earlier attempt may have reached the provider: it
    /// ended `unconfirmed` (sent, no answer) or its worker died mid-send (an expired
    /// `sending` lease). `since` is when the first attempt began; look for a message sent
    /// since then before sending again.
    ClaimedAfterUnconfirmed { since: DateTime<Utc> },
    /// Already sent (or being sent by another worker whose lease is live): do nothing.
    Done,
}

/// Names one notification: `NOTIF#{event}#{channel}` of a tenant.
#[derive(Debug, Clone, Copy)]
pub struct NotificationRef<'a> {
    pub tenant_id: &'a str,
    pub event_id: &'a str,
    /// `sms-owner-0`, `voice-owner-0`, …
    pub channel: &'a str,
}

/// One notification as the owner's audit trail shows it.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct NotificationRow {
    pub event_id: String,
    /// `sms-owner-0`, `sms-customer-1`, `voice-owner-0` (the fallback call).
    pub channel: String,
    /// `emergency_alert`, `booking_confirmed`, …
    pub kind: String,
    /// Masked (`+1913•••0199`).
    pub recipient: String,
    pub body: String,
    /// sending, retry, unconfirmed, sent, delivered, undelivered, failed, suppressed.
    pub status: String,
    pub attempts: i64,
    pub created_at: String,
    pub updated_at: String,
    pub last_error: Option<String>,
    /// Delivery status callbacks in the order they moved the status.
    pub history: Vec<StatusChange>,
}

/// One delivery status a callback reported.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct StatusChange {
    pub status: String,
    pub at: String,
    pub error_code: Option<String>,
}

/// A `NOTIF#` item's own attributes.
#[derive(serde::Deserialize)]
struct NotificationItem {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    attempts: i64,
    #[serde(default)]
    created_at: String,
    #[serde(default)]
    updated_at: String,
    last_error: Option<String>,
    #[serde(default)]
    history: Vec<HistoryItem>,
}

#[derive(serde::Deserialize)]
struct HistoryItem {
    #[serde(default)]
    status: String,
    #[serde(default)]
    at: String,
    error_code: Option<String>,
}

/// A `NOTIF#` item as the audit trail shows it.
fn notification_row(it: &Item) -> Option<NotificationRow> {
    let sk = get_s(it, "SK").unwrap_or_default();
    let (event_id, channel) = sk
        .strip_prefix(keys::NOTIFICATION_PREFIX)
        .and_then(|r| r.rsplit_once('#'))
        .unwrap_or_default();
    let r: NotificationItem = record(it, "notification")?;
    Some(NotificationRow {
        event_id: event_id.to_string(),
        channel: channel.to_string(),
        kind: r.kind,
        recipient: r.recipient,
        body: r.body,
        status: r.status,
        attempts: r.attempts,
        created_at: r.created_at,
        updated_at: r.updated_at,
        last_error: r.last_error,
        history: r
            .history
            .into_iter()
            .map(|h| StatusChange {
                status: h.status,
                at: h.at,
                error_code: h.error_code.filter(|c| !c.is_empty()),
            })
            .collect(),
    })
}

/// A one-element list to `list_append` to a notification's `history`.
fn history_entry(status: &str, at: &str, error_code: &str) -> AttributeValue {
    AttributeValue::L(vec![AttributeValue::M(
        [
            ("status".to_string(), s(status)),
            ("at".to_string(), s(at)),
            ("error_code".to_string(), s(error_code)),
        ]
        .into_iter()
        .collect(),
    )])
}

/// How long a claim protects a send in progress before another worker may retry it, s.
const LEASE_S: i64 = 60;

impl Store {
    /// Claims `NOTIF#{event}#{channel}` for sending. Redelivered SQS messages find it sent
    /// and stop, so a message is never sent twice.
    pub async fn claim_notification(
        &self,
        notification: NotificationRef<'_>,
        kind: &str,
        to: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<ClaimOutcome, StoreError> {
        let NotificationRef {
            tenant_id,
            event_id,
            channel,
        } = notification;
        let k = keys::notification(tenant_id, event_id, channel);
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .update_expression("SET #st = :sending, lease_until = :lease, recipient = :to, body = :body, kind = :kind, entity = :e, updated_at = :now, created_at = if_not_exists(created_at, :now) ADD attempts :one")
            .condition_expression("attribute_not_exists(PK) OR #st IN (:retry, :unconfirmed) OR (#st = :sending AND lease_until < :nowe)")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":sending", s("sending"))
            .expression_attribute_values(":retry", s("retry"))
            .expression_attribute_values(":unconfirmed", s("unconfirmed"))
            .expression_attribute_values(":lease", n(now.timestamp() + LEASE_S))
            .expression_attribute_values(":nowe", n(now.timestamp()))
            .expression_attribute_values(":to", s(crate::phone::mask(to)))
            .expression_attribute_values(":body", s(body))
            .expression_attribute_values(":kind", s(kind))
            .expression_attribute_values(":e", s("notification"))
            .expression_attribute_values(":now", s(now.to_rfc3339_opts(SecondsFormat::Secs, true)))
            .expression_attribute_values(":one", n(1))
            // The earlier status and first attempt's time decide whether to look before
            // sending. ALL_OLD, not UPDATED_OLD: moto leaves out of UPDATED_OLD an
            // attribute the update left unchanged (`created_at`, by `if_not_exists`).
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await;
        let old = match res {
            Ok(out) => out.attributes.unwrap_or_default(),
            // Only a failed condition comes back `Ok`: already sent, or a live lease.
            Err(e) => return applied(Err::<(), _>(e)).map(|_| ClaimOutcome::Done),
        };
        let earlier_status = old.get("status").and_then(|v| v.as_s().ok());
        let since = old
            .get("created_at")
            .and_then(|v| v.as_s().ok())
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc));
        Ok(match (earlier_status.map(String::as_str), since) {
            (Some("unconfirmed" | "sending"), Some(since)) => {
                ClaimOutcome::ClaimedAfterUnconfirmed { since }
            }
            _ => ClaimOutcome::Claimed,
        })
    }

    /// Records the result of a send: `sent` (with Twilio's SID), `retry`, `unconfirmed`
    /// (sent, no answer), `failed` or `suppressed` (opted out), as of `now`. Never moves a
    /// status backwards: a delivery callback may have come first.
    pub async fn finish_notification(
        &self,
        tenant_id: &str,
        event_id: &str,
        channel: &str,
        result: SendResult<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let SendResult { status, sid, error } = result;
        let k = keys::notification(tenant_id, event_id, channel);
        let mut req = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":st", s(status));
        let mut set = vec!["#st = :st"];
        let rank = crate::notify::delivery_rank(status);
        if rank > 0 {
            // A delivery callback may have arrived first: never move a status backwards.
            let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
            req = req
                .expression_attribute_values(":rank", n(rank))
                .expression_attribute_values(":empty", AttributeValue::L(vec![]))
                .expression_attribute_values(":h", history_entry(status, &at, ""))
                .condition_expression("attribute_not_exists(status_rank) OR status_rank < :rank");
            set.push("status_rank = :rank");
            set.push("history = list_append(if_not_exists(history, :empty), :h)");
        } else {
            // `retry`, `unconfirmed`, `suppressed`: only while no send is confirmed. A
            // status callback that arrived while the request timed out proves it went out.
            req = req.condition_expression("attribute_not_exists(status_rank)");
        }
        if let Some(sid) = sid {
            req = req.expression_attribute_values(":sid", s(sid));
            set.push("message_sid = :sid");
        }
        if let Some(err) = error {
            req = req.expression_attribute_values(":err", s(err));
            set.push("last_error = :err");
        }
        // Not applied means a later status is already recorded: nothing to do.
        applied(
            req.update_expression(format!("SET {}", set.join(", ")))
                .send()
                .await,
        )
        .map(|_| ())
    }

    /// One notification, if it exists (one consistent GetItem).
    pub async fn notification(
        &self,
        n: NotificationRef<'_>,
    ) -> Result<Option<NotificationRow>, StoreError> {
        let k = keys::notification(n.tenant_id, n.event_id, n.channel);
        Ok(self
            .get_item(&k, true)
            .await?
            .as_ref()
            .and_then(notification_row))
    }

    /// Applies a delivery status callback: moves the notification's status forward only
    /// (duplicates and late, out-of-order callbacks change nothing) and appends it to the
    /// notification's history. Returns whether the status moved.
    pub async fn record_delivery_status(
        &self,
        notification: NotificationRef<'_>,
        status: &str,
        message_sid: &str,
        error_code: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let NotificationRef {
            tenant_id,
            event_id,
            channel,
        } = notification;
        let k = keys::notification(tenant_id, event_id, channel);
        let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .update_expression("SET #st = :st, status_rank = :rank, message_sid = :sid, updated_at = :now, delivery_error = :err, history = list_append(if_not_exists(history, :empty), :h)")
            .condition_expression("attribute_exists(PK) AND (attribute_not_exists(status_rank) OR status_rank < :rank)")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":st", s(status))
            .expression_attribute_values(":rank", n(crate::notify::delivery_rank(status)))
            .expression_attribute_values(":sid", s(message_sid))
            .expression_attribute_values(":now", s(&at))
            .expression_attribute_values(":err", s(error_code.unwrap_or("")))
            .expression_attribute_values(":empty", AttributeValue::L(vec![]))
            .expression_attribute_values(":h", history_entry(status, &at, error_code.unwrap_or("")))
            .send()
            .await;
        applied(res)
    }

    /// The tenant's notifications, newest first: the audit trail of what was sent to
    /// whom (numbers masked), when, and what became of it.
    pub async fn list_notifications(
        &self,
        tenant_id: &str,
        limit: i32,
        keep: impl Fn(&NotificationRow) -> bool,
    ) -> Result<Vec<NotificationRow>, StoreError> {
        let items = self
            .query_prefix(tenant_id, keys::NOTIFICATION_PREFIX, None, false)
            .await?;
        let mut rows: Vec<NotificationRow> = items
            .iter()
            .filter_map(notification_row)
            .filter(|r| keep(r))
            .collect();
        rows.sort_by(|a, b| b.created_at.cmp(&a.created_at));
        rows.truncate(limit.max(1) as usize);
        Ok(rows)
    }

    /// Counts one more customer text to `e164` this hour; false once `limit` is passed.
    pub async fn take_send_allowance(
        &self,
        tenant_id: &str,
        e164: &str,
        limit: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let k = keys::send_throttle(tenant_id, e164, now);
        let out = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .update_expression("ADD sent :one SET expires_at = :exp, entity = :e")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":exp", n(now.timestamp() + 2 * 3600))
            .expression_attribute_values(":e", s("send_throttle"))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllNew)
            .send()
            .await
            .map_err(StoreError::sdk)?;
        let sent = out.attributes().and_then(|a| get_n(a, "sent")).unwrap_or(1);
        Ok(sent <= limit)
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
