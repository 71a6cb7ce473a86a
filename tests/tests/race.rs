//! Twenty callers book at once over overlapping windows: whatever each is offered, no
//! resource ever holds two overlapping jobs (slot locks in one TransactWriteItems, a lost
//! race re-offers from a fresh calendar).

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use local::seed::PRAIRIE_NUMBER;
use std::collections::HashMap;

/// Overlapping windows on one day (`{day}` is the round's date, "december 9th").
const WINDOWS: [&str; 4] = [
    "{day} in the morning",
    "{day}",
    "{day} after 10",
    "{day} or the day after in the morning",
];
/// A job's `[start, end)`.
type Span = (DateTime<Utc>, DateTime<Utc>);

/// One caller: asks for a window, and takes the nearest time if that one is gone (a
/// second race, at confirmation). Returns everything the receptionist said at those turns.
async fn book(base_url: String, i: usize, round: usize, day: String) -> String {
    let from = format!("+1913555{:04}", 3000 + round * 100 + i);
    let mut c = local::phone::Call::dial(&base_url, &from, PRAIRIE_NUMBER)
        .await
        .unwrap();
    c.say("my kitchen faucet is dripping").await.unwrap();
    c.say(&format!("pat number{i} round{round}")).await.unwrap();
    c.say(&format!("{} oak street mission", 100 + i))
        .await
        .unwrap();
    let window = WINDOWS[i % WINDOWS.len()].replace("{day}", &day);
    let mut heard = c.say(&window).await.unwrap().says.join(" ");
    let mut last = heard.clone();
    // Each loss at confirmation offers the next time; a caller keeps saying yes.
    for _ in 0..8 {
        if last.contains("You're booked for") || !last.contains("Would that work") {
            break;
        }
        last = c.say("yes").await.unwrap().says.join(" ");
        heard.push_str(" | ");
        heard.push_str(&last);
    }
    heard
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_parallel_bookings_never_overlap_on_a_resource() {
    let s = stack().await;
    let token = login(&s, "owner@prairie.example", "prairie-demo").await;
    let gap = Duration::minutes(local::seed::prairie().booking.gap_min() as i64);
    let mut held = 0;
    // Three full open days (not Saturday's short hours), whatever day the test runs on:
    // each round races for one of them. An open day is left between rounds: a round's
    // overflow (those who take the nearest time after losing theirs) fills the next day,
    // and the next round is a fresh race, not a scramble for what the last one left.
    let prairie = local::seed::prairie();
    let full = |d: chrono::NaiveDate| {
        prairie
            .hours
            .on(chrono::Datelike::weekday(&d))
            .iter()
            .map(|span| (span.close - span.open).num_hours())
            .sum::<i64>()
            >= 8
    };
    let mut days = Vec::new();
    let mut d = open_day(&s, &prairie, 2);
    while days.len() < 3 {
        if full(d) {
            days.push(d);
            d = open_day_after(&prairie, d);
        }
        d = open_day_after(&prairie, d);
    }
    for (round, day) in days.into_iter().enumerate() {
        let calls: Vec<_> = (0..20)
            .map(|i| tokio::spawn(book(s.base_url.clone(), i, round, spoken_date(day))))
            .collect();
        let mut replies = Vec::new();
        for c in calls {
            replies.push(c.await.unwrap());
        }
        for r in &replies {
            assert!(
                r.contains("You're booked for") || r.contains("were just taken"),
                "every caller gets a slot or is asked for another time: {r}"
            );
            assert!(!r.contains("trouble with my system"), "{r}");
        }
        let booked = replies
            .iter()
            .filter(|r| r.contains("You're booked for"))
            .count();
        assert!(booked >= 10, "{replies:#?}");
        held += booked;
        let (_, list) = get(
            &s,
            &token,
            "/v1/crm/appointments?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z&limit=500",
        )
        .await;
        let mut by_resource: HashMap<String, Vec<Span>> = HashMap::new();
        for a in list["items"].as_array().unwrap() {
            let t = |k: &str| {
                DateTime::parse_from_rfc3339(a[k].as_str().unwrap())
                    .unwrap()
                    .with_timezone(&Utc)
            };
            by_resource
                .entry(a["resource"].as_str().unwrap().to_string())
                .or_default()
                .push((t("start"), t("end")));
        }
        let total: usize = by_resource.values().map(Vec::len).sum();
        assert_eq!(total, held, "one job per caller told they are booked");
        for (r, mut jobs) in by_resource {
            jobs.sort();
            for w in jobs.windows(2) {
                assert!(
                    w[0].1 + gap <= w[1].0,
                    "round {round}: {r} holds overlapping jobs {:?} and {:?}",
                    w[0],
                    w[1]
                );
            }
        }
    }
    common::assert_iam_granted(&s);
}
