//! The website chat is one more channel onto the same conversation (`flows::chat`): an
//! emergency alerts the owner through the outbox as a call does, a job is booked at once
//! (a written channel holds nothing), a repeated message is answered once, and the chat
//! is listed with the calls as `chat`.

mod common;

use common::*;
use frontline::flows::chat;
use local::seed::{BRISTOL_NUMBER, BRISTOL_OWNER_CELL};

async fn bristol(s: &local::Stack) -> frontline::tenancy::Tenant {
    s.svc
        .store
        .route(BRISTOL_NUMBER)
        .await
        .unwrap()
        .expect("the demo tenant")
        .1
}

#[tokio::test]
async fn a_chat_emergency_alerts_the_owner_and_is_listed_as_a_chat() {
    let s = stack().await;
    let t = bristol(&s).await;
    let opened = chat::open(&s.svc, &t, "session-emergency", "+19135550177")
        .await
        .unwrap();
    assert!(opened.id.starts_with("ch_"), "{}", opened.id);
    assert!(
        opened.reply.contains("Bristol Plumbing"),
        "{}",
        opened.reply
    );
    assert!(
        !opened.reply.contains("<Response"),
        "a chat answers in words: {}",
        opened.reply
    );
    let again = chat::open(&s.svc, &t, "session-emergency", "+19135550177")
        .await
        .unwrap();
    assert_eq!(again, opened, "opening a session twice is the same chat");
    let reply = chat::say(
        &s.svc,
        &t,
        &opened.id,
        "water is pouring through my kitchen ceiling right now",
    )
    .await
    .unwrap()
    .expect("the chat exists");
    assert!(!reply.is_empty());
    chat::say(&s.svc, &t, &opened.id, "rosa delgado")
        .await
        .unwrap();
    let alert = wait_for_owner_alert(&s).await;
    assert_eq!(alert.to, BRISTOL_OWNER_CELL);
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (status, calls) = get(&s, &token, "/v1/crm/calls?limit=50").await;
    assert_eq!(status, 200, "{calls}");
    let listed = calls["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["call_sid"] == opened.id.as_str())
        .cloned()
        .expect("the chat is listed with the calls");
    assert_eq!(listed["channel"], "chat");
    assert_eq!(listed["emergency"], true);
    assert!(
        chat::say(&s.svc, &t, "ch_0000000000000000", "hello")
            .await
            .unwrap()
            .is_none(),
        "no such chat"
    );
}

#[tokio::test]
async fn a_chat_books_at_once_and_a_repeated_message_changes_nothing() {
    let s = stack().await;
    let t = bristol(&s).await;
    let opened = chat::open(&s.svc, &t, "session-booking", "+19135550178")
        .await
        .unwrap();
    let id = opened.id.as_str();
    for line in [
        "my bathroom faucet is dripping",
        "lee park",
        "5 maple street merriam",
    ] {
        chat::say(&s.svc, &t, id, line).await.unwrap().unwrap();
    }
    let when = format!(
        "{} morning",
        spoken_date(open_day(&s, &local::seed::bristol(), 2))
    );
    let booked = chat::say(&s.svc, &t, id, &when).await.unwrap().unwrap();
    assert!(booked.contains("You're booked for"), "{booked}");
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let list = |token: String| {
        let s = &s;
        async move {
            let (_, list) = get(
                s,
                &token,
                "/v1/crm/appointments?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z",
            )
            .await;
            list["items"].as_array().unwrap().clone()
        }
    };
    let items = list(token.clone()).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(
        items[0]["status"], "booked",
        "a chat holds nothing: {items:?}"
    );
    assert_eq!(items[0]["call_sid"], id);
    // The same message twice at once: one answer, still one job.
    let (a, b) = tokio::join!(
        chat::say(&s.svc, &t, id, "yes"),
        chat::say(&s.svc, &t, id, "yes")
    );
    let (a, b) = (a.unwrap().unwrap(), b.unwrap().unwrap());
    assert!(!a.is_empty() && !b.is_empty(), "{a} | {b}");
    assert_eq!(list(token).await.len(), 1);
}
