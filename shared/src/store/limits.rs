//! Rate-limit buckets: a token bucket kept as one number, its theoretical arrival time
//! (GCRA, the generic cell rate algorithm of ITU-T I.371, which admits exactly what a
//! token bucket of the same burst and rate admits). Each take is a conditional UpdateItem
//! with no read: one write when the bucket is idle or filling, two when it is busy.

use super::attrs::{key_map, n};
use super::keys::{self, LimitScope};
use super::write::applied;
use super::{Store, StoreError};
use chrono::{DateTime, Utc};

/// A bucket's shape: up to `burst` requests at once, refilled one per `interval_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub interval_ms: u64,
}

impl Rate {
    /// `per_minute` requests a minute on average, `burst` at once. The bucket counts in
    /// whole milliseconds, so rates above 60,000 a minute are metered as 60,000 (a zero
    /// interval would leave no room for the burst between concurrent requests).
    pub fn per_minute(per_minute: u32, burst: u32) -> Self {
        Self {
            burst: burst.max(1),
            interval_ms: (60_000 / u64::from(per_minute.max(1))).max(1),
        }
    }
}

impl Store {
    /// Takes one token from `scope`'s bucket at `now`: `true` when allowed, `false` when
    /// the bucket is empty (nothing is written then).
    pub async fn take_token(
        &self,
        scope: &LimitScope<'_>,
        rate: Rate,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let k = keys::rate_bucket(scope);
        let now_ms = now.timestamp_millis();
        let interval = rate.interval_ms as i64;
        // A bucket untouched for a whole refill expires (DynamoDB TTL, seconds).
        let expires = (now_ms + interval * i64::from(rate.burst)) / 1000 + 60;
        // Idle or new bucket: the arrival time restarts from now.
        let fresh = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .update_expression("SET tat = :next, expires_at = :exp")
            .condition_expression("attribute_not_exists(tat) OR tat <= :now")
            .expression_attribute_values(":next", n(now_ms + interval))
            .expression_attribute_values(":now", n(now_ms))
            .expression_attribute_values(":exp", n(expires))
            .send()
            .await;
        if applied(fresh)? {
            return Ok(true);
        }
        // Busy bucket: admit while the arrival time stays within the burst.
        let limit = now_ms + interval * i64::from(rate.burst.saturating_sub(1));
        let busy = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&k)))
            .update_expression("SET tat = tat + :interval, expires_at = :exp")
            .condition_expression("tat <= :limit")
            .expression_attribute_values(":interval", n(interval))
            .expression_attribute_values(":limit", n(limit))
            .expression_attribute_values(":exp", n(expires + interval / 1000))
            .send()
            .await;
        applied(busy)
    }
}
