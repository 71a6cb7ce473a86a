//! Twilio webhook bodies: `application/x-www-form-urlencoded` key/value pairs.

use std::collections::HashMap;

/// The parameters of one webhook request, in arrival order (signatures need all of them).
#[derive(Debug, Clone, Default)]
pub struct WebhookForm {
    pub pairs: Vec<(String, String)>,
    map: HashMap<String, String>,
}

/// Longest speech we keep from one turn; longer input is cut (caller speech is untrusted).
pub const MAX_SPEECH_CHARS: usize = 1_000;

/// A webhook body that is not a usable form.
#[derive(Debug, thiserror::Error)]
pub enum FormError {
    #[error("form body is not url-encoded: {0}")]
    NotUrlEncoded(#[source] serde_urlencoded::de::Error),
    /// A required field is absent or empty.
    #[error("missing form field `{0}`")]
    Missing(String),
}

impl WebhookForm {
    /// Parses a form body. Invalid percent-encoding is an error naming the problem.
    pub fn parse(body: &[u8]) -> Result<Self, FormError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(body).map_err(FormError::NotUrlEncoded)?;
        let map = pairs.iter().cloned().collect();
        Ok(Self { pairs, map })
    }

    /// Builds a form from pairs (used by the local `call` command and tests).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let map = pairs.iter().cloned().collect();
        Self { pairs, map }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.map.get(key).map(String::as_str)
    }

    /// `CallSid`, `From`, `To`: required on every voice webhook.
    pub fn require(&self, key: &str) -> Result<&str, FormError> {
        self.get(key)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| FormError::Missing(key.to_string()))
    }

    /// `SpeechResult`, trimmed and bounded to [`MAX_SPEECH_CHARS`].
    pub fn speech(&self) -> Option<String> {
        let s = self.get("SpeechResult")?.trim();
        if s.is_empty() {
            return None;
        }
        Some(s.chars().take(MAX_SPEECH_CHARS).collect())
    }

    /// `Digits` the caller pressed on the keypad (`<Gather input="speech dtmf">`), when
    /// they are digits, `*` or `#` (Twilio's `<Gather>` documentation: "Digits").
    pub fn digits(&self) -> Option<String> {
        let d = self.get("Digits")?.trim();
        (!d.is_empty()
            && d.len() <= 16
            && d.chars()
                .all(|c| c.is_ascii_digit() || c == '*' || c == '#'))
        .then(|| d.to_string())
    }

    /// `Confidence` of the speech result, 0..1 (absent means unknown: treated as 1).
    pub fn confidence(&self) -> f32 {
        self.get("Confidence")
            .and_then(|c| c.parse().ok())
            .unwrap_or(1.0)
    }

    /// Encodes back to a body (for signing in the local runner and tests).
    pub fn encode(&self) -> String {
        serde_urlencoded::to_string(&self.pairs).unwrap_or_default()
    }
}
