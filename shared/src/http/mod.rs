//! Shared handler glue: problem+json errors (RFC 9457), JSON and TwiML responses, Twilio
//! signature checks over the public URL, and bearer-token authentication.

pub mod account;
pub mod auth;
pub mod chat;
pub mod delivery;
pub mod openapi;
pub mod params;
pub mod routes;
pub mod sms;
pub mod voice;

use crate::twilio::{self, WebhookForm};
use crate::Services;
use lambda_http::{Body, Request, RequestExt, Response};
use serde::Serialize;

/// Largest request body any route accepts, bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// An RFC 9457 problem document.
#[derive(Debug, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
}

/// Serves one API Gateway request with `handler` inside a `request` span, so every log
/// line the request writes names it: `request_id` is API Gateway's `requestId` (the
/// `requestId` of the API's access log), `lambda_request_id` the Lambda invocation's
/// (absent on the local stack). Each API function's `main` and the local gateway call this.
pub async fn traced<F, Fut, T>(req: Request, handler: F) -> T
where
    F: FnOnce(Request) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    use tracing::Instrument;
    let api = match req.request_context_ref() {
        Some(lambda_http::request::RequestContext::ApiGatewayV2(c)) => c.request_id.clone(),
        _ => None,
    };
    let lambda = req.lambda_context_ref().map(|c| c.request_id.clone());
    let span = tracing::info_span!(
        "request",
        request_id = api.as_deref().unwrap_or("-"),
        lambda_request_id = lambda.as_deref()
    );
    handler(req).instrument(span).await
}

/// The client's address as API Gateway saw it (`requestContext.http.sourceIp`, HTTP API
/// payload 2.0); `unknown` when the event carries none.
pub fn source_ip(req: &Request) -> String {
    match req.request_context_ref() {
        Some(lambda_http::request::RequestContext::ApiGatewayV2(c)) => {
            c.http.source_ip.clone().unwrap_or_else(|| "unknown".into())
        }
        _ => "unknown".into(),
    }
}

/// Takes a token from the client address's sign-in bucket: `None` when the request may
/// go on, else the 429 problem to answer with (`Retry-After` in seconds).
pub async fn limit_auth(svc: &Services, req: &Request) -> Option<Response<Body>> {
    let ip = source_ip(req);
    let scope = crate::store::LimitScope::AuthIp(&ip);
    if crate::abuse::allow(svc, &[(scope, svc.config.limits.auth_per_ip)]).await {
        return None;
    }
    let mut r = problem(
        429,
        "Too Many Requests",
        "too many sign-in requests from this address; try again in a minute",
    );
    r.headers_mut()
        .insert("retry-after", http::HeaderValue::from_static("60"));
    Some(r)
}

pub fn problem(status: u16, title: &str, detail: impl Into<String>) -> Response<Body> {
    let p = Problem {
        kind: "about:blank".into(),
        title: title.into(),
        status,
        detail: detail.into(),
    };
    Response::builder()
        .status(status)
        .header("content-type", "application/problem+json")
        .body(Body::Text(serde_json::to_string(&p).unwrap_or_default()))
        .expect("static response parts")
}

/// The response for a store failure: 400 for an invalid request (a cursor that is not
/// ours), 409 for a lost race, else 503, logged, with no internals in the detail.
pub fn store_problem(e: crate::store::StoreError) -> Response<Body> {
    use crate::store::StoreError;
    match e {
        StoreError::Invalid(d) => problem(400, "Bad Request", d),
        StoreError::Conflict => problem(
            409,
            "Conflict",
            "the record changed while this request ran; reload and try again",
        ),
        e => {
            tracing::error!(error = %e, "storage failed");
            problem(
                503,
                "Service Unavailable",
                "storage is unavailable; try again",
            )
        }
    }
}

/// A CSV download (`text/csv`, RFC 4180) saved as `{name}.csv`.
pub fn csv(name: &str, body: String) -> Response<Body> {
    Response::builder()
        .status(200)
        .header("content-type", "text/csv; charset=utf-8")
        .header(
            "content-disposition",
            format!("attachment; filename=\"{name}.csv\""),
        )
        .header("cache-control", "no-store")
        .body(Body::Text(body))
        .expect("static response parts")
}

/// A `302 Found` to `location`, never cached.
pub fn redirect(location: &str) -> Response<Body> {
    Response::builder()
        .status(302)
        .header("location", location)
        .header("cache-control", "no-store")
        .body(Body::Empty)
        .expect("redirect")
}

/// `204 No Content`.
pub fn no_content() -> Response<Body> {
    Response::builder()
        .status(204)
        .body(Body::Empty)
        .expect("static response parts")
}

/// `200 audio/x-wav`, private and never cached (a voicemail's audio).
pub fn audio(wav: Vec<u8>) -> Response<Body> {
    Response::builder()
        .status(200)
        .header("content-type", "audio/x-wav")
        .header("cache-control", "private, no-store")
        .body(Body::Binary(wav))
        .expect("static response")
}

