//! `fanout`: DynamoDB stream → SQS. Each new `OUTBOX#` item becomes one SQS message per
//! recipient and channel on the `notifications` queue, and an event about an appointment
//! one more on the `integrations` queue (calendar sync). Failed records are reported with
//! `batchItemFailures` (the stream mapping bisects and retries them); `notify` is
//! idempotent on the notification id, so a retried record never sends twice.

use aws_lambda_events::event::dynamodb::Event;
use aws_lambda_events::event::streams::DynamoDbEventResponse;
use frontline::notify::{jobs, OutboxEvent};
use frontline::Services;
use serde::Deserialize;

#[derive(Deserialize)]
struct OutboxImage {
    #[serde(rename = "SK")]
    sk: String,
    event: Option<String>,
}

/// Handles one batch of stream records.
pub async fn handle(svc: &Services, event: Event) -> DynamoDbEventResponse {
    let mut failures = Vec::new();
    for record in event.records {
        if record.event_name != "INSERT" {
            continue;
        }
        let img = match serde_dynamo::from_item::<_, OutboxImage>(record.change.new_image.clone()) {
            Ok(i) => i,
            Err(e) => {
                tracing::warn!(error = %e, "stream record without a readable image; skipped");
                continue;
            }
        };
        if !img.sk.starts_with(frontline::store::keys::OUTBOX_PREFIX) {
            continue;
        }
        let Some(ev) = img
            .event
            .and_then(|e| serde_json::from_str::<OutboxEvent>(&e).ok())
        else {
            tracing::error!(sk = %img.sk, "outbox item without a readable event; skipped");
            continue;
        };
        if let Err(e) = send(svc, &ev).await {
            tracing::error!(event = %ev.id, error = %e, "fanout failed; record will be retried");
            failures.push(serde_json::json!({"itemIdentifier": record.change.sequence_number}));
        }
    }
    serde_json::from_value(serde_json::json!({"batchItemFailures": failures}))
        .expect("response shape")
}

async fn send(svc: &Services, ev: &OutboxEvent) -> Result<(), String> {
    frontline::queue::send_json(&svc.sqs, &svc.config.notifications_queue_url, &jobs(ev)).await?;
    // Bookings, moves and cancellations also go to the calendar sync.
    frontline::google::sync::send(svc, &frontline::google::sync::jobs_for(ev)).await?;
    tracing::info!(event = %ev.id, kind = %ev.kind, messages = ev.messages.len(), "fanned out");
    Ok(())
}
