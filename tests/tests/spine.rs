//! The spine, end to end over HTTP against the moto server: a caller books a plumber.

mod common;

use chrono::{DateTime, Timelike, Utc};
use common::*;
use local::seed::{BRISTOL_NUMBER, BRISTOL_OWNER_CELL};
use std::time::Duration;

#[tokio::test]
async fn new_caller_books_a_faucet_repair_and_both_get_texts() {
    let s = stack().await;
    let (sid, heard) = call(&s, "+19135550142", BRISTOL_NUMBER, &booking(&s)).await;
    assert!(
        heard.iter().any(|h| h.contains("You're booked for")),
        "{heard:?}"
    );
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (st, call) = get(&s, &token, &format!("/v1/crm/calls/{sid}")).await;
    assert_eq!(st, 200);
    assert_eq!(call["outcome"], "booked");
    assert_eq!(call["service"], "faucet_repair");
    assert_eq!(call["customer"]["name"], "Jane Doe");
    assert_eq!(call["customer"]["address"], "123 Main St, Merriam, KS");
    let start: DateTime<Utc> = call["appointment"]["start"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let local = start.with_timezone(&chrono_tz::America::Chicago);
    assert!(
        (8..17).contains(&local.hour()),
        "inside business hours: {local}"
    );
    let customer = wait_for_sms(&s, |m| m.to == "+19135550142", Duration::from_secs(20))
        .await
        .unwrap();
    assert!(
        customer.body.contains("booked") && customer.body.contains("STOP"),
        "{}",
        customer.body
    );
    assert_eq!(customer.from, BRISTOL_NUMBER);
    let owner = wait_for_sms(&s, |m| m.to == BRISTOL_OWNER_CELL, Duration::from_secs(20))
        .await
        .unwrap();
    assert!(
        owner.body.contains("New job booked") && owner.body.contains("Jane Doe"),
        "{}",
        owner.body
    );
    let (_, list) = get(
        &s,
        &token,
        &format!(
            "/v1/crm/appointments?from={}&to={}",
            "2026-01-01T00:00:00Z", "2028-01-01T00:00:00Z"
        ),
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["customer"]["name"], "Jane Doe");
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn burst_pipe_is_dispatched_and_the_owner_texted_at_once() {
    let s = stack().await;
    let (sid, heard) = call(
        &s,
        "+19135550143",
        BRISTOL_NUMBER,
        &[
            "a pipe burst in my basement and there's water everywhere",
            "tom baker 88 oak street merriam",
        ],
    )
    .await;
    assert!(
        heard.iter().any(|h| h.contains("shut off the main water")),
        "{heard:?}"
    );
    let alert = wait_for_owner_alert(&s).await;
    assert!(alert.body.contains("913-555-0143"), "{}", alert.body);
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (_, call) = get(&s, &token, &format!("/v1/crm/calls/{sid}")).await;
    assert_eq!(call["outcome"], "emergency_dispatched");
    assert_eq!(call["emergency"], true);
    assert_eq!(call["service"], "burst_pipe");
    let codes: Vec<&str> = call["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["code"].as_str())
        .collect();
    assert!(codes.contains(&"burst_pipe"), "{codes:?}");
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn returning_caller_is_greeted_by_name_and_not_asked_again() {
    let s = stack().await;
    call(&s, "+19135550144", BRISTOL_NUMBER, &booking(&s)).await;
    let later = spoken_date(open_day(&s, &local::seed::bristol(), 4));
    let (_, heard) = call(
        &s,
        "+19135550144",
        BRISTOL_NUMBER,
        &[
            "my toilet keeps running can someone fix it",
            &format!("{later} in the afternoon"),
            "yes",
        ],
    )
    .await;
    assert!(heard[0].contains("Jane"), "greeting: {heard:?}");
    assert!(
        !heard
            .iter()
            .any(|h| h.contains("your name") || h.contains("the address")),
        "{heard:?}"
    );
    assert!(
        heard.iter().any(|h| h.contains("You're booked")),
        "{heard:?}"
    );
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn every_webhook_sent_three_times_changes_nothing() {
    let s = stack().await;
    let http = reqwest::Client::new();
    let mut c = local::phone::Call::dial(&s.base_url, "+19135550145", BRISTOL_NUMBER)
        .await
        .unwrap();
    for line in booking(&s) {
        let action = c.last.gather_action.clone().unwrap();
        let form = c.turn_form(&line);
        let mut bodies = Vec::new();
        for _ in 0..3 {
            let (st, body) = local::phone::post_signed(&http, &s.base_url, &action, &form)
                .await
                .unwrap();
            assert_eq!(st, 200);
            bodies.push(body);
        }
        assert!(
            bodies.iter().all(|b| b == &bodies[0]),
            "replays answer identically"
        );
        c.last = local::phone::parse_twiml(&bodies[0]);
    }
    for _ in 0..3 {
        c.hang_up().await.unwrap();
    }
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (_, list) = get(
        &s,
        &token,
        "/v1/crm/appointments?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z",
    )
    .await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        1,
        "one appointment"
    );
    wait_for_sms(&s, |m| m.to == BRISTOL_OWNER_CELL, Duration::from_secs(20))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let msgs = s.messages();
    assert_eq!(
        msgs.iter().filter(|m| m.to == BRISTOL_OWNER_CELL).count(),
        1,
        "{msgs:?}"
    );
    assert_eq!(
        msgs.iter().filter(|m| m.to == "+19135550145").count(),
        1,
        "{msgs:?}"
    );
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn missing_or_wrong_signature_is_403_and_writes_nothing() {
    let s = stack().await;
    let http = reqwest::Client::new();
    let form = vec![
        ("CallSid".to_string(), "CAforged".to_string()),
        ("From".to_string(), "+19135550146".to_string()),
        ("To".to_string(), BRISTOL_NUMBER.to_string()),
    ];
    let url = format!("{}/twilio/voice", s.base_url);
    let r = http.post(&url).form(&form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let bad = frontline::twilio::sign("wrong-token", &url, &form);
    let r = http
        .post(&url)
        .header("X-Twilio-Signature", bad)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // Signed for another URL.
    let other = frontline::twilio::sign(
        local::phone::AUTH_TOKEN,
        "http://evil.example/twilio/voice",
        &form,
    );
    let r = http
        .post(&url)
        .header("X-Twilio-Signature", other)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(s
        .svc
        .store
        .get_call("bristol-plumbing", "CAforged")
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        s.svc
            .store
            .count_prefix("bristol-plumbing", "CALL#")
            .await
            .unwrap(),
        0
    );
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn a_caller_who_hangs_up_becomes_abandoned_with_a_callback() {
    let s = stack().await;
    let (sid, _) = call(
        &s,
        "+19135550147",
        BRISTOL_NUMBER,
        &["hi i need someone to look at my water heater"],
    )
    .await;
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (_, call) = get(&s, &token, &format!("/v1/crm/calls/{sid}")).await;
    assert_eq!(call["outcome"], "abandoned");
    let callbacks = s
        .svc
        .store
        .open_callbacks("bristol-plumbing")
        .await
        .unwrap();
    assert_eq!(callbacks.len(), 1);
    assert_eq!(callbacks[0].phone, "+19135550147");
    wait_for_sms(
        &s,
        |m| m.to == BRISTOL_OWNER_CELL && m.body.contains("hung up"),
        Duration::from_secs(20),
    )
    .await
    .unwrap();
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn two_callers_racing_for_one_slot_never_double_book() {
    let s = stack().await;
    let mut a = local::phone::Call::dial(&s.base_url, "+19135550150", BRISTOL_NUMBER)
        .await
        .unwrap();
    let mut b = local::phone::Call::dial(&s.base_url, "+19135550151", BRISTOL_NUMBER)
        .await
        .unwrap();
    for (c, name) in [(&mut a, "amy adams"), (&mut b, "bo burns")] {
        c.say("my bathroom faucet is dripping").await.unwrap();
        c.say(name).await.unwrap();
        c.say("12 pine street merriam").await.unwrap();
    }
    // Both ask for the same hour of one open day, whatever day the test runs.
    let when = format!(
        "{} at 10 am",
        spoken_date(open_day(&s, &local::seed::bristol(), 2))
    );
    let (ra, rb) = tokio::join!(a.say(&when), b.say(&when));
    let (ra, rb) = (ra.unwrap().says.join(" "), rb.unwrap().says.join(" "));
    let booked = [&ra, &rb]
        .iter()
        .filter(|r| r.contains("You're booked for") && r.contains("between 10 and noon"))
        .count();
    assert_eq!(booked, 1, "exactly one gets 10 AM:\nA: {ra}\nB: {rb}");
    assert!(
        [&ra, &rb].iter().any(|r| r.contains("closest I have")),
        "the other is offered another time:\nA: {ra}\nB: {rb}"
    );
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (_, list) = get(
        &s,
        &token,
        "/v1/crm/appointments?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z",
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn a_non_booking_turn_costs_at_most_one_read_and_one_write() {
    let s = stack().await;
    let mut c = local::phone::Call::dial(&s.base_url, "+19135550152", BRISTOL_NUMBER)
        .await
        .unwrap();
    let mut report = Vec::new();
    for line in [
        "my kitchen sink drain is clogged",
        "lee park",
        "5 maple street merriam",
    ] {
        s.counter.reset();
        c.say(line).await.unwrap();
        let (r, w) = (s.counter.reads(), s.counter.writes());
        report.push(format!(
            "{line:?}: {r} read(s), {w} write(s) {:?}",
            s.counter.snapshot()
        ));
        assert!(r <= 1 && w <= 1, "{}", report.join("\n"));
    }
    s.counter.reset();
    c.say(&format!(
        "{} morning",
        spoken_date(open_day(&s, &local::seed::bristol(), 2))
    ))
    .await
    .unwrap();
    let (r, w) = (s.counter.reads(), s.counter.writes());
    report.push(format!(
        "booking turn: {r} read(s) (GetItem + availability Query), {w} write(s) {:?}",
        s.counter.snapshot()
    ));
    assert!(r <= 2 && w <= 1, "{}", report.join("\n"));
    println!("DynamoDB requests per turn:\n{}", report.join("\n"));
    common::assert_iam_granted(&s);
}

/// The transcript is appended to, not rewritten: a turn late in a long call sends about
/// as many bytes as an early one, and the stored call still has every line in order.
#[tokio::test]
async fn a_turn_sends_only_its_own_transcript_lines() {
    let s = stack().await;
    let mut c = local::phone::Call::dial(&s.base_url, "+19135550153", BRISTOL_NUMBER)
        .await
        .unwrap();
    let mut sent = Vec::new();
    for _ in 0..7 {
        s.counter.reset();
        c.say("do you do free estimates").await.unwrap();
        sent.push(s.counter.written_bytes());
    }
    println!("request bytes of each turn's write: {sent:?}");
    // Each turn adds two lines (~200 bytes as DynamoDB JSON); rewritten whole, the last
    // write would carry ~1 KB more than the second.
    assert!(
        sent[6] <= sent[1] + 64,
        "request bytes of each turn's write: {sent:?}"
    );
    let call = s
        .svc
        .store
        .get_call("bristol-plumbing", &c.sid)
        .await
        .unwrap()
        .expect("the call is stored");
    let caller_lines: Vec<&str> = call
        .state
        .transcript
        .iter()
        .filter(|t| t.speaker == "caller")
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!(caller_lines, vec!["do you do free estimates"; 7]);
    assert_eq!(call.stored_turns, Some(call.state.transcript.len()));
    assert!(call.state.transcript.windows(2).all(|w| w[0].at <= w[1].at));
}

/// The load driver's audit (what `local soak` fails on) finds nothing lost after a small
/// mixed load: every call has an outcome, no text went out twice, no dead letters.
#[tokio::test]
async fn a_small_load_loses_nothing() {
    let s = stack().await;
    let opts = local::bench::BenchOptions {
        callers: 2,
        calls_per_caller: 3,
        flood: 0,
        duration: None,
    };
    let r = local::bench::run(&s, BRISTOL_NUMBER, local::seed::PRAIRIE_NUMBER, opts)
        .await
        .unwrap();
    assert_eq!((r.calls, r.errors, r.cut_short), (6, 0, 0), "{r}");
    assert!(r.losses.nothing_lost(), "{r}");
    // The warm-up call and the six measured ones; bookings and messages texted someone.
    assert_eq!(r.losses.calls, 7, "{r}");
    assert!(r.losses.texts >= 2, "{r}");
}

#[tokio::test]
async fn login_errors_are_problem_json() {
    let s = stack().await;
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{}/v1/auth/login", s.base_url))
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains("email"), "{body}");
    let r = http
        .post(format!("{}/v1/auth/login", s.base_url))
        .json(&serde_json::json!({"email": "owner@bristol.example", "password": "nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let r = http
        .get(format!("{}/v1/crm/appointments", s.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn tenants_are_isolated() {
    let s = stack().await;
    let (sid, _) = call(&s, "+19135550153", BRISTOL_NUMBER, &booking(&s)).await;
    let prairie = login(&s, "owner@prairie.example", "prairie-demo").await;
    let (st, _) = get(&s, &prairie, &format!("/v1/crm/calls/{sid}")).await;
    assert_eq!(st, 404);
    let (_, list) = get(
        &s,
        &prairie,
        "/v1/crm/appointments?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z",
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    common::assert_iam_granted(&s);
}
