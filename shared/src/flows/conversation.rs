//! One turn of a conversation on any channel: load nothing more than the turn needs, run
//! the pure `dialogue::step` (answering its requests for the calendar or the caller's
//! jobs), write once (an UpdateItem guarded by `seq`, or one transaction when it books),
//! and hand back the channel's answer. One clock per turn. A channel (the phone, a text,
//! the website chat) is an adapter onto this, never a copy of it.

use crate::assist::{AssistCredentials, Extraction};
use crate::dialogue::{self, Context, Conversation, Input, Step, StepOutput};
use crate::notify;
use crate::scheduling::Busy;
use crate::store::{CallVersion, CommitError, SmsTurn, StoreError, TurnWrite};
use crate::tenancy::Tenant;
use crate::twilio::replies;
use crate::Services;
use chrono::Utc;
use std::sync::Arc;

/// How many times a booking is retried when another caller takes the slot first.
const MAX_SLOT_RETRIES: usize = 8;

/// The channel a turn arrives on, and so how its answer is rendered and logged.
#[derive(Debug, Clone, Copy)]
pub enum Channel<'a> {
    /// A phone call: voice TwiML.
    Voice,
    /// A text: messaging TwiML, and the text logged with the turn.
    Text(&'a TextIn<'a>),
    /// The website chat: the written reply itself (no TwiML).
    Chat,
}

impl Channel<'_> {
    /// The `Channel` dimension of the turn metrics: `voice`, `sms` or `chat`.
    pub fn metric_name(&self) -> &'static str {
        match self {
            Channel::Voice => "voice",
            Channel::Text(_) => "sms",
            Channel::Chat => "chat",
        }
    }
}

/// An inbound text as the conversation logs it.
#[derive(Debug, Clone, Copy)]
pub struct TextIn<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub message_sid: &'a str,
    pub body: &'a str,
}

