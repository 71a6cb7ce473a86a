//! `local`: the whole Frontline system on one machine, without Docker.
//!
//! [`Stack::start`] brings up (or reuses) an AWS endpoint (moto), creates the table, queues
//! and secrets, seeds the demo tenants, serves every route through the real handlers with
//! API Gateway v2 events, runs the stream and queue pollers, and a Twilio stand-in that
//! records outgoing SMS. The port is bound only when all of that is ready.

pub mod bench;
pub mod chat_latency;
pub mod coldstart;
pub mod dashboard;
pub mod eval;
pub mod gateway;
pub mod google;
pub mod latency;
pub mod moto;
pub mod phone;
pub mod pollers;
pub mod routes;
pub mod seed;
pub mod sign;
pub mod train;
pub mod twilio;

pub use twilio::{RecordedCall, RecordedMessage, Stall, StandIn};

use anyhow::{bail, Context, Result};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use frontline::aws_usage::FUNCTION;
use frontline::config::Config;
use frontline::store::RequestCounter;
use frontline::Services;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;

#[derive(Clone)]
struct AppState {
    svc: Arc<Services>,
    endpoint: String,
    host: String,
}

/// How to start a stack.
#[derive(Debug, Clone)]
pub struct Options {
    /// Port to serve on; 0 picks a free one.
    pub port: u16,
    /// An AWS endpoint to use; `None` starts moto.
    pub endpoint: Option<String>,
    /// Prefix for the table, queue and secret names (isolates stacks sharing an endpoint).
    pub prefix: String,
    pub verbose: bool,
    /// An OpenAI-compatible API root for the extraction assist (`LLM_BASE_URL`); its key
    /// in the local secret is [`LOCAL_LLM_KEY`].
    pub llm_base_url: Option<String>,
    /// Abuse limits; `None` reads `LIMIT_*` from the environment like a function does.
    pub limits: Option<frontline::abuse::Limits>,
    /// The instant the stack's clock starts at (it advances in real time from there, and
    /// `POST /_local/clock` moves it); `None` starts it at the system time. Every
    /// function of the stack and the Twilio stand-in read this clock.
    pub now: Option<chrono::DateTime<chrono::Utc>>,
}

/// `FRONTLINE_NOW` (RFC 3339), the instant a local stack's clock starts at; unset or
/// empty means the system time. A local-runner setting only: no deployed function reads
/// it.
pub fn start_instant_from_env() -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    match std::env::var("FRONTLINE_NOW") {
        Ok(v) if !v.trim().is_empty() => chrono::DateTime::parse_from_rfc3339(v.trim())
            .map(|t| Some(t.with_timezone(&chrono::Utc)))
            .with_context(|| format!("FRONTLINE_NOW={v} is not an RFC 3339 instant")),
        _ => Ok(None),
    }
}

/// The API key the local stack stores for the extraction assist.
pub const LOCAL_LLM_KEY: &str = "local-llm-key";

/// The SES identity owner alerts are emailed from.
pub const ALERT_EMAIL_FROM: &str = "alerts@frontline.example";

/// An email SES accepted (as moto recorded it).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SentEmail {
    pub source: String,
    pub subject: String,
    pub body: String,
    /// `{"ToAddresses": [...]}`.
    pub destinations: serde_json::Value,
}

/// The emails moto's SES accepted, from its model dump (`GET /moto-api/data.json`); empty
/// when the endpoint is not moto.
pub async fn sent_emails(endpoint: &str) -> Vec<SentEmail> {
    let url = format!("{}/moto-api/data.json", endpoint.trim_end_matches('/'));
    let Ok(r) = reqwest::get(&url).await else {
        return Vec::new();
    };
    let data: serde_json::Value = r.json().await.unwrap_or_default();
    serde_json::from_value(data["ses"]["Message"].clone()).unwrap_or_default()
}

/// A running stack. Dropping it stops the server, pollers and moto (if started here).
pub struct Stack {
    pub base_url: String,
    pub svc: Arc<Services>,
    pub counter: RequestCounter,
    /// Each function's AWS actions in this run (`aws_usage`), for the IAM test.
    pub usage: frontline::aws_usage::UsageRecorder,
    pub twilio: Arc<StandIn>,
    pub google: Arc<google::GoogleStandIn>,
    pub endpoint: String,
    tasks: Vec<JoinHandle<()>>,
    fanout: Mutex<Option<JoinHandle<()>>>,
    stream_source: pollers::StreamSource,
    _moto: Option<tokio::process::Child>,
}

