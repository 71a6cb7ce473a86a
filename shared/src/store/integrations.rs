//! Calendar integration items: the OAuth consent in flight, the connection (sealed refresh
//! token, sync status), per-job sync status, and busy time imported as slot locks and
//! blocks.

use super::attrs::*;
use super::write::put;
use super::{keys, Store, StoreError};
use crate::crm::Appointment;
use crate::scheduling::blocks::{BlockPlan, Interval};
use aws_sdk_dynamodb::types::{Delete, ReturnValue, TransactWriteItem};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::BTreeSet;

/// `source` of slot locks and blocks that came from the owner's Google Calendar.
pub const GOOGLE_SOURCE: &str = "google";

/// An OAuth consent in flight, keyed by its `state`.
#[derive(Debug, Clone)]
pub struct OAuthState {
    pub tenant_id: String,
    /// Who started it (`user:{email}`), for the audit record.
    pub actor: String,
    pub code_verifier: String,
    pub expires_at: DateTime<Utc>,
}

/// A tenant's calendar connection. `sealed_refresh_token` is AES-GCM sealed
/// (`google::seal`); it never leaves the store and the worker.
#[derive(Clone)]
pub struct Integration {
    pub provider: String,
    pub calendar_id: String,
    /// The calendar resource (technician or van) the owner's busy time blocks.
    pub resource: String,
    pub sealed_refresh_token: String,
    pub status: IntegrationStatus,
}

/// What the owner sees of a connection; no secret in it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct IntegrationView {
    pub provider: String,
    /// `connected`, `failing` (retrying), `reconnect_needed` (access revoked), or
    /// `not_connected`.
    pub status: String,
    pub calendar_id: String,
    pub resource: String,
    pub connected_at: Option<String>,
    pub connected_by: Option<String>,
    pub last_sync_at: Option<String>,
    pub last_import_at: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
}

impl IntegrationView {
    /// No connection to `provider`: status `not_connected`, nothing else known.
    pub fn not_connected(provider: &str) -> Self {
        IntegrationView {
            provider: provider.into(),
            status: "not_connected".into(),
            calendar_id: String::new(),
            resource: String::new(),
            connected_at: None,
            connected_by: None,
            last_sync_at: None,
            last_import_at: None,
            last_error: None,
            last_error_at: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegrationStatus {
    Connected,
    Failing,
    ReconnectNeeded,
}

impl IntegrationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connected => "connected",
            Self::Failing => "failing",
            Self::ReconnectNeeded => "reconnect_needed",
        }
    }

    fn parse(v: &str) -> Self {
        match v {
            "failing" => Self::Failing,
            "reconnect_needed" => Self::ReconnectNeeded,
            _ => Self::Connected,
        }
    }
}

/// What a sync or import did, for the connection's status.
#[derive(Debug, Clone)]
pub enum SyncReport {
    /// Events pushed (`sync`) or busy time pulled (`import`).
    Ok { import: bool },
    /// Will be retried.
    Failed(String),
    /// Access is gone: the owner must connect again.
    Revoked(String),
}

fn audit_item(tenant_id: &str, actor: &str, action: &str, now: DateTime<Utc>) -> Item {
    let mut a = item(&keys::audit(tenant_id, now, action));
    a.insert("entity".into(), s("audit"));
    a.insert("actor".into(), s(actor));
    a.insert("action".into(), s(action));
    a.insert("target".into(), s(tenant_id));
    a.insert("at".into(), s(ts(now)));
    a
}

fn delete(table: &str, k: &keys::Key) -> TransactWriteItem {
    TransactWriteItem::builder()
        .delete(
            Delete::builder()
                .table_name(table)
                .set_key(Some(key_map(k)))
                .build()
                .expect("delete"),
        )
        .build()
}

