//! The Calendar API v3 and token endpoint over `reqwest` (rustls). Every call is classified
//! into [`GoogleError`] so the worker knows whether to retry, reconnect or give up.

use super::oauth::{OAuthApp, TokenGrant};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Where Google lives; each URL is configurable so the local stand-in and `wiremock` can
/// receive the requests.
#[derive(Debug, Clone)]
pub struct GoogleEndpoints {
    /// `GOOGLE_AUTH_URL` (default `https://accounts.google.com/o/oauth2/v2/auth`).
    pub auth_url: String,
    /// `GOOGLE_TOKEN_URL` (default `https://oauth2.googleapis.com/token`).
    pub token_url: String,
    /// `GOOGLE_REVOKE_URL` (default `https://oauth2.googleapis.com/revoke`).
    pub revoke_url: String,
    /// `GOOGLE_CALENDAR_API` (default `https://www.googleapis.com/calendar/v3`).
    pub api_base: String,
}

impl Default for GoogleEndpoints {
    fn default() -> Self {
        Self {
            auth_url: "https://accounts.google.com/o/oauth2/v2/auth".into(),
            token_url: "https://oauth2.googleapis.com/token".into(),
            revoke_url: "https://oauth2.googleapis.com/revoke".into(),
            api_base: "https://www.googleapis.com/calendar/v3".into(),
        }
    }
}

