//! Hazard concepts (what makes a call an emergency) and intent cues. Patterns are word
//! families with short gaps (see `pattern`), in English and Spanish; they describe
//! situations, not particular sentences.

use super::context::Frame;
use super::pattern::Pattern;
use super::{Intent, SafetyAdvice, ServiceType};

/// A hazard found in an utterance, before context decides whether it is live.
#[derive(Debug, Clone)]
pub struct Hazard {
    pub code: &'static str,
    pub service: ServiceType,
    pub life_safety: bool,
    pub safety: Option<SafetyAdvice>,
    /// Token span of the match.
    pub span: (usize, usize),
    pub evidence: String,
    /// Hazards phrased as an absence ("no heat", "no water") are not negated by "no".
    pub inherently_negative: bool,
}

fn any(tokens: &[&str], specs: &[&str]) -> Option<(usize, usize)> {
    specs.iter().find_map(|s| Pattern::parse(s).find(tokens))
}

fn has(tokens: &[&str], words: &[&str]) -> bool {
    tokens.iter().any(|t| {
        words
            .iter()
            .any(|w| w.strip_suffix('*').map_or(*t == *w, |p| t.starts_with(p)))
    })
}

fn has_phrase(tokens: &[&str], specs: &[&str]) -> bool {
    any(tokens, specs).is_some()
}

const WATER_NOUNS: &[&str] = &[
    "water", "water's", "agua", "leak*", "dripping", "gotea*", "rain",
];
const WATER_SEVERE: &[&str] = &[
    "everywhere",
    "spreading",
    "gushing",
    "pouring",
    "shooting",
    "spraying",
    "soaked",
    "sagging",
    "bulging",
    "rising",
    "inch",
    "inches",
    "ceiling",
    "ceiling's",
    "fixture",
    "todos",
    "todo",
    "mucho",
];
const ELECTRIC_NEARBY: &[&str] = &[
    "outlet*",
    "panel",
    "electric*",
    "wires",
    "wiring",
    "fixture",
    "light",
    "breaker*",
];
const VULNERABLE: &[&str] = &[
    "baby",
    "baby's",
    "newborn",
    "infant",
    "elderly",
    "grandma",
    "grandpa",
    "grandmother",
    "grandfather",
    "disabled",
    "oxygen",
    "dialysis",
    "sick",
    "bebe",
    "pregnant",
    "medical",
    "92",
    "90",
];
const COLD: &[&str] = &[
    "freez*", "frozen", "zero", "ice", "icy", "snow*", "frio", "single", "winter",
];

fn severe_water(tokens: &[&str]) -> bool {
    has(tokens, WATER_SEVERE)
        || has_phrase(
            tokens,
            &[
                "all over",
                "won't|can't|wont|cant stop",
                "keeps|keep coming|rising|running",
                "through the ceiling|floor|wall",
                "coming through",
                "running out",
                "por todos",
                "really|pretty bad",
                "into the",
            ],
        )
}

/// Degrees spoken as a number below 56 or above 99 ("it's 51 inside", "105 upstairs").
fn extreme_temperature(tokens: &[&str]) -> (bool, bool) {
    let nums = tokens.iter().filter_map(|t| t.parse::<i32>().ok());
    let mut cold = false;
    let mut hot = false;
    for n in nums {
        cold |= (30..56).contains(&n);
        hot |= (100..125).contains(&n);
    }
    let hot_words = has_phrase(tokens, &["hundred and"])
        || has(tokens, &["heat wave", "overheating", "heatstroke"]);
    (cold, hot || hot_words)
}

