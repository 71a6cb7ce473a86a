//! `voice-fallback`: Twilio's fallback URL and the call path's graceful exit when storage
//! is unreachable. It needs no DynamoDB: it apologises, promises a call back, and ends
//! the call; the status callback later turns the call into a callback task.

use frontline::twilio::{Twiml, Verb};
use lambda_http::{Body, Request, Response};

pub async fn handle(_svc: &frontline::Services, _req: Request) -> Response<Body> {
    let xml = Twiml::new()
        .push(Verb::Say {
            text: "We've got your number, and someone will call you back within a few minutes. If this is an emergency such as a gas smell, please leave the building and call 911.".into(),
            language: "en-US".into(),
        })
        .push(Verb::Hangup)
        .render();
    frontline::http::twiml(xml)
}
