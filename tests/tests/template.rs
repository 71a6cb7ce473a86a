//! `template.yaml` and the local runner agree: the same routes on the same functions, and
//! the table definition of `infra/table.json`. No function policy grants `*`.

use std::collections::BTreeSet;

fn template() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml"))
        .expect("template.yaml")
}

/// `(method, path, binary)` for every HttpApi event in the template.
fn template_routes(t: &str) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    let mut binary = String::new();
    let mut pending: Vec<(String, String)> = Vec::new();
    for line in t.lines() {
        let l = line.trim();
        if line.starts_with("  ") && !line.starts_with("   ") && l.ends_with(':') {
            for (m, p) in pending.drain(..) {
                out.insert((m, p, binary.clone()));
            }
            binary.clear();
        }
        if let Some(b) = l.strip_prefix("Binary: ") {
            binary = b.to_string();
        }
        if l.contains("Type: HttpApi") {
            let field = |name: &str| {
                l.split(&format!("{name}: "))
                    .nth(1)
                    .map(|r| match r.strip_prefix('"') {
                        Some(q) => q.split('"').next().unwrap_or("").to_string(),
                        None => r.split([',', ' ', '}']).next().unwrap_or("").to_string(),
                    })
            };
            if let (Some(m), Some(p)) = (field("Method"), field("Path")) {
                pending.push((m, p));
            }
        }
    }
    for (m, p) in pending {
        out.insert((m, p, binary.clone()));
    }
    out
}

#[test]
fn template_routes_equal_local_routes() {
    let t = template();
    let tpl = template_routes(&t);
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
    let def = frontline::store::table_definition();
    for a in def["AttributeDefinitions"].as_array().unwrap() {
        let name = a["AttributeName"].as_str().unwrap();
        assert!(
            t.contains(&format!("AttributeName: {name}, AttributeType: S")),
            "{name} missing from template.yaml"
        );
    }
    for g in def["GlobalSecondaryIndexes"].as_array().unwrap() {
        assert!(t.contains(&format!("IndexName: {}", g["IndexName"].as_str().unwrap())));
    }
    assert!(t.contains("StreamViewType: NEW_IMAGE"));
    assert!(t.contains("AttributeName: expires_at, Enabled: true"));
    assert!(t.contains("PointInTimeRecoveryEnabled: true"));
}

#[test]
fn no_policy_grants_wildcards() {
    let t = template();
    let mut action = "";
    for line in t.lines().map(str::trim) {
        if line.starts_with("Action:") {
            action = line;
        }
        // ListBackups has no resource type (IAM Service Authorization Reference): it is the
        // one action that can only be granted on "*", and it reads backup names only.
        if line.starts_with("Resource:") && action == "Action: [dynamodb:ListBackups]" {
            continue;
        }
        if line.starts_with("Action:") || line.starts_with("Resource:") {
            assert!(
                !line.contains("\"*\"") && !line.contains(" *") && !line.contains(":*"),
                "wildcard in policy: {line}"
            );
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