/// Every hazard pattern that matches, most dangerous first.
pub fn hazards(tokens: &[&str], extra_keywords: &[String]) -> Vec<Hazard> {
    let mut out = Vec::new();
    let evidence = |(a, b): (usize, usize)| tokens[a..=b.min(tokens.len() - 1)].join(" ");
    let mut push = |code, service, life, safety, span: (usize, usize), neg: bool| {
        out.push(Hazard {
            code,
            service,
            life_safety: life,
            safety,
            span,
            evidence: evidence(span),
            inherently_negative: neg,
        });
    };

    if let Some(s) = any(
        tokens,
        &[
            "smell* gas|propane",
            "gas|propane smell*|odor|odour|leak*",
            "rotten egg*",
            "hiss* gas",
            "gas hiss*",
            "huele gas",
            "olor gas",
            "fuga gas",
        ],
    ) {
        push(
            "gas_smell",
            ServiceType::GasSmell,
            true,
            Some(SafetyAdvice::LeaveAndCallGasCompany),
            s,
            false,
        );
    }
    if let Some(s) = any(
        tokens,
        &[
            "carbon monoxide",
            "monoxide",
            "monoxido",
            "co alarm*|detector*|alarma",
        ],
    ) {
        push(
            "carbon_monoxide",
            ServiceType::CoAlarm,
            true,
            Some(SafetyAdvice::LeaveAndCall911),
            s,
            false,
        );
    }
    if let Some(s) = any(
        tokens,
        &[
            "power|electric|electrical line|lines|wire down|came|fell|fallen|hanging",
            "line* down",
        ],
    ) {
        if has(tokens, &["power", "electric", "electrical", "spark*"]) {
            let service = if has(tokens, &["ceiling", "wall", "outlet*"]) {
                ServiceType::ElectricalRepair
            } else {
                ServiceType::Other
            };
            push(
                "downed_line",
                service,
                true,
                Some(SafetyAdvice::StayAwayCallUtility),
                s,
                false,
            );
        }
    }
    if let Some(s) = any(
        tokens,
        &[
            "spark*",
            "chispa*",
            "caught|on fire",
            "fire",
            "smoke|smoking|smoky|humo",
            "burning smell*|plastic",
            "smell* burn*|melt*|smoke",
            "melting|melted",
            "scorch*",
            "quemado",
            "wall|outlet|panel is black",
            "hot to the touch",
        ],
    ) {
        let detector_only = tokens
            .get(s.0 + 1)
            .is_some_and(|n| matches!(*n, "detector" | "detectors" | "alarm"));
        if !detector_only {
            let service = if has(tokens, &["outlet*", "plug", "enchufe", "socket"]) {
                ServiceType::SparkingOutlet
            } else if has(tokens, &["panel", "breaker*"]) {
                ServiceType::PanelRepair
            } else if has(tokens, &["wire", "wires", "wiring"]) {
                ServiceType::ElectricalRepair
            } else {
                ServiceType::BurningSmell
            };
            push(
                "fire_risk",
                service,
                true,
                Some(SafetyAdvice::FireRisk),
                s,
                false,
            );
        }
    }
    if let Some(s) = any(
        tokens,
        &[
            "sewage|sewer coming|backing|overflow*|all|everywhere|up|water",
            "sewer|sewage",
            "aguas negras",
            "drains backing",
            "cleanout overflow*",
        ],
    ) {
        let active = has(
            tokens,
            &[
                "coming",
                "backing",
                "overflow*",
                "everywhere",
                "all",
                "floor",
                "up",
                "saliendo",
                "running",
                "inch",
            ],
        );
        if active && !has(tokens, &["camera", "smell", "price"]) {
            push(
                "sewage_backup",
                ServiceType::SewerBackup,
                false,
                None,
                s,
                false,
            );
        }
    }
    if let Some(s) = any(
        tokens,
        &[
            "pipe|pipes|line|valve|tubo|tuberia burst|broke|busted|cracked|split|bust|froze",
            "burst|busted|broken pipe|pipes|line",
            "pipe burst",
            "rompio|revento tubo|tuberia",
            "let go",
        ],
    ) {
        let service = if has(tokens, &["froze", "frozen", "thawed"]) {
            ServiceType::FrozenPipe
        } else if has_phrase(tokens, &["water heater"]) {
            ServiceType::WaterHeater
        } else if has(tokens, &["sink", "fregadero"]) && !has(tokens, &["todos"]) {
            ServiceType::LeakRepair
        } else {
            ServiceType::BurstPipe
        };
        let live_water = severe_water(tokens)
            || has(
                tokens,
                &["gushing", "spraying", "shooting", "still", "agua"],
            )
            || has_phrase(tokens, &["can't|cant|no turn|cerrar", "turn off|off"]);
        if live_water || service == ServiceType::BurstPipe {
            push(
                "burst_pipe",
                service,
                false,
                Some(SafetyAdvice::ShutOffWater),
                s,
                false,
            );
        }
    }
    if let Some(s) = any(
        tokens,
        &["steam", "relief pipe|valve shooting|spraying|blowing"],
    ) {
        if has_phrase(tokens, &["water heater"]) || has(tokens, &["relief"]) {
            push(
                "scald_risk",
                ServiceType::WaterHeater,
                false,
                Some(SafetyAdvice::ShutOffWater),
                s,
                false,
            );
        }
    }
    if let Some(s) = any(tokens, &["overflow*", "overflowed"]) {
        if severe_water(tokens) || has_phrase(tokens, &["won't|wont stop"]) {
            let service = if has(tokens, &["toilet"]) {
                ServiceType::ToiletRepair
            } else {
                ServiceType::Flooding
            };
            push(
                "overflow",
                service,
                false,
                Some(SafetyAdvice::ShutOffWater),
                s,
                false,
            );
        }
    }
    if let Some(s) = any(
        tokens,
        &[
            "flood*",
            "inunda*",
            "water everywhere",
            "inch|inches of water",
            "standing water",
            "agua por todos",
            "water running out|under",
            "water rising",
        ],
    ) {
        let figurative = tokens
            .get(s.0 + 1)
            .is_some_and(|n| matches!(*n, "light" | "lights" | "damage" | "insurance" | "zone"));
        if !figurative {
            let near_electric = has(tokens, ELECTRIC_NEARBY);
            let service = if has(tokens, &["sump"]) {
                ServiceType::SumpPump
            } else {
                ServiceType::Flooding
            };
            let safety = if near_electric {
                SafetyAdvice::WaterNearElectrics
            } else {
                SafetyAdvice::ShutOffWater
            };
            push("flooding", service, near_electric, Some(safety), s, false);
        }
    }
    if has(tokens, WATER_NOUNS) && severe_water(tokens) {
        let start = tokens
            .iter()
            .position(|t| {
                WATER_NOUNS
                    .iter()
                    .any(|w| w.strip_suffix('*').map_or(*t == *w, |p| t.starts_with(p)))
            })
            .unwrap_or(0);
        let near_electric = has(
            tokens,
            &[
                "outlet*",
                "outlets",
                "panel",
                "fixture",
                "light",
                "electric*",
            ],
        );
        let service = if has_phrase(tokens, &["water heater"]) || has(tokens, &["calentador"]) {
            ServiceType::WaterHeater
        } else if has(tokens, &["toilet"]) {
            ServiceType::ToiletRepair
        } else if has(tokens, &["hose", "washing", "laundry"]) && has(tokens, &["flood*"]) {
            ServiceType::Flooding
        } else if has(tokens, &["rain", "roof", "tree"]) {
            ServiceType::Other
        } else {
            ServiceType::LeakRepair
        };
        let safety = if near_electric {
            SafetyAdvice::WaterNearElectrics
        } else {
            SafetyAdvice::ShutOffWater
        };
        push(
            "active_leak",
            service,
            near_electric,
            Some(safety),
            (start, start),
            false,
        );
    }
    if let Some(s) = any(
        tokens,
        &[
            "no running water",
            "no water",
            "don't|dont|doesn't have|got water",
            "nada de agua",
            "sin agua",
            "water's|water is off|out",
            "don't have any water",
        ],
    ) {
        if !has(tokens, &["hot", "heater", "damage"])
            && !has_phrase(tokens, &["no water on", "no water in the"])
            || has(tokens, &["all", "nada", "whole", "nothing"])
        {
            push("no_water", ServiceType::NoWater, false, None, s, true);
        }
    }
    let (cold_reading, hot_reading) = extreme_temperature(tokens);
    if let Some(s) = any(
        tokens,
        &[
            "no heat",
            "heat|heater|furnace went|is|quit|died|out|stopped|won't|isn't",
            "heat*|furnace* blowing cold",
            "calefaccion",
            "furnace not working",
        ],
    ) {
        let dire = has(tokens, VULNERABLE) || has(tokens, COLD) || cold_reading;
        if dire && !has(tokens, &["detached", "garage's"]) {
            push("no_heat_danger", ServiceType::NoHeat, false, None, s, true);
        }
    }
    if let Some(s) = any(
        tokens,
        &[
            "ac|cooling quit|dead|out|died|stopped|broke|isn't|won't",
            "no ac|cooling",
        ],
    ) {
        if has(tokens, VULNERABLE)
            && (hot_reading || has(tokens, &["overheating", "hot", "dizzy", "heat"]))
            || hot_reading && has(tokens, VULNERABLE)
        {
            push("no_cooling_danger", ServiceType::NoAc, false, None, s, true);
        }
    }
    if let Some(s) = any(
        tokens,
        &[
            "lost|no power",
            "power's|power is out|off",
            "half the house",
        ],
    ) {
        if has(tokens, &["oxygen", "medical", "dialysis", "ventilator"]) {
            push(
                "power_medical",
                ServiceType::PowerOutage,
                true,
                None,
                s,
                true,
            );
        } else if has(
            tokens,
            &[
                "neighbors",
                "neighbor's",
                "only",
                "just",
                "flickering",
                "dimming",
            ],
        ) && has(tokens, &["burn*", "smell*", "flicker*"])
        {
            push(
                "power_fault",
                ServiceType::PowerOutage,
                true,
                Some(SafetyAdvice::FireRisk),
                s,
                true,
            );
        }
    }
    for kw in extra_keywords {
        let kw_tokens: Vec<&str> = kw.split_whitespace().collect();
        if !kw_tokens.is_empty() {
            if let Some(pos) = tokens
                .windows(kw_tokens.len())
                .position(|w| w == kw_tokens.as_slice())
            {
                push(
                    "tenant_keyword",
                    ServiceType::Other,
                    false,
                    None,
                    (pos, pos + kw_tokens.len() - 1),
                    false,
                );
            }
        }
    }
    out
}

