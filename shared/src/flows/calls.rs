//! A phone call's life on the voice webhooks: it starts (the tenant routed, the greeting),
//! each `<Gather>` result is a conversation turn (replays answered as before), and the
//! final status settles it (a held offer booked, a message taken, or a missed call with a
//! callback task). Every answer is TwiML, never an error Twilio would read out.

use super::conversation::{self, tenant_for, Channel, TurnError};
use crate::abuse;
use crate::dialogue::{self, Context, Conversation, Input};
use crate::notify;
use crate::phone::E164;
use crate::store::{CommitError, LimitScope, StoreError, StoredCall, TurnWrite};
use crate::tenancy::{Tenant, TenantStatus};
use crate::twilio::{replies, CallSid};
use crate::{phone, Services};
use tracing::Instrument;

/// A call that starts (`POST /twilio/voice`).
#[derive(Debug, Clone, Copy)]
pub struct CallStart<'a> {
    pub call_sid: &'a CallSid,
    /// Caller ID as Twilio gives it: E.164, or a placeholder for a withheld number
    /// (`+266696687`, `anonymous`), so it is not parsed.
    pub from: &'a str,
    /// The shop's number that was called.
    pub to: &'a E164,
    /// Twilio's `StirVerstat`: the carrier's STIR/SHAKEN verdict on `from`
    /// (`TN-Validation-Passed-A` when the caller ID is attested in full).
    pub stir_verstat: Option<&'a str>,
    /// Twilio's `ForwardedFrom`: the number that forwarded the call, if any.
    pub forwarded_from: Option<&'a str>,
    /// The owner asked to hear the receptionist: no owner's line for this call.
    pub as_customer: bool,
}

impl CallStart<'_> {
    /// Whether the carrier vouched in full for the caller ID, on a call not forwarded.
    pub fn attested(&self) -> bool {
        self.forwarded_from.is_none() && self.stir_verstat == Some("TN-Validation-Passed-A")
    }
}

/// A `<Gather>` result (`POST /twilio/voice/turn?seq=N`).
#[derive(Debug, Clone)]
pub struct GatherResult<'a> {
    pub call_sid: &'a CallSid,
    pub to: &'a E164,
    /// The turn the caller answered.
    pub seq: u64,
    pub input: Input,
}

/// The final call status (`POST /twilio/voice/status`).
#[derive(Debug, Clone, Copy)]
pub struct CallEnded<'a> {
    pub call_sid: &'a CallSid,
    pub from: Option<&'a str>,
    pub to: &'a E164,
    /// Twilio's `CallStatus` (`completed`, `busy`, `no-answer`, …).
    pub status: &'a str,
    /// `CallDuration`, seconds.
    pub duration_s: Option<i64>,
}

/// What a voice webhook answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Twiml(String),
    /// No tenant holds the number.
    NotRouted,
    /// A turn for a CallSid never started.
    UnknownCall,
}

