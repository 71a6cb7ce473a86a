//! The website chat's visitor API (`/v1/chat/sessions…`, served by `api-chat`): a widget
//! key opens a session for a page origin the key allows; the session's token (see
//! [`super::token`]) carries every later message. Each answer is the whole chat as the
//! widget draws it ([`ChatState`]).
//!
//! Limits: sessions opened per client address and per key (token buckets, `abuse`);
//! within a session, [`BURST_MESSAGES`] messages a minute (read off the chat's own
//! transcript, so a message costs no extra write), [`MAX_TEXT_CHARS`] a message and
//! [`MAX_VISITOR_MESSAGES`] a chat. A revoked key stops its sessions at once in this
//! process and within the directory's TTL elsewhere.

use super::token::{self, ChatClaims, TokenError};
use super::{Exchanged, TurnError};
use crate::dialogue::{self, Stage};
use crate::store::LimitScope;
use crate::tenancy::widget::{self, WidgetKey};
use crate::tenancy::{Tenant, TenantStatus};
use crate::{abuse, phone, Services};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Longest visitor message, characters.
/// (The dialogue reads and keeps this much of a turn; more would be cut unseen.)
pub const MAX_TEXT_CHARS: usize = 500;
/// Visitor messages one chat takes; then the visitor is asked to call or start afresh.
pub const MAX_VISITOR_MESSAGES: usize = 60;
/// Visitor messages one chat takes in any minute (a person types slower than this).
pub const BURST_MESSAGES: usize = 12;

/// `POST /v1/chat/sessions`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartChat {
    /// The widget key (`wk_…`, the snippet's `data-key`).
    pub key: String,
    /// The visitor's mobile number (`(913) 555-0199`, `+19135550199`): it identifies the
    /// customer and receives the booking texts.
    pub phone: String,
}

/// `POST /v1/chat/sessions/{session_id}/messages`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitorMessage {
    /// 1 to 500 characters, shown and kept as plain text.
    pub text: String,
    /// The widget's id for this message (1 to 64 characters, a UUID): the same id again
    /// is answered as before and changes nothing.
    pub message_id: String,
}

/// Who wrote a chat line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Visitor,
    Receptionist,
}

/// One line of the chat.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ChatLine {
    pub from: Author,
    /// Plain text (never HTML).
    pub text: String,
    /// RFC 3339.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// The whole chat as the widget draws it, with a fresh session token.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ChatState {
    /// `cs_` and 32 hex digits.
    pub session_id: String,
    /// Bearer token for this session's next request (HS256 JWT).
    pub token: String,
    /// Seconds the token lives if the chat sits idle.
    pub expires_in: i64,
    pub shop_name: String,
    /// The shop's number (E.164), for the tap-to-call link.
    pub shop_phone: String,
    /// Every line so far, oldest first.
    pub messages: Vec<ChatLine>,
    /// Answers to offer as buttons (plain text sent as the visitor's next message).
    pub quick_replies: Vec<String>,
    /// The chat is an emergency: the owner was alerted; the widget shows "call now".
    pub emergency: bool,
    /// The receptionist has closed the chat.
    pub ended: bool,
}

/// Why a chat request was refused. `http` renders each as problem+json.
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    /// 400: a field is wrong; the detail names it.
    #[error("{0}")]
    Invalid(String),
    /// 401: no valid session token (expired after [`token::IDLE_S`] idle, or forged).
    #[error("the chat session has expired; start a new chat")]
    Expired,
    /// 403: the key is unknown or revoked, or the page's origin is not one it allows.
    #[error("{0}")]
    Refused(&'static str),
    /// 404: no such session for this token.
    #[error("no such chat session")]
    NotFound,
    /// 409: the chat took its [`MAX_VISITOR_MESSAGES`].
    #[error("this chat is full; please call the shop or start a new chat")]
    Full,
    /// 409: the receptionist has closed this chat.
    #[error("this chat has ended; start a new chat")]
    Ended,
    /// 429: too many sessions or messages from this address or key.
    #[error("too many chat requests; try again in a minute")]
    Limited,
    /// 503: the shop is suspended or locked down: its chat takes no conversations (the
    /// detail gives its number to call, as its calls take messages).
    #[error("{0}")]
    Closed(String),
    /// 503: the signing key or the store is unavailable.
    #[error("the chat is unavailable; please call the shop")]
    Unavailable(String),
}

