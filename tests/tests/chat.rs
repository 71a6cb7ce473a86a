//! The website chat is one more channel onto the same conversation (`flows::chat`): an
//! emergency alerts the owner through the outbox as a call does, a job is booked at once
//! (a written channel holds nothing), a repeated message is answered once, and the chat
//! is listed with the calls as `chat`.
//!
//! Through the widget's HTTP API (`api-chat`, via the API Gateway stand-in): a visitor
//! books by quick reply, an emergency alerts the owner, a wrong origin or a revoked key is
//! refused with nothing written, a replayed message changes nothing, and a flood of
//! sessions from one address is cut off.

mod common;

use common::*;
use frontline::flows::chat;
use local::seed::{BRISTOL_NUMBER, BRISTOL_OWNER_CELL, BRISTOL_WIDGET_KEY};
use serde_json::{json, Value};
use std::time::Duration;

const SHOP_SITE: &str = "https://bristolplumbing.example";

/// A chat API answer: status, the `Access-Control-Allow-Origin` header, the JSON.
struct Answer {
    status: u16,
    allow_origin: Option<String>,
    body: Value,
}

async fn chat_api(
    s: &local::Stack,
    method: &str,
    path: &str,
    origin: Option<&str>,
    token: Option<&str>,
    body: Option<Value>,
) -> Answer {
    let mut r = reqwest::Client::new().request(
        reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
        format!("{}{}", s.base_url, path),
    );
    if let Some(o) = origin {
        r = r.header("origin", o);
    }
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let allow_origin = r
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_string());
    let status = r.status().as_u16();
    Answer {
        status,
        allow_origin,
        body: r.json().await.unwrap_or(Value::Null),
    }
}

/// Opens a chat with `key` from `origin`.
async fn open_chat(s: &local::Stack, key: &str, origin: &str, phone: &str) -> Answer {
    chat_api(
        s,
        "POST",
        "/v1/chat/sessions",
        Some(origin),
        None,
        Some(json!({"key": key, "phone": phone})),
    )
    .await
}

/// Sends one visitor message (`id`: its message id) in `chat` (a ChatState).
async fn say_http(s: &local::Stack, chat: &Value, origin: &str, text: &str, id: &str) -> Answer {
    chat_api(
        s,
        "POST",
        &format!(
            "/v1/chat/sessions/{}/messages",
            chat["session_id"].as_str().unwrap()
        ),
        Some(origin),
        chat["token"].as_str(),
        Some(json!({"text": text, "message_id": id})),
    )
    .await
}

