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

/// One CloudWatch Embedded Metric Format line for a counter.
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
