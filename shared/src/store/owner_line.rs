//! The owner's line's state: sessions (one per call or texting cell, guarded by `seq`
//! like a call), each login's line settings on its membership item (cell, whether it is
//! verified, the PIN's argon2 hash, a pending verification code's hash), and the
//! shop-wide wrong-PIN lock. PINs and codes are stored only as hashes.

use super::attrs::*;
use super::write::{applied, put};
use super::{keys, Store, StoreError};
use crate::owner_line::LineSession;
use crate::tenancy::Role;
use aws_sdk_dynamodb::types::{ReturnValue, TransactWriteItem, Update};
use chrono::{DateTime, Duration, Utc};

/// A stored owner's-line session.
#[derive(Debug, Clone)]
pub struct StoredLineSession {
    pub session: LineSession,
    /// The turn the next answer must carry (replays of older turns get `last_answer`).
    pub seq: u64,
    /// The TwiML last answered.
    pub last_answer: String,
}

/// A login's owner's-line settings, as stored on its membership.
#[derive(Debug, Clone, Default)]
pub struct LineMember {
    pub email: String,
    pub role: Option<Role>,
    pub disabled: bool,
    /// The cell (E.164) the login gave, verified or not.
    pub cell: Option<String>,
    pub verified: bool,
    /// argon2 PHC string of the PIN.
    pub pin_hash: Option<String>,
    /// SHA-256 (hex) of the verification code texted to `cell`, and when it expires.
    pub code_hash: Option<String>,
    pub code_expires: Option<DateTime<Utc>>,
}

/// Whether a PIN may be tried now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinGate {
    /// Tried; this is the `attempt`-th in a row without a lock.
    Open {
        attempt: i64,
    },
    Locked,
}

/// How long a session outlives its last turn.
const SESSION_HOURS: i64 = 24;

fn member(it: &Item) -> Option<LineMember> {
    Some(LineMember {
        email: get_s(it, "email")?.into(),
        role: get_s(it, "role").and_then(|r| serde_json::from_value(serde_json::json!(r)).ok()),
        disabled: it
            .get("disabled")
            .and_then(|v| v.as_bool().ok())
            .copied()
            .unwrap_or(false),
        cell: get_s(it, "line_cell").map(String::from),
        verified: it
            .get("line_verified")
            .and_then(|v| v.as_bool().ok())
            .copied()
            .unwrap_or(false),
        pin_hash: get_s(it, "pin_hash").map(String::from),
        code_hash: get_s(it, "line_code_hash").map(String::from),
        code_expires: get_s(it, "line_code_expires").and_then(parse_ts),
    })
}

impl Store {
    /// The session `id` (a CallSid or `sms:{cell}`), strongly consistent.
    pub async fn line_session(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<StoredLineSession>, StoreError> {
        let Some(it) = self
            .get_item(&keys::line_session(tenant_id, id), true)
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(StoredLineSession {
            session: get_json(&it, "session")?,
            seq: get_n(&it, "seq").unwrap_or(0) as u64,
            last_answer: get_s(&it, "last_answer").unwrap_or_default().into(),
        }))
    }

