//! The table's DynamoDB stream as `fanout` reads it (AWS "Change data capture for
//! DynamoDB Streams"): only newly inserted `OUTBOX#` items carry work.

use super::{keys, StoreError};
use crate::notify::OutboxEvent;
use aws_lambda_events::event::dynamodb::EventRecord;
use serde::Deserialize;

/// The sort key of any item's `NewImage`: enough to tell an outbox item.
#[derive(Deserialize)]
struct Keyed {
    #[serde(rename = "SK")]
    sk: String,
}

/// The attribute of an outbox item's `NewImage` that `fanout` needs.
#[derive(Deserialize)]
struct OutboxImage {
    /// The event, as JSON (see `outbox_put_item`).
    event: Option<String>,
}

/// The outbox event a stream record inserts: `Ok(None)` for every other record (updates,
/// removals, items of other kinds); `Err(Corrupt)` for an outbox item whose image or event
/// cannot be read, which no retry will mend.
pub fn inserted_outbox_event(record: &EventRecord) -> Result<Option<OutboxEvent>, StoreError> {
    if record.event_name != "INSERT" {
        return Ok(None);
    }
    let image = &record.change.new_image;
    let Ok(Keyed { sk }) = serde_dynamo::from_item(image.clone()) else {
        return Ok(None);
    };
    if !sk.starts_with(keys::OUTBOX_PREFIX) {
        return Ok(None);
    }
    let corrupt = |why: String| StoreError::Corrupt(format!("{sk}: {why}"));
    let outbox: OutboxImage =
        serde_dynamo::from_item(image.clone()).map_err(|e| corrupt(e.to_string()))?;
    let event = outbox.event.ok_or_else(|| corrupt("no event".into()))?;
    serde_json::from_str(&event)
        .map(Some)
        .map_err(|e| corrupt(e.to_string()))
}
