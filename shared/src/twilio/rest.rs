//! Twilio REST client (Messages resource): `POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`
//! with HTTP basic auth (AccountSid:AuthToken) and a form body. The base URL is configurable
//! (`TWILIO_API_BASE`) so the local runner's stand-in and `wiremock` can receive the requests.
//!
//! Twilio's create requests take no idempotency key, so a request that went out without an
//! answer ([`TwilioError::Unconfirmed`]) may have sent the text. [`TwilioClient::find_message`]
//! reads the Messages list so a retry can look before it sends again.

use serde::Deserialize;
use std::time::Duration;

/// Account SID and auth token, read from Secrets Manager.
#[derive(Clone, Deserialize)]
pub struct TwilioCredentials {
    pub account_sid: String,
    pub auth_token: String,
}

impl std::fmt::Debug for TwilioCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwilioCredentials")
            .field("account_sid", &self.account_sid)
            .field("auth_token", &"***")
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TwilioError {
    /// 429, 5xx, or no connection: Twilio created nothing; worth retrying with backoff.
    #[error("twilio transient failure: {0}")]
    Transient(String),
    /// The request went out but no usable answer came back (a timeout, a connection
    /// dropped mid-answer, an unreadable 2xx body): Twilio may have created the resource.
    /// A retry must look first ([`TwilioClient::find_message`]) or it may send twice.
    #[error("twilio did not confirm the request: {0}")]
    Unconfirmed(String),
    /// Any other 4xx: retrying will not help. `code` is Twilio's error code (21610 = the
    /// recipient replied STOP; 21211 = invalid number).
    #[error("twilio rejected the request: HTTP {status}, code {code:?}: {message}")]
    Permanent {
        status: u16,
        code: Option<u32>,
        message: String,
    },
}

/// A created Messages or Calls resource as Twilio returns it (only the fields we use).
#[derive(Debug, Clone, Deserialize)]
pub struct SentMessage {
    pub sid: String,
    pub status: String,
}

/// One page of the Messages or Calls list resource: `{"messages": […]}` or
/// `{"calls": […]}` (only the fields we use).
#[derive(Deserialize)]
struct ListPage {
    #[serde(alias = "calls")]
    messages: Vec<Listed>,
}

/// One Message or Call resource in a list page.
#[derive(Deserialize)]
struct Listed {
    sid: String,
    status: String,
    /// A message's text (calls have none).
    #[serde(default)]
    body: Option<String>,
    /// RFC 2822, e.g. `Sat, 21 Nov 2026 17:02:03 +0000`.
    date_created: Option<String>,
}

#[derive(Deserialize)]
struct TwilioErrorBody {
    code: Option<u32>,
    message: Option<String>,
}

/// A thin, reusable client; build once per process.
#[derive(Clone)]
pub struct TwilioClient {
    http: reqwest::Client,
    base: String,
}

impl TwilioClient {
    /// `base` is `https://api.twilio.com` in production.
    pub fn new(base: &str, timeout: Duration) -> Self {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .expect("reqwest client builds with rustls");
        Self {
            http,
            base: base.trim_end_matches('/').to_string(),
        }
    }

    /// Sends one SMS. `status_callback` receives delivery status posts.
    pub async fn send_sms(
        &self,
        creds: &TwilioCredentials,
        from: &str,
        to: &str,
        body: &str,
        status_callback: Option<&str>,
    ) -> Result<SentMessage, TwilioError> {
        let mut form = vec![("To", to), ("From", from), ("Body", body)];
        if let Some(cb) = status_callback {
            form.push(("StatusCallback", cb));
        }
        self.create(creds, "Messages", &form).await
    }

