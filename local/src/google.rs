//! A Google stand-in (OAuth 2.0 and Calendar API v3) at `/_local/google`: this machine
//! cannot reach Google. It checks what Google checks (client credentials, redirect URI,
//! PKCE verifier, bearer tokens, event shapes) and keeps events and the owner's personal
//! busy time in memory.
//!
//! Consent is granted at once: `GET /oauth/authorize` redirects straight back with a code,
//! as if the owner pressed "Allow". Inspection and fault injection:
//! `GET /_local/google/events`, `POST /_local/google/busy` `{"start","end"}` (a personal
//! event), `POST /_local/google/fail` `{"statuses":[503, 429]}` (the next Calendar API
//! answers), `POST /_local/google/expire-access` (access tokens expire),
//! `POST /_local/google/revoke-all` (the owner revokes access at Google).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, patch, post};
use axum::{Form, Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The OAuth client the local stack registers (its secret holds these).
pub const CLIENT_ID: &str = "local-google-client.apps.googleusercontent.com";
pub const CLIENT_SECRET: &str = "local-google-client-secret";

/// One event as the stand-in holds it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredEvent {
    pub calendar: String,
    pub id: String,
    /// `confirmed` or `cancelled`.
    pub status: String,
    pub summary: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The last body Frontline sent.
    pub body: Value,
}

struct Grant {
    redirect_uri: String,
    challenge: String,
}

#[derive(Default)]
pub struct GoogleStandIn {
    codes: Mutex<HashMap<String, Grant>>,
    refresh_tokens: Mutex<Vec<String>>,
    access_tokens: Mutex<Vec<String>>,
    events: Mutex<Vec<StoredEvent>>,
    personal: Mutex<Vec<(DateTime<Utc>, DateTime<Utc>)>>,
    fail_next: Mutex<Vec<u16>>,
    /// Every Calendar API and token request: `METHOD path`.
    pub requests: Mutex<Vec<String>>,
}

impl GoogleStandIn {
    /// Events in the calendar (cancelled ones included).
    pub fn events(&self) -> Vec<StoredEvent> {
        self.events.lock().map(|e| e.clone()).unwrap_or_default()
    }

    /// Adds a personal event to the owner's calendar.
    pub fn add_busy(&self, start: DateTime<Utc>, end: DateTime<Utc>) {
        if let Ok(mut p) = self.personal.lock() {
            p.push((start, end));
        }
    }

    /// Removes every personal event.
    pub fn clear_busy(&self) {
        if let Ok(mut p) = self.personal.lock() {
            p.clear();
        }
    }

    /// The next Calendar API requests answer with these statuses.
    pub fn fail_next(&self, statuses: &[u16]) {
        if let Ok(mut f) = self.fail_next.lock() {
            f.extend_from_slice(statuses);
        }
    }

    /// Expires every access token (refresh tokens keep working), as an hour passing would.
    pub fn expire_access(&self) {
        if let Ok(mut t) = self.access_tokens.lock() {
            t.clear();
        }
    }

    /// Forgets every token, as when the owner removes access in their Google account.
    pub fn revoke_all(&self) {
        for m in [&self.refresh_tokens, &self.access_tokens] {
            if let Ok(mut t) = m.lock() {
                t.clear();
            }
        }
    }

    fn log(&self, line: String) {
        if let Ok(mut r) = self.requests.lock() {
            r.push(line);
        }
    }
}

type St = Arc<GoogleStandIn>;

/// The stand-in's routes, to nest under `/_local/google`.
pub fn router<S: Clone + Send + Sync + 'static>(st: St) -> Router<S> {
    Router::new()
        .route("/oauth/authorize", get(authorize))
        .route("/token", post(token))
        .route("/revoke", post(revoke))
        .route("/calendar/v3/calendars/{cal}/events", post(insert))
        .route(
            "/calendar/v3/calendars/{cal}/events/{id}",
            patch(patch_event).delete(delete_event),
        )
        .route("/calendar/v3/freeBusy", post(free_busy))
        .route("/events", get(list))
        .route("/busy", post(busy))
        .route("/fail", post(fail))
        .route("/revoke-all", post(revoke_all))
        .route("/expire-access", post(expire_access))
        .with_state(st)
}

