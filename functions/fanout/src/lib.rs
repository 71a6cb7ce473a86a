//! `fanout`: DynamoDB stream → SQS. Each new `OUTBOX#` item becomes one SQS message per
//! recipient and channel on the `notifications` queue, and an event about an appointment
//! one more on the `integrations` queue (calendar sync). Failed records are reported with
//! `batchItemFailures` (the stream mapping bisects and retries them); `notify` is
//! idempotent on the notification id, so a retried record never sends twice.

use aws_lambda_events::event::dynamodb::Event;
use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use frontline::notify::{messages, OutboxEvent};
use frontline::queue::QueueError;
use frontline::telemetry::chain;
use frontline::Services;

/// Handles one batch of stream records.
pub async fn handle(svc: &Services, event: Event) -> DynamoDbEventResponse {
    let mut response = DynamoDbEventResponse::default();
    for record in event.records {
        let ev = match frontline::store::inserted_outbox_event(&record) {
            Ok(Some(ev)) => ev,
            Ok(None) => continue,
            Err(e) => {
                tracing::error!(error = %chain(&e), "unreadable outbox record skipped");
                continue;
            }
        };
        if let Err(e) = send(svc, &ev).await {
            tracing::error!(event = %ev.id, error = %chain(&e), "fanout failed; record will be retried");
            let mut failure = DynamoDbBatchItemFailure::default();
            failure.item_identifier = record.change.sequence_number;
            response.batch_item_failures.push(failure);
        }
    }
    response
}

async fn send(svc: &Services, ev: &OutboxEvent) -> Result<(), QueueError> {
    let queue = &svc.config.notifications_queue_url;
    frontline::queue::send_json(&svc.sqs, queue, &messages(ev)).await?;
    // Bookings, moves and cancellations also go to the calendar sync.
    frontline::google::sync::send(svc, &frontline::google::sync::messages_for(ev)).await?;
    tracing::info!(event = %ev.id, kind = %ev.kind, messages = ev.messages.len(), "fanned out");
    Ok(())
}