impl Stack {
    /// The process id of the moto server this stack started (`None` when it uses an
    /// endpoint it was given).
    pub fn emulator_pid(&self) -> Option<u32> {
        self._moto.as_ref().and_then(|c| c.id())
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
        self.stop_fanout();
    }
}

fn say(verbose: bool, msg: &str) {
    if verbose {
        eprintln!("[local] {msg}");
    }
}

impl Stack {
    pub async fn start(opts: Options) -> Result<Self> {
        let (endpoint, moto_child) = match &opts.endpoint {
            Some(e) => {
                say(opts.verbose, &format!("using the AWS endpoint at {e}"));
                (e.clone(), None)
            }
            None => {
                let port = moto::free_port()?;
                say(
                    opts.verbose,
                    &format!("starting moto {} on 127.0.0.1:{port}", moto::MOTO_VERSION),
                );
                let child = moto::start(port).await?;
                (format!("http://127.0.0.1:{port}"), Some(child))
            }
        };
        // Static credentials and a region: the SDK needs them even for moto.
        for (k, v) in [
            ("AWS_ACCESS_KEY_ID", "local"),
            ("AWS_SECRET_ACCESS_KEY", "local"),
            ("AWS_REGION", "us-east-1"),
        ] {
            if std::env::var(k).is_err() {
                std::env::set_var(k, v);
            }
        }
        let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .endpoint_url(&endpoint)
            .region(aws_config::Region::new("us-east-1"))
            .load()
            .await;
        // A named port is bound only once everything behind it is ready (below), so a
        // client never reaches a half-started system. Port 0 (tests) binds at once:
        // picking a port and binding later could lose it to an outgoing connection.
        let early = if opts.port == 0 {
            Some(tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?)
        } else {
            None
        };
        let port = match &early {
            Some(l) => l.local_addr()?.port(),
            None => opts.port,
        };
        let base_url = format!("http://127.0.0.1:{port}");
        let p = &opts.prefix;
        let table = format!("{p}frontline");
        say(
            opts.verbose,
            &format!("creating table {table}, queues and secrets"),
        );
        let ddb = aws_sdk_dynamodb::Client::new(&sdk);
        frontline::store::create_table(&ddb, &table)
            .await
            .context("create table")?;
        let sqs = aws_sdk_sqs::Client::new(&sdk);
        let queue_url = queue_with_dlq(&sqs, &format!("{p}notifications")).await?;
        let integrations_url = queue_with_dlq(&sqs, &format!("{p}integrations")).await?;
        let secrets = aws_sdk_secretsmanager::Client::new(&sdk);
        let twilio_secret = format!("{p}frontline/twilio");
        let jwt_secret = format!("{p}frontline/jwt");
        let llm_secret = format!("{p}frontline/llm");
        let google_secret = format!("{p}frontline/google-oauth");
        let calendar_key_secret = format!("{p}frontline/calendar-key");
        let token_key = {
            use base64::Engine as _;
            let mut raw = uuid::Uuid::new_v4().as_bytes().to_vec();
            raw.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
            base64::engine::general_purpose::STANDARD.encode(raw)
        };
        for (name, value) in [
            (google_secret.clone(), serde_json::json!({"client_id": google::CLIENT_ID, "client_secret": google::CLIENT_SECRET}).to_string()),
            (calendar_key_secret.clone(), serde_json::json!({"key_id": "local-1", "key": token_key}).to_string()),
            (llm_secret.clone(), serde_json::json!({"api_key": LOCAL_LLM_KEY}).to_string()),
            (twilio_secret.clone(), serde_json::json!({"account_sid": phone::ACCOUNT_SID, "auth_token": phone::AUTH_TOKEN}).to_string()),
            (jwt_secret.clone(), serde_json::json!({"signing_key": uuid::Uuid::new_v4().to_string()}).to_string()),
        ] {
            if secrets.describe_secret().secret_id(&name).send().await.is_err() {
                secrets.create_secret().name(&name).secret_string(value).send().await.context("create secret")?;
            }
        }
        say(
            opts.verbose,
            &format!("verifying the alert email sender {ALERT_EMAIL_FROM} in SES"),
        );
        if let Err(e) = aws_sdk_sesv2::Client::new(&sdk)
            .create_email_identity()
            .email_identity(ALERT_EMAIL_FROM)
            .send()
            .await
        {
            if !e
                .as_service_error()
                .is_some_and(|s| s.is_already_exists_exception())
            {
                bail!(
                    "create SES identity: {}",
                    aws_sdk_sesv2::error::DisplayErrorContext(e)
                );
            }
        }
        let config = Config {
            table_name: table.clone(),
            notifications_queue_url: queue_url.clone(),
            twilio_secret_id: twilio_secret,
            jwt_secret_id: jwt_secret,
            twilio_api_base: format!("{base_url}/_local/twilio"),
            public_base_url: Some(base_url.clone()),
            ddb_timeout: Duration::from_millis(2500),
            access_token_ttl_s: 900,
            llm_base_url: opts.llm_base_url.clone(),
            notify_retry_base_s: 1,
            llm_model: "local-model".into(),
            llm_secret_id: llm_secret,
            alert_email_from: Some(ALERT_EMAIL_FROM.into()),
            integrations_queue_url: integrations_url.clone(),
            google_oauth_secret_id: google_secret,
            calendar_key_secret_id: calendar_key_secret,
            google: frontline::google::GoogleEndpoints::under(&format!("{base_url}/_local/google")),
            dashboard_url: None,
            backup_keep: 3,
            limits: opts
                .limits
                .unwrap_or_else(frontline::abuse::Limits::from_env),
        };
        let observers = frontline::services::Observers::default();
        let counter = observers.counter.clone();
        let usage = observers.usage.clone();
        let clock = frontline::clock::Clock::shifted(opts.now.unwrap_or_else(chrono::Utc::now));
        let svc = Arc::new(Services::new(config, &sdk, Some(observers)).with_clock(clock.clone()));
        say(
            opts.verbose,
            "seeding Bristol Plumbing, Prairie Home Services and the admin login",
        );
        seed::seed(&svc.store).await.context("seed")?;
        seed::seed_widget(&svc.store, &base_url)
            .await
            .context("seed the demo widget key")?;
        let twilio = Arc::new(StandIn {
            clock: clock.clone(),
            ..StandIn::default()
        });
        let google = Arc::new(google::GoogleStandIn::default());
        let state = AppState {
            svc: svc.clone(),
            endpoint: endpoint.clone(),
            host: format!("127.0.0.1:{port}"),
        };
        let app = Router::new()
            .route("/_local/emails", get(list_emails))
            .route("/_local/widget-demo.html", get(widget_demo))
            .route("/_local/clock", get(read_clock).post(set_clock))
            .route("/_local/schedules/{name}", post(run_schedule))
            .route("/_local/restore-drill", post(run_restore_drill))
            .nest("/_local/google", google::router(google.clone()))
            .nest("/_local/twilio", twilio::router(twilio.clone()))
            // Every other request: a file of the dashboard when one exists at that path
            // (`/` is its index.html), else the API Gateway stand-in.
            .fallback_service(
                tower_http::services::ServeDir::new(dashboard::dist_dir())
                    .call_fallback_on_method_not_allowed(true)
                    .fallback(axum::handler::Handler::with_state(
                        gateway_route,
                        state.clone(),
                    )),
            )
            .with_state(state);
        let listener = match early {
            Some(l) => l,
            None => tokio::net::TcpListener::bind(("127.0.0.1", port))
                .await
                .with_context(|| format!("port {port} is taken"))?,
        };
        let mut tasks = Vec::new();
        let stream_source = pollers::StreamSource {
            svc: svc.clone(),
            streams: aws_sdk_dynamodbstreams::Client::new(&sdk),
            ddb: ddb.clone(),
            table,
        };
        let fanout = Mutex::new(Some(tokio::spawn(stream_source.clone().run())));
        tasks.push(tokio::spawn(pollers::queue_to_notify(
            svc.clone(),
            queue_url,
        )));
        tasks.push(tokio::spawn(pollers::queue_to_calendar_sync(
            svc.clone(),
            integrations_url,
        )));
        tasks.push(tokio::spawn(schedules(svc.clone())));
        tasks.push(tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        }));
        say(opts.verbose, &format!("serving every route on {base_url}"));
        Ok(Self {
            base_url,
            svc,
            counter,
            usage,
            twilio,
            google,
            endpoint,
            tasks,
            fanout,
            stream_source,
            _moto: moto_child,
        })
    }

    /// Kills the stream source and `fanout` wherever they are, mid-batch included, as a
    /// crashed or timed-out Lambda invocation ends. Records of that batch already sent to
    /// SQS stay sent; nothing is checkpointed.
    pub fn stop_fanout(&self) {
        if let Some(t) = self.fanout.lock().ok().and_then(|mut f| f.take()) {
            t.abort();
        }
    }

    /// Starts the stream source and `fanout` again (stopping a running one first). It
    /// reads the stream from its trim horizon: every record is delivered again, a
    /// superset of Lambda's retry from the last checkpoint.
    pub fn start_fanout(&self) {
        self.stop_fanout();
        if let Ok(mut f) = self.fanout.lock() {
            *f = Some(tokio::spawn(self.stream_source.clone().run()));
        }
    }

    /// Every call the Twilio stand-in placed.
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.twilio.calls()
    }

    /// Every email SES accepted.
    pub async fn emails(&self) -> Vec<SentEmail> {
        sent_emails(&self.endpoint).await
    }

    /// Every SMS the stand-in received so far.
    pub fn messages(&self) -> Vec<RecordedMessage> {
        self.twilio.messages()
    }
}

