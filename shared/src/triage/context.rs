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
    "checked and",
    "said everything",
    "hasn't",
    "couple years",
    "thought we",
    "thought i",
    "once when",
    "el ano pasado",
    "pasado",
    "pasada",
    "tuvimos",
    "hace anos",
    "hace meses",
    "hace semanas",
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
    "video game",
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
    "is that|it normal|bad|okay|ok|safe|dangerous|something",
    "should i|we worry",
    "worry about",
    "is that gonna",
    "will that",
    "do you|y'all|ya handle|fix|do|repair|install|work|arreglan",
    "ustedes arreglan",
    "how much",
    "an emergency or",
];

/// How far (tokens) a present-tense word reaches to make a hazard current.
const PRESENT_WINDOW: usize = 8;

/// Nouns that, right after a hazard word, make it a label rather than an event.
const ASSESSMENT_NOUNS: &[&str] = &[
    "job",
    "jobs",
    "ticket",
    "estimate",
    "quote",
    "risk",
    "hazard",
    "inspection",
    "claim",
    "insurance",
    "damage",
    "restoration",
    "test",
    "drill",
    "code",
];

fn contains(tokens: &[&str], phrase: &str) -> Option<usize> {
    Pattern::parse(phrase).find(tokens).map(|(a, _)| a)
}

/// Facts about the whole utterance that decide whether hazards in it are live.
#[derive(Debug, Default)]
pub struct Frame {
    pub past_at: Option<usize>,
    /// Token positions of words that put an event in the present.
    pub present_at: Vec<usize>,
    pub joking: bool,
    pub not_urgent: bool,
    pub hypothetical_at: Option<usize>,
    /// "no, i said rushing": the caller corrects what the recogniser heard.
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
            present_at: PRESENT
                .iter()
                .flat_map(|p| {
                    let words: Vec<&str> = p.split(' ').collect();
                    tokens
                        .windows(words.len())
                        .enumerate()
                        .filter(move |(_, w)| *w == words.as_slice())
                        .map(|(i, _)| i)
                })
                // "will that happen again" asks about the future, and "now I'd like a
                // tune-up" introduces a request: neither reports a hazard happening now.
                .filter(|&i| {
                    !(tokens[i] == "again" && i > 0 && tokens[i - 1].starts_with("happen"))
                })
                .filter(|&i| {
                    !tokens.iter().skip(i + 1).take(3).any(|t| {
                        matches!(*t, "want" | "wanna" | "like" | "i'd" | "need" | "looking")
                    })
                })
                .collect(),
            joking: exact(JOKES).is_some(),
            not_urgent: exact(NOT_URGENT).is_some(),
            hypothetical_at: HYPOTHETICAL
                .iter()
                .filter_map(|p| contains(tokens, p))
                .min(),
            correction_at: exact(&["i said", "i meant", "not flooding"]),
        }
    }

    /// A present-tense word near the hazard (within [`PRESENT_WINDOW`] tokens either side):
    /// "now" in "and now we'd like a service visit" says nothing about last week's smell.
    fn present_near(&self, (start, end): (usize, usize)) -> bool {
        self.present_at
            .iter()
            .any(|&p| p + PRESENT_WINDOW >= start && p <= end + PRESENT_WINDOW)
    }

    /// `Some(reason)` when the hazard is not live.
    pub fn discount(&self, tokens: &[&str], h: &Hazard) -> Option<&'static str> {
        let (start, end) = h.span;
        // "the flooded crawlspace job", "called it a fire risk": the hazard word names a job or an
        // assessment, not something happening.
        if tokens
            .iter()
            .skip(end + 1)
            .take(2)
            .any(|t| ASSESSMENT_NOUNS.contains(t))
        {
            return Some("named_not_happening");
        }
        if !h.inherently_negative {
            let from = start.saturating_sub(3);
            if tokens[from..start].iter().any(|t| NEGATORS.contains(t)) {
                return Some("negated");
            }
            // "the line isn't leaking", "nothing's leaking" (negator right after the noun).
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
        let present = self.present_near(h.span);
        if self.past_at.is_some() && !present {
            return Some("past");
        }
        if self.hypothetical_at.is_some_and(|q| q <= start + 2) && !present {
            return Some("hypothetical");
        }
        // "my outlet sparked when I unplugged it, is that normal": a question about a
        // finished event.
        if self.hypothetical_at.is_some()
            && !present
            && tokens[start..=end.min(tokens.len() - 1)]
                .iter()
                .any(|t| t.ends_with("ed") && t.len() > 4)
        {
            return Some("question_about_past");
        }
        if self.not_urgent && !h.life_safety {
            return Some("caller_not_urgent");
        }
        None
    }
}
