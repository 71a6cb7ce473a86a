//! `local train-triage`: trains the triage model (`frontline::triage::model`) on the corpus
//! in `shared/triage-train/` and writes `shared/src/triage/model.bin`; `--check` only
//! verifies that the embedded model is what the corpus trains (CI runs it), and `--cross`
//! reports how a model trained on two of the corpus's parts scores on the third, whose
//! author the other two never saw (an honest estimate of how it generalises).
//!
//! Multinomial logistic regression with two heads (intent, service type), trained by
//! AdaGrad with L2 for a fixed number of epochs in a fixed, seeded order: the same corpus
//! always gives the same bytes.

use anyhow::{bail, Context, Result};
use frontline::triage::features::extract;
use frontline::triage::model::Model;
use frontline::triage::{self, Intent, ServiceType};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One labelled training utterance.
#[derive(Debug, Clone, Deserialize)]
pub struct Example {
    pub text: String,
    pub intent: String,
    pub service: String,
    #[serde(skip)]
    pub part: String,
}

/// The corpus folder: `shared/triage-train/` in the repository.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/triage-train")
}

/// The embedded model's path.
pub fn model_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/src/triage/model.bin")
}

/// Every `corpus.jsonl` under `dir` (the top one is part `base`; a sub-folder's is named
/// after it), in a fixed order.
pub fn load(dir: &Path) -> Result<Vec<Example>> {
    let mut files = vec![("base".to_string(), dir.join("corpus.jsonl"))];
    let mut subs: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("corpus.jsonl").exists())
        .collect();
    subs.sort();
    for s in subs {
        let name = s
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        files.push((name, s.join("corpus.jsonl")));
    }
    let mut out = Vec::new();
    for (part, f) in files {
        let raw =
            std::fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?;
        for (i, line) in raw
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let mut e: Example = serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not an example", f.display(), i + 1))?;
            if Intent::parse(&e.intent).is_none() || ServiceType::parse(&e.service).is_none() {
                bail!("{}:{}: unknown intent or service", f.display(), i + 1);
            }
            e.part = part.clone();
            out.push(e);
        }
    }
    Ok(out)
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub epochs: usize,
    pub rate: f32,
    pub l2: f32,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            epochs: 14,
            rate: 0.4,
            l2: 2e-5,
            seed: 0x5eed_f00d,
        }
    }
}

struct Row {
    features: Vec<u32>,
    intent: usize,
    service: usize,
}

fn rows(examples: &[Example]) -> Vec<Row> {
    examples
        .iter()
        .map(|e| {
            let r = triage::read(&e.text, &[]);
            let tokens: Vec<&str> = r.normalized.split_whitespace().collect();
            Row {
                features: extract(&tokens, &r.rule_features()),
                intent: Intent::ALL
                    .iter()
                    .position(|i| i.as_str() == e.intent)
                    .unwrap_or(7),
                service: ServiceType::ALL
                    .iter()
                    .position(|s| s.as_str() == e.service)
                    .unwrap_or(26),
            }
        })
        .collect()
}

fn softmax(v: &mut [f32]) {
    let max = v.iter().copied().fold(f32::MIN, f32::max);
    let mut sum = 0.0;
    for x in v.iter_mut() {
        *x = (*x - max).exp();
        sum += *x;
    }
    for x in v.iter_mut() {
        *x /= sum;
    }
}

