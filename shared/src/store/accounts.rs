//! Accounts: lockout counters on logins, a tenant's users, refresh tokens and their
//! families, one-time password reset tokens, and API credentials. Token values are never
//! stored, only their SHA-256.

use super::attrs::*;
use super::tenants::Login;
use super::write::{applied, put};
use super::{keys, Store, StoreError};
use crate::notify::OutboxEvent;
use crate::tenancy::Role;
use aws_sdk_dynamodb::types::{Delete, ReturnValue, TransactWriteItem, Update};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A login with its sign-in state.
#[derive(Debug, Clone)]
pub struct LoginState {
    pub login: Login,
    /// Consecutive failed sign-ins since the last success or lock.
    pub failed_attempts: i64,
    pub locked_until: Option<DateTime<Utc>>,
    /// Refresh tokens issued before this instant are dead (set by a password change, a
    /// role change or disabling the login).
    pub tokens_after: Option<DateTime<Utc>>,
    /// Disabled by the tenant's owner: no sign-in, no refresh.
    pub disabled: bool,
}

/// One of a tenant's users as the API lists them.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct UserRow {
    pub email: String,
    pub role: Role,
    /// Disabled logins cannot sign in or refresh.
    pub disabled: bool,
}

/// A stored refresh token.
#[derive(Debug, Clone)]
pub struct RefreshRow {
    pub email: String,
    pub family: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// When it was traded in; a second trade is reuse.
    pub used_at: Option<DateTime<Utc>>,
}

/// An API credential (integrator key) as stored and listed; never its value.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CredentialRow {
    /// Public id (`key_` + 12 hex digits of the hash).
    pub id: String,
    pub tenant_id: String,
    pub name: String,
    pub role: Role,
    pub created_at: String,
    /// Set when rotated or revoked: the key stops working at this instant.
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    /// The credential that replaced this one, after a rotation.
    pub replaced_by: Option<String>,
    #[serde(skip_serializing, default)]
    pub hash: String,
}

impl Store {
    /// A login and its lockout state (strongly consistent: a lock must hold at once).
    pub async fn login_state(&self, email: &str) -> Result<Option<LoginState>, StoreError> {
        let Some(it) = self.get_item(&keys::login(email), true).await? else {
            return Ok(None);
        };
        Ok(Some(LoginState {
            login: get_json(&it, "login")?,
            failed_attempts: get_n(&it, "failed_attempts").unwrap_or(0),
            locked_until: get_s(&it, "locked_until").and_then(parse_ts),
            tokens_after: get_s(&it, "tokens_after").and_then(parse_ts),
            disabled: it
                .get("disabled")
                .and_then(|v| v.as_bool().ok())
                .copied()
                .unwrap_or(false),
        }))
    }

