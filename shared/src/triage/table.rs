//! The hazard table (`hazards.toml`, embedded): its shape, and its patterns compiled once.
//!
//! The file's header documents the pattern syntax and each field; this module only reads
//! it. A unit test checks that it parses, that every group it names exists and that every
//! service and safety value is known, so [`table`] cannot fail at run time.

use super::{SafetyAdvice, ServiceType};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::LazyLock;

const SOURCE: &str = include_str!("hazards.toml");

/// One term of a slot: a whole token or a token prefix.
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    Exact(String),
    Prefix(String),
    /// `#`: a number, in digits or words ("60", "sixty", "two hundred").
    Number,
}

/// Number words a recogniser may leave unconverted ("the detector reads sixty", "marca
/// cien").
const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "veinte",
    "treinta",
    "cuarenta",
    "cincuenta",
    "sesenta",
    "setenta",
    "ochenta",
    "noventa",
    "cien",
    "ciento",
    "doscientos",
    "trescientos",
];

impl Term {
    fn matches(&self, token: &str) -> bool {
        match self {
            Term::Exact(w) => token == w,
            Term::Prefix(p) => token.starts_with(p.as_str()),
            Term::Number => {
                token.chars().all(|c| c.is_ascii_digit()) && !token.is_empty()
                    || NUMBER_WORDS.contains(&token)
            }
        }
    }
}

/// One position of a pattern: any of its terms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Slot(pub Vec<Term>);

impl Slot {
    pub fn matches(&self, token: &str) -> bool {
        self.0.iter().any(|t| t.matches(token))
    }
}

/// Most tokens a `..` gap skips.
pub const MAX_GAP: usize = 3;

/// A compiled pattern: slots, each adjacent to the one before or after a `..` gap.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pattern {
    /// `(slot, gap_before)`: `gap_before` allows up to [`MAX_GAP`] tokens before the slot.
    slots: Vec<(Slot, bool)>,
}

impl Pattern {
    /// Every match as `(first token, last token)`, in order of their first token; at most
    /// one match (the first found) starts at a token.
    pub fn find_all(&self, tokens: &[&str]) -> Vec<(usize, usize)> {
        self.matches(tokens)
            .into_iter()
            .map(|m| (m[0], m[m.len() - 1]))
            .collect()
    }

    /// Every match as the token positions its slots took (gaps are the others).
    pub fn matches(&self, tokens: &[&str]) -> Vec<Vec<usize>> {
        let Some((first, _)) = self.slots.first() else {
            return Vec::new();
        };
        tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| first.matches(t))
            .filter_map(|(i, _)| {
                let mut taken = vec![i];
                self.rest(tokens, 1, i, &mut taken).then_some(taken)
            })
            .collect()
    }

    /// Matches slots `k..` after the token at `pos`, pushing the positions taken. A gap
    /// tries each position it allows ("no no prende" for `.. no prende`).
    fn rest(&self, tokens: &[&str], k: usize, pos: usize, taken: &mut Vec<usize>) -> bool {
        let Some((slot, gap)) = self.slots.get(k) else {
            return true;
        };
        let end = if *gap {
            (pos + 2 + MAX_GAP).min(tokens.len())
        } else {
            (pos + 2).min(tokens.len())
        };
        for j in (pos + 1..end).filter(|&j| slot.matches(tokens[j])) {
            taken.push(j);
            if self.rest(tokens, k + 1, j, taken) {
                return true;
            }
            taken.pop();
        }
        false
    }

    /// The first match, if any.
    pub fn find(&self, tokens: &[&str]) -> Option<(usize, usize)> {
        self.find_all(tokens).into_iter().next()
    }
}

/// A question in both languages.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Ask {
    pub en: String,
    pub es: String,
}

#[derive(Debug, Deserialize)]
struct RawPair {
    objects: String,
    states: String,
    window: usize,
}

