//! SQS plumbing shared by the producers and the queue-fed workers: JSON messages out, and
//! on the consuming side one partial-batch loop ([`work_batch`]) with one backoff
//! ([`backoff_s`]) for every worker (AWS "Reporting batch item failures for Amazon SQS").

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Longest delay SQS allows on a message (`DelaySeconds`, AWS limit), seconds; also the
/// longest backoff a worker waits before a retry.
pub const MAX_DELAY_S: u32 = 900;

/// A message that could not be queued. The SDK's error is kept as the source.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("message could not be encoded")]
    Encode(#[from] serde_json::Error),
    #[error("SQS request could not be built")]
    Build(#[from] aws_sdk_sqs::error::BuildError),
    #[error("SQS request failed")]
    Sqs(#[source] aws_sdk_sqs::Error),
    /// `SendMessageBatch` answered, but refused this many entries.
    #[error("{0} messages were not accepted")]
    NotAccepted(usize),
}

impl<E, R> From<aws_sdk_sqs::error::SdkError<E, R>> for QueueError
where
    aws_sdk_sqs::Error: From<aws_sdk_sqs::error::SdkError<E, R>>,
{
    fn from(e: aws_sdk_sqs::error::SdkError<E, R>) -> Self {
        QueueError::Sqs(e.into())
    }
}

/// Sends each item as one JSON message body, in `SendMessageBatch` calls of 10 (SQS's
/// limit). Any entry SQS does not accept fails the whole call, so the caller retries it
/// (consumers are idempotent).
pub async fn send_json<T: Serialize>(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
    items: &[T],
) -> Result<(), QueueError> {
    for chunk in items.chunks(10) {
        let mut batch = sqs.send_message_batch().queue_url(queue_url);
        for (i, item) in chunk.iter().enumerate() {
            batch = batch.entries(
                aws_sdk_sqs::types::SendMessageBatchRequestEntry::builder()
                    .id(format!("m{i}"))
                    .message_body(serde_json::to_string(item)?)
                    .build()?,
            );
        }
        let out = batch.send().await?;
        if !out.failed().is_empty() {
            return Err(QueueError::NotAccepted(out.failed().len()));
        }
    }
    Ok(())
}

/// Sends one item as a JSON message body, delivered after `delay_s` seconds (at most
/// [`MAX_DELAY_S`]).
pub async fn send_one<T: Serialize>(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
    item: &T,
    delay_s: u32,
) -> Result<(), QueueError> {
    sqs.send_message()
        .queue_url(queue_url)
        .message_body(serde_json::to_string(item)?)
        .delay_seconds(delay_s.min(MAX_DELAY_S) as i32)
        .send()
        .await?;
    Ok(())
}

/// Seconds a failed message waits before its `receives`-th redelivery: `base` doubling
/// per receive, at least `floor_s` (a provider's `Retry-After`), at most [`MAX_DELAY_S`].
pub fn backoff_s(base: u32, receives: u32, floor_s: Option<u64>) -> u64 {
    let exp = u64::from(base).saturating_mul(1u64 << receives.saturating_sub(1).min(10));
    exp.max(floor_s.unwrap_or(0)).min(u64::from(MAX_DELAY_S))
}

/// A message's failure that a later delivery may get past.
pub trait Retryable: std::error::Error {
    /// The least wait the far side asked for (e.g. `Retry-After`), seconds.
    fn retry_after_s(&self) -> Option<u64> {
        None
    }
}

/// One queue-fed worker's batch, the partial-batch way: each body is read as `T` and given
/// to `work`; a body that does not parse is dropped (logged: it will never parse); a
/// message whose work fails is kept invisible for its [`backoff_s`] and named in
/// `batchItemFailures`, so SQS delivers it again (then the DLQ after `maxReceiveCount`).
pub async fn work_batch<T, E, Fut>(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
    retry_base_s: u32,
    event: SqsEvent,
    work: impl Fn(T) -> Fut,
) -> SqsBatchResponse
where
    T: DeserializeOwned,
    E: Retryable,
    Fut: std::future::Future<Output = Result<(), E>>,
{
    let mut response = SqsBatchResponse::default();
    for record in event.records {
        let id = record.message_id.clone().unwrap_or_default();
        let Some(message) = record
            .body
            .as_deref()
            .and_then(|b| serde_json::from_str::<T>(b).ok())
        else {
            tracing::error!(message_id = %id, "unreadable queue message dropped");
            continue;
        };
        // Boxed: a worker's future nests deep enough to overflow the compiler's layout
        // depth in the Lambda's main.
        if let Err(e) = Box::pin(work(message)).await {
            let receives = receives(&record);
            let delay = backoff_s(retry_base_s, receives, e.retry_after_s());
            tracing::warn!(message_id = %id, error = %crate::telemetry::chain(&e), receives, delay_s = delay, "message will be retried");
            retry_later(sqs, queue_url, &record, delay).await;
            response.add_failure(id);
        }
    }
    response
}

/// How many times SQS has delivered this message (its `ApproximateReceiveCount`; 1 on
/// the first delivery).
fn receives(record: &SqsMessage) -> u32 {
    record
        .attributes
        .get("ApproximateReceiveCount")
        .and_then(|c| c.parse().ok())
        .unwrap_or(1)
}

/// Keeps a failed message invisible for `delay_s` seconds, so each retry waits longer.
/// Best effort: without it the queue's own visibility timeout applies.
async fn retry_later(
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

#[cfg(test)]
mod tests {
    use super::backoff_s;

    #[test]
    fn backoff_doubles_honours_retry_after_and_caps() {
        assert_eq!(backoff_s(10, 1, None), 10);
        assert_eq!(backoff_s(10, 2, None), 20);
        assert_eq!(backoff_s(10, 4, None), 80);
        assert_eq!(backoff_s(10, 1, Some(120)), 120);
        assert_eq!(backoff_s(10, 30, None), 900);
    }
}
