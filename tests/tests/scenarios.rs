//! Quality guards on the dev evaluation set (see `local::eval`): triage must meet the
//! targets of the triage-and-dialogue issue, and the call scenarios, played through the
//! real webhooks of a local stack, must match their expected outcomes. These assert
//! quality, not speed; `cargo run -p local -- eval` prints the full table.

mod common;

use common::*;
use local::eval;

#[test]
fn triage_meets_the_dev_set_targets() {
    let set = eval::load_utterances(&eval::eval_dir()).unwrap();
    let s = eval::score_triage(&set);
    let report = eval::report(&s, &[]);
    println!("{report}");
    assert!(
        s.life_safety_recall() >= 1.0,
        "life-safety recall\n{report}"
    );
    assert!(s.emergency_recall() >= 0.98, "emergency recall\n{report}");
    assert!(
        s.false_emergency_rate() <= 0.03,
        "false emergencies\n{report}"
    );
    assert!(s.intent_accuracy() >= 0.95, "intent accuracy\n{report}");
}

#[tokio::test]
async fn dev_scenarios_reach_their_outcomes() {
    let s = stack().await;
    let results = eval::play_scenarios(&s.base_url, &eval::eval_dir())
        .await
        .unwrap();
    let n = results.len();
    let ok = results.iter().filter(|r| r.outcome_ok).count();
    let all = results
        .iter()
        .filter(|r| r.outcome_ok && r.fields_ok)
        .count();
    println!("dev scenarios: outcome {ok}/{n}; outcome+emergency+name+address {all}/{n}");
    for r in results.iter().filter(|r| !r.note.is_empty()) {
        println!("  {} {}", r.id, r.note);
    }
    assert!(ok * 100 >= n * 95, "outcome match below 95%: {ok}/{n}");
}