fn last_reply(chat: &Value) -> String {
    chat["messages"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|m| m["from"] == "receptionist")
        .map(|m| m["text"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The owner creates a widget key for `origins`; returns its value.
async fn create_key(s: &local::Stack, owner: &str, origins: &[&str]) -> String {
    let (status, k) = send(
        s,
        Some(owner),
        "POST",
        "/v1/owner/widget-keys",
        Some(json!({ "origins": origins })),
    )
    .await;
    assert_eq!(status, 201, "{k}");
    assert!(k["snippet"].as_str().unwrap().contains("/widget.js"), "{k}");
    k["key"].as_str().unwrap().to_string()
}

async fn appointments(s: &local::Stack, owner: &str) -> Vec<Value> {
    let (_, list) = get(
        s,
        owner,
        "/v1/crm/appointments?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z",
    )
    .await;
    list["items"].as_array().unwrap().clone()
}

async fn chats_listed(s: &local::Stack, owner: &str) -> usize {
    let (status, calls) = get(s, owner, "/v1/crm/calls?limit=200").await;
    assert_eq!(status, 200, "{calls}");
    calls["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["channel"] == "chat")
        .count()
}

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
    assert_eq!(list(token.clone()).await.len(), 1);
    // Anyone can type a number into a web page: a new chat from the same number is not
    // greeted by the customer's name, nor shown or allowed to cancel their job.
    let other = chat::open(&s.svc, &t, "session-impostor", "+19135550178")
        .await
        .unwrap();
    assert!(!other.reply.contains("Lee"), "{}", other.reply);
    let heard = chat::say(&s.svc, &t, &other.id, "I need to cancel my appointment")
        .await
        .unwrap()
        .unwrap();
    assert!(!heard.to_lowercase().contains("faucet"), "{heard}");
    chat::say(&s.svc, &t, &other.id, "yes cancel it")
        .await
        .unwrap();
    let items = list(token).await;
    assert_eq!(items[0]["status"], "booked", "{items:?}");
}

#[tokio::test]
async fn a_visitor_books_by_quick_reply_and_a_replayed_message_changes_nothing() {
    let s = stack().await;
    let owner = login(&s, "owner@bristol.example", "bristol-demo").await;
    let key = create_key(&s, &owner, &[SHOP_SITE]).await;
    let visitor = "+19135550166";
    let opened = open_chat(&s, &key, SHOP_SITE, "(913) 555-0166").await;
    assert_eq!(opened.status, 201, "{}", opened.body);
    assert_eq!(opened.allow_origin.as_deref(), Some(SHOP_SITE));
    assert_eq!(opened.body["shop_name"], "Bristol Plumbing");
    assert_eq!(opened.body["shop_phone"], BRISTOL_NUMBER);
    assert!(last_reply(&opened.body).contains("Bristol Plumbing"));
    let mut chat = opened.body;
    let mut n = 0;
    let mut next = |chat: &Value| -> (String, String) {
        n += 1;
        let asked = last_reply(chat).to_lowercase();
        let text = if n == 1 {
            "my kitchen faucet is dripping, can someone come fix it".to_string()
        } else if let Some(q) = chat["quick_replies"].as_array().and_then(|q| q.first()) {
            q.as_str().unwrap().to_string()
        } else if asked.contains("name") {
            "Dana Whitfield".to_string()
        } else if asked.contains("address") {
            "12 elm street merriam".to_string()
        } else {
            panic!("unexpected question: {asked}");
        };
        (text, format!("m-{n}"))
    };
    let mut sent = Vec::new();
    for _ in 0..8 {
        let (text, id) = next(&chat);
        let a = say_http(&s, &chat, SHOP_SITE, &text, &id).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.allow_origin.as_deref(), Some(SHOP_SITE));
        sent.push((text, id));
        chat = a.body;
        if last_reply(&chat).to_lowercase().contains("booked") {
            break;
        }
    }
    let reply = last_reply(&chat);
    assert!(reply.contains("booked"), "{reply}\n{chat}");
    assert_eq!(chat["emergency"], false);
    let booked = appointments(&s, &owner).await;
    assert_eq!(booked.len(), 1, "{booked:?}");
    assert_eq!(booked[0]["status"], "booked");
    assert!(booked[0]["call_sid"].as_str().unwrap().starts_with("ch_"));
    wait_for_sms(&s, |m| m.to == visitor, Duration::from_secs(20))
        .await
        .expect("the visitor is texted the booking");
    wait_for_sms(
        &s,
        |m| m.to == BRISTOL_OWNER_CELL && m.body.contains("Dana"),
        Duration::from_secs(20),
    )
    .await
    .expect("the owner is texted the booking");
    // The last message again (the widget retried after a lost answer): the same chat,
    // no new turn, still one job.
    let (text, id) = sent.last().unwrap().clone();
    let again = say_http(&s, &chat, SHOP_SITE, &text, &id).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body["messages"], chat["messages"]);
    assert_eq!(appointments(&s, &owner).await.len(), 1);
    // "That works" closes the chat; a message after that is refused and changes nothing.
    let closed = say_http(&s, &chat, SHOP_SITE, "That works", "m-close").await;
    assert_eq!(closed.status, 200, "{}", closed.body);
    assert_eq!(closed.body["ended"], true, "{}", closed.body);
    let late = say_http(&s, &closed.body, SHOP_SITE, "one more thing", "m-late").await;
    assert_eq!(late.status, 409, "{}", late.body);
    // A reload resumes the same chat.
    let resumed = chat_api(
        &s,
        "GET",
        &format!("/v1/chat/sessions/{}", chat["session_id"].as_str().unwrap()),
        Some(SHOP_SITE),
        closed.body["token"].as_str(),
        None,
    )
    .await;
    assert_eq!(resumed.status, 200, "{}", resumed.body);
    assert_eq!(resumed.body["messages"], closed.body["messages"]);
    // The owner sees the chat with its transcript, on the customer's timeline too.
    let (_, calls) = get(&s, &owner, "/v1/crm/calls?limit=50").await;
    let listed = calls["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == "chat")
        .cloned()
        .expect("the chat is listed");
    assert_eq!(listed["outcome"], "booked", "{listed}");
    let customer = listed["customer_id"]
        .as_str()
        .expect("a customer")
        .to_string();
    let (_, timeline) = get(
        &s,
        &owner,
        &format!("/v1/crm/customers/{customer}/timeline"),
    )
    .await;
    assert!(
        timeline
            .to_string()
            .contains(listed["call_sid"].as_str().unwrap()),
        "the chat is on the customer's timeline: {timeline}"
    );
    // Analytics counts the chat's lead under its channel.
    let (_, a) = get(&s, &owner, "/v1/owner/analytics").await;
    let chat_leads = a["leads_by_channel"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == "chat")
        .cloned()
        .expect("chat leads are counted");
    assert_eq!(chat_leads["leads"], 1, "{a}");
    assert_eq!(chat_leads["booked"], 1, "{a}");
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn a_widget_emergency_alerts_the_owner_and_offers_the_shop_number() {
    let s = stack().await;
    let site = s.base_url.clone();
    let opened = open_chat(&s, BRISTOL_WIDGET_KEY, &site, "+19135550167").await;
    assert_eq!(opened.status, 201, "{}", opened.body);
    let a = say_http(
        &s,
        &opened.body,
        &site,
        "sewage is coming up out of the floor drain in my basement right now",
        "e-1",
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["emergency"], true, "{}", a.body);
    let alert = wait_for_owner_alert(&s).await;
    assert_eq!(alert.to, BRISTOL_OWNER_CELL);
}

#[tokio::test]
async fn wrong_origins_and_revoked_keys_are_refused_and_write_nothing() {
    let s = stack().await;
    let owner = login(&s, "owner@bristol.example", "bristol-demo").await;
    let key = create_key(&s, &owner, &[SHOP_SITE]).await;
    let before = chats_listed(&s, &owner).await;
    for (key, origin) in [
        (key.as_str(), "https://evil.example"),
        (key.as_str(), "http://bristolplumbing.example"),
        ("wk_00000000000000000000000000000000", SHOP_SITE),
        ("<script>", SHOP_SITE),
    ] {
        let a = open_chat(&s, key, origin, "+19135550168").await;
        assert_eq!(a.status, 403, "{key} from {origin}: {}", a.body);
        assert_eq!(
            a.allow_origin, None,
            "a refused page cannot read the answer"
        );
    }
    // No Origin at all (a script, not a browser page): refused too.
    let a = chat_api(
        &s,
        "POST",
        "/v1/chat/sessions",
        None,
        None,
        Some(json!({"key": key, "phone": "+19135550168"})),
    )
    .await;
    assert_eq!(a.status, 403);
    // Malformed bodies name the field.
    let a = chat_api(
        &s,
        "POST",
        "/v1/chat/sessions",
        Some(SHOP_SITE),
        None,
        Some(json!({"key": key})),
    )
    .await;
    assert_eq!(a.status, 400);
    assert!(
        a.body["detail"].as_str().unwrap().contains("phone"),
        "{}",
        a.body
    );
    let a = open_chat(&s, &key, SHOP_SITE, "not a number").await;
    assert_eq!(a.status, 400);
    assert!(
        a.body["detail"].as_str().unwrap().starts_with("phone"),
        "{}",
        a.body
    );
    assert_eq!(
        chats_listed(&s, &owner).await,
        before,
        "nothing was written"
    );

    // A session from the shop's site: its token works only from that site, only for the
    // chat, and the dashboard's token does not open the chat.
    let opened = open_chat(&s, &key, SHOP_SITE, "+19135550168").await;
    assert_eq!(opened.status, 201, "{}", opened.body);
    let chat = opened.body;
    let elsewhere = say_http(&s, &chat, "https://evil.example", "hello", "x-1").await;
    assert_eq!(elsewhere.status, 403, "{}", elsewhere.body);
    let (status, _) = get(&s, chat["token"].as_str().unwrap(), "/v1/owner/today").await;
    assert_eq!(status, 401, "a chat token opens no other route");
    let mut forged = chat.clone();
    forged["token"] = json!(owner);
    assert_eq!(
        say_http(&s, &forged, SHOP_SITE, "hello", "x-2")
            .await
            .status,
        401
    );
    let long = "a".repeat(501);
    let a = say_http(&s, &chat, SHOP_SITE, &long, "x-3").await;
    assert_eq!(a.status, 400);
    assert!(
        a.body["detail"].as_str().unwrap().starts_with("text"),
        "{}",
        a.body
    );
    let a = say_http(&s, &chat, SHOP_SITE, "<img src=x onerror=alert(1)>", "x-4").await;
    assert_eq!(a.status, 200);
    let said = a.body["messages"].as_array().unwrap();
    assert!(said.iter().any(|m| m["from"] == "visitor"), "{}", a.body);

    // Rotation: the new key opens chats, the old one and its sessions stop at once.
    let (status, rotated) = send(
        &s,
        Some(&owner),
        "POST",
        &format!("/v1/owner/widget-keys/{key}/rotate"),
        None,
    )
    .await;
    assert_eq!(status, 201, "{rotated}");
    let new_key = rotated["key"].as_str().unwrap().to_string();
    assert_ne!(new_key, key);
    assert_eq!(rotated["origins"], json!([SHOP_SITE]));
    assert_eq!(
        open_chat(&s, &key, SHOP_SITE, "+19135550168").await.status,
        403
    );
    assert_eq!(
        say_http(&s, &a.body, SHOP_SITE, "hello", "x-5")
            .await
            .status,
        403
    );
    assert_eq!(
        open_chat(&s, &new_key, SHOP_SITE, "+19135550168")
            .await
            .status,
        201
    );
    // Revoked: refused, and listed as revoked.
    let (status, _) = send(
        &s,
        Some(&owner),
        "DELETE",
        &format!("/v1/owner/widget-keys/{new_key}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        open_chat(&s, &new_key, SHOP_SITE, "+19135550168")
            .await
            .status,
        403
    );
    let (_, keys) = get(&s, &owner, "/v1/owner/widget-keys").await;
    let keys = keys["items"].as_array().unwrap();
    assert!(
        keys.iter()
            .all(|k| !k["revoked_at"].is_null() || k["key"] == BRISTOL_WIDGET_KEY),
        "{keys:?}"
    );
    // Another shop's owner cannot see or revoke Bristol's keys.
    let prairie = login(&s, "owner@prairie.example", "prairie-demo").await;
    let (_, theirs) = get(&s, &prairie, "/v1/owner/widget-keys").await;
    assert_eq!(theirs["items"], json!([]));
    let (status, _) = send(
        &s,
        Some(&prairie),
        "DELETE",
        &format!("/v1/owner/widget-keys/{BRISTOL_WIDGET_KEY}"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    // Bad origins are refused at creation, naming the field.
    let (status, p) = send(
        &s,
        Some(&owner),
        "POST",
        "/v1/owner/widget-keys",
        Some(json!({"origins": ["http://shop.example/page"]})),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    assert!(p["detail"].as_str().unwrap().starts_with("origins"), "{p}");
    // The preflight grants the methods and headers the widget uses.
    let r = reqwest::Client::new()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/v1/chat/sessions", s.base_url),
        )
        .header("origin", SHOP_SITE)
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let allowed = r.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap();
    assert!(allowed.contains("authorization") && allowed.contains("content-type"));
}

#[tokio::test]
async fn a_flood_of_sessions_from_one_address_is_cut_off() {
    use frontline::store::Rate;
    let limits = frontline::abuse::Limits {
        chat_sessions_per_ip: Rate::per_minute(1, 3),
        ..frontline::abuse::Limits::default()
    };
    let s = stack_with(None, Some(limits)).await;
    let site = s.base_url.clone();
    let mut statuses = Vec::new();
    for i in 0..8 {
        let a = open_chat(
            &s,
            BRISTOL_WIDGET_KEY,
            &site,
            &format!("+1913555{:04}", 100 + i),
        )
        .await;
        statuses.push(a.status);
    }
    let opened = statuses.iter().filter(|s| **s == 201).count();
    assert!((3..=4).contains(&opened), "{statuses:?}");
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        8 - opened,
        "{statuses:?}"
    );
    let owner = login(&s, "owner@bristol.example", "bristol-demo").await;
    assert_eq!(
        chats_listed(&s, &owner).await,
        opened,
        "a refused session writes nothing"
    );
}

#[tokio::test]
async fn a_session_takes_a_persons_pace_and_expires_when_idle() {
    let s = stack().await;
    let site = s.base_url.clone();
    let opened = open_chat(&s, BRISTOL_WIDGET_KEY, &site, "+19135550170").await;
    assert_eq!(opened.status, 201, "{}", opened.body);
    let mut chat = opened.body;
    let mut statuses = Vec::new();
    for i in 0..14 {
        let a = say_http(&s, &chat, &site, "what are your hours", &format!("p-{i}")).await;
        statuses.push(a.status);
        if a.status == 200 {
            chat = a.body;
        }
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        frontline::flows::chat::session::BURST_MESSAGES,
        "{statuses:?}"
    );
    assert!(statuses.ends_with(&[429, 429]), "{statuses:?}");
    // Half an hour idle: the token has expired and the widget must start afresh.
    s.svc.clock.advance(chrono::Duration::minutes(31)).unwrap();
    let late = say_http(&s, &chat, &site, "hello again", "p-late").await;
    assert_eq!(late.status, 401, "{}", late.body);
    assert_eq!(late.allow_origin.as_deref(), Some(site.as_str()));
}

#[tokio::test]
async fn a_suspended_shop_takes_no_chats_and_says_to_call() {
    let s = stack().await;
    let site = s.base_url.clone();
    let opened = open_chat(&s, BRISTOL_WIDGET_KEY, &site, "+19135550171").await;
    assert_eq!(opened.status, 201, "{}", opened.body);
    let admin = login(&s, "admin@frontline.example", "frontline-admin").await;
    let (status, t) = send(
        &s,
        Some(&admin),
        "POST",
        "/v1/admin/tenants/bristol-plumbing/suspend",
        None,
    )
    .await;
    assert_eq!(status, 200, "{t}");
    let owner = login(&s, "owner@bristol.example", "bristol-demo").await;
    let before = chats_listed(&s, &owner).await;
    let a = open_chat(&s, BRISTOL_WIDGET_KEY, &site, "+19135550172").await;
    assert_eq!(a.status, 503, "{}", a.body);
    assert!(
        a.body["detail"].as_str().unwrap().contains("913-555-0123"),
        "{}",
        a.body
    );
    let a = say_http(&s, &opened.body, &site, "my faucet drips", "s-1").await;
    assert_eq!(a.status, 503, "an open chat stops too: {}", a.body);
    assert_eq!(
        chats_listed(&s, &owner).await,
        before,
        "nothing was written"
    );
    // A page the key does not allow learns nothing of the shop's state.
    let a = open_chat(
        &s,
        BRISTOL_WIDGET_KEY,
        "https://evil.example",
        "+19135550172",
    )
    .await;
    assert_eq!(a.status, 403);
}
