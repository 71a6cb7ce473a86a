//! Finds the hazards of the table in an utterance (before `frames` decides whether each is
//! happening now), and the contexts that some of them require.

use super::table::{HazardSpec, Pattern, Slot, Table};
use super::{SafetyAdvice, ServiceType};
use std::collections::BTreeSet;

/// How a mention was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Cue,
    /// A `maybe` cue: mentioned without saying how bad.
    Maybe,
    Pair,
    Cluster,
    /// One of the tenant's own emergency phrases.
    Keyword,
}

/// One mention of a hazard.
#[derive(Debug, Clone)]
pub struct Candidate<'t> {
    pub kind: Kind,
    /// Token positions the mention's own words take (a cue's slots, a pair's object and
    /// state): a negator among them is the hazard's own ("won't stop"), never a negation.
    pub own: Vec<usize>,
    /// The table's entry; `None` for one of the tenant's own emergency phrases.
    pub spec: Option<&'t HazardSpec>,
    /// Token span `(first, last)` of the mention.
    pub span: (usize, usize),
    /// The words of the span.
    pub evidence: String,
    /// The service type the mention points to (the hazard's, or one its rules pick).
    pub service: ServiceType,
}

impl Candidate<'_> {
    /// The reason code (`gas_smell`, …; `tenant_keyword` for the tenant's own phrases).
    pub fn code(&self) -> &str {
        self.spec.map_or("tenant_keyword", |s| s.code.as_str())
    }
    pub fn life_safety(&self) -> bool {
        self.spec.is_some_and(|s| s.life_safety)
    }
    pub fn safety(&self) -> Option<SafetyAdvice> {
        self.spec.and_then(|s| s.safety)
    }
    pub fn absence(&self) -> bool {
        self.spec.is_some_and(|s| s.absence)
    }
    /// An alarm's own mention (not its symptoms), which a low-battery chirp explains.
    pub fn alarm(&self) -> bool {
        self.kind != Kind::Cluster && self.spec.is_some_and(|s| s.alarm)
    }
}

/// Most mentions of one hazard kept per utterance (pairs can multiply).
const MAX_PER_HAZARD: usize = 6;

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// A mention told only by its smell ("smells like something burning"), nothing seen: no
/// spark, smoke, flame or heat.
fn only_a_smell(span: &[&str]) -> bool {
    let smelled = |t: &&str| {
        t.starts_with("smel") || t.starts_with("odor") || t.starts_with("huel") || *t == "olor"
    };
    let seen = |t: &&str| {
        [
            "spark", "smok", "flame", "fire", "hot", "melt", "arc", "chisp", "humo", "llama",
        ]
        .iter()
        .any(|w| t.starts_with(w))
    };
    span.iter().any(smelled) && !span.iter().any(seen)
}

/// Names an electrical part (the `electric` group): a smell from an outlet or a panel is
/// never the furnace's dust.
fn names_wiring(table: &Table, span: &[&str]) -> bool {
    table
        .groups
        .get("electric")
        .is_some_and(|g| span.iter().any(|t| g.matches(t)))
}

fn any_match(patterns: &[Pattern], tokens: &[&str]) -> bool {
    patterns.iter().any(|p| p.find(tokens).is_some())
}

fn evidence(tokens: &[&str], (a, b): (usize, usize)) -> String {
    tokens[a..=b.min(tokens.len().saturating_sub(1))].join(" ")
}

/// Words that point back at a thing named earlier ("the dimmer by the back door, it's
/// warm").
const POINTERS: &[&str] = &["it", "it's", "its", "they", "they're", "theyre"];

/// How far back (tokens) a pointer finds the thing it points at.
const POINTER_REACH: usize = 16;

fn pair_spans(
    objects: &Slot,
    states: &Slot,
    window: usize,
    tokens: &[&str],
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if !objects.matches(t) {
            continue;
        }
        let lo = i.saturating_sub(window);
        let hi = (i + window).min(tokens.len().saturating_sub(1));
        if let Some(j) = (lo..=hi).find(|&j| j != i && states.matches(tokens[j])) {
            out.push((i.min(j), i.max(j)));
        }
    }
    // A state said of a pointer, the object named a little before it: the pair spans
    // from the object to the state (so a `not_when` on the object, "the dryer vent",
    // still rules it out).
    for (i, t) in tokens.iter().enumerate() {
        if !POINTERS.contains(t) {
            continue;
        }
        let Some(k) = (i.saturating_sub(POINTER_REACH)..i)
            .rev()
            .find(|&k| objects.matches(tokens[k]))
        else {
            continue;
        };
        let state = (i + 1..tokens.len().min(i + 4)).find(|&j| states.matches(tokens[j]));
        if let Some(j) = state {
            out.push((k, j));
        }
    }
    out
}

