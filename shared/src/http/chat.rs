//! The website chat's HTTP glue: CORS (the Fetch standard's CORS protocol) and the
//! rendering of [`ChatError`] as problem+json.
//!
//! CORS: an answer names the page's origin in `Access-Control-Allow-Origin` only when
//! the flow accepted that origin (the key allows it, or the session was opened from it);
//! a refused origin gets its 403 without the header, so the page cannot even read the
//! refusal. A preflight carries no key, so it grants only the right to ask: any origin
//! may send the request, which is then checked.

use super::problem;
use crate::flows::chat::session::ChatError;
use lambda_http::{http::HeaderValue, Body, Request, Response};

/// The browser's `Origin` header (RFC 6454), if any.
pub fn origin(req: &Request) -> Option<&str> {
    req.headers().get("origin").and_then(|v| v.to_str().ok())
}

/// The `Authorization: Bearer` value, if any.
pub fn bearer(req: &Request) -> Option<&str> {
    req.headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
}

/// `resp`, readable by a page at `origin`.
pub fn allow_origin(mut resp: Response<Body>, origin: &str) -> Response<Body> {
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(origin) {
        h.insert("access-control-allow-origin", v);
    }
    h.insert("vary", HeaderValue::from_static("Origin"));
    resp
}

/// The answer to a CORS preflight (`OPTIONS`): 204 allowing the chat's methods and
/// headers for ten minutes.
pub fn preflight(req: &Request) -> Response<Body> {
    let mut r = super::no_content();
    let h = r.headers_mut();
    h.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_static("authorization, content-type"),
    );
    h.insert("access-control-max-age", HeaderValue::from_static("600"));
    match origin(req) {
        Some(o) => allow_origin(r, o),
        None => r,
    }
}

/// A refused or failed chat request as problem+json (statuses in [`ChatError`]'s docs).
pub fn chat_problem(e: ChatError) -> Response<Body> {
    match e {
        ChatError::Invalid(d) => problem(400, "Bad Request", d),
        ChatError::Expired => problem(401, "Unauthorized", e.to_string()),
        ChatError::Refused(d) => problem(403, "Forbidden", d),
        ChatError::NotFound => problem(404, "Not Found", e.to_string()),
        ChatError::Full | ChatError::Ended => problem(409, "Conflict", e.to_string()),
        ChatError::Limited => {
            let mut r = problem(429, "Too Many Requests", e.to_string());
            r.headers_mut()
                .insert("retry-after", HeaderValue::from_static("60"));
            r
        }
        ChatError::Closed(d) => problem(503, "Service Unavailable", d),
        ChatError::Unavailable(ref d) => {
            tracing::error!(error = %d, "chat unavailable");
            problem(503, "Service Unavailable", e.to_string())
        }
    }
}
