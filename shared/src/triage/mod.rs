//! Triage: is this an emergency, what does the caller want, and what kind of job is it.
//!
//! Pure and deterministic. Speech arrives as Twilio's recogniser delivers it (lower case,
//! little punctuation, misheard words), so [`normalize`] repairs common recognition slips
//! before the concept patterns in [`lexicon`] are matched, and [`context`] decides whether
//! a matched hazard is real now (not negated, not past, not hypothetical, not a joke).

pub mod context;
pub mod lexicon;
pub mod normalize;
mod pattern;
mod service;

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
    LeaveAndCall911,
    /// Downed power line: stay away, call the utility.
    StayAwayCallUtility,
    /// Sparking, smoke or burning: if you see flames or smoke, leave and call 911.
    FireRisk,
    /// Water near electrics: stay out of the water; shut the water off if safe.
    WaterNearElectrics,
    /// Running water: shut off the main water valve if you can.
    ShutOffWater,
}

/// One reason a decision was taken: a code and the words that triggered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

/// Triage of one utterance; `extra_keywords` are the tenant's own emergency phrases.
pub fn classify(text: &str, extra_keywords: &[String]) -> Triage {
    let norm = normalize::normalize(text);
    let tokens: Vec<&str> = norm.split_whitespace().collect();
    let spanish = normalize::looks_spanish(&tokens);
    let hazards = lexicon::hazards(&tokens, extra_keywords);
    let frame = context::Frame::of(&tokens);
    let mut reasons = Vec::new();
    let mut live = Vec::new();
    for h in hazards {
        match frame.discount(&tokens, &h) {
            Some(why) => reasons.push(Reason {
                code: format!("discounted_{}:{why}", h.code),
                evidence: h.evidence.clone(),
            }),
            None => live.push(h),
        }
    }
    let emergency = !live.is_empty();
    let life_safety = live.iter().any(|h| h.life_safety);
    let safety = live
        .iter()
        .filter_map(|h| h.safety)
        .min_by_key(|s| *s as u8);
    for h in &live {
        reasons.push(Reason {
            code: h.code.to_string(),
            evidence: h.evidence.clone(),
        });
    }
    let service = live
        .first()
        .map(|h| h.service)
        .filter(|s| *s != ServiceType::Other)
        .unwrap_or_else(|| service::classify(&tokens));
    let (intent, confidence) = if emergency {
        (
            Intent::Emergency,
            if live.len() > 1 || life_safety {
                0.95
            } else {
                0.85
            },
        )
    } else {
        lexicon::intent(&tokens, &frame)
    };
    if !emergency {
        reasons.push(Reason {
            code: format!("intent_{}", intent.as_str()),
            evidence: norm.chars().take(80).collect(),
        });
    }
    Triage {
        emergency,
        life_safety,
        intent,
        service,
        confidence,
        reasons,
        safety,
        spanish,
    }
}

#[cfg(test)]
mod tests;
