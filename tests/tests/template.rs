//! `template.yaml`, read as YAML, against the code: the same routes on the same functions
//! as the local runner, the table of `infra/table.json`, every function built for arm64 by
//! cargo-lambda with logs kept and an alarm on errors, queues that outlast their workers,
//! and policies that name only actions and resources (no `*`). The per-stage parameter
//! files name only the template's parameters.

use e2e::template::*;
use serde_yaml_ng::Value;
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn template_routes_equal_local_routes() {
    let tpl = template_routes(&template());
    let local: BTreeSet<(String, String, String)> = local::routes::all()
        .into_iter()
        .map(|(m, p, f)| (m.to_string(), p.to_string(), f.to_string()))
        .collect();
    assert!(!tpl.is_empty());
    assert_eq!(
        tpl, local,
        "template.yaml routes differ from local/src/routes.rs"
    );
}

#[test]
fn template_table_matches_infra_definition() {
    let t = template();
    let table = &t["Resources"]["Table"];
    let p = &table["Properties"];
    let def = frontline::store::table_definition();
    let yaml_json = |v: &Value| serde_json::to_value(v).unwrap();
    assert_eq!(
        yaml_json(&p["AttributeDefinitions"]),
        def["AttributeDefinitions"]
    );
    assert_eq!(yaml_json(&p["KeySchema"]), def["KeySchema"]);
    assert_eq!(
        yaml_json(&p["GlobalSecondaryIndexes"]),
        def["GlobalSecondaryIndexes"]
    );
    assert_eq!(p["BillingMode"], "PAY_PER_REQUEST");
    assert_eq!(p["StreamSpecification"]["StreamViewType"], "NEW_IMAGE");
    assert_eq!(p["TimeToLiveSpecification"]["AttributeName"], "expires_at");
    assert_eq!(p["TimeToLiveSpecification"]["Enabled"], true);
    assert_eq!(
        p["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"],
        true
    );
    assert_eq!(p["DeletionProtectionEnabled"], true);
    assert_eq!(table["DeletionPolicy"], "Retain");
    assert_eq!(table["UpdateReplacePolicy"], "Retain");
}

