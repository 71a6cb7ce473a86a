//! Quality guards on the dev evaluation set (see `local::eval`): triage must meet the
//! targets the judgment issue sets for any independent set, and the call scenarios, played through the
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
    assert!(s.emergency_recall() >= 0.97, "emergency recall\n{report}");
    assert!(
        s.false_emergency_rate() <= 0.03,
        "false emergencies\n{report}"
    );
    assert!(s.intent_accuracy() >= 0.92, "intent accuracy\n{report}");
}

#[tokio::test]
async fn dev_scenarios_reach_their_outcomes() {
    // The dev calls name weekdays: played as of the ordinary week they were written for.
    let s = stack_at(eval::SCENARIO_INSTANT).await;
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
    let missed: Vec<&str> = results
        .iter()
        .filter(|r| r.life_safety && !r.dispatched)
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        missed.is_empty(),
        "life-safety calls not dispatched: {missed:?}"
    );
    common::assert_iam_granted(&s);
}

/// The rules are written for phenomena, not for the sets they are tuned on: no five-word
/// run of any dev-set utterance or scenario turn, and no six-word run of a tuning set's
/// (written later, against rules that already held everyday five-word phrases such as
/// "the co alarm went off"), appears anywhere in `shared/src` (rules, comments or unit
/// tests).
#[test]
fn no_dev_set_sentence_is_copied_into_the_domain() {
    let mut sets = vec![(eval::EvalSet::dev(), 5)];
    sets.extend(eval::EvalSet::tuning().into_iter().map(|s| (s, 6)));
    let mut texts: Vec<(String, usize)> = Vec::new();
    for (set, run) in &sets {
        texts.extend(
            eval::load_utterances_from(&set.utterances)
                .unwrap()
                .into_iter()
                .map(|u| (u.text, *run)),
        );
        let raw = std::fs::read_to_string(&set.scenarios).unwrap();
        let scenarios: serde_json::Value = serde_json::from_str(&raw).unwrap();
        for sc in scenarios.as_array().unwrap() {
            let mut lists = vec![&sc["turns"]];
            lists.extend(sc["setup"].as_array().into_iter().flatten());
            for l in lists {
                texts.extend(
                    l.as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|v| v.as_str().map(|t| (t.to_string(), *run))),
                );
            }
        }
    }
    let mut sources = String::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/src");
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                sources.push_str(&std::fs::read_to_string(&p).unwrap().to_lowercase());
                sources.push('\n');
            }
        }
    }
    let sources = sources.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut copied = Vec::new();
    for (t, run) in &texts {
        let w: Vec<String> = t
            .to_lowercase()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        if let Some(run) = w
            .windows(*run)
            .map(|g| g.join(" "))
            .find(|g| sources.contains(g.as_str()))
        {
            copied.push(run);
        }
    }
    assert!(
        copied.is_empty(),
        "dev- or tuning-set text found in shared/src: {copied:?}"
    );
}
