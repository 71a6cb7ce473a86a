//! The owner's line: the shop's own people on the shop's number. A call or text from a
//! login's verified cell goes straight to it; any other caller reaches it by saying "this
//! is the owner" (or pressing `*`) at the greeting and giving the PIN (5 wrong PINs in a
//! row lock PIN entry shop-wide for 30 minutes). Each question is answered from the book
//! of work (`answers`); every answer is audited. Voice turns post to
//! `/twilio/voice/owner?seq=N`, guarded by `seq` like a call's turns.

mod answers;
pub mod enroll;

pub use answers::{LineReply, Then, Turn};

use crate::dialogue::Input;
use crate::flows::calls::Answer;
use crate::flows::conversation::tenant_for;
use crate::owner_line::{self, LineSession, Stage};
use crate::phone::E164;
use crate::store::PinGate;
use crate::tenancy::{Role, Tenant};
use crate::twilio::{CallSid, Twiml, Verb};
use crate::Services;
use chrono::Duration;

/// Path of the owner's line's voice turns; `seq` names the turn answered.
pub const LINE_PATH: &str = "/twilio/voice/owner";

/// The start webhook's query that skips the owner's line (the owner asked to hear the
/// receptionist).
pub const AS_CUSTOMER: &str = "as=customer";

/// Wrong PINs in a row (shop-wide, across calls) that lock PIN entry.
pub const MAX_WRONG_PINS: i64 = 5;

/// How long PIN entry stays locked.
pub const PIN_LOCK_MIN: i64 = 30;

/// A login on the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineUser {
    pub email: String,
    pub role: Role,
}

/// Who `from` is on the tenant's line: a verified cell of an enabled login that is still
/// the tenant's (its role read now, so a changed role or a disabled login counts at once).
/// `None` for every other number, at no extra read.
pub async fn line_user(svc: &Services, tenant: &Tenant, from: &str) -> Option<LineUser> {
    let cell = tenant.owner_line.iter().find(|c| c.cell == from)?;
    let m = svc
        .store
        .line_member(&tenant.id, &cell.email)
        .await
        .ok()
        .flatten()?;
    (m.verified && !m.disabled && m.cell.as_deref() == Some(from)).then_some(LineUser {
        email: m.email,
        role: m.role?,
    })
}

fn say(text: &str) -> Verb {
    Verb::Say {
        text: text.to_string(),
        language: "en-US".into(),
    }
}

/// Voice TwiML for a reply at turn `seq`. The `<Gather>` posts even on silence
/// (`actionOnEmptyResult`), and silence is answered with goodbye, so nothing follows it.
fn voice_twiml(tenant: &Tenant, reply: &LineReply, seq: u64) -> String {
    let doc = Twiml::new();
    match &reply.then {
        Then::Listen => doc.push(Verb::Gather {
            action: format!("{LINE_PATH}?seq={seq}"),
            language: "en-US".into(),
            hints: String::new(),
            prompt: vec![say(&reply.say)],
        }),
        Then::Dial(number) => doc.push(say(&reply.say)).push(Verb::Dial {
            number: number.clone(),
            caller_id: Some(tenant.phone.clone()),
            timeout_s: 25,
        }),
        Then::HangUp => doc.push(say(&reply.say)).push(Verb::Hangup),
        // Twilio posts the call's parameters to the start webhook again, as a customer's.
        Then::AsCustomer => doc.push(say(&reply.say)).push(Verb::Redirect {
            url: format!("/twilio/voice?{AS_CUSTOMER}"),
        }),
    }
    .render()
}

fn pin_prompt(text: &str, seq: u64) -> String {
    Twiml::new()
        .push(Verb::GatherPin {
            action: format!("{LINE_PATH}?seq={seq}"),
            prompt: vec![say(text)],
        })
        .render()
}

fn greeting(user: &LineUser) -> String {
    let staff = if user.role == Role::Staff {
        " You can ask about the schedule; changes are for the owner."
    } else {
        ""
    };
    format!("Owner's line. What do you need?{staff}")
}

