//! The owner API: the day's schedule, an availability preview, and scheduling settings
//! validated on write (400 for a malformed body, 422 for a broken rule, both naming the
//! field; 403 for staff), through the local stack.

mod common;

use common::*;
use local::seed::BRISTOL_NUMBER;
use serde_json::{json, Value};

async fn send(
    s: &local::Stack,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<String>,
) -> (u16, Value) {
    let mut r = reqwest::Client::new()
        .request(method, format!("{}{}", s.base_url, path))
        .bearer_auth(token);
    if let Some(b) = body {
        r = r.header("content-type", "application/json").body(b);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

const SETTINGS: &str = "/v1/owner/settings/scheduling";

/// PUTs `body` as the scheduling settings.
async fn put_settings(s: &local::Stack, token: &str, body: String) -> (u16, Value) {
    send(s, token, reqwest::Method::PUT, SETTINGS, Some(body)).await
}

/// PUTs `bad` and expects `status` with a problem detail that starts with `field`.
async fn refused(s: &local::Stack, token: &str, bad: &Value, status: u16, field: &str) {
    let (got, p) = put_settings(s, token, bad.to_string()).await;
    assert_eq!(got, status, "{p}");
    let detail = p["detail"].as_str().unwrap_or_default();
    assert!(detail.starts_with(field), "{field}: {p}");
}

#[tokio::test]
async fn settings_are_validated_on_write_and_audited() {
    // Written for the winter of 2026: its closure and split shift are in February 2027.
    let s = stack_at("2026-11-24T16:00:00Z").await;
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (status, settings) = get(&s, &token, SETTINGS).await;
    assert_eq!(status, 200);
    assert_eq!(settings["time_zone"], "America/Chicago");
    assert!(settings["booking"]["closures"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "Thanksgiving"));

    // Malformed: the field is named.
    let mut bad = settings.clone();
    bad["booking"]["lead_time_min"] = json!("two hours");
    refused(&s, &token, &bad, 400, "booking.lead_time_min").await;
    let (status, _) = put_settings(&s, &token, "{not json".into()).await;
    assert_eq!(status, 400);

    // A broken rule: 422, the field named, nothing written.
    let mut bad = settings.clone();
    bad["services"][0]["duration_min"] = json!(50);
    refused(&s, &token, &bad, 422, "services[0].duration_min").await;
    let mut bad = settings.clone();
    bad["hours"]["days"][0] = json!([{"open": "08:00:00", "close": "12:00:00"}, {"open": "11:00:00", "close": "17:00:00"}]);
    refused(&s, &token, &bad, 422, "hours.days[0]").await;
    let (_, now) = get(&s, &token, SETTINGS).await;
    assert_eq!(now, settings, "a refused write changes nothing");

    // A good change: split shift on Mondays, a closure, a daily limit.
    let mut good = settings.clone();
    good["hours"]["days"][0] = json!([{"open": "07:00:00", "close": "11:00:00"}, {"open": "13:00:00", "close": "18:00:00"}]);
    good["booking"]["closures"]
        .as_array_mut()
        .unwrap()
        .push(json!({"from": "2027-02-01", "to": "2027-02-05", "name": "Vacation"}));
    good["booking"]["max_jobs_per_day"] = json!(3);
    let (status, saved) = put_settings(&s, &token, good.to_string()).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved, good);
    let (_, now) = get(&s, &token, SETTINGS).await;
    assert_eq!(now, good);
    let audit = s
        .svc
        .store
        .audit_trail("bristol-plumbing", 10)
        .await
        .unwrap();
    let changes: Vec<_> = audit
        .iter()
        .filter(|a| a.action == "settings_scheduling_updated")
        .collect();
    assert_eq!(
        changes.len(),
        1,
        "one audited change (refused writes leave none): {audit:?}"
    );
    assert_eq!(changes[0].actor, "user:owner@bristol.example");

    // The availability preview follows the new settings at once.
    let (status, a) = get(
        &s,
        &token,
        "/v1/owner/availability?date=2027-02-03&service=faucet_repair",
    )
    .await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["closure"]["name"], "Vacation");
    assert!(a["slots"].as_array().unwrap().is_empty());
    let (_, a) = get(
        &s,
        &token,
        "/v1/owner/availability?date=2027-02-08&service=faucet_repair",
    )
    .await;
    let starts: Vec<&str> = a["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["spoken"].as_str().unwrap())
        .collect();
    assert!(
        starts[0].starts_with("Monday, February 8th, between 7 and 9"),
        "{starts:?}"
    );
    assert!(
        !starts
            .iter()
            .any(|x| x.contains("between 12") || x.contains("between 11 AM")),
        "no start in the lunch gap: {starts:?}"
    );
    let (status, p) = get(
        &s,
        &token,
        "/v1/owner/availability?date=2027-02-08&service=unicorn",
    )
    .await;
    assert_eq!(status, 400, "{p}");
    let (status, _) = get(&s, &token, "/v1/owner/schedule?date=next-tuesday").await;
    assert_eq!(status, 400);
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn staff_may_read_but_not_change_settings() {
    let s = stack().await;
    let token = login(&s, "tech@prairie.example", "prairie-tech").await;
    let (status, settings) = get(&s, &token, SETTINGS).await;
    assert_eq!(status, 200);
    let (status, _) = put_settings(&s, &token, settings.to_string()).await;
    assert_eq!(status, 403);
    // Another tenant's token never sees these settings.
    let other = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (_, theirs) = get(&s, &other, SETTINGS).await;
    assert_ne!(theirs, settings);
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn the_schedule_shows_the_days_jobs() {
    let s = stack().await;
    call(
        &s,
        "+19135550161",
        BRISTOL_NUMBER,
        &[
            "my kitchen faucet is dripping",
            "jane doe",
            "123 main street merriam",
            &format!(
                "{} morning",
                spoken_date(open_day(&s, &local::seed::bristol(), 2))
            ),
            "yes",
        ],
    )
    .await;
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (_, list) = get(
        &s,
        &token,
        "/v1/crm/appointments?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z",
    )
    .await;
    let start = list["items"][0]["start"].as_str().unwrap().to_string();
    let day = chrono::DateTime::parse_from_rfc3339(&start)
        .unwrap()
        .with_timezone(&chrono_tz::America::Chicago)
        .date_naive();
    let (status, sched) = get(&s, &token, &format!("/v1/owner/schedule?date={day}")).await;
    assert_eq!(status, 200, "{sched}");
    let job = &sched["items"][0];
    assert_eq!(job["customer"]["name"], "Jane Doe");
    assert_eq!(job["service_label"], "faucet repair");
    assert!(
        job["address"].as_str().unwrap().contains("123 Main"),
        "{job}"
    );
    assert_eq!(job["resource_name"], "Van 1");
    assert!(job["arrival_window_end"].as_str().is_some());
    let next = day + chrono::Duration::days(1);
    let (_, sched) = get(&s, &token, &format!("/v1/owner/schedule?date={next}")).await;
    assert!(sched["items"].as_array().unwrap().is_empty());
    common::assert_iam_granted(&s);
}