impl From<TokenError> for ChatError {
    fn from(e: TokenError) -> Self {
        match e {
            TokenError::Invalid => ChatError::Expired,
            TokenError::KeyUnavailable => ChatError::Unavailable(e.to_string()),
        }
    }
}

impl From<TurnError> for ChatError {
    fn from(e: TurnError) -> Self {
        ChatError::Unavailable(crate::telemetry::chain(&e))
    }
}

impl From<crate::store::StoreError> for ChatError {
    fn from(e: crate::store::StoreError) -> Self {
        ChatError::Unavailable(crate::telemetry::chain(&e))
    }
}

/// Where a chat request came from: the browser's `Origin` header and the client address
/// API Gateway saw.
#[derive(Debug, Clone, Copy)]
pub struct Visitor<'a> {
    pub origin: Option<&'a str>,
    pub ip: &'a str,
}

/// The key and its tenant (the process's directory, else one GetItem), if the key is
/// active and allows `origin`.
async fn key_for(
    svc: &Services,
    key: &str,
    origin: Option<&str>,
) -> Result<(Arc<WidgetKey>, Arc<Tenant>), ChatError> {
    const REFUSED: &str = "this widget key is unknown, revoked, or not allowed on this site";
    if !widget::is_key(key) {
        return Err(ChatError::Refused(REFUSED));
    }
    let entry = match svc.tenants.widget(key) {
        Some(e) => Some(e),
        None => match svc.store.widget_key(key).await? {
            Some(k) => match svc.store.tenant(&k.tenant_id).await? {
                Some(t) => {
                    let e = (Arc::new(k), Arc::new(t));
                    svc.tenants.put_widget(key, e.clone());
                    Some(e)
                }
                None => None,
            },
            None => None,
        },
    };
    match (entry, origin) {
        (Some((k, t)), Some(o)) if k.allows(o) => {
            if t.status != TenantStatus::Active {
                tracing::warn!(status = ?t.status, tenant = %t.id, "chat to a tenant not taking conversations");
                return Err(ChatError::Closed(format!(
                    "{} is not taking chats right now; please call {}",
                    t.name,
                    phone::display(&t.phone)
                )));
            }
            Ok((k, t))
        }
        _ => Err(ChatError::Refused(REFUSED)),
    }
}