    /// Writes a session's next turn (`prev + 1`, or 1 for a new session) if the stored one
    /// is still at `prev` (`None`: no session yet). False when another write got there
    /// first (a replayed webhook).
    pub async fn put_line_session(
        &self,
        tenant_id: &str,
        id: &str,
        session: &LineSession,
        prev: Option<u64>,
        last_answer: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let seq = prev.map_or(1, |p| p + 1);
        let mut it = item(&keys::line_session(tenant_id, id));
        it.insert("entity".into(), s("line_session"));
        it.insert("session".into(), json(session));
        it.insert("seq".into(), n(seq));
        it.insert("last_answer".into(), s(last_answer));
        it.insert("updated_at".into(), s(ts(now)));
        it.insert(
            "expires_at".into(),
            n((now + Duration::hours(SESSION_HOURS)).timestamp()),
        );
        let mut req = self
            .ddb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(it));
        req = match prev {
            None => req.condition_expression("attribute_not_exists(PK)"),
            Some(p) => req
                .condition_expression("seq = :p")
                .expression_attribute_values(":p", n(p)),
        };
        applied(req.send().await)
    }

    /// Every login of the tenant with its line settings.
    pub async fn line_members(&self, tenant_id: &str) -> Result<Vec<LineMember>, StoreError> {
        Ok(self
            .query_all(&keys::tenant_pk(tenant_id), keys::USER_PREFIX)
            .await?
            .iter()
            .filter_map(member)
            .collect())
    }

    /// One login's line settings (`None`: not the tenant's).
    pub async fn line_member(
        &self,
        tenant_id: &str,
        email: &str,
    ) -> Result<Option<LineMember>, StoreError> {
        Ok(self
            .get_item(&keys::user_member(tenant_id, email), true)
            .await?
            .as_ref()
            .and_then(member))
    }

    fn member_update(
        &self,
        tenant_id: &str,
        email: &str,
        expression: &str,
        values: Vec<(&str, aws_sdk_dynamodb::types::AttributeValue)>,
    ) -> TransactWriteItem {
        let mut u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::user_member(tenant_id, email))))
            .update_expression(expression)
            .condition_expression("attribute_exists(PK)");
        for (k, v) in values {
            u = u.expression_attribute_values(k, v);
        }
        TransactWriteItem::builder()
            .update(u.build().expect("update"))
            .build()
    }

    /// Sets a login's PIN hash, with an audit record. False when the login is not the
    /// tenant's.
    pub async fn set_line_pin(
        &self,
        tenant_id: &str,
        email: &str,
        pin_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let items = vec![
            self.member_update(
                tenant_id,
                email,
                "SET pin_hash = :h",
                vec![(":h", s(pin_hash))],
            ),
            put(
                &self.table,
                super::accounts::audit_item(tenant_id, email, "owner_line_pin_set", email, now),
                None,
            ),
        ];
        Ok(self.transact(items).await?.is_none())
    }

    /// Stores a new cell (unverified) with the hash of the code to be texted to it. The
    /// code's text goes straight to Twilio, never through the outbox, so no stored
    /// notification shows it. False when the login is not the tenant's.
    pub async fn set_line_cell(
        &self,
        tenant_id: &str,
        email: &str,
        cell: &str,
        code_hash: &str,
        expires: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let items = vec![self.member_update(
            tenant_id,
            email,
            "SET line_cell = :c, line_verified = :f, line_code_hash = :h, line_code_expires = :e, line_code_tries = :zero",
            vec![
                (":c", s(cell)),
                (":f", b(false)),
                (":h", s(code_hash)),
                (":e", s(ts(expires))),
                (":zero", n(0)),
            ],
        )];
        Ok(self.transact(items).await?.is_none())
    }

    /// Marks the login's cell verified if the code's hash still matches (spent at once),
    /// with an audit record. False when it no longer matches.
    pub async fn verify_line_cell(
        &self,
        tenant_id: &str,
        email: &str,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::user_member(tenant_id, email))))
            .update_expression("SET line_verified = :t REMOVE line_code_hash, line_code_expires")
            .condition_expression(
                "line_code_hash = :h AND (attribute_not_exists(line_code_tries) OR line_code_tries < :max)",
            )
            .expression_attribute_values(":t", b(true))
            .expression_attribute_values(":h", s(code_hash))
            .expression_attribute_values(":max", n(crate::flows::owner_line::enroll::MAX_CODE_TRIES))
            .build()
            .expect("update");
        let items = vec![
            TransactWriteItem::builder().update(u).build(),
            put(
                &self.table,
                super::accounts::audit_item(
                    tenant_id,
                    email,
                    "owner_line_cell_verified",
                    email,
                    now,
                ),
                None,
            ),
        ];
        Ok(self.transact(items).await?.is_none())
    }

    /// Sets a login's cell as verified without a texted code: for seeding a demo tenant
    /// and for platform support (audited as the platform). False when the login is not
    /// the tenant's.
    pub async fn set_verified_line_cell(
        &self,
        tenant_id: &str,
        email: &str,
        cell: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let items = vec![
            self.member_update(
                tenant_id,
                email,
                "SET line_cell = :c, line_verified = :t REMOVE line_code_hash, line_code_expires",
                vec![(":c", s(cell)), (":t", b(true))],
            ),
            put(
                &self.table,
                super::accounts::audit_item(
                    tenant_id,
                    "platform",
                    "owner_line_cell_verified",
                    email,
                    now,
                ),
                None,
            ),
        ];
        Ok(self.transact(items).await?.is_none())
    }

    /// Takes one PIN attempt for the shop before the PIN is checked, so parallel calls
    /// cannot outrun the count: [`PinGate::Locked`] while a lock holds, or when this
    /// attempt is past `max` in a row (the lock is then set for `lock`, audited).
    pub async fn begin_pin_attempt(
        &self,
        tenant_id: &str,
        max: i64,
        lock: Duration,
        now: DateTime<Utc>,
    ) -> Result<PinGate, StoreError> {
        let out = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::line_pin_lock(tenant_id))))
            .update_expression("ADD failures :one SET entity = :e")
            .condition_expression("attribute_not_exists(locked_until) OR locked_until <= :now")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":e", s("line_pin_lock"))
            .expression_attribute_values(":now", s(ts(now)))
            .return_values(ReturnValue::UpdatedNew)
            .send()
            .await;
        let count = match out {
            Ok(o) => o
                .attributes()
                .and_then(|a| get_n(a, "failures"))
                .unwrap_or(0),
            Err(e) => {
                // A lock holds: the condition failed.
                applied(Err::<(), _>(e))?;
                return Ok(PinGate::Locked);
            }
        };
        if count > max {
            self.lock_pins(tenant_id, lock, now).await?;
            return Ok(PinGate::Locked);
        }
        Ok(PinGate::Open { attempt: count })
    }

    /// Locks PIN entry for the shop until `now + lock` and starts the count again
    /// (audited).
    pub async fn lock_pins(
        &self,
        tenant_id: &str,
        lock: Duration,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, StoreError> {
        let until = now + lock;
        self.ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::line_pin_lock(tenant_id))))
            .update_expression("SET locked_until = :u, failures = :zero")
            .expression_attribute_values(":u", s(ts(until)))
            .expression_attribute_values(":zero", n(0))
            .send()
            .await
            .map_err(StoreError::sdk)?;
        self.audit(
            tenant_id,
            "owner_line",
            "owner_line_pin_locked",
            &ts(until),
            now,
        )
        .await?;
        Ok(until)
    }

    /// A right PIN gives back its own attempt (never the others': a known PIN cannot
    /// clear the count for guesses at another).
    pub async fn undo_pin_attempt(&self, tenant_id: &str) -> Result<(), StoreError> {
        self.ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::line_pin_lock(tenant_id))))
            .update_expression("ADD failures :minus")
            .condition_expression("failures > :zero")
            .expression_attribute_values(":minus", n(-1))
            .expression_attribute_values(":zero", n(0))
            .send()
            .await
            .map(|_| ())
            .or_else(|e| applied(Err::<(), _>(e)).map(|_| ()))
    }

    /// Counts a wrong verification code; at `max` the code is spent. True when it was.
    pub async fn wrong_line_code(
        &self,
        tenant_id: &str,
        email: &str,
        max: i64,
    ) -> Result<bool, StoreError> {
        let k = keys::user_member(tenant_id, email);
        let out = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .update_expression("ADD line_code_tries :one")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":one", n(1))
            .return_values(ReturnValue::UpdatedNew)
            .send()
            .await
            .map_err(StoreError::sdk)?;
        let tries = out
            .attributes()
            .and_then(|a| get_n(a, "line_code_tries"))
            .unwrap_or(0);
        if tries < max {
            return Ok(false);
        }
        self.ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .update_expression("REMOVE line_code_hash, line_code_expires")
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(true)
    }

    /// Forgets an owner's-line session (a caller who turned out not to be the owner).
    pub async fn delete_line_session(&self, tenant_id: &str, id: &str) -> Result<(), StoreError> {
        self.ddb
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::line_session(tenant_id, id))))
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }

    /// Deletes a call item still at its greeting (`seq` 1): a call that turned out to be
    /// the owner's line is not a customer's call. False when it had moved on.
    pub async fn drop_greeting_call(
        &self,
        tenant_id: &str,
        call_sid: &str,
    ) -> Result<bool, StoreError> {
        let res = self
            .ddb
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::call(tenant_id, call_sid))))
            .condition_expression("seq = :one")
            .expression_attribute_values(":one", n(1))
            .send()
            .await;
        applied(res)
    }
}
