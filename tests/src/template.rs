//! Reading `template.yaml` for the tests: its functions, routes and what each function's
//! role grants. The template is YAML with CloudFormation's short-form tags (`!Ref`,
//! `!GetAtt`, `!Sub`, `!If`), which `serde_yaml_ng` keeps as tagged values.

use serde_yaml_ng::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The repository root.
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// `template.yaml`, parsed.
pub fn template() -> Value {
    let text = std::fs::read_to_string(format!("{ROOT}/template.yaml")).expect("template.yaml");
    serde_yaml_ng::from_str(&text).expect("template.yaml is YAML")
}

/// The template's `Resources`.
pub fn resources(t: &Value) -> &serde_yaml_ng::Mapping {
    t["Resources"].as_mapping().expect("Resources")
}

/// `(logical id, resource)` for every `AWS::Serverless::Function`.
pub fn functions(t: &Value) -> Vec<(String, &Value)> {
    resources(t)
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::Serverless::Function")
        .map(|(k, r)| (k.as_str().unwrap().to_string(), r))
        .collect()
}

/// The binary (crate under `functions/`) a function resource deploys.
pub fn binary(f: &Value) -> String {
    f["Metadata"]["BuildProperties"]["Binary"]
        .as_str()
        .expect("Metadata.BuildProperties.Binary")
        .to_string()
}

/// The CloudFormation short form `!Tag value` as `(tag, value)`.
pub fn tagged(v: &Value) -> Option<(String, &Value)> {
    match v {
        Value::Tagged(t) => Some((t.tag.to_string(), &t.value)),
        _ => None,
    }
}

/// The name a `!Ref` or `!GetAtt` points at (`Table` for `!GetAtt Table.Arn`).
pub fn referent(v: &Value) -> Option<String> {
    let (tag, inner) = tagged(v)?;
    let s = inner.as_str()?;
    match tag.as_str() {
        "!Ref" => Some(s.to_string()),
        "!GetAtt" => Some(s.split('.').next()?.to_string()),
        _ => None,
    }
}

/// `(method, path, binary)` for every HttpApi event in the template.
pub fn template_routes(t: &Value) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for (_, f) in functions(t) {
        let Some(events) = f["Properties"]["Events"].as_mapping() else {
            continue;
        };
        for (_, e) in events {
            if e["Type"] == "HttpApi" {
                let p = &e["Properties"];
                out.insert((
                    p["Method"].as_str().unwrap().to_string(),
                    p["Path"].as_str().unwrap().to_string(),
                    binary(f),
                ));
            }
        }
    }
    out
}

/// The policy statements of a function, through `!If` branches (`AWS::NoValue` skipped).
pub fn statements<'a>(id: &str, v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Sequence(items) => items.iter().for_each(|i| statements(id, i, out)),
        Value::Mapping(m) if m.contains_key("Statement") => statements(id, &m["Statement"], out),
        Value::Mapping(m) if m.contains_key("Effect") => out.push(v),
        Value::Tagged(t) if t.tag == "!If" => {
            for branch in t.value.as_sequence().unwrap().iter().skip(1) {
                statements(id, branch, out);
            }
        }
        Value::Tagged(t) if t.tag == "!Ref" && t.value == "AWS::NoValue" => {}
        other => panic!("{id}: a policy that is not a statement: {other:?} (managed policies and SAM policy templates grant more than a function uses)"),
    }
}

