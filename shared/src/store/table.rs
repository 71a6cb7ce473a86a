//! The table definition, shared with `infra/` and the local runner: one JSON document
//! (`infra/table.json`) in CreateTable's own shape.

use super::StoreError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, StreamSpecification, StreamViewType,
    TimeToLiveSpecification,
};
use serde_json::Value;

/// `infra/table.json`.
pub fn table_definition() -> Value {
    serde_json::from_str(include_str!("../../../infra/table.json"))
        .expect("infra/table.json is valid JSON")
}

fn key_schema(v: &Value) -> Vec<KeySchemaElement> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|k| {
            KeySchemaElement::builder()
                .attribute_name(k["AttributeName"].as_str().unwrap_or_default())
                .key_type(if k["KeyType"] == "HASH" {
                    KeyType::Hash
                } else {
                    KeyType::Range
                })
                .build()
                .expect("key schema has name and type")
        })
        .collect()
}

/// Creates the table from the definition if it does not exist, then enables TTL.
/// Returns whether it was created now.
pub async fn create_table(ddb: &aws_sdk_dynamodb::Client, name: &str) -> Result<bool, StoreError> {
    if ddb.describe_table().table_name(name).send().await.is_ok() {
        return Ok(false);
    }
    let def = table_definition();
    let attrs = def["AttributeDefinitions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| {
            AttributeDefinition::builder()
                .attribute_name(a["AttributeName"].as_str().unwrap_or_default())
                .attribute_type(ScalarAttributeType::S)
                .build()
                .expect("attribute definition")
        });
    let gsis = def["GlobalSecondaryIndexes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|g| {
            GlobalSecondaryIndex::builder()
                .index_name(g["IndexName"].as_str().unwrap_or_default())
                .set_key_schema(Some(key_schema(&g["KeySchema"])))
                .projection(
                    Projection::builder()
                        .projection_type(ProjectionType::All)
                        .build(),
                )
                .build()
                .expect("gsi")
        });
    ddb.create_table()
        .table_name(name)
        .set_attribute_definitions(Some(attrs.collect()))
        .set_key_schema(Some(key_schema(&def["KeySchema"])))
        .set_global_secondary_indexes(Some(gsis.collect()))
        .billing_mode(BillingMode::PayPerRequest)
        .stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::NewImage)
                .build()
                .expect("stream spec"),
        )
        .send()
        .await
        .map_err(StoreError::sdk)?;
    let ttl = def["TimeToLiveSpecification"]["AttributeName"]
        .as_str()
        .unwrap_or("expires_at");
    ddb.update_time_to_live()
        .table_name(name)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .attribute_name(ttl)
                .enabled(true)
                .build()
                .expect("ttl spec"),
        )
        .send()
        .await
        .map_err(StoreError::sdk)?;
    Ok(true)
}
