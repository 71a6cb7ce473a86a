//! `reminders` (EventBridge, hourly): customer reminders before each job (the tenant's
//! leads, default 24 h and 2 h; not in quiet hours; never to an opted-out number) and the
//! owner's digest at 7:00 tenant time (`frontline::schedules::reminders`).
//!
//! The run's time is the schedule event's `time`, so a replayed event is the same run and
//! sends nothing twice. Returns the run's summary (also logged, with an EMF metric line).

use aws_lambda_events::event::cloudwatch_events::CloudWatchEvent;
use frontline::schedules::Schedule;
use frontline::Services;

/// Runs the schedule as of the event's `time`; the run's summary as JSON.
pub async fn handle(svc: &Services, event: CloudWatchEvent) -> serde_json::Value {
    let summary = frontline::schedules::run(svc, Schedule::Reminders, event.time).await;
    serde_json::to_value(summary).expect("summary serialises")
}
