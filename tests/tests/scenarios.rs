//! The dev call scenarios (`../shared/eval/scenarios_dev.json`) played through the real
//! webhooks of a local stack; prints the share whose outcome, emergency flag, name and
//! address match. The floor asserted here only guards against regressions; the quality
//! targets belong to the triage-and-dialogue issue.

mod common;

use common::*;
use serde_json::Value;

fn scenarios() -> Option<Vec<Value>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/eval/scenarios_dev.json");
    let raw = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&raw).ok()
}

#[tokio::test]
async fn dev_scenarios_match_rate() {
    let Some(list) = scenarios() else {
        eprintln!("../shared/eval/scenarios_dev.json not found; skipping");
        return;
    };
    let s = stack().await;
    let token = login(&s, "owner@prairie.example", "prairie-demo").await;
    let mut rows = Vec::new();
    let (mut all, mut outcome_ok) = (0, 0);
    for sc in &list {
        let from = sc["caller_number"].as_str().unwrap();
        let to = sc["to"].as_str().unwrap();
        for setup in sc["setup"].as_array().into_iter().flatten() {
            let lines: Vec<&str> = setup
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            call(&s, from, to, &lines).await;
        }
        let lines: Vec<&str> = sc["turns"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let (sid, _) = call(&s, from, to, &lines).await;
        let (_, got) = get(&s, &token, &format!("/v1/crm/calls/{sid}")).await;
        let exp = &sc["expect"];
        let checks = [
            ("outcome", got["outcome"] == exp["outcome"]),
            ("emergency", got["emergency"] == exp["emergency"]),
            (
                "name",
                exp["customer_name"].is_null() || got["customer"]["name"] == exp["customer_name"],
            ),
            (
                "address",
                exp["address"].is_null() || got["customer"]["address"] == exp["address"],
            ),
        ];
        let ok = checks.iter().all(|(_, c)| *c);
        all += ok as usize;
        outcome_ok += checks[0].1 as usize;
        let misses: Vec<String> = checks
            .iter()
            .filter(|(_, c)| !c)
            .map(|(k, _)| match *k {
                "outcome" => format!("outcome {} (want {})", got["outcome"], exp["outcome"]),
                "emergency" => format!("emergency {}", got["emergency"]),
                "name" => format!(
                    "name {} (want {})",
                    got["customer"]["name"], exp["customer_name"]
                ),
                _ => format!(
                    "address {} (want {})",
                    got["customer"]["address"], exp["address"]
                ),
            })
            .collect();
        rows.push(format!(
            "{:<4} {:<4} {}",
            sc["id"].as_str().unwrap(),
            if ok { "ok" } else { "MISS" },
            misses.join("; ")
        ));
    }
    let n = list.len();
    println!("dev scenarios: {all}/{n} match on outcome+emergency+name+address; outcome alone {outcome_ok}/{n}");
    for r in &rows {
        println!("  {r}");
    }
    assert!(
        outcome_ok * 2 >= n,
        "outcome match fell below half:\n{}",
        rows.join("\n")
    );
}