/// `(function, action)` → the resources each statement grants it on, as the template
/// writes them (`Table`, `Table/index/GSI1`, `TwilioSecretArn`, …). Each function has its
/// own role: SAM's `Policies` would attach AWS managed policies that grant on `*`.
pub fn grants(t: &Value) -> BTreeMap<(String, String), BTreeSet<String>> {
    let r = resources(t);
    let mut out: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut roles = BTreeSet::new();
    for (id, f) in functions(t) {
        assert!(
            f["Properties"].get("Policies").is_none(),
            "{id}: SAM Policies add managed policies"
        );
        let role_id =
            referent(&f["Properties"]["Role"]).unwrap_or_else(|| panic!("{id} has no Role"));
        assert!(roles.insert(role_id.clone()), "{id} shares {role_id}");
        let role = &r[role_id.as_str()];
        assert_eq!(role["Type"], "AWS::IAM::Role", "{id}");
        let rp = &role["Properties"];
        assert!(
            rp.get("ManagedPolicyArns").is_none(),
            "{role_id}: managed policies"
        );
        assert_eq!(
            rp["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
            "lambda.amazonaws.com"
        );
        let mut st = Vec::new();
        for policy in rp["Policies"].as_sequence().expect("inline policies") {
            statements(&id, &policy["PolicyDocument"]["Statement"], &mut st);
        }
        let own_logs = referent(&f["Properties"]["LoggingConfig"]["LogGroup"]).unwrap();
        for s in st {
            assert_eq!(s["Effect"], "Allow", "{id}");
            let actions: Vec<String> = match &s["Action"] {
                Value::Sequence(a) => a.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
                Value::String(a) => vec![a.clone()],
                other => panic!("{id}: action {other:?}"),
            };
            let resources: Vec<String> = match &s["Resource"] {
                Value::Sequence(rs) => rs.iter().map(|x| resource_name(&id, x)).collect(),
                one => vec![resource_name(&id, one)],
            };
            for a in actions {
                assert!(!a.contains('*'), "{id}: wildcard action {a}");
                if a.starts_with("logs:") {
                    assert_eq!(
                        resources,
                        vec![own_logs.clone()],
                        "{id} writes another log group"
                    );
                }
                out.entry((binary(f), a))
                    .or_default()
                    .extend(resources.iter().cloned());
            }
        }
    }
    out
}

/// A statement's resource as the name of what it points at; panics on a wildcard or on a
/// literal ARN (everything this stack touches is its own resource or a parameter).
pub fn resource_name(id: &str, v: &Value) -> String {
    if let Some(name) = referent(v) {
        let attr = tagged(v).unwrap().1.as_str().unwrap().to_string();
        return if attr.ends_with(".StreamArn") {
            format!("{name}/stream")
        } else {
            name
        };
    }
    match tagged(v) {
        Some((tag, inner)) if tag == "!Sub" => {
            let s = inner.as_str().unwrap();
            if let Some(idx) = s.strip_prefix("${Table.Arn}/index/") {
                return format!("Table/index/{idx}");
            }
            // Backup ARNs are named by AWS when made: the backup function may delete only
            // those of this table.
            if s == "${Table.Arn}/backup/*" {
                return "Table/backup".into();
            }
            assert!(!s.contains('*'), "{id}: wildcard resource {s}");
            assert!(s.contains("${"), "{id}: a literal ARN {s}");
            s.to_string()
        }
        // ListBackups has no resource type (IAM Service Authorization Reference): it is
        // the one action that can only be granted on "*", and it reads backup names only.
        _ if v == "*" => "*".into(),
        _ => panic!("{id}: resource {v:?} is neither a reference nor a !Sub"),
    }
}

/// What each function asked AWS for in a run of the local stack (recorded by the SDK
/// interceptor under the function's name) is granted to it in the template: a missing
/// grant fails here, not at 2 a.m. in production, where moto would not have caught it.
pub fn assert_granted(used: &BTreeMap<String, BTreeSet<String>>) {
    let g = grants(&template());
    let mut missing = Vec::new();
    for (function, calls) in used {
        for call in calls {
            // `dynamodb:Query@Table/index/GSI1`
            let (action, resource) = call.split_once('@').unwrap_or((call, ""));
            let ok = g
                .get(&(function.clone(), action.to_string()))
                .is_some_and(|rs| resource.is_empty() || rs.contains(resource) || rs.contains("*"));
            if !ok {
                missing.push(format!("{function}: {call}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "used but not granted in template.yaml: {missing:#?}"
    );
}
