//! A tiny ordered-words matcher: `"smell* gas|propane"` matches tokens that start with
//! "smell" followed, within a few tokens, by "gas" or "propane".

/// Most tokens allowed between two consecutive pattern slots.
const MAX_GAP: usize = 3;

#[derive(Debug, Clone)]
pub struct Pattern {
    slots: Vec<Vec<(String, bool)>>,
}

impl Pattern {
    pub fn parse(spec: &str) -> Self {
        let slots = spec
            .split_whitespace()
            .map(|slot| {
                slot.split('|')
                    .map(|alt| match alt.strip_suffix('*') {
                        Some(p) => (p.to_string(), true),
                        None => (alt.to_string(), false),
                    })
                    .collect()
            })
            .collect();
        Self { slots }
    }

    fn slot_matches(slot: &[(String, bool)], token: &str) -> bool {
        slot.iter().any(|(w, prefix)| {
            if *prefix {
                token.starts_with(w.as_str())
            } else {
                token == w
            }
        })
    }

    /// The first match as `(first token, last token)` indexes.
    pub fn find(&self, tokens: &[&str]) -> Option<(usize, usize)> {
        let first = self.slots.first()?;
        'start: for (i, t) in tokens.iter().enumerate() {
            if !Self::slot_matches(first, t) {
                continue;
            }
            let mut pos = i;
            for slot in &self.slots[1..] {
                let end = (pos + 2 + MAX_GAP).min(tokens.len());
                match (pos + 1..end).find(|&j| Self::slot_matches(slot, tokens[j])) {
                    Some(j) => pos = j,
                    None => continue 'start,
                }
            }
            return Some((i, pos));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    #[test]
    fn matches_in_order_with_gaps() {
        let toks: Vec<&str> = "i smell a lot of gas here".split(' ').collect();
        assert_eq!(Pattern::parse("smell* gas").find(&toks), Some((1, 5)));
        assert_eq!(Pattern::parse("gas smell*").find(&toks), None);
        let far: Vec<&str> = "smell one two three four gas".split(' ').collect();
        assert_eq!(Pattern::parse("smell gas").find(&far), None);
    }
}
