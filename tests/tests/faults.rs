//! Storage failing under a live call: the local stack talks to moto through a TCP proxy
//! that can pass, stall (hold every byte: DynamoDB hangs) or refuse (close every
//! connection: DynamoDB is down). `call-turn` must answer graceful TwiML (voice-fallback
//! takes a message) and, once storage is back, Twilio's status callback turns the call
//! into a callback task: the caller is never lost.

mod common;

use common::*;
use local::phone::Call;
use local::seed::BRISTOL_NUMBER;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PASS: u8 = 0;
const STALL: u8 = 1;
const REFUSE: u8 = 2;

/// A TCP proxy in front of moto whose mode the test switches.
struct Proxy {
    url: String,
    mode: Arc<AtomicU8>,
}

impl Proxy {
    fn set(&self, mode: u8) {
        self.mode.store(mode, Ordering::SeqCst);
    }
}

/// Copies `from` → `to` chunk by chunk, holding chunks while stalled and dropping the
/// connection when refusing.
async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mode: Arc<AtomicU8>,
) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        loop {
            match mode.load(Ordering::SeqCst) {
                PASS => break,
                REFUSE => return,
                _ => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

async fn proxy(upstream: String) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mode = Arc::new(AtomicU8::new(PASS));
    let m = mode.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            if m.load(Ordering::SeqCst) == REFUSE {
                continue; // dropped: connection closed at once
            }
            let Ok(server) = TcpStream::connect(&upstream).await else {
                continue;
            };
            let (cr, cw) = client.into_split();
            let (sr, sw) = server.into_split();
            tokio::spawn(pipe(cr, sw, m.clone()));
            tokio::spawn(pipe(sr, cw, m.clone()));
        }
    });
    Proxy {
        url: format!("http://127.0.0.1:{port}"),
        mode,
    }
}

/// A stack whose AWS endpoint is the proxy in front of its own moto.
async fn stack_behind_proxy() -> (local::Stack, Proxy, tokio::process::Child) {
    let port = local::moto::free_port().unwrap();
    let moto = local::moto::start(port).await.unwrap();
    let p = proxy(format!("127.0.0.1:{port}")).await;
    let s = local::Stack::start(local::Options {
        port: 0,
        endpoint: Some(p.url.clone()),
        prefix: "faults-".into(),
        verbose: false,
        llm_base_url: None,
        limits: None,
        now: common::default_instant(),
    })
    .await
    .unwrap();
    (s, p, moto)
}

/// The owner's open callbacks that name `phone`'s last four digits.
async fn callbacks_for(s: &local::Stack, phone: &str) -> usize {
    let token = login(s, "owner@bristol.example", "bristol-demo").await;
    let (_, cbs) = get(s, &token, "/v1/owner/callbacks").await;
    let tail = &phone[phone.len() - 4..];
    cbs["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c.to_string().contains(tail))
        .count()
}

/// Follows the graceful TwiML the way Twilio does: the `<Redirect>` to voice-fallback.
async fn follow_fallback(s: &local::Stack, c: &Call, twiml: &str) -> String {
    assert!(twiml.contains("/twilio/voice/fallback"), "{twiml}");
    let (st, body) = local::phone::post_signed(
        &c.http,
        &s.base_url,
        "/twilio/voice/fallback",
        &c.turn_form(""),
    )
    .await
    .unwrap();
    assert_eq!(st, 200);
    body
}

#[tokio::test]
async fn storage_stalling_mid_call_takes_a_message_that_becomes_a_callback() {
    let (s, p, _moto) = stack_behind_proxy().await;
    let caller = "+19135550161";
    let mut c = Call::dial(&s.base_url, caller, BRISTOL_NUMBER)
        .await
        .unwrap();
    c.say("my water heater is leaking from the bottom")
        .await
        .unwrap();
    p.set(STALL);
    // Twilio waits 15 s for TwiML; the turn must answer before that, gracefully.
    let action = c.last.gather_action.clone().unwrap();
    let form = c.turn_form("jane doe");
    let answer = tokio::time::timeout(
        Duration::from_secs(15),
        local::phone::post_signed(&c.http, &s.base_url, &action, &form),
    )
    .await
    .expect("answered within Twilio's 15 s")
    .unwrap();
    assert_eq!(
        answer.0, 200,
        "never a 500: Twilio would play an application error"
    );
    let said = follow_fallback(&s, &c, &answer.1).await;
    assert!(said.contains("call you back"), "{said}");
    // Storage comes back; Twilio's status callback arrives when the caller hangs up.
    p.set(PASS);
    assert_eq!(c.hang_up().await.unwrap(), 204);
    assert_eq!(
        callbacks_for(&s, caller).await,
        1,
        "the message is a callback task"
    );
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn storage_down_when_a_call_starts_still_ends_in_a_callback() {
    let (s, p, _moto) = stack_behind_proxy().await;
    // Warm the number's route and the Twilio secret, as a warm Lambda has them.
    let (_, heard) = call(&s, "+19135550162", BRISTOL_NUMBER, &["what are your hours"]).await;
    assert!(!heard.is_empty());
    p.set(REFUSE);
    let caller = "+19135550163";
    let c = tokio::time::timeout(
        Duration::from_secs(15),
        Call::dial(&s.base_url, caller, BRISTOL_NUMBER),
    )
    .await
    .expect("answered within Twilio's 15 s")
    .unwrap();
    assert!(!c.listening());
    let said = follow_fallback(&s, &c, &c.last.twiml).await;
    assert!(said.contains("call you back"), "{said}");
    // While storage is down the status callback cannot be kept: Twilio is told to retry
    // (a 5xx), and nothing half-written remains.
    assert!(c.hang_up().await.unwrap() >= 500);
    p.set(PASS);
    // The status callback again, with storage back (Twilio retries a 5xx when the URL's
    // connection overrides ask for it, e.g. `#rc=3&rp=all`).
    assert_eq!(c.hang_up().await.unwrap(), 204);
    assert_eq!(
        callbacks_for(&s, caller).await,
        1,
        "the call became a callback task"
    );
    common::assert_iam_granted(&s);
}
