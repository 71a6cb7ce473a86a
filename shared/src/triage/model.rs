//! The triage model: multinomial logistic regression over [`features`](super::features),
//! with two heads (the caller's intent, and the service type). Trained by
//! `cargo run -p local -- train-triage` on the corpus in `shared/triage-train/` (written for
//! training only; never the dev or sealed evaluation sets) and embedded as `model.bin`.
//!
//! `model.bin`, little-endian:
//! `b"FTM1"`, `u32` feature count F, `u16` intent classes I, `u16` service classes S,
//! `f32 × (I+S)` biases, `f32 × (I+S)` weight scales, `u32 × F` feature hashes (sorted),
//! `i8 × F × (I+S)` weights (row per feature). A weight is `i8 × scale` of its class.
//! Each present feature has the value `1/√n` for `n` present features.

use super::{Intent, ServiceType};
use std::sync::LazyLock;

const MAGIC: &[u8; 4] = b"FTM1";

/// The trained weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub intents: usize,
    pub services: usize,
    pub bias: Vec<f32>,
    pub scale: Vec<f32>,
    pub keys: Vec<u32>,
    /// `keys.len() × (intents + services)`.
    pub weights: Vec<i8>,
}

/// The model's reading of one utterance: probabilities per class, in [`Intent::ALL`] and
/// [`ServiceType::ALL`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub intent: Vec<f32>,
    pub service: Vec<f32>,
}

impl Prediction {
    /// The probability that the caller reports an emergency.
    pub fn emergency(&self) -> f32 {
        self.intent_p(Intent::Emergency)
    }

    pub fn intent_p(&self, i: Intent) -> f32 {
        Intent::ALL
            .iter()
            .position(|x| *x == i)
            .and_then(|k| self.intent.get(k))
            .copied()
            .unwrap_or(0.0)
    }

    /// The likeliest intent other than an emergency, and its probability.
    pub fn best_routine_intent(&self) -> (Intent, f32) {
        Intent::ALL
            .iter()
            .zip(&self.intent)
            .filter(|(i, _)| **i != Intent::Emergency)
            .map(|(i, p)| (*i, *p))
            .fold((Intent::Other, -1.0), |b, x| if x.1 > b.1 { x } else { b })
    }

    /// The likeliest service type and its probability.
    pub fn best_service(&self) -> (ServiceType, f32) {
        ServiceType::ALL
            .iter()
            .zip(&self.service)
            .map(|(s, p)| (*s, *p))
            .fold(
                (ServiceType::Other, -1.0),
                |b, x| if x.1 > b.1 { x } else { b },
            )
    }
}

/// Why `model.bin` could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ModelError {
    #[error("model.bin is truncated or has a wrong length")]
    Length,
    #[error("model.bin does not start with FTM1")]
    Magic,
    #[error("model.bin has {0} intent and {1} service classes; the code has 8 and 27")]
    Classes(usize, usize),
}

fn softmax(logits: &mut [f32]) {
    let max = logits.iter().copied().fold(f32::MIN, f32::max);
    let mut sum = 0.0;
    for l in logits.iter_mut() {
        *l = (*l - max).exp();
        sum += *l;
    }
    if sum > 0.0 {
        for l in logits.iter_mut() {
            *l /= sum;
        }
    }
}

impl Model {
    /// Classes of both heads.
    pub fn classes(&self) -> usize {
        self.intents + self.services
    }

    /// Scores sorted, de-duplicated feature hashes.
    pub fn predict(&self, features: &[u32]) -> Prediction {
        let k = self.classes();
        let mut logits = self.bias.clone();
        let value = 1.0 / (features.len().max(1) as f32).sqrt();
        for f in features {
            if let Ok(row) = self.keys.binary_search(f) {
                let w = &self.weights[row * k..(row + 1) * k];
                for (c, wc) in w.iter().enumerate() {
                    logits[c] += *wc as f32 * self.scale[c] * value;
                }
            }
        }
        let (i, s) = logits.split_at_mut(self.intents);
        softmax(i);
        softmax(s);
        Prediction {
            intent: i.to_vec(),
            service: s.to_vec(),
        }
    }

