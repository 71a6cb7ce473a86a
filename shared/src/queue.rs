//! SQS plumbing shared by the producers and the queue-fed workers: JSON batches out, and a
//! failed message's backoff (its visibility timeout) before SQS delivers it again.

use aws_lambda_events::event::sqs::SqsMessage;
use serde::Serialize;

/// Sends each item as one JSON message body, in `SendMessageBatch` calls of 10 (SQS's
/// limit). Any entry SQS does not accept fails the whole call, so the caller retries it
/// (consumers are idempotent).
pub async fn send_json<T: Serialize>(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
    items: &[T],
) -> Result<(), String> {
    for chunk in items.chunks(10) {
        let mut batch = sqs.send_message_batch().queue_url(queue_url);
        for (i, item) in chunk.iter().enumerate() {
            batch = batch.entries(
                aws_sdk_sqs::types::SendMessageBatchRequestEntry::builder()
                    .id(format!("m{i}"))
                    .message_body(serde_json::to_string(item).map_err(|e| e.to_string())?)
                    .build()
                    .map_err(|e| e.to_string())?,
            );
        }
        let out = batch
            .send()
            .await
            .map_err(|e| aws_sdk_sqs::error::DisplayErrorContext(e).to_string())?;
        if !out.failed().is_empty() {
            return Err(format!("{} messages were not accepted", out.failed().len()));
        }
    }
    Ok(())
}

/// How many times SQS has delivered this message (its `ApproximateReceiveCount`; 1 on
/// the first delivery).
pub fn receives(record: &SqsMessage) -> u32 {
    record
        .attributes
        .get("ApproximateReceiveCount")
        .and_then(|c| c.parse().ok())
        .unwrap_or(1)
}

/// Keeps a failed message invisible for `delay_s` seconds, so each retry waits longer;
/// after the queue's `maxReceiveCount` it moves to the DLQ. Best effort: without it the
/// queue's own visibility timeout applies.
pub async fn retry_later(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
    record: &SqsMessage,
    delay_s: u64,
) {
    if let Some(h) = &record.receipt_handle {
        let _ = sqs
            .change_message_visibility()
            .queue_url(queue_url)
            .receipt_handle(h)
            .visibility_timeout(delay_s.min(43_200) as i32)
            .send()
            .await;
    }
}
