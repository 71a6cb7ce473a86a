//! `voice-fallback`: Twilio's fallback URL and the call path's graceful exit when storage
//! is unreachable. It needs no DynamoDB: it promises a call back and records a voicemail
//! (`<Record>`); the recording callback stores it and the status callback turns the call
//! into a callback task. The form is read only for the shop's number (`To`), echoed into
//! the recording callbacks' URL, where Twilio's signature covers it.

use frontline::twilio::{replies, WebhookForm};
use lambda_http::{Body, Request, Response};

pub async fn handle(_svc: &frontline::Services, req: Request) -> Response<Body> {
    if frontline::http::query(&req, "recorded").is_some() {
        return frontline::http::twiml(replies::voicemail_taken());
    }
    let to = WebhookForm::parse(frontline::http::body_bytes(&req))
        .ok()
        .and_then(|f| f.get("To").map(String::from))
        .unwrap_or_default();
    frontline::http::twiml(replies::voicemail(&to))
}