/// A queue with its DLQ (five receives), as `template.yaml` declares them; returns its URL.
async fn queue_with_dlq(sqs: &aws_sdk_sqs::Client, name: &str) -> Result<String> {
    use aws_sdk_sqs::types::QueueAttributeName as A;
    let dlq = sqs
        .create_queue()
        .queue_name(format!("{name}-dlq"))
        .send()
        .await
        .context("create DLQ")?;
    let dlq_arn = sqs
        .get_queue_attributes()
        .queue_url(dlq.queue_url().unwrap_or_default())
        .attribute_names(A::QueueArn)
        .send()
        .await?
        .attributes()
        .and_then(|a| a.get(&A::QueueArn).cloned())
        .unwrap_or_default();
    let q = sqs
        .create_queue()
        .queue_name(name)
        .attributes(A::VisibilityTimeout, "3")
        .attributes(
            A::RedrivePolicy,
            serde_json::json!({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"}).to_string(),
        )
        .send()
        .await
        .with_context(|| format!("create queue {name}"))?;
    Ok(q.queue_url().unwrap_or_default().to_string())
}

/// The EventBridge schedules (`template.yaml`'s) by name and period, seconds.
pub const SCHEDULES: &[(&str, u64)] = &[
    ("calendar-import", 15 * 60),
    ("reminders", 3600),
    ("campaigns", 3600),
    ("retention-purge", 86_400),
    ("backup", 86_400),
];

/// Runs a schedule as its EventBridge rule would: a queue message for `calendar-import`,
/// else the job's handler with a `Scheduled Event` whose `time` is `at`. Returns the job's
/// summary.
pub async fn fire(
    svc: &Services,
    name: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<serde_json::Value, String> {
    let event = || -> aws_lambda_events::event::cloudwatch_events::CloudWatchEvent {
        serde_json::from_value(serde_json::json!({
            "version": "0", "id": uuid::Uuid::new_v4().to_string(), "detail-type": "Scheduled Event",
            "source": "aws.events", "account": "000000000000", "time": at.to_rfc3339(),
            "region": "us-east-1", "resources": [format!("arn:aws:events:us-east-1:000000000000:rule/{name}")],
            "detail": {}
        }))
        .expect("scheduled event shape")
    };
    match name {
        "calendar-import" => frontline::google::sync::send(
            svc,
            &[frontline::google::sync::IntegrationMessage::ImportAll],
        )
        .await
        .map(|_| serde_json::json!({"job": name, "queued": 1}))
        .map_err(|e| frontline::telemetry::chain(&e)),
        "reminders" => Ok(FUNCTION
            .scope("reminders", reminders::handle(svc, event()))
            .await),
        "campaigns" => Ok(FUNCTION
            .scope("campaigns", campaigns::handle(svc, event()))
            .await),
        "retention-purge" => Ok(FUNCTION
            .scope("retention-purge", retention_purge::handle(svc, event()))
            .await),
        "backup" => Ok(FUNCTION.scope("backup", backup::handle(svc, event())).await),
        other => Err(format!("no schedule named {other}")),
    }
}

/// The schedules' timers; each first fires one period after start, as a new EventBridge
/// rule would. Dropping the task drops the set, which stops every timer.
async fn schedules(svc: Arc<Services>) {
    let mut set = tokio::task::JoinSet::new();
    for (name, every) in SCHEDULES {
        let svc = svc.clone();
        set.spawn(async move {
            let period = Duration::from_secs(*every);
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = fire(&svc, name, svc.clock.now()).await {
                    tracing::warn!(schedule = name, error = %e, "schedule failed");
                }
            }
        });
    }
    while set.join_next().await.is_some() {}
}

#[derive(serde::Deserialize)]
struct ScheduleQuery {
    time: Option<chrono::DateTime<chrono::Utc>>,
}

/// `POST /_local/schedules/{name}[?time=RFC3339]`: runs a schedule now (as "Test" in the
/// EventBridge console would), optionally as of another time; 200 with the job's summary,
/// or 404 for an unknown name.
async fn run_schedule(
    State(st): State<AppState>,
    Path(name): Path<String>,
    axum::extract::Query(q): axum::extract::Query<ScheduleQuery>,
) -> Response {
    if !SCHEDULES.iter().any(|(n, _)| *n == name) {
        return (StatusCode::NOT_FOUND, format!("no schedule named {name}")).into_response();
    }
    match fire(&st.svc, &name, q.time.unwrap_or_else(|| st.svc.clock.now())).await {
        Ok(summary) => (StatusCode::OK, Json(summary)).into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e).into_response(),
    }
}

/// `POST /_local/clock`'s body: move the clock to `now`, or by `advance_s` seconds.
#[derive(serde::Deserialize)]
struct ClockChange {
    now: Option<chrono::DateTime<chrono::Utc>>,
    advance_s: Option<i64>,
}

/// `GET /_local/clock`: `{"now": RFC 3339}`, the instant every function of the stack reads.
async fn read_clock(State(st): State<AppState>) -> Response {
    Json(serde_json::json!({"now": st.svc.clock.now().to_rfc3339()})).into_response()
}

/// `POST /_local/clock` `{"now": RFC 3339}` or `{"advance_s": N}`: moves the stack's clock
/// (it keeps advancing from there); 200 with the new `now`, 400 when the body names
/// neither or both.
async fn set_clock(State(st): State<AppState>, body: Bytes) -> Response {
    let change: ClockChange = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                format!("expected {{\"now\": RFC 3339}} or {{\"advance_s\": seconds}}: {e}"),
            )
                .into_response()
        }
    };
    let moved = match (change.now, change.advance_s) {
        (Some(at), None) => st.svc.clock.set(at),
        (None, Some(s)) => st.svc.clock.advance(chrono::Duration::seconds(s)),
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                "name exactly one of \"now\" and \"advance_s\"",
            )
                .into_response()
        }
    };
    match moved {
        Ok(()) => read_clock(State(st)).await,
        Err(e) => (StatusCode::CONFLICT, e.to_string()).into_response(),
    }
}

