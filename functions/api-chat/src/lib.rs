//! `api-chat`: the website chat widget's API (`frontline::flows::chat::session`). No
//! dashboard login: a widget key allowed for the page's `Origin` opens a session, and the
//! session's token carries the rest. Answers carry CORS headers for accepted origins only
//! (`frontline::http::chat`).
//!
//! - `POST /v1/chat/sessions` `{key, phone}`: 201, the greeting and a session token.
//! - `POST /v1/chat/sessions/{session_id}/messages` `{text, message_id}`: 200, the chat.
//! - `GET /v1/chat/sessions/{session_id}`: 200, the chat (resume after a reload).
//! - `OPTIONS` on each: the CORS preflight.
//!
//! Refusals are problem+json: 400 naming the field, 401 expired token, 403 key or origin
//! refused (nothing written), 404, 409 chat full, 413 body too large, 429 with
//! `Retry-After`.

use frontline::flows::chat::session::{self, ChatState, Visitor};
use frontline::http::chat::{allow_origin, bearer, chat_problem, origin, preflight};
use frontline::http::{json, parse_json_limit, path_param, problem, source_ip};
use frontline::Services;
use lambda_http::{http::Method, Body, Request, Response};

/// Largest chat request body, bytes (a 1,000-character message as JSON, with room).
const MAX_CHAT_BODY: usize = 8 * 1024;

pub async fn handle(svc: &Services, req: Request) -> Response<Body> {
    if req.method() == Method::OPTIONS {
        return preflight(&req);
    }
    let ip = source_ip(&req);
    let from = Visitor {
        origin: origin(&req),
        ip: &ip,
    };
    let path = req.uri().path().trim_end_matches('/').to_string();
    let session_id = path_param(&req, "session_id").map(str::to_string);
    let answer = match (req.method().clone(), session_id) {
        (Method::POST, None) if path == "/v1/chat/sessions" => {
            let body = match parse_json_limit(&req, MAX_CHAT_BODY) {
                Ok(b) => b,
                Err(r) => return cors(r, from.origin, false),
            };
            session::start(svc, from, body).await.map(|s| (201, s))
        }
        (Method::POST, Some(id)) if path.ends_with("/messages") => {
            let body = match parse_json_limit(&req, MAX_CHAT_BODY) {
                Ok(b) => b,
                Err(r) => return cors(r, from.origin, false),
            };
            session::post(svc, from, bearer(&req), &id, body)
                .await
                .map(|s| (200, s))
        }
        (Method::GET, Some(id)) => session::resume(svc, from, bearer(&req), &id)
            .await
            .map(|s| (200, s)),
        (m, _) => return problem(404, "Not Found", format!("no route {m} {path}")),
    };
    match answer {
        Ok((status, state)) => cors(json::<ChatState>(status, &state), from.origin, true),
        Err(e) => {
            let readable = !matches!(e, session::ChatError::Refused(_));
            cors(chat_problem(e), from.origin, readable)
        }
    }
}

/// The answer, readable by the page when `readable` (every answer but a refused origin:
/// a malformed body or an expired token is the page's own business to show).
fn cors(resp: Response<Body>, origin: Option<&str>, readable: bool) -> Response<Body> {
    match origin {
        Some(o) if readable => allow_origin(resp, o),
        _ => resp,
    }
}
