//! `sms-inbound`: `POST /twilio/sms`, a customer's text. Keywords, opt-outs and the text
//! conversation live in `frontline::flows::texting`.

use frontline::http::{problem, sms};
use frontline::Services;
use lambda_http::{Body, Request, Response};

pub async fn handle(svc: &Services, req: Request) -> Response<Body> {
    match req.uri().path() {
        "/twilio/sms" => sms::inbound(svc, req).await,
        other => problem(404, "Not Found", format!("no route {other}")),
    }
}