impl Store {
    /// Records a consent in flight; expires (TTL and on read) after 15 minutes.
    pub async fn put_oauth_state(&self, state: &str, st: &OAuthState) -> Result<(), StoreError> {
        let mut it = item(&keys::oauth_state(state));
        it.insert("entity".into(), s("oauth_state"));
        it.insert("tenant_id".into(), s(&st.tenant_id));
        it.insert("actor".into(), s(&st.actor));
        it.insert("code_verifier".into(), s(&st.code_verifier));
        it.insert("expires_at".into(), n(st.expires_at.timestamp()));
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

    /// Takes (deletes and returns) a consent: a `state` works once, and only before it
    /// expires.
    pub async fn take_oauth_state(
        &self,
        state: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<OAuthState>, StoreError> {
        let out = self
            .ddb
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::oauth_state(state))))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(StoreError::sdk)?;
        let Some(it) = out.attributes() else {
            return Ok(None);
        };
        let expires_at = get_n(it, "expires_at")
            .and_then(|x| DateTime::from_timestamp(x, 0))
            .unwrap_or(now);
        if expires_at <= now {
            return Ok(None);
        }
        Ok(Some(OAuthState {
            tenant_id: req_s(it, "tenant_id")?.into(),
            actor: get_s(it, "actor").unwrap_or_default().into(),
            code_verifier: req_s(it, "code_verifier")?.into(),
            expires_at,
        }))
    }

    /// Saves a (re)connection, its registry entry and an audit record in one transaction.
    pub async fn connect_integration(
        &self,
        tenant_id: &str,
        integ: &Integration,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut it = item(&keys::integration(tenant_id, &integ.provider));
        it.insert("entity".into(), s("integration"));
        it.insert("provider".into(), s(&integ.provider));
        it.insert("status".into(), s(IntegrationStatus::Connected.as_str()));
        it.insert("calendar_id".into(), s(&integ.calendar_id));
        it.insert("resource".into(), s(&integ.resource));
        it.insert("refresh_token".into(), s(&integ.sealed_refresh_token));
        it.insert("connected_at".into(), s(ts(now)));
        it.insert("connected_by".into(), s(actor));
        let mut member = item(&keys::integration_member(&integ.provider, tenant_id));
        member.insert("entity".into(), s("integration_member"));
        member.insert("tenant_id".into(), s(tenant_id));
        let audit = audit_item(
            tenant_id,
            actor,
            &format!("{}_calendar_connected", integ.provider),
            now,
        );
        self.ddb
            .transact_write_items()
            .set_transact_items(Some(vec![
                put(&self.table, it, None),
                put(&self.table, member, None),
                put(&self.table, audit, None),
            ]))
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }

    async fn integration_item(
        &self,
        tenant_id: &str,
        provider: &str,
    ) -> Result<Option<Item>, StoreError> {
        self.get_item(&keys::integration(tenant_id, provider), true)
            .await
    }

    /// The connection, sealed token included (the worker's read).
    pub async fn integration(
        &self,
        tenant_id: &str,
        provider: &str,
    ) -> Result<Option<Integration>, StoreError> {
        let Some(it) = self.integration_item(tenant_id, provider).await? else {
            return Ok(None);
        };
        Ok(Some(Integration {
            provider: provider.into(),
            calendar_id: req_s(&it, "calendar_id")?.into(),
            resource: req_s(&it, "resource")?.into(),
            sealed_refresh_token: req_s(&it, "refresh_token")?.into(),
            status: IntegrationStatus::parse(get_s(&it, "status").unwrap_or_default()),
        }))
    }

    /// The connection as the owner sees it.
    pub async fn integration_view(
        &self,
        tenant_id: &str,
        provider: &str,
    ) -> Result<Option<IntegrationView>, StoreError> {
        let Some(it) = self.integration_item(tenant_id, provider).await? else {
            return Ok(None);
        };
        let o = |k: &str| get_s(&it, k).map(String::from);
        Ok(Some(IntegrationView {
            provider: provider.into(),
            status: o("status").unwrap_or_else(|| "connected".into()),
            calendar_id: o("calendar_id").unwrap_or_default(),
            resource: o("resource").unwrap_or_default(),
            connected_at: o("connected_at"),
            connected_by: o("connected_by"),
            last_sync_at: o("last_sync_at"),
            last_import_at: o("last_import_at"),
            last_error: o("last_error"),
            last_error_at: o("last_error_at"),
        }))
    }

    /// Records how a sync or import went. A disconnected integration stays gone (the
    /// update is conditioned on the item existing).
    pub async fn report_integration(
        &self,
        tenant_id: &str,
        provider: &str,
        report: &SyncReport,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut u = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::integration(tenant_id, provider))))
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":now", s(ts(now)));
        u = match report {
            SyncReport::Ok { import } => u
                .update_expression(format!(
                    "SET #st = :ok, {} = :now REMOVE last_error, last_error_at",
                    if *import {
                        "last_import_at"
                    } else {
                        "last_sync_at"
                    }
                ))
                .expression_attribute_values(":ok", s(IntegrationStatus::Connected.as_str())),
            SyncReport::Failed(e) | SyncReport::Revoked(e) => {
                let st = if matches!(report, SyncReport::Revoked(_)) {
                    IntegrationStatus::ReconnectNeeded
                } else {
                    IntegrationStatus::Failing
                };
                u.update_expression("SET #st = :st, last_error = :e, last_error_at = :now")
                    .expression_attribute_values(":st", s(st.as_str()))
                    .expression_attribute_values(":e", s(e.chars().take(300).collect::<String>()))
            }
        };
        super::write::applied(u.send().await).map(|_| ())
    }

    /// Removes a connection, its registry entry and its imported busy time; audited.
    pub async fn disconnect_integration(
        &self,
        tenant_id: &str,
        provider: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let audit = audit_item(
            tenant_id,
            actor,
            &format!("{provider}_calendar_disconnected"),
            now,
        );
        self.ddb
            .transact_write_items()
            .set_transact_items(Some(vec![
                delete(&self.table, &keys::integration(tenant_id, provider)),
                delete(&self.table, &keys::integration_member(provider, tenant_id)),
                put(&self.table, audit, None),
            ]))
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }

    /// Tenants connected to `provider`.
    pub async fn connected_tenants(&self, provider: &str) -> Result<Vec<String>, StoreError> {
        Ok(self
            .query_all(&keys::integration_registry(provider), keys::TENANT_PREFIX)
            .await?
            .iter()
            .filter_map(|it| get_s(it, "tenant_id").map(String::from))
            .collect())
    }

    /// One job by id and start (strongly consistent: the sync acts on the latest state).
    pub async fn sync_job(
        &self,
        tenant_id: &str,
        id: &str,
        start: DateTime<Utc>,
    ) -> Result<Option<Appointment>, StoreError> {
        Ok(self
            .get_item(&keys::appointment(tenant_id, start, id), true)
            .await?
            .as_ref()
            .and_then(super::crm::appointment_of))
    }

    /// Marks a job's calendar state (`synced`, `failed`, `removed`) with an optional error.
    pub async fn set_job_sync(
        &self,
        tenant_id: &str,
        job: &Appointment,
        state: &str,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut u = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::appointment(
                tenant_id, job.start, &job.id,
            ))))
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":st", s(state))
            .expression_attribute_values(":now", s(ts(now)));
        u = match error {
            Some(e) => u
                .update_expression(
                    "SET calendar_sync = :st, calendar_sync_at = :now, calendar_error = :e",
                )
                .expression_attribute_values(":e", s(e.chars().take(300).collect::<String>())),
            None => u.update_expression(
                "SET calendar_sync = :st, calendar_sync_at = :now REMOVE calendar_error",
            ),
        };
        super::write::applied(u.send().await).map(|_| ())
    }

    /// Imported busy time starting in `[from, to)`: `(resource, start, end)`.
    pub async fn busy_blocks(
        &self,
        tenant_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>, DateTime<Utc>)>, StoreError> {
        Ok(self
            .appointment_items(tenant_id, from, to)
            .await?
            .iter()
            .filter(|it| get_s(it, "entity") == Some("busy_block"))
            .filter_map(|it| {
                Some((
                    get_s(it, "resource")?.to_string(),
                    parse_ts(get_s(it, "start")?)?,
                    parse_ts(get_s(it, "end")?)?,
                ))
            })
            .collect())
    }

    /// Slot locks on one resource in `[from, to)`: (granules held by jobs, granules held
    /// by imported busy time).
    pub async fn lock_granules(
        &self,
        tenant_id: &str,
        resource: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<(BTreeSet<DateTime<Utc>>, BTreeSet<DateTime<Utc>>), StoreError> {
        let (a, b) = keys::slot_range(from, to);
        let mut jobs = BTreeSet::new();
        let mut external = BTreeSet::new();
        let mut start = None;
        loop {
            let res = self
                .ddb
                .query()
                .table_name(&self.table)
                .key_condition_expression("PK = :pk AND SK BETWEEN :a AND :b")
                .expression_attribute_values(":pk", s(keys::calendar_pk(tenant_id, resource)))
                .expression_attribute_values(":a", s(a.clone()))
                .expression_attribute_values(":b", s(b.clone()))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(StoreError::sdk)?;
            for it in res.items() {
                let Some(g) = get_s(it, "SK").and_then(keys::parse_slot_sk) else {
                    continue;
                };
                if get_s(it, "source") == Some(GOOGLE_SOURCE) {
                    external.insert(g);
                } else {
                    jobs.insert(g);
                }
            }
            match res.last_evaluated_key() {
                Some(k) => start = Some(k.clone()),
                None => return Ok((jobs, external)),
            }
        }
    }

    /// Applies an import: locks new busy granules (a job that took one meanwhile wins),
    /// releases external locks whose busy time is gone (never a job's), and replaces the
    /// blocks in `[from, to)` with the plan's. Idempotent: the next import repeats it.
    pub async fn apply_block_plan(
        &self,
        tenant_id: &str,
        resource: &str,
        plan: &BlockPlan,
        window: Interval,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        for g in &plan.lock {
            let mut it = item(&keys::slot_lock(tenant_id, resource, *g));
            it.insert("entity".into(), s("slot_lock"));
            it.insert("source".into(), s(GOOGLE_SOURCE));
            it.insert("imported_at".into(), s(ts(now)));
            it.insert("expires_at".into(), n((*g + Duration::days(2)).timestamp()));
            // A job that took the granule meanwhile wins.
            let res = self
                .ddb
                .put_item()
                .table_name(&self.table)
                .set_item(Some(it))
                .condition_expression("attribute_not_exists(PK)")
                .send()
                .await;
            super::write::applied(res)?;
        }
        for g in &plan.release {
            let res = self
                .ddb
                .delete_item()
                .table_name(&self.table)
                .set_key(Some(key_map(&keys::slot_lock(tenant_id, resource, *g))))
                .condition_expression("#src = :g")
                .expression_attribute_names("#src", "source")
                .expression_attribute_values(":g", s(GOOGLE_SOURCE))
                .send()
                .await;
            // Never a job's lock.
            super::write::applied(res)?;
        }
        let existing = self
            .appointment_items(tenant_id, window.0, window.1)
            .await?;
        let wanted: Vec<Item> = plan
            .blocks
            .iter()
            .map(|(a, b)| {
                let mut it = item(&keys::busy_block(tenant_id, resource, *a));
                it.insert("entity".into(), s("busy_block"));
                it.insert("status".into(), s("blocked"));
                it.insert("source".into(), s(GOOGLE_SOURCE));
                it.insert("resource".into(), s(resource));
                it.insert("start".into(), s(ts(*a)));
                it.insert("end".into(), s(ts(*b)));
                it.insert("expires_at".into(), n((*b + Duration::days(2)).timestamp()));
                it
            })
            .collect();
        let same = |x: &Item, y: &Item| ["SK", "end"].iter().all(|k| x.get(*k) == y.get(*k));
        for old in existing.iter().filter(|it| {
            get_s(it, "entity") == Some("busy_block") && get_s(it, "resource") == Some(resource)
        }) {
            if !wanted.iter().any(|w| same(w, old)) {
                let sk = get_s(old, "SK").unwrap_or_default();
                self.ddb
                    .delete_item()
                    .table_name(&self.table)
                    .key("PK", s(keys::tenant_pk(tenant_id)))
                    .key("SK", s(sk))
                    .send()
                    .await
                    .map_err(StoreError::sdk)?;
            }
        }
        for w in wanted {
            if existing.iter().any(|old| same(&w, old)) {
                continue;
            }
            self.ddb
                .put_item()
                .table_name(&self.table)
                .set_item(Some(w))
                .send()
                .await
                .map_err(StoreError::sdk)?;
        }
        Ok(())
    }
}