/// A symptom or sign denied just before it ("nobody feels sick", "no headaches"): a
/// cluster does not count it.
fn denied(table: &Table, tokens: &[&str], at: usize) -> bool {
    tokens[at.saturating_sub(2)..at]
        .iter()
        .any(|t| table.frames.negators.matches(t))
}

/// Every mention of every hazard in `tokens` (normalized), most dangerous table entries
/// first, then the tenant's own phrases (`extra_keywords`). A mention that a `not_when`
/// pattern overlaps ("gas bill") is not a mention.
pub fn candidates<'t>(
    table: &'t Table,
    tokens: &[&str],
    extra_keywords: &[String],
) -> Vec<Candidate<'t>> {
    let mut out = Vec::new();
    for spec in &table.hazards {
        let mut spans: Vec<((usize, usize), Kind, Vec<usize>)> = Vec::new();
        let cue_spans = |cues: &[Pattern], kind: Kind| -> Vec<((usize, usize), Kind, Vec<usize>)> {
            cues.iter()
                .flat_map(|c| c.matches(tokens))
                .map(|m| ((m[0], m[m.len() - 1]), kind, m))
                .collect()
        };
        spans.extend(cue_spans(&spec.cues, Kind::Cue));
        spans.extend(cue_spans(&spec.maybe, Kind::Maybe));
        for p in &spec.pairs {
            spans.extend(
                pair_spans(&p.objects, &p.states, p.window, tokens)
                    .into_iter()
                    .map(|s| (s, Kind::Pair, vec![s.0, s.1])),
            );
        }
        if let Some(c) = &spec.cluster {
            let members: Vec<(usize, usize)> = c
                .members
                .iter()
                .filter_map(|m| {
                    m.iter()
                        .flat_map(|p| p.find_all(tokens))
                        .find(|&(a, _)| !denied(table, tokens, a))
                })
                .collect();
            let found = !members.is_empty();
            let hits: Vec<(usize, usize)> = members
                .into_iter()
                .chain(c.also.iter().filter_map(|a| a.find(tokens)))
                .collect();
            let needs = c.needs.as_ref().is_none_or(|n| n.find(tokens).is_some());
            // `also` alone is never enough: at least one member is.
            if found && hits.len() >= c.min && needs {
                let from = hits.iter().map(|h| h.0).min().unwrap_or(0);
                let to = hits.iter().map(|h| h.1).max().unwrap_or(0);
                spans.push(((from, to), Kind::Cluster, Vec::new()));
            }
        }
        if spans.is_empty() {
            continue;
        }
        let excluded: Vec<(usize, usize)> = spec
            .not_when
            .iter()
            .flat_map(|p| p.find_all(tokens))
            .collect();
        spans.sort();
        spans.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        let service = spec
            .services
            .iter()
            .find(|(p, _)| p.find(tokens).is_some())
            .map_or(spec.service, |(_, s)| *s);
        let mut kept = 0;
        let explained = spec.explained_by.iter().any(|p| p.find(tokens).is_some());
        for (span, kind, own) in spans {
            if excluded.iter().any(|x| overlaps(*x, span)) {
                continue;
            }
            if explained
                && only_a_smell(&tokens[span.0..=span.1])
                && !names_wiring(table, &tokens[span.0..=span.1])
            {
                continue;
            }
            out.push(Candidate {
                kind,
                own,
                spec: Some(spec),
                span,
                evidence: evidence(tokens, span),
                service,
            });
            kept += 1;
            if kept == MAX_PER_HAZARD {
                break;
            }
        }
    }
    for kw in extra_keywords {
        let words: Vec<&str> = kw.split_whitespace().collect();
        if words.is_empty() || words.len() > tokens.len() {
            continue;
        }
        if let Some(pos) = tokens
            .windows(words.len())
            .position(|w| w == words.as_slice())
        {
            let span = (pos, pos + words.len() - 1);
            out.push(Candidate {
                kind: Kind::Keyword,
                own: (span.0..=span.1).collect(),
                spec: None,
                span,
                evidence: evidence(tokens, span),
                service: ServiceType::Other,
            });
        }
    }
    out
}

