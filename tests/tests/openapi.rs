//! The OpenAPI document tells the truth: on a stack with calls, bookings and logins in it,
//! every JSON answer a route gives validates against the schema the document names for
//! it (`GET /v1/openapi.json`, JSON Schema 2020-12).

mod common;

use common::*;
use serde_json::{json, Value};

/// The document's schema for `method path`'s `status` answer, with the components its
/// `$ref`s point into.
fn validator(doc: &Value, method: &str, path: &str, status: u16) -> jsonschema::Validator {
    let schema = &doc["paths"][path][method.to_lowercase()]["responses"][status.to_string()]
        ["content"]["application/json"]["schema"];
    let mut root = schema
        .as_object()
        .unwrap_or_else(|| panic!("{method} {path} {status}: no JSON schema"))
        .clone();
    root.insert("components".into(), doc["components"].clone());
    jsonschema::validator_for(&Value::Object(root)).expect("the schema compiles")
}

struct Checker<'a> {
    s: &'a local::Stack,
    doc: Value,
    failures: Vec<String>,
    checked: usize,
}

impl Checker<'_> {
    /// Sends `method concrete` and validates its answer against `template`'s schema.
    async fn check(
        &mut self,
        token: Option<&str>,
        method: &str,
        template: &str,
        concrete: &str,
        body: Option<Value>,
        status: u16,
    ) -> Value {
        let (got, answer) = send(self.s, token, method, concrete, body).await;
        assert_eq!(got, status, "{method} {concrete}: {answer}");
        let v = validator(&self.doc, method, template, status);
        for e in v.iter_errors(&answer) {
            self.failures.push(format!(
                "{method} {template}: {} at {}",
                e,
                e.instance_path()
            ));
        }
        self.checked += 1;
        answer
    }
}

#[tokio::test]
async fn every_json_answer_matches_the_document() {
    let s = stack().await;
    let bristol = local::seed::BRISTOL_NUMBER;
    let (booked, _) = call(&s, "+19135550161", bristol, &booking(&s)).await;
    let (_, _) = call(
        &s,
        "+19135550162",
        bristol,
        &[
            "water is pouring through my kitchen ceiling",
            "sam rivera",
            "55 elm street merriam",
        ],
    )
    .await;
    let (_, doc) = send(&s, None, "GET", "/v1/openapi.json", None).await;
    let mut c = Checker {
        s: &s,
        doc,
        failures: Vec::new(),
        checked: 0,
    };
    let login = c
        .check(
            None,
            "POST",
            "/v1/auth/login",
            "/v1/auth/login",
            Some(json!({"email": "owner@bristol.example", "password": "bristol-demo"})),
            200,
        )
        .await;
    let owner = login["access_token"].as_str().unwrap().to_string();
    let o = Some(owner.as_str());
    c.check(
        None,
        "POST",
        "/v1/auth/password-reset",
        "/v1/auth/password-reset",
        Some(json!({"email": "owner@bristol.example"})),
        202,
    )
    .await;
    for path in [
        "/v1/auth/me",
        "/v1/auth/users",
        "/v1/crm/customers",
        "/v1/crm/appointments",
        "/v1/crm/calls",
        "/v1/crm/notifications",
        "/v1/owner/today",
        "/v1/owner/schedule",
        "/v1/owner/callbacks",
        "/v1/owner/analytics",
        "/v1/owner/settings",
        "/v1/owner/settings/scheduling",
        "/v1/owner/audit",
        "/v1/owner/integrations/google",
    ] {
        c.check(o, "GET", path, path, None, 200).await;
    }
    c.check(
        o,
        "GET",
        "/v1/owner/availability",
        "/v1/owner/availability?service=faucet_repair",
        None,
        200,
    )
    .await;
    let call = c
        .check(
            o,
            "GET",
            "/v1/crm/calls/{call_sid}",
            &format!("/v1/crm/calls/{booked}"),
            None,
            200,
        )
        .await;
    let customers = c
        .check(
            o,
            "GET",
            "/v1/crm/customers",
            "/v1/crm/customers?q=jane",
            None,
            200,
        )
        .await;
    let customer = customers["items"][0]["id"]
        .as_str()
        .expect("jane is a customer")
        .to_string();
    for (template, tail) in [
        ("/v1/crm/customers/{customer_id}", ""),
        ("/v1/crm/customers/{customer_id}/timeline", "/timeline"),
        ("/v1/crm/customers/{customer_id}/duplicates", "/duplicates"),
    ] {
        let concrete = format!("/v1/crm/customers/{customer}{tail}");
        c.check(o, "GET", template, &concrete, None, 200).await;
    }
    c.check(
        o,
        "GET",
        "/v1/owner/privacy/customers/{customer_id}",
        &format!("/v1/owner/privacy/customers/{customer}"),
        None,
        200,
    )
    .await;
    c.check(
        o,
        "PATCH",
        "/v1/crm/customers/{customer_id}",
        &format!("/v1/crm/customers/{customer}"),
        Some(json!({"email": "jane@example.com"})),
        200,
    )
    .await;
    c.check(
        o,
        "POST",
        "/v1/crm/customers",
        "/v1/crm/customers",
        Some(json!({"name": "Ada Okafor", "phone": "+19135550177"})),
        201,
    )
    .await;
    let appointment = call["appointment"]["id"]
        .as_str()
        .expect("the call booked")
        .to_string();
    c.check(
        o,
        "GET",
        "/v1/crm/appointments/{appointment_id}",
        &format!("/v1/crm/appointments/{appointment}"),
        None,
        200,
    )
    .await;
    let admin = login_token(&s, "admin@frontline.example", "frontline-admin").await;
    let a = Some(admin.as_str());
    for path in ["/v1/admin/tenants", "/v1/admin/usage", "/v1/admin/health"] {
        c.check(a, "GET", path, path, None, 200).await;
    }
    c.check(
        a,
        "GET",
        "/v1/admin/tenants/{tenant_id}/credentials",
        "/v1/admin/tenants/bristol-plumbing/credentials",
        None,
        200,
    )
    .await;
    c.check(
        a,
        "POST",
        "/v1/admin/tenants/{tenant_id}/credentials",
        "/v1/admin/tenants/bristol-plumbing/credentials",
        Some(json!({"name": "zapier"})),
        201,
    )
    .await;
    assert!(c.checked >= 28, "only {} answers checked", c.checked);
    // The schemas have teeth: a day without its fields, or a call with a number for its
    // outcome, is refused.
    let today = validator(&c.doc, "GET", "/v1/owner/today", 200);
    assert!(!today.is_valid(&json!({"date": "2026-12-07"})));
    let mut wrong = call.clone();
    wrong["outcome"] = json!(7);
    assert!(!validator(&c.doc, "GET", "/v1/crm/calls/{call_sid}", 200).is_valid(&wrong));
    assert!(
        c.failures.is_empty(),
        "answers the document does not describe:\n{}",
        c.failures.join("\n")
    );
}

async fn login_token(s: &local::Stack, email: &str, password: &str) -> String {
    login(s, email, password).await
}

/// The dashboard's types are generated from a committed copy of the document
/// (`dashboard/openapi.json`, `bash scripts/api-types.sh`); the copy is the document.
#[test]
fn the_dashboards_copy_of_the_document_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../dashboard/openapi.json");
    let copy: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(
        copy == frontline::http::openapi::document(),
        "dashboard/openapi.json is stale: run `bash scripts/api-types.sh`"
    );
}
