//! Triage: is this an emergency, what does the caller want, and what kind of job is it.
//!
//! Pure and deterministic. Speech arrives as Twilio's recogniser delivers it (lower case,
//! little punctuation, misheard words), so [`normalize`] repairs common recognition slips.
//! Then:
//! - [`matcher`] finds the hazards of the table (`hazards.toml`, read by [`table`]): gas,
//!   carbon monoxide, electrical burning, water, sewage, no heat…;
//! - [`frames`] decides, the same way for every hazard, whether each mention is happening
//!   now, past, resolved, negated, hypothetical, preventive, a question, or unclear;
//! - [`model`], a linear model over words, character 4-grams and that reading, trained on
//!   a corpus written for it (never on the evaluation sets), weighs it all.
//!
//! Life safety leans to safety: a gas, CO or electrical-burning mention that is not clearly
//! past, preventive or negated is an emergency whatever the model says. A hazard mentioned
//! without a clear "now" makes the receptionist ask ([`Clarify`]).

pub mod features;
pub mod frames;
mod intents;
pub use intents::{cancel_said, existing_booking, housekeeping};
pub mod matcher;
pub mod model;
pub mod normalize;
mod pattern;
mod service;
pub mod table;

pub use service::ServiceType;

use serde::{Deserialize, Serialize};

/// What the caller wants from this call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Schedule,
    Reschedule,
    Cancel,
    Emergency,
    Faq,
    OwnerQuery,
    Human,
    Other,
}

impl Intent {
    /// Every intent (the model's class order).
    pub const ALL: [Intent; 8] = [
        Intent::Schedule,
        Intent::Reschedule,
        Intent::Cancel,
        Intent::Emergency,
        Intent::Faq,
        Intent::OwnerQuery,
        Intent::Human,
        Intent::Other,
    ];

    /// The intent of a wire name.
    pub fn parse(name: &str) -> Option<Intent> {
        Self::ALL.into_iter().find(|i| i.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Intent::Schedule => "schedule",
            Intent::Reschedule => "reschedule",
            Intent::Cancel => "cancel",
            Intent::Emergency => "emergency",
            Intent::Faq => "faq",
            Intent::OwnerQuery => "owner_query",
            Intent::Human => "human",
            Intent::Other => "other",
        }
    }
}

/// Safety instructions that must be spoken before anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyAdvice {
    /// Gas smell: leave now, no switches or flames, call the gas company or 911 from outside.
    LeaveAndCallGasCompany,
    /// Carbon monoxide: everyone out into fresh air, call 911.
    #[serde(alias = "leave_and_call_911")]
    LeaveAndCall911,
    /// Downed power line: stay away, call the utility.
    StayAwayCallUtility,
    /// Sparking, smoke or burning: if you see flames or smoke, leave and call 911.
    FireRisk,
    /// Water near electrics: stay out of the water; shut the water off if safe.
    WaterNearElectrics,
    /// Running water: shut off the main water valve if you can.
    ShutOffWater,
    /// A shock from a fixture or appliance: don't touch it; the main breaker off if safe.
    ElectricShock,
}

/// One reason a decision was taken: a code and the words that triggered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Reason {
    pub code: String,
    pub evidence: String,
}

/// The triage of one utterance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Triage {
    pub emergency: bool,
    /// Gas, carbon monoxide, fire/sparking, downed lines, flooding near electrics.
    pub life_safety: bool,
    pub intent: Intent,
    pub service: ServiceType,
    /// 0..1: how sure the rules are of the intent.
    pub confidence: f32,
    pub reasons: Vec<Reason>,
    pub safety: Option<SafetyAdvice>,
    /// The caller spoke Spanish.
    pub spanish: bool,
    /// Not an emergency yet, but a hazard was mentioned without a clear "now": ask this.
    pub clarify: Option<Clarify>,
    /// The model's probability that this reports an emergency (0..1).
    pub emergency_p: f32,
    /// Not a lead: a wrong number, a robocall, a sales pitch, a job seeker.
    pub not_a_lead: bool,
}