/// Calls that are not leads: misdials, sales and robocalls, calls meant for another
/// business, and housekeeping (paying a bill, saying thanks).
const NOT_A_LEAD: &[&str] = &[
    "wrong number",
    "butt dialed",
    "dialed wrong",
    "pocket dial*",
    "sorry wrong",
    "number equivocado",
    "press one|1|2|two",
    "extended warranty",
    "business listing",
    "google listing|ranking|page",
    "seo|ranking|rankings",
    "energy bill",
    "are you hiring",
    "looking for work",
    "quick survey",
    "calling from",
    "your order's|order ready",
    "is this the dentist|clinic|pharmacy|restaurant|school|office|vet",
    "lawn guy",
    "do you mow",
    "pet clinic",
    "pay the|my invoice|bill",
    "say thanks|thank",
    "returning a missed call",
    "can you hear me",
    "we're all good",
    "all good",
];

/// The business owner asking about their own book of work.
const OWNER_QUERY: &[&str] = &[
    "this is the owner",
    "read me",
    "today's jobs",
    "what's|what on my|the schedule|calendar",
    "my schedule today|tomorrow|look|for",
    "my first appointment|job",
    "my two|three|one|four|ten|eleven|nine o'clock",
    "block off",
    "how many calls|jobs|bookings|leads",
    "any new bookings|leads|calls|messages",
    "any cancellations|emergencies|callbacks",
    "did we get",
    "did the|that job|customer|appointment get|go|pay",
    "did the|that lady|guy|man|woman|customer|client|homeowner|landlord",
    "what's|what|does today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday look",
    "truck's|van's|crew's schedule|day|route",
    "'s truck|van|crew",
    "jobs booked",
    "job get scheduled|booked|done",
];

