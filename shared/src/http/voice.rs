//! The voice webhooks' flow (`call-turn`): route the number, load the call, run
//! `dialogue::step`, write once, render TwiML. At most one read and one write per turn,
//! plus one Query when the turn needs the calendar or the caller's jobs.

use crate::abuse;
use crate::assist::{AssistCredentials, Extraction};
use crate::dialogue::{self, CallState, Context, Input, Reply, Step, StepOutput};
use crate::http::{problem, query, twilio_form, twiml};
use crate::notify;
use crate::scheduling::Busy;
use crate::store::{CommitError, LimitScope, StoreError, TurnWrite};
use crate::tenancy::{Tenant, TenantStatus};
use crate::twilio::{Twiml, Verb, WebhookForm};
use crate::{phone, Services};
use chrono::Utc;
use lambda_http::{Body, Request, Response};
use std::sync::Arc;

/// Path of the turn webhook; `seq` in its query names the turn the caller is answering.
pub const TURN_PATH: &str = "/twilio/voice/turn";

/// How many times a booking is retried when another caller takes the slot first.
const MAX_SLOT_RETRIES: usize = 8;

/// Renders a reply as voice TwiML.
pub fn render(reply: &Reply, next_seq: u64) -> String {
    let lang = reply.lang.code().to_string();
    let says: Vec<Verb> = reply
        .say
        .iter()
        .map(|t| Verb::Say {
            text: t.clone(),
            language: lang.clone(),
        })
        .collect();
    let mut doc = Twiml::new();
    if reply.gather {
        doc = doc.push(Verb::Gather {
            action: format!("{TURN_PATH}?seq={next_seq}"),
            language: lang,
            hints: String::new(),
            prompt: says,
        });
    } else {
        for s in says {
            doc = doc.push(s);
        }
        if let Some(n) = &reply.dial {
            doc = doc.push(Verb::Dial {
                number: n.clone(),
                caller_id: None,
                timeout_s: 25,
            });
        }
        if reply.hangup || reply.dial.is_none() {
            doc = doc.push(Verb::Hangup);
        }
    }
    doc.render()
}

/// What a caller hears when storage cannot be reached: a graceful hand-off to the
/// fallback webhook, which takes a message without DynamoDB (never a Twilio error).
pub fn graceful_fallback() -> String {
    Twiml::new()
        .push(Verb::Say {
            text: "I'm sorry, I'm having trouble with my system right now.".into(),
            language: "en-US".into(),
        })
        .push(Verb::Redirect {
            url: "/twilio/voice/fallback".into(),
        })
        .render()
}

