//! The notify worker against the moto SQS queue and the Twilio stand-in: retries with
//! backoff, the DLQ after bounded receives, redelivery without a second send, a poison
//! message beside good ones, and the per-number throttle.

mod common;

use common::*;
use frontline::notify::{Audience, NotificationJob, OutboundMessage, Purpose};
use local::seed::BRISTOL_NUMBER;
use std::time::{Duration, Instant};

fn job(event: &str, to: &str) -> NotificationJob {
    NotificationJob {
        event_id: event.into(),
        tenant_id: "bristol-plumbing".into(),
        kind: "test_message".into(),
        index: 0,
        message: OutboundMessage {
            channel: "sms".into(),
            audience: Audience::Customer,
            to: to.into(),
            from: BRISTOL_NUMBER.into(),
            body: format!("hello from {event}"),
        },
        purpose: Purpose::Send,
    }
}

async fn enqueue(s: &local::Stack, body: String) {
    s.svc
        .sqs
        .send_message()
        .queue_url(&s.svc.config.notifications_queue_url)
        .message_body(body)
        .send()
        .await
        .unwrap();
}

fn sent_to(s: &local::Stack, to: &str) -> usize {
    s.messages().iter().filter(|m| m.to == to).count()
}

async fn wait_until(what: &str, within: Duration, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < within, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn transient_failures_are_retried_and_sent_once() {
    let s = stack().await;
    s.twilio.fail_next.lock().unwrap().extend([500, 429]);
    enqueue(
        &s,
        serde_json::to_string(&job("ev-retry", "+19135550191")).unwrap(),
    )
    .await;
    wait_until("the retried send", Duration::from_secs(20), || {
        sent_to(&s, "+19135550191") == 1
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(sent_to(&s, "+19135550191"), 1);
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (_, v) = get(&s, &token, "/v1/crm/notifications").await;
    let row = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["event_id"] == "ev-retry")
        .cloned()
        .unwrap();
    assert_eq!(row["attempts"], 3, "{row}");
    assert!(
        matches!(row["status"].as_str(), Some("sent" | "delivered")),
        "{row}"
    );
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn a_message_that_keeps_failing_lands_in_the_dlq() {
    let s = stack().await;
    s.twilio.fail_next.lock().unwrap().extend([503; 8]);
    enqueue(
        &s,
        serde_json::to_string(&job("ev-dlq", "+19135550192")).unwrap(),
    )
    .await;
    let dlq = s
        .svc
        .sqs
        .get_queue_url()
        .queue_name(
            s.svc
                .config
                .notifications_queue_url
                .rsplit('/')
                .next()
                .unwrap()
                .replace("notifications", "notifications-dlq"),
        )
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_string();
    let start = Instant::now();
    loop {
        let got = s
            .svc
            .sqs
            .receive_message()
            .queue_url(&dlq)
            .wait_time_seconds(1)
            .send()
            .await
            .unwrap();
        if let Some(m) = got.messages().first() {
            assert!(m.body().unwrap().contains("ev-dlq"));
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "never reached the DLQ"
        );
    }
    assert_eq!(sent_to(&s, "+19135550192"), 0);
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn a_redelivered_job_is_not_sent_twice_and_poison_does_not_block_the_batch() {
    let s = stack().await;
    let body = serde_json::to_string(&job("ev-dup", "+19135550193")).unwrap();
    enqueue(&s, "{not json".into()).await;
    enqueue(&s, body.clone()).await;
    enqueue(&s, body).await;
    wait_until("the send", Duration::from_secs(20), || {
        sent_to(&s, "+19135550193") >= 1
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(sent_to(&s, "+19135550193"), 1);
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn one_number_gets_at_most_the_hourly_limit_of_customer_texts() {
    let s = stack().await;
    for i in 0..12 {
        enqueue(
            &s,
            serde_json::to_string(&job(&format!("ev-loop-{i}"), "+19135550194")).unwrap(),
        )
        .await;
    }
    wait_until("ten sends", Duration::from_secs(20), || {
        sent_to(&s, "+19135550194") >= 10
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(sent_to(&s, "+19135550194"), 10);
    common::assert_iam_granted(&s);
}

/// The queue is gone while an emergency is reported: fanout reports the stream record as
/// failed, the stream source retries it, and the alert goes out once the queue is back.
#[tokio::test]
async fn an_outbox_event_survives_a_queue_outage() {
    let s = stack().await;
    let url = s.svc.config.notifications_queue_url.clone();
    let name = url.rsplit('/').next().unwrap().to_string();
    s.svc
        .sqs
        .delete_queue()
        .queue_url(&url)
        .send()
        .await
        .unwrap();
    let (status, _) = local::phone::text(
        &reqwest::Client::new(),
        &s.base_url,
        "+19135550192",
        BRISTOL_NUMBER,
        "sewage is coming up out of the floor drain",
        "SMoutage1",
    )
    .await
    .unwrap();
    assert_eq!(status, 200);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(sent_to(&s, local::seed::BRISTOL_OWNER_CELL), 0);
    s.svc
        .sqs
        .create_queue()
        .queue_name(&name)
        .send()
        .await
        .unwrap();
    wait_until(
        "the owner's alert after the outage",
        Duration::from_secs(30),
        || sent_to(&s, local::seed::BRISTOL_OWNER_CELL) >= 1,
    )
    .await;
    common::assert_iam_granted(&s);
}
