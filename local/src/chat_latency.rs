//! `local chat-latency [N]`: a website chat turn's latency through the local stack: N
//! chats, one at a time, each opened with Bristol's demo widget key from the stack's own
//! origin and played to a booking (the problem, a name, an address, then the first time
//! button), every request timed at the client (HTTP, the API Gateway stand-in, `api-chat`,
//! the conversation, moto). Opening a session and a message turn are reported apart.

use crate::latency::LatencyReport;
use crate::seed::BRISTOL_WIDGET_KEY;
use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use std::time::Instant;

/// What one chat request took, and its answer.
async fn timed(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    token: Option<&str>,
    body: Value,
    samples: &mut Vec<f64>,
) -> Result<Value> {
    let mut r = http
        .post(format!("{base}{path}"))
        .header("origin", base)
        .json(&body);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let t0 = Instant::now();
    let resp = r.send().await?;
    let status = resp.status();
    let v: Value = resp.json().await?;
    samples.push(t0.elapsed().as_secs_f64() * 1e3);
    if !status.is_success() {
        bail!("{path}: {status} {v}");
    }
    Ok(v)
}

fn report(mut samples: Vec<f64>) -> LatencyReport {
    samples.sort_by(|a, b| a.total_cmp(b));
    let n = samples.len();
    let at = |p: f64| samples[(((n as f64 - 1.0) * p).round() as usize).min(n - 1)];
    LatencyReport {
        n,
        p50_ms: at(0.5),
        p99_ms: at(0.99),
        max_ms: samples.last().copied().unwrap_or(0.0),
        mean_ms: samples.iter().sum::<f64>() / n.max(1) as f64,
    }
}

/// Plays `n` chats against the stack at `base`: (sessions opened, message turns).
pub async fn measure(base: &str, n: usize) -> Result<(LatencyReport, LatencyReport)> {
    let http = reqwest::Client::new();
    let (mut opens, mut turns) = (Vec::new(), Vec::new());
    for i in 0..n {
        let phone = format!("+1913558{:04}", i % 10_000);
        let mut chat = timed(
            &http,
            base,
            "/v1/chat/sessions",
            None,
            json!({"key": BRISTOL_WIDGET_KEY, "phone": phone}),
            &mut opens,
        )
        .await?;
        let sid = chat["session_id"]
            .as_str()
            .context("session_id")?
            .to_string();
        let mut lines = [
            "the toilet in the upstairs bathroom keeps running".to_string(),
            "Robin Alvarez".to_string(),
            format!("{} oak street merriam", 10 + i % 900),
        ];
        for k in 0..6 {
            let text = if k < lines.len() {
                std::mem::take(&mut lines[k])
            } else if let Some(q) = chat["quick_replies"].as_array().and_then(|q| q.first()) {
                q.as_str().unwrap_or_default().to_string()
            } else {
                break;
            };
            chat = timed(
                &http,
                base,
                &format!("/v1/chat/sessions/{sid}/messages"),
                chat["token"].as_str(),
                json!({"text": text, "message_id": format!("m{i}-{k}")}),
                &mut turns,
            )
            .await?;
            if chat["ended"] == true {
                break;
            }
        }
    }
    if opens.is_empty() || turns.is_empty() {
        bail!("no chat was played");
    }
    Ok((report(opens), report(turns)))
}
