//! `retention-purge` (EventBridge, daily): redacts call transcripts and text bodies past
//! each tenant's retention and audits the counts (`frontline::schedules::retention_purge`).
//!
//! The run's time is the schedule event's `time`, so a replayed event is the same run and
//! sends nothing twice. Returns the run's summary (also logged, with an EMF metric line).

use aws_lambda_events::event::cloudwatch_events::CloudWatchEvent;
use frontline::schedules::Schedule;
use frontline::Services;

/// Runs the schedule as of the event's `time`; the run's summary as JSON.
pub async fn handle(svc: &Services, event: CloudWatchEvent) -> serde_json::Value {
    let summary = frontline::schedules::run(svc, Schedule::RetentionPurge, event.time).await;
    serde_json::to_value(summary).expect("summary serialises")
}
