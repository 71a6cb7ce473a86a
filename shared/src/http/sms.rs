//! `POST /twilio/sms` (Twilio's inbound-message webhook): the form checked and parsed,
//! the text handed to `flows::texting`, its answer rendered as messaging TwiML.

use crate::flows::texting::{self, Inbound, TextAnswer};
use crate::http::{problem, twilio_form, twiml};
use crate::Services;
use lambda_http::{Body, Request, Response};

/// Longest text body kept (Twilio concatenates at most 1,600 characters).
const MAX_BODY_CHARS: usize = 1600;

/// `POST /twilio/sms`.
pub async fn inbound(svc: &Services, req: Request) -> Response<Body> {
    let form = match twilio_form(&req, svc).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (from, to, sid) = match (
        form.require("From"),
        form.require("To"),
        form.require("MessageSid"),
    ) {
        (Ok(a), Ok(b), Ok(c)) => (a.to_string(), b.to_string(), c.to_string()),
        (Err(d), _, _) | (_, Err(d), _) | (_, _, Err(d)) => {
            return problem(400, "Bad Request", d.to_string())
        }
    };
    let body: String = crate::dialogue::extract::redact(
        &form
            .get("Body")
            .unwrap_or("")
            .chars()
            .take(MAX_BODY_CHARS)
            .collect::<String>(),
    );
    let m = Inbound {
        from,
        to,
        message_sid: sid,
        body,
    };
    match texting::inbound(svc, &m).await {
        TextAnswer::Twiml(xml) => twiml(xml),
        TextAnswer::NotRouted => problem(404, "Not Found", "number is not routed"),
        TextAnswer::Unavailable => problem(
            503,
            "Service Unavailable",
            "storage unavailable; Twilio will retry",
        ),
    }
}