/// Every crate under `functions/` is deployed, for arm64 on `provided.al2023`, built by
/// cargo-lambda; Twilio's webhooks answer within its 15 s budget and the API within API
/// Gateway's 30 s integration limit.
#[test]
fn every_function_is_built_for_arm64_and_fits_its_caller() {
    let t = template();
    let g = &t["Globals"]["Function"];
    assert_eq!(g["Runtime"], "provided.al2023");
    assert_eq!(
        serde_json::to_value(&g["Architectures"]).unwrap(),
        serde_json::json!(["arm64"])
    );
    assert_eq!(g["Handler"], "bootstrap");
    let crates: BTreeSet<String> = std::fs::read_dir(format!("{ROOT}/functions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut deployed = BTreeSet::new();
    let routes = template_routes(&t);
    for (id, f) in functions(&t) {
        assert_eq!(f["Metadata"]["BuildMethod"], "rust-cargolambda", "{id}");
        let bin = binary(f);
        assert!(crates.contains(&bin), "{id} builds {bin}, not a crate");
        deployed.insert(bin.clone());
        assert!(
            f["Properties"].get("Runtime").is_none(),
            "{id} overrides the runtime"
        );
        assert!(
            f["Properties"].get("Architectures").is_none(),
            "{id} overrides arm64"
        );
        let timeout = f["Properties"]["Timeout"]
            .as_u64()
            .or(g["Timeout"].as_u64())
            .unwrap();
        let memory = f["Properties"]["MemorySize"]
            .as_u64()
            .or(g["MemorySize"].as_u64())
            .unwrap();
        assert!((128..=1769).contains(&memory), "{id}: {memory} MB");
        let paths: Vec<&String> = routes
            .iter()
            .filter(|(_, _, b)| *b == bin)
            .map(|(_, p, _)| p)
            .collect();
        if paths.iter().any(|p| p.starts_with("/twilio/")) {
            assert!(timeout < 15, "{id}: {timeout} s is past Twilio's 15 s");
        } else if !paths.is_empty() {
            assert!(
                timeout <= 29,
                "{id}: {timeout} s is past API Gateway's 30 s"
            );
        }
    }
    assert_eq!(
        deployed, crates,
        "function crates and template functions differ"
    );
    let ct = &t["Resources"]["CallTurnFunction"]["Properties"];
    assert_eq!(ct["AutoPublishAlias"], "live");
    assert!(ct.get("ProvisionedConcurrencyConfig").is_some());
    assert_eq!(
        t["Parameters"]["CallTurnProvisionedConcurrency"]["Default"],
        0
    );
}

/// Each function logs to its own group with a retention and has an errors alarm on the
/// alarm topic; the API has an access log; every dead-letter queue has an alarm.
#[test]
fn every_function_is_observed() {
    let t = template();
    let r = resources(&t);
    assert_eq!(t["Globals"]["Function"]["Tracing"], "Active");
    for (id, f) in functions(&t) {
        let group = referent(&f["Properties"]["LoggingConfig"]["LogGroup"])
            .unwrap_or_else(|| panic!("{id} has no LoggingConfig.LogGroup"));
        assert_eq!(
            f["Properties"]["LoggingConfig"]["LogFormat"], "JSON",
            "{id}"
        );
        let lg = &r[group.as_str()];
        assert_eq!(lg["Type"], "AWS::Logs::LogGroup", "{id}");
        assert!(lg["Properties"].get("RetentionInDays").is_some(), "{group}");
        let alarmed = r.values().any(|a| {
            a["Type"] == "AWS::CloudWatch::Alarm"
                && a["Properties"]["MetricName"] == "Errors"
                && referent(&a["Properties"]["Dimensions"][0]["Value"]).as_deref()
                    == Some(id.as_str())
                && referent(&a["Properties"]["AlarmActions"][0]).as_deref() == Some("AlarmTopic")
        });
        assert!(alarmed, "{id} has no errors alarm");
    }
    let api = &r["HttpApi"]["Properties"];
    assert_eq!(
        referent(&api["AccessLogSettings"]["DestinationArn"]).as_deref(),
        Some("ApiAccessLogs")
    );
    assert!(api["DefaultRouteSettings"]["ThrottlingRateLimit"]
        .as_u64()
        .is_some());
    // Dead-letter queues: redrive targets and the stream's on-failure destination.
    let mut dlqs = BTreeSet::new();
    for (_, q) in r.iter().filter(|(_, q)| q["Type"] == "AWS::SQS::Queue") {
        if let Some(d) = referent(&q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]) {
            dlqs.insert(d);
        }
    }
    for (_, f) in functions(&t) {
        for (_, e) in f["Properties"]["Events"].as_mapping().into_iter().flatten() {
            if let Some(d) =
                referent(&e["Properties"]["DestinationConfig"]["OnFailure"]["Destination"])
            {
                dlqs.insert(d);
            }
            // Schedules run on EventBridge Scheduler in the region's zone, retried, with
            // a dead-letter queue.
            if e["Type"] == "ScheduleV2" {
                let p = &e["Properties"];
                assert!(p.get("ScheduleExpressionTimezone").is_some(), "{p:?}");
                assert!(p["RetryPolicy"]["MaximumRetryAttempts"].as_u64().is_some());
                dlqs.insert(referent(&p["DeadLetterConfig"]["Arn"]).expect("a schedule DLQ"));
            }
            assert_ne!(e["Type"], "Schedule", "an EventBridge rule, not Scheduler");
        }
    }
    assert_eq!(dlqs.len(), 4, "{dlqs:?}");
    for d in dlqs {
        let alarmed = r.values().any(|a| {
            a["Properties"]["MetricName"] == "ApproximateNumberOfMessagesVisible"
                && referent(&a["Properties"]["Dimensions"][0]["Value"]).as_deref()
                    == Some(d.as_str())
        });
        assert!(alarmed, "dead-letter queue {d} has no alarm");
    }
    for name in [
        "CallTurnLatencyAlarm",
        "EmergencyAlertFailuresAlarm",
        "WebhookAndApiThrottlesAlarm",
        "WorkerThrottlesAlarm",
    ] {
        assert_eq!(r[name]["Type"], "AWS::CloudWatch::Alarm", "{name}");
    }
    assert_eq!(
        r["EmergencyAlertFailuresAlarm"]["Properties"]["MetricName"],
        frontline::telemetry::EMERGENCY_ALERT_FAILURES
    );
}

/// Queue workers report partial batch failures; the stream mapping bisects, then sends
/// what still fails to an on-failure destination; a queue hides a message at least as
/// long as its worker may run (Lambda refuses the mapping otherwise).
/// docs/SCALE.md's storm-day peak: 33 calls/s, whose busiest Twilio route takes 165
/// requests a second (5 turns a call; a call's texts add 4 status callbacks). Each Twilio
/// route throttles at twice that or more, so a throttled (and not retried) status callback
/// never loses a text's delivery.
const STORM_PEAK_ROUTE_RPS: u64 = 165;

#[test]
fn twilio_routes_carry_the_storm_day_peak_twice_over() {
    let t = template();
    let mut twilio_routes = 0;
    for (id, f) in functions(&t) {
        for (_, e) in f["Properties"]["Events"].as_mapping().into_iter().flatten() {
            let p = &e["Properties"];
            let Some(path) = p["Path"].as_str().filter(|p| p.starts_with("/twilio/")) else {
                continue;
            };
            twilio_routes += 1;
            let rate = p["RouteSettings"]["ThrottlingRateLimit"].as_u64();
            let burst = p["RouteSettings"]["ThrottlingBurstLimit"].as_u64();
            assert!(
                rate >= Some(2 * STORM_PEAK_ROUTE_RPS) && burst >= rate,
                "{id} {path}: rate {rate:?}, burst {burst:?} (the default route settings are too low for Twilio's traffic)"
            );
        }
    }
    assert!(twilio_routes >= 7, "{twilio_routes} Twilio routes");
}

/// The operations dashboard is valid JSON once CloudFormation substitutes it, and charts
/// every metric the code writes.
#[test]
fn the_dashboard_charts_every_metric_the_code_writes() {
    let t = template();
    let r = resources(&t);
    let d = &r["OperationsDashboard"];
    assert_eq!(d["Type"], "AWS::CloudWatch::Dashboard");
    let Value::Tagged(sub) = &d["Properties"]["DashboardBody"] else {
        panic!("DashboardBody is a !Sub string");
    };
    let substituted = substitute(sub.value.as_str().expect("a !Sub string"));
    let json: serde_json::Value = serde_json::from_str(&substituted)
        .unwrap_or_else(|e| panic!("the dashboard is not JSON: {e}\n{substituted}"));
    let charted = json["widgets"].to_string();
    for metric in [
        frontline::telemetry::TURN_LATENCY,
        frontline::telemetry::BOOKINGS,
        frontline::telemetry::EMERGENCIES,
        frontline::telemetry::ALERT_SEND_TIME,
        frontline::telemetry::EMERGENCY_ALERT_FAILURES,
    ] {
        assert!(
            charted.contains(&format!("\"{metric}\"")),
            "{metric} is not charted"
        );
    }
}

/// `${Name}` and `${Name.Attr}` replaced by a plain word, as CloudFormation's `!Sub` would
/// put a value there.
fn substitute(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('}').expect("a closed ${...}") + i;
        out.push_str("value");
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn event_sources_report_partial_failures() {
    let t = template();
    let r = resources(&t);
    let mut sources = 0;
    for (id, f) in functions(&t) {
        let timeout = f["Properties"]["Timeout"].as_u64().unwrap_or(10);
        for (_, e) in f["Properties"]["Events"].as_mapping().into_iter().flatten() {
            let p = &e["Properties"];
            match e["Type"].as_str() {
                Some("SQS") => {
                    let q = referent(&p["Queue"]).unwrap();
                    let vis = r[q.as_str()]["Properties"]["VisibilityTimeout"]
                        .as_u64()
                        .unwrap_or(30);
                    assert!(
                        vis >= timeout,
                        "{id}: {q} hides messages {vis} s < {timeout} s"
                    );
                }
                Some("DynamoDB") => {
                    assert_eq!(p["BisectBatchOnFunctionError"], true, "{id}");
                    assert!(
                        referent(&p["DestinationConfig"]["OnFailure"]["Destination"]).is_some()
                    );
                    assert!(p["FilterCriteria"]["Filters"][0]["Pattern"]
                        .as_str()
                        .unwrap()
                        .contains(frontline::store::keys::OUTBOX_PREFIX));
                }
                _ => continue,
            }
            sources += 1;
            assert_eq!(
                serde_json::to_value(&p["FunctionResponseTypes"]).unwrap(),
                serde_json::json!(["ReportBatchItemFailures"]),
                "{id}"
            );
        }
    }
    assert_eq!(sources, 3);
}

#[test]
fn no_policy_grants_wildcards() {
    let g = grants(&template());
    for ((function, action), resources) in &g {
        // X-Ray's write actions have no resource-level permissions (Tracing: Active needs
        // them on "*"); ListBackups is the one DynamoDB action of its kind.
        if resources.contains("*")
            && !matches!(
                action.as_str(),
                "xray:PutTraceSegments" | "xray:PutTelemetryRecords"
            )
        {
            assert_eq!(
                (function.as_str(), action.as_str()),
                ("backup", "dynamodb:ListBackups"),
                "{function}: {action} on *"
            );
        }
    }
    // The voice path, as the design names it: the table and GSI1, its own secrets.
    let call_turn: BTreeSet<&str> = g
        .iter()
        .filter(|((f, a), _)| f == "call-turn" && a.starts_with("dynamodb:"))
        .map(|((_, a), _)| a.as_str())
        .collect();
    for needed in [
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "dynamodb:PutItem",
        "dynamodb:TransactWriteItems",
    ] {
        assert!(call_turn.contains(needed), "call-turn lacks {needed}");
    }
    assert!(!call_turn.contains("dynamodb:Scan") && !call_turn.contains("dynamodb:DeleteTable"));
    // A function without HTTP routes never reads the JWT signing key.
    for ((function, action), resources) in &g {
        if action == "secretsmanager:GetSecretValue" && resources.contains("JwtSecretArn") {
            assert!(function.starts_with("api-"), "{function} reads the JWT key");
        }
    }
}

/// The OpenAPI document names exactly the template's routes: none undocumented, none
/// documented that the template lacks.
#[test]
fn openapi_documents_exactly_the_template_routes() {
    let tpl: BTreeSet<(String, String)> = template_routes(&template())
        .into_iter()
        .map(|(m, p, _)| (m, p))
        .collect();
    let doc = frontline::http::openapi::document();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{method} {path}"
            );
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let undocumented: Vec<_> = tpl.difference(&documented).collect();
    let missing: Vec<_> = documented.difference(&tpl).collect();
    assert!(
        undocumented.is_empty(),
        "in template.yaml, not in OpenAPI: {undocumented:?}"
    );
    assert!(
        missing.is_empty(),
        "in OpenAPI, not in template.yaml: {missing:?}"
    );
}

/// `infra/parameters/{stage}.json` names only template parameters and every one without a
/// default; `infra/samconfig.toml` has both stages.
#[test]
fn stage_parameter_files_fit_the_template() {
    let t = template();
    let params = t["Parameters"].as_mapping().unwrap();
    let required: BTreeSet<&str> = params
        .iter()
        .filter(|(_, p)| p.get("Default").is_none())
        .map(|(k, _)| k.as_str().unwrap())
        .collect();
    for stage in ["dev", "prod"] {
        let path = format!("{ROOT}/infra/parameters/{stage}.json");
        let file: BTreeMap<String, String> =
            serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect(&path);
        for k in file.keys() {
            assert!(
                params.contains_key(k.as_str()),
                "{path}: {k} is not a parameter"
            );
        }
        for k in &required {
            assert!(file.contains_key(*k), "{path} lacks {k}");
        }
        assert_eq!(file["Stage"], stage, "{path}");
    }
    let samconfig = std::fs::read_to_string(format!("{ROOT}/infra/samconfig.toml")).unwrap();
    for section in [
        "[dev.deploy.parameters]",
        "[prod.deploy.parameters]",
        "[default.build.parameters]",
    ] {
        assert!(
            samconfig.contains(section),
            "samconfig.toml lacks {section}"
        );
    }
}