    /// Counts a failed sign-in; at `max` consecutive failures the login is locked until
    /// `now + lock` and the count starts again. Returns the lock's end when this failure
    /// set it.
    pub async fn record_failed_login(
        &self,
        email: &str,
        max: i64,
        lock: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let k = keys::login(email);
        let out = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .update_expression("ADD failed_attempts :one")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":one", n(1))
            .return_values(ReturnValue::UpdatedNew)
            .send()
            .await;
        let count = match out {
            Ok(o) => o
                .attributes()
                .and_then(|a| get_n(a, "failed_attempts"))
                .unwrap_or(0),
            Err(e) => {
                // No such login: nothing to count.
                applied(Err::<(), _>(e))?;
                return Ok(None);
            }
        };
        if count < max {
            return Ok(None);
        }
        let until = now + lock;
        self.ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .update_expression("SET locked_until = :u, failed_attempts = :zero")
            .expression_attribute_values(":u", s(ts(until)))
            .expression_attribute_values(":zero", n(0))
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(Some(until))
    }

    /// A successful sign-in: the failure count starts again.
    pub async fn clear_failed_logins(&self, email: &str) -> Result<(), StoreError> {
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::login(email))))
            .update_expression("REMOVE failed_attempts, locked_until")
            .condition_expression("attribute_exists(PK)")
            .send()
            .await;
        applied(res).map(|_| ())
    }

    /// Replaces a login's password hash, unlocks it, and kills every refresh token issued
    /// before `now`. Audited in the login's tenant.
    pub async fn set_password(
        &self,
        email: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let Some(state) = self.login_state(email).await? else {
            return Ok(false);
        };
        let mut login = state.login;
        login.password_hash = password_hash.to_string();
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::login(email))))
            .update_expression(
                "SET login = :l, tokens_after = :now REMOVE failed_attempts, locked_until",
            )
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":l", json(&login))
            .expression_attribute_values(":now", s(precise(now)))
            .send()
            .await;
        let done = applied(res)?;
        if done {
            self.audit(
                &login.tenant_id,
                &format!("user:{email}"),
                "password_changed",
                email,
                now,
            )
            .await?;
        }
        Ok(done)
    }

    /// A tenant's users.
    pub async fn users(&self, tenant_id: &str) -> Result<Vec<UserRow>, StoreError> {
        Ok(self
            .query_all(&keys::tenant_pk(tenant_id), keys::USER_PREFIX)
            .await?
            .iter()
            .filter_map(|it| {
                Some(UserRow {
                    email: get_s(it, "email")?.into(),
                    role: serde_json::from_value(serde_json::json!(get_s(it, "role")?)).ok()?,
                    disabled: it
                        .get("disabled")
                        .and_then(|v| v.as_bool().ok())
                        .copied()
                        .unwrap_or(false),
                })
            })
            .collect())
    }

    /// Adds a login that does not exist yet (false when the email is taken), with its
    /// membership in the tenant and an audit record, in one transaction.
    pub async fn create_login(
        &self,
        login: &Login,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let items = vec![
            put(
                &self.table,
                self.login_item(login),
                Some("attribute_not_exists(PK)"),
            ),
            put(&self.table, self.member_item(login), None),
            put(
                &self.table,
                audit_item(&login.tenant_id, actor, "user_created", &login.email, now),
                None,
            ),
        ];
        let res = self.transact(items).await?;
        Ok(res.is_none())
    }

    /// Sets a login's role and whether it is disabled, on its `LOGIN#` item and its
    /// membership, with an audit record; its refresh tokens die at once (`tokens_after`).
    /// Only if the login is still the tenant's (false otherwise).
    pub async fn update_member(
        &self,
        login: &Login,
        disabled: bool,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let tid = &login.tenant_id;
        let login_update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::login(&login.email))))
            .update_expression("SET login = :l, disabled = :d, tokens_after = :now")
            .condition_expression("tenant_id = :t")
            .expression_attribute_values(":l", json(login))
            .expression_attribute_values(":d", b(disabled))
            .expression_attribute_values(":now", s(precise(now)))
            .expression_attribute_values(":t", s(tid))
            .build()
            .expect("update");
        let member_update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::user_member(tid, &login.email))))
            .update_expression("SET #r = :r, disabled = :d")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_names("#r", "role")
            .expression_attribute_values(":r", json_str(&login.role))
            .expression_attribute_values(":d", b(disabled))
            .build()
            .expect("update");
        let items = vec![
            TransactWriteItem::builder().update(login_update).build(),
            TransactWriteItem::builder().update(member_update).build(),
            put(
                &self.table,
                audit_item(tid, actor, "user_changed", &login.email, now),
                None,
            ),
        ];
        Ok(self.transact(items).await?.is_none())
    }

    /// Removes a login from its tenant: the `LOGIN#` item (so no token of it refreshes
    /// again) and the membership, with an audit record. False when it is not the tenant's.
    pub async fn remove_member(
        &self,
        tenant_id: &str,
        email: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let gone = |key: &keys::Key, cond: &str, tenant: bool| {
            let mut d = Delete::builder()
                .table_name(&self.table)
                .set_key(Some(key_map(key)))
                .condition_expression(cond);
            if tenant {
                d = d.expression_attribute_values(":t", s(tenant_id));
            }
            TransactWriteItem::builder()
                .delete(d.build().expect("delete"))
                .build()
        };
        let items = vec![
            gone(&keys::login(email), "tenant_id = :t", true),
            gone(
                &keys::user_member(tenant_id, email),
                "attribute_exists(PK)",
                false,
            ),
            put(
                &self.table,
                audit_item(tenant_id, actor, "user_removed", email, now),
                None,
            ),
        ];
        Ok(self.transact(items).await?.is_none())
    }

    pub(crate) fn login_item(&self, login: &Login) -> Item {
        let mut it = item(&keys::login(&login.email));
        it.insert("entity".into(), s("login"));
        it.insert("login".into(), json(login));
        it.insert("tenant_id".into(), s(&login.tenant_id));
        it
    }

    pub(crate) fn member_item(&self, login: &Login) -> Item {
        let mut it = item(&keys::user_member(&login.tenant_id, &login.email));
        it.insert("entity".into(), s("user"));
        it.insert("email".into(), s(login.email.trim().to_lowercase()));
        it.insert("role".into(), json_str(&login.role));
        it
    }

    /// Stores a new refresh token (by hash) of `family`.
    pub async fn put_refresh(&self, hash: &str, row: &RefreshRow) -> Result<(), StoreError> {
        let mut it = item(&keys::refresh_token(hash));
        it.insert("entity".into(), s("refresh_token"));
        it.insert("email".into(), s(&row.email));
        it.insert("family".into(), s(&row.family));
        it.insert("issued_at".into(), s(precise(row.issued_at)));
        it.insert("valid_until".into(), s(ts(row.expires_at)));
        it.insert("expires_at".into(), n(row.expires_at.timestamp()));
        self.ddb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(it))
            .condition_expression("attribute_not_exists(PK)")
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }

    pub async fn refresh(&self, hash: &str) -> Result<Option<RefreshRow>, StoreError> {
        let Some(it) = self.get_item(&keys::refresh_token(hash), true).await? else {
            return Ok(None);
        };
        Ok(Some(RefreshRow {
            email: req_s(&it, "email")?.into(),
            family: req_s(&it, "family")?.into(),
            issued_at: get_s(&it, "issued_at")
                .and_then(parse_ts)
                .unwrap_or_default(),
            expires_at: get_s(&it, "valid_until")
                .and_then(parse_ts)
                .unwrap_or_default(),
            used_at: get_s(&it, "used_at").and_then(parse_ts),
        }))
    }

    /// Spends a refresh token: true the first time, false if it was already spent.
    pub async fn spend_refresh(&self, hash: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::refresh_token(hash))))
            .update_expression("SET used_at = :now")
            .condition_expression("attribute_exists(PK) AND attribute_not_exists(used_at)")
            .expression_attribute_values(":now", s(ts(now)))
            .send()
            .await;
        applied(res)
    }

    /// Revokes every token of a refresh family (logout, or reuse of a spent token).
    pub async fn revoke_family(
        &self,
        family: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut it = item(&keys::refresh_family(family));
        it.insert("entity".into(), s("refresh_family"));
        it.insert("revoked_at".into(), s(ts(now)));
        it.insert("reason".into(), s(reason));
        it.insert(
            "expires_at".into(),
            n((now + chrono::Duration::days(60)).timestamp()),
        );
        self.put_plain(it).await?;
        Ok(())
    }

    pub async fn family_revoked(&self, family: &str) -> Result<bool, StoreError> {
        Ok(self
            .get_item(&keys::refresh_family(family), true)
            .await?
            .is_some())
    }

    /// Stores a password reset token (by hash, valid until `expires`) and, in the same
    /// transaction, the outbox event that delivers it.
    pub async fn put_password_reset(
        &self,
        hash: &str,
        email: &str,
        expires: DateTime<Utc>,
        event: &OutboxEvent,
    ) -> Result<(), StoreError> {
        let mut it = item(&keys::password_reset(hash));
        it.insert("entity".into(), s("password_reset"));
        it.insert("email".into(), s(email));
        it.insert("valid_until".into(), s(ts(expires)));
        it.insert("expires_at".into(), n(expires.timestamp()));
        let items = vec![put(&self.table, it, None), self.outbox_item(event)];
        self.transact_all(items).await?;
        Ok(())
    }

    /// Takes a reset token (single use): the email it was issued for, or `None` when it is
    /// unknown, spent or expired.
    pub async fn take_password_reset(
        &self,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        let res = self
            .ddb
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::password_reset(hash))))
            .condition_expression("attribute_exists(PK) AND valid_until > :now")
            .expression_attribute_values(":now", s(ts(now)))
            .return_values(ReturnValue::AllOld)
            .send()
            .await;
        match res {
            Ok(o) => Ok(o
                .attributes()
                .and_then(|a| get_s(a, "email"))
                .map(String::from)),
            Err(e) => {
                applied(Err::<(), _>(e))?;
                Ok(None)
            }
        }
    }

    /// Stores a new API credential and its tenant entry.
    pub async fn put_credential(
        &self,
        row: &CredentialRow,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut cred = item(&keys::credential(&row.hash));
        cred.insert("entity".into(), s("credential"));
        cred.insert("credential".into(), json(row));
        cred.insert("hash".into(), s(&row.hash));
        let mut member = item(&keys::credential_member(&row.tenant_id, &row.id));
        member.insert("entity".into(), s("credential_member"));
        member.insert("hash".into(), s(&row.hash));
        let items = vec![
            put(&self.table, cred, Some("attribute_not_exists(PK)")),
            put(&self.table, member, None),
            put(
                &self.table,
                audit_item(&row.tenant_id, actor, "credential_issued", &row.id, now),
                None,
            ),
        ];
        self.transact_all(items).await?;
        Ok(())
    }

    /// The credential a key hashes to.
    pub async fn credential(&self, hash: &str) -> Result<Option<CredentialRow>, StoreError> {
        let Some(it) = self.get_item(&keys::credential(hash), false).await? else {
            return Ok(None);
        };
        credential_row(&it).map(Some)
    }

    /// A tenant's credentials, newest first.
    pub async fn credentials(&self, tenant_id: &str) -> Result<Vec<CredentialRow>, StoreError> {
        let mut out = Vec::new();
        for m in self
            .query_all(&keys::tenant_pk(tenant_id), keys::CREDENTIAL_PREFIX)
            .await?
        {
            if let Some(c) = self.credential(req_s(&m, "hash")?).await? {
                out.push(c);
            }
        }
        out.sort_by(|a, b| b.created_at.cmp(&a.created_at));
        Ok(out)
    }

    /// Finds a credential by its public id across tenants' entries of `tenant_id`.
    pub async fn credential_by_id(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<CredentialRow>, StoreError> {
        let Some(m) = self
            .get_item(&keys::credential_member(tenant_id, id), false)
            .await?
        else {
            return Ok(None);
        };
        self.credential(req_s(&m, "hash")?).await
    }

    /// Ends a credential at `at` (rotation overlap or immediate revoke), audited.
    pub async fn expire_credential(
        &self,
        row: &CredentialRow,
        at: DateTime<Utc>,
        replaced_by: Option<&str>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut next = row.clone();
        next.expires_at = Some(ts(at));
        next.replaced_by = replaced_by.map(String::from);
        let mut cred = item(&keys::credential(&row.hash));
        cred.insert("entity".into(), s("credential"));
        cred.insert("credential".into(), json(&next));
        cred.insert("hash".into(), s(&row.hash));
        let action = if replaced_by.is_some() {
            "credential_rotated"
        } else {
            "credential_revoked"
        };
        let items = vec![
            put(&self.table, cred, Some("attribute_exists(PK)")),
            put(
                &self.table,
                audit_item(&row.tenant_id, actor, action, &row.id, now),
                None,
            ),
        ];
        self.transact_all(items).await?;
        Ok(())
    }

    /// Records a credential's use, at most once a minute (a conditional write, so a busy
    /// integrator costs one write a minute, not one per request).
    pub async fn touch_credential(&self, hash: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        let res = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::credential(hash))))
            .update_expression("SET last_used_at = :now")
            .condition_expression(
                "attribute_exists(PK) AND (attribute_not_exists(last_used_at) OR last_used_at < :cut)",
            )
            .expression_attribute_values(":now", s(ts(now)))
            .expression_attribute_values(":cut", s(ts(now - chrono::Duration::minutes(1))))
            .send()
            .await;
        applied(res).map(|_| ())
    }

    /// Writes one audit record.
    pub async fn audit(
        &self,
        tenant_id: &str,
        actor: &str,
        action: &str,
        target: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.put_plain(audit_item(tenant_id, actor, action, target, now))
            .await?;
        Ok(())
    }
}

