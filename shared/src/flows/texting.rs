//! A customer's text (`POST /twilio/sms`). Keywords (STOP family, START, HELP) are
//! handled first with Twilio's exact-match semantics; anything else is a turn of a text
//! conversation keyed by (tenant, From) that runs the same conversation as a phone call,
//! answered with messaging TwiML.
//!
//! Replays (same `MessageSid`) change nothing and get the same answer. An opted-out
//! number gets no reply until it texts START. A number that texts faster than a person
//! can ([`LOOP_LIMIT`] texts in [`LOOP_WINDOW_MIN`] minutes: an auto-responder answering
//! our replies) is logged but not answered.

use super::conversation::{self, tenant_for, Channel, TextIn, TurnError};
use crate::dialogue::{Channel as Medium, Conversation, Input, Stage};
use crate::notify::{keyword, whole_body, Keyword};
use crate::store::{short_id, CommitError, LimitScope};
use crate::tenancy::Tenant;
use crate::twilio::replies;
use crate::{phone, Services};
use chrono::{DateTime, Duration, Utc};
use tracing::Instrument;

/// A conversation idle this long is over; the next text starts a new one.
pub const IDLE_HOURS: i64 = 24;
/// Inbound texts within [`LOOP_WINDOW_MIN`] after which replies stop (message loops).
pub const LOOP_LIMIT: usize = 8;
pub const LOOP_WINDOW_MIN: i64 = 10;

/// An inbound text (Twilio's inbound-message webhook: `From`, `To`, `MessageSid`,
/// `Body`), its body redacted and bounded.
#[derive(Debug, Clone)]
pub struct Inbound {
    pub from: String,
    pub to: String,
    pub message_sid: String,
    pub body: String,
}

impl Inbound {
    /// The text as a conversation turn logs it.
    pub fn text_in(&self) -> TextIn<'_> {
        TextIn {
            from: &self.from,
            to: &self.to,
            message_sid: &self.message_sid,
            body: &self.body,
        }
    }
}

/// What the text webhook answers.
#[derive(Debug, Clone, PartialEq)]
pub enum TextAnswer {
    /// Messaging TwiML (empty: no reply).
    Twiml(String),
    /// No tenant holds the number.
    NotRouted,
    /// Storage and the forward to the owner both failed: Twilio should retry.
    Unavailable,
}

/// A text to the business's number: keywords first (always honoured), then the tenant's
/// state and limits, a "C" confirmation, the opt-out, and a turn of the number's text
/// conversation. A text is never lost: when storage fails it goes to the owner's cell.
pub async fn inbound(svc: &Services, m: &Inbound) -> TextAnswer {
    let tenant = match tenant_for(svc, &m.to).await {
        Ok(Some(t)) => t,
        Ok(None) => return TextAnswer::NotRouted,
        Err(e) => {
            tracing::error!(error = %e, "routing failed");
            return TextAnswer::Unavailable;
        }
    };
    let span = tracing::info_span!("sms", message_sid = %m.message_sid, tenant = %tenant.id, from = %phone::mask(&m.from));
    async move {
        let now = svc.clock.now();
        if let Some(k) = keyword(&m.body) {
            return on_keyword(svc, &tenant, m, k, now).await;
        }
        // STOP, HELP and START are always honoured; anything else waits for an active tenant
        // and a bucket with room. A text left unanswered is Twilio's empty <Response/>.
        if tenant.status != crate::tenancy::TenantStatus::Active {
            tracing::warn!(status = ?tenant.status, "text to a tenant not taking conversations");
            return TextAnswer::Twiml(replies::message(""));
        }
        let limits = svc.config.limits;
        let buckets = [
            (
                LimitScope::NumberTexts {
                    tenant: &tenant.id,
                    from: &m.from,
                },
                limits.texts_per_number,
            ),
            (LimitScope::TenantTexts(&tenant.id), limits.texts),
        ];
        if !crate::abuse::allow(svc, &buckets).await {
            return TextAnswer::Twiml(replies::message(""));
        }
        // A verified cell of the shop's own: the owner's line answers by text.
        if let Some(user) = super::owner_line::line_user(svc, &tenant, &m.from).await {
            return match super::owner_line::text(
                svc,
                &tenant,
                &user,
                &m.from,
                &m.message_sid,
                &m.body,
            )
            .await
            {
                Ok(xml) => TextAnswer::Twiml(xml),
                Err(e) => {
                    tracing::error!(error = %e, "owner's line text failed");
                    storage_down(svc, &tenant, m).await
                }
            };
        }
        if is_confirmation(&m.body) {
            if let Some(r) = on_confirmation(svc, &tenant, m, now).await {
                return r;
            }
        }
        match svc.store.is_opted_out(&tenant.id, &m.from).await {
            Ok(true) => {
                // Opted out: keep the text for the owner, answer nothing until START.
                let t = m.text_in().turn("");
                return match svc.store.log_keyword_exchange(&tenant.id, &t, now).await {
                    Ok(_) => TextAnswer::Twiml(replies::message("")),
                    Err(_) => storage_down(svc, &tenant, m).await,
                };
            }
            Ok(false) => {}
            Err(_) => return storage_down(svc, &tenant, m).await,
        }
        match converse(svc, &tenant, m, now).await {
            Ok(xml) => TextAnswer::Twiml(xml),
            Err(TurnError::Replay) => {
                // Same MessageSid again (or a concurrent text won the race): answer as before.
                let last = match svc.store.sms_conversation(&tenant.id, &m.from).await {
                    Ok(Some(id)) => svc.store.get_call(&tenant.id, &id).await.ok().flatten(),
                    _ => None,
                };
                TextAnswer::Twiml(
                    last.map(|c| c.last_twiml)
                        .unwrap_or_else(|| replies::message("")),
                )
            }
            Err(e) => {
                tracing::error!(error = %e, "text turn failed");
                storage_down(svc, &tenant, m).await
            }
        }
    }
    .instrument(span)
    .await
}

