//! Optional LLM assist for extraction: name, address, time and problem from one caller
//! turn, and a second opinion on whether it is an emergency.
//!
//! Used only when `LLM_BASE_URL` is set. The client speaks the OpenAI-compatible Chat
//! Completions API (`POST {base}/chat/completions`, <https://platform.openai.com/docs/api-reference/chat/create>)
//! with a strict JSON schema (`response_format: {type: "json_schema", strict: true}`), a
//! hard timeout ([`TIMEOUT`]) and no retries: the call path cannot wait. Any failure
//! (timeout, HTTP error, a reply off the schema) yields an error the caller treats as
//! "no hints", so the deterministic extraction in `dialogue` always stands on its own.
//! The dialogue lets a hint raise an emergency but never lower one.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Longest wait for a completion before the turn goes on without it.
pub const TIMEOUT: Duration = Duration::from_millis(1500);

/// Longest hint kept per field (characters); longer values are cut.
const MAX_FIELD_CHARS: usize = 200;

/// What the model found in one turn; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    /// The caller's name as they gave it ("Maria Lopez").
    pub name: Option<String>,
    /// A street address in one line ("5412 W 61st St, Mission KS").
    pub address: Option<String>,
    /// The caller's time wish in plain words ("tuesday morning", "after 5").
    pub time: Option<String>,
    /// The problem in a few words ("kitchen sink leaking under the cabinet").
    pub problem: Option<String>,
    /// The model thinks this needs someone now (water, gas, fire, no heat in danger).
    pub emergency: bool,
}

/// Why no hints came back.
#[derive(Debug, thiserror::Error)]
pub enum AssistError {
    #[error("assist timed out after {0:?}")]
    Timeout(Duration),
    #[error("assist request failed: {0}")]
    Transport(String),
    #[error("assist answered HTTP {0}")]
    Status(u16),
    #[error("assist reply is not the expected JSON: {0}")]
    Shape(String),
}

/// `{"api_key"}` in Secrets Manager (`LLM_SECRET_ID`).
#[derive(Debug, Clone, Deserialize)]
pub struct AssistCredentials {
    pub api_key: String,
}

/// A Chat Completions client bound to one base URL and model.
#[derive(Debug, Clone)]
pub struct AssistClient {
    http: reqwest::Client,
    base_url: String,
    model: String,
    timeout: Duration,
}

const SYSTEM_PROMPT: &str = "You extract facts from one turn of a phone call to a plumbing, \
heating or electrical business. Reply only with the JSON object the schema describes. Use \
null for anything the caller did not say; never guess. name: the caller's own name. address: \
the service address on one line, with the house number in digits. time: the caller's wish for \
when, in their words. problem: the problem in at most ten words. emergency: true only when \
something is happening now that needs a technician today to prevent danger or damage (water \
flowing, gas smell, sparks or burning, sewage coming up, no heat in freezing weather with \
vulnerable people).";

fn schema() -> serde_json::Value {
    let text = serde_json::json!({"type": ["string", "null"]});
    serde_json::json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["name", "address", "time", "problem", "emergency"],
        "properties": {
            "name": text,
            "address": text,
            "time": text,
            "problem": text,
            "emergency": {"type": "boolean"}
        }
    })
}

impl AssistClient {
    /// `base_url` is the API root (e.g. `https://api.openai.com/v1`), `model` its model name.
    pub fn new(base_url: &str, model: &str) -> Self {
        Self::with_timeout(base_url, model, TIMEOUT)
    }

    pub fn with_timeout(base_url: &str, model: &str, timeout: Duration) -> Self {
        Self {
            http: reqwest::Client::builder()
                .timeout(timeout)
                .connect_timeout(timeout)
                .build()
                .expect("reqwest client builds"),
            base_url: base_url.trim_end_matches('/').to_string(),
            model: model.to_string(),
            timeout,
        }
    }

    /// The request body for one caller turn; `asked` is what the receptionist just asked
    /// (helps the model tell a name from a street).
    pub fn request_body(&self, utterance: &str, asked: &str) -> serde_json::Value {
        serde_json::json!({
            "model": self.model,
            "temperature": 0,
            "max_tokens": 200,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": format!("Receptionist asked: {asked}\nCaller said: {utterance}")}
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "caller_turn", "strict": true, "schema": schema()}
            }
        })
    }

    /// Asks the model about one turn. Errors are for logging; the turn goes on without hints.
    pub async fn extract(
        &self,
        api_key: &str,
        utterance: &str,
        asked: &str,
    ) -> Result<Extraction, AssistError> {
        let res = self
            .http
            .post(format!("{}/chat/completions", self.base_url))
            .bearer_auth(api_key)
            .json(&self.request_body(utterance, asked))
            .send()
            .await
            .map_err(|e| self.transport(e))?;
        let status = res.status();
        if !status.is_success() {
            return Err(AssistError::Status(status.as_u16()));
        }
        let body: serde_json::Value = res.json().await.map_err(|e| self.transport(e))?;
        parse_completion(&body)
    }

    fn transport(&self, e: reqwest::Error) -> AssistError {
        if e.is_timeout() {
            AssistError::Timeout(self.timeout)
        } else {
            // The error's Display can carry the URL, never the key or the caller's words.
            AssistError::Transport(e.without_url().to_string())
        }
    }
}