impl<'a> TextIn<'a> {
    /// This text and the `reply` sent back, as the store logs them.
    pub fn turn(&self, reply: &'a str) -> SmsTurn<'a> {
        SmsTurn {
            from: self.from,
            to: self.to,
            message_sid: self.message_sid,
            body: self.body,
            reply,
        }
    }
}

pub async fn tenant_for(svc: &Services, number: &str) -> Result<Option<Arc<Tenant>>, StoreError> {
    if let Some(t) = svc.tenants.get(number) {
        return Ok(Some(t));
    }
    let Some((_, tenant)) = svc.store.route(number).await? else {
        return Ok(None);
    };
    let t = Arc::new(tenant);
    svc.tenants.put(number, t.clone());
    Ok(Some(t))
}

/// Why a conversation turn was not taken.
#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    /// The conversation had already moved past this turn (a replayed or concurrent
    /// webhook): answer what was answered before.
    #[error("turn already applied")]
    Replay,
    /// Every time offered was taken by other callers, round after round.
    #[error("slots kept being taken")]
    SlotTaken,
    /// The dialogue kept asking for more than a turn may read (a defect, not an outage).
    #[error("the dialogue did not settle after {0} rounds")]
    Unsettled(usize),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<CommitError> for TurnError {
    fn from(e: CommitError) -> Self {
        match e {
            CommitError::Replay => TurnError::Replay,
            CommitError::SlotTaken => TurnError::SlotTaken,
            CommitError::Store(e) => TurnError::Store(e),
        }
    }
}

/// Rounds of reads a step may ask for before its answer (the caller's appointments; the
/// calendar around a time said yes to, the window asked for, and the nearest opening
/// beyond it; with room to spare).
const MAX_STEP_ROUNDS: usize = 6;

/// Steps the dialogue, reading what it asks for (`Step::Need*`) until it answers.
pub async fn resolve(
    svc: &Services,
    tenant: &Tenant,
    mut state: Conversation,
    input: &Input,
    assist: Option<&Extraction>,
    busy: &mut Option<Busy>,
    now: chrono::DateTime<Utc>,
) -> Result<StepOutput, TurnError> {
    for _ in 0..MAX_STEP_ROUNDS {
        let ctx = Context {
            tenant,
            now,
            busy: busy.as_ref(),
            assist,
        };
        match dialogue::step(state.clone(), input, &ctx) {
            Step::Done(out) => return Ok(*out),
            Step::NeedAvailability { from, to } => {
                *busy = Some(svc.store.busy(tenant, from, to).await?)
            }
            Step::NeedAppointments => {
                let id = state
                    .known
                    .as_ref()
                    .map(|k| k.id.clone())
                    .unwrap_or_default();
                state.upcoming = Some(
                    svc.store
                        .upcoming_appointments(&tenant.id, &id, now)
                        .await?,
                );
            }
        }
    }
    Err(TurnError::Unsettled(MAX_STEP_ROUNDS))
}

/// Runs a step and writes it; retries when a slot was taken meanwhile. Returns the
/// channel's answer (stored with the call, so a replay gets it again).
pub async fn turn(
    svc: &Services,
    tenant: &Tenant,
    state: Conversation,
    input: &Input,
    assist: Option<&Extraction>,
    prev: Option<CallVersion>,
    channel: Channel<'_>,
) -> Result<String, TurnError> {
    turn_with_state(svc, tenant, state, input, assist, prev, channel)
        .await
        .map(|(answer, _)| answer)
}

/// [`turn`], also answering the conversation as written (the website chat renders more
/// of it than the reply: quick replies, the emergency banner, the end).
pub async fn turn_with_state(
    svc: &Services,
    tenant: &Tenant,
    state: Conversation,
    input: &Input,
    assist: Option<&Extraction>,
    prev: Option<CallVersion>,
    channel: Channel<'_>,
) -> Result<(String, Conversation), TurnError> {
    let mut busy: Option<Busy> = None;
    let started = std::time::Instant::now();
    let was_emergency = state.emergency;
    // One clock per turn: the step, its events and its write all say the same "now".
    let now = svc.clock.now();
    for attempt in 0..=MAX_SLOT_RETRIES {
        let out = if attempt < MAX_SLOT_RETRIES {
            resolve(svc, tenant, state.clone(), input, assist, &mut busy, now).await?
        } else {
            // Lost every race: write the turn without a booking and ask for another time.
            let ctx = Context {
                tenant,
                now,
                busy: None,
                assist,
            };
            dialogue::times_taken(state.clone(), input, &ctx)
        };
        let seq = prev.map(|p| p.seq + 1).unwrap_or(1);
        let text_reply = match channel {
            Channel::Text(_) => Some(replies::text(tenant, &out.reply)),
            Channel::Voice | Channel::Chat => None,
        };
        let xml = match (&text_reply, channel) {
            (Some(t), _) => replies::message(t),
            (None, Channel::Chat) => replies::chat(tenant, &out.reply),
            (None, _) => replies::voice(&out.reply, seq, &tenant.phone),
        };
        let events = notify::events_for_turn(tenant, &out.state, &out.actions, seq, now);
        let w = TurnWrite {
            tenant,
            state: &out.state,
            prev,
            twiml: &xml,
            actions: &out.actions,
            events: &events,
            now,
            sms: match (channel, text_reply.as_deref()) {
                (Channel::Text(m), Some(reply)) => Some(m.turn(reply)),
                _ => None,
            },
        };
        match svc.store.commit_turn(w).await {
            Ok(()) => {
                tracing::info!(call_sid = %out.state.id, tenant = %tenant.id, seq, outcome = ?out.state.outcome, emergency = out.state.emergency, "turn");
                crate::telemetry::turn(crate::telemetry::TurnReport {
                    channel: channel.metric_name(),
                    latency_ms: started.elapsed().as_secs_f64() * 1e3,
                    booked: out
                        .actions
                        .iter()
                        .any(|a| matches!(a, dialogue::Action::Book(_))),
                    became_emergency: out.state.emergency && !was_emergency,
                    call_sid: &out.state.id,
                    tenant: &tenant.id,
                    seq,
                });
                return Ok((xml, out.state));
            }
            Err(CommitError::SlotTaken) => {
                // Someone else got there first: reload the calendar and step again, after
                // a random pause so that callers who lost together do not race again for
                // the next slot in lockstep.
                busy = None;
                tracing::info!(call_sid = %state.id, attempt, "slot taken by another caller; re-offering");
                let jitter = random_u64() % (40 * (attempt as u64 + 1));
                tokio::time::sleep(std::time::Duration::from_millis(10 + jitter)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(TurnError::SlotTaken)
}

/// A random number from the standard library's randomly keyed hasher (no RNG crate
/// needed for jitter).
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
}

/// The LLM assist's reading of a turn, when configured. Bounded by its own timeout; any
/// failure is logged (without the caller's words) and the turn goes on without hints.
pub async fn assist(svc: &Services, state: &Conversation, text: &str) -> Option<Extraction> {
    let client = svc.assist.as_ref()?;
    let key = match svc
        .secrets
        .get_json::<AssistCredentials>(&svc.config.llm_secret_id)
        .await
    {
        Ok(k) => k,
        Err(e) => {
            tracing::warn!(error = %e, "assist disabled for this turn: no API key");
            return None;
        }
    };
    let asked = state
        .transcript
        .iter()
        .rev()
        .find(|t| t.speaker == "agent")
        .map(|t| t.text.as_str())
        .unwrap_or("");
    // Card numbers and SSNs never leave for a third party.
    let text = dialogue::extract::redact(&text.chars().take(500).collect::<String>());
    match client.extract(&key.api_key, &text, asked).await {
        Ok(x) => Some(x),
        Err(e) => {
            tracing::warn!(error = %e, "assist unavailable; rules only");
            None
        }
    }
}