impl Triage {
    /// Whether only the model saw an emergency here: no hazard the rules read is live.
    pub fn by_model_alone(&self) -> bool {
        self.emergency
            && !self.life_safety
            && self.reasons.iter().any(|r| r.code == "model_emergency")
    }

    /// Drops an emergency only the model saw, and its question: for an answer to a
    /// question about details (a name, an address, a day), which reports nothing.
    /// `just_details`: the answer is the detail asked for and nothing more (an address),
    /// so even a hunch with a service of its own is about the details' words.
    pub fn ignore_model_alone(&mut self, just_details: bool) {
        // A hunch with a service of its own ("the floor drain is backing up") is more than
        // details; one about nothing in particular is not.
        if self.by_model_alone() && (self.service == ServiceType::Other || just_details) {
            self.emergency = false;
            self.safety = None;
            self.intent = Intent::Other;
        }
        if self.clarify.as_ref().is_some_and(|c| c.code == "model") {
            self.clarify = None;
        }
    }

    /// Turns an emergency only the model saw into the model's question ("Is this happening
    /// right now…?"), for a turn whose context says the caller is about something else
    /// (the job they already have booked).
    pub fn doubt_model_alone(&mut self) {
        if !self.by_model_alone() {
            return;
        }
        self.emergency = false;
        self.safety = None;
        self.intent = Intent::Other;
        self.clarify = Some(Clarify {
            code: "model".into(),
            ask_en: GENERIC_ASK_EN.into(),
            ask_es: GENERIC_ASK_ES.into(),
            service: self.service,
            life_safety: false,
            safety: None,
            context: false,
        });
    }
}

/// A hazard mentioned without a clear "now": the receptionist asks before the call goes on
/// ("Is water coming out right now?"), and the answer decides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clarify {
    /// The hazard's reason code (`burst_pipe`), or `model` when only the model saw it.
    pub code: String,
    /// The question, in English and Spanish.
    pub ask_en: String,
    pub ask_es: String,
    /// The service type the hazard points to, when the answer is yes.
    pub service: ServiceType,
    pub life_safety: bool,
    pub safety: Option<SafetyAdvice>,
    /// The question asks for a missing context ("is anyone elderly or a baby?") rather
    /// than whether it is happening now.
    #[serde(default)]
    pub context: bool,
}

/// The rules' reading of one utterance, before the model weighs it.
#[derive(Debug)]
pub struct Reading<'t> {
    pub normalized: String,
    pub mentions: Vec<(matcher::Candidate<'t>, frames::Judgement)>,
    pub markers: frames::Markers,
    pub contexts: std::collections::BTreeSet<String>,
    pub rule_intent: (Intent, f32),
    pub rule_service: ServiceType,
    pub spanish: bool,
}

impl Reading<'_> {
    /// The reading as the model's rule features (see `features`).
    pub fn rule_features(&self) -> Vec<String> {
        let mut v = Vec::new();
        for (c, j) in &self.mentions {
            let verdict = match j {
                frames::Judgement::Live => "live",
                frames::Judgement::Unclear(_) => "unclear",
                frames::Judgement::Discounted(why) => why,
            };
            v.push(format!("h:{}:{verdict}", c.code()));
            v.push(format!("hv:{verdict}"));
            if c.life_safety() {
                v.push(format!("hl:{verdict}"));
            }
        }
        v.extend(self.markers.names().iter().map(|m| format!("f:{m}")));
        v.extend(self.contexts.iter().map(|c| format!("c:{c}")));
        v.push(format!("ri:{}", self.rule_intent.0.as_str()));
        v.push(format!("rs:{}", self.rule_service.as_str()));
        if self.spanish {
            v.push("lang:es".into());
        }
        v
    }
}