/// Words that say a number is a temperature.
const TEMPERATURE_CUES: &[&str] = &[
    "degree",
    "degrees",
    "inside",
    "outside",
    "tonight",
    "below",
    "temp",
    "temperature",
    "thermostat",
    "thermometer",
    "here",
    "house",
    "home",
    "room",
    "apartment",
    "down",
    "grados",
    "adentro",
    "afuera",
    "casa",
];

/// Words that put a temperature outdoors, where 20 or less is dangerous cold.
const OUTDOOR: &[&str] = &[
    "outside",
    "tonight",
    "outdoors",
    "afuera",
    "low",
    "lows",
    "windchill",
    "forecast",
];

const UNITS: &[(&str, i32)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("cero", 0),
    ("uno", 1),
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("cinco", 5),
    ("seis", 6),
    ("siete", 7),
    ("ocho", 8),
    ("nueve", 9),
];

const TENS: &[(&str, i32)] = &[
    ("ten", 10),
    ("fifteen", 15),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
    ("hundred", 100),
    ("diez", 10),
    ("quince", 15),
    ("veinte", 20),
    ("treinta", 30),
    ("cuarenta", 40),
    ("cincuenta", 50),
    ("sesenta", 60),
    ("setenta", 70),
    ("ochenta", 80),
    ("noventa", 90),
    ("cien", 100),
];

/// Most of the words are numbers, in digits or words ("it's nine one three five five five
/// zero one seven seven"): a phone number, an address or a reading, never a report.
pub fn mostly_numbers(tokens: &[&str]) -> bool {
    let numbers = tokens
        .iter()
        .filter(|t| {
            t.chars().all(|c| c.is_ascii_digit() || c == '-')
                || word_value(t, UNITS).is_some()
                || word_value(t, TENS).is_some()
                || matches!(
                    **t,
                    "oh" | "hundred" | "thousand" | "mil" | "double" | "triple"
                )
        })
        .count();
    !tokens.is_empty() && numbers * 3 >= tokens.len() * 2
}

fn word_value(tok: &str, table: &[(&str, i32)]) -> Option<i32> {
    table.iter().find(|(w, _)| *w == tok).map(|(_, n)| *n)
}

/// A number at `i` in digits or words ("82", "eighty two", "cuarenta y cinco"), with the
/// index of its last token.
fn number_at(tokens: &[&str], i: usize) -> Option<(i32, usize)> {
    let t = tokens[i];
    if let Ok(n) = t.parse::<i32>() {
        return Some((n, i));
    }
    if let Some(tens) = word_value(t, TENS) {
        let mut j = i + 1;
        if tokens.get(j) == Some(&"y") {
            j += 1;
        }
        return match tokens.get(j).and_then(|u| word_value(u, UNITS)) {
            Some(u) if (20..100).contains(&tens) => Some((tens + u, j)),
            _ => Some((tens, i)),
        };
    }
    word_value(t, UNITS).map(|n| (n, i))
}

/// Words after a number that make it an age ("82 year old", "85 anos").
const AGE_WORDS: &[&str] = &["year", "years", "yr", "yrs", "ano", "anos", "y/o"];

/// Words after a number that make it a baby's age ("a 3 month old", "6 weeks old").
const INFANT_AGE_WORDS: &[&str] = &[
    "month", "months", "week", "weeks", "meses", "semanas", "mes",
];

/// Words for a baby whose age in weeks or months a caller may give ("our son is 3 weeks").
const BABIES: &[&str] = &[
    "baby",
    "baby's",
    "babies",
    "infant",
    "newborn",
    "son",
    "daughter",
    "grandson",
    "granddaughter",
    "bebe",
    "bebes",
    "hijo",
    "hija",
    "nieto",
    "nieta",
    "twins",
];

/// People whose age a caller may give.
const PEOPLE: &[&str] = &[
    "mom",
    "mother",
    "dad",
    "father",
    "grandma",
    "grandpa",
    "grandmother",
    "grandfather",
    "she",
    "she's",
    "he",
    "he's",
    "husband",
    "wife",
    "neighbor",
    "neighbors",
    "neighbor's",
    "shes",
    "hes",
    "tenant",
    "aunt",
    "uncle",
    "lady",
    "man",
    "woman",
    "mama",
    "papa",
    "abuela",
    "abuelo",
    "senora",
    "i'm",
    "im",
    "tengo",
    "tiene",
];

