//! Attribute-value helpers.

use super::keys::Key;
use super::StoreError;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

pub type Item = HashMap<String, AttributeValue>;

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