/// `POST /_local/restore-drill`: a fresh backup, then the drill on it; 200 with the
/// report when every count matches, 500 with it (or the error) otherwise.
async fn run_restore_drill(State(st): State<AppState>) -> Response {
    let summary = frontline::schedules::backup(&st.svc, st.svc.clock.now()).await;
    if summary.get("created") == 0 {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(serde_json::json!({"error": "backup failed", "summary": summary})),
        )
            .into_response();
    }
    match frontline::schedules::restore_drill(st.svc.store.client(), st.svc.store.table_name())
        .await
    {
        Ok(r) if r.equal => (StatusCode::OK, Json(r)).into_response(),
        Ok(r) => (StatusCode::INTERNAL_SERVER_ERROR, Json(r)).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(serde_json::json!({"error": frontline::telemetry::chain(&e)})),
        )
            .into_response(),
    }
}

async fn gateway_route(
    State(st): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let inc = gateway::Incoming {
        method: method.to_string(),
        path: uri.path().to_string(),
        query: uri.query().unwrap_or_default().to_string(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
            .collect(),
        body: body.to_vec(),
        host: st.host.clone(),
    };
    let out = gateway::dispatch(&st.svc, inc).await;
    let mut resp = (
        StatusCode::from_u16(out.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        out.body,
    )
        .into_response();
    for (k, v) in out.headers {
        if let (Ok(k), Ok(v)) = (
            axum::http::HeaderName::try_from(k),
            axum::http::HeaderValue::try_from(v),
        ) {
            resp.headers_mut().insert(k, v);
        }
    }
    resp
}

/// `GET /_local/widget-demo.html`: a stand-in for a shop's own website with the chat
/// widget's snippet pasted in, as the README tells a shop to (Bristol's demo key).
async fn widget_demo() -> axum::response::Html<String> {
    axum::response::Html(
        include_str!("widget-demo.html").replace("{{WIDGET_KEY}}", seed::BRISTOL_WIDGET_KEY),
    )
}

async fn list_emails(State(st): State<AppState>) -> Json<Vec<SentEmail>> {
    Json(sent_emails(&st.endpoint).await)
}
