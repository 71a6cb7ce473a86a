//! `twilio-status`: call status, recording and SMS delivery callbacks.

use frontline::http::{delivery, problem, voice};
use frontline::Services;
use lambda_http::{Body, Request, Response};

pub async fn handle(svc: &Services, req: Request) -> Response<Body> {
    match req.uri().path() {
        "/twilio/voice/status" => voice::status(svc, req).await,
        "/twilio/sms/status" => delivery::sms_status(svc, req).await,
        "/twilio/voice/recording" => match frontline::http::twilio_form(&req, svc).await {
            Ok(_) => Response::builder()
                .status(204)
                .body(Body::Empty)
                .expect("static response"),
            Err(r) => r,
        },
        other => problem(404, "Not Found", format!("no route {other}")),
    }
}
