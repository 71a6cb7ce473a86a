//! `local cold-start`: runs a function's release binary the way Lambda does, under a stand-in
//! of the Lambda Runtime API (AWS Lambda Developer Guide, "Using the Lambda runtime API
//! for custom runtimes": `GET /2018-06-01/runtime/invocation/next`, `POST
//! …/invocation/{id}/response`, `…/error`, `…/init/error`), against the local stack's moto.
//! It reports the binary's size, its init time (process start → its first `next`), the
//! first event answered (process start → first response), per-turn latency through the
//! runtime API, and peak RSS (`VmHWM`) after N turns.

use crate::gateway::{event, Incoming};
use crate::phone::{self, AUTH_TOKEN};
use crate::Stack;
use anyhow::{bail, Context, Result};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot, Mutex};

/// The host the simulated Twilio signs for (`PUBLIC_BASE_URL` of the binary).
const PUBLIC_BASE: &str = "https://coldstart.example";

/// What one run measured.
#[derive(Debug, Clone)]
pub struct ColdStartReport {
    pub binary_bytes: u64,
    /// Process start → the runtime's first `GET …/next` (the function's init).
    pub init_ms: f64,
    /// Process start → the first event's response (init plus a cold first call).
    pub first_response_ms: f64,
    pub turns: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Peak resident set size after `turns` turns (`VmHWM`, KiB).
    pub peak_rss_kib: u64,
    /// CPU (user + system) the function's process spent per warm turn, milliseconds: its
    /// CPU after the last turn less its CPU when the first event was answered, over the
    /// turns in between (from `/proc/<pid>/stat`).
    pub cpu_ms_per_turn: f64,
    /// CPU the process spent up to the first event's answer (init and the first turn), ms.
    pub cpu_to_first_ms: f64,
}

impl std::fmt::Display for ColdStartReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "binary {:.1} MB; init {:.1} ms; first event answered {:.1} ms after start ({:.0} ms of CPU); {} turns: p50 {:.2} ms, p99 {:.2} ms, {:.3} ms of CPU per turn; peak RSS {:.1} MB",
            self.binary_bytes as f64 / 1e6,
            self.init_ms,
            self.first_response_ms,
            self.cpu_to_first_ms,
            self.turns,
            self.p50_ms,
            self.p99_ms,
            self.cpu_ms_per_turn,
            self.peak_rss_kib as f64 / 1024.0
        )
    }
}

struct Pending {
    body: String,
    reply: oneshot::Sender<Result<serde_json::Value, String>>,
}

struct RuntimeApi {
    queue: Mutex<mpsc::Receiver<Pending>>,
    waiting: Mutex<HashMap<String, oneshot::Sender<Result<serde_json::Value, String>>>>,
    first_next: Mutex<Option<Instant>>,
}

async fn next(State(api): State<Arc<RuntimeApi>>) -> impl IntoResponse {
    {
        let mut first = api.first_next.lock().await;
        if first.is_none() {
            *first = Some(Instant::now());
        }
    }
    let Some(p) = api.queue.lock().await.recv().await else {
        return (StatusCode::GONE, HeaderMap::new(), String::new());
    };
    let id = uuid::Uuid::new_v4().to_string();
    api.waiting.lock().await.insert(id.clone(), p.reply);
    let deadline = chrono::Utc::now().timestamp_millis() + 8_000;
    let mut h = HeaderMap::new();
    h.insert("lambda-runtime-aws-request-id", id.parse().unwrap());
    h.insert(
        "lambda-runtime-deadline-ms",
        deadline.to_string().parse().unwrap(),
    );
    h.insert(
        "lambda-runtime-invoked-function-arn",
        "arn:aws:lambda:us-east-1:000000000000:function:call-turn"
            .parse()
            .unwrap(),
    );
    h.insert(
        "lambda-runtime-trace-id",
        "Root=1-00000000-000000000000000000000000".parse().unwrap(),
    );
    (StatusCode::OK, h, p.body)
}

async fn respond(
    State(api): State<Arc<RuntimeApi>>,
    Path(id): Path<String>,
    body: String,
) -> StatusCode {
    if let Some(tx) = api.waiting.lock().await.remove(&id) {
        let _ = tx.send(serde_json::from_str(&body).map_err(|e| e.to_string()));
    }
    StatusCode::ACCEPTED
}

async fn error(
    State(api): State<Arc<RuntimeApi>>,
    Path(id): Path<String>,
    body: String,
) -> StatusCode {
    if let Some(tx) = api.waiting.lock().await.remove(&id) {
        let _ = tx.send(Err(body));
    }
    StatusCode::ACCEPTED
}

async fn init_error(body: String) -> StatusCode {
    eprintln!("init error: {body}");
    StatusCode::ACCEPTED
}

/// An API Gateway v2 event for a signed Twilio webhook to `path_and_query`.
fn webhook(path_and_query: &str, params: &[(String, String)]) -> String {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let url = format!("{PUBLIC_BASE}{path_and_query}");
    let sig = frontline::twilio::sign(AUTH_TOKEN, &url, params);
    let inc = Incoming {
        method: "POST".into(),
        path: path.into(),
        query: query.into(),
        headers: vec![
            (
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ),
            ("x-twilio-signature".into(), sig),
            ("x-forwarded-proto".into(), "https".into()),
        ],
        body: serde_urlencoded::to_string(params).unwrap().into_bytes(),
        host: "coldstart.example".into(),
    };
    event(&inc, path, &[]).to_string()
}

