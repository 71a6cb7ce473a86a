//! `local triage` and `local eval`: triage as JSON Lines, and the quality table over the
//! dev evaluation set (`../shared/eval/`, format in its README).
//!
//! Triage is scored in process (it is pure); the call scenarios are played through the
//! webhooks of a running stack, signed as Twilio signs them, and read back through the
//! owner API, so the table measures what a caller and the owner would see.

use crate::phone;
use anyhow::{Context, Result};
use frontline::triage::{self, Intent};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The instant the call scenarios are played as of when `local eval` starts its own stack
/// (and the scenario test's stack): a Tuesday, 10:00 in Kansas, in a week without a
/// holiday. The scenarios name weekdays ("thursday afternoon works"), and a caller whose
/// day is a closure is rightly offered another, so the table is made as of one ordinary
/// week. `FRONTLINE_NOW` overrides it.
pub const SCENARIO_INSTANT: &str = "2026-11-17T16:00:00Z";

/// [`SCENARIO_INSTANT`] as an instant.
pub fn scenario_instant() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(SCENARIO_INSTANT)
        .expect("an RFC 3339 constant")
        .with_timezone(&chrono::Utc)
}

/// One line of `local triage`'s output.
#[derive(Debug, Serialize)]
pub struct TriageLine {
    pub emergency: bool,
    pub intent: &'static str,
    pub service: &'static str,
    /// 0..1.
    pub confidence: f32,
    pub reasons: Vec<String>,
    pub life_safety: bool,
}

/// Triage of one text as `local triage` prints it; reasons are `code: evidence`.
pub fn triage_line(text: &str) -> TriageLine {
    let t = triage::classify(text, &[]);
    TriageLine {
        emergency: t.emergency,
        intent: t.intent.as_str(),
        service: t.service.as_str(),
        confidence: (t.confidence * 100.0).round() / 100.0,
        reasons: t
            .reasons
            .iter()
            .map(|r| format!("{}: {}", r.code, r.evidence))
            .collect(),
        life_safety: t.life_safety,
    }
}

/// Reads `{"text": ...}` lines and writes one [`TriageLine`] per input line. A line that is
/// not such an object gets `{"error": ...}` so the output stays line-aligned with the input.
pub fn triage_stream(input: impl std::io::BufRead, mut out: impl std::io::Write) -> Result<()> {
    #[derive(Deserialize)]
    struct In {
        text: String,
    }
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let json = match serde_json::from_str::<In>(&line) {
            Ok(i) => serde_json::to_string(&triage_line(&i.text))?,
            Err(e) => serde_json::json!({ "error": format!("expected {{\"text\": string}}: {e}") })
                .to_string(),
        };
        writeln!(out, "{json}")?;
    }
    Ok(())
}

/// One labelled utterance of `utterances_dev.jsonl`.
#[derive(Debug, Clone, Deserialize)]
pub struct Utterance {
    pub id: String,
    pub text: String,
    pub intent: String,
    pub emergency: bool,
    pub service: String,
    #[serde(default)]
    pub why: String,
}

/// Where the eval files live: `FRONTLINE_EVAL_DIR`, else `../shared/eval` beside the
/// repository, else the repository's snapshot in `tests/eval-dev/`.
pub fn eval_dir() -> PathBuf {
    if let Ok(d) = std::env::var("FRONTLINE_EVAL_DIR") {
        return PathBuf::from(d);
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let beside = repo.join("../shared/eval");
    if beside.join("utterances_dev.jsonl").exists() {
        beside
    } else {
        repo.join("tests/eval-dev")
    }
}

/// The sealed set (`tests/eval/sealed/`): written by a session that never read the rules,
/// scored, never tuned on.
pub fn sealed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/eval/sealed")
}

/// One evaluation set: its name and files.
#[derive(Debug, Clone)]
pub struct EvalSet {
    pub name: String,
    pub utterances: PathBuf,
    pub scenarios: PathBuf,
}

