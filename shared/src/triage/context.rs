//! Whether a matched hazard is happening now: negation scope, tense, hypotheticals and
//! questions, jokes, and callers who say there is no hurry.

use super::lexicon::Hazard;
use super::pattern::Pattern;

const NEGATORS: &[&str] = &[
    "no",
    "not",
    "don't",
    "doesn't",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "never",
    "without",
    "nothing",
    "nothing's",
    "ain't",
    "didn't",
    "won't",
    "nunca",
    "tampoco",
];

/// Time expressions that place an event in the past, or say it was resolved.
const PAST: &[&str] = &[
    "last week",
    "last month",
    "last year",
    "last winter",
    "last spring",
    "last summer",
    "last fall",
    "last night",
    "last time",
    "years ago",
    "year ago",
    "months ago",
    "weeks ago",
    "a while back",
    "back in",
    "used to",
    "already fixed",
    "got fixed",
    "was fixed",
    "fixed our",
    "fixed the",
    "fixed it",
    "came out for",
    "checked and",
    "said everything",
    "stopped on",
    "hasn't",
    "couple years",
    "first turned",
];

/// Words that put an event in the present even when a past expression is near.
const PRESENT: &[&str] = &[
    "now",
    "still",
    "again",
    "currently",
    "keeps",
    "today",
    "tonight",
    "ahora",
    "right now",
    "this morning",
];

const JOKES: &[&str] = &[
    "lol",
    "haha",
    "kidding",
    "joking",
    "jk",
    "minecraft",
    "game",
    "pretend",
];

const NOT_URGENT: &[&str] = &[
    "no rush",
    "not urgent",
    "no hurry",
    "whenever",
    "sometime",
    "not an emergency",
    "whenever's convenient",
];

/// Cues that frame the hazard as a question or a hypothetical rather than a report.
const HYPOTHETICAL: &[&str] = &[
    "if",
    "what if",
    "in case",
    "future reference",
    "is that normal",
    "is it normal",
    "should i worry",
    "is that gonna",
    "will that",
    "do you|y'all|ya handle|fix|do|repair|install|work|arreglan",
    "ustedes arreglan",
    "how much",
    "is a couple",
    "an emergency or",
];

fn contains(tokens: &[&str], phrase: &str) -> Option<usize> {
    Pattern::parse(phrase).find(tokens).map(|(a, _)| a)
}

/// Facts about the whole utterance that decide whether hazards in it are live.
#[derive(Debug, Default)]
pub struct Frame {
    pub past_at: Option<usize>,
    pub present: bool,
    pub joking: bool,
    pub not_urgent: bool,
    pub hypothetical_at: Option<usize>,
    /// "no no i said flushing": the caller corrects what the recogniser heard.
    pub correction_at: Option<usize>,
}

impl Frame {
    pub fn of(tokens: &[&str]) -> Self {
        let exact = |list: &[&str]| {
            list.iter()
                .filter_map(|p| {
                    let words: Vec<&str> = p.split(' ').collect();
                    tokens
                        .windows(words.len())
                        .position(|w| w == words.as_slice())
                })
                .min()
        };
        Frame {
            past_at: exact(PAST),
            present: exact(PRESENT).is_some(),
            joking: exact(JOKES).is_some(),
            not_urgent: exact(NOT_URGENT).is_some(),
            hypothetical_at: HYPOTHETICAL
                .iter()
                .filter_map(|p| contains(tokens, p))
                .min(),
            correction_at: exact(&["i said", "i meant", "not flooding"]),
        }
    }

    /// `Some(reason)` when the hazard is not live.
    pub fn discount(&self, tokens: &[&str], h: &Hazard) -> Option<&'static str> {
        let (start, _) = h.span;
        if !h.inherently_negative {
            let from = start.saturating_sub(3);
            if tokens[from..start].iter().any(|t| NEGATORS.contains(t)) {
                return Some("negated");
            }
            // "my pipes aren't frozen", "nothing's leaking" (negator right after the noun).
            if start + 1 < tokens.len()
                && NEGATORS.contains(&tokens[start + 1])
                && !h.code.starts_with("burst")
            {
                if let Some(next) = tokens.get(start + 2) {
                    if next.ends_with("ing") || next.ends_with("en") {
                        return Some("negated");
                    }
                }
            }
        }
        if self.joking {
            return Some("joke");
        }
        if self.correction_at.is_some_and(|c| c > start) {
            return Some("corrected");
        }
        if self.past_at.is_some() && !self.present {
            return Some("past");
        }
        if self.hypothetical_at.is_some_and(|q| q <= start + 2) && !self.present {
            return Some("hypothetical");
        }
        if self.not_urgent && !h.life_safety {
            return Some("caller_not_urgent");
        }
        None
    }
}