    /// The message this account sent `from` → `to` with exactly `body`, created at or after
    /// `since`, if Twilio has one (Twilio "Message resource", read:
    /// `GET /2010-04-01/Accounts/{AccountSid}/Messages.json?To=…&From=…&PageSize=50`,
    /// newest first; one page holds far more than one recipient's texts of one
    /// notification's retry window). Any failure is [`TwilioError::Transient`]: the
    /// caller must not send blind.
    pub async fn find_message(
        &self,
        creds: &TwilioCredentials,
        from: &str,
        to: &str,
        body: &str,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<SentMessage>, TwilioError> {
        self.find_created(creds, "Messages", from, to, since, |m| {
            m.body.as_deref() == Some(body)
        })
        .await
    }

    /// The call this account placed `from` → `to`, created at or after `since`, if Twilio
    /// has one (Twilio "Call resource", read: `GET …/Calls.json?To=…&From=…&PageSize=50`,
    /// newest first). Errors as [`TwilioClient::find_message`]'s.
    pub async fn find_call(
        &self,
        creds: &TwilioCredentials,
        from: &str,
        to: &str,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<SentMessage>, TwilioError> {
        self.find_created(creds, "Calls", from, to, since, |_| true)
            .await
    }

    /// The newest `resource` from `from` to `to`, created at or after `since`, that `is_it`
    /// accepts.
    async fn find_created(
        &self,
        creds: &TwilioCredentials,
        resource: &str,
        from: &str,
        to: &str,
        since: chrono::DateTime<chrono::Utc>,
        is_it: impl Fn(&Listed) -> bool,
    ) -> Result<Option<SentMessage>, TwilioError> {
        let resp = self
            .request(reqwest::Method::GET, creds, resource)
            .query(&[("To", to), ("From", from), ("PageSize", "50")])
            .send()
            .await
            .map_err(|e| TwilioError::Transient(format!("lookup failed: {e}")))?;
        if !resp.status().is_success() {
            return Err(TwilioError::Transient(format!(
                "lookup: HTTP {}",
                resp.status()
            )));
        }
        let page: ListPage = resp
            .json()
            .await
            .map_err(|e| TwilioError::Transient(format!("lookup: bad response body: {e}")))?;
        Ok(page
            .messages
            .into_iter()
            .find(|m| {
                is_it(m)
                    && m.date_created
                        .as_deref()
                        .and_then(|d| chrono::DateTime::parse_from_rfc2822(d).ok())
                        .is_some_and(|d| d >= since)
            })
            .map(|m| SentMessage {
                sid: m.sid,
                status: m.status,
            }))
    }

    /// Places an outbound call that speaks `twiml` (Twilio "Call resource":
    /// `POST /2010-04-01/Accounts/{AccountSid}/Calls.json` with `To`, `From`, `Twiml`).
    /// Errors are classified like [`TwilioClient::send_sms`]'s.
    pub async fn create_call(
        &self,
        creds: &TwilioCredentials,
        from: &str,
        to: &str,
        twiml: &str,
    ) -> Result<SentMessage, TwilioError> {
        self.create(
            creds,
            "Calls",
            &[("To", to), ("From", from), ("Twiml", twiml)],
        )
        .await
    }

    /// A recording's audio, WAV (Twilio "Recording resource", fetch media:
    /// `GET /2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}` answers
    /// `audio/x-wav` by default). A missing recording is `Permanent` with status 404.
    pub async fn fetch_recording(
        &self,
        creds: &TwilioCredentials,
        recording_sid: &str,
    ) -> Result<Vec<u8>, TwilioError> {
        let url = format!(
            "{}/2010-04-01/Accounts/{}/Recordings/{recording_sid}",
            self.base, creds.account_sid
        );
        let resp = self
            .http
            .get(url)
            .basic_auth(&creds.account_sid, Some(&creds.auth_token))
            .send()
            .await
            .map_err(|e| TwilioError::Transient(format!("no answer: {e}")))?;
        let status = resp.status();
        if status.is_success() {
            return resp
                .bytes()
                .await
                .map(|b| b.to_vec())
                .map_err(|e| TwilioError::Transient(format!("cut off: {e}")));
        }
        Err(Self::refusal(status, resp).await)
    }

    /// Deletes a recording (Twilio "Recording resource", delete:
    /// `DELETE /2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}.json`, 204). A
    /// recording already gone (404) counts as deleted.
    pub async fn delete_recording(
        &self,
        creds: &TwilioCredentials,
        recording_sid: &str,
    ) -> Result<(), TwilioError> {
        let resp = self
            .request(
                reqwest::Method::DELETE,
                creds,
                &format!("Recordings/{recording_sid}"),
            )
            .send()
            .await
            .map_err(|e| TwilioError::Transient(format!("no answer: {e}")))?;
        let status = resp.status();
        if status.is_success() || status.as_u16() == 404 {
            return Ok(());
        }
        Err(Self::refusal(status, resp).await)
    }

    /// A non-2xx answer: 429 and 5xx are worth a retry, the rest is Twilio's refusal.
    async fn refusal(status: reqwest::StatusCode, resp: reqwest::Response) -> TwilioError {
        if status.as_u16() == 429 || status.is_server_error() {
            return TwilioError::Transient(format!("HTTP {status}"));
        }
        let body: Option<TwilioErrorBody> = resp.json().await.ok();
        TwilioError::Permanent {
            status: status.as_u16(),
            code: body.as_ref().and_then(|b| b.code),
            message: body.and_then(|b| b.message).unwrap_or_default(),
        }
    }

    /// `{method} {base}/2010-04-01/Accounts/{AccountSid}/{resource}.json` with basic auth.
    fn request(
        &self,
        method: reqwest::Method,
        creds: &TwilioCredentials,
        resource: &str,
    ) -> reqwest::RequestBuilder {
        let url = format!(
            "{}/2010-04-01/Accounts/{}/{resource}.json",
            self.base, creds.account_sid
        );
        self.http
            .request(method, url)
            .basic_auth(&creds.account_sid, Some(&creds.auth_token))
    }

    /// `POST /2010-04-01/Accounts/{sid}/{resource}.json` with basic auth and a form body.
    /// 2xx is the created resource; 429, 5xx and a refused connection are worth a retry;
    /// a request that went out unanswered is [`TwilioError::Unconfirmed`]; any other
    /// status is permanent, with Twilio's error code when the body carries one.
    async fn create(
        &self,
        creds: &TwilioCredentials,
        resource: &str,
        form: &[(&str, &str)],
    ) -> Result<SentMessage, TwilioError> {
        let resp = self
            .request(reqwest::Method::POST, creds, resource)
            .form(form)
            .send()
            .await
            .map_err(|e| {
                if e.is_connect() {
                    TwilioError::Transient(format!("no connection: {e}"))
                } else {
                    TwilioError::Unconfirmed(format!("no answer: {e}"))
                }
            })?;
        let status = resp.status();
        if status.is_success() {
            return resp
                .json::<SentMessage>()
                .await
                .map_err(|e| TwilioError::Unconfirmed(format!("unreadable answer: {e}")));
        }
        if status.as_u16() == 429 || status.is_server_error() {
            return Err(TwilioError::Transient(format!("HTTP {status}")));
        }
        let body: Option<TwilioErrorBody> = resp.json().await.ok();
        Err(TwilioError::Permanent {
            status: status.as_u16(),
            code: body.as_ref().and_then(|b| b.code),
            message: body.and_then(|b| b.message).unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wiremock::matchers::{basic_auth, body_string_contains, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn creds() -> TwilioCredentials {
        TwilioCredentials {
            account_sid: "AC1".into(),
            auth_token: "tok".into(),
        }
    }

    #[tokio::test]
    async fn posts_form_with_basic_auth() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/2010-04-01/Accounts/AC1/Messages.json"))
            .and(basic_auth("AC1", "tok"))
            .and(body_string_contains("To=%2B19135550199"))
            .and(body_string_contains("Body=hello+there"))
            .respond_with(
                ResponseTemplate::new(201)
                    .set_body_json(serde_json::json!({"sid": "SM1", "status": "queued"})),
            )
            .expect(1)
            .mount(&server)
            .await;
        let c = TwilioClient::new(&server.uri(), Duration::from_secs(2));
        let sent = c
            .send_sms(
                &creds(),
                "+19135550123",
                "+19135550199",
                "hello there",
                None,
            )
            .await
            .unwrap();
        assert_eq!(sent.sid, "SM1");
    }

    #[tokio::test]
    async fn classifies_failures() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(body_string_contains("To=%2B1000"))
            .respond_with(ResponseTemplate::new(429))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(body_string_contains("To=%2B2000"))
            .respond_with(
                ResponseTemplate::new(400)
                    .set_body_json(serde_json::json!({"code": 21610, "message": "unsubscribed"})),
            )
            .mount(&server)
            .await;
        let c = TwilioClient::new(&server.uri(), Duration::from_secs(2));
        assert!(matches!(
            c.send_sms(&creds(), "+1", "+1000", "x", None).await,
            Err(TwilioError::Transient(_))
        ));
        match c.send_sms(&creds(), "+1", "+2000", "x", None).await {
            Err(TwilioError::Permanent {
                code: Some(21610), ..
            }) => {}
            other => panic!("unexpected {other:?}"),
        }
    }

    #[tokio::test]
    async fn places_a_call_with_inline_twiml() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/2010-04-01/Accounts/AC1/Calls.json"))
            .and(basic_auth("AC1", "tok"))
            .and(body_string_contains("To=%2B19135550199"))
            .and(body_string_contains("Twiml=%3CResponse%3E"))
            .respond_with(
                ResponseTemplate::new(201)
                    .set_body_json(serde_json::json!({"sid": "CA9", "status": "queued"})),
            )
            .expect(1)
            .mount(&server)
            .await;
        let c = TwilioClient::new(&server.uri(), Duration::from_secs(2));
        let call = c
            .create_call(
                &creds(),
                "+19135550123",
                "+19135550199",
                "<Response><Say>hi</Say></Response>",
            )
            .await
            .unwrap();
        assert_eq!(call.sid, "CA9");
    }

    #[tokio::test]
    async fn a_request_without_an_answer_is_unconfirmed_and_no_connection_is_transient() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(3)))
            .mount(&server)
            .await;
        let c = TwilioClient::new(&server.uri(), Duration::from_millis(300));
        assert!(matches!(
            c.send_sms(&creds(), "+1", "+1000", "x", None).await,
            Err(TwilioError::Unconfirmed(_))
        ));
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let c = TwilioClient::new(&url, Duration::from_millis(300));
        assert!(matches!(
            c.send_sms(&creds(), "+1", "+1000", "x", None).await,
            Err(TwilioError::Transient(_))
        ));
    }

