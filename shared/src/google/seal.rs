//! Refresh tokens at rest: AES-256-GCM with a key from Secrets Manager, the tenant id as
//! associated data (a sealed token copied to another tenant's item does not open).
//!
//! Secret shape: `{"key_id": "k2", "key": "<base64 of 32 bytes>", "previous": [{"key_id":
//! "k1", "key": "..."}]}`. Sealed text is `{key_id}:{base64(nonce ‖ ciphertext)}`, so a
//! rotated key still opens what the previous one sealed.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::{engine::general_purpose::STANDARD, Engine as _};
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("the token key is not 32 bytes of base64")]
    BadKey,
    #[error("sealed token names key {0}, which the secret does not hold")]
    UnknownKey(String),
    #[error("sealed token does not open (wrong tenant, key or corrupted)")]
    Open,
}

#[derive(Clone, Deserialize)]
pub struct KeyEntry {
    pub key_id: String,
    pub key: String,
}

/// The token key secret (see the module docs). `Debug` shows key ids only.
#[derive(Clone, Deserialize)]
pub struct TokenKeys {
    #[serde(flatten)]
    pub current: KeyEntry,
    #[serde(default)]
    pub previous: Vec<KeyEntry>,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TokenKeys({})", self.current.key_id)
    }
}

fn cipher(entry: &KeyEntry) -> Result<Aes256Gcm, SealError> {
    let raw = STANDARD.decode(&entry.key).map_err(|_| SealError::BadKey)?;
    Aes256Gcm::new_from_slice(&raw).map_err(|_| SealError::BadKey)
}

impl TokenKeys {
    /// Seals `plain` for `tenant_id` with the current key and a fresh 96-bit nonce.
    pub fn seal(&self, tenant_id: &str, plain: &str) -> Result<String, SealError> {
        let c = cipher(&self.current)?;
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ct = c
            .encrypt(
                &nonce,
                Payload {
                    msg: plain.as_bytes(),
                    aad: tenant_id.as_bytes(),
                },
            )
            .map_err(|_| SealError::Open)?;
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&ct);
        Ok(format!("{}:{}", self.current.key_id, STANDARD.encode(blob)))
    }

    /// Opens what [`TokenKeys::seal`] made for the same tenant.
    pub fn open(&self, tenant_id: &str, sealed: &str) -> Result<String, SealError> {
        let (kid, b64) = sealed.split_once(':').ok_or(SealError::Open)?;
        let entry = std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|e| e.key_id == kid)
            .ok_or_else(|| SealError::UnknownKey(kid.into()))?;
        let blob = STANDARD.decode(b64).map_err(|_| SealError::Open)?;
        if blob.len() < 12 {
            return Err(SealError::Open);
        }
        let (nonce, ct) = blob.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| SealError::Open)?;
        let plain = cipher(entry)?
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ct,
                    aad: tenant_id.as_bytes(),
                },
            )
            .map_err(|_| SealError::Open)?;
        String::from_utf8(plain).map_err(|_| SealError::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(id: &str, byte: u8) -> KeyEntry {
        KeyEntry {
            key_id: id.into(),
            key: STANDARD.encode([byte; 32]),
        }
    }

    #[test]
    fn seals_per_tenant_and_survives_rotation() {
        let k1 = TokenKeys {
            current: keys("k1", 7),
            previous: vec![],
        };
        let sealed = k1.seal("bristol", "1//refresh-token").unwrap();
        assert!(sealed.starts_with("k1:"));
        assert!(!sealed.contains("refresh"));
        assert_eq!(k1.open("bristol", &sealed).unwrap(), "1//refresh-token");
        assert!(matches!(k1.open("prairie", &sealed), Err(SealError::Open)));
        assert_ne!(sealed, k1.seal("bristol", "1//refresh-token").unwrap());
        let k2 = TokenKeys {
            current: keys("k2", 9),
            previous: vec![keys("k1", 7)],
        };
        assert_eq!(k2.open("bristol", &sealed).unwrap(), "1//refresh-token");
        let k3 = TokenKeys {
            current: keys("k3", 1),
            previous: vec![],
        };
        assert!(matches!(
            k3.open("bristol", &sealed),
            Err(SealError::UnknownKey(_))
        ));
    }
}