/// A call from a verified cell: the session starts signed in; it may change jobs only if
/// the carrier attested the caller ID in full (`attested`), else a PIN call is needed.
pub async fn start_call(
    svc: &Services,
    tenant: &Tenant,
    call_sid: &str,
    from: &str,
    user: &LineUser,
    attested: bool,
) -> Answer {
    let now = svc.clock.now();
    let mut session = LineSession::signed_in(&user.email, user.role);
    session.caller = from.to_string();
    session.attested = attested;
    let xml = voice_twiml(
        tenant,
        &LineReply {
            say: greeting(user),
            then: Then::Listen,
        },
        1,
    );
    let actor = format!("owner_line:{}", user.email);
    let written = async {
        svc.store
            .audit(&tenant.id, &actor, "owner_line_call", call_sid, now)
            .await?;
        svc.store
            .put_line_session(&tenant.id, call_sid, &session, None, &xml, now)
            .await
    }
    .await;
    match written {
        Ok(true) => Answer::Twiml(xml),
        Ok(false) => match svc.store.line_session(&tenant.id, call_sid).await {
            Ok(Some(s)) => Answer::Twiml(s.last_answer),
            _ => Answer::Twiml(crate::twilio::replies::graceful_fallback()),
        },
        Err(e) => {
            tracing::error!(error = %e, "owner's line start failed");
            Answer::Twiml(crate::twilio::replies::graceful_fallback())
        }
    }
}

/// Whether the first answer to the greeting claims the owner's line: "this is the owner"
/// said outright, or `*` on the keypad.
pub fn claims_line(input: &Input) -> bool {
    match input {
        Input::Digits(d) => d.starts_with('*'),
        Input::Speech { text, .. } => {
            let n = crate::triage::normalize::normalize(text);
            // Only when that is nearly all that was said: "hi, this is the owner of the
            // duplex on elm, the water heater burst" is a customer.
            if n.split_whitespace().count() > 6 {
                return false;
            }
            let t = format!(" {n} ");
            [
                " this is the owner ",
                " it's the owner ",
                " its the owner ",
                " owner here ",
                " owner's line ",
                " owners line ",
                " owner line ",
                " owner mode ",
                " owner login ",
            ]
            .iter()
            .any(|p| t.contains(p))
        }
        _ => false,
    }
}

/// A caller at the greeting claimed the line: when some login has a PIN, it is asked for.
/// The greeting's call item stays until a right PIN (anything but a PIN goes back to the
/// receptionist as that call's turn). `None` when nobody has a PIN (the receptionist
/// goes on as for any caller).
pub async fn claim(svc: &Services, tenant: &Tenant, call_sid: &str, from: &str) -> Option<Answer> {
    let members = svc.store.line_members(&tenant.id).await.ok()?;
    if !members.iter().any(|m| m.pin_hash.is_some() && !m.disabled) {
        return None;
    }
    let now = svc.clock.now();
    let mut session = LineSession::awaiting_pin();
    session.caller = from.to_string();
    let xml = pin_prompt("Enter your PIN, then the pound key.", 1);
    let written = async {
        svc.store
            .audit(
                &tenant.id,
                "owner_line",
                "owner_line_pin_asked",
                call_sid,
                now,
            )
            .await?;
        svc.store
            .put_line_session(&tenant.id, call_sid, &session, None, &xml, now)
            .await
    }
    .await;
    match written {
        Ok(_) => Some(Answer::Twiml(xml)),
        Err(e) => {
            tracing::error!(error = %e, "owner's line claim failed");
            None
        }
    }
}

/// The receptionist's answer to `input`, as the first turn of the call the greeting
/// started (a caller who claimed the line but gave no PIN).
async fn to_receptionist(svc: &Services, to: &E164, call_sid: &CallSid, input: &Input) -> Answer {
    let g = crate::flows::calls::GatherResult {
        call_sid,
        to,
        seq: 1,
        input: input.clone(),
    };
    crate::flows::calls::gathered(svc, g).await
}

