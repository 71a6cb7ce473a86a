//! The event sources Lambda would run: the table's stream into `fanout`, and the
//! `notifications` queue into `notify`, with the same event shapes and partial-batch
//! semantics (failed messages stay on the queue and come back; the redrive policy moves
//! them to the DLQ after a bounded number of receives).

use aws_sdk_dynamodbstreams::types::{AttributeValue as SAv, ShardIteratorType};
use frontline::aws_usage::FUNCTION;
use frontline::Services;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

fn av_json(v: &SAv) -> Value {
    match v {
        SAv::S(s) => json!({"S": s}),
        SAv::N(n) => json!({"N": n}),
        SAv::Bool(b) => json!({"BOOL": b}),
        SAv::Null(_) => json!({"NULL": true}),
        SAv::L(l) => json!({"L": l.iter().map(av_json).collect::<Vec<_>>()}),
        SAv::M(m) => json!({"M": map_json(m)}),
        SAv::Ss(v) => json!({"SS": v}),
        SAv::Ns(v) => json!({"NS": v}),
        _ => json!({"NULL": true}),
    }
}

fn map_json(m: &HashMap<String, SAv>) -> Value {
    Value::Object(m.iter().map(|(k, v)| (k.clone(), av_json(v))).collect())
}

/// The first idle wait of the stream poller, and the longest.
const IDLE_MIN: Duration = Duration::from_millis(50);
const IDLE_MAX: Duration = Duration::from_millis(250);
/// How often the stream's shards are listed again.
const SHARD_REFRESH: Duration = Duration::from_secs(10);

/// The table's stream as `fanout`'s event source.
#[derive(Clone)]
pub struct StreamSource {
    pub svc: Arc<Services>,
    pub streams: aws_sdk_dynamodbstreams::Client,
    pub ddb: aws_sdk_dynamodb::Client,
    pub table: String,
}