fn over(state: &Conversation, now: DateTime<Utc>) -> bool {
    let last = state
        .transcript
        .last()
        .map(|t| t.at)
        .unwrap_or(state.started_at);
    state.stage == Stage::Ended || now - last > Duration::hours(IDLE_HOURS)
}

fn looping(state: &Conversation, now: DateTime<Utc>) -> bool {
    state
        .transcript
        .iter()
        .filter(|t| t.speaker == "caller" && now - t.at < Duration::minutes(LOOP_WINDOW_MIN))
        .count()
        >= LOOP_LIMIT
}

/// Storage failed mid-text: the text must not be lost, so it goes straight to the owner's
/// cell through Twilio (no DynamoDB), and the customer is told a person will answer.
/// Only if that fails too does Twilio get a 5xx (and its fallback URL).
async fn storage_down(svc: &Services, tenant: &Tenant, m: &Inbound) -> TextAnswer {
    let forwarded = async {
        let creds = svc.twilio_credentials().await.map_err(|e| e.to_string())?;
        let text = format!(
            "Text from {} (our system is down, answer it yourself): \"{}\"",
            phone::display(&m.from),
            m.body.chars().take(300).collect::<String>()
        );
        svc.twilio
            .send_sms(
                &creds,
                &tenant.phone,
                &tenant.contacts.owner_cell,
                &text,
                None,
            )
            .await
            .map_err(|e| e.to_string())
    }
    .await;
    match forwarded {
        Ok(_) => TextAnswer::Twiml(replies::message(&format!(
            "Thanks, we got your text and {} will reply shortly. For an emergency call {}.",
            tenant.contacts.owner_name,
            phone::display(&tenant.phone)
        ))),
        Err(e) => {
            tracing::error!(error = %e, "could not forward the text to the owner either");
            TextAnswer::Unavailable
        }
    }
}

/// "C" or "CONFIRM" (whole body, like the keywords): the reply our booking texts ask for.
/// Chosen not to collide with Twilio's opt-out words (CANCEL is one of those).
pub fn is_confirmation(body: &str) -> bool {
    matches!(whole_body(body).as_str(), "C" | "CONFIRM" | "CONFIRMED")
}

/// Confirms the customer's next appointment; `None` when there is none (the text then
/// goes to the conversation like any other).
async fn on_confirmation(
    svc: &Services,
    tenant: &Tenant,
    m: &Inbound,
    now: DateTime<Utc>,
) -> Option<TextAnswer> {
    let customer = crate::store::customer_id_for(&tenant.id, &m.from);
    let next = svc
        .store
        .upcoming_appointments(&tenant.id, &customer, now)
        .await
        .ok()?
        .into_iter()
        .min_by_key(|a| a.slot.start)?;
    svc.store
        .confirm_appointment(&tenant.id, &next, now)
        .await
        .ok()?;
    let when = crate::scheduling::speak_slot(&next.slot, tenant);
    let reply = format!(
        "{}: thanks, you're confirmed for {} on {when}. To change it, text us or call {}.",
        tenant.name,
        tenant.label(next.service),
        phone::display(&tenant.phone)
    );
    let t = m.text_in().turn(&reply);
    Some(
        match svc.store.log_keyword_exchange(&tenant.id, &t, now).await {
            Ok(_) => TextAnswer::Twiml(replies::message(&reply)),
            Err(_) => storage_down(svc, tenant, m).await,
        },
    )
}

