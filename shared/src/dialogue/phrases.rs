//! The receptionist's sentences, one table per language (`sentences/en.toml`,
//! `sentences/es.toml`, embedded): adding a sentence or a language touches those files,
//! not the dialogue. `{name}` placeholders are filled from the values given.

use super::replies::Lang;
use std::collections::HashMap;
use std::sync::LazyLock;

type Table = HashMap<String, String>;

fn load(source: &str) -> Table {
    toml::from_str(source).expect("sentences/*.toml parse (checked by the unit test)")
}

static EN: LazyLock<Table> = LazyLock::new(|| load(include_str!("sentences/en.toml")));
static ES: LazyLock<Table> = LazyLock::new(|| load(include_str!("sentences/es.toml")));

fn table(lang: Lang) -> &'static Table {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

/// The sentence `key` in `lang` with its `{placeholders}` filled from `values`. A key
/// missing in Spanish falls back to English; one missing everywhere is said as nothing
/// (the unit tests keep both from happening).
pub fn say(lang: Lang, key: &str, values: &[(&str, &str)]) -> String {
    let template = table(lang)
        .get(key)
        .or_else(|| EN.get(key))
        .map(String::as_str)
        .unwrap_or_default();
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(s: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = s;
        while let Some(a) = rest.find('{') {
            let Some(b) = rest[a..].find('}') else { break };
            out.insert(rest[a + 1..a + b].to_string());
            rest = &rest[a + b + 1..];
        }
        out
    }

    #[test]
    fn every_sentence_has_a_spanish_twin_with_the_same_placeholders() {
        assert!(EN.len() > 60, "{} sentences", EN.len());
        for (k, en) in EN.iter() {
            let es = ES.get(k).unwrap_or_else(|| panic!("no Spanish for {k}"));
            // Spanish may leave a detail out (the label), never add one English lacks.
            assert!(
                placeholders(es).is_subset(&placeholders(en)),
                "{k}: {es:?} vs {en:?}"
            );
        }
        for k in ES.keys() {
            assert!(EN.contains_key(k), "Spanish-only key {k}");
        }
    }

    #[test]
    fn every_key_the_dialogue_says_exists() {
        let sources = [
            include_str!("step.rs"),
            include_str!("booking.rs"),
            include_str!("emergency.rs"),
            include_str!("existing.rs"),
            include_str!("messages.rs"),
            include_str!("requests.rs"),
            include_str!("faq.rs"),
        ];
        let mut n = 0;
        for src in sources {
            // `say("key", …)` and `say(lang, "key", …)`.
            for part in src.split("say(").skip(1) {
                let Some(open) = part.find('"').filter(|&i| i < 16) else {
                    continue;
                };
                let rest = &part[open + 1..];
                let key = &rest[..rest.find('"').unwrap_or(0)];
                assert!(EN.contains_key(key), "no sentence {key:?}");
                n += 1;
            }
        }
        assert!(n > 60, "{n} uses");
    }

    #[test]
    fn placeholders_are_filled() {
        let s = say(Lang::Es, "hi_firstname_how_can", &[("first_name", "Ana")]);
        assert!(s.contains("Ana") && !s.contains('{'), "{s}");
        assert_eq!(say(Lang::En, "no_such_key", &[]), "");
    }
}
