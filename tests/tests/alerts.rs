//! The notification pipeline end to end: delivery status callbacks, the owner's fallback
//! phone call and email when an emergency text fails, goes undelivered or misses the SLA, the
//! audit trail the owner API shows, and status callbacks that never move backwards.

mod common;

use common::*;
use local::phone::AUTH_TOKEN;
use local::seed::{BRISTOL_NUMBER, BRISTOL_OWNER_CELL};
use serde_json::Value;
use std::time::{Duration, Instant};

const BURST: &[&str] = &["a pipe burst in the crawlspace and water is spraying everywhere"];

async fn notifications(s: &local::Stack, token: &str) -> Vec<Value> {
    let (_, v) = get(s, token, "/v1/crm/notifications").await;
    v["items"].as_array().cloned().unwrap_or_default()
}

/// Waits (bounded) until the audit trail has a row matching `pred`.
async fn wait_row(s: &local::Stack, token: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let rows = notifications(s, token).await;
        if let Some(r) = rows.iter().find(|r| pred(r)) {
            return r.clone();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no matching notification; have {rows:#?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn wait_call(s: &local::Stack) -> local::RecordedCall {
    let start = Instant::now();
    loop {
        if let Some(c) = s.calls().into_iter().next() {
            return c;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no fallback call placed"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_delivered_alert_is_audited_and_needs_no_call() {
    let s = stack().await;
    set_alert_sla(&s, 2).await;
    call(&s, "+19135550181", BRISTOL_NUMBER, BURST).await;
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let row = wait_row(&s, &token, |r| {
        r["kind"] == "emergency_alert" && r["status"] == "delivered"
    })
    .await;
    let history: Vec<&str> = row["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["status"].as_str())
        .collect();
    assert_eq!(history, ["sent", "delivered"]);
    assert!(
        !row["recipient"].as_str().unwrap().contains("5550199"),
        "masked: {row}"
    );
    // Past the SLA, the delivered alert is left alone.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(s.calls().is_empty(), "{:?}", s.calls());
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn an_undelivered_alert_phones_the_owner_once() {
    let s = stack().await;
    s.twilio
        .undeliverable
        .lock()
        .unwrap()
        .push(BRISTOL_OWNER_CELL.to_string());
    call(&s, "+19135550182", BRISTOL_NUMBER, BURST).await;
    let c = wait_call(&s).await;
    assert_eq!(c.to, BRISTOL_OWNER_CELL);
    assert_eq!(c.from, BRISTOL_NUMBER);
    assert!(
        c.twiml.contains("<Say") && c.twiml.contains("913-555-0182"),
        "{}",
        c.twiml
    );
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    wait_row(&s, &token, |r| {
        r["kind"] == "emergency_alert" && r["status"] == "undelivered"
    })
    .await;
    wait_row(&s, &token, |r| {
        r["channel"] == "voice-owner-0" && r["status"] == "sent"
    })
    .await;
    // The tenant has an owner email, so the alert is emailed too, once.
    let row = wait_row(&s, &token, |r| {
        r["channel"] == "email-owner-0" && r["status"] == "sent"
    })
    .await;
    assert_eq!(row["kind"], "emergency_alert_email");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(s.calls().len(), 1, "one call however many triggers fire");
    let emails = s.emails().await;
    assert_eq!(emails.len(), 1, "one email: {emails:?}");
    assert_eq!(emails[0].source, local::ALERT_EMAIL_FROM);
    assert_eq!(
        emails[0].destinations["ToAddresses"][0],
        "owner@bristol.example"
    );
    assert!(
        emails[0].body.contains("913-555-0182"),
        "{}",
        emails[0].body
    );
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn a_rejected_alert_phones_the_owner() {
    let s = stack().await;
    // The next send (the owner's emergency text) is refused for good.
    s.twilio.fail_next.lock().unwrap().push(400);
    call(&s, "+19135550183", BRISTOL_NUMBER, BURST).await;
    let c = wait_call(&s).await;
    assert_eq!(c.to, BRISTOL_OWNER_CELL);
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    wait_row(&s, &token, |r| {
        r["kind"] == "emergency_alert" && r["status"] == "failed"
    })
    .await;
    common::assert_iam_granted(&s);
}

/// The owner's fallback call is placed but Twilio's answer never arrives (the client
/// times out after 5 s): the retry finds the call in Twilio's Calls list, and the owner is
/// rung once.
#[tokio::test]
async fn a_fallback_call_whose_answer_timed_out_rings_the_owner_once() {
    let s = stack().await;
    s.twilio.fail_next.lock().unwrap().push(400);
    s.twilio
        .stall_next_calls
        .lock()
        .unwrap()
        .push(local::Stall::AfterAccepting(Duration::from_secs(7)));
    call(&s, "+19135550184", BRISTOL_NUMBER, BURST).await;
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let row = wait_row(&s, &token, |r| {
        r["channel"]
            .as_str()
            .is_some_and(|c| c.starts_with("voice-"))
            && r["status"] == "sent"
    })
    .await;
    assert_eq!(row["attempts"], 2, "{row}");
    // Long enough for any further retry to have rung again.
    tokio::time::sleep(Duration::from_secs(8)).await;
    let rung: Vec<_> = s
        .calls()
        .into_iter()
        .filter(|c| c.to == BRISTOL_OWNER_CELL)
        .collect();
    assert_eq!(rung.len(), 1, "{rung:?}");
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn an_alert_not_delivered_within_the_sla_phones_the_owner() {
    let s = stack().await;
    set_alert_sla(&s, 2).await;
    s.twilio
        .silent
        .lock()
        .unwrap()
        .push(BRISTOL_OWNER_CELL.to_string());
    let t0 = Instant::now();
    call(&s, "+19135550184", BRISTOL_NUMBER, BURST).await;
    let c = wait_call(&s).await;
    assert!(t0.elapsed() >= Duration::from_secs(2), "not before the SLA");
    assert_eq!(c.to, BRISTOL_OWNER_CELL);
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn status_callbacks_never_move_backwards_and_21610_opts_out() {
    let s = stack().await;
    s.twilio
        .silent
        .lock()
        .unwrap()
        .push("+19135550185".to_string());
    // A booking texts the customer; the stand-in stays silent so we play the callbacks.
    call(
        &s,
        "+19135550185",
        BRISTOL_NUMBER,
        &[
            "my kitchen faucet drips",
            "ann lee",
            "5 oak street merriam",
            &format!(
                "{} morning",
                spoken_date(open_day(&s, &local::seed::bristol(), 2))
            ),
            "yes",
        ],
    )
    .await;
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let row = wait_row(&s, &token, |r| {
        r["channel"]
            .as_str()
            .unwrap_or("")
            .starts_with("sms-customer")
            && r["status"] == "sent"
    })
    .await;
    let msg = s
        .messages()
        .into_iter()
        .find(|m| m.to == "+19135550185")
        .unwrap();
    let url = format!(
        "{}/twilio/sms/status?n={}&c={}&w=0",
        s.base_url,
        row["event_id"].as_str().unwrap(),
        row["channel"].as_str().unwrap()
    );
    let http = reqwest::Client::new();
    let post = |status: &'static str, code: Option<&'static str>| {
        let http = http.clone();
        let url = url.clone();
        let msg = msg.clone();
        async move {
            let mut p = vec![
                ("MessageSid".to_string(), msg.sid.clone()),
                ("MessageStatus".to_string(), status.to_string()),
                ("From".to_string(), msg.from.clone()),
                ("To".to_string(), msg.to.clone()),
            ];
            if let Some(c) = code {
                p.push(("ErrorCode".to_string(), c.to_string()));
            }
            let sig = frontline::twilio::sign(AUTH_TOKEN, &url, &p);
            let r = http
                .post(&url)
                .header("X-Twilio-Signature", sig)
                .form(&p)
                .send()
                .await
                .unwrap();
            r.status().as_u16()
        }
    };
    assert_eq!(post("delivered", None).await, 204);
    assert_eq!(post("delivered", None).await, 204);
    assert_eq!(post("sent", None).await, 204);
    assert_eq!(post("queued", None).await, 204);
    let row = wait_row(&s, &token, |r| {
        r["event_id"] == row["event_id"] && r["channel"] == row["channel"]
    })
    .await;
    assert_eq!(row["status"], "delivered");
    let history: Vec<&str> = row["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["status"].as_str())
        .collect();
    assert_eq!(history, ["sent", "delivered"], "{row}");
    // An unsigned callback is refused and changes nothing.
    let r = http
        .post(&url)
        .form(&[("MessageStatus", "failed")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // A later message to the same number fails with 21610: the number is opted out.
    let mut p = vec![
        ("MessageSid".to_string(), "SMother".to_string()),
        ("MessageStatus".to_string(), "undelivered".to_string()),
        ("ErrorCode".to_string(), "21610".to_string()),
        ("From".to_string(), BRISTOL_NUMBER.to_string()),
        ("To".to_string(), "+19135550185".to_string()),
    ];
    let other = format!(
        "{}/twilio/sms/status?n={}&c=sms-owner-0&w=0",
        s.base_url,
        row["event_id"].as_str().unwrap()
    );
    p.sort();
    let sig = frontline::twilio::sign(AUTH_TOKEN, &other, &p);
    let r = http
        .post(&other)
        .header("X-Twilio-Signature", sig)
        .form(&p)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let tenant = s.svc.store.route(BRISTOL_NUMBER).await.unwrap().unwrap().1;
    assert!(s
        .svc
        .store
        .is_opted_out(&tenant.id, "+19135550185")
        .await
        .unwrap());
    common::assert_iam_granted(&s);
}

/// Shortens Bristol's alert SLA (seconds) so the SLA path runs inside a test.
async fn set_alert_sla(s: &local::Stack, secs: u32) {
    let (_, mut tenant) = s.svc.store.route(BRISTOL_NUMBER).await.unwrap().unwrap();
    tenant.emergency.alert_sla_s = secs;
    s.svc.store.put_tenant(&tenant).await.unwrap();
}