fn credential_row(it: &Item) -> Result<CredentialRow, StoreError> {
    let mut row: CredentialRow = serde_json::from_str(req_s(it, "credential")?)
        .map_err(|e| StoreError::Corrupt(format!("credential: {e}")))?;
    row.hash = req_s(it, "hash")?.into();
    if let Some(u) = get_s(it, "last_used_at") {
        row.last_used_at = Some(u.into());
    }
    Ok(row)
}

/// An audit record item: `actor` did `action` to `target` at `now`.
pub(crate) fn audit_item(
    tenant_id: &str,
    actor: &str,
    action: &str,
    target: &str,
    now: DateTime<Utc>,
) -> Item {
    let mut audit = item(&keys::audit(
        tenant_id,
        now,
        &format!("{action}-{}", uuid::Uuid::new_v4().simple()),
    ));
    audit.insert("entity".into(), s("audit"));
    audit.insert("actor".into(), s(actor));
    audit.insert("action".into(), s(action));
    audit.insert("target".into(), s(target));
    audit.insert("at".into(), s(ts(now)));
    audit
}

/// A time with microseconds: a refresh token issued in the same second as a password
/// change must still compare as before or after it.
fn precise(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// A unit enum's serde name as a string attribute (`owner`).
fn json_str<T: Serialize>(v: &T) -> aws_sdk_dynamodb::types::AttributeValue {
    s(serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default())
}