/// xorshift64*: a small seeded generator for the example order.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Trains a model on `examples`.
pub fn train(examples: &[Example], s: Settings) -> Model {
    let data = rows(examples);
    let ni = Intent::ALL.len();
    let ns = ServiceType::ALL.len();
    let k = ni + ns;
    let mut keys: Vec<u32> = data
        .iter()
        .flat_map(|r| r.features.iter().copied())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let index = |f: u32| keys.binary_search(&f).unwrap_or(0);
    let mut w = vec![0f32; keys.len() * k];
    let mut g2 = vec![1e-6f32; keys.len() * k];
    let mut bias = vec![0f32; k];
    let mut bias_g2 = vec![1e-6f32; k];
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = Rng(s.seed);
    let mut logits = vec![0f32; k];
    let mut grad = vec![0f32; k];
    for _ in 0..s.epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &n in &order {
            let row = &data[n];
            let value = 1.0 / (row.features.len().max(1) as f32).sqrt();
            let idx: Vec<usize> = row.features.iter().map(|f| index(*f)).collect();
            logits.copy_from_slice(&bias);
            for &f in &idx {
                for (l, wc) in logits.iter_mut().zip(&w[f * k..(f + 1) * k]) {
                    *l += wc * value;
                }
            }
            softmax(&mut logits[..ni]);
            softmax(&mut logits[ni..]);
            for (c, (g, l)) in grad.iter_mut().zip(&logits).enumerate() {
                let target = if c < ni {
                    (c == row.intent) as u8 as f32
                } else {
                    (c - ni == row.service) as u8 as f32
                };
                *g = l - target;
            }
            for ((b, bg), g) in bias.iter_mut().zip(bias_g2.iter_mut()).zip(&grad) {
                *bg += g * g;
                *b -= s.rate * g / bg.sqrt();
            }
            for &f in &idx {
                let rows = w[f * k..(f + 1) * k]
                    .iter_mut()
                    .zip(g2[f * k..(f + 1) * k].iter_mut());
                for ((wc, gc), gr) in rows.zip(&grad) {
                    let g = gr * value + s.l2 * *wc;
                    *gc += g * g;
                    *wc -= s.rate * g / gc.sqrt();
                }
            }
        }
    }
    quantize(keys, w, bias, ni, ns)
}

/// Per-class scales so the largest weight is ±127; features whose every weight rounds to
/// zero are dropped.
fn quantize(keys: Vec<u32>, w: Vec<f32>, bias: Vec<f32>, ni: usize, ns: usize) -> Model {
    let k = ni + ns;
    let scale: Vec<f32> = (0..k)
        .map(|c| {
            let m = (0..keys.len())
                .map(|f| w[f * k + c].abs())
                .fold(0f32, f32::max);
            if m > 0.0 {
                m / 127.0
            } else {
                1.0
            }
        })
        .collect();
    let mut out_keys = Vec::new();
    let mut out_w = Vec::new();
    for (f, key) in keys.iter().enumerate() {
        let q: Vec<i8> = (0..k)
            .map(|c| (w[f * k + c] / scale[c]).round().clamp(-127.0, 127.0) as i8)
            .collect();
        if q.iter().any(|x| *x != 0) {
            out_keys.push(*key);
            out_w.extend(q);
        }
    }
    Model {
        intents: ni,
        services: ns,
        bias,
        scale,
        keys: out_keys,
        weights: out_w,
    }
}

/// Scores of a model on labelled examples (through the whole of `triage::classify_with`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Score {
    pub n: usize,
    pub intent_ok: usize,
    pub emergencies: usize,
    pub caught: usize,
    pub non_emergencies: usize,
    pub false_alarms: usize,
    pub service_ok: usize,
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
        write!(
            f,
            "n {:>5}  intent {:5.1}%  emergency recall {:5.1}% ({}/{})  false emergencies {:4.1}% ({}/{})  service {:5.1}%",
            self.n,
            pct(self.intent_ok, self.n),
            pct(self.caught, self.emergencies),
            self.caught,
            self.emergencies,
            pct(self.false_alarms, self.non_emergencies),
            self.false_alarms,
            self.non_emergencies,
            pct(self.service_ok, self.n)
        )
    }
}

/// Scores `model` on `examples`.
pub fn score(model: &Model, examples: &[Example]) -> Score {
    score_tuned(model, examples, triage::Tuning::default())
}

/// Scores `model` on `examples` with other thresholds.
pub fn score_tuned(model: &Model, examples: &[Example], tuning: triage::Tuning) -> Score {
    let mut s = Score::default();
    for e in examples {
        let t = triage::classify_tuned(&e.text, &[], model, tuning);
        s.n += 1;
        s.intent_ok += (t.intent.as_str() == e.intent) as usize;
        s.service_ok += (t.service.as_str() == e.service) as usize;
        if e.intent == "emergency" {
            s.emergencies += 1;
            s.caught += t.emergency as usize;
        } else {
            s.non_emergencies += 1;
            s.false_alarms += t.emergency as usize;
        }
    }
    s
}