/// Reads `choices[0].message.content` as an [`Extraction`], trimming and bounding fields.
pub fn parse_completion(body: &serde_json::Value) -> Result<Extraction, AssistError> {
    let content = body["choices"][0]["message"]["content"]
        .as_str()
        .ok_or_else(|| AssistError::Shape("no choices[0].message.content".into()))?;
    let mut x: Extraction =
        serde_json::from_str(content).map_err(|e| AssistError::Shape(e.to_string()))?;
    for f in [&mut x.name, &mut x.address, &mut x.time, &mut x.problem] {
        *f = f
            .take()
            .map(|v| {
                v.chars()
                    .filter(|c| !c.is_control())
                    .take(MAX_FIELD_CHARS)
                    .collect::<String>()
                    .trim()
                    .to_string()
            })
            .filter(|v| !v.is_empty());
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wiremock::matchers::{body_partial_json, header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn completion(content: serde_json::Value) -> serde_json::Value {
        serde_json::json!({
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "choices": [{"index": 0, "finish_reason": "stop",
                "message": {"role": "assistant", "content": content.to_string()}}]
        })
    }

    #[tokio::test]
    async fn sends_a_strict_schema_request_and_reads_the_facts() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .and(header("authorization", "Bearer sk-test"))
            .and(body_partial_json(serde_json::json!({
                "model": "small-model",
                "temperature": 0,
                "response_format": {"type": "json_schema", "json_schema": {"strict": true, "schema": {"additionalProperties": false}}}
            })))
            .respond_with(ResponseTemplate::new(200).set_body_json(completion(serde_json::json!({
                "name": "  Dana Whitfield ", "address": "5412 W 61st St, Mission KS",
                "time": null, "problem": "water heater leaking", "emergency": false
            }))))
            .expect(1)
            .mount(&server)
            .await;
        let c = AssistClient::new(&format!("{}/v1/", server.uri()), "small-model");
        let x = c
            .extract(
                "sk-test",
                "this is dana whitfield at 5412 west 61st",
                "Your name?",
            )
            .await
            .unwrap();
        assert_eq!(x.name.as_deref(), Some("Dana Whitfield"));
        assert_eq!(x.address.as_deref(), Some("5412 W 61st St, Mission KS"));
        assert_eq!(x.time, None);
        assert!(!x.emergency);
        let req = &server.received_requests().await.unwrap()[0];
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(
            body["response_format"]["json_schema"]["schema"]["required"],
            serde_json::json!(["name", "address", "time", "problem", "emergency"])
        );
        assert!(body["messages"][1]["content"]
            .as_str()
            .unwrap()
            .contains("5412 west 61st"));
    }

    #[tokio::test]
    async fn a_slow_model_times_out_instead_of_holding_the_call() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(completion(serde_json::json!({})))
                    .set_delay(Duration::from_secs(3)),
            )
            .mount(&server)
            .await;
        let c = AssistClient::with_timeout(&server.uri(), "m", Duration::from_millis(200));
        let err = c.extract("k", "hello", "?").await.unwrap_err();
        assert!(matches!(err, AssistError::Timeout(_)), "{err:?}");
    }

    #[tokio::test]
    async fn errors_and_off_schema_replies_are_errors_not_facts() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/rate/chat/completions"))
            .respond_with(ResponseTemplate::new(429))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/prose/chat/completions"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "choices": [{"message": {"role": "assistant", "content": "Sure! The caller is Bob."}}]
            })))
            .mount(&server)
            .await;
        let rate = AssistClient::new(&format!("{}/rate", server.uri()), "m");
        assert!(matches!(
            rate.extract("k", "x", "?").await,
            Err(AssistError::Status(429))
        ));
        let prose = AssistClient::new(&format!("{}/prose", server.uri()), "m");
        assert!(matches!(
            prose.extract("k", "x", "?").await,
            Err(AssistError::Shape(_))
        ));
    }

    #[test]
    fn fields_are_bounded_and_stripped_of_control_characters() {
        let long = "a".repeat(500);
        let x = parse_completion(&completion(serde_json::json!({
            "name": "Bo\u{7}b", "address": long, "time": "", "problem": null, "emergency": true
        })))
        .unwrap();
        assert_eq!(x.name.as_deref(), Some("Bob"));
        assert_eq!(x.address.unwrap().len(), MAX_FIELD_CHARS);
        assert_eq!(x.time, None);
        assert!(x.emergency);
    }
}
