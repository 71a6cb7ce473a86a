//! `local alert-latency [N]`: how long an emergency alert takes from the outbox write to
//! the Twilio Messages API request, through the local stream poller, `fanout`, SQS and
//! `notify`. Each alert is one emergency call; the clock starts when the turn that wrote
//! the outbox item has answered (so the figure slightly overstates the pipeline) and
//! stops at the stand-in's record of the owner's text. Alerts run one at a time, so the
//! figure is latency, not queueing.

use crate::phone;
use crate::RecordedMessage;
use anyhow::{bail, Result};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// Latency percentiles, milliseconds.
#[derive(Debug, Clone)]
pub struct LatencyReport {
    pub n: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Plays `n` emergency calls to `to` through the stack at `base`; the owner's cell is
/// `owner`. Returns the outbox-to-Twilio latency distribution.
pub async fn measure(base: &str, to: &str, owner: &str, n: usize) -> Result<LatencyReport> {
    let http = reqwest::Client::new();
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let caller = format!("+1913557{:04}", i % 10_000);
        let mut c = phone::Call::dial(base, &caller, to).await?;
        c.say("water is pouring out of a burst pipe in the basement")
            .await?;
        let t0 = Utc::now();
        c.hang_up().await?;
        let shown = frontline::phone::display(&caller);
        let start = std::time::Instant::now();
        let at = loop {
            let msgs: Vec<RecordedMessage> = http
                .get(format!("{base}/_local/twilio/messages"))
                .send()
                .await?
                .json()
                .await?;
            if let Some(m) = msgs
                .iter()
                .find(|m| m.to == owner && m.body.contains("EMERGENCY") && m.body.contains(&shown))
            {
                break m.created_at.parse::<DateTime<Utc>>()?;
            }
            if start.elapsed() > Duration::from_secs(30) {
                let last: Vec<&str> = msgs.iter().rev().take(3).map(|m| m.body.as_str()).collect();
                let tok: serde_json::Value = http.post(format!("{base}/v1/auth/login")).json(&serde_json::json!({"email":"owner@bristol.example","password":"bristol-demo"})).send().await?.json().await?;
                let n: serde_json::Value = http
                    .get(format!("{base}/v1/crm/notifications?limit=6"))
                    .bearer_auth(tok["access_token"].as_str().unwrap_or(""))
                    .send()
                    .await?
                    .json()
                    .await?;
                let brief: Vec<String> = n["items"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|r| {
                        format!(
                            "{} {} {} {}",
                            r["event_id"], r["channel"], r["status"], r["kind"]
                        )
                    })
                    .collect();
                eprintln!("notifications: {brief:#?}");
                let c: serde_json::Value = http
                    .get(format!("{base}/v1/crm/calls/{}", c.sid))
                    .bearer_auth(tok["access_token"].as_str().unwrap_or(""))
                    .send()
                    .await?
                    .json()
                    .await?;
                eprintln!(
                    "call: outcome {} emergency {}",
                    c["outcome"], c["emergency"]
                );
                bail!("alert {i} ({shown}) never reached the Twilio stand-in; {} texts so far, the last: {last:?}", msgs.len());
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        samples.push(((at - t0).num_microseconds().unwrap_or(0) as f64 / 1000.0).max(0.0));
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    Ok(LatencyReport {
        n,
        p50_ms: percentile(&samples, 0.5),
        p99_ms: percentile(&samples, 0.99),
        max_ms: *samples.last().unwrap_or(&0.0),
        mean_ms: samples.iter().sum::<f64>() / n.max(1) as f64,
    })
}
