//! Query-string and path parameters the office APIs share: pages, time windows, local
//! dates, enums. Each malformed value is a 400 problem naming the parameter.

// The error is the HTTP response itself.
#![allow(clippy::result_large_err)]

use super::{path_param, problem, query};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use lambda_http::{Body, Request, Response};

/// `limit` (default `default`, clamped to `1..=max`) and the opaque `cursor`.
pub fn page(req: &Request, default: usize, max: usize) -> (usize, Option<&str>) {
    let limit = query(req, "limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(default)
        .clamp(1, max);
    (limit, query(req, "cursor"))
}

/// An RFC 3339 time parameter, if given.
pub fn time(req: &Request, name: &str) -> Result<Option<DateTime<Utc>>, Response<Body>> {
    match query(req, name) {
        None => Ok(None),
        Some(v) => DateTime::parse_from_rfc3339(v)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| {
                problem(
                    400,
                    "Bad Request",
                    format!("{name}: must be an RFC 3339 time, e.g. 2026-11-24T00:00:00Z"),
                )
            }),
    }
}

/// `from`/`to` with defaults (`default_from`, and `span` after `from`); 400 when
/// malformed or reversed.
pub fn window(
    req: &Request,
    default_from: DateTime<Utc>,
    span: Duration,
) -> Result<(DateTime<Utc>, DateTime<Utc>), Response<Body>> {
    let from = time(req, "from")?.unwrap_or(default_from);
    let to = time(req, "to")?.unwrap_or(from + span);
    if to <= from {
        return Err(problem(400, "Bad Request", "to: must be after `from`"));
    }
    Ok((from, to))
}

/// The `date` parameter (YYYY-MM-DD), if given.
pub fn date(req: &Request) -> Result<Option<NaiveDate>, Response<Body>> {
    query(req, "date")
        .map(|d| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                problem(
                    400,
                    "Bad Request",
                    "query parameter `date` must be a date like 2026-11-24",
                )
            })
        })
        .transpose()
}

/// A parameter that names a serde enum variant (`service=drain_clog`), if given.
pub fn variant<T: serde::de::DeserializeOwned>(
    req: &Request,
    name: &str,
    what: &str,
) -> Result<Option<T>, Response<Body>> {
    query(req, name)
        .map(|v| {
            serde_json::from_value(serde_json::Value::String(v.into())).map_err(|_| {
                problem(
                    400,
                    "Bad Request",
                    format!("query parameter `{name}`: unknown {what} `{v}`"),
                )
            })
        })
        .transpose()
}

/// A path parameter by its template name, or (behind the local gateway, which passes
/// none) the segment after `prefix`.
pub fn segment(req: &Request, name: &str, prefix: &str) -> String {
    path_param(req, name)
        .map(String::from)
        .or_else(|| {
            req.uri()
                .path()
                .strip_prefix(prefix)
                .and_then(|r| r.split('/').next())
                .map(String::from)
        })
        .unwrap_or_default()
}

/// A `true`/`false` parameter, if given.
pub fn flag(req: &Request, name: &str) -> Result<Option<bool>, Response<Body>> {
    match query(req, name) {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(_) => Err(problem(
            400,
            "Bad Request",
            format!("{name}: must be true or false"),
        )),
    }
}
