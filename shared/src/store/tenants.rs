//! Tenant profiles, number routes and logins.

use super::attrs::*;
use super::{keys, Store, StoreError};
use crate::tenancy::{NumberRoute, Role, Tenant};
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use serde::{Deserialize, Serialize};

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
        let mut profile = item(&keys::tenant_profile(&tenant.id));
        profile.insert("entity".into(), s("tenant"));
        profile.insert("profile".into(), json(tenant));
        let mut route = item(&keys::number_route(&tenant.phone));
        route.insert("entity".into(), s("route"));
        route.insert("tenant_id".into(), s(&tenant.id));
        route.insert("profile".into(), json(tenant));
        let put = |i| {
            TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name(&self.table)
                        .set_item(Some(i))
                        .build()
                        .expect("put has table and item"),
                )
                .build()
        };
        self.ddb
            .transact_write_items()
            .transact_items(put(profile))
            .transact_items(put(route))
            .send()
            .await
            .map_err(StoreError::sdk)?;
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

    pub async fn put_login(&self, login: &Login) -> Result<(), StoreError> {
        let mut it = item(&keys::login(&login.email));
        it.insert("entity".into(), s("login"));
        it.insert("login".into(), json(login));
        it.insert("tenant_id".into(), s(&login.tenant_id));
        self.ddb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(it))
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }

    pub async fn login(&self, email: &str) -> Result<Option<Login>, StoreError> {
        let k = keys::login(email);
        let out = self.get_item(&k, false).await?;
        out.as_ref().map(|i| get_json(i, "login")).transpose()
    }
}
