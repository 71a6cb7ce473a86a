//! The schedules (EventBridge → one Lambda each): customer reminders and the owner's
//! digest (hourly), the win-back campaign (hourly, at 10:00 tenant time), retention purge
//! and backups (daily). Each is safe to run twice: what it sends is an outbox event keyed
//! by the run's hour, written only if absent, and `notify` sends each notification once.
//! Each run ends with one summary log line and one EMF metric line.

mod backup;
mod campaigns;
mod reminders;
mod retention;

pub use backup::{backup, restore_drill, DrillReport};
pub use campaigns::campaigns;
pub use reminders::reminders;
pub use retention::retention_purge;

use chrono::{DateTime, Timelike, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// A schedule, by the name its EventBridge rule, function and `local invoke` use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    Reminders,
    Campaigns,
    RetentionPurge,
    Backup,
}

impl Schedule {
    /// Every schedule.
    pub const ALL: [Schedule; 4] = [
        Schedule::Reminders,
        Schedule::Campaigns,
        Schedule::RetentionPurge,
        Schedule::Backup,
    ];

    /// The name (`reminders`, `campaigns`, `retention-purge`, `backup`).
    pub fn name(self) -> &'static str {
        match self {
            Schedule::Reminders => "reminders",
            Schedule::Campaigns => "campaigns",
            Schedule::RetentionPurge => "retention-purge",
            Schedule::Backup => "backup",
        }
    }

    /// The schedule of that name.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// What one run did: counts by name, how long it took, and its run time (the schedule's
/// `time`, so a replayed event is the same run). Serialised with the schedule's name as
/// `job` (the admin view's and the log line's field).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub job: String,
    pub run_at: DateTime<Utc>,
    pub counts: BTreeMap<String, u64>,
    pub duration_ms: u64,
}

impl Summary {
    fn new(job: &str, run_at: DateTime<Utc>) -> Self {
        Self {
            job: job.into(),
            run_at,
            counts: BTreeMap::new(),
            duration_ms: 0,
        }
    }

    /// Adds `n` to the count `name`.
    pub fn add(&mut self, name: &str, n: u64) {
        *self.counts.entry(name.into()).or_default() += n;
    }

    /// A count (0 when never added).
    pub fn get(&self, name: &str) -> u64 {
        self.counts.get(name).copied().unwrap_or(0)
    }

    /// Logs the summary line and the EMF metrics (namespace `Frontline/Jobs`, dimension
    /// `Job`), once per run.
    fn finish(mut self, started: std::time::Instant) -> Self {
        self.duration_ms = started.elapsed().as_millis() as u64;
        tracing::info!(
            job = %self.job,
            run_at = %self.run_at,
            counts = %serde_json::to_string(&self.counts).unwrap_or_default(),
            duration_ms = self.duration_ms,
            "scheduled job summary"
        );
        let mut metrics = vec![serde_json::json!({"Name": "DurationMs", "Unit": "Milliseconds"})];
        let mut root = serde_json::json!({"Job": self.job, "DurationMs": self.duration_ms});
        for (k, v) in &self.counts {
            metrics.push(serde_json::json!({"Name": k, "Unit": "Count"}));
            root[k] = serde_json::json!(v);
        }
        root["_aws"] = serde_json::json!({
            "Timestamp": Utc::now().timestamp_millis(),
            "CloudWatchMetrics": [{"Namespace": "Frontline/Jobs", "Dimensions": [["Job"]], "Metrics": metrics}],
        });
        println!("{root}");
        self
    }
}

/// The start of the UTC hour of `t`: a run's identity (two runs in one hour are one run).
pub fn run_hour(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_minute(0)
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(t)
}

/// Runs a schedule as of `now` (the event's `time`) and records its run.
pub async fn run(svc: &crate::Services, schedule: Schedule, now: DateTime<Utc>) -> Summary {
    let summary = match schedule {
        Schedule::Reminders => Box::pin(reminders(svc, now)).await,
        Schedule::Campaigns => Box::pin(campaigns(svc, now)).await,
        Schedule::RetentionPurge => Box::pin(retention_purge(svc, now)).await,
        Schedule::Backup => Box::pin(backup(svc, now)).await,
    };
    // The admin health view shows the last run of each schedule; a failed write is not
    // the run's failure.
    if let Err(e) = svc
        .store
        .record_schedule_run(
            schedule.name(),
            now,
            &serde_json::to_value(&summary).unwrap_or_default(),
        )
        .await
    {
        tracing::warn!(schedule = schedule.name(), error = %e, "could not record the run");
    }
    summary
}