    /// The bytes of a model without features (every decision left to the rules).
    pub fn empty_bytes() -> Vec<u8> {
        let k = Intent::ALL.len() + ServiceType::ALL.len();
        Model {
            intents: Intent::ALL.len(),
            services: ServiceType::ALL.len(),
            bias: vec![0.0; k],
            scale: vec![1.0; k],
            keys: Vec::new(),
            weights: Vec::new(),
        }
        .to_bytes()
    }

    /// The bytes of `model.bin`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.keys.len() * (4 + self.classes()));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.keys.len() as u32).to_le_bytes());
        out.extend_from_slice(&(self.intents as u16).to_le_bytes());
        out.extend_from_slice(&(self.services as u16).to_le_bytes());
        for v in self.bias.iter().chain(&self.scale) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for k in &self.keys {
            out.extend_from_slice(&k.to_le_bytes());
        }
        out.extend(self.weights.iter().map(|w| *w as u8));
        out
    }

    /// Reads `model.bin`.
    pub fn from_bytes(b: &[u8]) -> Result<Model, ModelError> {
        let take = |at: usize, n: usize| b.get(at..at + n).ok_or(ModelError::Length);
        if take(0, 4)? != MAGIC {
            return Err(ModelError::Magic);
        }
        let u32_at = |at: usize| -> Result<u32, ModelError> {
            let s = take(at, 4)?;
            Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        };
        let f32_at = |at: usize| -> Result<f32, ModelError> { Ok(f32::from_bits(u32_at(at)?)) };
        let n = u32_at(4)? as usize;
        let i = u16::from_le_bytes([take(8, 1)?[0], take(9, 1)?[0]]) as usize;
        let s = u16::from_le_bytes([take(10, 1)?[0], take(11, 1)?[0]]) as usize;
        if i != Intent::ALL.len() || s != ServiceType::ALL.len() {
            return Err(ModelError::Classes(i, s));
        }
        let k = i + s;
        let mut at = 12;
        let mut bias = Vec::with_capacity(k);
        let mut scale = Vec::with_capacity(k);
        for _ in 0..k {
            bias.push(f32_at(at)?);
            at += 4;
        }
        for _ in 0..k {
            scale.push(f32_at(at)?);
            at += 4;
        }
        let mut keys = Vec::with_capacity(n);
        for _ in 0..n {
            keys.push(u32_at(at)?);
            at += 4;
        }
        let weights: Vec<i8> = take(at, n * k)?.iter().map(|b| *b as i8).collect();
        if b.len() != at + n * k {
            return Err(ModelError::Length);
        }
        Ok(Model {
            intents: i,
            services: s,
            bias,
            scale,
            keys,
            weights,
        })
    }
}

static MODEL: LazyLock<Model> = LazyLock::new(|| {
    Model::from_bytes(include_bytes!("model.bin"))
        .expect("model.bin is written by `local train-triage` (checked by its unit test)")
});

/// The embedded model, read on first use (call it at init to pay that then).
pub fn model() -> &'static Model {
    &MODEL
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_model_reads_and_predicts_probabilities() {
        let m = Model::from_bytes(include_bytes!("model.bin")).unwrap();
        assert_eq!(m.classes(), 35);
        let p = m.predict(&[1, 2, 3]);
        let total: f32 = p.intent.iter().sum();
        assert!((total - 1.0).abs() < 1e-3);
        let total: f32 = p.service.iter().sum();
        assert!((total - 1.0).abs() < 1e-3);
    }

    #[test]
    fn bytes_round_trip_and_bad_files_are_refused() {
        let m = Model {
            intents: 8,
            services: 27,
            bias: (0..35).map(|i| i as f32).collect(),
            scale: vec![0.5; 35],
            keys: vec![7, 9],
            weights: (0..70).map(|i| (i as i8) - 35).collect(),
        };
        let b = m.to_bytes();
        assert_eq!(Model::from_bytes(&b), Ok(m));
        assert_eq!(
            Model::from_bytes(&b[..b.len() - 1]),
            Err(ModelError::Length)
        );
        assert_eq!(Model::from_bytes(b"NOPE"), Err(ModelError::Magic));
    }
}