async fn limited(svc: &Services, scopes: &[(LimitScope<'_>, crate::store::Rate)]) -> bool {
    !abuse::allow(svc, scopes).await
}

/// Opens a chat: checks the key against the page's origin, limits sessions per address
/// and key, and greets the visitor.
///
/// Errors: 403 [`ChatError::Refused`] (nothing written), 400 naming `phone`, 429.
pub async fn start(
    svc: &Services,
    from: Visitor<'_>,
    input: StartChat,
) -> Result<ChatState, ChatError> {
    let (key, tenant) = key_for(svc, input.key.trim(), from.origin).await?;
    // North American numbers only: the booking texts go to it, and an open form that
    // texts any international number is an SMS-pumping target.
    let phone = phone::normalize_e164(&input.phone)
        .filter(|p| p.starts_with("+1") && p.len() == 12)
        .ok_or_else(|| ChatError::Invalid("phone: not a US or Canadian mobile number".into()))?;
    let limits = svc.config.limits;
    let scopes = [
        (LimitScope::ChatIp(from.ip), limits.chat_sessions_per_ip),
        (LimitScope::ChatKey(&key.key), limits.chat_sessions_per_key),
    ];
    if limited(svc, &scopes).await {
        return Err(ChatError::Limited);
    }
    let session_id = format!("cs_{}", uuid::Uuid::new_v4().simple());
    let (_, x) = super::open_state(svc, &tenant, &session_id, &phone).await?;
    let claims = ChatClaims {
        sub: session_id,
        tenant: tenant.id.clone(),
        key: key.key.clone(),
        origin: from.origin.unwrap_or_default().to_string(),
        phone,
        exp: 0,
        iat: 0,
        iss: String::new(),
        aud: String::new(),
    };
    state(svc, &tenant, claims, x).await
}

/// The session a token names, from the page it was opened on, with its key still active.
async fn session(
    svc: &Services,
    from: Visitor<'_>,
    bearer: Option<&str>,
    session_id: &str,
) -> Result<(ChatClaims, Arc<Tenant>), ChatError> {
    let claims = token::verify(svc, bearer.ok_or(ChatError::Expired)?).await?;
    if claims.sub != session_id {
        return Err(ChatError::NotFound);
    }
    // A browser names the page's origin on every cross-origin request and every POST; a
    // same-origin GET carries none, and then the token alone speaks for the session.
    if from.origin.is_some_and(|o| o != claims.origin) {
        return Err(ChatError::Refused(
            "this chat was opened on another site; start a new chat here",
        ));
    }
    let (_, tenant) = key_for(svc, &claims.key, Some(&claims.origin)).await?;
    if tenant.id != claims.tenant {
        return Err(ChatError::NotFound);
    }
    Ok((claims, tenant))
}

/// One visitor message: the chat after the receptionist's answer.
///
/// Errors: 401 (token), 403 (origin, revoked key), 400 naming `text` or `message_id`,
/// 404, 409 [`ChatError::Full`], 429.
pub async fn post(
    svc: &Services,
    from: Visitor<'_>,
    bearer: Option<&str>,
    session_id: &str,
    input: VisitorMessage,
) -> Result<ChatState, ChatError> {
    let (claims, tenant) = session(svc, from, bearer, session_id).await?;
    let text = input.text.trim();
    if text.is_empty() || text.chars().count() > MAX_TEXT_CHARS {
        return Err(ChatError::Invalid(format!(
            "text: must be 1 to {MAX_TEXT_CHARS} characters"
        )));
    }
    let id = input.message_id.trim();
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(ChatError::Invalid(
            "message_id: must be 1 to 64 letters, digits or dashes".into(),
        ));
    }
    let conv = crate::ids::short_id("ch", &[&tenant.id, "|", session_id]);
    let limits = super::Limits {
        max_lines: MAX_VISITOR_MESSAGES,
        per_minute: BURST_MESSAGES,
    };
    let x = super::exchange(svc, &tenant, &conv, text, Some(id), limits)
        .await?
        .ok_or(ChatError::NotFound)?;
    match x.refused {
        Some(super::Refused::Full) => return Err(ChatError::Full),
        Some(super::Refused::TooFast) => return Err(ChatError::Limited),
        Some(super::Refused::Ended) => return Err(ChatError::Ended),
        None => {}
    }
    state(svc, &tenant, claims, x).await
}

/// The chat as it stands (the widget resumes after a reload).
///
/// Errors: 401, 403, 404.
pub async fn resume(
    svc: &Services,
    from: Visitor<'_>,
    bearer: Option<&str>,
    session_id: &str,
) -> Result<ChatState, ChatError> {
    let (claims, tenant) = session(svc, from, bearer, session_id).await?;
    let conv = crate::ids::short_id("ch", &[&tenant.id, "|", session_id]);
    let x = super::current(svc, &tenant, &conv)
        .await?
        .ok_or(ChatError::NotFound)?;
    state(svc, &tenant, claims, x).await
}

/// The chat as the widget draws it: the transcript (the receptionist's last line exactly
/// as answered in writing), buttons, the emergency and end flags, and a fresh token.
async fn state(
    svc: &Services,
    tenant: &Tenant,
    claims: ChatClaims,
    x: Exchanged,
) -> Result<ChatState, ChatError> {
    let s = &x.state;
    let mut messages: Vec<ChatLine> = s
        .transcript
        .iter()
        .map(|t| ChatLine {
            from: if t.speaker == "caller" {
                Author::Visitor
            } else {
                Author::Receptionist
            },
            text: crate::twilio::replies::written(&t.text),
            at: t.at,
        })
        .collect();
    if let Some(last) = messages.last_mut() {
        if last.from == Author::Receptionist && !x.reply.is_empty() {
            last.text = x.reply.clone();
        }
    }
    let ended = s.stage == Stage::Ended;
    let quick_replies = if ended {
        Vec::new()
    } else {
        dialogue::quick_replies(s, tenant, svc.clock.now())
    };
    let session_id = claims.sub.clone();
    let token = token::issue(svc, claims).await?;
    Ok(ChatState {
        session_id,
        token,
        expires_in: token::IDLE_S,
        shop_name: tenant.name.clone(),
        shop_phone: tenant.phone.clone(),
        messages,
        quick_replies,
        emergency: s.emergency,
        ended,
    })
}
