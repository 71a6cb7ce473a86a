//! Platform-wide records for the admin API: schedule runs and number moves.

use super::accounts::audit_item;
use super::attrs::*;
use super::write::{put, put_when};
use super::{keys, Store, StoreError};
use crate::tenancy::Tenant;
use aws_sdk_dynamodb::types::{Delete, TransactWriteItem};
use chrono::{DateTime, Utc};

impl Store {
    /// Records a schedule's latest run and its summary.
    pub async fn record_schedule_run(
        &self,
        job: &str,
        at: DateTime<Utc>,
        summary: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let mut it = item(&keys::job_run(job));
        it.insert("entity".into(), s("job_run"));
        it.insert("job".into(), s(job));
        it.insert("run_at".into(), s(ts(at)));
        it.insert("summary".into(), json(summary));
        self.put_plain(it).await?;
        Ok(())
    }

    /// The latest run of every schedule: `(name, run_at, summary)`.
    pub async fn schedule_runs(
        &self,
    ) -> Result<Vec<(String, String, serde_json::Value)>, StoreError> {
        Ok(self
            .query_all(keys::JOB_RUN_PK, keys::JOB_RUN_PREFIX)
            .await?
            .iter()
            .filter_map(|it| {
                Some((
                    get_s(it, "job")?.to_string(),
                    get_s(it, "run_at")?.to_string(),
                    get_s(it, "summary")
                        .and_then(|v| serde_json::from_str(v).ok())
                        .unwrap_or_default(),
                ))
            })
            .collect())
    }

    /// Points `tenant.phone` (already changed) at the tenant and stops `old_phone` routing
    /// to it, with an audit record, in one transaction. The new number must be free.
    pub async fn move_number(
        &self,
        tenant: &Tenant,
        old_phone: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut profile = item(&keys::tenant_profile(&tenant.id));
        profile.insert("entity".into(), s("tenant"));
        profile.insert("profile".into(), json(tenant));
        let mut route = item(&keys::number_route(&tenant.phone));
        route.insert("entity".into(), s("route"));
        route.insert("tenant_id".into(), s(&tenant.id));
        route.insert("profile".into(), json(tenant));
        let mut items = vec![
            put(&self.table, profile, None),
            put_when(
                &self.table,
                route,
                "attribute_not_exists(PK) OR tenant_id = :t",
                &[(":t", &tenant.id)],
            ),
            put(
                &self.table,
                audit_item(&tenant.id, actor, "number_routed", &tenant.phone, now),
                None,
            ),
        ];
        if old_phone != tenant.phone {
            items.push(
                TransactWriteItem::builder()
                    .delete(
                        Delete::builder()
                            .table_name(&self.table)
                            .set_key(Some(key_map(&keys::number_route(old_phone))))
                            .condition_expression("attribute_not_exists(PK) OR tenant_id = :t")
                            .expression_attribute_values(":t", s(&tenant.id))
                            .build()
                            .expect("delete"),
                    )
                    .build(),
            );
        }
        let res = self.transact(items).await?;
        Ok(res.is_none())
    }
}
