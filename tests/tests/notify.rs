//! The notify worker against the moto SQS queue and the Twilio stand-in: retries with
//! backoff, the DLQ after bounded receives, redelivery without a second send, a poison
//! message beside good ones, and the per-number throttle.

mod common;

use common::*;
use frontline::notify::{Audience, NotificationMessage, OutboundMessage, Purpose};
use local::seed::BRISTOL_NUMBER;
use std::time::{Duration, Instant};

fn job(event: &str, to: &str) -> NotificationMessage {
    NotificationMessage {
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
        event_at: None,
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

/// The owner's notification trail row of `event`, once it reads sent (or delivered).
async fn row_once_sent(s: &local::Stack, event: &str) -> serde_json::Value {
    let token = login(s, "owner@bristol.example", "bristol-demo").await;
    let start = Instant::now();
    loop {
        let (_, v) = get(s, &token, "/v1/crm/notifications").await;
        let row = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["event_id"] == event)
            .cloned();
        if let Some(row) =
            row.filter(|r| matches!(r["status"].as_str(), Some("sent" | "delivered")))
        {
            return row;
        }
        assert!(
            start.elapsed() < Duration::from_secs(40),
            "{event} never sent"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Twilio takes the text but its answer never arrives (the client times out after 5 s),
/// and no status callback comes either: the retry finds the text in Twilio's Messages list
/// and does not send it again.
#[tokio::test]
async fn a_send_whose_answer_timed_out_is_looked_up_not_sent_twice() {
    let s = stack().await;
    let to = "+19135550196";
    s.twilio.silent.lock().unwrap().push(to.into());
    s.twilio
        .stall_next
        .lock()
        .unwrap()
        .push(local::Stall::AfterAccepting(Duration::from_secs(7)));
    enqueue(&s, serde_json::to_string(&job("ev-timeout", to)).unwrap()).await;
    let row = row_once_sent(&s, "ev-timeout").await;
    assert_eq!(row["attempts"], 2, "{row}");
    assert_eq!(row["status"], "sent", "{row}");
    tokio::time::sleep(Duration::from_secs(8)).await;
    assert_eq!(sent_to(&s, to), 1, "sent once");
    common::assert_iam_granted(&s);
}

/// Twilio takes the text and its delivery callback arrives while our request is still
/// waiting for the answer: the callback's `delivered` stands, and nothing is sent again.
#[tokio::test]
async fn a_send_confirmed_by_its_callback_during_the_timeout_is_not_sent_twice() {
    let s = stack().await;
    let to = "+19135550198";
    s.twilio
        .stall_next
        .lock()
        .unwrap()
        .push(local::Stall::AfterAccepting(Duration::from_secs(7)));
    enqueue(
        &s,
        serde_json::to_string(&job("ev-early-callback", to)).unwrap(),
    )
    .await;
    row_once_sent(&s, "ev-early-callback").await;
    // The request times out at 5 s; its retry comes about a second later.
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert_eq!(sent_to(&s, to), 1, "sent once");
    let row = row_once_sent(&s, "ev-early-callback").await;
    assert_eq!(row["status"], "delivered", "{row}");
    assert_eq!(row["attempts"], 1, "{row}");
    common::assert_iam_granted(&s);
}

/// The request times out before Twilio takes the text: the retry looks, finds nothing,
/// and sends it.
#[tokio::test]
async fn a_send_that_timed_out_before_twilio_took_it_is_sent_on_retry() {
    let s = stack().await;
    s.twilio
        .stall_next
        .lock()
        .unwrap()
        .push(local::Stall::BeforeAccepting(Duration::from_secs(7)));
    let to = "+19135550197";
    enqueue(&s, serde_json::to_string(&job("ev-lost", to)).unwrap()).await;
    let row = row_once_sent(&s, "ev-lost").await;
    assert_eq!(row["attempts"], 2, "{row}");
    tokio::time::sleep(Duration::from_secs(8)).await;
    assert_eq!(sent_to(&s, to), 1, "sent once");
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

/// Requests of `sqs:SendMessage` (batches) `fanout` has sent so far.
fn fanout_sends(s: &local::Stack) -> u64 {
    s.usage
        .counts()
        .get("fanout")
        .and_then(|a| a.get("sqs:SendMessage"))
        .copied()
        .unwrap_or(0)
}

/// `fanout` dies mid-batch (a crash or a timeout: some records' messages are on the queue,
/// the rest are not, nothing is checkpointed) and starts again from the stream's trim
/// horizon: every event is sent, none twice.
#[tokio::test]
async fn fanout_restarted_mid_batch_loses_nothing_and_sends_nothing_twice() {
    const EVENTS: usize = 24;
    let s = stack().await;
    // Let the seed's own records pass, then hold the stream while the batch builds up, so
    // the events arrive as one batch.
    tokio::time::sleep(Duration::from_secs(1)).await;
    s.stop_fanout();
    let to = |i: usize| format!("+1913555{:04}", 3000 + i);
    for i in 0..EVENTS {
        let event = frontline::notify::OutboxEvent {
            id: format!("ev-restart-{i}"),
            tenant_id: "bristol-plumbing".into(),
            kind: "test_message".into(),
            created_at: now(&s),
            messages: vec![job(&format!("ev-restart-{i}"), &to(i)).message],
            appointment: None,
        };
        assert!(s.svc.store.put_outbox_once(&event).await.unwrap());
    }
    let before = fanout_sends(&s);
    s.start_fanout();
    // Watch closely: the whole batch takes fanout a few hundred milliseconds.
    let start = Instant::now();
    while fanout_sends(&s) == before {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "fanout never sent"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    s.stop_fanout();
    let sent_before_crash = fanout_sends(&s) - before;
    assert!(
        sent_before_crash < EVENTS as u64,
        "the crash came mid-batch ({sent_before_crash} of {EVENTS} fanned out)"
    );
    s.start_fanout();
    wait_until("every event sent", Duration::from_secs(60), || {
        (0..EVENTS).all(|i| sent_to(&s, &to(i)) >= 1)
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    for i in 0..EVENTS {
        assert_eq!(sent_to(&s, &to(i)), 1, "event {i} sent once");
    }
    assert!(
        fanout_sends(&s) - before > EVENTS as u64,
        "the restarted fanout sent the batch's first records again (notify dropped them)"
    );
    common::assert_iam_granted(&s);
}