/// A voice turn on the line (`POST /twilio/voice/owner?seq=N`): a PIN while one is
/// awaited, else a question. A replayed or stale turn is answered as before.
pub async fn voice_turn(
    svc: &Services,
    to: &E164,
    call_sid: &CallSid,
    seq: u64,
    input: &Input,
) -> Answer {
    let tenant = match tenant_for(svc, to).await {
        Ok(Some(t)) => t,
        Ok(None) => return Answer::NotRouted,
        Err(_) => return Answer::Twiml(crate::twilio::replies::graceful_fallback()),
    };
    let stored = match svc.store.line_session(&tenant.id, call_sid).await {
        Ok(Some(s)) => s,
        // Handed back to the receptionist already (a retried webhook): the call's turn
        // answers as it did.
        Ok(None) => {
            return to_receptionist(svc, to, call_sid, input).await;
        }
        Err(e) => {
            tracing::error!(error = %e, "line session read failed");
            return Answer::Twiml(crate::twilio::replies::graceful_fallback());
        }
    };
    if stored.seq != seq {
        return Answer::Twiml(stored.last_answer);
    }
    let heard = match input {
        Input::Speech { text, .. } => text.clone(),
        Input::Digits(d) => d.clone(),
        _ => String::new(),
    };
    let mut session = stored.session.clone();
    let next = seq + 1;
    if matches!(session.stage, Stage::AwaitingPin { .. })
        && owner_line::pin_digits(&heard).is_none()
    {
        // Not a PIN (words, silence): a customer after all. What they said is the
        // receptionist's turn, on the call item the greeting made.
        if let Err(e) = svc.store.delete_line_session(&tenant.id, call_sid).await {
            tracing::warn!(error = %e, "line session not forgotten");
        }
        return to_receptionist(svc, to, call_sid, input).await;
    }
    let xml = match session.stage {
        Stage::AwaitingPin { tries } => match pin_turn(svc, &tenant, &mut session, tries, &heard, call_sid).await {
            Ok(PinOutcome::SignedIn(user)) => voice_twiml(&tenant, &LineReply { say: greeting(&user), then: Then::Listen }, next),
            Ok(PinOutcome::Again) => pin_prompt("That PIN is not right. Try again, then the pound key.", next),
            Ok(PinOutcome::Locked) => voice_twiml(
                &tenant,
                &LineReply {
                    say: format!("Too many wrong PINs. The owner's line is locked for {PIN_LOCK_MIN} minutes. Goodbye."),
                    then: Then::HangUp,
                },
                next,
            ),
            Err(e) => {
                tracing::error!(error = %e, "PIN check failed");
                return Answer::Twiml(crate::twilio::replies::graceful_fallback());
            }
        },
        Stage::Ready => {
            if heard.trim().is_empty() {
                voice_twiml(&tenant, &LineReply { say: "Bye.".into(), then: Then::HangUp }, next)
            } else {
                let now = svc.clock.now();
                let caller = session.caller.clone();
                let key = format!("{}-{seq}", call_sid.as_str());
                let turn = Turn {
                    caller: &caller,
                    voice: true,
                    key: &key,
                };
                match answers::answer(svc, &tenant, &mut session, &heard, turn, now).await {
                    Ok(r) => voice_twiml(&tenant, &r, next),
                    Err(e) => {
                        tracing::error!(error = %e, "owner's line answer failed");
                        voice_twiml(
                            &tenant,
                            &LineReply::listen("Sorry, I couldn't look that up just now. Try again in a minute."),
                            next,
                        )
                    }
                }
            }
        }
    };
    let now = svc.clock.now();
    match svc
        .store
        .put_line_session(&tenant.id, call_sid, &session, Some(seq), &xml, now)
        .await
    {
        Ok(true) => Answer::Twiml(xml),
        Ok(false) => match svc.store.line_session(&tenant.id, call_sid).await {
            Ok(Some(s)) => Answer::Twiml(s.last_answer),
            _ => Answer::Twiml(xml),
        },
        Err(e) => {
            tracing::error!(error = %e, "line session write failed");
            Answer::Twiml(crate::twilio::replies::graceful_fallback())
        }
    }
}

enum PinOutcome {
    SignedIn(LineUser),
    Again,
    Locked,
}