/// Reads `text` with the hazard table, the frames and the intent cues.
pub fn read(text: &str, extra_keywords: &[String]) -> Reading<'static> {
    let t = table::table();
    let normalized = normalize::normalize(text);
    let tokens: Vec<&str> = normalized.split_whitespace().collect();
    let markers = frames::Markers::of(t, &tokens);
    let contexts = matcher::contexts(t, &tokens);
    let mentions = matcher::candidates(t, &tokens, extra_keywords)
        .into_iter()
        .map(|c| {
            let j = markers.judge(&tokens, &c, &contexts);
            (c, j)
        })
        .collect();
    let joking = markers.names().contains(&"joke");
    let rule_intent = intents::intent(&tokens, joking);
    let rule_service = service::classify(&tokens);
    let spanish = normalize::looks_spanish(&tokens);
    Reading {
        mentions,
        markers,
        contexts,
        rule_intent,
        rule_service,
        spanish,
        normalized,
    }
}

/// Whether `text` tells of a fault in something the trades work on, without asking a
/// question ("the furnace smelled like something burning when it came on"): the intent
/// cues read a request or a fault, or nothing at all, and equipment is named.
pub fn tells_a_fault(text: &str) -> bool {
    let (intent, confidence) = read(text, &[]).rule_intent;
    let told = intent == Intent::Schedule || (intent == Intent::Other && confidence <= 0.3);
    told && names_equipment(text)
}

/// Whether `text` names something in a building the trades work on: a fixture, a pipe, an
/// electrical part, a fuel-burning appliance (the hazard table's groups) or a household
/// appliance. A request that names one says what the job is, even when it fits no service
/// type ("the garbage disposal just hums").
pub fn names_equipment(text: &str) -> bool {
    const GROUPS: [&str; 4] = ["fixture", "pipe", "electric", "fuel_appliance"];
    const APPLIANCES: [&str; 8] = [
        "disposal",
        "dishwasher",
        "thermostat",
        "softener",
        "faucet",
        "refrigerator",
        "fridge",
        "microwave",
    ];
    let t = table::table();
    let n = normalize::normalize(text);
    n.split_whitespace().any(|w| {
        APPLIANCES.contains(&w)
            || GROUPS
                .iter()
                .any(|g| t.groups.get(*g).is_some_and(|s| s.matches(w)))
    })
}

/// Above this, the model alone makes an utterance an emergency.
pub const MODEL_EMERGENCY: f32 = 0.70;
/// Between this and [`MODEL_EMERGENCY`], the model alone makes the receptionist ask.
pub const MODEL_ASK: f32 = 0.45;
/// Below this, the model overrules a live hazard that is not a life-safety one.
pub const MODEL_VETO: f32 = 0.05;
/// The model alone makes an emergency of a mention the rules judged unclear above this.
pub const MODEL_OVER_UNCLEAR: f32 = 0.85;
/// The model alone makes an emergency of a mention the rules discounted above this.
pub const MODEL_OVER_DISCOUNT: f32 = 0.97;
/// A confident rule intent stands when the model gives it at least this probability.
pub const RULE_STANDS: f32 = 0.4;
/// A life-safety mention told only in the past tense ("the detector went off") is an
/// emergency unless the model puts it below this; then the receptionist asks.
pub const LIFE_SAFETY_LEAN: f32 = 0.15;

/// The question asked when only the model suspects an emergency.
const GENERIC_ASK_EN: &str =
    "Is this happening right now, and is anyone in danger or is something being damaged?";
const GENERIC_ASK_ES: &str =
    "¿Está pasando en este momento, y hay alguien en peligro o algo dañándose?";

/// Triage of one utterance; `extra_keywords` are the tenant's own emergency phrases.
pub fn classify(text: &str, extra_keywords: &[String]) -> Triage {
    classify_with(text, extra_keywords, model::model())
}

/// How the model's probability and the rules' reading are combined (the constants above).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tuning {
    pub model_emergency: f32,
    pub model_ask: f32,
    pub model_veto: f32,
    pub life_safety_lean: f32,
    /// A confident rule intent stands over the model's when the model gives it this much.
    pub rule_stands: f32,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            model_emergency: MODEL_EMERGENCY,
            model_ask: MODEL_ASK,
            model_veto: MODEL_VETO,
            life_safety_lean: LIFE_SAFETY_LEAN,
            rule_stands: RULE_STANDS,
        }
    }
}

