//! Which AWS actions each function calls: an SDK interceptor on every client records the
//! IAM action of each request (`dynamodb:Query`, `sqs:SendMessage`, `ses:SendEmail`, with
//! `@Table/index/GSI1` when a DynamoDB request names an index) under the function named by
//! the task-local [`FUNCTION`]. The local runner names the function it invokes; the
//! template test checks that every recorded action is granted to that function's role.
//! Outside a [`FUNCTION`] scope (a deployed Lambda, the local runner's own pollers) nothing
//! is recorded.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

tokio::task_local! {
    /// The function (its binary's name, e.g. `call-turn`) on whose behalf the current task
    /// calls AWS.
    pub static FUNCTION: &'static str;
}

/// Function name → IAM action → requests.
type Counts = BTreeMap<String, BTreeMap<String, u64>>;

/// Shared record; clones record into the same map.
#[derive(Debug, Clone, Default)]
pub struct UsageRecorder {
    calls: Arc<Mutex<Counts>>,
}

impl UsageRecorder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Function name → the IAM actions it called (with `@Table/index/{name}` for indexes).
    pub fn snapshot(&self) -> BTreeMap<String, BTreeSet<String>> {
        self.counts()
            .into_iter()
            .map(|(f, actions)| (f, actions.into_keys().collect()))
            .collect()
    }

    /// Function name → action → how many requests (a transaction's item actions appear
    /// with the requests that named them as their own, 0 when only inside transactions).
    pub fn counts(&self) -> Counts {
        self.calls.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// DynamoDB requests `function` sent (transactions once, not per item).
    pub fn dynamodb_requests(&self, function: &str) -> u64 {
        let counts = self.counts();
        let Some(actions) = counts.get(function) else {
            return 0;
        };
        actions
            .iter()
            .filter(|(a, _)| a.starts_with("dynamodb:"))
            .map(|(_, n)| n)
            .sum()
    }

    pub fn reset(&self) {
        if let Ok(mut m) = self.calls.lock() {
            m.clear();
        }
    }
}

/// The IAM service prefix of an SDK service name (`Metadata::service`).
fn iam_prefix(service: &str) -> String {
    match service {
        "DynamoDB" => "dynamodb".into(),
        "DynamoDB Streams" => "dynamodb".into(),
        "SQS" => "sqs".into(),
        "Secrets Manager" => "secretsmanager".into(),
        "SESv2" => "ses".into(),
        other => other.to_lowercase().replace(' ', ""),
    }
}

/// The IAM action that authorizes an operation: SQS's batch operations are authorized by
/// their single forms (Amazon SQS Developer Guide, "Amazon SQS API permissions").
fn iam_action<'a>(prefix: &str, operation: &'a str) -> &'a str {
    match (prefix, operation) {
        ("sqs", op) => op.strip_suffix("Batch").unwrap_or(op),
        (_, op) => op,
    }
}

/// What a DynamoDB JSON request body adds to its action: `@Table/index/{name}` for a
/// request on an index, and for `TransactWriteItems` the item actions it carries, each of
/// which IAM checks too (DynamoDB Developer Guide, "Using IAM with DynamoDB transactions").
fn dynamodb_details(body: Option<&[u8]>) -> (Option<String>, BTreeSet<&'static str>) {
    let Some(v) = body.and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok()) else {
        return (None, BTreeSet::new());
    };
    let index = v
        .get("IndexName")
        .and_then(|i| i.as_str())
        .map(String::from);
    let mut items = BTreeSet::new();
    for item in v
        .get("TransactItems")
        .and_then(|i| i.as_array())
        .into_iter()
        .flatten()
    {
        for (key, action) in [
            ("ConditionCheck", "dynamodb:ConditionCheckItem"),
            ("Put", "dynamodb:PutItem"),
            ("Update", "dynamodb:UpdateItem"),
            ("Delete", "dynamodb:DeleteItem"),
        ] {
            if item.get(key).is_some() {
                items.insert(action);
            }
        }
    }
    (index, items)
}

impl Intercept for UsageRecorder {
    fn name(&self) -> &'static str {
        "UsageRecorder"
    }

    fn read_before_transmit(
        &self,
        ctx: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Ok(function) = FUNCTION.try_with(|f| *f) else {
            return Ok(());
        };
        let Some(meta) = cfg.load::<Metadata>() else {
            return Ok(());
        };
        let prefix = iam_prefix(meta.service());
        let mut action = format!("{prefix}:{}", iam_action(&prefix, meta.name()));
        let mut also = BTreeSet::new();
        if prefix == "dynamodb" {
            let (index, items) = dynamodb_details(ctx.request().body().bytes());
            if let Some(index) = index {
                action.push_str(&format!("@Table/index/{index}"));
            }
            also = items;
        }
        if let Ok(mut m) = self.calls.lock() {
            let calls = m.entry(function.to_string()).or_default();
            *calls.entry(action).or_default() += 1;
            // Granted and checked, but not requests of their own.
            for a in also {
                calls.entry(a.to_string()).or_default();
            }
        }
        Ok(())
    }
}
