//! Whether a hazard mentioned in an utterance is happening now. The same frames apply to
//! every hazard of the table: negation, past, resolved, hypothetical, preventive, a
//! question about the shop's services, a low-battery chirp, jokes and figures of speech,
//! a required context, and a mention told only in the past tense.

use super::matcher::{Candidate, Kind};
use super::table::{Pattern, Table};
use std::collections::BTreeSet;

/// What the frames make of one mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judgement {
    /// Happening now.
    Live,
    /// Maybe happening now: the receptionist asks the hazard's question.
    Unclear(Unclear),
    /// Not happening now, and why (`negated`, `past`, `resolved`, `habitual`,
    /// `long_standing`, `named`, `hypothetical`, `preventive`, `question`, `about_a_call`,
    /// `low_battery`, `corrected`, `joke`, `figurative`).
    Discounted(&'static str),
}

/// Why a mention is unclear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unclear {
    /// The hazard needs a context (a vulnerable person, freezing cold) the caller has not
    /// given.
    MissingContext,
    /// Told in the past tense with nothing placing it now ("the alarm went off").
    PastTense,
    /// A little of it ("a little warm").
    Mild,
    /// Mentioned without saying how bad ("the ceiling is dripping", "carbon monoxide").
    Maybe,
    /// The caller asks whether what is happening is normal or dangerous.
    Asking,
    /// The caller asks about something that happened ("it sparked when I flipped it, is
    /// that normal?").
    AskingAboutPast,
    /// The caller said it is not urgent.
    NotUrgent,
}

/// How far (tokens) a present-tense word reaches to make a mention current.
const PRESENT_REACH: usize = 8;
/// How far before a mention a negator negates it.
const NEGATION_REACH: usize = 3;
/// How far a worry ("scared it's gonna") or a far future ("one of these days") reaches.
const FEAR_REACH: usize = 2;

/// Words that put what follows in the future.
const FUTURE_MODALS: &[&str] = &["gonna", "will", "might", "could", "may", "it'll", "to"];
/// How far before a mention a preventive request or a question frames it.
const REQUEST_REACH: usize = 5;

/// Past-tense verbs that end otherwise than in -ed.
const IRREGULAR_PAST: &[&str] = &[
    "went", "was", "were", "had", "blew", "broke", "froze", "caught", "smelt", "burnt", "came",
    "got", "fell", "began",
];

/// Stems of what a caller senses of a hazard; negated just before a present word, the
/// present is what is absent ("doesn't smell right now").
const SENSED: &[&str] = &[
    "smell", "leak", "spark", "smok", "beep", "chirp", "drip", "hot", "warm", "burn", "buzz",
    "hiss", "huel", "gote", "chisp", "suen",
];

/// Stems of the marks a past fault leaves (a scorch mark, a discoloured cover): a mark
/// alone does not say the fault is going on now.
const MARKS: &[&str] = &[
    "discolor", "scorch", "blacken", "brown", "charred", "stain", "mark", "melted",
];

/// Words that say the caller is in no hurry.
const NOT_URGENT: &[&str] = &[
    "no rush",
    "not urgent",
    "no hurry",
    "whenever you can",
    "sin prisa",
];

/// Words a caller opens with before the question itself ("hi, how long do…").
const OPENING_FILLERS: &[&str] = &[
    "hi", "hey", "hello", "um", "uh", "so", "yeah", "yes", "ok", "okay", "and", "but", "well",
    "quick", "question", "dear", "honey", "sir", "maam", "ma'am", "sorry", "hola", "oiga", "bueno",
    "una", "pregunta", "perdon", "disculpe",
];

/// How far after a mention a present word still makes it current.
const PRESENT_AFTER_REACH: usize = 12;

/// The frame markers of one utterance, found once and shared by its mentions.
#[derive(Debug, Default)]
pub struct Markers {
    negators: Vec<usize>,
    hedges: Vec<(usize, usize)>,
    past: Vec<(usize, usize)>,
    recent: Vec<(usize, usize)>,
    resolved: Vec<(usize, usize)>,
    present: Vec<(usize, usize)>,
    hypothetical: Vec<(usize, usize)>,
    asking: Vec<(usize, usize)>,
    habitual: Vec<(usize, usize)>,
    long_standing: Vec<(usize, usize)>,
    label_after: Vec<(usize, usize)>,
    preventive: Vec<(usize, usize)>,
    question: Vec<(usize, usize)>,
    about_a_call: Vec<(usize, usize)>,
    mild: Vec<(usize, usize)>,
    report: Vec<(usize, usize)>,
    /// Present-progressive verbs ("are glowing").
    progressive: Vec<(usize, usize)>,
    figurative: Vec<(usize, usize)>,
    corrections: Vec<(usize, usize)>,
    low_battery: Vec<(usize, usize)>,
    feared: Vec<(usize, usize)>,
    far_future: Vec<(usize, usize)>,
    sounding: bool,
    battery_ruled_out: bool,
    opens_with_question: bool,
    joking: bool,
    not_urgent: bool,
}

