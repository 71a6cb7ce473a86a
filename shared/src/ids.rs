//! Deterministic ids: the same inputs always name the same record, so a retried or
//! replayed write lands on the item it wrote before.

use sha2::{Digest, Sha256};

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
    fn the_same_parts_name_the_same_id() {
        let a = super::short_id("ap", &["CA1", "#", "3"]);
        assert_eq!(a, super::short_id("ap", &["CA1", "#", "3"]));
        assert_ne!(a, super::short_id("ap", &["CA1", "#", "4"]));
        assert!(a.starts_with("ap_") && a.len() == 3 + 16, "{a}");
    }
}