async fn on_keyword(
    svc: &Services,
    tenant: &Tenant,
    m: &Inbound,
    k: Keyword,
    now: DateTime<Utc>,
) -> TextAnswer {
    let reply = replies::keyword_reply(tenant, k);
    let t = m.text_in().turn(&reply);
    let opt = match k {
        Keyword::OptOut => Some(true),
        Keyword::OptIn => Some(false),
        Keyword::Help => None,
    };
    if let Some(out) = opt {
        // Idempotent either way: the opt-out item is put or deleted.
        if let Err(e) = svc.store.set_opt_out(&tenant.id, &m.from, out, now).await {
            tracing::error!(error = %e, "opt-out change failed");
            return storage_down(svc, tenant, m).await;
        }
        tracing::info!(opted_out = out, "opt-out changed by keyword");
    }
    match svc.store.log_keyword_exchange(&tenant.id, &t, now).await {
        Ok(_) => TextAnswer::Twiml(replies::message(&reply)),
        Err(_) => storage_down(svc, tenant, m).await,
    }
}

/// One text turn: continue the number's conversation, or start a new one.
async fn converse(
    svc: &Services,
    tenant: &Tenant,
    m: &Inbound,
    now: DateTime<Utc>,
) -> Result<String, TurnError> {
    let current = match svc.store.sms_conversation(&tenant.id, &m.from).await? {
        Some(id) => svc.store.get_call(&tenant.id, &id).await?,
        None => None,
    };
    let input = Input::Speech {
        text: m.body.clone(),
        confidence: 1.0,
    };
    if let Some(c) = current.filter(|c| !over(&c.state, now)) {
        if looping(&c.state, now) {
            tracing::warn!("text loop suspected; not replying");
            let version = c.version();
            let mut quiet = c.state;
            quiet.transcript.push(crate::dialogue::TurnRecord {
                speaker: "caller".into(),
                text: m.body.chars().take(500).collect(),
                at: now,
            });
            return Ok(commit_silent(svc, tenant, quiet, version, m, now).await?);
        }
        let hints = conversation::assist(svc, &c.state, &m.body).await;
        let version = c.version();
        return conversation::turn(
            svc,
            tenant,
            c.state,
            &input,
            hints.as_ref(),
            Some(version),
            Channel::Text(&m.text_in()),
        )
        .await;
    }
    // A new conversation: its id comes from the first MessageSid, so a replay of that
    // text lands on the same (already created) item.
    let id = short_id("tx", &[&tenant.id, "|", &m.message_sid]);
    let known = svc.store.customer_by_phone(&tenant.id, &m.from).await?;
    let mut state = Conversation::new(&id, &tenant.id, &m.from, now, known);
    state.channel = Medium::Sms;
    let mut busy = None;
    let mut opened =
        conversation::resolve(svc, tenant, state, &Input::Start, None, &mut busy, now).await?;
    // The spoken greeting is not sent by text; the reply to the first text is.
    opened.state.transcript.clear();
    let hints = conversation::assist(svc, &opened.state, &m.body).await;
    conversation::turn(
        svc,
        tenant,
        opened.state,
        &input,
        hints.as_ref(),
        None,
        Channel::Text(&m.text_in()),
    )
    .await
}

/// Records a text without answering it (loop protection).
async fn commit_silent(
    svc: &Services,
    tenant: &Tenant,
    state: Conversation,
    version: crate::store::CallVersion,
    m: &Inbound,
    now: DateTime<Utc>,
) -> Result<String, CommitError> {
    let xml = replies::message("");
    svc.store
        .commit_turn(crate::store::TurnWrite {
            tenant,
            state: &state,
            prev: Some(version),
            twiml: &xml,
            actions: &[],
            events: &[],
            now,
            sms: Some(m.text_in().turn("")),
        })
        .await?;
    Ok(xml)
}
