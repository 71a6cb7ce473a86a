//! Counts DynamoDB requests by operation (an SDK interceptor), for the requests-per-turn
//! test and the load driver.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Shared counter; clones count into the same map.
#[derive(Debug, Clone, Default)]
pub struct RequestCounter {
    counts: Arc<Mutex<BTreeMap<String, u64>>>,
    /// Request body bytes per operation.
    bytes: Arc<Mutex<BTreeMap<String, u64>>>,
}

impl RequestCounter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Requests per operation (`GetItem`, `TransactWriteItems`, …) since the last reset.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.counts.lock().map(|m| m.clone()).unwrap_or_default()
    }

    pub fn reset(&self) {
        for m in [&self.counts, &self.bytes] {
            if let Ok(mut m) = m.lock() {
                m.clear();
            }
        }
    }

    /// Request body bytes sent by write operations since the last reset (what a turn's
    /// write carries over the wire; DynamoDB's JSON protocol).
    pub fn written_bytes(&self) -> u64 {
        let bytes = self.bytes.lock().map(|m| m.clone()).unwrap_or_default();
        bytes
            .iter()
            .filter(|(k, _)| is_write(k))
            .map(|(_, v)| v)
            .sum()
    }

    /// Reads: GetItem, Query, Scan, BatchGetItem, TransactGetItems.
    pub fn reads(&self) -> u64 {
        self.snapshot()
            .iter()
            .filter(|(k, _)| {
                matches!(
                    k.as_str(),
                    "GetItem" | "Query" | "Scan" | "BatchGetItem" | "TransactGetItems"
                )
            })
            .map(|(_, v)| v)
            .sum()
    }

    /// Writes: PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems.
    pub fn writes(&self) -> u64 {
        self.snapshot()
            .iter()
            .filter(|(k, _)| is_write(k))
            .map(|(_, v)| v)
            .sum()
    }
}

fn is_write(op: &str) -> bool {
    matches!(
        op,
        "PutItem" | "UpdateItem" | "DeleteItem" | "BatchWriteItem" | "TransactWriteItems"
    )
}

impl Intercept for RequestCounter {
    fn name(&self) -> &'static str {
        "RequestCounter"
    }

    fn read_before_transmit(
        &self,
        ctx: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // DynamoDB's JSON protocol names the operation in `X-Amz-Target: DynamoDB_20120810.GetItem`.
        let op = ctx
            .request()
            .headers()
            .get("x-amz-target")
            .and_then(|t| t.rsplit('.').next())
            .unwrap_or("unknown")
            .to_string();
        let len = ctx.request().body().bytes().map_or(0, <[u8]>::len) as u64;
        if let Ok(mut m) = self.bytes.lock() {
            *m.entry(op.clone()).or_default() += len;
        }
        if let Ok(mut m) = self.counts.lock() {
            *m.entry(op).or_default() += 1;
        }
        Ok(())
    }
}
