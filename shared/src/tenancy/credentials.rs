//! Sign-in credentials as values: an [`Email`] and a [`Password`] that are checked once,
//! where they enter, and the one-way forms they are kept in (argon2id PHC strings for
//! passwords, SHA-256 for random tokens and API keys).

use aes_gcm::aead::rand_core::RngCore;
use aes_gcm::aead::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use sha2::{Digest, Sha256};
use std::fmt;

/// A plausible email address, trimmed and lower-cased: one `@`, a dot in the domain, no
/// spaces, at most 254 bytes (RFC 5321's path limit).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Why a credential was refused; the message is for the user and names no field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error("not a valid email address")]
    Email,
    #[error("must be 10 to 256 characters long")]
    Password,
}

impl Email {
    /// Checks and normalises an address.
    pub fn parse(raw: &str) -> Result<Self, CredentialError> {
        let e = raw.trim();
        let ok = e.len() <= 254
            && !e.contains(char::is_whitespace)
            && e.split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'));
        if ok {
            Ok(Email(e.to_lowercase()))
        } else {
            Err(CredentialError::Email)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password that meets the rule (10 to 256 characters). Never logged: `Debug`
/// prints no characters.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Checks a new password against the rule.
    pub fn parse(raw: &str) -> Result<Self, CredentialError> {
        let n = raw.chars().count();
        if (10..=256).contains(&n) {
            Ok(Password(raw.to_string()))
        } else {
            Err(CredentialError::Password)
        }
    }

    /// Its argon2id PHC hash with a random salt, the only form that is stored.
    pub fn hash(&self) -> String {
        hash_password(&self.0)
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

/// An argon2id PHC hash of `password` with a random salt.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters hashes any input")
        .to_string()
}

/// Whether `password` matches the PHC hash.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A new random secret `{prefix}{43 base64url chars}` (256 bits) and its SHA-256 hex.
pub fn new_secret(prefix: &str) -> (String, String) {
    let mut raw = [0u8; 32];
    OsRng.fill_bytes(&mut raw);
    let value = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(raw));
    let hash = sha256_hex(&value);
    (value, hash)
}

/// Lower-case hex SHA-256 of `v`.
pub fn sha256_hex(v: &str) -> String {
    Sha256::digest(v.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_checked_and_normalised() {
        assert_eq!(
            Email::parse(" Owner@Bristol.Example ").unwrap().as_str(),
            "owner@bristol.example"
        );
        for bad in ["", "owner", "@x.com", "a@b", "a b@c.com", "a@b@c.com"] {
            assert_eq!(Email::parse(bad), Err(CredentialError::Email), "{bad}");
        }
    }

    #[test]
    fn password_rule_and_hash() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"x".repeat(257)).is_err());
        let p = Password::parse("correct horse").unwrap();
        assert_eq!(format!("{p:?}"), "Password(…)");
        assert!(verify_password(&p.hash(), "correct horse"));
        assert!(!verify_password(&p.hash(), "wrong horse"));
    }
}
