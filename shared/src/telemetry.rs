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
        // Each line lists its spans: `request` (request_id) and `call`/`turn`/`sms`
        // (call_sid, tenant), so CloudWatch Logs Insights can follow one request or call.
        .with_current_span(false)
        .with_span_list(true)
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
    let stage = stage();
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
    println!(
        "{}",
        emf_line(namespace, &[(metric, value, "Count")], dims, &[])
    );
}

/// One EMF line: `metrics` as (name, value, unit), all under the one dimension set `dims`,
/// and `props`, plain properties that CloudWatch keeps in the log event (searchable in
/// Logs Insights) but does not turn into metrics.
pub fn emf_line(
    namespace: &str,
    metrics: &[(&str, f64, &str)],
    dims: &[(&str, &str)],
    props: &[(&str, serde_json::Value)],
) -> serde_json::Value {
    let mut root = serde_json::json!({
        "_aws": {"Timestamp": chrono::Utc::now().timestamp_millis(), "CloudWatchMetrics": [{
            "Namespace": namespace,
            "Dimensions": [dims.iter().map(|(k, _)| *k).collect::<Vec<_>>()],
            "Metrics": metrics.iter().map(|(name, _, unit)| serde_json::json!({"Name": name, "Unit": unit})).collect::<Vec<_>>()
        }]},
    });
    for (name, value, _) in metrics {
        root[*name] = serde_json::json!(value);
    }
    for (k, v) in dims {
        root[*k] = serde_json::json!(v);
    }
    for (k, v) in props {
        root[*k] = v.clone();
    }
    root
}

/// A conversation turn's latency, milliseconds, from the dialogue step to the committed
/// write (the call's read comes before it), by `Channel`.
pub const TURN_LATENCY: &str = "TurnLatency";
/// Turns that booked a job, by `Channel`.
pub const BOOKINGS: &str = "Bookings";
/// Turns on which a conversation first became an emergency, by `Channel`.
pub const EMERGENCIES: &str = "Emergencies";
/// Milliseconds from an emergency's outbox event to Twilio accepting the owner's text.
pub const ALERT_SEND_TIME: &str = "AlertSendTime";

/// What one committed turn reports (see [`turn`]).
#[derive(Debug, Clone, Copy)]
pub struct TurnReport<'a> {
    /// `voice`, `sms` or `chat`.
    pub channel: &'a str,
    pub latency_ms: f64,
    pub booked: bool,
    /// The conversation became an emergency on this turn.
    pub became_emergency: bool,
    pub call_sid: &'a str,
    pub tenant: &'a str,
    pub seq: u64,
}

/// The per-turn EMF line: [`TURN_LATENCY`], [`BOOKINGS`] and [`EMERGENCIES`] under
/// (`Stage`, `Channel`), with the call's id, tenant and seq as properties.
pub fn turn(r: TurnReport<'_>) {
    // An info-level line: off where the logs are filtered to warnings (the local runner).
    if !tracing::enabled!(tracing::Level::INFO) {
        return;
    }
    let stage = stage();
    let line = emf_line(
        NAMESPACE,
        &[
            (TURN_LATENCY, r.latency_ms, "Milliseconds"),
            (BOOKINGS, f64::from(u8::from(r.booked)), "Count"),
            (
                EMERGENCIES,
                f64::from(u8::from(r.became_emergency)),
                "Count",
            ),
        ],
        &[("Stage", &stage), ("Channel", r.channel)],
        &[
            ("call_sid", r.call_sid.into()),
            ("tenant", r.tenant.into()),
            ("seq", r.seq.into()),
        ],
    );
    println!("{line}");
}

/// The EMF line for an owner's emergency text that Twilio accepted `ms` after its event
/// was written ([`ALERT_SEND_TIME`], by `Stage`).
pub fn alert_sent(ms: f64, event_id: &str) {
    if !tracing::enabled!(tracing::Level::INFO) {
        return;
    }
    let stage = stage();
    let line = emf_line(
        NAMESPACE,
        &[(ALERT_SEND_TIME, ms, "Milliseconds")],
        &[("Stage", &stage)],
        &[("event", event_id.into())],
    );
    println!("{line}");
}

fn stage() -> String {
    std::env::var("STAGE").unwrap_or_else(|_| "local".into())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The line is what the EMF specification asks for: every metric and dimension named
    /// in the directive is a root member, with the directive's namespace and units.
    #[test]
    fn an_emf_line_names_its_metrics_dimensions_and_properties_at_the_root() {
        let line = emf_line(
            NAMESPACE,
            &[
                (TURN_LATENCY, 12.5, "Milliseconds"),
                (BOOKINGS, 1.0, "Count"),
            ],
            &[("Stage", "prod"), ("Channel", "voice")],
            &[("call_sid", "CA1".into())],
        );
        let d = &line["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(d["Namespace"], NAMESPACE);
        assert_eq!(d["Dimensions"], serde_json::json!([["Stage", "Channel"]]));
        assert_eq!(d["Metrics"][0]["Name"], TURN_LATENCY);
        assert_eq!(d["Metrics"][0]["Unit"], "Milliseconds");
        assert_eq!(line[TURN_LATENCY], 12.5);
        assert_eq!(line[BOOKINGS], 1.0);
        assert_eq!(line["Channel"], "voice");
        assert_eq!(line["call_sid"], "CA1");
        assert!(line["_aws"]["Timestamp"].as_i64().unwrap() > 0);
    }
}
