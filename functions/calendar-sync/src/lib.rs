//! `calendar-sync`: SQS `integrations` → Google Calendar. Pushes each booked, moved or
//! cancelled job to the owner's calendar and imports the owner's busy time
//! (`frontline::google::sync`). Failures Google may recover from (429, 5xx, timeouts) come
//! back through SQS with growing delays (partial batch response, Google's `Retry-After`
//! honoured), then the DLQ; the next scheduled import repairs whatever is still missing,
//! so a booking is never lost to a Google outage.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use frontline::google::sync::{self, IntegrationMessage};
use frontline::Services;

/// Handles one SQS batch; failed message ids are returned for redelivery.
pub async fn handle(svc: &Services, event: SqsEvent) -> SqsBatchResponse {
    frontline::queue::work_batch(
        &svc.sqs,
        &svc.config.integrations_queue_url,
        svc.config.notify_retry_base_s,
        event,
        |message: IntegrationMessage| async move { sync::run(svc, &message, svc.clock.now()).await },
    )
    .await
}