/// Checks a PIN against every enabled login's (argon2), one attempt taken from the
/// shop's count first (see `Store::begin_pin_attempt`). A right PIN signs in, proves who
/// is speaking (`attested`), and drops the greeting's call item: not a customer's call.
async fn pin_turn(
    svc: &Services,
    tenant: &Tenant,
    session: &mut LineSession,
    tries: u8,
    heard: &str,
    call_sid: &str,
) -> Result<PinOutcome, crate::store::StoreError> {
    let now = svc.clock.now();
    let lock = Duration::minutes(PIN_LOCK_MIN);
    let attempt = match svc
        .store
        .begin_pin_attempt(&tenant.id, MAX_WRONG_PINS, lock, now)
        .await?
    {
        PinGate::Locked => return Ok(PinOutcome::Locked),
        PinGate::Open { attempt } => attempt,
    };
    let pin = owner_line::pin_digits(heard).unwrap_or_default();
    let members = svc.store.line_members(&tenant.id).await?;
    let found = members.into_iter().find(|m| {
        !m.disabled
            && m.role.is_some()
            && m.pin_hash
                .as_deref()
                .is_some_and(|h| crate::tenancy::credentials::verify_password(h, &pin))
    });
    if let Some(m) = found {
        svc.store.undo_pin_attempt(&tenant.id).await?;
        let actor = format!("owner_line:{}", m.email);
        svc.store
            .audit(&tenant.id, &actor, "owner_line_pin_ok", call_sid, now)
            .await?;
        svc.store.drop_greeting_call(&tenant.id, call_sid).await?;
        let user = LineUser {
            email: m.email.clone(),
            role: m.role.expect("filtered"),
        };
        let caller = std::mem::take(&mut session.caller);
        *session = LineSession::signed_in(&user.email, user.role);
        session.caller = caller;
        session.attested = true;
        return Ok(PinOutcome::SignedIn(user));
    }
    svc.store
        .audit(
            &tenant.id,
            "owner_line",
            "owner_line_pin_wrong",
            call_sid,
            now,
        )
        .await?;
    session.stage = Stage::AwaitingPin { tries: tries + 1 };
    if attempt >= MAX_WRONG_PINS {
        svc.store.lock_pins(&tenant.id, lock, now).await?;
        return Ok(PinOutcome::Locked);
    }
    if tries + 1 >= owner_line::session::PIN_TRIES_PER_CALL {
        return Ok(PinOutcome::Locked);
    }
    Ok(PinOutcome::Again)
}

/// Whether `call_sid` is (or was) an owner's-line call: its status callback then records
/// no missed call.
pub async fn is_line_call(svc: &Services, tenant_id: &str, call_sid: &str) -> bool {
    matches!(
        svc.store.line_session(tenant_id, call_sid).await,
        Ok(Some(_))
    )
}

/// A text from a verified cell: one question answered by text (no PIN by text). The
/// session is kept per cell, so a change asked by text is confirmed by the next texts. A
/// redelivered text (same `MessageSid`) gets the same answer.
pub async fn text(
    svc: &Services,
    tenant: &Tenant,
    user: &LineUser,
    from: &str,
    message_sid: &str,
    body: &str,
) -> Result<String, crate::flows::FlowError> {
    let id = format!("sms:{from}");
    let now = svc.clock.now();
    let stored = svc.store.line_session(&tenant.id, &id).await?;
    if let Some(s) = &stored {
        if s.session.last_message_sid.as_deref() == Some(message_sid) {
            return Ok(s.last_answer.clone());
        }
    }
    let (mut session, prev) = match stored {
        Some(s) => (s.session, Some(s.seq)),
        None => (LineSession::signed_in(&user.email, user.role), None),
    };
    // The login's current role, whatever the session remembered.
    session.email = Some(user.email.clone());
    session.role = Some(user.role);
    session.caller = from.to_string();
    session.last_message_sid = Some(message_sid.to_string());
    let turn = Turn {
        caller: from,
        voice: false,
        key: message_sid,
    };
    let reply = answers::answer(svc, tenant, &mut session, body, turn, now).await?;
    let words = match reply.then {
        Then::Dial(n) => format!(
            "{} Call them at {}.",
            reply.say.replace(" now.", "."),
            crate::phone::display(&n)
        ),
        _ => reply.say,
    };
    let xml = crate::twilio::replies::message(&words);
    if !svc
        .store
        .put_line_session(&tenant.id, &id, &session, prev, &xml, now)
        .await?
    {
        // A concurrent text won: answer what it answered.
        if let Some(s) = svc.store.line_session(&tenant.id, &id).await? {
            return Ok(s.last_answer);
        }
    }
    Ok(xml)
}
