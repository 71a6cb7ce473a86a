//! Abuse limits through the stack: a call flood on one tenant is turned away while the
//! other tenant's callers are answered as usual; one number's text flood is cut off per
//! number; guessed sign-ins from one address get 429; and the lockdown switch leaves
//! calls taking messages, texts unanswered and only emergency alerts going out.

mod common;

use common::*;
use frontline::abuse::Limits;
use frontline::store::Rate;
use local::phone::Call;
use local::seed::{BRISTOL_NUMBER, BRISTOL_OWNER_CELL, PRAIRIE_NUMBER};
use serde_json::json;
use std::time::Duration;

fn limits(calls: Rate, texts_per_number: Rate, auth_per_ip: Rate) -> Limits {
    Limits {
        calls,
        texts_per_number,
        auth_per_ip,
        ..Limits::default()
    }
}

/// Rates no test reaches, but for the one under test.
fn roomy() -> Rate {
    Rate::per_minute(10_000, 10_000)
}

#[tokio::test]
async fn a_call_flood_on_one_tenant_leaves_the_other_tenant_answered() {
    // Ten calls at once, then one a minute: a flood of 30 overflows it at once.
    let s = stack_with(
        None,
        Some(limits(Rate::per_minute(1, 10), roomy(), roomy())),
    )
    .await;
    let base = s.base_url.clone();
    let flood = (0..30).map(|i| {
        let base = base.clone();
        tokio::spawn(
            async move { Call::dial(&base, &format!("+1816444{i:04}"), BRISTOL_NUMBER).await },
        )
    });
    let neighbours = (0..8).map(|i| {
        let base = base.clone();
        tokio::spawn(
            async move { Call::dial(&base, &format!("+1913333{i:04}"), PRAIRIE_NUMBER).await },
        )
    });
    let flood: Vec<_> = futures_join(flood.collect()).await;
    let neighbours: Vec<_> = futures_join(neighbours.collect()).await;
    let greeted = flood.iter().filter(|c| c.listening()).count();
    let turned_away = flood
        .iter()
        .filter(|c| {
            c.last
                .says
                .join(" ")
                .contains("more calls than we can answer")
        })
        .count();
    assert!(
        (10..=11).contains(&greeted),
        "{greeted} flood calls answered"
    );
    assert_eq!(greeted + turned_away, 30);
    for c in &neighbours {
        assert!(
            c.listening(),
            "Prairie's caller was not answered: {:?}",
            c.last.says
        );
    }
    // The turned-away calls end: their status callbacks store nothing (no callbacks, no
    // missed-call texts to the owner from a flood).
    for c in flood.iter().chain(&neighbours) {
        assert_eq!(c.hang_up().await.unwrap(), 204);
    }
    let stored = s
        .svc
        .store
        .count_prefix("bristol-plumbing", "CALL#")
        .await
        .unwrap();
    assert_eq!(stored, greeted, "only answered calls are stored");
    // Prairie's callers carry on as usual.
    let mut c = Call::dial(&base, "+19133339999", PRAIRIE_NUMBER)
        .await
        .unwrap();
    let p = c
        .say("my furnace is making a loud banging noise")
        .await
        .unwrap();
    assert!(p.gather_action.is_some(), "{:?}", p.says);
    c.hang_up().await.unwrap();
    common::assert_iam_granted(&s);
}

async fn futures_join(handles: Vec<tokio::task::JoinHandle<anyhow::Result<Call>>>) -> Vec<Call> {
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap().expect("every call is answered with TwiML"));
    }
    out
}