impl GoogleEndpoints {
    /// All four under one root (the local stand-in): `{root}/oauth/authorize`,
    /// `{root}/token`, `{root}/revoke`, `{root}/calendar/v3`.
    pub fn under(root: &str) -> Self {
        let root = root.trim_end_matches('/');
        Self {
            auth_url: format!("{root}/oauth/authorize"),
            token_url: format!("{root}/token"),
            revoke_url: format!("{root}/revoke"),
            api_base: format!("{root}/calendar/v3"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GoogleError {
    /// The owner revoked access or the refresh token expired (`invalid_grant`): only a new
    /// connect fixes it.
    #[error("google access was revoked: {0}")]
    Revoked(String),
    /// 429, or 403 `rateLimitExceeded`/`userRateLimitExceeded`: retry after the delay
    /// (seconds, from `Retry-After` when given).
    #[error("google rate limited the request (retry after {retry_after_s:?} s)")]
    RateLimited { retry_after_s: Option<u64> },
    /// 5xx, a timeout or a network failure: worth retrying with backoff.
    #[error("google transient failure: {0}")]
    Transient(String),
    /// 404 or 410: the event (or calendar) is not there.
    #[error("not found at google")]
    NotFound,
    /// 409: an event with this id already exists.
    #[error("google says the event already exists")]
    Conflict,
    /// Any other 4xx (including a 401 that survives a fresh token): retrying will not help.
    #[error("google rejected the request: HTTP {status} {reason}: {message}")]
    Permanent {
        status: u16,
        reason: String,
        message: String,
    },
}

impl GoogleError {
    /// Whether the same request may succeed later.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::RateLimited { .. } | Self::Transient(_))
    }
}

/// A job as a Calendar `Event` resource (only the fields Frontline sets). Times are RFC
/// 3339 with the tenant's IANA zone, so Google shows them in the owner's time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarEvent {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub summary: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub start: EventTime,
    pub end: EventTime,
    /// `{"private": {"frontline_appointment": ...}}`: lets the owner's other tools tell our
    /// events apart.
    pub extended_properties: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventTime {
    pub date_time: String,
    pub time_zone: String,
}

impl EventTime {
    pub fn new(t: DateTime<Utc>, tz: &str) -> Self {
        Self {
            date_time: t.to_rfc3339_opts(SecondsFormat::Secs, true),
            time_zone: tz.into(),
        }
    }
}

/// One busy interval from `freebusy.query`, `[start, end)` in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusyInterval {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Deserialize)]
struct ApiErrorBody {
    error: ApiError,
}

#[derive(Deserialize)]
struct ApiError {
    #[serde(default)]
    message: String,
    #[serde(default)]
    errors: Vec<ApiErrorItem>,
}

#[derive(Deserialize)]
struct ApiErrorItem {
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
struct TokenErrorBody {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
}

#[derive(Deserialize)]
struct FreeBusyResponse {
    #[serde(default)]
    calendars: std::collections::HashMap<String, FreeBusyCalendar>,
}

#[derive(Deserialize)]
struct FreeBusyCalendar {
    #[serde(default)]
    busy: Vec<RawInterval>,
    #[serde(default)]
    errors: Vec<ApiErrorItem>,
}

#[derive(Deserialize)]
struct RawInterval {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

/// A reusable client; build once per process.
#[derive(Clone)]
pub struct GoogleClient {
    http: reqwest::Client,
    pub endpoints: GoogleEndpoints,
}

fn transport(e: reqwest::Error) -> GoogleError {
    GoogleError::Transient(format!("request failed: {e}"))
}

fn enc(segment: &str) -> String {
    // Calendar ids are email addresses (`@`) or `primary`; event ids are base32hex.
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl GoogleClient {
    pub fn new(endpoints: GoogleEndpoints, timeout: Duration) -> Self {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .expect("reqwest client builds with rustls");
        Self { http, endpoints }
    }

    /// `POST {token_url}` with `grant_type=authorization_code` (and the PKCE verifier).
    pub async fn exchange_code(
        &self,
        app: &OAuthApp,
        code: &str,
        redirect_uri: &str,
        code_verifier: &str,
    ) -> Result<TokenGrant, GoogleError> {
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("client_id", &app.client_id),
            ("client_secret", &app.client_secret),
            ("code_verifier", code_verifier),
        ])
        .await
    }

    /// `POST {token_url}` with `grant_type=refresh_token`: a fresh access token.
    pub async fn refresh(
        &self,
        app: &OAuthApp,
        refresh_token: &str,
    ) -> Result<TokenGrant, GoogleError> {
        self.token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", &app.client_id),
            ("client_secret", &app.client_secret),
        ])
        .await
    }

    async fn token(&self, form: &[(&str, &str)]) -> Result<TokenGrant, GoogleError> {
        let resp = self
            .http
            .post(&self.endpoints.token_url)
            .form(form)
            .send()
            .await
            .map_err(transport)?;
        let status = resp.status().as_u16();
        if resp.status().is_success() {
            return resp
                .json()
                .await
                .map_err(|e| GoogleError::Transient(format!("bad token response: {e}")));
        }
        if status == 429 {
            return Err(GoogleError::RateLimited {
                retry_after_s: retry_after(&resp),
            });
        }
        if status >= 500 {
            return Err(GoogleError::Transient(format!(
                "token endpoint HTTP {status}"
            )));
        }
        let body: TokenErrorBody = resp.json().await.unwrap_or(TokenErrorBody {
            error: String::new(),
            error_description: String::new(),
        });
        if body.error == "invalid_grant" {
            return Err(GoogleError::Revoked(body.error_description));
        }
        Err(GoogleError::Permanent {
            status,
            reason: body.error,
            message: body.error_description,
        })
    }

    /// `POST {revoke_url}` `token=…`. A token Google no longer knows counts as revoked.
    pub async fn revoke(&self, token: &str) -> Result<(), GoogleError> {
        let resp = self
            .http
            .post(&self.endpoints.revoke_url)
            .form(&[("token", token)])
            .send()
            .await
            .map_err(transport)?;
        match resp.status().as_u16() {
            200..=299 | 400 => Ok(()),
            s if s == 429 || s >= 500 => Err(GoogleError::Transient(format!("revoke HTTP {s}"))),
            s => Err(GoogleError::Permanent {
                status: s,
                reason: String::new(),
                message: "revoke refused".into(),
            }),
        }
    }

    /// Sends an API request with a bearer token and classifies the answer.
    async fn api(
        &self,
        access_token: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<reqwest::Response, GoogleError> {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.endpoints.api_base))
            .bearer_auth(access_token);
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        if resp.status().is_success() {
            return Ok(resp);
        }
        let retry = retry_after(&resp);
        let body: Option<ApiErrorBody> = resp.json().await.ok();
        let reason = body
            .as_ref()
            .and_then(|b| b.error.errors.first())
            .map(|e| e.reason.clone())
            .unwrap_or_default();
        let message = body.map(|b| b.error.message).unwrap_or_default();
        Err(match status {
            401 => GoogleError::Permanent {
                status,
                reason: if reason.is_empty() {
                    "authError".into()
                } else {
                    reason
                },
                message,
            },
            404 | 410 => GoogleError::NotFound,
            409 => GoogleError::Conflict,
            429 => GoogleError::RateLimited {
                retry_after_s: retry,
            },
            403 if matches!(
                reason.as_str(),
                "rateLimitExceeded" | "userRateLimitExceeded" | "quotaExceeded"
            ) =>
            {
                GoogleError::RateLimited {
                    retry_after_s: retry,
                }
            }
            s if s >= 500 => GoogleError::Transient(format!("HTTP {s}: {message}")),
            _ => GoogleError::Permanent {
                status,
                reason,
                message,
            },
        })
    }

    /// `events.insert`: `POST /calendars/{calendarId}/events` with the event (its `id` set,
    /// so a replay is a [`GoogleError::Conflict`]).
    pub async fn insert_event(
        &self,
        access_token: &str,
        calendar_id: &str,
        event: &CalendarEvent,
    ) -> Result<(), GoogleError> {
        let body = serde_json::to_value(event).expect("event serialises");
        self.api(
            access_token,
            reqwest::Method::POST,
            &format!("/calendars/{}/events", enc(calendar_id)),
            Some(&body),
        )
        .await
        .map(|_| ())
    }

    /// `events.patch`: `PATCH /calendars/{calendarId}/events/{eventId}`; `status:
    /// "confirmed"` brings back an event the owner deleted by hand.
    pub async fn patch_event(
        &self,
        access_token: &str,
        calendar_id: &str,
        event: &CalendarEvent,
    ) -> Result<(), GoogleError> {
        let id = event.id.clone().unwrap_or_default();
        let mut body = serde_json::to_value(event).expect("event serialises");
        if let Some(o) = body.as_object_mut() {
            o.remove("id");
            o.insert("status".into(), "confirmed".into());
        }
        self.api(
            access_token,
            reqwest::Method::PATCH,
            &format!("/calendars/{}/events/{}", enc(calendar_id), enc(&id)),
            Some(&body),
        )
        .await
        .map(|_| ())
    }

    /// `events.delete`: `DELETE /calendars/{calendarId}/events/{eventId}`. An event that is
    /// already gone (404/410) counts as deleted.
    pub async fn delete_event(
        &self,
        access_token: &str,
        calendar_id: &str,
        event_id: &str,
    ) -> Result<(), GoogleError> {
        match self
            .api(
                access_token,
                reqwest::Method::DELETE,
                &format!("/calendars/{}/events/{}", enc(calendar_id), enc(event_id)),
                None,
            )
            .await
        {
            Ok(_) | Err(GoogleError::NotFound) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// `freebusy.query`: `POST /freeBusy` `{timeMin, timeMax, items: [{id}]}`; the busy
    /// intervals of one calendar in `[from, to)`. A calendar-level error (`notFound`, …) is
    /// a [`GoogleError::Permanent`].
    pub async fn free_busy(
        &self,
        access_token: &str,
        calendar_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<BusyInterval>, GoogleError> {
        let body = serde_json::json!({
            "timeMin": from.to_rfc3339_opts(SecondsFormat::Secs, true),
            "timeMax": to.to_rfc3339_opts(SecondsFormat::Secs, true),
            "items": [{"id": calendar_id}],
        });
        let resp = self
            .api(
                access_token,
                reqwest::Method::POST,
                "/freeBusy",
                Some(&body),
            )
            .await?;
        let parsed: FreeBusyResponse = resp
            .json()
            .await
            .map_err(|e| GoogleError::Transient(format!("bad freeBusy response: {e}")))?;
        let Some(cal) = parsed.calendars.get(calendar_id) else {
            return Err(GoogleError::Permanent {
                status: 200,
                reason: "missingCalendar".into(),
                message: "freeBusy did not answer for the calendar".into(),
            });
        };
        if let Some(e) = cal.errors.first() {
            return Err(GoogleError::Permanent {
                status: 200,
                reason: e.reason.clone(),
                message: "freeBusy could not read the calendar".into(),
            });
        }
        Ok(cal
            .busy
            .iter()
            .filter(|b| b.end > b.start)
            .map(|b| BusyInterval {
                start: b.start,
                end: b.end,
            })
            .collect())
    }
}

fn retry_after(resp: &reqwest::Response) -> Option<u64> {
    resp.headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}