/// The contexts present in `tokens`: group names with a term present, and the computed
/// ones (`cold_reading`, `age_at_risk`, `vulnerable_in_heat`).
pub fn contexts(table: &Table, tokens: &[&str]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (name, slot) in &table.groups {
        if tokens.iter().any(|t| slot.matches(t)) {
            out.insert(name.clone());
        }
    }
    let near = |from: usize, to: usize, words: &[&str], reach: usize| {
        let lo = from.saturating_sub(reach);
        let hi = (to + reach + 1).min(tokens.len());
        tokens[lo..hi].iter().any(|t| words.contains(t))
    };
    let mut cold_reading = false;
    let mut hot_reading = false;
    let mut at_risk = false;
    let mut i = 0;
    while i < tokens.len() {
        let Some((mut n, end)) = number_at(tokens, i) else {
            i += 1;
            continue;
        };
        // "minus 5", "negative ten", "5 below", "bajo cero".
        if i > 0 && matches!(tokens[i - 1], "minus" | "negative" | "menos") {
            n = -n;
        }
        if tokens.get(end + 1) == Some(&"below") {
            n = -n;
        }
        // Below zero is only ever a temperature.
        cold_reading |= n < 0;
        let next = tokens.get(end + 1).copied().unwrap_or("");
        // "it's 48", "its 101 out": a temperature, whoever is near.
        let said_as_weather = i > 0 && matches!(tokens[i - 1], "it's" | "its" | "estamos");
        // "i'm 87", "she's 91": said of a person, whatever the weather words near it.
        let said_of_someone = i > 0
            && matches!(
                tokens[i - 1],
                "i'm" | "im" | "he's" | "hes" | "she's" | "shes" | "aged" | "age"
            )
            && !matches!(next, "degrees" | "grados");
        let is_age = said_of_someone
            || !said_as_weather
                && (AGE_WORDS.contains(&next)
                    || (near(i, end, PEOPLE, 3) && !near(i, end, TEMPERATURE_CUES, 2)));
        if INFANT_AGE_WORDS.contains(&next) {
            // "a two month old", "tiene 3 meses" — not "six months ago", "in two weeks".
            let after = tokens.get(end + 2).copied().unwrap_or("");
            let prev = if i > 0 { tokens[i - 1] } else { "" };
            let a_span = matches!(after, "ago" | "from" | "later" | "back")
                || matches!(
                    prev,
                    "hace" | "in" | "for" | "every" | "en" | "cada" | "past" | "last" | "next"
                );
            let of_a_baby = matches!(after, "old" | "olds")
                || near(i, end, PEOPLE, 3)
                || near(i, end, BABIES, 4);
            at_risk |= n <= 18 && of_a_baby && !a_span;
        } else if is_age {
            at_risk |= (75..=115).contains(&n);
        } else if said_as_weather || near(i, end, TEMPERATURE_CUES, 3) {
            let outdoors = near(i, end, OUTDOOR, 3) || next == "out";
            cold_reading |= if outdoors { n <= 20 } else { n <= 55 };
            hot_reading |= if outdoors {
                (95..130).contains(&n)
            } else {
                (85..130).contains(&n)
            };
        }
        i = end + 1;
    }
    at_risk |= tokens
        .iter()
        .any(|t| matches!(*t, "eighties" | "nineties" | "ochenta" | "noventa"));
    cold_reading |= tokens.windows(2).any(|w| {
        matches!(
            w,
            ["single", "digits"]
                | ["below" | "bajo", "zero" | "cero"]
                | [
                    "arctic" | "polar",
                    "blast" | "vortex" | "air" | "front" | "cold"
                ]
                | ["bitter" | "bitterly", "cold"]
                | ["sub", "zero"]
        )
    });
    // "the house is in the low fifties".
    cold_reading |= tokens.iter().enumerate().any(|(i, t)| {
        matches!(
            *t,
            "teens" | "twenties" | "thirties" | "forties" | "fifties"
        ) && near(i, i, TEMPERATURE_CUES, 4)
            && !near(i, i, PEOPLE, 3)
    });
    if cold_reading {
        out.insert("cold_reading".into());
    }
    if at_risk {
        out.insert("age_at_risk".into());
    }
    let vulnerable = at_risk || out.contains("vulnerable");
    if vulnerable && (hot_reading || out.contains("hot") || out.contains("symptom")) {
        out.insert("vulnerable_in_heat".into());
    }
    out
}

