//! The optional LLM extraction assist through the local stack, against a `wiremock`
//! Chat Completions stand-in that checks what it is sent.

mod common;

use common::*;
use local::seed::BRISTOL_NUMBER;
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn completion(content: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content.to_string()}}]
    }))
}

const RUMBLING: &str =
    "the water heater is making a loud rumbling noise and the relief valve is dribbling";

#[tokio::test]
async fn the_assist_raises_an_emergency_and_the_owner_is_alerted() {
    let llm = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header(
            "authorization",
            format!("Bearer {}", local::LOCAL_LLM_KEY).as_str(),
        ))
        .and(body_partial_json(json!({
            "model": "local-model",
            "response_format": {"type": "json_schema", "json_schema": {"strict": true}}
        })))
        .respond_with(completion(json!({
            "name": null, "address": null, "time": null,
            "problem": "water heater overheating", "emergency": true
        })))
        .mount(&llm)
        .await;
    let s = stack_with_llm(Some(format!("{}/v1", llm.uri()))).await;
    let (sid, _) = call(&s, "+19135550161", BRISTOL_NUMBER, &[RUMBLING]).await;
    let alert = wait_for_owner_alert(&s).await;
    assert!(alert.body.contains("913-555-0161"), "{}", alert.body);
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (_, c) = get(&s, &token, &format!("/v1/crm/calls/{sid}")).await;
    assert_eq!(c["emergency"], true);
    assert!(
        c["reasons"].to_string().contains("assist_emergency"),
        "{}",
        c["reasons"]
    );
    // The caller's words went to the model with what the receptionist had asked.
    let reqs = llm.received_requests().await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&reqs[0].body).unwrap();
    let user = body["messages"][1]["content"].as_str().unwrap();
    assert!(
        user.contains("rumbling") && user.contains("Receptionist asked:"),
        "{user}"
    );
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn a_failing_or_slow_assist_leaves_the_call_to_the_rules() {
    let llm = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&llm)
        .await;
    let s = stack_with_llm(Some(llm.uri())).await;
    let (sid, heard) = call(
        &s,
        "+19135550162",
        BRISTOL_NUMBER,
        &["a pipe burst in the basement and water is everywhere"],
    )
    .await;
    assert!(
        heard.iter().any(|h| h.contains("shut off the main water")),
        "{heard:?}"
    );
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (_, c) = get(&s, &token, &format!("/v1/crm/calls/{sid}")).await;
    assert_eq!(c["emergency"], true);
    assert!(!c["reasons"].to_string().contains("assist_emergency"));
    common::assert_iam_granted(&s);
}