fn spans(patterns: &[Pattern], tokens: &[&str]) -> Vec<(usize, usize)> {
    let mut v: Vec<(usize, usize)> = patterns.iter().flat_map(|p| p.find_all(tokens)).collect();
    v.sort();
    v
}

/// A new clause between `from` and `to` ("won't reset and it's crackling"): a negator
/// before it does not reach past it.
fn clause_break(tokens: &[&str], from: usize, to: usize) -> bool {
    (from + 1..to).any(|k| match tokens[k] {
        "but" | "pero" => true,
        "and" | "y" => tokens.get(k + 1).is_some_and(|t| {
            matches!(
                *t,
                "it's"
                    | "its"
                    | "it"
                    | "there's"
                    | "now"
                    | "i"
                    | "we"
                    | "they're"
                    | "esta"
                    | "ahora"
            )
        }),
        _ => false,
    })
}

/// "hey it's randy": a caller giving their name, not reporting anything.
/// Only at the start of what is said, after greetings ("hey it's randy …").
fn introduces_self(tokens: &[&str], at: usize) -> bool {
    matches!(tokens[at], "it's" | "its")
        && tokens[..at].iter().all(|t| OPENING_FILLERS.contains(t))
        && tokens
            .get(at + 1)
            .is_some_and(|w| crate::dialogue::extract::is_given_name(w))
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

impl Markers {
    pub fn of(table: &Table, tokens: &[&str]) -> Self {
        let f = &table.frames;
        let text = format!(" {} ", tokens.join(" "));
        let hedges = spans(&f.hedges, tokens);
        let in_hedge = |(a, b): (usize, usize)| hedges.iter().any(|h| overlaps(*h, (a, b)));
        // "will that happen again" asks about the future; "now I'd like a tune-up"
        // introduces a request: neither places a hazard now.
        let all_present = spans(&f.present, tokens);
        let in_present = |n: usize| all_present.iter().any(|&(a, b)| a <= n && n <= b);
        // "right now there's nothing", "ahorita no huele": the present is what is absent.
        let denied_now = |(_, e): (usize, usize)| {
            matches!(
                tokens[e],
                "now" | "ahorita" | "ahora" | "currently" | "moment" | "today" | "tonight"
            ) && (e + 1..tokens.len().min(e + 4))
                .any(|n| f.negators.matches(tokens[n]) && !in_present(n))
        };
        // "no huele a nada ahorita", "doesn't smell right now": the sense is denied now.
        let sense_denied = |(a, _): (usize, usize)| {
            (a.saturating_sub(4)..a).any(|n| {
                f.negators.matches(tokens[n])
                    && !in_present(n)
                    && tokens
                        .get(n + 1)
                        .is_some_and(|t| SENSED.iter().any(|p| t.starts_with(p)))
            })
        };
        let mut present: Vec<(usize, usize)> = all_present
            .iter()
            .copied()
            .filter(|&s| !denied_now(s) && !sense_denied(s))
            .filter(|&(i, _)| {
                !(tokens[i] == "again" && i > 0 && tokens[i - 1].starts_with("happen"))
            })
            .filter(|&(i, _)| {
                !tokens.iter().skip(i + 1).take(3).any(|t| {
                    matches!(
                        *t,
                        "want"
                            | "wanna"
                            | "like"
                            | "i'd"
                            | "need"
                            | "looking"
                            | "remodeling"
                            | "planning"
                            | "thinking"
                            | "necesito"
                            | "quiero"
                            | "ocupo"
                    )
                })
            })
            .collect();
        // "no huele", "not there's": a report denied is none.
        let mut report: Vec<(usize, usize)> = spans(&f.report, tokens)
            .into_iter()
            .filter(|&(a, _)| a == 0 || !f.negators.matches(tokens[a - 1]))
            .filter(|&(a, b)| !(b == a && introduces_self(tokens, a)))
            .collect();
        // "is hissing", "keeps sparking", "are coming": a verb in the present progressive.
        let mut progressive = Vec::new();
        for (i, t) in tokens.iter().enumerate() {
            if matches!(
                *t,
                "is" | "are" | "it's" | "its" | "keeps" | "still" | "esta" | "estan"
            ) && tokens.get(i + 1).is_some_and(|n| {
                n.len() > 4 && (n.ends_with("ing") || n.ends_with("ando") || n.ends_with("iendo"))
            }) {
                report.push((i, i + 1));
                progressive.push((i, i + 1));
            }
        }
        // "won't go away", "never stopped": a resolution negated is none.
        // "not fixed" is no resolution, nor is what the caller first took it for ("I
        // thought it was just the new dryer smell").
        let resolved = spans(&f.resolved, tokens)
            .into_iter()
            .filter(|&(a, _)| !(a.saturating_sub(2)..a).any(|i| f.negators.matches(tokens[i])))
            // "it goes away once we're at work": clearing away from home is a sign, not an end.
            .filter(|&(_, b)| {
                let condition = matches!(tokens.get(b + 1), Some(&("once" | "whenever" | "while")))
                    || (tokens.get(b + 1) == Some(&"when")
                        && matches!(
                            tokens.get(b + 2),
                            Some(&("we" | "i" | "they" | "we're" | "i'm"))
                        ));
                !condition
            })
            // "my brother in law says it's fine but I don't know": a reassurance doubted.
            .filter(|&(_, b)| {
                !(tokens.get(b + 1) == Some(&"but")
                    && tokens[b + 2..tokens.len().min(b + 7)].iter().any(|t| {
                        matches!(
                            *t,
                            "know"
                                | "sure"
                                | "worried"
                                | "scared"
                                | "nervous"
                                | "still"
                                | "convinced"
                        )
                    }))
            })
            .filter(|&(a, _)| {
                !tokens[a.saturating_sub(2)..a].iter().any(|t| {
                    matches!(
                        *t,
                        "thought" | "figured" | "assumed" | "guessed" | "hoped" | "pense" | "crei"
                            // "even after I shut the valve", "I tried to shut it".
                            | "after" | "despite" | "tried" | "trying" | "even"
                    )
                })
            })
            .collect::<Vec<_>>();
        // "it's been fine since then": how long the resolution has held, not a "now".
        present.retain(|&(a, _)| !resolved.iter().any(|&(_, re)| a > re && a <= re + 2));
        let opener = tokens.iter().position(|t| !OPENING_FILLERS.contains(t));
        let recent = spans(&f.recent, tokens);
        Markers {
            negators: tokens
                .iter()
                .enumerate()
                .filter(|(_, t)| f.negators.matches(t))
                .map(|(i, _)| i)
                .collect(),
            // "an hour ago" is recent, though "ago" alone is the past.
            past: spans(&f.past, tokens)
                .into_iter()
                .filter(|&p| !recent.iter().any(|&r| overlaps(p, r)))
                // "where the old heater used to be": a place told by its past, not when.
                .filter(|&(a, _)| {
                    !tokens[a.saturating_sub(4)..a]
                        .iter()
                        .any(|t| matches!(*t, "where" | "donde"))
                })
                .collect(),
            recent,
            resolved,
            progressive,
            present,
            hypothetical: spans(&f.hypothetical, tokens)
                .into_iter()
                .filter(|s| !in_hedge(*s))
                .collect(),
            asking: spans(&f.asking, tokens),
            habitual: spans(&f.habitual, tokens),
            long_standing: spans(&f.long_standing, tokens),
            label_after: spans(&f.label_after, tokens),
            preventive: spans(&f.preventive, tokens),
            question: spans(&f.question, tokens),
            about_a_call: spans(&f.about_a_call, tokens),
            mild: spans(&f.mild, tokens),
            report,
            figurative: spans(&f.figurative, tokens),
            corrections: spans(&f.corrections, tokens),
            low_battery: spans(&f.low_battery, tokens),
            feared: spans(&f.feared, tokens),
            far_future: spans(&f.far_future, tokens),
            sounding: f.sounding.iter().any(|p| p.find(tokens).is_some()),
            battery_ruled_out: f.battery_ruled_out.iter().any(|p| p.find(tokens).is_some()),
            opens_with_question: opener.is_some_and(|o| {
                f.question_openers
                    .iter()
                    .any(|p| p.find_all(tokens).iter().any(|&(a, _)| a == o))
            }),
            joking: f.jokes.iter().any(|p| p.find(tokens).is_some()),
            not_urgent: NOT_URGENT.iter().any(|w| text.contains(&format!(" {w} "))),
            hedges,
        }
    }

    /// Marker names present anywhere (features for the model).
    pub fn names(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        for (name, present) in [
            ("negator", !self.negators.is_empty()),
            ("hedge", !self.hedges.is_empty()),
            ("past", !self.past.is_empty()),
            ("recent", !self.recent.is_empty()),
            ("resolved", !self.resolved.is_empty()),
            ("present", !self.present.is_empty()),
            ("hypothetical", !self.hypothetical.is_empty()),
            ("asking", !self.asking.is_empty()),
            ("habitual", !self.habitual.is_empty()),
            ("long_standing", !self.long_standing.is_empty()),
            ("preventive", !self.preventive.is_empty()),
            ("question", !self.question.is_empty()),
            ("opens_with_question", self.opens_with_question),
            ("about_a_call", !self.about_a_call.is_empty()),
            ("mild", !self.mild.is_empty()),
            ("report", !self.report.is_empty()),
            ("figurative", !self.figurative.is_empty()),
            ("correction", !self.corrections.is_empty()),
            ("low_battery", !self.low_battery.is_empty()),
            (
                "feared",
                !self.feared.is_empty() || !self.far_future.is_empty(),
            ),
            ("joke", self.joking),
            ("not_urgent", self.not_urgent),
        ] {
            if present {
                v.push(name);
            }
        }
        v
    }

    fn present_near(&self, (s, e): (usize, usize)) -> bool {
        self.present
            .iter()
            .any(|&(p, _)| p + PRESENT_REACH >= s && p <= e + PRESENT_REACH)
    }

    /// A present word after `at` (and not past the mention's reach): "last week i smelled
    /// gas… it's way worse now".
    fn present_after(&self, at: usize, mention_end: usize) -> bool {
        self.present
            .iter()
            .any(|&(p, _)| p > at && p <= mention_end + PRESENT_AFTER_REACH)
    }

    fn in_hedge(&self, i: usize) -> bool {
        self.hedges.iter().any(|&(a, b)| a <= i && i <= b)
    }

    /// A negator shortly before `at`, not part of a hedge ("not sure if") or of a present
    /// marker ("won't stop", "no deja de"), and not cut off by "but" or by a verb of its
    /// own ("not working, water everywhere").
    fn negator_before(&self, tokens: &[&str], at: usize) -> bool {
        // Each "or" of a list ("no sparks, smoke or smell") carries the negator further.
        let listed = |n: usize| {
            tokens[n.min(at)..at]
                .iter()
                .filter(|t| matches!(**t, "or" | "nor" | "ni" | "o"))
                .count()
        };
        self.negators.iter().any(|&n| {
            n < at
                && n + NEGATION_REACH + 2 * listed(n) >= at
                && !self.in_hedge(n)
                && !self.present.iter().any(|&(a, b)| a <= n && n <= b)
                && !(n + 1..at).any(|k| {
                    let t = tokens[k];
                    // "nothing's sparking or smoking": a list of states shares its negator.
                    let listed = matches!(tokens.get(k + 1), Some(&("or" | "nor" | "ni" | "o")));
                    matches!(
                        t,
                        "but" | "pero" | "and" | "y" | "except" | "working" | "work"
                    ) || (t.len() > 4 && t.ends_with("ing") && !listed)
                })
        })
    }

    /// A negator just before the mention or, for an object and its state, between them;
    /// not part of a hedge ("not sure if") and not cut off by "but". A cue's own words
    /// ("won't stop") never negate it.
    fn negated(&self, tokens: &[&str], c: &Candidate<'_>) -> bool {
        let (s, e) = c.span;
        if self.negator_before(tokens, s) {
            return true;
        }
        // Inside the mention: "the co alarm isn't going off", "the outlet is not hot"; a
        // negator of a present marker ("won't stop", "can't shut it off") is no negation.
        if c.kind != Kind::Cluster
            && self.negators.iter().any(|&n| {
                n > s
                    && n < e
                    && !c.own.contains(&n)
                    && !clause_break(tokens, n, e)
                    && !self.in_hedge(n)
                    && !self.present.iter().any(|&(a, b)| a <= n && n <= b)
            })
        {
            return true;
        }
        // "the line isn't leaking", "the outlet is not hot".
        tokens
            .get(s + 1)
            .is_some_and(|t| matches!(*t, "isn't" | "aren't" | "wasn't"))
            || (tokens.get(s + 1) == Some(&"is") && tokens.get(s + 2) == Some(&"not"))
    }

    fn before_within(list: &[(usize, usize)], s: usize, reach: usize) -> bool {
        list.iter().any(|&(a, _)| a <= s && a + reach >= s)
    }

    /// A report near the mention ("i smell", "there's", "is sparking") outweighs a
    /// preventive request or a question about the shop's services.
    fn reported(&self, (s, e): (usize, usize)) -> bool {
        self.report.iter().any(|&(a, b)| b + 6 >= s && a <= e + 6)
    }

    /// Judges one mention.
    pub fn judge(
        &self,
        tokens: &[&str],
        c: &Candidate<'_>,
        contexts: &BTreeSet<String>,
    ) -> Judgement {
        let span = c.span;
        let (s, e) = span;
        if self.figurative.iter().any(|f| overlaps(*f, span)) {
            return Judgement::Discounted("figurative");
        }
        if self.joking {
            return Judgement::Discounted("joke");
        }
        // "flooding, no no, I said flushing": the caller takes back what came before.
        if self.corrections.iter().any(|&(a, _)| a > e) {
            return Judgement::Discounted("corrected");
        }
        if !c.absence() && self.negated(tokens, c) {
            return Judgement::Discounted("negated");
        }
        // A chirp, "low battery", "end of life" (unless negated: "not the battery chirp",
        // or the alarm's own pattern is told: "four beeps, a pause, four beeps again").
        // New batteries rule the battery out, but not a chirp ("still chirps on new ones" is
        // a detector at its end of life).
        let explains = |&&(a, _): &&(usize, usize)| {
            !self.battery_ruled_out || tokens[a].starts_with("chirp") || tokens[a] == "end"
        };
        if c.alarm()
            && !self.sounding
            && self
                .low_battery
                .iter()
                .filter(explains)
                .any(|&(a, _)| !self.negator_before(tokens, a))
        {
            return Judgement::Discounted("low_battery");
        }
        let present = self.present_near(span);
        let reported = self.reported(span);
        // The past ends a state, unless something after it is current; a recent past
        // ("since last night") does not end an absence ("no heat").
        // "where the fixture used to be are glowing": a progressive inside the mention.
        let progressive = self.progressive.iter().any(|&(a, _)| a >= s && a <= e);
        // Signs told together (symptoms, a sick house): a past told after them is of
        // something else ("… and the alarm is unplugged because it beeped last week").
        let past = self
            .past
            .iter()
            .find(|&&(p, _)| c.kind != Kind::Cluster || p <= e);
        if let Some(&(p, _)) = past {
            if !present && !self.present_after(p, e) && !progressive {
                return Judgement::Discounted("past");
            }
        }
        if !self.long_standing.is_empty() && !present {
            return Judgement::Discounted("long_standing");
        }
        // "the gas leak call", "the flooding job": a label, not an event.
        // "gas leak and no heat calls": a list of kinds before a plural label.
        let listed_label = |a: usize| {
            a <= e + 5
                && matches!(tokens.get(e + 1), Some(&("and" | "or")))
                && matches!(
                    tokens[a],
                    "calls" | "jobs" | "tickets" | "visits" | "customers" | "claims"
                )
        };
        if self
            .label_after
            .iter()
            .any(|&(a, _)| a > e && (a <= e + 2 || listed_label(a)))
            && !reported
        {
            return Judgement::Discounted("named");
        }
        // A recent past ("the alarm went off last night") leaves it unclear, for all but an
        // absence, which goes on until fixed, and a lasting state ("the pipe froze last
        // night" is frozen still).
        if !c.absence() && !c.spec.is_some_and(|s| s.lasting) {
            if let Some(&(p, _)) = self.recent.iter().find(|r| !self.present.contains(r)) {
                if !present && !self.present_after(p, e) && !reported {
                    // "…a burning smell at the meter yesterday; they replaced the base and
                    // the smell is gone": told after, the resolution ends it.
                    let ended = self
                        .resolved
                        .iter()
                        .any(|&(r, re)| r > e && !self.present_after(re + 1, re));
                    return if ended {
                        Judgement::Discounted("resolved")
                    } else {
                        Judgement::Unclear(Unclear::PastTense)
                    };
                }
            }
        }
        // A resolution told after the mention began, with nothing present after it (the
        // "now" of "it's fine now" is the resolution's own).
        // For an absence ("no water"), "dry" is the hazard itself, not its end ("dry now"
        // still ends a flood).
        let dry = |(r, re): (usize, usize)| {
            c.absence()
                && tokens.get(re + 1) != Some(&"now")
                && tokens[r..=re]
                    .iter()
                    .any(|t| matches!(*t, "dry" | "seca" | "seco"))
        };
        if let Some(&(_, re)) = self
            .resolved
            .iter()
            // Signs told together are resolved only by what is said after them ("the
            // furnace has been fine, but we've both been dizzy…").
            .find(|&&(r, re)| {
                r + 2 >= s && !dry((r, re)) && (c.kind != Kind::Cluster || r + 3 >= e)
            })
        {
            if !self.present_after(re + 1, e.max(re)) {
                return Judgement::Discounted("resolved");
            }
        }
        // "The basement floods every spring" is not now; an outlet that sparks every time
        // it is used is a danger now.
        if !self.habitual.is_empty() && !present && !c.life_safety() {
            return Judgement::Discounted("habitual");
        }
        // "if he could quote the plugs too, oh and the main panel is humming": the caller
        // moves on to something new, out of the supposition's reach.
        let moves_on = |h: usize| {
            (h + 1..s).any(|k| {
                let next = tokens.get(k + 1).copied();
                (tokens[k] == "oh" && matches!(next, Some("and" | "also" | "yeah" | "plus")))
                    || (tokens[k] == "and" && matches!(next, Some("also" | "another")))
                    || (tokens[k] == "while" && tokens.get(k + 2) == Some(&"have"))
            })
        };
        // "…because the plate is smoking": a reason given is a fact, not a supposition.
        let because =
            |h: usize| (h..s).any(|k| matches!(tokens[k], "because" | "cause" | "cuz" | "porque"));
        if self
            .hypothetical
            .iter()
            .any(|&(h, _)| h <= s + 2 && !because(h) && !moves_on(h))
            && !present
        {
            return Judgement::Discounted("hypothetical");
        }
        // "scared it's gonna burst one of these days": a fear of what may come, the
        // mention the very verb after the modal ("might be carbon monoxide" is a
        // suspicion now, not a fear).
        // (For an object and its state, "the heater… gonna burst", the state.)
        let feared = self.feared.iter().any(|&(_, b)| {
            let at = if b < s { s } else { e };
            b < at
                && b + FEAR_REACH >= at
                && tokens.get(b + 1) != Some(&"be")
                && !clause_break(tokens, b, at)
        }) || self.far_future.iter().any(|&(a, _)| {
            a > e
                && a <= e + FEAR_REACH
                && (s.saturating_sub(FEAR_REACH)..s).any(|k| FUTURE_MODALS.contains(&tokens[k]))
        });
        // The fear's own "it's" is no report.
        let reported_beside_fear = self.report.iter().any(|&(a, b)| {
            b + 6 >= s && a <= e + 6 && !self.feared.iter().any(|&f| overlaps(f, (a, b)))
        });
        if feared && !present && !reported_beside_fear {
            return Judgement::Discounted("feared");
        }
        // "is the tech still coming for the gas smell": the call's own words are no report.
        let reported_beside_call = self.report.iter().any(|&(a, b)| {
            b + 6 >= s && a <= e + 6 && !self.about_a_call.iter().any(|&c| overlaps(c, (a, b)))
        });
        if Self::before_within(&self.about_a_call, s, PRESENT_REACH) && !reported_beside_call {
            return Judgement::Discounted("about_a_call");
        }
        // A bare mention ("carbon monoxide detectors… can you install them") is framed by
        // a request anywhere in the utterance; a report only by one just before it.
        let preventive = if c.kind == Kind::Maybe {
            !self.preventive.is_empty()
        } else {
            Self::before_within(&self.preventive, s, REQUEST_REACH)
        };
        if preventive && !reported && !present {
            return Judgement::Discounted("preventive");
        }
        // "what's that stuff in gas… well my basement reeks of it": a sensed report after
        // the question answers it.
        let sensed_after = self.report.iter().any(|&(a, _)| {
            a > e
                && (tokens[a].starts_with("reek")
                    || matches!(tokens[a], "stinks" | "stinking")
                    || (tokens[a] == "smells"
                        && matches!(tokens.get(a + 1), Some(&("like" | "of")))))
        });
        if (Self::before_within(&self.question, s, PRESENT_REACH) || self.opens_with_question)
            && !reported
            && !sensed_after
            && !present
        {
            return Judgement::Discounted("question");
        }
        if let Some(spec) = c.spec {
            if !spec.requires.is_empty() && !spec.requires.iter().any(|r| contexts.contains(r)) {
                return Judgement::Unclear(Unclear::MissingContext);
            }
        }

        // "a scorch mark on it … it's not warm, no smell, nothing": a mark whose present
        // signs the caller then denies.
        let a_mark = tokens[s..=e]
            .iter()
            .any(|t| MARKS.iter().any(|m| t.starts_with(m)));
        let denied_after = self.negators.iter().any(|&n| {
            n > e
                && n <= e + 12
                && tokens[n + 1..tokens.len().min(n + 3)]
                    .iter()
                    .any(|t| SENSED.iter().any(|p| t.starts_with(p)))
        });
        if a_mark && denied_after && !present {
            return Judgement::Discounted("denied_now");
        }
        if c.kind == Kind::Maybe {
            return Judgement::Unclear(Unclear::Maybe);
        }
        // "a little warm": a mild marker just before the mention, inside it or after it
        // ("won't shut off all the way, just a little trickle").
        if self.mild.iter().any(|&(a, b)| a <= e + 6 && b + 3 >= s) {
            return Judgement::Unclear(Unclear::Mild);
        }
        let lo = span.0.saturating_sub(2);
        let hi = (span.1 + 3).min(tokens.len());
        let past_tense = tokens[lo..hi]
            .iter()
            .any(|t| IRREGULAR_PAST.contains(t) || (t.len() > 4 && t.ends_with("ed")));
        let now = !self.present.is_empty()
            || reported
            || tokens.iter().any(|t| {
                matches!(
                    *t,
                    "is" | "are" | "it's" | "there's" | "keeps" | "esta" | "estan" | "hay"
                )
            })
            || tokens.iter().any(|t| t.ends_with("ing") && t.len() > 5);
        let lasting = c.spec.is_some_and(|s| s.lasting);
        if self.asking.iter().any(|&(a, _)| a > e) && !present {
            return Judgement::Unclear(if past_tense {
                Unclear::AskingAboutPast
            } else {
                Unclear::Asking
            });
        }
        if past_tense && !now && !c.absence() && !lasting {
            return Judgement::Unclear(Unclear::PastTense);
        }
        if self.not_urgent && !c.life_safety() {
            return Judgement::Unclear(Unclear::NotUrgent);
        }
        Judgement::Live
    }
}

#[cfg(test)]
mod tests {
    use super::super::matcher::{candidates, contexts};
    use super::super::normalize::normalize;
    use super::super::table::table;
    use super::*;

    /// The judgements of every mention of `code` in `text`.
    fn judge(text: &str, code: &str) -> Vec<Judgement> {
        let n = normalize(text);
        let tokens: Vec<&str> = n.split_whitespace().collect();
        let m = Markers::of(table(), &tokens);
        let ctx = contexts(table(), &tokens);
        candidates(table(), &tokens, &[])
            .iter()
            .filter(|c| c.code() == code)
            .map(|c| m.judge(&tokens, c, &ctx))
            .collect()
    }

    fn first(text: &str, code: &str) -> Judgement {
        *judge(text, code)
            .first()
            .unwrap_or_else(|| panic!("no {code} in {text:?}"))
    }

    fn live(text: &str, code: &str) -> bool {
        judge(text, code).contains(&Judgement::Live)
    }

    // Each frame, across several hazards.

    #[test]
    fn negation_applies_to_every_hazard_but_not_to_a_hedge() {
        assert_eq!(
            first("we have no gas smell anywhere", "gas_smell"),
            Judgement::Discounted("negated")
        );
        assert_eq!(
            first("the outlet is not hot or anything", "fire_risk"),
            Judgement::Discounted("negated")
        );
        assert_eq!(
            first(
                "no water coming through the ceiling thank god",
                "active_leak"
            ),
            Judgement::Discounted("negated")
        );
        assert!(!live(
            "the lights just went out in two rooms nothing is sparking or smoking",
            "fire_risk"
        ));
        assert!(live(
            "not sure this counts but i smell gas in the laundry room",
            "gas_smell"
        ));
        assert!(live(
            "i don't know if it matters but the switch plate is hot",
            "fire_risk"
        ));
    }

    #[test]
    fn past_and_resolved_events_are_not_happening_now_unless_something_is_current() {
        assert_eq!(
            first("we had sewage come up last spring", "sewage_backup"),
            Judgement::Discounted("past")
        );
        assert_eq!(
            first("the breaker was buzzing two weeks ago", "fire_risk"),
            Judgement::Discounted("past")
        );
        assert_eq!(
            first(
                "the basement flooded but it's all dried out now",
                "flooding"
            ),
            Judgement::Discounted("resolved")
        );
        assert_eq!(
            first(
                "the co alarm went off and then it stopped",
                "carbon_monoxide"
            ),
            Judgement::Discounted("resolved")
        );
        assert!(live(
            "the pipe you fixed last week burst again and water is pouring out",
            "burst_pipe"
        ));
    }

    #[test]
    fn hypotheticals_and_preventive_requests_are_not_reports() {
        assert_eq!(
            first(
                "what if the water heater starts leaking everywhere",
                "active_leak"
            ),
            Judgement::Discounted("hypothetical")
        );
        assert_eq!(
            first("is it normal for the panel to feel warm", "fire_risk"),
            Judgement::Discounted("hypothetical")
        );
        assert!(matches!(
            first(
                "could you put a carbon monoxide detector up by the stairs",
                "carbon_monoxide"
            ),
            Judgement::Discounted(_)
        ));
        assert_eq!(
            first(
                "we want the furnace checked for a gas leak before winter",
                "gas_smell"
            ),
            Judgement::Discounted("preventive")
        );
        assert!(live(
            "can you check it i smell gas by the furnace",
            "gas_smell"
        ));
    }

    #[test]
    fn questions_about_the_shop_and_chirps_and_figures_of_speech_are_not_hazards() {
        assert_eq!(
            first("we'd like pricing for burst pipe repairs", "burst_pipe"),
            Judgement::Discounted("question")
        );
        assert_eq!(
            first(
                "the co detector keeps beeping i think it's the battery",
                "carbon_monoxide"
            ),
            Judgement::Discounted("low_battery")
        );
        assert!(
            judge("my phone has been flooded with calls all day", "flooding")
                .iter()
                .all(|j| *j != Judgement::Live)
        );
    }

    #[test]
    fn required_contexts_and_past_tense_mentions_are_unclear() {
        assert_eq!(
            first("the furnace quit this morning", "no_heat_danger"),
            Judgement::Unclear(Unclear::MissingContext)
        );
        assert!(live(
            "the furnace quit and my mother is 88",
            "no_heat_danger"
        ));
        assert!(live("no heat and it's 5 degrees tonight", "no_heat_danger"));
        assert!(live("heater died we have a newborn", "no_heat_danger"));
        assert_eq!(
            first("the outlet sparked as i plugged in the lamp", "fire_risk"),
            Judgement::Unclear(Unclear::PastTense)
        );
        assert!(live(
            "the outlet sparked and now it smells hot",
            "fire_risk"
        ));
        // A burst pipe stays burst: its past tense is its state.
        assert!(live("the pipe under the sink burst", "burst_pipe"));
        // A crack may weep or spray: asked about.
        assert_eq!(
            first("the pipe under the sink cracked", "burst_pipe"),
            Judgement::Unclear(Unclear::Maybe)
        );
        // New batteries rule out a low battery; a chirp on them is still a chirp.
        assert!(live(
            "the co detector keeps going off and i put new batteries in it",
            "carbon_monoxide"
        ));
        assert_eq!(
            first(
                "the co alarm keeps beeping a chirp a minute even with new batteries",
                "carbon_monoxide"
            ),
            Judgement::Discounted("low_battery")
        );
        // A resolution negated is none; a progressive inside the mention is now.
        assert!(live("a gas smell that won't go away", "gas_smell"));
        assert!(live(
            "the wires where the fixture used to be are glowing",
            "fire_risk"
        ));
        assert_eq!(
            first(
                "the switch sparked when i flipped it is that normal",
                "fire_risk"
            ),
            Judgement::Unclear(Unclear::AskingAboutPast)
        );
    }
    #[test]
    fn fears_denials_and_new_clauses_are_told_apart() {
        // A fear of what may come is not a report; a hazard beside it still is.
        assert_eq!(
            first(
                "our boiler is ancient and i'm nervous it will burst some day",
                "burst_pipe"
            ),
            Judgement::Discounted("feared")
        );
        assert!(live(
            "i'm afraid it could catch fire because the switch plate is smoking",
            "fire_risk"
        ));
        // A fear is only of the very next verb; what is reported beside it is live.
        assert!(live(
            "i'm scared it's gonna blow up the gas smell is so strong",
            "gas_smell"
        ));
        assert!(live(
            "could you look at the dimmer it's so hot i can't hold my hand on it",
            "fire_risk"
        ));
        assert!(live(
            "the floor drain backed up and now standing water covers the basement",
            "flooding"
        ));
        // A negator does not reach into a new clause.
        assert!(live(
            "the breaker won't stay on and it's buzzing loud",
            "fire_risk"
        ));
        assert_eq!(
            first("the breaker isn't buzzing", "fire_risk"),
            Judgement::Discounted("negated")
        );
        // A sense denied right now leaves a price question a question.
        assert_eq!(
            first(
                "how much to check the line for a gas leak it doesn't smell right now we just want peace of mind",
                "gas_smell"
            ),
            Judgement::Discounted("preventive")
        );
        // A caller giving their own name reports nothing.
        assert_eq!(
            first(
                "hi it's diane was the flooding job on elm finished",
                "flooding"
            ),
            Judgement::Discounted("named")
        );
        // An alarm that just went off is sounding now.
        assert!(live(
            "the carbon monoxide alarm upstairs just went off",
            "carbon_monoxide"
        ));
    }

    #[test]
    fn denied_symptoms_slips_and_non_reports_across_hazards() {
        // A symptom denied does not count toward a cluster.
        assert!(!live(
            "no one feels sick, the detector just stored a reading, please look over our boiler",
            "carbon_monoxide"
        ));
        assert!(live(
            "my husband has a pounding headache and i feel dizzy by the boiler",
            "carbon_monoxide"
        ));
        // A dropped letter is still the word.
        assert!(live(
            "there is a gas smel in the upstairs hallway",
            "gas_smell"
        ));
        // Spanish, either order.
        assert!(live(
            "el inodoro de arriba no para de desbordar",
            "overflow"
        ));
        // Equipment named, not a report.
        assert!(!live(
            "could we get a whole house surge protector added on the main panel",
            "fire_risk"
        ));
        assert!(!live(
            "my neighbor relit the little flame on the water heater for us",
            "fire_risk"
        ));
        // A worn stop valve, not water running.
        assert!(!live(
            "the stop under the vanity won't close all the way off anymore",
            "active_leak"
        ));
        assert!(live(
            "the supply line popped loose and it's spraying all over the cabinet",
            "active_leak"
        ));
        // What a visit was for.
        assert!(!live(
            "your guy was out on monday for a burning smell and it never came back",
            "fire_risk"
        ));
        // Standing water is where water ended up: asked.
        assert_eq!(
            first(
                "there is some standing water down in the laundry room",
                "flooding"
            ),
            Judgement::Unclear(Unclear::Maybe)
        );
    }
}
