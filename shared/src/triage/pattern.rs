//! A tiny ordered-words matcher: `"smell* gas|propane"` matches tokens that start with
//! "smell" followed, within a few tokens, by "gas" or "propane".

/// Most tokens allowed between two consecutive pattern slots.
const MAX_GAP: usize = 3;

/// The first match of `spec` in `tokens` as `(first token, last token)` indexes. The spec
/// is read in place on every call (nothing is built or allocated): a slot is a
/// space-separated group of `|`-separated words, a trailing `*` makes a word a prefix.
pub fn find(spec: &str, tokens: &[&str]) -> Option<(usize, usize)> {
    let first = spec.split_whitespace().next()?;
    'start: for (i, t) in tokens.iter().enumerate() {
        if !slot_matches(first, t) {
            continue;
        }
        let mut pos = i;
        for slot in spec.split_whitespace().skip(1) {
            let end = (pos + 2 + MAX_GAP).min(tokens.len());
            match (pos + 1..end).find(|&j| slot_matches(slot, tokens[j])) {
                Some(j) => pos = j,
                None => continue 'start,
            }
        }
        return Some((i, pos));
    }
    None
}

fn slot_matches(slot: &str, token: &str) -> bool {
    slot.split('|').any(|alt| match alt.strip_suffix('*') {
        Some(prefix) => token.starts_with(prefix),
        None => token == alt,
    })
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn matches_in_order_with_gaps() {
        let toks: Vec<&str> = "i smell a lot of gas here".split(' ').collect();
        assert_eq!(find("smell* gas", &toks), Some((1, 5)));
        assert_eq!(find("gas smell*", &toks), None);
        let far: Vec<&str> = "smell one two three four gas".split(' ').collect();
        assert_eq!(find("smell gas", &far), None);
        assert_eq!(find("propane|smel* gas", &toks), Some((1, 5)));
        assert_eq!(find("", &toks), None);
    }
}