impl StreamSource {
    /// Polls every shard from its trim horizon and hands records to `fanout`, forever.
    pub async fn run(self) {
        let StreamSource {
            svc,
            streams,
            ddb,
            table,
        } = self;
        let arn = loop {
            match ddb.describe_table().table_name(&table).send().await {
                Ok(d) => {
                    if let Some(a) = d.table().and_then(|t| t.latest_stream_arn()) {
                        break a.to_string();
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %aws_sdk_dynamodb::error::DisplayErrorContext(e), "describe_table")
                }
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        };
        let mut iterators: HashMap<String, Option<String>> = HashMap::new();
        // Shards change seldom: the stream is described at start and every
        // SHARD_REFRESH, not on every poll.
        let mut described: Option<std::time::Instant> = None;
        let mut idle_wait = IDLE_MIN;
        loop {
            let refresh = described.is_none_or(|at| at.elapsed() >= SHARD_REFRESH);
            let desc = if refresh {
                streams.describe_stream().stream_arn(&arn).send().await.ok()
            } else {
                None
            };
            if let Some(desc) = desc {
                described = Some(std::time::Instant::now());
                for shard in desc
                    .stream_description()
                    .map(|d| d.shards())
                    .unwrap_or_default()
                {
                    let id = shard.shard_id().unwrap_or_default().to_string();
                    if let std::collections::hash_map::Entry::Vacant(e) =
                        iterators.entry(id.clone())
                    {
                        let it = streams
                            .get_shard_iterator()
                            .stream_arn(&arn)
                            .shard_id(&id)
                            .shard_iterator_type(ShardIteratorType::TrimHorizon)
                            .send()
                            .await
                            .ok()
                            .and_then(|o| o.shard_iterator().map(String::from));
                        e.insert(it);
                    }
                }
            }
            let mut idle = true;
            for (shard, it) in iterators.iter_mut() {
                let Some(cur) = it.clone() else { continue };
                let out = match streams.get_records().shard_iterator(&cur).send().await {
                    Ok(o) => o,
                    Err(e) => {
                        tracing::warn!(error = %aws_sdk_dynamodbstreams::error::DisplayErrorContext(e), "get_records");
                        continue;
                    }
                };
                let records: Vec<Value> = out
                .records()
                .iter()
                .map(|r| {
                    let d = r.dynamodb();
                    json!({
                        "eventID": r.event_id().unwrap_or_default(),
                        "eventName": r.event_name().map(|n| n.as_str().to_string()).unwrap_or_default(),
                        "eventVersion": "1.1",
                        "eventSource": "aws:dynamodb",
                        "awsRegion": "us-east-1",
                        "eventSourceARN": arn,
                        "dynamodb": {
                            "ApproximateCreationDateTime": chrono::Utc::now().timestamp(),
                            "Keys": d.map(|d| map_json(d.keys().unwrap_or(&HashMap::new()))).unwrap_or(json!({})),
                            "NewImage": d.map(|d| map_json(d.new_image().unwrap_or(&HashMap::new()))).unwrap_or(json!({})),
                            "SequenceNumber": d.and_then(|d| d.sequence_number()).unwrap_or_default(),
                            "SizeBytes": d.and_then(|d| d.size_bytes()).unwrap_or(0),
                            "StreamViewType": "NEW_IMAGE"
                        }
                    })
                })
                .collect();
                *it = out.next_shard_iterator().map(String::from);
                if records.is_empty() {
                    continue;
                }
                idle = false;
                match serde_json::from_value(json!({"Records": records})) {
                    Ok(ev) => {
                        let resp = FUNCTION.scope("fanout", fanout::handle(&svc, ev)).await;
                        // Lambda's ReportBatchItemFailures: resume at the lowest failed
                        // sequence number (later records come again; notify is idempotent).
                        let retry_at = resp
                            .batch_item_failures
                            .iter()
                            .filter_map(|f| f.item_identifier.as_deref())
                            .min_by_key(|seq| (seq.len(), seq.to_string()));
                        if let Some(seq) = retry_at {
                            tracing::warn!(
                                failures = resp.batch_item_failures.len(),
                                sequence = seq,
                                "fanout reported failures; retrying from the first"
                            );
                            if let Ok(o) = streams
                                .get_shard_iterator()
                                .stream_arn(&arn)
                                .shard_id(shard.as_str())
                                .shard_iterator_type(ShardIteratorType::AtSequenceNumber)
                                .sequence_number(seq)
                                .send()
                                .await
                            {
                                *it = o.shard_iterator().map(String::from);
                            }
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "stream event did not parse"),
                }
            }
            // Idle, the polls slow down to Lambda's own rate for a stream (four a second
            // per shard); a record brings them back at once.
            if idle {
                tokio::time::sleep(idle_wait).await;
                idle_wait = (idle_wait * 2).min(IDLE_MAX);
            } else {
                idle_wait = IDLE_MIN;
            }
        }
    }
}

/// Receives from the queue and hands batches to `notify`, deleting what succeeded.
pub async fn queue_to_notify(svc: Arc<Services>, queue_url: String) {
    queue_to_worker(svc, queue_url, "notifications", |svc, ev| async move {
        FUNCTION.scope("notify", notify::handle(&svc, ev)).await
    })
    .await
}

/// Receives from the `integrations` queue and hands batches to `calendar-sync`.
pub async fn queue_to_calendar_sync(svc: Arc<Services>, queue_url: String) {
    queue_to_worker(svc, queue_url, "integrations", |svc, ev| async move {
        FUNCTION
            .scope("calendar-sync", calendar_sync::handle(&svc, ev))
            .await
    })
    .await
}

/// An SQS event source mapping: long-polls `queue_url`, calls `worker` with Lambda's SQS
/// event shape, and deletes the messages not named in its `batchItemFailures`.
pub async fn queue_to_worker<F, Fut>(svc: Arc<Services>, queue_url: String, name: &str, worker: F)
where
    F: Fn(Arc<Services>, aws_lambda_events::event::sqs::SqsEvent) -> Fut,
    Fut: std::future::Future<Output = aws_lambda_events::event::sqs::SqsBatchResponse>,
{
    let arn = format!("arn:aws:sqs:us-east-1:000000000000:{name}");
    loop {
        let out = svc
            .sqs
            .receive_message()
            .queue_url(&queue_url)
            .max_number_of_messages(10)
            // The longest long poll, as Lambda's SQS event source uses: an empty queue
            // costs one request in 20 s, and a message ends the wait at once.
            .wait_time_seconds(20)
            .message_system_attribute_names(
                aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount,
            )
            .send()
            .await;
        let msgs = match out {
            Ok(o) => o.messages().to_vec(),
            Err(e) => {
                tracing::warn!(error = %aws_sdk_sqs::error::DisplayErrorContext(e), "receive_message");
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        if msgs.is_empty() {
            continue;
        }
        let records: Vec<Value> = msgs
            .iter()
            .map(|m| {
                json!({
                    "messageId": m.message_id(),
                    "receiptHandle": m.receipt_handle(),
                    "body": m.body(),
                    "attributes": {"ApproximateReceiveCount": m
                        .attributes()
                        .and_then(|a| a.get(&aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount))
                        .cloned()
                        .unwrap_or_else(|| "1".into())},
                    "messageAttributes": {},
                    "md5OfBody": m.md5_of_body(),
                    "eventSource": "aws:sqs",
                    "eventSourceARN": arn,
                    "awsRegion": "us-east-1"
                })
            })
            .collect();
        let ev = match serde_json::from_value(json!({"Records": records})) {
            Ok(ev) => ev,
            Err(e) => {
                tracing::error!(error = %e, "sqs event did not parse");
                continue;
            }
        };
        let resp = worker(svc.clone(), ev).await;
        let failed: Vec<String> = resp
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.clone())
            .collect();
        for m in &msgs {
            if failed.iter().any(|f| Some(f.as_str()) == m.message_id()) {
                continue;
            }
            if let Some(h) = m.receipt_handle() {
                let _ = svc
                    .sqs
                    .delete_message()
                    .queue_url(&queue_url)
                    .receipt_handle(h)
                    .send()
                    .await;
            }
        }
    }
}