const HUMAN: &[&str] = &[
    "talk|speak to|with someone|somebody|person|human|manager|owner|tech|real|alguien|anyone",
    "hablar con",
    "representative",
    "operator",
    "agent agent",
    "get me a human",
    "is someone|somebody|anybody|anyone around|there|available",
    "real person",
];

const CANCEL: &[&str] = &[
    "call off",
    "don't need the|you|anyone|anybody anymore",
    "won't need the|you",
    "take|taking us|me|it off the schedule|calendar|books|list",
    "no longer need",
];

/// Words that say an appointment already exists ("we have the plumber coming monday").
const EXISTING_BOOKING: &[&str] = &[
    "have|had|got a|the|my|you appointment|visit|install|plumber|electrician|handyman|tech|technician|guy|someone|somebody|upgrade|job|service|repair|inspection|cleaning|estimate",
    "have|had|got coming|scheduled|booked|down",
    "you're|you|plumber|tech|guy supposed to come|be",
    "had you down",
    "my appointment",
    "our appointment",
    "mi cita",
];

/// Words that ask for a different time than the one booked.
const MOVE_CUES: &[&str] = &[
    "instead",
    "push it|back|to",
    "bump it|us|me",
    "move it|us|me|the|my",
    "switch it|my|the|to",
    "change it|my|the",
    "can it be",
    "could|can we do|make",
    "anything later|earlier|else",
    "something later|earlier",
    "different day|time",
    "later the same day",
    "another day|time",
];

