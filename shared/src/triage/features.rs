//! The features of the triage model: the utterance's words, word pairs, word stems and
//! character 4-grams, and what the rules read in it (each hazard mention's judgement, the
//! frame markers, the contexts, the rules' intent and service). Shared by the trainer
//! (`local train-triage`) and inference, so both see exactly the same features.
//!
//! A feature is the 32-bit FNV-1a hash of a short string (`w:pipe`, `h:gas_smell:live`).

/// FNV-1a, 32 bits: stable across platforms and Rust versions (the model's keys).
pub fn hash(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// A light suffix strip, so "leaking", "leaks" and "leaked" share a stem.
fn stem(t: &str) -> &str {
    for suffix in ["ing", "ed", "es", "s", "ando", "iendo", "ado", "ido"] {
        if let Some(s) = t.strip_suffix(suffix) {
            if s.chars().count() >= 3 {
                return s;
            }
        }
    }
    t
}

/// What the rules read, as feature names (`h:gas_smell:live`, `f:past`, `c:vulnerable`,
/// `ri:cancel`, `rs:drain_clog`, `lang:es`).
pub type RuleFeatures = Vec<String>;

/// The sorted, de-duplicated feature hashes of one normalized utterance and the rules'
/// reading of it.
pub fn extract(tokens: &[&str], rules: &[String]) -> Vec<u32> {
    let mut names: Vec<String> = Vec::with_capacity(tokens.len() * 8 + rules.len() + 2);
    let n = tokens.len();
    names.push(
        match n {
            0 => "len:0",
            1 => "len:1",
            2..=3 => "len:2",
            4..=7 => "len:4",
            8..=15 => "len:8",
            _ => "len:16",
        }
        .to_string(),
    );
    for (i, t) in tokens.iter().enumerate() {
        names.push(format!("w:{t}"));
        let s = stem(t);
        if s != *t {
            names.push(format!("s:{s}"));
        }
        if let Some(next) = tokens.get(i + 1) {
            names.push(format!("b:{} {}", stem(t), stem(next)));
        }
        let padded: Vec<char> = format!("<{t}>").chars().collect();
        if padded.len() >= 5 {
            for w in padded.windows(4) {
                names.push(format!("c:{}", w.iter().collect::<String>()));
            }
        }
    }
    if let Some(first) = tokens.first() {
        names.push(format!("first:{first}"));
    }
    names.extend(rules.iter().map(|r| format!("r:{r}")));
    let mut ids: Vec<u32> = names.iter().map(|s| hash(s)).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_fnv1a() {
        // Published FNV-1a 32-bit test vectors.
        assert_eq!(hash(""), 0x811c_9dc5);
        assert_eq!(hash("a"), 0xe40c_292c);
        assert_eq!(hash("foobar"), 0xbf9c_f968);
    }

    #[test]
    fn features_are_sorted_unique_and_include_the_rules_reading() {
        let f = extract(
            &["water", "leaking", "leaking"],
            &["h:active_leak:live".into()],
        );
        let mut sorted = f.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(f, sorted);
        assert!(f.contains(&hash("w:leaking")));
        assert!(f.contains(&hash("s:leak")));
        assert!(f.contains(&hash("r:h:active_leak:live")));
        assert!(f.contains(&hash("c:<wat")));
    }
}