fn oauth_error(status: StatusCode, error: &str, desc: &str) -> Response {
    (
        status,
        Json(json!({"error": error, "error_description": desc})),
    )
        .into_response()
}

fn api_error(status: u16, reason: &str, message: &str) -> Response {
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        Json(json!({"error": {"code": status, "message": message, "errors": [{"domain": "global", "reason": reason, "message": message}]}})),
    )
        .into_response()
}

async fn authorize(State(st): State<St>, Query(q): Query<HashMap<String, String>>) -> Response {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    st.log("GET /oauth/authorize".into());
    let scopes = get("scope");
    let ok = get("client_id") == CLIENT_ID
        && get("response_type") == "code"
        && get("code_challenge_method") == "S256"
        && !get("code_challenge").is_empty()
        && !get("state").is_empty()
        && get("access_type") == "offline"
        && frontline::google::SCOPES
            .iter()
            .all(|s| scopes.split(' ').any(|x| x == *s));
    if !ok {
        return (StatusCode::BAD_REQUEST, "invalid_request: client_id, response_type=code, scope, state, access_type=offline and an S256 code_challenge are required").into_response();
    }
    let code = format!("4/local-{}", uuid::Uuid::new_v4().simple());
    if let Ok(mut c) = st.codes.lock() {
        c.insert(
            code.clone(),
            Grant {
                redirect_uri: get("redirect_uri"),
                challenge: get("code_challenge"),
            },
        );
    }
    let query = serde_urlencoded::to_string([("code", code.as_str()), ("state", &get("state"))])
        .unwrap_or_default();
    Redirect::to(&format!("{}?{query}", get("redirect_uri"))).into_response()
}

async fn token(State(st): State<St>, Form(f): Form<HashMap<String, String>>) -> Response {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    st.log(format!("POST /token {}", get("grant_type")));
    if get("client_id") != CLIENT_ID || get("client_secret") != CLIENT_SECRET {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "The OAuth client was not found.",
        );
    }
    let access = format!("ya29.local-{}", uuid::Uuid::new_v4().simple());
    match get("grant_type").as_str() {
        "authorization_code" => {
            let Some(grant) = st
                .codes
                .lock()
                .ok()
                .and_then(|mut c| c.remove(&get("code")))
            else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "Malformed auth code.",
                );
            };
            if grant.redirect_uri != get("redirect_uri") {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "redirect_uri_mismatch",
                    "Bad Request",
                );
            }
            if frontline::google::pkce_challenge(&get("code_verifier")) != grant.challenge {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "Invalid code verifier.",
                );
            }
            let refresh = format!("1//local-{}", uuid::Uuid::new_v4().simple());
            if let Ok(mut r) = st.refresh_tokens.lock() {
                r.push(refresh.clone());
            }
            if let Ok(mut a) = st.access_tokens.lock() {
                a.push(access.clone());
            }
            Json(json!({"access_token": access, "expires_in": 3599, "refresh_token": refresh, "scope": frontline::google::SCOPES.join(" "), "token_type": "Bearer"})).into_response()
        }
        "refresh_token" => {
            let known = st
                .refresh_tokens
                .lock()
                .map(|r| r.contains(&get("refresh_token")))
                .unwrap_or(false);
            if !known {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "Token has been expired or revoked.",
                );
            }
            if let Ok(mut a) = st.access_tokens.lock() {
                a.push(access.clone());
            }
            Json(json!({"access_token": access, "expires_in": 3599, "scope": frontline::google::SCOPES.join(" "), "token_type": "Bearer"})).into_response()
        }
        _ => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Invalid grant_type.",
        ),
    }
}

