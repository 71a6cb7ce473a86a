//! Shared helpers: a fresh stack (own moto, own port) per test, logins and polling.

#![allow(dead_code)]

use anyhow::Result;
use local::{Options, Stack};
use serde_json::Value;
use std::time::{Duration, Instant};

/// A new caller books a faucet repair at Bristol Plumbing.
pub const BOOKING: &[&str] = &[
    "hi my kitchen faucet is leaking",
    "jane doe",
    "123 main street merriam",
    "next tuesday morning",
    "yes",
];

pub async fn stack() -> Stack {
    stack_with_llm(None).await
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
    Stack::start(Options {
        port: 0,
        endpoint: std::env::var("AWS_ENDPOINT_URL")
            .ok()
            .filter(|e| !e.is_empty()),
        prefix: format!("t{}-", uuid_like()),
        verbose: false,
        llm_base_url,
        limits,
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
pub async fn call(s: &Stack, from: &str, to: &str, lines: &[&str]) -> (String, Vec<String>) {
    let mut c = local::phone::Call::dial(&s.base_url, from, to)
        .await
        .expect("call answered");
    let mut heard = c.last.says.clone();
    for l in lines {
        if !c.listening() {
            break;
        }
        let p = c.say(l).await.expect("turn answered");
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