/// Whether any of `patterns` matches (used by the frames and the model's features).
pub fn matches_any(patterns: &[Pattern], tokens: &[&str]) -> bool {
    any_match(patterns, tokens)
}

#[cfg(test)]
mod tests {
    use super::super::normalize::normalize;
    use super::super::table::table;
    use super::*;

    fn codes(text: &str) -> Vec<String> {
        let n = normalize(text);
        let tokens: Vec<&str> = n.split_whitespace().collect();
        candidates(table(), &tokens, &[])
            .iter()
            .map(|c| c.code().to_string())
            .collect()
    }

    fn ctx(text: &str) -> BTreeSet<String> {
        let n = normalize(text);
        let tokens: Vec<&str> = n.split_whitespace().collect();
        contexts(table(), &tokens)
    }

    #[test]
    fn an_object_and_a_state_make_an_electrical_hazard_in_either_order() {
        assert!(codes("the dimmer in the hall is really warm").contains(&"fire_risk".into()));
        assert!(
            codes("there's a buzzing coming from the breaker box").contains(&"fire_risk".into())
        );
        assert!(codes("the ceiling fan smells hot").contains(&"fire_risk".into()));
        assert!(!codes("the ceiling fan wobbles").contains(&"fire_risk".into()));
    }

    #[test]
    fn symptoms_together_or_with_a_fuel_appliance_are_carbon_monoxide() {
        assert!(codes("we all have headaches and feel dizzy").contains(&"carbon_monoxide".into()));
        assert!(codes("headache since the furnace kicked on").contains(&"carbon_monoxide".into()));
        assert!(!codes("i have a headache").contains(&"carbon_monoxide".into()));
    }

    #[test]
    fn a_name_that_is_not_the_hazard_is_no_mention() {
        assert!(!codes("my gas bill doubled").contains(&"gas_smell".into()));
        assert!(
            !codes("the fire department inspector wants a new panel").contains(&"fire_risk".into())
        );
        assert!(!codes("we're in a flood zone").contains(&"flooding".into()));
        assert!(codes("it smells like gas by the meter").contains(&"gas_smell".into()));
    }

    #[test]
    fn several_fixtures_backing_up_are_a_sewage_backup() {
        assert!(
            codes("the toilet and the tub are both gurgling and backing up")
                .contains(&"sewage_backup".into())
        );
        assert!(
            codes("there's water coming up from the floor drain").contains(&"sewage_backup".into())
        );
        assert!(!codes("the kitchen sink is slow").contains(&"sewage_backup".into()));
    }

    #[test]
    fn temperatures_and_ages_are_read_from_numbers() {
        assert!(ctx("it's 48 degrees in the house").contains("cold_reading"));
        assert!(ctx("supposed to be 5 degrees tonight").contains("cold_reading"));
        assert!(!ctx("it's 68 degrees in here").contains("cold_reading"));
        assert!(!ctx("it's 40 outside").contains("cold_reading"));
        assert!(ctx("my mom is 84 and lives alone").contains("age_at_risk"));
        assert!(ctx("an 82 year old lives there").contains("age_at_risk"));
        assert!(ctx("i'm eighty two years old").contains("age_at_risk"));
        assert!(ctx("it's awful cold in here i'm 87 you know").contains("age_at_risk"));
        assert!(ctx("we have a two month old").contains("age_at_risk"));
        assert!(ctx("our daughter is only 3 weeks").contains("age_at_risk"));
        assert!(ctx("la nina tiene 4 meses").contains("age_at_risk"));
        // A span of time is no baby's age.
        assert!(!ctx("the breaker tripped like 2 months ago").contains("age_at_risk"));
        assert!(!ctx("could somebody come out in 2 weeks").contains("age_at_risk"));
        assert!(!ctx("se quemo hace 3 meses").contains("age_at_risk"));
        assert!(ctx("estamos a cuarenta y cinco grados").contains("cold_reading"));
        assert!(!ctx("i live at 82 oak street").contains("age_at_risk"));
        assert!(ctx("my grandma is here and it's 95 degrees inside").contains("vulnerable_in_heat"));
    }
}
