//! `retention-purge` (EventBridge, daily): redacts call transcripts and text bodies past
//! each tenant's retention and audits the counts (`frontline::jobs::retention_purge`).
//!
//! The run's time is the schedule event's `time`, so a replayed event is the same run and
//! sends nothing twice. Returns the run's summary (also logged, with an EMF metric line).

use aws_lambda_events::event::cloudwatch_events::CloudWatchEvent;
use frontline::Services;

pub async fn handle(svc: &Services, event: CloudWatchEvent) -> serde_json::Value {
    let summary = frontline::jobs::run(svc, "retention-purge", event.time)
        .await
        .expect("a known job");
    serde_json::to_value(summary).expect("summary serialises")
}