async fn revoke(State(st): State<St>, Form(f): Form<HashMap<String, String>>) -> Response {
    let t = f.get("token").cloned().unwrap_or_default();
    st.log("POST /revoke".into());
    let mut found = false;
    for m in [&st.refresh_tokens, &st.access_tokens] {
        if let Ok(mut v) = m.lock() {
            let before = v.len();
            v.retain(|x| *x != t);
            found |= v.len() != before;
        }
    }
    if found {
        StatusCode::OK.into_response()
    } else {
        oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_token",
            "Token expired or revoked",
        )
    }
}

/// Bearer check and injected failures, in Google's error shapes.
fn gate(st: &GoogleStandIn, headers: &HeaderMap, line: String) -> Option<Response> {
    st.log(line);
    if let Some(code) = st
        .fail_next
        .lock()
        .ok()
        .and_then(|mut f| (!f.is_empty()).then(|| f.remove(0)))
    {
        let reason = if code == 429 {
            "rateLimitExceeded"
        } else {
            "backendError"
        };
        return Some(api_error(code, reason, "injected failure"));
    }
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_string();
    let ok = st
        .access_tokens
        .lock()
        .map(|a| a.contains(&token))
        .unwrap_or(false);
    (!ok).then(|| api_error(401, "authError", "Invalid Credentials"))
}

/// An event's summary, start and end.
type EventFields = (String, DateTime<Utc>, DateTime<Utc>);
/// Google's 400 as `(reason, message)`.
type BadRequest = (&'static str, &'static str);

/// An event's fields, or why Google would refuse it.
fn parse_event(body: &Value) -> Result<EventFields, BadRequest> {
    let t = |k: &str| {
        body[k]["dateTime"]
            .as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|d| d.with_timezone(&Utc))
    };
    let (Some(start), Some(end)) = (t("start"), t("end")) else {
        return Err(("required", "Missing start or end time."));
    };
    if body["start"]["timeZone"]
        .as_str()
        .is_some_and(|z| z.parse::<chrono_tz::Tz>().is_err())
    {
        return Err(("invalid", "Invalid time zone definition for start time."));
    }
    if end <= start {
        return Err(("timeRangeEmpty", "The specified time range is empty."));
    }
    Ok((
        body["summary"].as_str().unwrap_or_default().to_string(),
        start,
        end,
    ))
}

fn valid_event_id(id: &str) -> bool {
    (5..=1024).contains(&id.len()) && id.chars().all(|c| matches!(c, '0'..='9' | 'a'..='v'))
}

async fn insert(
    State(st): State<St>,
    Path(cal): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(r) = gate(&st, &headers, format!("POST /calendars/{cal}/events")) {
        return r;
    }
    let id = body["id"].as_str().unwrap_or_default().to_string();
    if !valid_event_id(&id) {
        return api_error(400, "invalid", "Invalid resource id value.");
    }
    let (summary, start, end) = match parse_event(&body) {
        Ok(x) => x,
        Err((reason, msg)) => return api_error(400, reason, msg),
    };
    let mut events = st.events.lock().expect("events");
    if events.iter().any(|e| e.calendar == cal && e.id == id) {
        return api_error(409, "duplicate", "The requested identifier already exists.");
    }
    events.push(StoredEvent {
        calendar: cal,
        id: id.clone(),
        status: "confirmed".into(),
        summary,
        start,
        end,
        body: body.clone(),
    });
    (
        StatusCode::OK,
        Json(json!({"kind": "calendar#event", "id": id, "status": "confirmed"})),
    )
        .into_response()
}