fn form(sid: &str, from: &str, to: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut p: Vec<(String, String)> = [
        ("AccountSid", phone::ACCOUNT_SID),
        ("CallSid", sid),
        ("From", from),
        ("To", to),
        ("Direction", "inbound"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    p.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    p
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

fn vm_hwm_kib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("VmHWM")
}

/// Starts `binary` under the runtime API stand-in against `stack` and plays calls to `to`
/// until `turns` turns were answered.
pub async fn run(
    stack: &Stack,
    binary: &std::path::Path,
    to: &str,
    turns: usize,
) -> Result<ColdStartReport> {
    let binary_bytes = std::fs::metadata(binary)
        .with_context(|| {
            format!(
                "{} (build it: cargo build --release -p call-turn)",
                binary.display()
            )
        })?
        .len();
    let (tx, rx) = mpsc::channel::<Pending>(1);
    let api = Arc::new(RuntimeApi {
        queue: Mutex::new(rx),
        waiting: Mutex::new(HashMap::new()),
        first_next: Mutex::new(None),
    });
    let app = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route(
            "/2018-06-01/runtime/invocation/{id}/response",
            post(respond),
        )
        .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
        .route("/2018-06-01/runtime/init/error", post(init_error))
        .with_state(api.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let c = &stack.svc.config;
    let started = Instant::now();
    let mut child = tokio::process::Command::new(binary)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_LAMBDA_RUNTIME_API", format!("127.0.0.1:{port}"))
        .env("AWS_LAMBDA_FUNCTION_NAME", "call-turn")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "coldstart")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "coldstart")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "local")
        .env("AWS_SECRET_ACCESS_KEY", "local")
        .env("AWS_ENDPOINT_URL", &stack.endpoint)
        .env("TABLE_NAME", &c.table_name)
        .env("TWILIO_SECRET_ID", &c.twilio_secret_id)
        .env("JWT_SECRET_ID", &c.jwt_secret_id)
        .env("NOTIFICATIONS_QUEUE_URL", &c.notifications_queue_url)
        .env("PUBLIC_BASE_URL", PUBLIC_BASE)
        .env("RUST_LOG", "error")
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    let pid = child.id().context("child pid")?;

    let invoke = |body: String| {
        let tx = tx.clone();
        async move {
            let (reply, rx) = oneshot::channel();
            tx.send(Pending { body, reply })
                .await
                .ok()
                .context("runtime gone")?;
            let resp = tokio::time::timeout(Duration::from_secs(15), rx)
                .await
                .context("no response within 15 s")??
                .map_err(|e| anyhow::anyhow!("function error: {e}"))?;
            let status = resp["statusCode"].as_u64().unwrap_or(0);
            if status != 200 {
                bail!("status {status}: {resp}");
            }
            Ok::<String, anyhow::Error>(resp["body"].as_str().unwrap_or_default().to_string())
        }
    };

    let lines = [
        "hi my kitchen faucet is leaking",
        "jane doe",
        "123 main street merriam",
        "next week any morning",
        "yes",
    ];
    let mut samples = Vec::with_capacity(turns);
    let mut cpu_at_first = None;
    let mut first_response_ms = None;
    let mut call = 0usize;
    // CallSids are unique per run, as Twilio's are: a reused one would be a replay.
    let run_id = uuid::Uuid::new_v4().simple().to_string();
    while samples.len() < turns {
        call += 1;
        let sid = format!("CA{}{call:06}", &run_id[..26]);
        let from = format!("+1816777{:04}", call % 10_000);
        let t = Instant::now();
        let mut twiml = invoke(webhook(
            "/twilio/voice",
            &form(&sid, &from, to, &[("CallStatus", "ringing")]),
        ))
        .await?;
        samples.push(t.elapsed().as_secs_f64() * 1e3);
        if first_response_ms.is_none() {
            first_response_ms = Some(started.elapsed().as_secs_f64() * 1e3);
            cpu_at_first = crate::bench::cpu_seconds(pid);
        }
        for line in lines {
            let prompt = phone::parse_twiml(&twiml);
            let Some(action) = prompt.gather_action else {
                break;
            };
            if samples.len() >= turns {
                break;
            }
            let params = form(
                &sid,
                &from,
                to,
                &[
                    ("CallStatus", "in-progress"),
                    ("SpeechResult", line),
                    ("Confidence", "0.92"),
                ],
            );
            let t = Instant::now();
            twiml = invoke(webhook(&action, &params)).await?;
            samples.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    let peak_rss_kib = vm_hwm_kib(pid)?;
    let cpu_end = crate::bench::cpu_seconds(pid);
    let init = api
        .first_next
        .lock()
        .await
        .map(|at| at.duration_since(started).as_secs_f64() * 1e3)
        .unwrap_or(0.0);
    let _ = child.kill().await;
    server.abort();
    let mut sorted = samples.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    Ok(ColdStartReport {
        binary_bytes,
        init_ms: init,
        first_response_ms: first_response_ms.unwrap_or(0.0),
        turns: samples.len(),
        p50_ms: percentile(&sorted, 0.5),
        p99_ms: percentile(&sorted, 0.99),
        peak_rss_kib,
        cpu_ms_per_turn: cpu_end.zip(cpu_at_first).map_or(0.0, |(end, first)| {
            (end - first) * 1e3 / samples.len().saturating_sub(1).max(1) as f64
        }),
        cpu_to_first_ms: cpu_at_first.map_or(0.0, |c| c * 1e3),
    })
}