/// [`classify`] with another model (the trainer's cross-checks); an empty model leaves
/// everything to the rules.
pub fn classify_with(text: &str, extra_keywords: &[String], m: &model::Model) -> Triage {
    classify_tuned(text, extra_keywords, m, Tuning::default())
}

/// [`classify_with`] with other thresholds (the trainer's sweep).
pub fn classify_tuned(
    text: &str,
    extra_keywords: &[String],
    m: &model::Model,
    tuning: Tuning,
) -> Triage {
    let r = read(text, extra_keywords);
    let tokens: Vec<&str> = r.normalized.split_whitespace().collect();
    let trained = !m.keys.is_empty();
    let p = m.predict(&features::extract(&tokens, &r.rule_features()));
    let p_emergency = if trained { p.emergency() } else { 0.5 };
    let mut reasons = Vec::new();
    let mut live = Vec::new();
    let mut unclear = Vec::new();
    for (c, j) in &r.mentions {
        match j {
            frames::Judgement::Live => live.push(c),
            frames::Judgement::Unclear(why) => {
                reasons.push(Reason {
                    code: format!("unclear_{}:{why:?}", c.code()),
                    evidence: c.evidence.clone(),
                });
                unclear.push(c)
            }
            frames::Judgement::Discounted(why) => reasons.push(Reason {
                code: format!("discounted_{}:{why}", c.code()),
                evidence: c.evidence.clone(),
            }),
        }
    }
    // Life safety leans to safety: a gas, CO or electrical-burning mention that is not
    // clearly past, preventive or negated is an emergency whatever the model says; one
    // told only in the past tense, named bare ("carbon monoxide"), a little of it, or
    // asked about while it happens ("is that bad?") is too, unless the model is sure it is
    // not. One asked about after it happened, or missing its context, is asked about.
    let leaning = |c: &&&matcher::Candidate<'_>| {
        r.mentions.iter().any(|(m, j)| {
            m.span == c.span
                && m.code() == c.code()
                && matches!(
                    j,
                    frames::Judgement::Unclear(
                        frames::Unclear::PastTense
                            | frames::Unclear::NotUrgent
                            | frames::Unclear::Maybe
                            | frames::Unclear::Mild
                            | frames::Unclear::Asking
                    )
                )
        }) && (!trained || p_emergency >= tuning.life_safety_lean)
    };
    let life = live
        .iter()
        .find(|c| c.life_safety())
        .or_else(|| unclear.iter().filter(|c| c.life_safety()).find(leaning))
        .copied();
    unclear.retain(|c| life.is_none_or(|l| l.code() != c.code()));
    let routine_live = live.iter().find(|c| !c.life_safety()).copied();
    // A phrase the owner listed as an emergency is their policy: the model never vetoes it.
    let owner_listed = live
        .iter()
        .find(|c| c.kind == matcher::Kind::Keyword)
        .copied();
    let by_hazard = life
        .or(owner_listed)
        .or(routine_live.filter(|_| p_emergency >= tuning.model_veto || !trained));
    // The model alone needs more when the rules read a mention and judged it: discounted
    // ("it was fixed last week"), or told about after it happened.
    let judged = r
        .mentions
        .iter()
        .filter(|(_, j)| !matches!(j, frames::Judgement::Live))
        .map(|(_, j)| match j {
            frames::Judgement::Discounted(_)
            | frames::Judgement::Unclear(frames::Unclear::AskingAboutPast) => MODEL_OVER_DISCOUNT,
            _ => MODEL_OVER_UNCLEAR,
        })
        .fold(tuning.model_emergency, f32::max);
    // An everyday fault told with urgency and nothing dangerous beside it ("no hot water
    // and it's urgent"), or the danger's signs checked and denied ("the detector reads
    // zero"), or mostly numbers (a phone number read out): the model's hunch is asked
    // about, never dispatched on.
    let frames = &table::table().frames;
    let routine_only = r.mentions.is_empty()
        && (matcher::mostly_numbers(&tokens)
            || frames
                .routine
                .iter()
                .chain(&frames.all_clear)
                .any(|p| !p.find_all(&tokens).is_empty()));
    let by_model = by_hazard.is_none() && trained && p_emergency >= judged && !routine_only;
    let emergency = by_hazard.is_some() || by_model;
    let life_safety = life.is_some();
    for c in live.iter().chain(life.iter()) {
        if !reasons.iter().any(|x| x.code == c.code()) {
            reasons.push(Reason {
                code: c.code().to_string(),
                evidence: c.evidence.clone(),
            });
        }
    }
    if routine_live.is_some() && by_hazard.is_none() {
        reasons.push(Reason {
            code: "model_not_emergency".into(),
            evidence: format!("p={p_emergency:.2}"),
        });
    }
    if by_model {
        reasons.push(Reason {
            code: "model_emergency".into(),
            evidence: format!("p={p_emergency:.2}"),
        });
    }
    let (model_service, service_p) = p.best_service();
    let service = match by_hazard {
        Some(c) if c.service != ServiceType::Other => c.service,
        // The model's "no particular service" never hides a trade word the rules read
        // ("que revisen la calefaccion").
        _ if trained
            && service_p >= 0.35
            && !(model_service == ServiceType::Other && r.rule_service != ServiceType::Other) =>
        {
            model_service
        }
        _ => r.rule_service,
    };
    let safety = by_hazard.and_then(|c| c.safety()).or_else(|| {
        live.iter()
            .chain(unclear.iter())
            .filter_map(|c| c.safety())
            .min_by_key(|s| *s as u8)
    });
    let clarify = if emergency {
        None
    } else if let Some(c) = unclear.first().or(routine_live.as_ref()) {
        let context = r.mentions.iter().any(|(m, j)| {
            m.span == c.span
                && m.code() == c.code()
                && *j == frames::Judgement::Unclear(frames::Unclear::MissingContext)
        });
        c.spec.map(|s| Clarify {
            code: s.code.clone(),
            ask_en: s.ask.en.clone(),
            ask_es: s.ask.es.clone(),
            service: c.service,
            // A missing context is asked about, never leaned on.
            life_safety: s.life_safety && !context,
            safety: s.safety,
            context,
        })
    } else if trained && p_emergency >= tuning.model_ask {
        Some(Clarify {
            code: "model".into(),
            ask_en: GENERIC_ASK_EN.into(),
            ask_es: GENERIC_ASK_ES.into(),
            service,
            life_safety: false,
            safety: None,
            context: false,
        })
    } else {
        None
    };
    let (intent, confidence) = if emergency {
        (
            Intent::Emergency,
            if life_safety || live.len() > 1 {
                0.95
            } else {
                p_emergency.max(0.85)
            },
        )
    } else if trained && routine_only && p_emergency >= tuning.model_emergency {
        // The model saw an emergency the routine frame overruled: its routine intents are
        // noise beside it, so the rules' reading stands.
        r.rule_intent
    } else if trained {
        // A confident rule stands when the model gives it a fair chance too.
        let (rule, rule_conf) = r.rule_intent;
        let best = p.best_routine_intent();
        if rule != best.0
            && (rule_conf >= intents::DECISIVE
                || rule_conf >= 0.85 && p.intent_p(rule) >= tuning.rule_stands)
        {
            (rule, p.intent_p(rule))
        } else {
            best
        }
    } else {
        r.rule_intent
    };
    if !emergency {
        reasons.push(Reason {
            code: format!("intent_{}", intent.as_str()),
            evidence: r.normalized.chars().take(80).collect(),
        });
    }
    Triage {
        emergency,
        life_safety,
        intent,
        service,
        confidence,
        reasons,
        safety: if emergency { safety } else { None },
        spanish: r.spanish,
        clarify,
        emergency_p: p_emergency,
        not_a_lead: !emergency && intent == Intent::Other && intents::not_a_lead(&tokens),
    }
}

#[cfg(test)]
mod tests;