    #[tokio::test]
    async fn finds_a_sent_message_by_recipient_sender_body_and_time() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/2010-04-01/Accounts/AC1/Messages.json"))
            .and(basic_auth("AC1", "tok"))
            .and(query_param("To", "+19135550199"))
            .and(query_param("From", "+19135550123"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "messages": [
                    {"sid": "SMnew", "status": "sent", "body": "see you at 9",
                     "date_created": "Sat, 21 Nov 2026 17:02:03 +0000"},
                    {"sid": "SMold", "status": "delivered", "body": "see you at 10",
                     "date_created": "Fri, 20 Nov 2026 09:00:00 +0000"}
                ]
            })))
            .mount(&server)
            .await;
        let c = TwilioClient::new(&server.uri(), Duration::from_secs(2));
        let since = chrono::DateTime::parse_from_rfc3339("2026-11-21T17:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let creds = creds();
        let find = |body: &'static str| {
            c.find_message(&creds, "+19135550123", "+19135550199", body, since)
        };
        assert_eq!(find("see you at 9").await.unwrap().unwrap().sid, "SMnew");
        assert!(
            find("see you at 10").await.unwrap().is_none(),
            "same text before the first attempt: not ours"
        );
        assert!(find("something else").await.unwrap().is_none());
    }

    #[tokio::test]
    async fn finds_a_placed_call_by_recipient_sender_and_time() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/2010-04-01/Accounts/AC1/Calls.json"))
            .and(basic_auth("AC1", "tok"))
            .and(query_param("To", "+19135550199"))
            .and(query_param("From", "+19135550123"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "calls": [{"sid": "CAnew", "status": "in-progress",
                           "date_created": "Sat, 21 Nov 2026 17:02:03 +0000"}]
            })))
            .mount(&server)
            .await;
        let c = TwilioClient::new(&server.uri(), Duration::from_secs(2));
        let at = |t: &str| {
            chrono::DateTime::parse_from_rfc3339(t)
                .unwrap()
                .with_timezone(&chrono::Utc)
        };
        let creds = creds();
        let find = |since| c.find_call(&creds, "+19135550123", "+19135550199", since);
        assert_eq!(
            find(at("2026-11-21T17:00:00Z")).await.unwrap().unwrap().sid,
            "CAnew"
        );
        assert!(find(at("2026-11-21T17:05:00Z")).await.unwrap().is_none());
    }
}
