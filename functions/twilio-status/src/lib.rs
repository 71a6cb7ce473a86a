//! `twilio-status`: call status, recording and SMS delivery callbacks.

use frontline::http::{delivery, problem, voice};
use frontline::Services;
use lambda_http::{Body, Request, Response};

pub async fn handle(svc: &Services, req: Request) -> Response<Body> {
    match req.uri().path() {
        "/twilio/voice/status" => voice::status(svc, req).await,
        "/twilio/sms/status" => delivery::sms_status(svc, req).await,
        "/twilio/voice/recording" => voice::recording(svc, req).await,
        other => problem(404, "Not Found", format!("no route {other}")),
    }
}
