//! `calendar-sync`: SQS `integrations` → Google Calendar. Pushes each booked, moved or
//! cancelled job to the owner's calendar and imports the owner's busy time
//! (`frontline::google::sync`). Failures Google may recover from (429, 5xx, timeouts) come
//! back through SQS with growing delays (partial batch response), then the DLQ; the next
//! scheduled import repairs whatever is still missing, so a booking is never lost to a
//! Google outage.

use aws_lambda_events::event::sqs::SqsEvent;
use aws_lambda_events::event::streams::SqsEventResponse;
use frontline::google::sync::{self, IntegrationJob, SyncError};
use frontline::Services;

/// Longest delay before a retry, seconds (SQS allows 12 hours; Google's limits reset
/// sooner).
pub const MAX_DELAY_S: u64 = 900;

/// Seconds before the `receives`-th retry: `base` doubling per receive, capped; Google's
/// `Retry-After` wins when it is longer.
pub fn backoff_s(base: u32, receives: u32, retry_after: Option<u64>) -> u64 {
    let exp = (base as u64).saturating_mul(1u64 << receives.saturating_sub(1).min(10));
    exp.max(retry_after.unwrap_or(0)).min(MAX_DELAY_S)
}

/// Handles one SQS batch; failed message ids are returned for redelivery.
pub async fn handle(svc: &Services, event: SqsEvent) -> SqsEventResponse {
    let mut failures = Vec::new();
    for record in event.records {
        let id = record.message_id.clone().unwrap_or_default();
        let Some(job) = record
            .body
            .as_deref()
            .and_then(|b| serde_json::from_str::<IntegrationJob>(b).ok())
        else {
            tracing::error!(message_id = %id, "unreadable integration job dropped");
            continue;
        };
        if let Err(SyncError::Retry { reason, after_s }) =
            sync::run(svc, &job, svc.clock.now()).await
        {
            let receives = frontline::queue::receives(&record);
            let delay = backoff_s(svc.config.notify_retry_base_s, receives, after_s);
            tracing::warn!(message_id = %id, error = %reason, receives, delay_s = delay, "integration job will be retried");
            frontline::queue::retry_later(
                &svc.sqs,
                &svc.config.integrations_queue_url,
                &record,
                delay,
            )
            .await;
            failures.push(serde_json::json!({"itemIdentifier": id}));
        }
    }
    serde_json::from_value(serde_json::json!({"batchItemFailures": failures}))
        .expect("response shape")
}

#[cfg(test)]
mod tests {
    use super::backoff_s;

    #[test]
    fn backoff_doubles_honours_retry_after_and_caps() {
        assert_eq!(backoff_s(10, 1, None), 10);
        assert_eq!(backoff_s(10, 3, None), 40);
        assert_eq!(backoff_s(10, 1, Some(120)), 120);
        assert_eq!(backoff_s(10, 30, None), 900);
    }
}
