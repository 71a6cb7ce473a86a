//! Tenant profiles, number routes and logins.

use super::attrs::*;
use super::write::put;
use super::{keys, Store, StoreError};
use crate::tenancy::{NumberRoute, Role, Tenant};
use serde::{Deserialize, Serialize};

/// One audit record: `actor` (`user:{email}`, `call:{CallSid}`), `action`, `target`,
/// `at` (RFC 3339).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AuditRow {
    pub actor: String,
    pub action: String,
    pub target: String,
    pub at: String,
}

/// A dashboard login as stored (the hash is argon2id PHC text).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Login {
    pub email: String,
    pub password_hash: String,
    pub tenant_id: String,
    pub role: Role,
}

impl Store {
    /// Writes the profile and, in the same transaction, the number route that embeds a copy
    /// of it, so routing a call costs one GetItem when the cache is cold.
    pub async fn put_tenant(&self, tenant: &Tenant) -> Result<(), StoreError> {
        self.write_tenant(tenant, None).await
    }

    /// As [`Self::put_tenant`], with an audit record of who changed what (`action`, e.g.
    /// `settings_scheduling_updated`) in the same transaction.
    pub async fn update_tenant(
        &self,
        tenant: &Tenant,
        actor: &str,
        action: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        let audit = super::accounts::audit_item(&tenant.id, actor, action, &tenant.id, now);
        self.write_tenant(tenant, Some(audit)).await
    }

    /// The newest `limit` audit records of a tenant: who did what to which target, when.
    pub async fn audit_trail(
        &self,
        tenant_id: &str,
        limit: i32,
    ) -> Result<Vec<AuditRow>, StoreError> {
        Ok(self
            .query_prefix(tenant_id, keys::AUDIT_PREFIX, Some(limit.max(1)), true)
            .await?
            .iter()
            .map(|it| AuditRow {
                actor: get_s(it, "actor").unwrap_or_default().into(),
                action: get_s(it, "action").unwrap_or_default().into(),
                target: get_s(it, "target").unwrap_or_default().into(),
                at: get_s(it, "at").unwrap_or_default().into(),
            })
            .collect())
    }

    async fn write_tenant(&self, tenant: &Tenant, audit: Option<Item>) -> Result<(), StoreError> {
        let mut profile = item(&keys::tenant_profile(&tenant.id));
        profile.insert("entity".into(), s("tenant"));
        profile.insert("profile".into(), json(tenant));
        let mut route = item(&keys::number_route(&tenant.phone));
        route.insert("entity".into(), s("route"));
        route.insert("tenant_id".into(), s(&tenant.id));
        route.insert("profile".into(), json(tenant));
        let mut member = item(&keys::tenant_member(&tenant.id));
        member.insert("entity".into(), s("tenant_member"));
        member.insert("tenant_id".into(), s(&tenant.id));
        let items = [Some(profile), Some(route), Some(member), audit]
            .into_iter()
            .flatten()
            .map(|i| put(&self.table, i, None))
            .collect();
        self.transact_all(items).await?;
        Ok(())
    }

    /// The tenant a Twilio number routes to.
    pub async fn route(&self, number: &str) -> Result<Option<(NumberRoute, Tenant)>, StoreError> {
        let k = keys::number_route(number);
        let out = self.get_item(&k, false).await?;
        let Some(it) = out.as_ref() else {
            return Ok(None);
        };
        let tenant: Tenant = get_json(it, "profile")?;
        Ok(Some((
            NumberRoute {
                number: number.into(),
                tenant_id: req_s(it, "tenant_id")?.into(),
            },
            tenant,
        )))
    }

    pub async fn tenant(&self, tenant_id: &str) -> Result<Option<Tenant>, StoreError> {
        let k = keys::tenant_profile(tenant_id);
        let out = self.get_item(&k, false).await?;
        out.as_ref().map(|i| get_json(i, "profile")).transpose()
    }

    /// Writes a login (replacing it) and its membership in the tenant's user list.
    pub async fn put_login(&self, login: &Login) -> Result<(), StoreError> {
        let items = vec![
            put(&self.table, self.login_item(login), None),
            put(&self.table, self.member_item(login), None),
        ];
        self.transact_all(items).await?;
        Ok(())
    }

    pub async fn login(&self, email: &str) -> Result<Option<Login>, StoreError> {
        let k = keys::login(email);
        let out = self.get_item(&k, false).await?;
        out.as_ref().map(|i| get_json(i, "login")).transpose()
    }
}
