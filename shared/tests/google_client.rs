//! The Google OAuth and Calendar client against a `wiremock` stand-in that asserts the
//! request shapes Google documents, and how each failure is classified.

use chrono::{TimeZone, Utc};
use frontline::google::{
    CalendarEvent, EventTime, GoogleClient, GoogleEndpoints, GoogleError, OAuthApp,
};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{
    body_json, body_partial_json, body_string_contains, header, method, path,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn app() -> OAuthApp {
    OAuthApp {
        client_id: "cid.apps.googleusercontent.com".into(),
        client_secret: "shh".into(),
    }
}

async fn client() -> (MockServer, GoogleClient) {
    let server = MockServer::start().await;
    let c = GoogleClient::new(
        GoogleEndpoints::under(&server.uri()),
        Duration::from_secs(2),
    );
    (server, c)
}

fn event() -> CalendarEvent {
    CalendarEvent {
        id: Some("fl0123456789abcdef".into()),
        summary: "Drain clearing: Dana Whitfield".into(),
        description: "Customer: Dana Whitfield".into(),
        location: Some("5901 W 61st St, Merriam KS".into()),
        start: EventTime::new(
            Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap(),
            "America/Chicago",
        ),
        end: EventTime::new(
            Utc.with_ymd_and_hms(2026, 11, 24, 16, 30, 0).unwrap(),
            "America/Chicago",
        ),
        extended_properties: json!({"private": {"frontline_job": "ap_1"}}),
    }
}

#[tokio::test]
async fn exchanges_a_code_with_the_pkce_verifier() {
    let (server, c) = client().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("code=4%2Fabc"))
        .and(body_string_contains(
            "redirect_uri=https%3A%2F%2Fapi.example%2Fcb",
        ))
        .and(body_string_contains(
            "client_id=cid.apps.googleusercontent.com",
        ))
        .and(body_string_contains("client_secret=shh"))
        .and(body_string_contains("code_verifier=verifier-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "ya29.a", "expires_in": 3599, "refresh_token": "1//r",
            "scope": "https://www.googleapis.com/auth/calendar.events", "token_type": "Bearer"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let g = c
        .exchange_code(&app(), "4/abc", "https://api.example/cb", "verifier-1")
        .await
        .unwrap();
    assert_eq!(g.access_token, "ya29.a");
    assert_eq!(g.refresh_token.as_deref(), Some("1//r"));
    assert_eq!(g.expires_in, 3599);
    assert!(
        !format!("{g:?}").contains("1//r"),
        "tokens never reach logs"
    );
}

#[tokio::test]
async fn a_revoked_refresh_token_is_revoked_not_retried() {
    let (server, c) = client().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("refresh_token=1%2F%2Fgone"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(body_string_contains("refresh_token=1%2F%2Fbusy"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    match c.refresh(&app(), "1//gone").await {
        Err(e @ GoogleError::Revoked(_)) => assert!(!e.is_retryable()),
        other => panic!("unexpected {other:?}"),
    }
    let e = c.refresh(&app(), "1//busy").await.unwrap_err();
    assert!(matches!(e, GoogleError::Transient(_)) && e.is_retryable());
}

#[tokio::test]
async fn inserts_an_event_with_bearer_auth_and_the_documented_shape() {
    let (server, c) = client().await;
    Mock::given(method("POST"))
        .and(path(
            "/calendar/v3/calendars/owner%40bristol.example/events",
        ))
        .and(header("authorization", "Bearer ya29.a"))
        .and(body_json(json!({
            "id": "fl0123456789abcdef",
            "summary": "Drain clearing: Dana Whitfield",
            "description": "Customer: Dana Whitfield",
            "location": "5901 W 61st St, Merriam KS",
            "start": {"dateTime": "2026-11-24T15:00:00Z", "timeZone": "America/Chicago"},
            "end": {"dateTime": "2026-11-24T16:30:00Z", "timeZone": "America/Chicago"},
            "extendedProperties": {"private": {"frontline_job": "ap_1"}}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "fl0123456789abcdef"})))
        .expect(1)
        .mount(&server)
        .await;
    c.insert_event("ya29.a", "owner@bristol.example", &event())
        .await
        .unwrap();
}

#[tokio::test]
async fn patch_restores_the_event_and_omits_the_id_from_the_body() {
    let (server, c) = client().await;
    Mock::given(method("PATCH"))
        .and(path(
            "/calendar/v3/calendars/primary/events/fl0123456789abcdef",
        ))
        .and(body_partial_json(
            json!({"status": "confirmed", "start": {"dateTime": "2026-11-24T15:00:00Z"}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    c.patch_event("t", "primary", &event()).await.unwrap();
    let sent: serde_json::Value = server.received_requests().await.unwrap()[0]
        .body_json()
        .unwrap();
    assert!(sent.get("id").is_none());
}

#[tokio::test]
async fn failures_are_classified() {
    let (server, c) = client().await;
    let cases = [
        ("c409", ResponseTemplate::new(409).set_body_json(json!({"error": {"code": 409, "message": "The requested identifier already exists.", "errors": [{"reason": "duplicate"}]}}))),
        ("c429", ResponseTemplate::new(429).insert_header("retry-after", "30")),
        ("c403", ResponseTemplate::new(403).set_body_json(json!({"error": {"code": 403, "message": "Rate Limit Exceeded", "errors": [{"domain": "usageLimits", "reason": "rateLimitExceeded"}]}}))),
        ("c503", ResponseTemplate::new(503)),
        ("c401", ResponseTemplate::new(401).set_body_json(json!({"error": {"code": 401, "message": "Invalid Credentials", "errors": [{"reason": "authError"}]}}))),
        ("c400", ResponseTemplate::new(400).set_body_json(json!({"error": {"code": 400, "message": "Invalid time zone", "errors": [{"reason": "invalid"}]}}))),
    ];
    for (cal, resp) in cases {
        Mock::given(method("POST"))
            .and(path(format!("/calendar/v3/calendars/{cal}/events")))
            .respond_with(resp)
            .mount(&server)
            .await;
    }
    let ev = event();
    assert!(matches!(
        c.insert_event("t", "c409", &ev).await,
        Err(GoogleError::Conflict)
    ));
    assert!(matches!(
        c.insert_event("t", "c429", &ev).await,
        Err(GoogleError::RateLimited {
            retry_after_s: Some(30)
        })
    ));
    assert!(matches!(
        c.insert_event("t", "c403", &ev).await,
        Err(GoogleError::RateLimited {
            retry_after_s: None
        })
    ));
    assert!(matches!(
        c.insert_event("t", "c503", &ev).await,
        Err(GoogleError::Transient(_))
    ));
    assert!(matches!(
        c.insert_event("t", "c401", &ev).await,
        Err(GoogleError::Permanent { status: 401, .. })
    ));
    match c.insert_event("t", "c400", &ev).await {
        Err(e @ GoogleError::Permanent { status: 400, .. }) => {
            assert!(!e.is_retryable());
            assert!(e.to_string().contains("Invalid time zone"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn deleting_a_gone_event_is_success() {
    let (server, c) = client().await;
    Mock::given(method("DELETE"))
        .and(path("/calendar/v3/calendars/primary/events/flgone1"))
        .respond_with(ResponseTemplate::new(410))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/calendar/v3/calendars/primary/events/flbusy1"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    c.delete_event("t", "primary", "flgone1").await.unwrap();
    assert!(c
        .delete_event("t", "primary", "flbusy1")
        .await
        .unwrap_err()
        .is_retryable());
}

#[tokio::test]
async fn free_busy_asks_for_one_calendar_and_reads_its_busy_times() {
    let (server, c) = client().await;
    Mock::given(method("POST"))
        .and(path("/calendar/v3/freeBusy"))
        .and(header("authorization", "Bearer tok"))
        .and(body_json(json!({
            "timeMin": "2026-11-24T06:00:00Z",
            "timeMax": "2026-12-15T06:00:00Z",
            "items": [{"id": "primary"}]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "kind": "calendar#freeBusy",
            "calendars": {"primary": {"busy": [
                {"start": "2026-11-24T18:00:00Z", "end": "2026-11-24T19:30:00Z"},
                {"start": "2026-11-25T14:00:00-06:00", "end": "2026-11-25T15:00:00-06:00"}
            ]}}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let from = Utc.with_ymd_and_hms(2026, 11, 24, 6, 0, 0).unwrap();
    let busy = c
        .free_busy("tok", "primary", from, from + chrono::Duration::days(21))
        .await
        .unwrap();
    assert_eq!(busy.len(), 2);
    assert_eq!(
        busy[1].start,
        Utc.with_ymd_and_hms(2026, 11, 25, 20, 0, 0).unwrap()
    );
}

#[tokio::test]
async fn a_calendar_level_freebusy_error_is_not_an_empty_calendar() {
    let (server, c) = client().await;
    Mock::given(method("POST"))
        .and(path("/calendar/v3/freeBusy"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "calendars": {"primary": {"errors": [{"domain": "global", "reason": "notFound"}], "busy": []}}
        })))
        .mount(&server)
        .await;
    let now = Utc::now();
    match c
        .free_busy("t", "primary", now, now + chrono::Duration::days(1))
        .await
    {
        Err(GoogleError::Permanent { reason, .. }) => assert_eq!(reason, "notFound"),
        other => panic!("unexpected {other:?}"),
    }
}