/// The answer to a call over the tenant's call limit (a flood): no state is kept, the
/// caller is asked to call back, and pointed at 911 for an emergency.
pub fn too_many_calls(tenant: &Tenant) -> String {
    Twiml::new()
        .push(Verb::Say {
            text: format!(
                "Thanks for calling {}. We're getting more calls than we can answer right now; please call back in a few minutes. If this is an emergency, hang up and call 911.",
                tenant.name
            ),
            language: "en-US".into(),
        })
        .push(Verb::Hangup)
        .render()
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

pub(crate) async fn resolve(
    svc: &Services,
    tenant: &Tenant,
    mut state: CallState,
    input: &Input,
    assist: Option<&Extraction>,
    busy: &mut Option<Busy>,
    now: chrono::DateTime<Utc>,
) -> Result<StepOutput, StoreError> {
    for _ in 0..4 {
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
    Err(StoreError::Invalid("dialogue did not settle".into()))
}

/// Runs a step and writes it; retries when a slot was taken meanwhile. With `sms` the
/// turn answers a text: the reply is messaging TwiML and the text is logged in the same
/// transaction.
pub(crate) async fn run_and_commit(
    svc: &Services,
    tenant: &Tenant,
    state: CallState,
    input: &Input,
    assist: Option<&Extraction>,
    prev_seq: Option<u64>,
    sms: Option<&super::sms::Inbound>,
) -> Result<String, CommitError> {
    let mut busy: Option<Busy> = None;
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
        let seq = prev_seq.map(|p| p + 1).unwrap_or(1);
        let text_reply = sms.map(|_| super::sms::reply_text(tenant, &out.reply));
        let xml = match &text_reply {
            Some(t) => super::sms::render(t),
            None => render(&out.reply, seq),
        };
        let events = notify::events_for_turn(tenant, &out.state, &out.actions, seq, now);
        let w = TurnWrite {
            tenant,
            state: &out.state,
            prev_seq,
            twiml: &xml,
            actions: &out.actions,
            events: &events,
            now,
            sms: sms
                .zip(text_reply.as_deref())
                .map(|(m, reply)| m.turn(reply)),
        };
        match svc.store.commit_turn(w).await {
            Ok(()) => {
                tracing::info!(call_sid = %out.state.call_sid, tenant = %tenant.id, seq, outcome = ?out.state.outcome, emergency = out.state.emergency, "turn");
                return Ok(xml);
            }
            Err(CommitError::SlotTaken) => {
                // Someone else got there first: reload the calendar and step again, after
                // a random pause so that callers who lost together do not race again for
                // the next slot in lockstep.
                busy = None;
                tracing::info!(call_sid = %state.call_sid, attempt, "slot taken by another caller; re-offering");
                let jitter = random_u64() % (40 * (attempt as u64 + 1));
                tokio::time::sleep(std::time::Duration::from_millis(10 + jitter)).await;
            }
            Err(e) => return Err(e),
        }
    }
    Err(CommitError::SlotTaken)
}

/// A random number from the standard library's randomly keyed hasher (no RNG crate
/// needed for jitter).
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
}

#[allow(clippy::result_large_err)] // the error is the HTTP response itself
fn required<'a>(form: &'a WebhookForm, key: &str) -> Result<&'a str, Response<Body>> {
    form.require(key)
        .map_err(|d| problem(400, "Bad Request", d))
}

/// `POST /twilio/voice`: a call starts.
pub async fn start(svc: &Services, req: Request) -> Response<Body> {
    let form = match twilio_form(&req, svc).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (sid, from, to) = match (
        required(&form, "CallSid"),
        required(&form, "From"),
        required(&form, "To"),
    ) {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (Err(r), _, _) | (_, Err(r), _) | (_, _, Err(r)) => return r,
    };
    let tenant = match tenant_for(svc, to).await {
        Ok(Some(t)) => t,
        Ok(None) => {
            tracing::warn!(to = %phone::mask(to), "call to an unrouted number");
            return twiml(
                Twiml::new()
                    .push(Verb::Say {
                        text: "This number is not in service.".into(),
                        language: "en-US".into(),
                    })
                    .push(Verb::Hangup)
                    .render(),
            );
        }
        Err(e) => {
            tracing::error!(error = %e, "routing failed");
            return twiml(graceful_fallback());
        }
    };
    let span = tracing::info_span!("call", call_sid = %sid, tenant = %tenant.id);
    let _g = span.enter();
    if tenant.status != TenantStatus::Active {
        // voice-fallback takes the message; the status callback makes it a callback task.
        tracing::warn!(status = ?tenant.status, "tenant not taking bookings: message only");
        return twiml(graceful_fallback());
    }
    let limits = svc.config.limits;
    if !abuse::allow(svc, &[(LimitScope::TenantCalls(&tenant.id), limits.calls)]).await {
        return twiml(too_many_calls(&tenant));
    }
    // A replayed start is caught by the create's `attribute_not_exists` condition below
    // (CommitError::Replay), so the first turn needs no read of the call item.
    let known = svc
        .store
        .customer_by_phone(&tenant.id, from)
        .await
        .unwrap_or(None);
    let state = CallState::new(sid, &tenant.id, from, svc.clock.now(), known);
    match run_and_commit(svc, &tenant, state, &Input::Start, None, None, None).await {
        Ok(xml) => twiml(xml),
        Err(CommitError::Replay) => match svc.store.get_call(&tenant.id, sid).await {
            Ok(Some(c)) => twiml(c.last_twiml),
            _ => twiml(graceful_fallback()),
        },
        Err(e) => {
            tracing::error!(error = %e, "call start failed");
            twiml(graceful_fallback())
        }
    }
}

