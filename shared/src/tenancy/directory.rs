//! A process-wide cache of number routes, widget keys and tenant profiles. Lambda keeps
//! the process warm between invocations, so a routed call or a chat message usually costs
//! no DynamoDB read to find its tenant.

use super::widget::WidgetKey;
use super::Tenant;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Entries live this long before they are read again (a settings change shows within it).
pub const TTL: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct TenantDirectory {
    by_number: RwLock<HashMap<String, (Arc<Tenant>, Instant)>>,
    by_widget_key: RwLock<HashMap<String, (WidgetEntry, Instant)>>,
}

/// A widget key and its tenant, as cached together.
pub type WidgetEntry = (Arc<WidgetKey>, Arc<Tenant>);

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

    /// The cached widget key and its tenant, if fresh.
    pub fn widget(&self, key: &str) -> Option<WidgetEntry> {
        let map = self.by_widget_key.read().ok()?;
        let (entry, at) = map.get(key)?;
        (at.elapsed() < TTL).then(|| entry.clone())
    }

    pub fn put_widget(&self, key: &str, entry: WidgetEntry) {
        if let Ok(mut map) = self.by_widget_key.write() {
            map.insert(key.to_string(), (entry, Instant::now()));
        }
    }

    /// Drops a widget key's entry (revoked or rotated here: this process stops it at once;
    /// other warm instances within [`TTL`]).
    pub fn forget_widget(&self, key: &str) {
        if let Ok(mut map) = self.by_widget_key.write() {
            map.remove(key);
        }
    }

    /// Drops every widget key entry of `tenant_id` (its status or profile changed here).
    pub fn forget_tenant_widgets(&self, tenant_id: &str) {
        if let Ok(mut map) = self.by_widget_key.write() {
            map.retain(|_, ((_, t), _)| t.id != tenant_id);
        }
    }
}
