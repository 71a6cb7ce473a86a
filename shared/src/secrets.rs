//! Secrets Manager reads, cached per process (Lambda keeps them across warm invocations).
//! Values never reach logs: errors name the secret id, not its content.

use serde::de::DeserializeOwned;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// How long a secret is reused before it is read again (rotation shows within this).
pub const TTL: Duration = Duration::from_secs(300);
/// Past this age a read still answers from the cache and refreshes the value in the
/// background, so a warm instance's caller never waits on Secrets Manager.
pub const REFRESH_AFTER: Duration = Duration::from_secs(240);

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("secret {0} could not be read: {1}")]
    Read(String, String),
    #[error("secret {0} is not the expected JSON shape")]
    Shape(String),
}

type Values = Arc<RwLock<HashMap<String, (String, Instant)>>>;

pub struct SecretsCache {
    client: aws_sdk_secretsmanager::Client,
    values: Values,
    /// Ids whose background refresh is under way (one at a time per id).
    refreshing: Arc<Mutex<HashSet<String>>>,
}

impl SecretsCache {
    pub fn new(client: aws_sdk_secretsmanager::Client) -> Self {
        Self {
            client,
            values: Arc::default(),
            refreshing: Arc::default(),
        }
    }

    /// The secret string: from cache while younger than [`TTL`] (and, past
    /// [`REFRESH_AFTER`], read again in the background for the next caller); otherwise
    /// read now.
    pub async fn get(&self, id: &str) -> Result<String, SecretError> {
        if let Some((v, at)) = self.values.read().ok().and_then(|m| m.get(id).cloned()) {
            if at.elapsed() < TTL {
                if at.elapsed() >= REFRESH_AFTER {
                    self.refresh_in_background(id);
                }
                return Ok(v);
            }
        }
        Self::read(&self.client, &self.values, id).await
    }

    fn refresh_in_background(&self, id: &str) {
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if !self
            .refreshing
            .lock()
            .is_ok_and(|mut r| r.insert(id.to_string()))
        {
            return;
        }
        let (client, values, refreshing, id) = (
            self.client.clone(),
            self.values.clone(),
            self.refreshing.clone(),
            id.to_string(),
        );
        handle.spawn(async move {
            if let Err(e) = Self::read(&client, &values, &id).await {
                // The cached value stays until its TTL; the next read tries again.
                tracing::warn!(error = %e, "background secret refresh failed");
            }
            if let Ok(mut r) = refreshing.lock() {
                r.remove(&id);
            }
        });
    }

    async fn read(
        client: &aws_sdk_secretsmanager::Client,
        values: &Values,
        id: &str,
    ) -> Result<String, SecretError> {
        let out = client
            .get_secret_value()
            .secret_id(id)
            .send()
            .await
            .map_err(|e| {
                SecretError::Read(
                    id.to_string(),
                    aws_sdk_secretsmanager::error::DisplayErrorContext(e).to_string(),
                )
            })?;
        let v = out
            .secret_string()
            .ok_or_else(|| SecretError::Shape(id.to_string()))?
            .to_string();
        if let Ok(mut m) = values.write() {
            m.insert(id.to_string(), (v.clone(), Instant::now()));
        }
        Ok(v)
    }

    /// The secret parsed as JSON.
    pub async fn get_json<T: DeserializeOwned>(&self, id: &str) -> Result<T, SecretError> {
        let raw = self.get(id).await?;
        serde_json::from_str(&raw).map_err(|_| SecretError::Shape(id.to_string()))
    }
}
