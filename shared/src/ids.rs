//! Ids: deterministic ones (the same inputs always name the same record, so a retried or
//! replayed write lands on the item it wrote before), and the string newtypes parsed once
//! at the edge ([`TenantId`], [`crate::phone::E164`], [`crate::twilio::CallSid`]): inside,
//! they read as `&str` (they deref to it), so no layer parses them again.

use sha2::{Digest, Sha256};

/// A string newtype that derefs to `&str`, serialises as the bare string and is built only
/// through its own `parse`.
macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                Self::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use string_id;

/// An id that does not have its kind's shape: the kind and what was given (bounded).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: not a valid id ({given:?})")]
pub struct IdError {
    pub kind: &'static str,
    pub given: String,
}

impl IdError {
    pub(crate) fn new(kind: &'static str, given: &str) -> Self {
        Self {
            kind,
            given: given.chars().take(40).collect(),
        }
    }
}

string_id!(
    /// A tenant (one trades business): 1–64 of `a-z`, `0-9` and `-`, as the operator
    /// created it. Taken only from an authenticated context or a routed Twilio number.
    TenantId
);

impl TenantId {
    /// Errors: [`IdError`] for anything but 1–64 of `a-z0-9-`.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let ok = (1..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        ok.then(|| Self(raw.to_string()))
            .ok_or_else(|| IdError::new("tenant id", raw))
    }
}

/// `{prefix}_{16 hex digits}`: the first 8 bytes of SHA-256 over `parts`, in order.
pub fn short_id(prefix: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
    }
    let hex: String = h
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{prefix}_{hex}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_tenant_id_is_parsed_once_and_reads_as_str() {
        let t = super::TenantId::parse("prairie-home").unwrap();
        assert_eq!(&*t, "prairie-home");
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"prairie-home\"");
        for bad in ["", "Prairie", "a b", "t#1", &"x".repeat(65)] {
            assert!(super::TenantId::parse(bad).is_err(), "{bad:?}");
        }
        assert!(serde_json::from_str::<super::TenantId>("\"T#1\"").is_err());
    }

    #[test]
    fn the_same_parts_name_the_same_id() {
        let a = super::short_id("ap", &["CA1", "#", "3"]);
        assert_eq!(a, super::short_id("ap", &["CA1", "#", "3"]));
        assert_ne!(a, super::short_id("ap", &["CA1", "#", "4"]));
        assert!(a.starts_with("ap_") && a.len() == 3 + 16, "{a}");
    }
}
