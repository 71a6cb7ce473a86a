//! The Twilio stand-in: the REST resources Frontline calls (Messages and Calls, create
//! and list, with basic auth as Twilio checks it; Twilio "Messages resource", "Call
//! resource"; a Recording's media and delete, "Recording resource"), delivery status callbacks signed as Twilio signs them, and fault injection
//! (failures, stalls, undeliverable and silent numbers). Served under `/_local/twilio`.

use crate::phone;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The stand-in's routes, to nest under `/_local/twilio`: the recorded texts and calls
/// (`/messages`, `/calls`) and Twilio's own paths (`/2010-04-01/Accounts/{sid}/…`).
pub fn router<S: Clone + Send + Sync + 'static>(standin: Arc<StandIn>) -> Router<S> {
    Router::new()
        .route("/messages", get(list_messages))
        .route("/calls", get(list_calls))
        .route(
            "/2010-04-01/Accounts/{sid}/Calls.json",
            post(create_call).get(read_calls),
        )
        .route(
            "/2010-04-01/Accounts/{sid}/Messages.json",
            post(create_message).get(read_messages),
        )
        .route(
            "/2010-04-01/Accounts/{sid}/Recordings/{recording}",
            get(fetch_recording).delete(delete_recording),
        )
        .with_state(standin)
}

/// One SMS the Twilio stand-in received (local contract shape).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct RecordedMessage {
    pub sid: String,
    pub from: String,
    pub to: String,
    pub body: String,
    pub status: String,
    pub created_at: String,
}

/// How a stalled request ends: Twilio's answer is lost either way.
#[derive(Debug, Clone, Copy)]
pub enum Stall {
    /// The text or call is accepted (and sent or placed), then the answer is held this
    /// long.
    AfterAccepting(Duration),
    /// The request is held this long before anything is accepted, then refused with 503.
    BeforeAccepting(Duration),
}

impl Stall {
    /// Takes the first of `queue`, if any.
    fn next(queue: &Mutex<Vec<Stall>>) -> Option<Stall> {
        queue
            .lock()
            .ok()
            .and_then(|mut q| (!q.is_empty()).then(|| q.remove(0)))
    }

    /// Holds a `BeforeAccepting` request, then answers 503 (nothing was created).
    async fn refuse(stall: Option<Stall>) -> Option<Response> {
        let Some(Stall::BeforeAccepting(hold)) = stall else {
            return None;
        };
        tokio::time::sleep(hold).await;
        Some(
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"code": 20503, "message": "injected stall"})),
            )
                .into_response(),
        )
    }

    /// Holds the answer to an `AfterAccepting` request.
    async fn hold_answer(stall: Option<Stall>) {
        if let Some(Stall::AfterAccepting(hold)) = stall {
            tokio::time::sleep(hold).await;
        }
    }
}

/// One call the Twilio stand-in was asked to place (the owner-alert fallback).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct RecordedCall {
    pub sid: String,
    pub from: String,
    pub to: String,
    pub twiml: String,
    pub created_at: String,
}

/// The Twilio stand-in's record and its fault injection.
#[derive(Default)]
pub struct StandIn {
    pub messages: Mutex<Vec<RecordedMessage>>,
    pub calls: Mutex<Vec<RecordedCall>>,
    /// The next sends answer with these HTTP statuses, in order.
    pub fail_next: Mutex<Vec<u16>>,
    /// The next texts stall, in order (after `fail_next`): the client times out.
    pub stall_next: Mutex<Vec<Stall>>,
    /// The next calls stall, in order: the client times out.
    pub stall_next_calls: Mutex<Vec<Stall>>,
    /// Texts to these numbers are accepted, then reported `undelivered` (error 30003).
    pub undeliverable: Mutex<Vec<String>>,
    /// Texts to these numbers are accepted but no delivery report ever comes.
    pub silent: Mutex<Vec<String>>,
    /// The stack's clock: Twilio's timestamps agree with ours, as they do in production.
    pub clock: frontline::clock::Clock,
    /// Recordings deleted through the Recordings resource (the rest all exist and play).
    pub deleted_recordings: Mutex<Vec<String>>,
}

