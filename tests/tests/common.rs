//! Shared helpers: a fresh stack (own moto, own port) per test, logins and polling.

#![allow(dead_code)]

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use local::{Options, Stack};
use serde_json::Value;
use std::time::{Duration, Instant};

/// A new caller books a faucet repair at Bristol Plumbing, on the morning of the first
/// open day at least two days after the stack's "now", said as a date ("december 9th
/// morning"): the booking holds whatever day the test runs on.
pub fn booking(s: &Stack) -> Vec<String> {
    let day = spoken_date(open_day(s, &local::seed::bristol(), 2));
    [
        "hi my kitchen faucet is leaking",
        "jane doe",
        "123 main street merriam",
        &format!("{day} morning"),
        "yes",
    ]
    .map(String::from)
    .to_vec()
}

/// What a caller who hangs up at the greeting says.
pub const HANG_UP: &[&str] = &[];

/// The stack's "now" (its clock, which may be pinned or `FRONTLINE_NOW`'s).
pub fn now(s: &Stack) -> chrono::DateTime<chrono::Utc> {
    s.svc.clock.now()
}

/// The first day at least `days_ahead` days after the stack's today (in `tenant`'s zone)
/// on which `tenant` is open: it has hours that weekday and no closure.
pub fn open_day(s: &Stack, tenant: &frontline::tenancy::Tenant, days_ahead: i64) -> NaiveDate {
    let today = tenant.local_date(now(s));
    (days_ahead..days_ahead + 60)
        .map(|i| today + chrono::Duration::days(i))
        .find(|d| {
            !tenant.hours.on(d.weekday()).is_empty() && tenant.booking.closure_on(*d).is_none()
        })
        .expect("an open day within 60 days")
}

/// The first day after `d` on which `tenant` is open.
pub fn open_day_after(tenant: &frontline::tenancy::Tenant, d: NaiveDate) -> NaiveDate {
    (1..60)
        .map(|i| d + chrono::Duration::days(i))
        .find(|d| {
            !tenant.hours.on(d.weekday()).is_empty() && tenant.booking.closure_on(*d).is_none()
        })
        .expect("an open day within 60 days")
}

/// A date as a caller says it: "december 9th".
pub fn spoken_date(d: NaiveDate) -> String {
    let n = d.day();
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{} {n}{suffix}", d.format("%B").to_string().to_lowercase())
}

/// A stack whose clock starts at [`default_instant`].
pub async fn stack() -> Stack {
    stack_with_llm(None).await
}

/// The instant a stack that no test pinned starts at: `FRONTLINE_NOW` when set (the test
/// command runs the date-sensitive tests under several instants that way), else the
/// system time. Tests that hold on any day use it; a test written for one weekday, hour
/// or season pins its own instant with [`stack_at`].
pub fn default_instant() -> Option<chrono::DateTime<chrono::Utc>> {
    local::start_instant_from_env().expect("FRONTLINE_NOW is an RFC 3339 instant")
}

/// A stack whose clock starts at `now` (RFC 3339) and advances from there.
pub async fn stack_at(now: &str) -> Stack {
    start(None, None, Some(instant(now))).await
}

/// `s` (RFC 3339) as an instant.
pub fn instant(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s)
        .expect("an RFC 3339 instant")
        .with_timezone(&chrono::Utc)
}

/// A stack whose extraction assist talks to `llm_base_url`.
pub async fn stack_with_llm(llm_base_url: Option<String>) -> Stack {
    stack_with(llm_base_url, None).await
}

/// A stack with the extraction assist at `llm_base_url` and these abuse limits (`None`:
/// the defaults).
pub async fn stack_with(
    llm_base_url: Option<String>,
    limits: Option<frontline::abuse::Limits>,
) -> Stack {
    start(llm_base_url, limits, default_instant()).await
}

async fn start(
    llm_base_url: Option<String>,
    limits: Option<frontline::abuse::Limits>,
    now: Option<chrono::DateTime<chrono::Utc>>,
) -> Stack {
    Stack::start(Options {
        port: 0,
        endpoint: std::env::var("AWS_ENDPOINT_URL")
            .ok()
            .filter(|e| !e.is_empty()),
        prefix: format!("t{}-", uuid_like()),
        verbose: false,
        llm_base_url,
        limits,
        now,
    })
    .await
    .expect("local stack starts")
}

fn uuid_like() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

pub async fn login(s: &Stack, email: &str, password: &str) -> String {
    let r: Value = reqwest::Client::new()
        .post(format!("{}/v1/auth/login", s.base_url))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["access_token"]
        .as_str()
        .expect("login returns a token")
        .to_string()
}

pub async fn get(s: &Stack, token: &str, path: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .get(format!("{}{}", s.base_url, path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Waits (bounded) until the Twilio stand-in has a message matching `pred`.
pub async fn wait_for_sms(
    s: &Stack,
    pred: impl Fn(&local::RecordedMessage) -> bool,
    within: Duration,
) -> Result<local::RecordedMessage> {
    let start = Instant::now();
    loop {
        if let Some(m) = s.messages().into_iter().find(|m| pred(m)) {
            return Ok(m);
        }
        if start.elapsed() > within {
            anyhow::bail!("no matching SMS within {within:?}; got {:?}", s.messages());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits (bounded) for the emergency alert text to Bristol Plumbing's owner.
pub async fn wait_for_owner_alert(s: &Stack) -> local::RecordedMessage {
    wait_for_sms(
        s,
        |m| m.to == local::seed::BRISTOL_OWNER_CELL && m.body.contains("EMERGENCY"),
        Duration::from_secs(20),
    )
    .await
    .expect("the owner is alerted")
}

/// Plays a whole call; returns the CallSid and the receptionist's lines.
pub async fn call(
    s: &Stack,
    from: &str,
    to: &str,
    lines: &[impl AsRef<str>],
) -> (String, Vec<String>) {
    let mut c = local::phone::Call::dial(&s.base_url, from, to)
        .await
        .expect("call answered");
    let mut heard = c.last.says.clone();
    for l in lines {
        if !c.listening() {
            break;
        }
        let p = c.say(l.as_ref()).await.expect("turn answered");
        heard.extend(p.says);
    }
    c.hang_up().await.unwrap();
    (c.sid, heard)
}

/// Sends `method path` with an optional bearer token and JSON body; returns the status
/// and the JSON (or `Null`).
pub async fn send(
    s: &Stack,
    token: Option<&str>,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let (status, text) = send_text(s, token, method, path, body).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// As [`send`], returning the raw body.
pub async fn send_text(
    s: &Stack,
    token: Option<&str>,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, String) {
    let mut r = reqwest::Client::new().request(
        reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
        format!("{}{}", s.base_url, path),
    );
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.text().await.unwrap_or_default())
}

/// Signs in; returns the whole token response.
pub async fn sign_in(s: &Stack, email: &str, password: &str) -> (u16, Value) {
    send(
        s,
        None,
        "POST",
        "/v1/auth/login",
        Some(serde_json::json!({"email": email, "password": password})),
    )
    .await
}

/// Every AWS action each function called in this stack's run is granted to its role in
/// `template.yaml` (moto does not enforce IAM; AWS would refuse the call).
pub fn assert_iam_granted(s: &Stack) {
    let used = s.usage.snapshot();
    assert!(!used.is_empty(), "no AWS calls were recorded");
    e2e::template::assert_granted(&used);
}
