//! A process-wide cache of number routes and tenant profiles. Lambda keeps the process
//! warm between invocations, so a routed call usually costs no DynamoDB read at all.

use super::Tenant;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Entries live this long before they are read again (a settings change shows within it).
pub const TTL: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct TenantDirectory {
    by_number: RwLock<HashMap<String, (Arc<Tenant>, Instant)>>,
}

impl TenantDirectory {
    pub fn new() -> Self {
        Self::default()
    }

    /// The cached tenant for a Twilio number, if fresh.
    pub fn get(&self, number: &str) -> Option<Arc<Tenant>> {
        let map = self.by_number.read().ok()?;
        let (t, at) = map.get(number)?;
        (at.elapsed() < TTL).then(|| t.clone())
    }

    /// Drops a number's entry, so this process reads the tenant afresh (other warm
    /// instances see a change within [`TTL`]).
    pub fn forget(&self, number: &str) {
        if let Ok(mut map) = self.by_number.write() {
            map.remove(number);
        }
    }

    pub fn put(&self, number: &str, tenant: Arc<Tenant>) {
        if let Ok(mut map) = self.by_number.write() {
            map.insert(number.to_string(), (tenant, Instant::now()));
        }
    }
}
