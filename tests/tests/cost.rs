//! What one booked call costs in AWS requests, across every function it touches (call-turn's
//! turns, twilio-status, fanout, notify's two texts): the figures behind docs/COST.md.
//! Counts, not timings: a new read or write on the call path shows up here.

mod common;

use common::*;
use std::time::Duration;

#[tokio::test]
async fn a_booked_call_costs_a_bounded_number_of_dynamodb_requests() {
    let s = stack().await;
    // Warm the caches (the number's route, the secrets) as a warm Lambda has them.
    let _ = call(
        &s,
        "+19135550100",
        local::seed::BRISTOL_NUMBER,
        &["what are your hours"],
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = s.twilio.messages().len();
    s.counter.reset();
    let (_, heard) = call(
        &s,
        "+19135550142",
        local::seed::BRISTOL_NUMBER,
        &booking(&s),
    )
    .await;
    assert!(
        heard.iter().any(|h| h.contains("You're booked for")),
        "{heard:?}"
    );
    wait_for_sms(&s, |m| m.to == "+19135550142", Duration::from_secs(20))
        .await
        .expect("the customer is texted");
    wait_for_sms(
        &s,
        |m| m.to == local::seed::BRISTOL_OWNER_CELL && m.body.contains("Jane"),
        Duration::from_secs(20),
    )
    .await
    .expect("the owner is texted");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (reads, writes) = (s.counter.reads(), s.counter.writes());
    println!(
        "one booked call ({} turns, {} texts): {reads} DynamoDB reads, {writes} writes: {:?}",
        booking(&s).len() + 1,
        s.twilio.messages().len() - before,
        s.counter.snapshot()
    );
    assert!(reads <= 14, "{reads} reads");
    assert!(writes <= 20, "{writes} writes");
    common::assert_iam_granted(&s);
}

/// A website chat played to a booking costs no more DynamoDB requests than the booked
/// call above: a chat turn is a conversation turn, and the widget key and its tenant
/// come from the process's directory once warm, as a call's number route does.
#[tokio::test]
async fn a_booked_chat_costs_no_more_than_a_booked_call() {
    let s = stack().await;
    let http = reqwest::Client::new();
    let open = |phone: &'static str| {
        let http = http.clone();
        let base = s.base_url.clone();
        async move {
            http.post(format!("{base}/v1/chat/sessions"))
                .header("origin", &base)
                .json(&serde_json::json!({"key": local::seed::BRISTOL_WIDGET_KEY, "phone": phone}))
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    // Warm the directory and the secrets as a warm Lambda has them.
    let _ = open("+19135550100").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    s.counter.reset();
    let mut chat = open("+19135550143").await;
    let sid = chat["session_id"].as_str().unwrap().to_string();
    let mut lines = [
        "my kitchen sink drain is clogged".to_string(),
        "Jane Doe".to_string(),
        "12 elm street merriam".to_string(),
    ];
    let mut turns = 0;
    while !chat["messages"].as_array().unwrap().iter().any(|m| {
        m["text"]
            .as_str()
            .unwrap_or_default()
            .contains("You're booked for")
    }) {
        assert!(turns < 6, "no booking: {chat}");
        let text = if turns < lines.len() {
            std::mem::take(&mut lines[turns])
        } else {
            chat["quick_replies"][0].as_str().unwrap().to_string()
        };
        turns += 1;
        chat = http
            .post(format!("{}/v1/chat/sessions/{sid}/messages", s.base_url))
            .header("origin", &s.base_url)
            .bearer_auth(chat["token"].as_str().unwrap())
            .json(&serde_json::json!({"text": text, "message_id": format!("m-{turns}")}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    }
    wait_for_sms(&s, |m| m.to == "+19135550143", Duration::from_secs(20))
        .await
        .expect("the visitor is texted");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (reads, writes) = (s.counter.reads(), s.counter.writes());
    println!(
        "one booked chat ({} messages): {reads} DynamoDB reads, {writes} writes: {:?}",
        turns + 1,
        s.counter.snapshot()
    );
    assert!(reads <= 14, "{reads} reads");
    assert!(writes <= 20, "{writes} writes");
}
