//! The pure call path of one `call-turn` invocation, without I/O: parse Twilio's form,
//! validate its signature, run `dialogue::step`, render the TwiML; and triage alone.
//! Run: `cargo bench -p local --bench call_path` (figures in BENCHMARKS.md).

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use frontline::dialogue::{step, Context, Conversation, Input, Step};
use frontline::scheduling::Busy;
use frontline::twilio::{signature, WebhookForm};
use std::hint::black_box;

const TOKEN: &str = "bench-auth-token-0123456789abcdef";
const URL: &str = "https://api.example.com/twilio/voice/turn?seq=2";

/// A `<Gather>` result as Twilio posts it (Twilio's voice webhook parameters).
fn turn_body(speech: &str) -> (Vec<u8>, String) {
    let pairs: Vec<(String, String)> = [
        ("AccountSid", "AC0123456789abcdef0123456789abcdef"),
        ("ApiVersion", "2010-04-01"),
        ("CallSid", "CA0123456789abcdef0123456789abcdef"),
        ("CallStatus", "in-progress"),
        ("Called", local::seed::BRISTOL_NUMBER),
        ("Caller", "+19135550142"),
        ("Confidence", "0.91"),
        ("Direction", "inbound"),
        ("From", "+19135550142"),
        ("Language", "en-US"),
        ("SpeechResult", speech),
        ("To", local::seed::BRISTOL_NUMBER),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let sig = signature::sign(TOKEN, URL, &pairs);
    let body = serde_urlencoded::to_string(&pairs).unwrap().into_bytes();
    (body, sig)
}

/// The state after the greeting and "my kitchen faucet is leaking": the receptionist has
/// asked for a name.
fn mid_call(tenant: &frontline::tenancy::Tenant, now: chrono::DateTime<Utc>) -> Conversation {
    let mut s = Conversation::new("CA1", &tenant.id, "+19135550142", now, None);
    let ctx = Context {
        tenant,
        now,
        busy: None,
        assist: None,
    };
    for input in [
        Input::Start,
        Input::Speech {
            text: "hi my kitchen faucet is leaking".into(),
            confidence: 0.9,
        },
    ] {
        if let Step::Done(out) = step(s.clone(), &input, &ctx) {
            s = out.state;
        }
    }
    s
}

fn call_path(c: &mut Criterion) {
    let tenant = local::seed::bristol();
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 16, 0, 0).unwrap();
    let state = mid_call(&tenant, now);
    let busy = Busy::default();
    let (body, sig) = turn_body("jane doe");
    c.bench_function("call_turn/parse+validate+step+render", |b| {
        b.iter_batched(
            || state.clone(),
            |state| {
                let form = WebhookForm::parse(black_box(&body)).unwrap();
                assert!(signature::validate(TOKEN, URL, &form.pairs, &sig));
                let input = Input::Speech {
                    text: form.speech().unwrap_or_default(),
                    confidence: form.confidence(),
                };
                let ctx = Context {
                    tenant: &tenant,
                    now,
                    busy: Some(&busy),
                    assist: None,
                };
                match step(state, &input, &ctx) {
                    Step::Done(out) => {
                        frontline::twilio::replies::voice(&out.reply, 3, &tenant.phone)
                    }
                    other => panic!("{other:?}"),
                }
            },
            BatchSize::SmallInput,
        )
    });
    let (body, sig) = turn_body("jane doe");
    c.bench_function("call_turn/parse+validate", |b| {
        b.iter(|| {
            let form = WebhookForm::parse(black_box(&body)).unwrap();
            signature::validate(TOKEN, URL, &form.pairs, &sig)
        })
    });
}

fn triage(c: &mut Criterion) {
    // Written for the bench (not the eval set): an emergency, a routine job, a long ramble.
    let lines = [
        "water is pouring through the kitchen ceiling and i can't find the shutoff",
        "i'd like someone to look at a running toilet sometime next week",
        "so the thing is we bought the house last spring and ever since the basement drain has been slow and now there's a smell coming up and my wife thinks it might be the sewer line but i don't know",
    ];
    c.bench_function("triage/classify (3 utterances)", |b| {
        b.iter(|| {
            for l in &lines {
                black_box(frontline::triage::classify(black_box(l), &[]));
            }
        })
    });
}

criterion_group!(benches, call_path, triage);
criterion_main!(benches);
