//! Secrets Manager reads, cached per process (Lambda keeps them across warm invocations).
//! Values never reach logs: errors name the secret id, not its content.

use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// How long a secret is reused before it is read again (rotation shows within this).
pub const TTL: Duration = Duration::from_secs(300);

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("secret {0} could not be read: {1}")]
    Read(String, String),
    #[error("secret {0} is not the expected JSON shape")]
    Shape(String),
}

pub struct SecretsCache {
    client: aws_sdk_secretsmanager::Client,
    values: RwLock<HashMap<String, (String, Instant)>>,
}

impl SecretsCache {
    pub fn new(client: aws_sdk_secretsmanager::Client) -> Self {
        Self {
            client,
            values: RwLock::new(HashMap::new()),
        }
    }

    /// The secret string, from cache when fresh.
    pub async fn get(&self, id: &str) -> Result<String, SecretError> {
        if let Some((v, at)) = self.values.read().ok().and_then(|m| m.get(id).cloned()) {
            if at.elapsed() < TTL {
                return Ok(v);
            }
        }
        let out = self
            .client
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
        if let Ok(mut m) = self.values.write() {
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