/// Why a final status could not be recorded (Twilio retries).
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    #[error("number is not routed")]
    NotRouted,
    #[error("storage unavailable: {0}")]
    Store(#[from] StoreError),
    #[error("storage unavailable: {0}")]
    Commit(#[from] CommitError),
}

/// A call starts: route the number, check the tenant and its call limit, create the call
/// item with the greeting (a replayed start answers the same greeting).
pub async fn start(svc: &Services, c: CallStart<'_>) -> Answer {
    let tenant = match tenant_for(svc, c.to).await {
        Ok(Some(t)) => t,
        Ok(None) => {
            tracing::warn!(to = %phone::mask(c.to), "call to an unrouted number");
            return Answer::Twiml(replies::not_in_service());
        }
        Err(e) => {
            tracing::error!(error = %e, "routing failed");
            return Answer::Twiml(replies::graceful_fallback());
        }
    };
    let span = tracing::info_span!("call", call_sid = %c.call_sid, tenant = %tenant.id);
    async move {
        if tenant.status != TenantStatus::Active {
            // voice-fallback takes the message; the status callback makes it a callback task.
            tracing::warn!(status = ?tenant.status, "tenant not taking bookings: message only");
            return Answer::Twiml(replies::graceful_fallback());
        }
        let limits = svc.config.limits;
        if !abuse::allow(svc, &[(LimitScope::TenantCalls(&tenant.id), limits.calls)]).await {
            return Answer::Twiml(replies::too_many_calls(&tenant));
        }
        // The shop's own people from a verified cell: the owner's line, not a customer
        // call. A forwarded call's caller ID is not the caller's.
        if c.forwarded_from.is_none() && !c.as_customer {
            if let Some(user) = super::owner_line::line_user(svc, &tenant, c.from).await {
                return super::owner_line::start_call(
                    svc,
                    &tenant,
                    c.call_sid,
                    c.from,
                    &user,
                    c.attested(),
                )
                .await;
            }
        }
        // A replayed start is caught by the create's `attribute_not_exists` condition below
        // (CommitError::Replay), so the first turn needs no read of the call item.
        let known = svc
            .store
            .customer_by_phone(&tenant.id, c.from)
            .await
            .unwrap_or(None);
        let state = Conversation::new(c.call_sid, &tenant.id, c.from, svc.clock.now(), known);
        match conversation::turn(
            svc,
            &tenant,
            state,
            &Input::Start,
            None,
            None,
            Channel::Voice,
        )
        .await
        {
            Ok(xml) => Answer::Twiml(xml),
            Err(TurnError::Replay) => Answer::Twiml(last_answer(svc, &tenant, c.call_sid).await),
            Err(e) => {
                tracing::error!(error = %e, "call start failed");
                Answer::Twiml(replies::graceful_fallback())
            }
        }
    }
    .instrument(span)
    .await
}

/// What the call answered last, for a replay (the fallback if it cannot be read).
async fn last_answer(svc: &Services, tenant: &Tenant, call_sid: &str) -> String {
    match svc.store.get_call(&tenant.id, call_sid).await {
        Ok(Some(c)) => c.last_twiml,
        _ => replies::graceful_fallback(),
    }
}

/// One `<Gather>` result: a turn of the call's conversation. A replayed or out-of-order
/// webhook (its `seq` is not the call's) is answered as before and changes nothing.
pub async fn gathered(svc: &Services, g: GatherResult<'_>) -> Answer {
    let tenant = match tenant_for(svc, g.to).await {
        Ok(Some(t)) => t,
        Ok(None) => return Answer::NotRouted,
        Err(_) => return Answer::Twiml(replies::graceful_fallback()),
    };
    let span =
        tracing::info_span!("turn", call_sid = %g.call_sid, tenant = %tenant.id, seq = g.seq);
    async move {
        let call = match svc.store.get_call(&tenant.id, g.call_sid).await {
            Ok(Some(c)) => c,
            Ok(None) => return Answer::UnknownCall,
            Err(e) => {
                tracing::error!(error = %e, "call read failed");
                return Answer::Twiml(replies::graceful_fallback());
            }
        };
        if call.seq != g.seq {
            return Answer::Twiml(call.last_twiml);
        }
        if g.seq == 1 && super::owner_line::claims_line(&g.input) {
            if let Some(a) =
                super::owner_line::claim(svc, &tenant, g.call_sid, &call.state.caller).await
            {
                return a;
            }
        }
        let version = call.version();
        let hints = match &g.input {
            Input::Speech { text, .. } => conversation::assist(svc, &call.state, text).await,
            _ => None,
        };
        match conversation::turn(
            svc,
            &tenant,
            call.state,
            &g.input,
            hints.as_ref(),
            Some(version),
            Channel::Voice,
        )
        .await
        {
            Ok(xml) => Answer::Twiml(xml),
            Err(TurnError::Replay) => Answer::Twiml(last_answer(svc, &tenant, g.call_sid).await),
            Err(e) => {
                tracing::error!(error = %e, "turn failed");
                Answer::Twiml(replies::graceful_fallback())
            }
        }
    }
    .instrument(span)
    .await
}

/// The final status: recorded on the call; a finished call is settled (see
/// `dialogue::hang_up`) or, when it reached nothing, made `abandoned` with a callback task
/// and the owner's missed-call text.
pub async fn ended(svc: &Services, e: CallEnded<'_>) -> Result<(), StatusError> {
    let tenant = tenant_for(svc, e.to).await?.ok_or(StatusError::NotRouted)?;
    let done = matches!(
        e.status,
        "completed" | "busy" | "no-answer" | "failed" | "canceled"
    );
    svc.store
        .set_call_status(&tenant.id, e.call_sid, e.status, e.duration_s)
        .await?;
    if !done {
        return Ok(());
    }
    let stored = match svc.store.get_call(&tenant.id, e.call_sid).await? {
        // The owner's line keeps no call item: nothing was missed.
        None if super::owner_line::is_line_call(svc, &tenant.id, e.call_sid).await => None,
        None => record_unanswered(svc, &tenant, e.from, e.call_sid).await?,
        some => some,
    };
    match stored {
        Some(call) if ends_with_something(svc, &tenant, &call) => {
            settle_at_end(svc, &tenant, call).await?;
        }
        Some(call) if call.state.outcome.is_none() => {
            let now = svc.clock.now();
            let event = notify::missed_call_event(&tenant, &call.state, now);
            svc.store.abandon_call(&tenant, &call, &event, now).await?;
        }
        _ => {}
    }
    Ok(())
}

/// A call that ended without ever reaching `call-turn` (storage was down and
/// voice-fallback took it, or the tenant takes messages only): stored now, so the status
/// callback can make it a missed call with a callback task. Under a call flood (the
/// tenant's bucket is empty) nothing is stored: the limited calls were told to call back.
async fn record_unanswered(
    svc: &Services,
    tenant: &Tenant,
    from: Option<&str>,
    sid: &str,
) -> Result<Option<StoredCall>, StoreError> {
    let Some(from) = from else {
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
    let state = Conversation::new(sid, &tenant.id, from, now, known);
    let write = TurnWrite {
        tenant,
        state: &state,
        prev: None,
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
fn ends_with_something(svc: &Services, tenant: &Tenant, call: &StoredCall) -> bool {
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
    call: StoredCall,
) -> Result<(), CommitError> {
    let now = svc.clock.now();
    let ctx = Context {
        tenant,
        now,
        busy: None,
        assist: None,
    };
    let version = call.version();
    let Some(out) = dialogue::hang_up(call.state, &ctx) else {
        return Ok(());
    };
    let seq = call.seq + 1;
    let events = notify::events_for_turn(tenant, &out.state, &out.actions, seq, now);
    let w = TurnWrite {
        tenant,
        state: &out.state,
        prev: Some(version),
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
