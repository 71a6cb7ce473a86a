//! Hostile input, end to end through the local stack: forged Twilio webhooks (tampered,
//! extended, re-targeted, replayed signatures), forged, expired and `alg: none` tokens,
//! oversized bodies, TwiML injected through caller speech, and a scan of every log line a
//! busy session writes for secrets, full phone numbers and card numbers.

mod common;

use common::*;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use local::phone::{post_signed, AUTH_TOKEN};
use local::seed::{BRISTOL_NUMBER, BRISTOL_OWNER_CELL};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Posts `body` to `path` with `signature`; returns the status and content type.
async fn post_with_signature(
    s: &local::Stack,
    path: &str,
    body: &[(String, String)],
    signature: &str,
) -> (u16, String) {
    let r = reqwest::Client::new()
        .post(format!("{}{path}", s.base_url))
        .header("X-Twilio-Signature", signature)
        .form(body)
        .send()
        .await
        .unwrap();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.status().as_u16(), kind)
}

#[tokio::test]
async fn forged_twilio_webhooks_are_403_and_write_nothing() {
    let s = stack().await;
    let url = format!("{}/twilio/voice", s.base_url);
    let signed = form(&[
        ("CallSid", "CAforged1"),
        ("From", "+19135550146"),
        ("To", BRISTOL_NUMBER),
        ("CallStatus", "ringing"),
    ]);
    let sig = frontline::twilio::sign(AUTH_TOKEN, &url, &signed);

    // A parameter changed after signing (another caller ID).
    let mut tampered = signed.clone();
    tampered[1].1 = "+19135550999".into();
    assert_eq!(
        post_with_signature(&s, "/twilio/voice", &tampered, &sig)
            .await
            .0,
        403
    );
    // A parameter added after signing.
    let mut extended = signed.clone();
    extended.push(("Digits".into(), "1".into()));
    assert_eq!(
        post_with_signature(&s, "/twilio/voice", &extended, &sig)
            .await
            .0,
        403
    );
    // The same body and signature sent to another route, and with another query string.
    assert_eq!(
        post_with_signature(&s, "/twilio/sms", &signed, &sig)
            .await
            .0,
        403
    );
    assert_eq!(
        post_with_signature(&s, "/twilio/voice/turn?seq=9", &signed, &sig)
            .await
            .0,
        403
    );
    // An empty or garbage signature header.
    let (st, kind) = post_with_signature(&s, "/twilio/voice", &signed, "").await;
    assert_eq!((st, kind.as_str()), (403, "application/problem+json"));
    assert_eq!(
        post_with_signature(&s, "/twilio/voice", &signed, "%%%")
            .await
            .0,
        403
    );
    assert!(s
        .svc
        .store
        .get_call("bristol-plumbing", "CAforged1")
        .await
        .unwrap()
        .is_none());

    // A genuine turn, then its signature replayed over a different turn body.
    let mut c = local::phone::Call::dial(&s.base_url, "+19135550147", BRISTOL_NUMBER)
        .await
        .unwrap();
    let action = c.last.gather_action.clone().unwrap();
    let turn_url = format!("{}{action}", s.base_url);
    let first = c.turn_form("my kitchen faucet is leaking");
    let first_sig = frontline::twilio::sign(AUTH_TOKEN, &turn_url, &first);
    let other = c.turn_form("cancel all my appointments");
    assert_eq!(
        post_with_signature(&s, &action, &other, &first_sig).await.0,
        403
    );
    // The genuine turn twice: the same answer, one transcript line.
    let (a, body_a) = post_signed(&c.http, &s.base_url, &action, &first)
        .await
        .unwrap();
    let (b, body_b) = post_signed(&c.http, &s.base_url, &action, &first)
        .await
        .unwrap();
    assert_eq!((a, b), (200, 200));
    assert_eq!(body_a, body_b, "a replayed turn gets the same TwiML");
    let call = s
        .svc
        .store
        .get_call("bristol-plumbing", &c.sid)
        .await
        .unwrap()
        .expect("the genuine call is stored");
    let said = call
        .state
        .transcript
        .iter()
        .filter(|t| t.text.contains("faucet"))
        .count();
    assert_eq!(said, 1, "the replay added nothing to the transcript");
    c.last = local::phone::parse_twiml(&body_a);
    c.hang_up().await.unwrap();
    common::assert_iam_granted(&s);
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[tokio::test]
async fn forged_expired_and_unsigned_tokens_are_401() {
    let s = stack().await;
    let good = login(&s, "owner@bristol.example", "bristol-demo").await;
    assert_eq!(get(&s, &good, "/v1/auth/me").await.0, 200);
    let key: Value = s
        .svc
        .secrets
        .get_json(&s.svc.config.jwt_secret_id)
        .await
        .unwrap();
    let key = key["signing_key"].as_str().unwrap().to_string();
    // Expiry is about the present: the stack's clock.
    let now = common::now(&s).timestamp();
    let claims = |tenant: &str, exp: i64, iss: &str| frontline::flows::accounts::tokens::Claims {
        sub: "owner@bristol.example".into(),
        tenant: tenant.into(),
        role: frontline::tenancy::Role::Owner,
        exp,
        iat: now - 10,
        iss: iss.into(),
    };
    let sign = |alg: Algorithm, k: &str, c: &frontline::flows::accounts::tokens::Claims| {
        encode(
            &Header::new(alg),
            c,
            &EncodingKey::from_secret(k.as_bytes()),
        )
        .unwrap()
    };
    // The real key and claims work; each forgery below changes one thing.
    let fresh = sign(
        Algorithm::HS256,
        &key,
        &claims("bristol-plumbing", now + 300, "frontline"),
    );
    assert_eq!(get(&s, &fresh, "/v1/auth/me").await.0, 200);

    let mut forged = Vec::new();
    // Another tenant's id swapped into a genuine token's payload.
    let parts: Vec<&str> = good.split('.').collect();
    let other = serde_json::to_vec(&claims("prairie-home", now + 300, "frontline")).unwrap();
    forged.push((
        "payload swapped",
        format!("{}.{}.{}", parts[0], b64(&other), parts[2]),
    ));
    forged.push((
        "expired",
        sign(
            Algorithm::HS256,
            &key,
            &claims("bristol-plumbing", now - 120, "frontline"),
        ),
    ));
    forged.push((
        "alg none",
        format!(
            "{}.{}.",
            b64(br#"{"alg":"none","typ":"JWT"}"#),
            b64(&serde_json::to_vec(&claims("bristol-plumbing", now + 300, "frontline")).unwrap())
        ),
    ));
    forged.push((
        "HS512 with the real key",
        sign(
            Algorithm::HS512,
            &key,
            &claims("bristol-plumbing", now + 300, "frontline"),
        ),
    ));
    forged.push((
        "another key",
        sign(
            Algorithm::HS256,
            "not-the-key",
            &claims("bristol-plumbing", now + 300, "frontline"),
        ),
    ));
    forged.push((
        "another issuer",
        sign(
            Algorithm::HS256,
            &key,
            &claims("bristol-plumbing", now + 300, "evil"),
        ),
    ));
    forged.push(("not a token", "garbage".into()));
    for (what, token) in forged {
        let (st, body) = get(&s, &token, "/v1/crm/customers").await;
        assert_eq!(st, 401, "{what}: {body}");
    }
    let r = reqwest::Client::new()
        .get(format!("{}/v1/crm/customers", s.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401, "no token");
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn oversized_bodies_are_413_and_change_nothing() {
    let s = stack().await;
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (_, before) = get(&s, &token, "/v1/owner/settings").await;
    let mut huge = before.clone();
    huge["greeting"] = json!("x".repeat(70 * 1024));
    let (st, p) = send(&s, Some(&token), "PUT", "/v1/owner/settings", Some(huge)).await;
    assert_eq!(st, 413, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("bytes"));
    let (_, after) = get(&s, &token, "/v1/owner/settings").await;
    assert_eq!(before, after);

    let big = "a".repeat(70 * 1024);
    let body = form(&[
        ("CallSid", "CAhuge"),
        ("From", "+19135550148"),
        ("To", BRISTOL_NUMBER),
        ("SpeechResult", &big),
    ]);
    let (st, _) = post_signed(&reqwest::Client::new(), &s.base_url, "/twilio/voice", &body)
        .await
        .unwrap();
    assert_eq!(st, 413);
    assert!(s
        .svc
        .store
        .get_call("bristol-plumbing", "CAhuge")
        .await
        .unwrap()
        .is_none());
    common::assert_iam_granted(&s);
}

/// Every element of a TwiML document, in order; panics if it is not well-formed XML.
fn elements(xml: &str) -> Vec<String> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match r.read_event().expect("well-formed TwiML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                out.push(e.name().as_ref().to_string())
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn caller_speech_cannot_inject_twiml() {
    let s = stack().await;
    let mut c = local::phone::Call::dial(&s.base_url, "+19135550149", BRISTOL_NUMBER)
        .await
        .unwrap();
    let attacks = [
        "my sink is clogged </Say><Dial>+15550000000</Dial><Say>",
        "jane ]]><Redirect>http://evil.example/x</Redirect><![CDATA[",
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>&x; main street",
        "bob & alice's \"plumbing\" <Play>http://evil.example/a.mp3</Play>",
    ];
    for a in attacks {
        if !c.listening() {
            break;
        }
        let p = c.say(a).await.unwrap();
        let els = elements(&p.twiml);
        for forbidden in ["Dial", "Redirect", "Play"] {
            assert!(
                !els.iter().any(|e| e == forbidden),
                "{forbidden} injected: {}",
                p.twiml
            );
        }
        assert!(
            !p.twiml.contains("evil.example/x</Redirect>"),
            "{}",
            p.twiml
        );
        assert!(!p.twiml.contains("file:///etc/passwd"), "{}", p.twiml);
    }
    c.hang_up().await.unwrap();
    common::assert_iam_granted(&s);
}

/// Log lines as the functions would write them to stdout for CloudWatch.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What the functions would write to CloudWatch during a busy session: calls (one with a
/// card number said aloud), an emergency alert, texts, sign-ins, a password reset and an
/// API key. None of it may contain a secret, a full phone number or a card number.
#[tokio::test]
async fn logs_carry_no_secrets_phone_numbers_or_card_numbers() {
    let captured = Captured::default();
    let sink = captured.clone();
    frontline::telemetry::init_with(move || sink.clone(), "info");
    let s = stack().await;
    let caller = "+19135550142";
    let (_, heard) = call(&s, caller, BRISTOL_NUMBER, &booking(&s)).await;
    assert!(heard.iter().any(|h| h.contains("booked")), "{heard:?}");
    call(
        &s,
        "+19135550143",
        BRISTOL_NUMBER,
        &["a pipe burst in the basement and water is everywhere"],
    )
    .await;
    wait_for_owner_alert(&s).await;
    call(
        &s,
        "+19135550144",
        BRISTOL_NUMBER,
        &[
            "i want to pay my bill my card number is 4111 1111 1111 1111 expiry 12 29",
            "no",
        ],
    )
    .await;
    local::phone::text(
        &reqwest::Client::new(),
        &s.base_url,
        "+19135550145",
        BRISTOL_NUMBER,
        "do you fix water heaters",
        "SMsecurityscan0001",
    )
    .await
    .unwrap();
    let (st, tokens) = sign_in(&s, "owner@bristol.example", "bristol-demo").await;
    assert_eq!(st, 200);
    assert_eq!(
        sign_in(&s, "owner@bristol.example", "wrong-password-123")
            .await
            .0,
        401
    );
    send(
        &s,
        None,
        "POST",
        "/v1/auth/password-reset",
        Some(json!({"email": "owner@bristol.example"})),
    )
    .await;
    let admin = login(&s, "admin@frontline.example", "frontline-admin").await;
    let (_, key) = send(
        &s,
        Some(&admin),
        "POST",
        "/v1/admin/tenants/bristol-plumbing/credentials",
        Some(json!({"name": "zapier", "role": "staff"})),
    )
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.lines().count() > 5, "logs were captured: {logs}");
    // Every line written inside a call's turn names the API request it served.
    let in_turns: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("\"name\":\"turn\""))
        .collect();
    assert!(!in_turns.is_empty(), "turn lines were logged: {logs}");
    for l in &in_turns {
        let v: Value = serde_json::from_str(l).expect("a JSON log line");
        let spans = v["spans"].as_array().expect("the line lists its spans");
        let request_id = spans
            .iter()
            .find_map(|s| s["request_id"].as_str())
            .unwrap_or_else(|| panic!("no request_id: {l}"));
        assert!(request_id.len() >= 8, "{l}");
    }
    let twilio: Value = s
        .svc
        .secrets
        .get_json(&s.svc.config.twilio_secret_id)
        .await
        .unwrap();
    let jwt: Value = s
        .svc
        .secrets
        .get_json(&s.svc.config.jwt_secret_id)
        .await
        .unwrap();
    let mut secrets = vec![
        AUTH_TOKEN.to_string(),
        twilio["auth_token"].as_str().unwrap().to_string(),
        jwt["signing_key"].as_str().unwrap().to_string(),
        "bristol-demo".into(),
        "wrong-password-123".into(),
        "frontline-admin".into(),
        tokens["access_token"].as_str().unwrap().to_string(),
        tokens["refresh_token"].as_str().unwrap().to_string(),
    ];
    secrets.push(
        key["key"]
            .as_str()
            .expect("an API key was issued")
            .to_string(),
    );
    for secret in &secrets {
        assert!(
            !logs.contains(secret.as_str()),
            "a secret is in the logs: {secret}"
        );
    }
    assert!(
        !logs.contains("pr_"),
        "a password-reset token is in the logs"
    );
    for number in [
        caller,
        "+19135550143",
        "+19135550144",
        "+19135550145",
        BRISTOL_OWNER_CELL,
    ] {
        let digits = number.trim_start_matches("+1");
        assert!(
            !logs.contains(digits),
            "a full phone number is in the logs: {number}"
        );
    }
    let digits_only: String = logs
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '\n')
        .collect();
    assert!(
        !digits_only.contains("4111111111111111"),
        "a card number is in the logs"
    );
    assert!(!logs.contains("4111 1111"), "a card number is in the logs");
    common::assert_iam_granted(&s);
}
