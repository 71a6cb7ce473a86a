//! Daily on-demand backups (`CreateBackup`, newest [`crate::config::Config::backup_keep`]
//! kept) and the restore drill: restore the newest backup into a new table, compare item
//! counts per item type with the source, report the recovery point, delete the drill table.
//!
//! Point-in-time recovery (enabled on the table in `template.yaml`) covers the last 35
//! days to the second; on-demand backups outlive it. Procedure: README "Backups and
//! restore".

use super::Summary;
use crate::Services;
use aws_sdk_dynamodb::types::{AttributeValue, BackupTypeFilter, TableStatus};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// Why a backup or drill did not finish. The SDK's error is kept as the source.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("DynamoDB request failed")]
    Dynamo(#[source] aws_sdk_dynamodb::Error),
    #[error("table {0} has no backup to restore")]
    NoBackup(String),
    #[error("the drill table did not become ACTIVE within an hour")]
    NotActive,
}

fn sdk<E, R>(e: aws_sdk_dynamodb::error::SdkError<E, R>) -> BackupError
where
    aws_sdk_dynamodb::Error: From<aws_sdk_dynamodb::error::SdkError<E, R>>,
{
    BackupError::Dynamo(e.into())
}

/// `(arn, created)` of the table's user backups, newest first.
async fn backups(
    ddb: &aws_sdk_dynamodb::Client,
    table: &str,
) -> Result<Vec<(String, DateTime<Utc>)>, BackupError> {
    let mut out = Vec::new();
    let mut start: Option<String> = None;
    loop {
        let res = ddb
            .list_backups()
            .table_name(table)
            .backup_type(BackupTypeFilter::User)
            .set_exclusive_start_backup_arn(start)
            .send()
            .await
            .map_err(sdk)?;
        for b in res.backup_summaries() {
            if let (Some(arn), Some(t)) = (b.backup_arn(), b.backup_creation_date_time()) {
                out.push((
                    arn.to_string(),
                    DateTime::from_timestamp(t.secs(), 0).unwrap_or_default(),
                ));
            }
        }
        match res.last_evaluated_backup_arn() {
            Some(a) => start = Some(a.to_string()),
            None => break,
        }
    }
    out.sort_by_key(|b| std::cmp::Reverse(b.1));
    Ok(out)
}

/// Creates today's backup and deletes all but the newest `BACKUP_KEEP`.
pub async fn backup(svc: &Services, now: DateTime<Utc>) -> Summary {
    let started = std::time::Instant::now();
    let mut sum = Summary::new("backup", now);
    let ddb = svc.store.client();
    let table = svc.store.table_name();
    let name = format!("{table}-{}", now.format("%Y%m%dT%H%M%S"));
    match ddb
        .create_backup()
        .table_name(table)
        .backup_name(&name)
        .send()
        .await
    {
        Ok(_) => sum.add("created", 1),
        Err(e) => {
            tracing::error!(error = %sdk(e), "backup failed");
            sum.add("errors", 1);
            return sum.finish(started);
        }
    }
    match backups(ddb, table).await {
        Ok(all) => {
            let keep = svc.config.backup_keep.max(1);
            sum.add("kept", all.len().min(keep) as u64);
            for (arn, _) in all.iter().skip(keep) {
                match ddb.delete_backup().backup_arn(arn).send().await {
                    Ok(_) => sum.add("deleted", 1),
                    Err(e) => {
                        tracing::warn!(error = %sdk(e), "old backup not deleted");
                        sum.add("errors", 1);
                    }
                }
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "backups not listed");
            sum.add("errors", 1);
        }
    }
    sum.finish(started)
}

/// What a restore drill found.
#[derive(Debug, Clone, Serialize)]
pub struct DrillReport {
    pub backup_arn: String,
    /// The backup's creation time: what a restore would bring back.
    pub recovery_point: DateTime<Utc>,
    pub drill_table: String,
    /// Items per `entity` in the source table now and in the restored table.
    pub source: BTreeMap<String, u64>,
    pub restored: BTreeMap<String, u64>,
    /// Whether every item type has the same count.
    pub equal: bool,
    pub restore_seconds: f64,
}

/// Items per `entity` attribute (`(none)` for items without one), all pages.
pub async fn count_by_entity(
    ddb: &aws_sdk_dynamodb::Client,
    table: &str,
) -> Result<BTreeMap<String, u64>, BackupError> {
    let mut out = BTreeMap::new();
    let mut start = None;
    loop {
        let res = ddb
            .scan()
            .table_name(table)
            .projection_expression("entity")
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(sdk)?;
        for it in res.items() {
            let e = match it.get("entity") {
                Some(AttributeValue::S(s)) => s.clone(),
                _ => "(none)".into(),
            };
            *out.entry(e).or_default() += 1;
        }
        match res.last_evaluated_key() {
            Some(k) => start = Some(k.clone()),
            None => return Ok(out),
        }
    }
}

/// Restores the newest backup of `table` into `{table}-drill-{time}`, compares counts,
/// and deletes the drill table (also when the comparison fails).
pub async fn restore_drill(
    ddb: &aws_sdk_dynamodb::Client,
    table: &str,
) -> Result<DrillReport, BackupError> {
    let (arn, created) = backups(ddb, table)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| BackupError::NoBackup(table.to_string()))?;
    let drill = format!("{table}-drill-{}", Utc::now().format("%Y%m%d%H%M%S"));
    let t0 = std::time::Instant::now();
    ddb.restore_table_from_backup()
        .target_table_name(&drill)
        .backup_arn(&arn)
        .send()
        .await
        .map_err(sdk)?;
    let result = async {
        loop {
            let d = ddb
                .describe_table()
                .table_name(&drill)
                .send()
                .await
                .map_err(sdk)?;
            if d.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
                break;
            }
            if t0.elapsed() > std::time::Duration::from_secs(3600) {
                return Err(BackupError::NotActive);
            }
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        }
        let restore_seconds = t0.elapsed().as_secs_f64();
        // A job's run record is written after its backup: not part of the business data.
        let business = |mut m: std::collections::BTreeMap<String, u64>| {
            m.remove("job_run");
            m
        };
        let source = business(count_by_entity(ddb, table).await?);
        let restored = business(count_by_entity(ddb, &drill).await?);
        Ok(DrillReport {
            equal: source == restored,
            backup_arn: arn.clone(),
            recovery_point: created,
            drill_table: drill.clone(),
            source,
            restored,
            restore_seconds,
        })
    }
    .await;
    if let Err(e) = ddb.delete_table().table_name(&drill).send().await {
        tracing::warn!(table = %drill, error = %crate::telemetry::chain(&sdk(e)), "drill table not deleted");
    }
    result
}