/// The LLM assist's reading of a turn, when configured. Bounded by its own timeout; any
/// failure is logged (without the caller's words) and the turn goes on without hints.
pub async fn assist(svc: &Services, state: &CallState, text: &str) -> Option<Extraction> {
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

/// `POST /twilio/voice/turn?seq=N`: the caller answered the prompt of turn `N`.
pub async fn turn(svc: &Services, req: Request) -> Response<Body> {
    let form = match twilio_form(&req, svc).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (sid, to) = match (required(&form, "CallSid"), required(&form, "To")) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let Some(seq) = query(&req, "seq").and_then(|s| s.parse::<u64>().ok()) else {
        return problem(400, "Bad Request", "query parameter `seq` is required");
    };
    let tenant = match tenant_for(svc, to).await {
        Ok(Some(t)) => t,
        Ok(None) => return problem(404, "Not Found", "number is not routed"),
        Err(_) => return twiml(graceful_fallback()),
    };
    let span = tracing::info_span!("turn", call_sid = %sid, tenant = %tenant.id, seq);
    let _g = span.enter();
    let call = match svc.store.get_call(&tenant.id, sid).await {
        Ok(Some(c)) => c,
        Ok(None) => return problem(404, "Not Found", "unknown CallSid"),
        Err(e) => {
            tracing::error!(error = %e, "call read failed");
            return twiml(graceful_fallback());
        }
    };
    if call.seq != seq {
        // A replay or a late, out-of-order webhook: answer as before, change nothing.
        return twiml(call.last_twiml);
    }
    let input = match (form.speech(), form.digits()) {
        (Some(text), _) => Input::Speech {
            text,
            confidence: form.confidence(),
        },
        (None, Some(d)) => Input::Digits(d),
        (None, None) => Input::Silence,
    };
    let hints = match &input {
        Input::Speech { text, .. } => assist(svc, &call.state, text).await,
        _ => None,
    };
    match run_and_commit(
        svc,
        &tenant,
        call.state,
        &input,
        hints.as_ref(),
        Some(call.seq),
        None,
    )
    .await
    {
        Ok(xml) => twiml(xml),
        Err(CommitError::Replay) => match svc.store.get_call(&tenant.id, sid).await {
            Ok(Some(c)) => twiml(c.last_twiml),
            _ => twiml(graceful_fallback()),
        },
        Err(e) => {
            tracing::error!(error = %e, "turn failed");
            twiml(graceful_fallback())
        }
    }
}

/// A call that ended without ever reaching `call-turn` (storage was down and
/// voice-fallback took it, or the tenant takes messages only): stored now, so the status
/// callback can make it a missed call with a callback task. Under a call flood (the
/// tenant's bucket is empty) nothing is stored: the limited calls were told to call back.
async fn record_unanswered(
    svc: &Services,
    tenant: &Tenant,
    form: &WebhookForm,
    sid: &str,
) -> Result<Option<crate::store::StoredCall>, StoreError> {
    let Some(from) = form.get("From") else {
        return Ok(None);
    };
    if !abuse::allow(
        svc,
        &[(LimitScope::TenantCalls(&tenant.id), svc.config.limits.calls)],
    )
    .await
    {
        return Ok(None);
    }
    let now = svc.clock.now();
    let known = svc
        .store
        .customer_by_phone(&tenant.id, from)
        .await
        .unwrap_or(None);
    let state = CallState::new(sid, &tenant.id, from, now, known);
    let write = TurnWrite {
        tenant,
        state: &state,
        prev_seq: None,
        twiml: "",
        actions: &[],
        events: &[],
        now,
        sms: None,
    };
    match svc.store.commit_turn(write).await {
        Ok(()) | Err(CommitError::Replay) => svc.store.get_call(&tenant.id, sid).await,
        Err(CommitError::Store(e)) => Err(e),
        Err(CommitError::SlotTaken) => Ok(None),
    }
}

/// Whether the call ended mid-flow with something to settle (see `dialogue::hang_up`).
fn ends_with_something(svc: &Services, tenant: &Tenant, call: &crate::store::StoredCall) -> bool {
    let ctx = Context {
        tenant,
        now: svc.clock.now(),
        busy: None,
        assist: None,
    };
    dialogue::hang_up(call.state.clone(), &ctx).is_some()
}

/// Settles a call that ended mid-flow (a held offer booked, a message taken, an alerted
/// emergency dispatched) in one write conditioned on the call's `seq`, with its texts: a
/// replayed status callback changes nothing.
async fn settle_at_end(
    svc: &Services,
    tenant: &Tenant,
    call: crate::store::StoredCall,
) -> Result<(), CommitError> {
    let now = svc.clock.now();
    let ctx = Context {
        tenant,
        now,
        busy: None,
        assist: None,
    };
    let Some(out) = dialogue::hang_up(call.state, &ctx) else {
        return Ok(());
    };
    let seq = call.seq + 1;
    let events = notify::events_for_turn(tenant, &out.state, &out.actions, seq, now);
    let w = TurnWrite {
        tenant,
        state: &out.state,
        prev_seq: Some(call.seq),
        twiml: &call.last_twiml,
        actions: &out.actions,
        events: &events,
        now,
        sms: None,
    };
    match svc.store.commit_turn(w).await {
        // A replay, or the hold already settled (its condition failed): nothing to do.
        Ok(()) | Err(CommitError::Replay) | Err(CommitError::SlotTaken) => Ok(()),
        Err(e) => Err(e),
    }
}

/// `POST /twilio/voice/status`: the final call status. A call that ended without an
/// outcome becomes `abandoned` with a callback task and a missed-call text.
pub async fn status(svc: &Services, req: Request) -> Response<Body> {
    let form = match twilio_form(&req, svc).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (Ok(sid), Ok(to)) = (form.require("CallSid"), form.require("To")) else {
        return problem(400, "Bad Request", "missing form field `CallSid` or `To`");
    };
    let status = form.get("CallStatus").unwrap_or("completed").to_string();
    let tenant = match tenant_for(svc, to).await {
        Ok(Some(t)) => t,
        Ok(None) => return problem(404, "Not Found", "number is not routed"),
        Err(_) => return problem(503, "Service Unavailable", "storage unavailable"),
    };
    let done = matches!(
        status.as_str(),
        "completed" | "busy" | "no-answer" | "failed" | "canceled"
    );
    let duration = form.get("CallDuration").and_then(|d| d.parse().ok());
    if let Err(e) = svc
        .store
        .set_call_status(&tenant.id, sid, &status, duration)
        .await
    {
        return problem(503, "Service Unavailable", e.to_string());
    }
    if done {
        let stored = match svc.store.get_call(&tenant.id, sid).await {
            Ok(None) => record_unanswered(svc, &tenant, &form, sid).await,
            other => other,
        };
        match stored {
            Ok(Some(call)) if ends_with_something(svc, &tenant, &call) => {
                if let Err(e) = settle_at_end(svc, &tenant, call).await {
                    return problem(503, "Service Unavailable", e.to_string());
                }
            }
            Ok(Some(call)) if call.state.outcome.is_none() => {
                let event = notify::missed_call_event(&tenant, &call.state, svc.clock.now());
                if let Err(e) = svc
                    .store
                    .abandon_call(&tenant, &call, &event, svc.clock.now())
                    .await
                {
                    return problem(503, "Service Unavailable", e.to_string());
                }
            }
            Ok(_) => {}
            Err(e) => return problem(503, "Service Unavailable", e.to_string()),
        }
    }
    Response::builder()
        .status(204)
        .body(Body::Empty)
        .expect("static response")
}