const QUESTION: &[&str] = &[
    "do you|y'all|ya",
    "do|does your|anyone",
    "can it wait",
    "emergency or",
    "are you|y'all",
    "how much|far|long|soon",
    "what's|what your|are",
    "what's the price|cost|charge",
    "what does that|it run|cost",
    "what brands|kind|are|should|do",
    "where are",
    "is there a|someone|anyone",
    "is this the",
    "cuanto",
    "hablan",
    "trabajan",
    "ustedes",
    "is that|it normal|bad|safe|okay|ok",
    "should i|we",
    "will that|my|it",
    "wondering if|whether",
    "get|send a text|call|heads when|before|up",
    "text|call me when|before",
];

/// A question about policy, price or advice; a booking request phrased with it is still
/// a question ("will you put in a sink I got myself").
const POLICY_QUESTION: &[&str] = &[
    "do you|y'all",
    "how much",
    "price|cost|charge|financing",
    "bought|got myself|ourselves",
    "my|our own",
    "is this the number|right",
    "is that|it normal|bad|safe",
    "should i|we",
    "wondering if|whether",
];

const REQUEST: &[&str] = &[
    "come out|by|over|look|check",
    "send someone|somebody|a",
    "look at",
    "i need",
    "we need",
    "need a|someone|somebody|my|it|to",
    "i'd like",
    "id like",
    "would like",
    "we want|wanna",
    "i want to|wanna",
    "get on the books",
    "set up",
    "schedule",
    "book",
    "appointment",
    "necesito",
    "necesitamos",
    "queremos",
    "quisiera",
    "pueden|podrian venir|mandar",
    "cita",
    "get somebody|someone",
    "have someone|somebody",
    "can|could you check|fix|come|send|look|replace|install|take|snake|clean",
    "can|could somebody|someone",
    "give us a quote",
    "get a quote|an estimate",
    "upgraded|installed|replaced|fixed|cleaned|serviced|scoped",
    "to get my|our",
];

/// Something is broken: a description of a fault is a request for a visit.
const FAULT: &[&str] = &[
    "won't|wont|doesn't|isn't|not|can't work*|start*|spin*|drain*|turn*|flush*|stop*|heat*|cool*|light*|come",
    "no hot water",
    "broke|broken|busted|stopped|quit|died|dead",
    "hums|humming|clogged|backed|leaking|leaks|dripping|drips|tripping|flickering",
];

/// Intent of a non-emergency utterance, with a confidence 0..1.
pub fn intent(tokens: &[&str], frame: &Frame) -> (Intent, f32) {
    let t = tokens;
    if t.is_empty() {
        return (Intent::Other, 0.0);
    }
    if has_phrase(t, NOT_A_LEAD) || frame.joking {
        return (Intent::Other, 0.8);
    }
    if has_phrase(t, OWNER_QUERY) {
        return (Intent::OwnerQuery, 0.8);
    }
    // "is <someone> around?": a caller asking for a particular person.
    let asks_for_person = t
        .windows(3)
        .any(|w| w[0] == "is" && matches!(w[2], "around" | "available"));
    if has_phrase(t, HUMAN) || asks_for_person {
        return (Intent::Human, 0.85);
    }
    if has(t, &["cancel*", "cancelar"]) || has_phrase(t, CANCEL) {
        return (Intent::Cancel, 0.85);
    }
    let existing = has_phrase(t, EXISTING_BOOKING);
    if has(t, &["reschedul*", "postpone", "reprogramar"])
        || has_phrase(
            t,
            &[
                "re schedule",
                "cambiar mi|la cita",
                "change|move|switch|push my|the|our appointment|visit|cita",
            ],
        )
        || (existing || has_phrase(t, &["schedule changed", "something came up"]))
            && has_phrase(t, MOVE_CUES)
    {
        return (Intent::Reschedule, 0.85);
    }
    let question = has_phrase(t, QUESTION);
    let request = has_phrase(t, REQUEST);
    let policy = has_phrase(t, POLICY_QUESTION);
    if (question || policy && has_phrase(t, &["can|could you"])) && (!request || policy) {
        return (Intent::Faq, 0.8);
    }
    if request {
        return (Intent::Schedule, 0.85);
    }
    if super::service::classify(t) != ServiceType::Other || has_phrase(t, FAULT) {
        return (Intent::Schedule, 0.6);
    }
    if question {
        return (Intent::Faq, 0.6);
    }
    (Intent::Other, 0.3)
}
