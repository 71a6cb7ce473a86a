//! The website chat as one more channel onto the conversation: a chat session is a
//! conversation (`ch_…`, stored and listed like a call, `channel` `chat`) whose turns are
//! the visitor's messages and whose answers are the receptionist's written replies. The
//! same triage, safety words, emergency alert, booking (at once, as by text), moves,
//! cancels, answers and messages as on the phone.
//!
//! The widget's API (issue: web chat widget) authenticates the widget key and the session
//! and calls [`open`] and [`say`]; the visitor's phone number identifies the customer.

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
    let id = short_id("ch", &[&tenant.id, "|", session]);
    let known = svc.store.customer_by_phone(&tenant.id, phone).await?;
    let mut state = Conversation::new(&id, &tenant.id, phone, svc.clock.now(), known);
    state.channel = dialogue::Channel::Chat;
    let reply = match conversation::turn(
        svc,
        tenant,
        state,
        &Input::Start,
        None,
        None,
        Channel::Chat,
    )
    .await
    {
        Err(TurnError::Replay) => last_reply(svc, tenant, &id).await?.unwrap_or_default(),
        other => other?,
    };
    Ok(Opened { id, reply })
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
    let Some(current) = svc.store.get_call(&tenant.id, id).await? else {
        return Ok(None);
    };
    if current.state.channel != dialogue::Channel::Chat {
        return Ok(None);
    }
    let input = Input::Speech {
        text: text.to_string(),
        confidence: 1.0,
    };
    let hints = conversation::assist(svc, &current.state, text).await;
    let version = current.version();
    match conversation::turn(
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
        Err(TurnError::Replay) => last_reply(svc, tenant, id).await,
        other => other.map(Some),
    }
}

/// What the chat answered last (a replay gets it again).
async fn last_reply(
    svc: &Services,
    tenant: &Tenant,
    id: &str,
) -> Result<Option<String>, TurnError> {
    Ok(svc
        .store
        .get_call(&tenant.id, id)
        .await?
        .map(|c| c.last_twiml))
}
