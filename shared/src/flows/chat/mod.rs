//! The website chat as one more channel onto the conversation: a chat session is a
//! conversation (`ch_…`, stored and listed like a call, `channel` `chat`) whose turns are
//! the visitor's messages and whose answers are the receptionist's written replies. The
//! same triage, safety words, emergency alert, booking (at once, as by text), moves,
//! cancels, answers and messages as on the phone.
//!
//! The widget's API ([`session`]: a widget key bound to the page's origin opens a
//! session, a short-lived token carries it) calls [`open`] and [`say`]; the visitor's
//! phone number identifies the customer.

pub mod session;
mod token;

use super::conversation::{self, Channel, TurnError};
use crate::dialogue::{self, Conversation, Input};
use crate::ids::short_id;
use crate::tenancy::Tenant;
use crate::Services;

/// A chat conversation's id and the receptionist's first words.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// `ch_` and 16 hex digits, derived from the tenant and the session: opening the same
    /// session again answers the same conversation.
    pub id: String,
    pub reply: String,
}

/// A turn's answer and the conversation as it stands after it.
#[derive(Debug, Clone)]
pub struct Exchanged {
    pub reply: String,
    pub state: Conversation,
    /// No turn was taken: the message broke one of the chat's [`Limits`].
    pub refused: Option<Refused>,
}

/// How much one chat takes from its visitor.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Visitor messages in the whole chat.
    pub max_lines: usize,
    /// Visitor messages in any minute.
    pub per_minute: usize,
}

impl Limits {
    /// No limit (the engine's own callers and tests).
    pub const NONE: Limits = Limits {
        max_lines: usize::MAX,
        per_minute: usize::MAX,
    };
}

/// Why a message took no turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The chat holds [`Limits::max_lines`] visitor messages.
    Full,
    /// The visitor sent [`Limits::per_minute`] messages in the last minute.
    TooFast,
    /// The receptionist has closed the chat.
    Ended,
}

/// How often a message is stepped again when another message to the same chat was
/// written first (two tabs of one session).
const MAX_RACES: usize = 3;

/// Opens (or, for a session already opened, reopens) the chat of `session` (the chat
/// API's own random session id) for the visitor at `phone` (E.164, parsed by the caller).
///
/// Errors: the store's, as [`TurnError::Store`].
pub async fn open(
    svc: &Services,
    tenant: &Tenant,
    session: &str,
    phone: &str,
) -> Result<Opened, TurnError> {
    let (id, x) = open_state(svc, tenant, session, phone).await?;
    Ok(Opened { id, reply: x.reply })
}

/// [`open`], answering the conversation as it stands.
pub async fn open_state(
    svc: &Services,
    tenant: &Tenant,
    session: &str,
    phone: &str,
) -> Result<(String, Exchanged), TurnError> {
    let id = short_id("ch", &[&tenant.id, "|", session]);
    // A number typed into a web page proves nothing (a call's caller ID at least comes
    // from the carrier): the visitor is not greeted as, nor shown the jobs of, the
    // customer on file for it. Booking still files the job under that number.
    let mut state = Conversation::new(&id, &tenant.id, phone, svc.clock.now(), None);
    state.channel = dialogue::Channel::Chat;
    let turned =
        conversation::turn_with_state(svc, tenant, state, &Input::Start, None, None, Channel::Chat)
            .await;
    let x = match turned {
        Ok((reply, state)) => Exchanged {
            reply,
            state,
            refused: None,
        },
        Err(TurnError::Replay) => current(svc, tenant, &id).await?.ok_or(TurnError::Replay)?,
        Err(e) => return Err(e),
    };
    Ok((id, x))
}

/// One visitor message in chat `id`: the receptionist's reply, or `None` when the tenant
/// has no such chat. A message sent twice at once is answered once; the second gets the
/// same reply.
///
/// Errors: the store's, and [`TurnError::SlotTaken`] when every time offered was taken by
/// other callers round after round.
pub async fn say(
    svc: &Services,
    tenant: &Tenant,
    id: &str,
    text: &str,
) -> Result<Option<String>, TurnError> {
    Ok(exchange(svc, tenant, id, text, None, Limits::NONE)
        .await?
        .map(|x| x.reply))
}

