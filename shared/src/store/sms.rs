//! Text conversations: the per-number pointer to the current conversation, the message
//! log (`MSG#`), and the writes one inbound text adds to its turn's transaction.

use super::attrs::*;
use super::calls::customer_id_for;
use super::write::{put, transaction_outcome};
use super::{keys, Store, StoreError};
use aws_sdk_dynamodb::types::TransactWriteItem;
use chrono::{DateTime, Duration, SecondsFormat, Utc};

/// Idempotency items for inbound MessageSids live this long (Twilio retries within minutes).
const IDEM_TTL_DAYS: i64 = 2;

/// The text side of a turn: what came in and what goes back.
#[derive(Debug, Clone)]
pub struct SmsTurn<'a> {
    /// The customer's number (E.164).
    pub from: &'a str,
    /// The business number the customer texted.
    pub to: &'a str,
    /// Twilio's `MessageSid` of the inbound text: a replay carries the same one.
    pub message_sid: &'a str,
    pub body: &'a str,
    /// The reply sent back in TwiML; empty for none.
    pub reply: &'a str,
}

/// Which way a logged text went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Inbound,
    Outbound,
}

impl Direction {
    fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }
}

impl Store {
    /// The id of the number's current text conversation, if any.
    pub async fn sms_conversation(
        &self,
        tenant_id: &str,
        e164: &str,
    ) -> Result<Option<String>, StoreError> {
        let out = self
            .get_item(&keys::sms_conversation(tenant_id, e164), true)
            .await?;
        Ok(out
            .as_ref()
            .and_then(|i| get_s(i, "conversation_id"))
            .map(String::from))
    }

    /// A `MSG#` item for one side of an exchange: the inbound text (with its MessageSid)
    /// or the reply.
    fn message_item(
        &self,
        tenant_id: &str,
        t: &SmsTurn<'_>,
        direction: Direction,
        conversation: Option<&str>,
        at: DateTime<Utc>,
    ) -> Item {
        let mut it = item(&keys::sms_message(tenant_id, t.from, at));
        it.insert("entity".into(), s("message"));
        it.insert("direction".into(), s(direction.as_str()));
        it.insert("phone".into(), s(t.from));
        let body = match direction {
            Direction::Inbound => {
                it.insert("message_sid".into(), s(t.message_sid));
                t.body
            }
            Direction::Outbound => t.reply,
        };
        it.insert("body".into(), s(body));
        it.insert(
            "at".into(),
            s(at.to_rfc3339_opts(SecondsFormat::Millis, true)),
        );
        if let Some(c) = conversation {
            it.insert("conversation_id".into(), s(c));
        }
        let customer = customer_id_for(tenant_id, t.from);
        it.insert(
            "GSI1PK".into(),
            s(keys::customer_timeline(tenant_id, &customer)),
        );
        it.insert("GSI1SK".into(), s(keys::timeline_message(at)));
        it
    }

    /// The idempotency item (first: its failure means a replay) and the inbound and
    /// outbound `MSG#` items of one exchange.
    fn exchange_items(
        &self,
        tenant_id: &str,
        t: &SmsTurn<'_>,
        conversation: Option<&str>,
        now: DateTime<Utc>,
    ) -> Vec<TransactWriteItem> {
        let mut idem = item(&keys::idempotency("sms", t.message_sid));
        idem.insert("entity".into(), s("idempotency"));
        idem.insert(
            "expires_at".into(),
            n((now + Duration::days(IDEM_TTL_DAYS)).timestamp()),
        );
        let mut out = vec![
            put(&self.table, idem, Some("attribute_not_exists(PK)")),
            put(
                &self.table,
                self.message_item(tenant_id, t, Direction::Inbound, conversation, now),
                None,
            ),
        ];
        if !t.reply.is_empty() {
            let at = now + Duration::milliseconds(1);
            out.push(put(
                &self.table,
                self.message_item(tenant_id, t, Direction::Outbound, conversation, at),
                None,
            ));
        }
        out
    }

    /// The items an inbound text adds to its turn's transaction: the exchange (idempotency
    /// item first) and the conversation pointer.
    pub(crate) fn sms_writes(
        &self,
        tenant_id: &str,
        conversation: &str,
        t: &SmsTurn<'_>,
        now: DateTime<Utc>,
    ) -> Vec<TransactWriteItem> {
        let mut out = self.exchange_items(tenant_id, t, Some(conversation), now);
        let mut ptr = item(&keys::sms_conversation(tenant_id, t.from));
        ptr.insert("entity".into(), s("sms_conversation"));
        ptr.insert("conversation_id".into(), s(conversation));
        ptr.insert("business_number".into(), s(t.to));
        ptr.insert(
            "updated_at".into(),
            s(now.to_rfc3339_opts(SecondsFormat::Secs, true)),
        );
        out.push(put(&self.table, ptr, None));
        out
    }

    /// Logs a text outside a conversation turn (keywords: STOP, START, HELP), once per
    /// inbound MessageSid. Returns false when this MessageSid was already logged.
    pub async fn log_keyword_exchange(
        &self,
        tenant_id: &str,
        t: &SmsTurn<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let items = self.exchange_items(tenant_id, t, None, now);
        let res = self
            .ddb
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await;
        // Only the idempotency item (first) carries a condition: failing it is a replay.
        Ok(transaction_outcome(res)?.is_none())
    }
}