impl EvalSet {
    /// The dev set (`eval_dir()`): the one rules are tuned on.
    pub fn dev() -> Self {
        let d = eval_dir();
        EvalSet {
            name: "dev".into(),
            utterances: d.join("utterances_dev.jsonl"),
            scenarios: d.join("scenarios_dev.json"),
        }
    }

    /// Every tuning set (`tests/eval/tune*/`, files `utterances.jsonl` and
    /// `scenarios.json`), in name order: written by a session that read no rules, and,
    /// like the dev set, tuned on.
    pub fn tuning() -> Vec<Self> {
        Self::under_eval_root("tune", "utterances.jsonl", "scenarios.json")
    }

    /// Every sealed set (`tests/eval/sealed*/`), in name order: each written by a session
    /// that read neither the rules nor another set.
    pub fn sealed() -> Vec<Self> {
        Self::under_eval_root("sealed", "utterances_sealed.jsonl", "scenarios_sealed.json")
    }

    /// The sets in `tests/eval/<prefix>*/` that have both files.
    fn under_eval_root(prefix: &str, utterances: &str, scenarios: &str) -> Vec<Self> {
        let root = sealed_dir().join("..");
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            })
            .collect();
        dirs.sort();
        dirs.into_iter()
            .map(|d| EvalSet {
                name: d
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string(),
                utterances: d.join(utterances),
                scenarios: d.join(scenarios),
            })
            .filter(|s| s.utterances.exists() && s.scenarios.exists())
            .collect()
    }
}

/// Reads the labelled utterances of the dev set in `dir`.
pub fn load_utterances(dir: &Path) -> Result<Vec<Utterance>> {
    load_utterances_from(&dir.join("utterances_dev.jsonl"))
}

/// Reads labelled utterances (JSON Lines).
pub fn load_utterances_from(path: &Path) -> Result<Vec<Utterance>> {
    let path = path.to_path_buf();
    let raw =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    raw.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str(l).with_context(|| format!("bad line in {}: {l}", path.display()))
        })
        .collect()
}

/// Life-safety hazards as the targets define them: gas, carbon monoxide, sparking/burning,
/// flooding near electrics (and downed lines, which the README names with them), and
/// whatever the set's author marked `life-safety …` in `why` (the sealed sets' prefixes,
/// "life-safety elec-other: a flooded disconnect humming" among them).
fn is_life_safety_label(u: &Utterance) -> bool {
    let w = u.why.to_lowercase();
    u.emergency
        && (matches!(
            u.service.as_str(),
            "gas_smell" | "co_alarm" | "sparking_outlet" | "burning_smell"
        ) || w.contains("electric")
            || w.contains("downed")
            || w.contains("power line")
            || w.starts_with("life-safety"))
}

/// Triage scores over the labelled set.
#[derive(Debug, Default, Clone)]
pub struct TriageScore {
    pub n: usize,
    pub emergencies: usize,
    pub caught: usize,
    pub false_alarms: usize,
    pub non_emergencies: usize,
    pub life_safety: usize,
    pub life_safety_caught: usize,
    pub intent_ok: usize,
    pub service_ok: usize,
    /// (expected, predicted) → count.
    pub confusion: BTreeMap<(String, String), usize>,
    pub misses: Vec<String>,
}