impl StandIn {
    /// Every SMS received so far.
    pub fn messages(&self) -> Vec<RecordedMessage> {
        self.messages.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// The recording SIDs deleted so far.
    pub fn deleted_recordings(&self) -> Vec<String> {
        self.deleted_recordings
            .lock()
            .map(|d| d.clone())
            .unwrap_or_default()
    }

    /// Every call placed so far.
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

/// Posts delivery reports the way Twilio does (`sent`, then `delivered` or
/// `undelivered`), signed over the callback URL.
async fn report_delivery(twilio: Arc<StandIn>, msg: RecordedMessage, callback: String) {
    let listed = |l: &Mutex<Vec<String>>| l.lock().map(|v| v.contains(&msg.to)).unwrap_or(false);
    if listed(&twilio.silent) {
        return;
    }
    let last = if listed(&twilio.undeliverable) {
        ("undelivered", "30003")
    } else {
        ("delivered", "")
    };
    let http = reqwest::Client::new();
    for (status, code) in [("sent", ""), last] {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut params: Vec<(String, String)> = [
            ("AccountSid", phone::ACCOUNT_SID),
            ("MessageSid", msg.sid.as_str()),
            ("SmsSid", msg.sid.as_str()),
            ("MessageStatus", status),
            ("From", msg.from.as_str()),
            ("To", msg.to.as_str()),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        if !code.is_empty() {
            params.push(("ErrorCode".into(), code.into()));
        }
        let sig = frontline::twilio::sign(phone::AUTH_TOKEN, &callback, &params);
        let _ = http
            .post(&callback)
            .header("X-Twilio-Signature", sig)
            .form(&params)
            .send()
            .await;
        if let Ok(mut all) = twilio.messages.lock() {
            if let Some(m) = all.iter_mut().find(|m| m.sid == msg.sid) {
                m.status = status.to_string();
            }
        }
    }
}

async fn list_calls(State(twilio): State<Arc<StandIn>>) -> Json<Vec<RecordedCall>> {
    Json(twilio.calls())
}

/// The Calls resource: basic auth, `To`, `From` and inline `Twiml`; 201 with a CallSid.
async fn create_call(
    State(twilio): State<Arc<StandIn>>,
    Path(sid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(denied) = check_auth(&sid, &headers) {
        return denied;
    }
    let stall = Stall::next(&twilio.stall_next_calls);
    if let Some(refused) = Stall::refuse(stall).await {
        return refused;
    }
    let form = frontline::twilio::WebhookForm::parse(&body).unwrap_or_default();
    let get = |k: &str| form.get(k).unwrap_or_default().to_string();
    let call = RecordedCall {
        sid: format!("CA{}", uuid::Uuid::new_v4().simple()),
        from: get("From"),
        to: get("To"),
        twiml: get("Twiml"),
        created_at: twilio.clock.now().to_rfc3339(),
    };
    if call.to.is_empty() || call.twiml.is_empty() {
        return (StatusCode::BAD_REQUEST, Json(serde_json::json!({"code": 21201, "message": "No 'To' number or 'Twiml' is specified"}))).into_response();
    }
    if let Ok(mut c) = twilio.calls.lock() {
        c.push(call.clone());
    }
    Stall::hold_answer(stall).await;
    (
        StatusCode::CREATED,
        Json(serde_json::json!({"sid": call.sid, "status": "queued"})),
    )
        .into_response()
}

/// A quarter second of silence as Twilio serves a recording by default: WAV, 8 kHz,
/// 16-bit mono.
fn stand_in_wav() -> Vec<u8> {
    let data_len: u32 = 4000;
    let mut w = Vec::with_capacity(44 + data_len as usize);
    w.extend_from_slice(b"RIFF");
    w.extend_from_slice(&(36 + data_len).to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&16u32.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes()); // PCM
    w.extend_from_slice(&1u16.to_le_bytes()); // mono
    w.extend_from_slice(&8000u32.to_le_bytes());
    w.extend_from_slice(&16000u32.to_le_bytes()); // bytes per second
    w.extend_from_slice(&2u16.to_le_bytes()); // block align
    w.extend_from_slice(&16u16.to_le_bytes());
    w.extend_from_slice(b"data");
    w.extend_from_slice(&data_len.to_le_bytes());
    w.resize(44 + data_len as usize, 0);
    w
}

fn no_recording() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(serde_json::json!({"code": 20404, "message": "The requested resource was not found"})),
    )
        .into_response()
}

/// The Recording resource's media (`GET …/Recordings/{RecordingSid}`): basic auth; WAV
/// unless the recording was deleted.
async fn fetch_recording(
    State(twilio): State<Arc<StandIn>>,
    Path((sid, recording)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = check_auth(&sid, &headers) {
        return refused;
    }
    if !recording.starts_with("RE") || twilio.deleted_recordings().contains(&recording) {
        return no_recording();
    }
    ([("content-type", "audio/x-wav")], stand_in_wav()).into_response()
}

/// The Recording resource's delete (`DELETE …/Recordings/{RecordingSid}.json`): basic
/// auth; 204, or 404 when it is already gone.
async fn delete_recording(
    State(twilio): State<Arc<StandIn>>,
    Path((sid, recording)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = check_auth(&sid, &headers) {
        return refused;
    }
    let Some(rec) = recording
        .strip_suffix(".json")
        .filter(|r| r.starts_with("RE"))
    else {
        return no_recording();
    };
    let mut deleted = match twilio.deleted_recordings.lock() {
        Ok(d) => d,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    if deleted.iter().any(|d| d == rec) {
        return no_recording();
    }
    deleted.push(rec.to_string());
    StatusCode::NO_CONTENT.into_response()
}

/// `None` when the request carries the account's basic auth, else Twilio's 401.
fn check_auth(sid: &str, headers: &HeaderMap) -> Option<Response> {
    use base64::Engine as _;
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            phone::ACCOUNT_SID,
            phone::AUTH_TOKEN
        ))
    );
    if sid != phone::ACCOUNT_SID
        || headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str())
    {
        return Some(
            (
                StatusCode::UNAUTHORIZED,
                Json(serde_json::json!({"code": 20003, "message": "Authenticate"})),
            )
                .into_response(),
        );
    }
    None
}

async fn list_messages(State(twilio): State<Arc<StandIn>>) -> Json<Vec<RecordedMessage>> {
    Json(twilio.messages())
}

/// The Messages list as Twilio answers it (`GET …/Messages.json?To=&From=`): newest first,
/// `date_created` in RFC 2822.
async fn read_messages(
    State(twilio): State<Arc<StandIn>>,
    Path(sid): Path<String>,
    headers: HeaderMap,
    axum::extract::Query(filter): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let listed = twilio.messages().into_iter().map(|m| {
        (serde_json::json!({"sid": m.sid, "to": m.to, "from": m.from, "body": m.body, "status": m.status}), m.created_at)
    });
    list_page(&sid, &headers, &filter, "messages", listed.collect())
}

/// The Calls list as Twilio answers it (`GET …/Calls.json?To=&From=`), like the Messages
/// list.
async fn read_calls(
    State(twilio): State<Arc<StandIn>>,
    Path(sid): Path<String>,
    headers: HeaderMap,
    axum::extract::Query(filter): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let listed = twilio.calls().into_iter().map(|c| {
        (
            serde_json::json!({"sid": c.sid, "to": c.to, "from": c.from, "status": "completed"}),
            c.created_at,
        )
    });
    list_page(&sid, &headers, &filter, "calls", listed.collect())
}

/// One list page under `key`: the resources (oldest first, each with its RFC 3339
/// creation time) that match the `To` and `From` filters, newest first, at most 50.
fn list_page(
    sid: &str,
    headers: &HeaderMap,
    filter: &std::collections::HashMap<String, String>,
    key: &str,
    resources: Vec<(serde_json::Value, String)>,
) -> Response {
    if let Some(denied) = check_auth(sid, headers) {
        return denied;
    }
    let wanted = |r: &serde_json::Value, field: &str, key: &str| {
        filter.get(key).is_none_or(|f| r[field].as_str() == Some(f))
    };
    let page: Vec<serde_json::Value> = resources
        .into_iter()
        .rev()
        .filter(|(r, _)| wanted(r, "to", "To") && wanted(r, "from", "From"))
        .take(50)
        .map(|(mut r, created)| {
            r["date_created"] = chrono::DateTime::parse_from_rfc3339(&created)
                .map(|t| t.to_rfc2822())
                .unwrap_or_default()
                .into();
            r
        })
        .collect();
    Json(serde_json::json!({key: page, "page_size": 50, "page": 0})).into_response()
}

/// The Messages resource as Twilio answers it: basic auth, form body, 201 with a SID.
async fn create_message(
    State(twilio): State<Arc<StandIn>>,
    Path(sid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(denied) = check_auth(&sid, &headers) {
        return denied;
    }
    if let Some(code) = twilio.fail_next.lock().ok().and_then(|mut f| {
        if f.is_empty() {
            None
        } else {
            Some(f.remove(0))
        }
    }) {
        return (
            StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            Json(serde_json::json!({"code": 20500, "message": "injected failure"})),
        )
            .into_response();
    }
    let stall = Stall::next(&twilio.stall_next);
    if let Some(refused) = Stall::refuse(stall).await {
        return refused;
    }
    let form = frontline::twilio::WebhookForm::parse(&body).unwrap_or_default();
    let get = |k: &str| form.get(k).unwrap_or_default().to_string();
    let (to, from, text) = (get("To"), get("From"), get("Body"));
    if to.is_empty() || text.is_empty() {
        return (StatusCode::BAD_REQUEST, Json(serde_json::json!({"code": 21604, "message": "A 'To' phone number and a 'Body' are required."}))).into_response();
    }
    let msg = RecordedMessage {
        sid: format!("SM{}", uuid::Uuid::new_v4().simple()),
        from,
        to,
        body: text,
        status: "queued".into(),
        created_at: twilio.clock.now().to_rfc3339(),
    };
    if let Ok(mut m) = twilio.messages.lock() {
        m.push(msg.clone());
    }
    let callback = get("StatusCallback");
    if !callback.is_empty() {
        tokio::spawn(report_delivery(twilio.clone(), msg.clone(), callback));
    }
    Stall::hold_answer(stall).await;
    (StatusCode::CREATED, Json(serde_json::json!({"sid": msg.sid, "status": "queued", "to": msg.to, "from": msg.from, "body": msg.body}))).into_response()
}