#[tokio::test]
async fn one_numbers_text_flood_is_cut_off_and_others_still_get_replies() {
    let s = stack_with(None, Some(limits(roomy(), Rate::per_minute(1, 3), roomy()))).await;
    let http = reqwest::Client::new();
    let mut replied = 0;
    for i in 0..6 {
        let (st, replies) = local::phone::text(
            &http,
            &s.base_url,
            "+18165550101",
            BRISTOL_NUMBER,
            "do you fix water heaters",
            &format!("SMflood{i:04}"),
        )
        .await
        .unwrap();
        assert_eq!(st, 200);
        if !replies.is_empty() {
            replied += 1;
        }
    }
    assert_eq!(replied, 3, "three texts answered, the rest not");
    // STOP is always honoured, even from a number over its limit.
    let (_, stop) = local::phone::text(
        &http,
        &s.base_url,
        "+18165550101",
        BRISTOL_NUMBER,
        "STOP",
        "SMflood-stop",
    )
    .await
    .unwrap();
    assert!(!stop.is_empty(), "STOP is confirmed");
    let (_, other) = local::phone::text(
        &http,
        &s.base_url,
        "+18165550102",
        BRISTOL_NUMBER,
        "do you fix water heaters",
        "SMother0001",
    )
    .await
    .unwrap();
    assert!(!other.is_empty(), "another number is answered");
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn guessed_sign_ins_from_one_address_get_429() {
    let s = stack_with(None, Some(limits(roomy(), roomy(), Rate::per_minute(1, 5)))).await;
    let mut statuses = Vec::new();
    for i in 0..7 {
        let (st, _) = sign_in(&s, &format!("guess{i}@nowhere.example"), "password-guess").await;
        statuses.push(st);
    }
    assert_eq!(statuses, vec![401, 401, 401, 401, 401, 429, 429]);
    let r = reqwest::Client::new()
        .post(format!("{}/v1/auth/password-reset", s.base_url))
        .json(&json!({"email": "owner@bristol.example"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["retry-after"], "60");
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    // Calls are metered elsewhere: the same address's webhooks are untouched.
    let (_, heard) = call(&s, "+19135550150", BRISTOL_NUMBER, &["what are your hours"]).await;
    assert!(!heard.is_empty());
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn lockdown_takes_messages_answers_no_texts_and_alerts_only_emergencies() {
    let s = stack().await;
    let admin = login(&s, "admin@frontline.example", "frontline-admin").await;
    let (st, t) = send(
        &s,
        Some(&admin),
        "POST",
        "/v1/admin/tenants/bristol-plumbing/lockdown",
        None,
    )
    .await;
    assert_eq!(st, 200, "{t}");
    assert_eq!(t["status"], "lockdown");

    // A call is sent to voice-fallback, which takes the message; hanging up makes it a
    // callback task, with no missed-call text to the owner.
    let c = Call::dial(&s.base_url, "+19135550151", BRISTOL_NUMBER)
        .await
        .unwrap();
    assert!(!c.listening());
    assert!(
        c.last.twiml.contains("/twilio/voice/fallback"),
        "{}",
        c.last.twiml
    );
    assert_eq!(c.hang_up().await.unwrap(), 204);
    let owner = login(&s, "owner@bristol.example", "bristol-demo").await;
    let mut found = false;
    for _ in 0..50 {
        let (_, cbs) = get(&s, &owner, "/v1/owner/callbacks").await;
        if cbs["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["phone"] == "+19135550151" || c.to_string().contains("0151"))
        {
            found = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(found, "the locked-down call became a callback task");
    // A text gets no reply.
    let http = reqwest::Client::new();
    let (_, replies) = local::phone::text(
        &http,
        &s.base_url,
        "+19135550152",
        BRISTOL_NUMBER,
        "can someone come look at my sink",
        "SMlock0001",
    )
    .await
    .unwrap();
    assert!(replies.is_empty(), "{replies:?}");
    // The missed-call text to the owner was held back (recorded as suppressed).
    tokio::time::sleep(Duration::from_secs(2)).await;
    let to_owner = s
        .twilio
        .messages()
        .into_iter()
        .filter(|m| m.to == BRISTOL_OWNER_CELL)
        .count();
    assert_eq!(
        to_owner, 0,
        "no texts to the owner in lockdown but emergencies"
    );
    // The other tenant is untouched.
    let (_, heard) = call(&s, "+19135550153", PRAIRIE_NUMBER, &["what are your hours"]).await;
    assert!(heard.len() > 1, "{heard:?}");

    let (st, t) = send(
        &s,
        Some(&admin),
        "POST",
        "/v1/admin/tenants/bristol-plumbing/resume",
        None,
    )
    .await;
    assert_eq!((st, t["status"].as_str()), (200, Some("active")));
    let c = Call::dial(&s.base_url, "+19135550154", BRISTOL_NUMBER)
        .await
        .unwrap();
    assert!(c.listening(), "answered again after resume");
    c.hang_up().await.unwrap();
    common::assert_iam_granted(&s);
}

/// Concurrent requests stamp their clocks before their writes land, so a bucket sees
/// them out of order. Within the burst every one is admitted, even at a rate finer than
/// the bucket's millisecond (the load driver's "unlimited" rate once turned away calls).
#[tokio::test]
async fn requests_landing_out_of_clock_order_within_the_burst_are_admitted() {
    let s = stack().await;
    let scope = frontline::store::LimitScope::TenantCalls("bristol-plumbing-bench");
    let t0 = now(&s);
    for rate in [
        Rate::per_minute(1_000_000, 1_000),
        Rate::per_minute(600, 10),
    ] {
        for ms in [5, 3, 4, 0, 1] {
            let at = t0 + chrono::TimeDelta::milliseconds(ms);
            assert!(
                s.svc.store.take_token(&scope, rate, at).await.unwrap(),
                "{rate:?} at +{ms} ms"
            );
        }
    }
    // The bucket still empties: ten at once, the eleventh waits.
    let tight = frontline::store::LimitScope::TenantCalls("bristol-plumbing-tight");
    let rate = Rate::per_minute(1, 10);
    for _ in 0..10 {
        assert!(s.svc.store.take_token(&tight, rate, t0).await.unwrap());
    }
    assert!(!s.svc.store.take_token(&tight, rate, t0).await.unwrap());
}
