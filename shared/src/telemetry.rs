//! Structured JSON logs (`tracing`), one line per event, for CloudWatch. Phone numbers are
//! masked by the callers of `tracing` (see `phone::mask`); secrets are never logged.

/// Installs the JSON subscriber once; `RUST_LOG` filters (default `info`).
pub fn init() {
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
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
