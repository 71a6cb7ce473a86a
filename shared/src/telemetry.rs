//! Structured JSON logs (`tracing`), one line per event, for CloudWatch. Phone numbers are
//! masked by the callers of `tracing` (see `phone::mask`); secrets are never logged.

/// Installs the JSON subscriber once, on stdout (CloudWatch reads a Lambda's stdout);
/// `RUST_LOG` filters (default `info`).
pub fn init() {
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into());
    init_with(std::io::stdout, &filter);
}

/// Installs the same JSON subscriber once, writing to `writer` with the `RUST_LOG`-style
/// `filter` (the log-scanning security test reads what would reach CloudWatch this way).
pub fn init_with<W>(writer: W, filter: &str)
where
    W: for<'a> tracing_subscriber::fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_writer(writer)
        .with_env_filter(filter)
        .with_current_span(false)
        .with_target(false)
        .without_time()
        .try_init();
}

/// The EMF metric (namespace [`NAMESPACE`], dimension `Stage`) counting owner emergency
/// alerts that failed on a channel; `template.yaml`'s `EmergencyAlertFailuresAlarm` watches it.
pub const EMERGENCY_ALERT_FAILURES: &str = "EmergencyAlertFailures";

/// The CloudWatch namespace of Frontline's own metrics.
pub const NAMESPACE: &str = "Frontline";

/// Counts one owner emergency alert that failed on `channel` (`sms`, `call`, `email`): an
/// EMF line CloudWatch turns into [`EMERGENCY_ALERT_FAILURES`] for the stage in `STAGE`.
pub fn emergency_alert_failed(channel: &str) {
    let stage = std::env::var("STAGE").unwrap_or_else(|_| "local".into());
    emf_count(
        NAMESPACE,
        EMERGENCY_ALERT_FAILURES,
        1.0,
        &[("Stage", &stage)],
    );
    tracing::error!(channel, "owner emergency alert failed on a channel");
}

/// One CloudWatch Embedded Metric Format line for a counter
/// (<https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html>).
pub fn emf_count(namespace: &str, metric: &str, value: f64, dims: &[(&str, &str)]) {
    let mut root = serde_json::json!({
        "_aws": {"Timestamp": chrono::Utc::now().timestamp_millis(), "CloudWatchMetrics": [{
            "Namespace": namespace,
            "Dimensions": [dims.iter().map(|(k, _)| *k).collect::<Vec<_>>()],
            "Metrics": [{"Name": metric, "Unit": "Count"}]
        }]},
    });
    root[metric] = serde_json::json!(value);
    for (k, v) in dims {
        root[*k] = serde_json::json!(v);
    }
    println!("{root}");
}

/// An error and each of its sources, `: `-separated, for a log line (`Display` of an
/// error with a `#[source]` names only the outermost cause).
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        out.push_str(": ");
        out.push_str(&s.to_string());
        next = s.source();
    }
    out
}
