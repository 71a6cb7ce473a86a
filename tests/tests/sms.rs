//! Texts in: a booking by text, keywords and opt-outs across senders, replays, signatures
//! and emergencies, through the local stack's signed `/twilio/sms` webhook.

mod common;

use common::*;
use local::phone::{self, text};
use local::seed::{BRISTOL_NUMBER, BRISTOL_OWNER_CELL};
use std::time::Duration;

struct Texter<'a> {
    s: &'a local::Stack,
    http: reqwest::Client,
    from: &'a str,
    n: usize,
}

impl<'a> Texter<'a> {
    fn new(s: &'a local::Stack, from: &'a str) -> Self {
        Self {
            s,
            http: reqwest::Client::new(),
            from,
            n: 0,
        }
    }

    /// Sends a text with a fresh MessageSid; returns the reply texts.
    async fn send(&mut self, body: &str) -> Vec<String> {
        self.n += 1;
        let sid = format!("SM{}{:04}", &self.from[2..], self.n);
        let (status, replies) = text(
            &self.http,
            &self.s.base_url,
            self.from,
            BRISTOL_NUMBER,
            body,
            &sid,
        )
        .await
        .unwrap();
        assert_eq!(status, 200, "{body}");
        replies
    }
}

#[tokio::test]
async fn a_customer_books_a_job_by_text() {
    let s = stack().await;
    let mut t = Texter::new(&s, "+19135550171");
    let mut all = Vec::new();
    let when = format!(
        "{} morning works",
        spoken_date(open_day(&s, &local::seed::bristol(), 2))
    );
    for body in [
        "hi my kitchen faucet is dripping nonstop",
        "Rosa Delgado",
        "4820 Lamar Ave Mission KS",
        &when,
        "yes",
    ] {
        let r = t.send(body).await;
        assert!(!r.is_empty(), "every text gets a reply: {body}");
        all.push(format!("> {body}\n< {}", r.join(" ")));
    }
    let convo = all.join("\n");
    assert!(convo.contains("You're booked for"), "{convo}");
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (_, list) = get(
        &s,
        &token,
        "/v1/crm/appointments?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z",
    )
    .await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{list}");
    assert_eq!(items[0]["customer"]["name"], "Rosa Delgado");
    let owner = wait_for_sms(&s, |m| m.to == BRISTOL_OWNER_CELL, Duration::from_secs(20))
        .await
        .unwrap();
    assert!(owner.body.contains("Rosa Delgado"), "{}", owner.body);
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn stop_silences_every_customer_flow_and_start_restores_it() {
    let s = stack().await;
    let from = "+19135550172";
    let mut t = Texter::new(&s, from);
    for variant in [" Stop ", "stop.", "UNSUBSCRIBE", "quit!"] {
        let r = t.send(variant).await;
        assert!(r.join(" ").contains("unsubscribed"), "{variant}: {r:?}");
    }
    // A non-keyword text from an opted-out number is kept but not answered.
    assert!(t.send("is anyone there").await.is_empty());
    // A phone booking from the same number: the owner hears of it, the customer gets nothing.
    call(
        &s,
        from,
        BRISTOL_NUMBER,
        &[
            "my toilet keeps running",
            "lee park",
            "77 elm street merriam",
            &format!(
                "{} morning",
                spoken_date(open_day(&s, &local::seed::bristol(), 2))
            ),
            "yes",
        ],
    )
    .await;
    wait_for_sms(&s, |m| m.to == BRISTOL_OWNER_CELL, Duration::from_secs(20))
        .await
        .expect("owner alerts are not affected by the customer's opt-out");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let to_customer: Vec<_> = s.messages().into_iter().filter(|m| m.to == from).collect();
    assert!(
        to_customer.is_empty(),
        "opted-out number was texted: {to_customer:?}"
    );
    // START: texts flow again.
    let r = t.send("start").await;
    assert!(r.join(" ").contains("resubscribed"), "{r:?}");
    assert!(!t.send("do you do water heaters").await.is_empty());
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn help_names_the_business_its_number_and_how_to_stop() {
    let s = stack().await;
    let mut t = Texter::new(&s, "+19135550173");
    let r = t.send("help").await.join(" ");
    assert!(r.contains("Bristol Plumbing"), "{r}");
    assert!(r.contains("913-555-0123"), "{r}");
    assert!(r.contains("STOP"), "{r}");
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn a_replayed_text_gets_the_same_answer_and_changes_nothing() {
    let s = stack().await;
    let http = reqwest::Client::new();
    let from = "+19135550174";
    let first = text(
        &http,
        &s.base_url,
        from,
        BRISTOL_NUMBER,
        "my shower drain is slow",
        "SMreplay1",
    )
    .await
    .unwrap();
    let counter = s.counter.clone();
    counter.reset();
    for _ in 0..2 {
        let again = text(
            &http,
            &s.base_url,
            from,
            BRISTOL_NUMBER,
            "my shower drain is slow",
            "SMreplay1",
        )
        .await
        .unwrap();
        assert_eq!(again, first);
    }
    // The next real text continues the same conversation (asks for the name next).
    let (_, next) = text(
        &http,
        &s.base_url,
        from,
        BRISTOL_NUMBER,
        "Sam Ortiz",
        "SMreplay2",
    )
    .await
    .unwrap();
    assert!(!next.is_empty());
    assert!(
        !next.join(" ").to_lowercase().contains("what's your name"),
        "{next:?}"
    );
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn an_unsigned_or_tampered_text_is_403_and_writes_nothing() {
    let s = stack().await;
    let http = reqwest::Client::new();
    let counter = s.counter.clone();
    counter.reset();
    let url = format!("{}/twilio/sms", s.base_url);
    let form = [
        ("From", "+19135550175"),
        ("To", BRISTOL_NUMBER),
        ("Body", "STOP"),
        ("MessageSid", "SMx"),
    ];
    // No signature, then a signature over other parameters.
    let tampered = frontline::twilio::sign(
        phone::AUTH_TOKEN,
        &url,
        &[("Body".to_string(), "hello".to_string())],
    );
    for sig in [None, Some(tampered)] {
        let mut req = http.post(&url).form(&form);
        if let Some(sig) = sig {
            req = req.header("X-Twilio-Signature", sig);
        }
        assert_eq!(req.send().await.unwrap().status().as_u16(), 403);
    }
    assert_eq!(counter.writes(), 0);
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn an_emergency_by_text_alerts_the_owner_at_once() {
    let s = stack().await;
    let mut t = Texter::new(&s, "+19135550176");
    let r = t
        .send("water is pouring out of the ceiling in our kitchen")
        .await
        .join(" ");
    assert!(r.to_lowercase().contains("shut off"), "{r}");
    let alert = wait_for_owner_alert(&s).await;
    assert!(alert.body.contains("913-555-0176"), "{}", alert.body);
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn c_confirms_the_next_appointment_and_cancel_alone_is_an_opt_out() {
    let s = stack().await;
    let from = "+19135550177";
    call(
        &s,
        from,
        BRISTOL_NUMBER,
        &[
            "my kitchen faucet is dripping",
            "ivy chen",
            "41 birch street merriam",
            &format!(
                "{} morning",
                spoken_date(open_day(&s, &local::seed::bristol(), 2))
            ),
            "yes",
        ],
    )
    .await;
    let mut t = Texter::new(&s, from);
    let r = t.send("C").await.join(" ");
    assert!(r.contains("you're confirmed for"), "{r}");
    // "cancel my appointment" is a request; "CANCEL" alone is Twilio's opt-out word.
    let r = t.send("cancel my appointment").await.join(" ");
    assert!(!r.contains("unsubscribed"), "{r}");
    let r = t.send("CANCEL").await.join(" ");
    assert!(r.contains("unsubscribed"), "{r}");
    common::assert_iam_granted(&s);
}

/// A replay is a cancelled TransactWriteItems; everything written after it must still
/// flow outbox → stream → fanout → notify (moto once lost it; see `local::moto`).
#[tokio::test]
async fn alerts_still_flow_after_a_cancelled_transaction() {
    let s = stack().await;
    let http = reqwest::Client::new();
    let from = "+19135550175";
    for _ in 0..2 {
        text(
            &http,
            &s.base_url,
            from,
            BRISTOL_NUMBER,
            "my shower drain is slow",
            "SMcancel1",
        )
        .await
        .unwrap();
    }
    let mut t = Texter::new(&s, "+19135550176");
    t.send("a pipe burst in the basement and water is pouring out")
        .await;
    // The owner is alerted although a replay was cancelled just before.
    wait_for_owner_alert(&s).await;
    common::assert_iam_granted(&s);
}