/// [`say`], remembering `message_id` (the widget's id of the message): the same id again,
/// later or at once, is answered with the reply already given and changes nothing. A new
/// message that breaks `limits` takes no turn (`refused`).
pub async fn exchange(
    svc: &Services,
    tenant: &Tenant,
    id: &str,
    text: &str,
    message_id: Option<&str>,
    limits: Limits,
) -> Result<Option<Exchanged>, TurnError> {
    for _ in 0..MAX_RACES {
        let Some(current) = svc.store.get_call(&tenant.id, id).await? else {
            return Ok(None);
        };
        if current.state.channel != dialogue::Channel::Chat {
            return Ok(None);
        }
        match step_once(svc, tenant, current, text, message_id, limits).await? {
            Some(x) => return Ok(Some(x)),
            // Another message was written first: step this one on the new version.
            None => continue,
        }
    }
    Err(TurnError::Replay)
}

/// One attempt of [`exchange`] on the chat as read: `None` when another message to the
/// chat was written first (this one is not in it).
async fn step_once(
    svc: &Services,
    tenant: &Tenant,
    mut current: crate::store::StoredCall,
    text: &str,
    message_id: Option<&str>,
    limits: Limits,
) -> Result<Option<Exchanged>, TurnError> {
    let answered = |c: crate::store::StoredCall, refused| {
        Some(Exchanged {
            reply: c.last_twiml,
            state: c.state,
            refused,
        })
    };
    if let Some(m) = message_id {
        if current.state.message_ids.iter().any(|x| x == m) {
            return Ok(answered(current, None));
        }
    }
    let since = svc.clock.now() - chrono::Duration::minutes(1);
    let recent = current
        .state
        .transcript
        .iter()
        .filter(|t| t.speaker == "caller" && t.at > since)
        .count();
    let refused = if current.state.stage == dialogue::Stage::Ended {
        Some(Refused::Ended)
    } else if visitor_lines(&current.state) >= limits.max_lines {
        Some(Refused::Full)
    } else if recent >= limits.per_minute {
        Some(Refused::TooFast)
    } else {
        None
    };
    if refused.is_some() {
        return Ok(answered(current, refused));
    }
    if let Some(m) = message_id {
        let seen = &mut current.state.message_ids;
        seen.push(m.to_string());
        let over = seen.len().saturating_sub(dialogue::MESSAGE_IDS_KEPT);
        seen.drain(..over);
    }
    let input = Input::Speech {
        text: text.to_string(),
        confidence: 1.0,
    };
    let hints = conversation::assist(svc, &current.state, text).await;
    let version = current.version();
    let conversation_id = current.state.id.clone();
    match conversation::turn_with_state(
        svc,
        tenant,
        current.state,
        &input,
        hints.as_ref(),
        Some(version),
        Channel::Chat,
    )
    .await
    {
        Ok((reply, state)) => Ok(Some(Exchanged {
            reply,
            state,
            refused: None,
        })),
        Err(TurnError::Replay) => {
            // Written meanwhile: by this same message (a retry racing itself: answer what
            // was answered), or by another one (step this one again on it).
            let Some(now) = svc.store.get_call(&tenant.id, &conversation_id).await? else {
                return Ok(None);
            };
            let same = message_id.is_none_or(|m| now.state.message_ids.iter().any(|x| x == m));
            Ok(same.then_some(Exchanged {
                reply: now.last_twiml,
                state: now.state,
                refused: None,
            }))
        }
        Err(e) => Err(e),
    }
}

/// The chat as stored: what it answered last and where it stands (a replay gets these).
pub async fn current(
    svc: &Services,
    tenant: &Tenant,
    id: &str,
) -> Result<Option<Exchanged>, TurnError> {
    Ok(svc
        .store
        .get_call(&tenant.id, id)
        .await?
        .filter(|c| c.state.channel == dialogue::Channel::Chat)
        .map(|c| Exchanged {
            reply: c.last_twiml,
            state: c.state,
            refused: None,
        }))
}

/// How many messages the visitor has sent in this chat.
pub fn visitor_lines(s: &Conversation) -> usize {
    s.transcript
        .iter()
        .filter(|t| t.speaker == "caller")
        .count()
}