/// Writes each example `model` gets wrong (emergency or intent), with the triage's
/// reasons, one per line (`TRAIN_ERRORS=/tmp/errors` with `--cross`).
fn write_errors(model: &Model, examples: &[Example], path: &str) -> Result<()> {
    let mut out = String::new();
    for e in examples {
        let t = triage::classify_with(&e.text, &[], model);
        let want_e = e.intent == "emergency";
        let kind = match (want_e, t.emergency) {
            (true, false) => "MISSED",
            (false, true) => "FALSE",
            _ if t.intent.as_str() != e.intent => "INTENT",
            _ => continue,
        };
        let reasons: Vec<String> = t
            .reasons
            .iter()
            .map(|r| format!("{}[{}]", r.code, r.evidence))
            .collect();
        out.push_str(&format!(
            "{kind}\t{}->{}\tp={:.2}\t{}\t{}\n",
            e.intent,
            t.intent.as_str(),
            t.emergency_p,
            e.text,
            reasons.join(" ")
        ));
    }
    std::fs::write(path, out)?;
    Ok(())
}

/// `local train-triage [--check | --cross]`.
pub fn run(args: &[String]) -> Result<()> {
    let examples = load(&corpus_dir())?;
    let settings = Settings::default();
    let mut parts: Vec<String> = examples.iter().map(|e| e.part.clone()).collect();
    parts.dedup();
    eprintln!(
        "{} training utterances in {} parts ({})",
        examples.len(),
        parts.len(),
        parts.join(", ")
    );
    match args.first().map(String::as_str) {
        Some("--cross") => {
            println!(
                "Each part scored by a model trained on the other parts (authors it never saw):"
            );
            let mut total = Score::default();
            let sweep = [0.6f32, 0.7, 0.8, 0.9];
            let mut swept = vec![Score::default(); sweep.len()];
            for p in &parts {
                let (test, train_set): (Vec<Example>, Vec<Example>) =
                    examples.iter().cloned().partition(|e| &e.part == p);
                let m = train(&train_set, settings);
                let s = score(&m, &test);
                for (k, th) in sweep.iter().enumerate() {
                    let t = triage::Tuning {
                        model_emergency: *th,
                        model_ask: th.min(triage::MODEL_ASK),
                        ..triage::Tuning::default()
                    };
                    let x = score_tuned(&m, &test, t);
                    let a = &mut swept[k];
                    a.n += x.n;
                    a.intent_ok += x.intent_ok;
                    a.emergencies += x.emergencies;
                    a.caught += x.caught;
                    a.non_emergencies += x.non_emergencies;
                    a.false_alarms += x.false_alarms;
                    a.service_ok += x.service_ok;
                }
                if let Ok(path) = std::env::var("TRAIN_ERRORS") {
                    write_errors(&m, &test, &format!("{path}.{p}"))?;
                }
                println!("  {p:<8} {s}");
                total.n += s.n;
                total.intent_ok += s.intent_ok;
                total.emergencies += s.emergencies;
                total.caught += s.caught;
                total.non_emergencies += s.non_emergencies;
                total.false_alarms += s.false_alarms;
                total.service_ok += s.service_ok;
            }
            println!("  {:<8} {total}", "all");
            println!("The model-alone emergency threshold swept (all parts):");
            for (th, s) in sweep.iter().zip(&swept) {
                println!("  {th:<8} {s}");
            }
            let rules = Model::from_bytes(&Model::empty_bytes()).context("an empty model")?;
            println!("Rules alone (no model), on every part:");
            println!("  {:<8} {}", "all", score(&rules, &examples));
            Ok(())
        }
        Some("--check") => {
            let m = train(&examples, settings);
            let embedded = std::fs::read(model_path())?;
            if m.to_bytes() != embedded {
                bail!(
                    "shared/src/triage/model.bin is not what the corpus trains: run `cargo run -p local -- train-triage`"
                );
            }
            println!(
                "model.bin is what the corpus trains ({} features)",
                m.keys.len()
            );
            Ok(())
        }
        None => {
            let m = train(&examples, settings);
            let bytes = m.to_bytes();
            std::fs::write(model_path(), &bytes)?;
            println!(
                "wrote {} ({} features, {} bytes); on its own training corpus: {}",
                model_path().display(),
                m.keys.len(),
                bytes.len(),
                score(&m, &examples)
            );
            Ok(())
        }
        Some(other) => bail!("train-triage takes --check or --cross, not {other}"),
    }
}
