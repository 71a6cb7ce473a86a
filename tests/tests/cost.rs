//! What one booked call costs in AWS requests, across every function it touches (call-turn's
//! turns, twilio-status, fanout, notify's two texts): the figures behind docs/COST.md.
//! Counts, not timings: a new read or write on the call path shows up here.

mod common;

use common::*;
use std::time::Duration;

#[tokio::test]
async fn a_booked_call_costs_a_bounded_number_of_dynamodb_requests() {
    let s = stack().await;
    // Warm the caches (the number's route, the secrets) as a warm Lambda has them.
    let _ = call(
        &s,
        "+19135550100",
        local::seed::BRISTOL_NUMBER,
        &["what are your hours"],
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = s.twilio.messages().len();
    s.counter.reset();
    let (_, heard) = call(
        &s,
        "+19135550142",
        local::seed::BRISTOL_NUMBER,
        &booking(&s),
    )
    .await;
    assert!(
        heard.iter().any(|h| h.contains("You're booked for")),
        "{heard:?}"
    );
    wait_for_sms(&s, |m| m.to == "+19135550142", Duration::from_secs(20))
        .await
        .expect("the customer is texted");
    wait_for_sms(
        &s,
        |m| m.to == local::seed::BRISTOL_OWNER_CELL && m.body.contains("Jane"),
        Duration::from_secs(20),
    )
    .await
    .expect("the owner is texted");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (reads, writes) = (s.counter.reads(), s.counter.writes());
    println!(
        "one booked call ({} turns, {} texts): {reads} DynamoDB reads, {writes} writes: {:?}",
        booking(&s).len() + 1,
        s.twilio.messages().len() - before,
        s.counter.snapshot()
    );
    assert!(reads <= 14, "{reads} reads");
    assert!(writes <= 20, "{writes} writes");
    common::assert_iam_granted(&s);
}
