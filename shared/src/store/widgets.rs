//! Website chat widget keys: one item by the key's value (the chat API's lookup) and its
//! copy under the tenant (the owner's list), always written together.

use super::accounts::audit_item;
use super::attrs::*;
use super::write::put;
use super::{keys, Store, StoreError};
use crate::tenancy::widget::WidgetKey;
use chrono::{DateTime, Utc};

impl Store {
    fn widget_items(
        &self,
        row: &WidgetKey,
        new: bool,
    ) -> Vec<aws_sdk_dynamodb::types::TransactWriteItem> {
        let fill = |mut it: Item| {
            it.insert("entity".into(), s("widget_key"));
            it.insert("tenant_id".into(), s(&row.tenant_id));
            it.insert("widget_key".into(), json(row));
            it
        };
        let by_value = fill(item(&keys::widget_key(&row.key)));
        let member = fill(item(&keys::widget_key_member(&row.tenant_id, &row.key)));
        let cond = if new {
            "attribute_not_exists(PK)"
        } else {
            "attribute_exists(PK)"
        };
        vec![
            put(&self.table, by_value, Some(cond)),
            put(&self.table, member, None),
        ]
    }

    /// Stores a new widget key, audited as `widget_key_created` by `actor`.
    pub async fn put_widget_key(
        &self,
        row: &WidgetKey,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut items = self.widget_items(row, true);
        items.push(put(
            &self.table,
            audit_item(&row.tenant_id, actor, "widget_key_created", &row.key, now),
            None,
        ));
        self.transact_all(items).await
    }

    /// Writes a changed key (`revoked`) and, on rotation, its replacement, in one
    /// transaction with the audit record (`widget_key_revoked` or `widget_key_rotated`).
    pub async fn end_widget_key(
        &self,
        revoked: &WidgetKey,
        replacement: Option<&WidgetKey>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut items = self.widget_items(revoked, false);
        if let Some(r) = replacement {
            items.extend(self.widget_items(r, true));
        }
        let action = if replacement.is_some() {
            "widget_key_rotated"
        } else {
            "widget_key_revoked"
        };
        items.push(put(
            &self.table,
            audit_item(&revoked.tenant_id, actor, action, &revoked.key, now),
            None,
        ));
        self.transact_all(items).await
    }

    /// The key with this value, with its tenant (a strongly consistent read: a key just
    /// revoked is never read, and cached, as still active).
    pub async fn widget_key(&self, key: &str) -> Result<Option<WidgetKey>, StoreError> {
        let Some(it) = self.get_item(&keys::widget_key(key), true).await? else {
            return Ok(None);
        };
        widget_row(&it).map(Some)
    }

    /// A tenant's widget keys, newest first.
    pub async fn widget_keys(&self, tenant_id: &str) -> Result<Vec<WidgetKey>, StoreError> {
        let mut out = self
            .query_all(&keys::tenant_pk(tenant_id), keys::WIDGET_KEY_PREFIX)
            .await?
            .iter()
            .map(widget_row)
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| b.created_at.cmp(&a.created_at));
        Ok(out)
    }
}

fn widget_row(it: &Item) -> Result<WidgetKey, StoreError> {
    let mut row: WidgetKey = get_json(it, "widget_key")?;
    row.tenant_id = req_s(it, "tenant_id")?.into();
    Ok(row)
}
