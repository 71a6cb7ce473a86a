//! Attribute-value helpers.

use super::keys::Key;
use super::StoreError;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

pub type Item = HashMap<String, AttributeValue>;

/// An item read as a record type (serde_dynamo); `None`, logged, when it does not have the
/// record's shape, so a list skips one bad item rather than failing whole.
pub fn record<T: serde::de::DeserializeOwned>(it: &Item, kind: &str) -> Option<T> {
    serde_dynamo::from_item(it.clone())
        .map_err(|e| tracing::warn!(error = %e, kind, "item does not parse"))
        .ok()
}

/// A stored timestamp: RFC 3339 UTC with seconds (`2026-11-24T15:00:00Z`).
pub fn ts(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A stored timestamp read back (any RFC 3339 offset), in UTC.
pub fn parse_ts(v: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(v)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

pub fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

pub fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

pub fn b(v: bool) -> AttributeValue {
    AttributeValue::Bool(v)
}

/// A new item with its key.
pub fn item(key: &Key) -> Item {
    let mut m = HashMap::new();
    m.insert("PK".into(), s(&key.pk));
    m.insert("SK".into(), s(&key.sk));
    m
}

pub fn key_map(key: &Key) -> Item {
    item(key)
}

pub fn get_s<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    item.get(name)
        .and_then(|v| v.as_s().ok())
        .map(String::as_str)
}

pub fn get_n(item: &Item, name: &str) -> Option<i64> {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|v| v.parse().ok())
}

pub fn req_s<'a>(item: &'a Item, name: &str) -> Result<&'a str, StoreError> {
    get_s(item, name)
        .ok_or_else(|| StoreError::Corrupt(format!("missing string attribute `{name}`")))
}

/// Parses a JSON string attribute.
pub fn get_json<T: serde::de::DeserializeOwned>(item: &Item, name: &str) -> Result<T, StoreError> {
    serde_json::from_str(req_s(item, name)?)
        .map_err(|e| StoreError::Corrupt(format!("`{name}`: {e}")))
}

pub fn json<T: serde::Serialize>(v: &T) -> AttributeValue {
    s(serde_json::to_string(v).expect("domain types serialise"))
}