#[derive(Debug, Deserialize)]
struct RawCluster {
    members: Vec<Vec<String>>,
    min: usize,
    #[serde(default)]
    also: Vec<String>,
    #[serde(default)]
    needs: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawServiceRule {
    when: String,
    service: ServiceType,
}

#[derive(Debug, Deserialize)]
struct RawHazard {
    code: String,
    service: ServiceType,
    #[serde(default)]
    life_safety: bool,
    #[serde(default)]
    safety: Option<SafetyAdvice>,
    #[serde(default)]
    alarm: bool,
    #[serde(default)]
    lasting: bool,
    #[serde(default)]
    absence: bool,
    #[serde(default)]
    cues: Vec<String>,
    #[serde(default)]
    maybe: Vec<String>,
    #[serde(default)]
    pairs: Vec<RawPair>,
    #[serde(default)]
    cluster: Option<RawCluster>,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    not_when: Vec<String>,
    #[serde(default)]
    explained_by: Vec<String>,
    #[serde(default)]
    services: Vec<RawServiceRule>,
    ask: Ask,
}

#[derive(Debug, Deserialize)]
struct RawFrames {
    negators: Vec<String>,
    hedges: Vec<String>,
    past: Vec<String>,
    recent: Vec<String>,
    resolved: Vec<String>,
    present: Vec<String>,
    hypothetical: Vec<String>,
    asking: Vec<String>,
    habitual: Vec<String>,
    long_standing: Vec<String>,
    label_after: Vec<String>,
    preventive: Vec<String>,
    low_battery: Vec<String>,
    /// An alarm's own sounding pattern, which no low-battery chirp explains.
    #[serde(default)]
    sounding: Vec<String>,
    /// The caller has already changed the battery: a low battery no longer explains the
    /// alarm (a chirp still may: a detector at its end of life chirps on new batteries).
    #[serde(default)]
    battery_ruled_out: Vec<String>,
    /// A worry about what may happen ("scared it'll go one of these days"), not a report.
    #[serde(default)]
    feared: Vec<String>,
    /// Far-future words after a mention ("someday", "one of these days").
    #[serde(default)]
    far_future: Vec<String>,
    question: Vec<String>,
    question_openers: Vec<String>,
    about_a_call: Vec<String>,
    mild: Vec<String>,
    report: Vec<String>,
    corrections: Vec<String>,
    jokes: Vec<String>,
    figurative: Vec<String>,
    /// Everyday faults that are never an emergency by themselves ("no hot water").
    #[serde(default)]
    routine: Vec<String>,
    /// Nothing dangerous told: the signs checked and denied ("the detector says zero"), or
    /// only a wondering whether it is normal.
    #[serde(default)]
    all_clear: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct RawTable {
    groups: HashMap<String, Vec<String>>,
    frames: RawFrames,
    hazard: Vec<RawHazard>,
}

/// An object and a state near each other.
#[derive(Debug, Clone)]
pub struct Pair {
    pub objects: Slot,
    pub states: Slot,
    pub window: usize,
}

/// Enough distinct members at once; a member is present when any of its patterns matches,
/// and each `also` pattern that matches counts as one more.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub members: Vec<Vec<Pattern>>,
    pub min: usize,
    pub also: Vec<Pattern>,
    pub needs: Option<Pattern>,
}

/// A hazard of the table, compiled.
#[derive(Debug, Clone)]
pub struct HazardSpec {
    pub code: String,
    pub service: ServiceType,
    pub life_safety: bool,
    pub safety: Option<SafetyAdvice>,
    pub alarm: bool,
    /// A past-tense report of it still holds ("the pipe burst").
    pub lasting: bool,
    pub absence: bool,
    pub cues: Vec<Pattern>,
    /// Mentions that do not say how bad it is: unclear, so the receptionist asks.
    pub maybe: Vec<Pattern>,
    pub pairs: Vec<Pair>,
    pub cluster: Option<Cluster>,
    pub requires: Vec<String>,
    pub not_when: Vec<Pattern>,
    /// Said anywhere in the utterance, these explain a mention that is only a smell away
    /// ("the furnace's first start of the season": dust burning off).
    pub explained_by: Vec<Pattern>,
    pub services: Vec<(Pattern, ServiceType)>,
    pub ask: Ask,
}

/// The frame patterns (see `frames`).
#[derive(Debug, Clone)]
pub struct Frames {
    pub negators: Slot,
    pub hedges: Vec<Pattern>,
    pub past: Vec<Pattern>,
    pub recent: Vec<Pattern>,
    pub resolved: Vec<Pattern>,
    pub present: Vec<Pattern>,
    pub hypothetical: Vec<Pattern>,
    pub asking: Vec<Pattern>,
    pub habitual: Vec<Pattern>,
    pub long_standing: Vec<Pattern>,
    pub label_after: Vec<Pattern>,
    pub preventive: Vec<Pattern>,
    pub low_battery: Vec<Pattern>,
    pub sounding: Vec<Pattern>,
    pub battery_ruled_out: Vec<Pattern>,
    pub feared: Vec<Pattern>,
    pub far_future: Vec<Pattern>,
    pub question: Vec<Pattern>,
    /// Patterns that open a question when they begin the utterance.
    pub question_openers: Vec<Pattern>,
    pub about_a_call: Vec<Pattern>,
    pub mild: Vec<Pattern>,
    pub report: Vec<Pattern>,
    pub corrections: Vec<Pattern>,
    pub jokes: Vec<Pattern>,
    pub figurative: Vec<Pattern>,
    /// Everyday faults: with no hazard beside them, the model alone may ask, not dispatch.
    pub routine: Vec<Pattern>,
    /// Signs of danger the caller checked and denies: with no hazard read, the model alone
    /// may ask, not dispatch.
    pub all_clear: Vec<Pattern>,
}

/// The whole table.
#[derive(Debug, Clone)]
pub struct Table {
    pub groups: HashMap<String, Slot>,
    pub frames: Frames,
    pub hazards: Vec<HazardSpec>,
}

/// Contexts computed from numbers rather than listed in a group (see `hazards.toml`).
pub const COMPUTED_CONTEXTS: [&str; 3] = ["cold_reading", "age_at_risk", "vulnerable_in_heat"];

/// Why the table could not be compiled (a unit test keeps this from ever happening).
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("hazards.toml does not parse: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("hazards.toml names an unknown group `@{0}`")]
    UnknownGroup(String),
    #[error("hazards.toml: hazard `{0}` requires an unknown context `{1}`")]
    UnknownContext(String, String),
    #[error("hazards.toml: hazard `{0}` has no cue, pair or cluster")]
    NothingToMatch(String),
    #[error("hazards.toml: an empty pattern in `{0}`")]
    EmptyPattern(String),
}

fn slot(spec: &str, groups: &HashMap<String, Slot>) -> Result<Slot, TableError> {
    let mut terms = Vec::new();
    for alt in spec.split('|').filter(|a| !a.is_empty()) {
        if let Some(g) = alt.strip_prefix('@') {
            let group = groups
                .get(g)
                .ok_or_else(|| TableError::UnknownGroup(g.to_string()))?;
            terms.extend(group.0.iter().cloned());
        } else if alt == "#" {
            terms.push(Term::Number);
        } else if let Some(p) = alt.strip_suffix('*') {
            terms.push(Term::Prefix(p.to_string()));
        } else {
            terms.push(Term::Exact(alt.to_string()));
        }
    }
    Ok(Slot(terms))
}

fn pattern(spec: &str, groups: &HashMap<String, Slot>) -> Result<Pattern, TableError> {
    let mut slots = Vec::new();
    let mut gap = false;
    for part in spec.split_whitespace() {
        if part == ".." {
            gap = true;
            continue;
        }
        slots.push((slot(part, groups)?, gap));
        gap = false;
    }
    if slots.is_empty() {
        return Err(TableError::EmptyPattern(spec.to_string()));
    }
    Ok(Pattern { slots })
}

fn patterns(specs: &[String], groups: &HashMap<String, Slot>) -> Result<Vec<Pattern>, TableError> {
    specs.iter().map(|s| pattern(s, groups)).collect()
}

/// Compiles a table from its TOML source.
pub fn compile(source: &str) -> Result<Table, TableError> {
    let raw: RawTable = toml::from_str(source)?;
    // Group terms are single slots; they may not name other groups.
    let empty = HashMap::new();
    let mut groups = HashMap::new();
    for (name, terms) in &raw.groups {
        let mut s = Slot::default();
        for t in terms {
            s.0.extend(slot(t, &empty)?.0);
        }
        groups.insert(name.clone(), s);
    }
    let f = &raw.frames;
    let frames = Frames {
        negators: slot(&f.negators.join("|"), &groups)?,
        hedges: patterns(&f.hedges, &groups)?,
        past: patterns(&f.past, &groups)?,
        recent: patterns(&f.recent, &groups)?,
        resolved: patterns(&f.resolved, &groups)?,
        present: patterns(&f.present, &groups)?,
        hypothetical: patterns(&f.hypothetical, &groups)?,
        asking: patterns(&f.asking, &groups)?,
        habitual: patterns(&f.habitual, &groups)?,
        long_standing: patterns(&f.long_standing, &groups)?,
        label_after: patterns(&f.label_after, &groups)?,
        preventive: patterns(&f.preventive, &groups)?,
        low_battery: patterns(&f.low_battery, &groups)?,
        sounding: patterns(&f.sounding, &groups)?,
        battery_ruled_out: patterns(&f.battery_ruled_out, &groups)?,
        feared: patterns(&f.feared, &groups)?,
        far_future: patterns(&f.far_future, &groups)?,
        question: patterns(&f.question, &groups)?,
        question_openers: patterns(&f.question_openers, &groups)?,
        about_a_call: patterns(&f.about_a_call, &groups)?,
        mild: patterns(&f.mild, &groups)?,
        report: patterns(&f.report, &groups)?,
        corrections: patterns(&f.corrections, &groups)?,
        jokes: patterns(&f.jokes, &groups)?,
        figurative: patterns(&f.figurative, &groups)?,
        routine: patterns(&f.routine, &groups)?,
        all_clear: patterns(&f.all_clear, &groups)?,
    };
    let mut hazards = Vec::new();
    for h in raw.hazard {
        for r in &h.requires {
            if !groups.contains_key(r) && !COMPUTED_CONTEXTS.contains(&r.as_str()) {
                return Err(TableError::UnknownContext(h.code.clone(), r.clone()));
            }
        }
        if h.cues.is_empty() && h.maybe.is_empty() && h.pairs.is_empty() && h.cluster.is_none() {
            return Err(TableError::NothingToMatch(h.code));
        }
        let cluster = match &h.cluster {
            None => None,
            Some(c) => Some(Cluster {
                members: c
                    .members
                    .iter()
                    .map(|m| patterns(m, &groups))
                    .collect::<Result<_, TableError>>()?,
                min: c.min,
                also: patterns(&c.also, &groups)?,
                needs: c
                    .needs
                    .as_deref()
                    .map(|n| pattern(n, &groups))
                    .transpose()?,
            }),
        };
        hazards.push(HazardSpec {
            cues: patterns(&h.cues, &groups)?,
            maybe: patterns(&h.maybe, &groups)?,
            pairs: h
                .pairs
                .iter()
                .map(|p| {
                    Ok(Pair {
                        objects: slot(&p.objects, &groups)?,
                        states: slot(&p.states, &groups)?,
                        window: p.window,
                    })
                })
                .collect::<Result<_, TableError>>()?,
            cluster,
            not_when: patterns(&h.not_when, &groups)?,
            explained_by: patterns(&h.explained_by, &groups)?,
            services: h
                .services
                .iter()
                .map(|r| Ok((pattern(&r.when, &groups)?, r.service)))
                .collect::<Result<_, TableError>>()?,
            code: h.code,
            service: h.service,
            life_safety: h.life_safety,
            safety: h.safety,
            alarm: h.alarm,
            lasting: h.lasting,
            absence: h.absence,
            requires: h.requires,
            ask: h.ask,
        });
    }
    Ok(Table {
        groups,
        frames,
        hazards,
    })
}

static TABLE: LazyLock<Table> =
    LazyLock::new(|| compile(SOURCE).expect("hazards.toml compiles (checked by its unit test)"));

/// The embedded hazard table, compiled on first use (call it at init to pay that then).
pub fn table() -> &'static Table {
    &TABLE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_compiles_and_every_hazard_can_match() {
        let t = compile(SOURCE).unwrap();
        assert!(t.hazards.len() >= 12, "{} hazards", t.hazards.len());
        let mut codes: Vec<&str> = t.hazards.iter().map(|h| h.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), t.hazards.len(), "hazard codes are unique");
        for h in &t.hazards {
            assert!(!h.ask.en.is_empty() && !h.ask.es.is_empty(), "{}", h.code);
        }
    }

    #[test]
    fn patterns_match_adjacent_slots_and_gaps_and_groups() {
        let mut groups = HashMap::new();
        groups.insert(
            "pipe".to_string(),
            slot("pipe*|line", &HashMap::new()).unwrap(),
        );
        let toks: Vec<&str> = "the water line in the basement burst".split(' ').collect();
        let p = pattern("@pipe .. basement", &groups).unwrap();
        assert_eq!(p.find(&toks), Some((2, 5)));
        let adjacent = pattern("water line", &groups).unwrap();
        assert_eq!(adjacent.find(&toks), Some((1, 2)));
        assert_eq!(
            pattern("water basement", &groups).unwrap().find(&toks),
            None
        );
        let far: Vec<&str> = "pipe a b c d burst".split(' ').collect();
        assert_eq!(pattern("pipe .. burst", &groups).unwrap().find(&far), None);
        let two: Vec<&str> = "gas here and gas there".split(' ').collect();
        assert_eq!(
            pattern("gas", &groups).unwrap().find_all(&two),
            vec![(0, 0), (3, 3)]
        );
    }

    #[test]
    fn unknown_groups_and_contexts_are_refused() {
        let bad = "[groups]\n[frames]\nnegators=[]\nhedges=[]\npast=[]\nrecent=[]\nresolved=[]\npresent=[]\nhypothetical=[]\nasking=[]\nhabitual=[]\nlong_standing=[]\nlabel_after=[]\npreventive=[]\nlow_battery=[]\nquestion=[]\nquestion_openers=[]\nabout_a_call=[]\nmild=[]\nreport=[]\ncorrections=[]\njokes=[]\nfigurative=[]\n[[hazard]]\ncode='x'\nservice='other'\ncues=['@nope']\nask={en='a',es='b'}\n";
        assert!(matches!(compile(bad), Err(TableError::UnknownGroup(_))));
        let bad = bad.replace("cues=['@nope']", "cues=['x']\nrequires=['nowhere']");
        assert!(matches!(
            compile(&bad),
            Err(TableError::UnknownContext(_, _))
        ));
    }
}
