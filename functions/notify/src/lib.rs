//! `notify`: SQS `notifications` → Twilio Messages API (and SES for emails). Each message
//! is one notification (`frontline::flows::delivery`); failures worth a retry come back
//! through SQS with growing delays (partial batch response), then the DLQ.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use frontline::flows::delivery;
use frontline::notify::NotificationMessage;
use frontline::Services;

/// Handles one SQS batch; failed message ids are returned for redelivery.
pub async fn handle(svc: &Services, event: SqsEvent) -> SqsBatchResponse {
    frontline::queue::work_batch(
        &svc.sqs,
        &svc.config.notifications_queue_url,
        svc.config.notify_retry_base_s,
        event,
        |message: NotificationMessage| async move { delivery::handle(svc, &message).await },
    )
    .await
}