impl TriageScore {
    pub fn emergency_recall(&self) -> f64 {
        ratio(self.caught, self.emergencies)
    }
    pub fn emergency_precision(&self) -> f64 {
        ratio(self.caught, self.caught + self.false_alarms)
    }
    /// Share of non-emergencies flagged as emergencies.
    pub fn false_emergency_rate(&self) -> f64 {
        ratio(self.false_alarms, self.non_emergencies)
    }
    pub fn life_safety_recall(&self) -> f64 {
        ratio(self.life_safety_caught, self.life_safety)
    }
    pub fn intent_accuracy(&self) -> f64 {
        ratio(self.intent_ok, self.n)
    }
    pub fn service_accuracy(&self) -> f64 {
        ratio(self.service_ok, self.n)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores triage on the labelled utterances.
pub fn score_triage(set: &[Utterance]) -> TriageScore {
    let mut s = TriageScore::default();
    for u in set {
        let t = triage::classify(&u.text, &[]);
        s.n += 1;
        let mut wrong = Vec::new();
        if u.emergency {
            s.emergencies += 1;
            if t.emergency {
                s.caught += 1;
            } else {
                wrong.push("missed emergency".to_string());
            }
            if is_life_safety_label(u) {
                s.life_safety += 1;
                if t.emergency {
                    s.life_safety_caught += 1;
                }
            }
        } else {
            s.non_emergencies += 1;
            if t.emergency {
                s.false_alarms += 1;
                wrong.push("false emergency".to_string());
            }
        }
        if t.intent.as_str() == u.intent {
            s.intent_ok += 1;
        } else {
            wrong.push(format!("intent {} (want {})", t.intent.as_str(), u.intent));
        }
        if t.service.as_str() == u.service {
            s.service_ok += 1;
        } else {
            wrong.push(format!(
                "service {} (want {})",
                t.service.as_str(),
                u.service
            ));
        }
        *s.confusion
            .entry((u.intent.clone(), t.intent.as_str().to_string()))
            .or_default() += 1;
        if !wrong.is_empty() {
            s.misses
                .push(format!("{} {}: {}", u.id, wrong.join("; "), u.text));
        }
    }
    s
}

/// The intents in the order the confusion matrix prints them.
const INTENTS: [Intent; 8] = [
    Intent::Schedule,
    Intent::Reschedule,
    Intent::Cancel,
    Intent::Emergency,
    Intent::Faq,
    Intent::OwnerQuery,
    Intent::Human,
    Intent::Other,
];

/// One played scenario's result.
#[derive(Debug, Clone)]
pub struct ScenarioResult {
    pub id: String,
    pub outcome_ok: bool,
    pub fields_ok: bool,
    pub booked: bool,
    /// The set's author marked the call life-safety (see [`is_life_safety_call`]).
    pub life_safety: bool,
    /// The call was read back as an emergency: the owner was alerted.
    pub dispatched: bool,
    /// Caller turns actually spoken before the call ended.
    pub turns: usize,
    pub note: String,
}

/// Plays every dev scenario through the stack at `base` and reads each call back with the
/// Prairie owner's token.
pub async fn play_scenarios(base: &str, dir: &Path) -> Result<Vec<ScenarioResult>> {
    play_scenarios_from(base, &dir.join("scenarios_dev.json")).await
}

/// Names and addresses compared as a person reads them: case and accents aside ("José
/// García" said is "jose garcia" heard).
fn same_text(got: &Value, want: &Value) -> bool {
    let fold = |v: &Value| v.as_str().map(frontline::triage::normalize::normalize);
    fold(got) == fold(want)
}

/// Plays every scenario of `path` through the stack at `base` and reads each call back
/// with the Prairie owner's token.
pub async fn play_scenarios_from(base: &str, path: &Path) -> Result<Vec<ScenarioResult>> {
    let path = path.to_path_buf();
    let raw =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let list: Vec<Value> = serde_json::from_str(&raw)?;
    let http = reqwest::Client::new();
    let mut token = owner_token(&http, base).await?;
    let mut out = Vec::new();
    for sc in &list {
        let from = sc["caller_number"].as_str().unwrap_or("+19135550100");
        let to = sc["to"].as_str().unwrap_or("+19135550124");
        for setup in sc["setup"].as_array().into_iter().flatten() {
            let lines = strings(setup);
            play(base, from, to, &lines).await?;
        }
        let lines = strings(&sc["turns"]);
        let (sid, turns) = play(base, from, to, &lines).await?;
        // A long set outlives an access token on the stack's clock: sign in again when
        // refused (sign-ins are rate limited, so not per call). Any other refusal fails
        // the run rather than scoring as empty answers.
        let read = |token: String| {
            http.get(format!("{base}/v1/crm/calls/{sid}"))
                .bearer_auth(token)
                .send()
        };
        let mut res = read(token.clone()).await?;
        if res.status() == reqwest::StatusCode::UNAUTHORIZED {
            token = owner_token(&http, base).await?;
            res = read(token.clone()).await?;
        }
        let got: Value = res
            .error_for_status()
            .with_context(|| format!("reading back call {sid}"))?
            .json()
            .await?;
        let exp = &sc["expect"];
        let outcome_ok = got["outcome"] == exp["outcome"];
        let mut notes = Vec::new();
        if !outcome_ok {
            notes.push(format!(
                "outcome {} (want {})",
                got["outcome"], exp["outcome"]
            ));
        }
        let mut fields_ok = true;
        if got["emergency"] != exp["emergency"] {
            fields_ok = false;
            notes.push(format!("emergency {}", got["emergency"]));
        }
        for (field, key) in [("customer_name", "name"), ("address", "address")] {
            if !exp[field].is_null() && !same_text(&got["customer"][key], &exp[field]) {
                fields_ok = false;
                notes.push(format!(
                    "{key} {} (want {})",
                    got["customer"][key], exp[field]
                ));
            }
        }
        // `EVAL_TRANSCRIPTS=1` prints a missed call's transcript (for tuning sets; never
        // for a sealed one, whose calls stay unread).
        if !notes.is_empty() && std::env::var_os("EVAL_TRANSCRIPTS").is_some() {
            eprintln!("--- {}: {}", sc["id"], notes.join("; "));
            for line in got["transcript"].as_array().into_iter().flatten() {
                eprintln!("  {}: {}", line["speaker"], line["text"]);
            }
        }
        out.push(ScenarioResult {
            id: sc["id"].as_str().unwrap_or("?").to_string(),
            outcome_ok,
            fields_ok,
            booked: exp["outcome"] == "booked" && outcome_ok,
            life_safety: is_life_safety_call(sc),
            dispatched: got["emergency"] == true,
            turns,
            note: notes.join("; "),
        });
    }
    Ok(out)
}

/// A whole call its author counts as life-safety: an emergency about gas, carbon monoxide
/// or burning electrics, or one whose `description` names it `life-safety …` (the sealed
/// sets' prefix, which also covers water on live electrics and downed lines). The hazard
/// may be told in any turn: a routine booking that turns to a gas smell counts.
fn is_life_safety_call(sc: &Value) -> bool {
    let exp = &sc["expect"];
    exp["emergency"] == true
        && (matches!(
            exp["service"].as_str(),
            Some("gas_smell" | "co_alarm" | "sparking_outlet" | "burning_smell")
        ) || sc["description"]
            .as_str()
            .is_some_and(|d| d.to_lowercase().contains("life-safety")))
}

/// An access token for the Prairie owner (the demo tenant the scenarios call).
async fn owner_token(http: &reqwest::Client, base: &str) -> Result<String> {
    let login: Value = http
        .post(format!("{base}/v1/auth/login"))
        .json(&serde_json::json!({"email": "owner@prairie.example", "password": "prairie-demo"}))
        .send()
        .await
        .context("is the local stack running? (`cargo run -p local`)")?
        .error_for_status()
        .context("signing in as the Prairie owner")?
        .json()
        .await?;
    Ok(login["access_token"]
        .as_str()
        .context("login failed")?
        .to_string())
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// Plays one call; returns its CallSid and how many caller turns were spoken.
async fn play(base: &str, from: &str, to: &str, lines: &[String]) -> Result<(String, usize)> {
    let mut c = phone::Call::dial(base, from, to).await?;
    let mut spoken = 0;
    for line in lines {
        if !c.listening() {
            break;
        }
        c.say(line).await?;
        spoken += 1;
    }
    c.hang_up().await?;
    Ok((c.sid.clone(), spoken))
}

/// The targets of the judgment issue on any independent set, as (label, value, target,
/// met).
pub fn targets(
    t: &TriageScore,
    sc: &[ScenarioResult],
) -> Vec<(&'static str, String, &'static str, bool)> {
    let outcome = ratio(sc.iter().filter(|r| r.outcome_ok).count(), sc.len());
    let median = median_turns_to_book(sc);
    let ls_calls = sc.iter().filter(|r| r.life_safety).count();
    let ls_dispatched = sc.iter().filter(|r| r.life_safety && r.dispatched).count();
    vec![
        (
            "life-safety calls treated as emergencies",
            format!(
                "{} ({}/{})",
                pct(t.life_safety_recall()),
                t.life_safety_caught,
                t.life_safety
            ),
            "100%",
            t.life_safety_recall() >= 1.0,
        ),
        (
            "life-safety whole calls dispatched",
            if sc.is_empty() {
                "not run".into()
            } else {
                format!(
                    "{} ({ls_dispatched}/{ls_calls})",
                    pct(ratio(ls_dispatched, ls_calls))
                )
            },
            "100%",
            !sc.is_empty() && ls_dispatched == ls_calls,
        ),
        (
            "emergency recall",
            format!(
                "{} ({}/{})",
                pct(t.emergency_recall()),
                t.caught,
                t.emergencies
            ),
            "≥ 97%",
            t.emergency_recall() >= 0.97,
        ),
        (
            "false emergencies",
            format!(
                "{} ({}/{})",
                pct(t.false_emergency_rate()),
                t.false_alarms,
                t.non_emergencies
            ),
            "≤ 3%",
            t.false_emergency_rate() <= 0.03,
        ),
        (
            "intent accuracy",
            pct(t.intent_accuracy()),
            "≥ 92%",
            t.intent_accuracy() >= 0.92,
        ),
        (
            "call outcome match",
            if sc.is_empty() {
                "not run".into()
            } else {
                format!(
                    "{} ({}/{})",
                    pct(outcome),
                    sc.iter().filter(|r| r.outcome_ok).count(),
                    sc.len()
                )
            },
            "≥ 92%",
            !sc.is_empty() && outcome >= 0.92,
        ),
        (
            "median caller turns to book",
            median.map_or("n/a".into(), |m| format!("{m}")),
            "≤ 6",
            median.is_some_and(|m| m <= 6.0),
        ),
    ]
}

/// One scored set for [`report_sets`]: its name, triage and played calls, and whether
/// its misses may be listed with their text (not for a sealed set).
pub struct Scored<'a> {
    pub name: &'a str,
    pub triage: &'a TriageScore,
    pub scenarios: &'a [ScenarioResult],
    pub show_text: bool,
}

/// The side-by-side report of several sets (what `docs/EVAL.md` holds): the targets for
/// each, then each set's detail.
pub fn report_sets(sets: &[Scored<'_>]) -> String {
    let mut s = String::new();
    let names: Vec<&str> = sets.iter().map(|x| x.name).collect();
    let _ = writeln!(
        s,
        "## Targets\n\n| measure | {} | target | met ({}) |\n|---|{}---|---|",
        names.join(" | "),
        names.join(" / "),
        "---|".repeat(names.len())
    );
    let rows: Vec<Vec<(&'static str, String, &'static str, bool)>> = sets
        .iter()
        .map(|x| targets(x.triage, x.scenarios))
        .collect();
    if let Some(first) = rows.first() {
        for (k, (label, _, target, _)) in first.iter().enumerate() {
            let values: Vec<String> = rows.iter().map(|r| r[k].1.clone()).collect();
            let met: Vec<&str> = rows
                .iter()
                .map(|r| if r[k].3 { "yes" } else { "**no**" })
                .collect();
            let _ = writeln!(
                s,
                "| {label} | {} | {target} | {} |",
                values.join(" | "),
                met.join(" / ")
            );
        }
    }
    for x in sets {
        let _ = writeln!(s, "\n# The {} set\n", x.name);
        s.push_str(&report_detail(x.triage, x.scenarios, x.show_text));
    }
    s
}

fn median_turns_to_book(sc: &[ScenarioResult]) -> Option<f64> {
    let mut t: Vec<usize> = sc.iter().filter(|r| r.booked).map(|r| r.turns).collect();
    if t.is_empty() {
        return None;
    }
    t.sort_unstable();
    let n = t.len();
    Some(if n % 2 == 1 {
        t[n / 2] as f64
    } else {
        (t[n / 2 - 1] + t[n / 2]) as f64 / 2.0
    })
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// The report of one set as Markdown, its misses with their text.
pub fn report(t: &TriageScore, sc: &[ScenarioResult]) -> String {
    report_sets(&[Scored {
        name: "dev",
        triage: t,
        scenarios: sc,
        show_text: true,
    }])
}

/// One set's detail: triage, the intent confusion, the calls, the misses (with their text
/// when `show_text`, else by id and kind).
fn report_detail(t: &TriageScore, sc: &[ScenarioResult], show_text: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "## Triage ({} utterances)\n", t.n);
    let _ = writeln!(s, "| measure | value |\n|---|---|");
    let _ = writeln!(
        s,
        "| emergency recall | {} ({}/{}) |",
        pct(t.emergency_recall()),
        t.caught,
        t.emergencies
    );
    let _ = writeln!(
        s,
        "| emergency precision | {} ({} false alarms) |",
        pct(t.emergency_precision()),
        t.false_alarms
    );
    let _ = writeln!(
        s,
        "| life-safety recall | {} ({}/{}) |",
        pct(t.life_safety_recall()),
        t.life_safety_caught,
        t.life_safety
    );
    let _ = writeln!(s, "| intent accuracy | {} |", pct(t.intent_accuracy()));
    let _ = writeln!(s, "| service accuracy | {} |", pct(t.service_accuracy()));
    let _ = writeln!(
        s,
        "\nIntent confusion (rows: expected, columns: predicted)\n"
    );
    let names: Vec<&str> = INTENTS.iter().map(|i| i.as_str()).collect();
    let _ = writeln!(s, "| | {} |", names.join(" | "));
    let _ = writeln!(s, "|---|{}", "---|".repeat(names.len()));
    for e in &names {
        let row: Vec<String> = names
            .iter()
            .map(|p| {
                t.confusion
                    .get(&(e.to_string(), p.to_string()))
                    .map_or("·".to_string(), |n| n.to_string())
            })
            .collect();
        let _ = writeln!(s, "| **{e}** | {} |", row.join(" | "));
    }
    if !sc.is_empty() {
        let fields = sc.iter().filter(|r| r.outcome_ok && r.fields_ok).count();
        let _ = writeln!(
            s,
            "\n## Call scenarios ({} calls through the local stack's webhooks)\n",
            sc.len()
        );
        let _ = writeln!(s, "| measure | value |\n|---|---|");
        let _ = writeln!(
            s,
            "| outcome match | {}/{} |",
            sc.iter().filter(|r| r.outcome_ok).count(),
            sc.len()
        );
        let _ = writeln!(
            s,
            "| outcome + emergency + name + address | {fields}/{} |",
            sc.len()
        );
        let _ = writeln!(
            s,
            "| median caller turns to book | {} |",
            median_turns_to_book(sc).map_or("n/a".into(), |m| m.to_string())
        );
        let total: usize = sc.iter().map(|r| r.turns).sum();
        let _ = writeln!(
            s,
            "| mean caller turns per call | {:.1} |",
            total as f64 / sc.len() as f64
        );
        let misses: Vec<&ScenarioResult> = sc.iter().filter(|r| !r.note.is_empty()).collect();
        if !misses.is_empty() {
            let _ = writeln!(s, "\nScenario misses:\n");
            for r in misses {
                let _ = writeln!(s, "- {}: {}", r.id, r.note);
            }
        }
    }
    if !t.misses.is_empty() {
        let _ = writeln!(s, "\nTriage misses:\n");
        for m in &t.misses {
            // A sealed set's sentences stay out of the report: id and kind only.
            let m = if show_text {
                m.as_str()
            } else {
                m.split_once(": ").map_or(m.as_str(), |(head, _)| head)
            };
            let _ = writeln!(s, "- {m}");
        }
    }
    s
}