async fn patch_event(
    State(st): State<St>,
    Path((cal, id)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(r) = gate(&st, &headers, format!("PATCH /calendars/{cal}/events/{id}")) {
        return r;
    }
    let mut events = st.events.lock().expect("events");
    let Some(ev) = events.iter_mut().find(|e| e.calendar == cal && e.id == id) else {
        return api_error(404, "notFound", "Not Found");
    };
    let mut merged = ev.body.clone();
    if let (Some(m), Some(b)) = (merged.as_object_mut(), body.as_object()) {
        for (k, v) in b {
            m.insert(k.clone(), v.clone());
        }
    }
    let (summary, start, end) = match parse_event(&merged) {
        Ok(x) => x,
        Err((reason, msg)) => return api_error(400, reason, msg),
    };
    ev.summary = summary;
    ev.start = start;
    ev.end = end;
    ev.status = merged["status"].as_str().unwrap_or("confirmed").to_string();
    ev.body = merged;
    (
        StatusCode::OK,
        Json(json!({"kind": "calendar#event", "id": id, "status": ev.status})),
    )
        .into_response()
}

async fn delete_event(
    State(st): State<St>,
    Path((cal, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = gate(
        &st,
        &headers,
        format!("DELETE /calendars/{cal}/events/{id}"),
    ) {
        return r;
    }
    let mut events = st.events.lock().expect("events");
    match events.iter_mut().find(|e| e.calendar == cal && e.id == id) {
        None => api_error(404, "notFound", "Not Found"),
        Some(e) if e.status == "cancelled" => {
            api_error(410, "deleted", "Resource has been deleted")
        }
        Some(e) => {
            e.status = "cancelled".into();
            StatusCode::NO_CONTENT.into_response()
        }
    }
}

async fn free_busy(State(st): State<St>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(r) = gate(&st, &headers, "POST /freeBusy".into()) {
        return r;
    }
    let t = |k: &str| {
        body[k]
            .as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|d| d.with_timezone(&Utc))
    };
    let (Some(min), Some(max)) = (t("timeMin"), t("timeMax")) else {
        return api_error(400, "badRequest", "Missing timeMin or timeMax.");
    };
    let mut calendars = serde_json::Map::new();
    for item in body["items"].as_array().cloned().unwrap_or_default() {
        let cal = item["id"].as_str().unwrap_or_default().to_string();
        let mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)> = st
            .events
            .lock()
            .map(|e| {
                e.iter()
                    .filter(|e| e.calendar == cal && e.status == "confirmed")
                    .map(|e| (e.start, e.end))
                    .collect()
            })
            .unwrap_or_default();
        if cal == "primary" {
            spans.extend(st.personal.lock().map(|p| p.clone()).unwrap_or_default());
        }
        spans.retain(|(a, b)| *b > min && *a < max);
        spans.sort();
        // Google merges overlapping and touching busy times.
        let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
        for (a, b) in spans {
            match merged.last_mut() {
                Some((_, e)) if a <= *e => *e = (*e).max(b),
                _ => merged.push((a.max(min), b)),
            }
        }
        let busy: Vec<Value> = merged
            .iter()
            .map(|(a, b)| json!({"start": a.to_rfc3339(), "end": (*b).min(max).to_rfc3339()}))
            .collect();
        calendars.insert(cal, json!({"busy": busy}));
    }
    Json(json!({"kind": "calendar#freeBusy", "timeMin": body["timeMin"], "timeMax": body["timeMax"], "calendars": calendars})).into_response()
}

async fn list(State(st): State<St>) -> Json<Vec<StoredEvent>> {
    Json(st.events())
}

#[derive(Deserialize)]
struct BusyBody {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

async fn busy(State(st): State<St>, Json(b): Json<BusyBody>) -> StatusCode {
    st.add_busy(b.start, b.end);
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct FailBody {
    statuses: Vec<u16>,
}

async fn fail(State(st): State<St>, Json(b): Json<FailBody>) -> StatusCode {
    st.fail_next(&b.statuses);
    StatusCode::NO_CONTENT
}

async fn expire_access(State(st): State<St>) -> StatusCode {
    st.expire_access();
    StatusCode::NO_CONTENT
}

async fn revoke_all(State(st): State<St>) -> StatusCode {
    st.revoke_all();
    StatusCode::NO_CONTENT
}