/// The response for a flow's refusal or failure (see [`crate::flows::FlowError`]).
pub fn flow_problem(e: crate::flows::FlowError) -> Response<Body> {
    use crate::flows::FlowError;
    match e {
        FlowError::NotFound(what) => problem(404, "Not Found", format!("no such {what}")),
        FlowError::Forbidden(d) => problem(403, "Forbidden", d),
        FlowError::Invalid(d) => problem(422, "Unprocessable Entity", d),
        FlowError::Conflict { detail, with: None } => problem(409, "Conflict", detail),
        FlowError::Conflict {
            detail,
            with: Some(id),
        } => {
            let body = serde_json::json!({"type": "about:blank", "title": "Conflict", "status": 409, "detail": detail, "customer_id": id});
            let mut r = json(409, &body);
            r.headers_mut().insert(
                "content-type",
                lambda_http::http::HeaderValue::from_static("application/problem+json"),
            );
            r
        }
        FlowError::Unavailable(d) => {
            tracing::error!(error = %d, "provider unavailable");
            problem(503, "Service Unavailable", d)
        }
        FlowError::Store(e) => store_problem(e),
    }
}

/// Parses a JSON request body; a malformed body or a bad field is a 400 problem whose
/// detail names the field by its path (`booking.lead_time_min: invalid type …`).
#[allow(clippy::result_large_err)] // the error is the HTTP response itself
pub fn parse_json<T: serde::de::DeserializeOwned>(req: &Request) -> Result<T, Response<Body>> {
    let mut de = serde_json::Deserializer::from_slice(body_bytes(req));
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let detail = if path == "." {
            format!("body is not valid JSON: {}", e.inner())
        } else {
            format!("{path}: {}", e.inner())
        };
        problem(400, "Bad Request", detail)
    })
}

/// [`parse_json`] after checking the body is at most [`MAX_BODY_BYTES`] (413 otherwise).
#[allow(clippy::result_large_err)]
pub fn parse_json_bounded<T: serde::de::DeserializeOwned>(
    req: &Request,
) -> Result<T, Response<Body>> {
    parse_json_limit(req, MAX_BODY_BYTES)
}

/// [`parse_json`] after checking the body is at most `limit` bytes (413 otherwise).
#[allow(clippy::result_large_err)]
pub fn parse_json_limit<T: serde::de::DeserializeOwned>(
    req: &Request,
    limit: usize,
) -> Result<T, Response<Body>> {
    let n = body_bytes(req).len();
    if n > limit {
        return Err(problem(
            413,
            "Payload Too Large",
            format!("body is {n} bytes; this route accepts at most {limit}"),
        ));
    }
    parse_json(req)
}

pub fn json<T: Serialize>(status: u16, value: &T) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("cache-control", "no-store")
        .body(Body::Text(serde_json::to_string(value).unwrap_or_default()))
        .expect("static response parts")
}

pub fn twiml(xml: String) -> Response<Body> {
    Response::builder()
        .status(200)
        .header("content-type", "text/xml; charset=utf-8")
        .body(Body::Text(xml))
        .expect("static response parts")
}

pub fn body_bytes(req: &Request) -> &[u8] {
    match req.body() {
        Body::Text(t) => t.as_bytes(),
        Body::Binary(b) => b,
        _ => &[],
    }
}

/// The URL Twilio requested: `PUBLIC_BASE_URL` + path + query, or the request's own
/// scheme and host when no public base is configured.
pub fn public_url(req: &Request, svc: &Services) -> String {
    let path_q = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    format!("{}{}", public_base(req, svc), path_q)
}

/// `PUBLIC_BASE_URL` without a trailing slash, or the request's own scheme and host.
pub fn public_base(req: &Request, svc: &Services) -> String {
    let base = svc.config.public_base_url.clone().unwrap_or_else(|| {
        let host = req
            .headers()
            .get("host")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        let proto = req
            .headers()
            .get("x-forwarded-proto")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("https");
        format!("{proto}://{host}")
    });
    base.trim_end_matches('/').to_string()
}

/// Parses and authenticates a Twilio webhook: a 400 problem for a bad form, 403 for a
/// missing or wrong `X-Twilio-Signature`. Nothing is written before this passes.
pub async fn twilio_form(req: &Request, svc: &Services) -> Result<WebhookForm, Response<Body>> {
    let body = body_bytes(req);
    if body.len() > MAX_BODY_BYTES {
        return Err(problem(
            413,
            "Payload Too Large",
            format!("body exceeds {MAX_BODY_BYTES} bytes"),
        ));
    }
    let form = WebhookForm::parse(body).map_err(|e| problem(400, "Bad Request", e.to_string()))?;
    let Some(sig) = req
        .headers()
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
    else {
        return Err(problem(403, "Forbidden", "missing X-Twilio-Signature"));
    };
    let creds = svc.twilio_credentials().await.map_err(|e| {
        tracing::error!(error = %e, "twilio credentials unavailable");
        problem(503, "Service Unavailable", "credentials unavailable")
    })?;
    let url = public_url(req, svc);
    if !twilio::validate(&creds.auth_token, &url, &form.pairs, sig) {
        tracing::warn!(
            path = req.uri().path(),
            "rejected webhook: bad X-Twilio-Signature"
        );
        return Err(problem(
            403,
            "Forbidden",
            "X-Twilio-Signature does not match this request",
        ));
    }
    Ok(form)
}

/// A query-string parameter.
pub fn query<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.query_string_parameters_ref()
        .and_then(|q| q.first(name))
}

/// A path parameter from the route template (`{call_sid}`).
pub fn path_param<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.path_parameters_ref().and_then(|p| p.first(name))
}

/// The rest of `path` after `prefix`, percent-decoded (`/v1/auth/users/tech%40shop.example`
/// → `tech@shop.example`); `None` when the path does not start with it, the rest is empty
/// or spans more than one segment.
pub fn path_tail(path: &str, prefix: &str) -> Option<String> {
    let rest = path.strip_prefix(prefix)?;
    if rest.is_empty() || rest.contains('/') {
        return None;
    }
    percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}
