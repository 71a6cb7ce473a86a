//! `POST /twilio/sms/status?n={event}&c={channel}&w={0|1}`: Twilio's delivery status
//! callbacks for the texts `notify` sent (`flows::delivery::status`). The query names the
//! notification; Twilio signs the whole URL, so it is as trustworthy as the body.

use crate::flows::delivery::status::{self, StatusError, StatusReport};
use crate::http::{problem, query, twilio_form};
use crate::Services;
use lambda_http::{Body, Request, Response};

fn no_content() -> Response<Body> {
    Response::builder()
        .status(204)
        .body(Body::Empty)
        .expect("static response")
}

/// `POST /twilio/sms/status`.
pub async fn sms_status(svc: &Services, req: Request) -> Response<Body> {
    let form = match twilio_form(&req, svc).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (Ok(sid), Ok(status), Ok(from), Ok(to)) = (
        form.require("MessageSid"),
        form.require("MessageStatus"),
        form.require("From"),
        form.require("To"),
    ) else {
        return problem(
            400,
            "Bad Request",
            "missing form field `MessageSid`, `MessageStatus`, `From` or `To`",
        );
    };
    let (Some(event_id), Some(channel)) = (query(&req, "n"), query(&req, "c")) else {
        // A text we did not send through `notify` (e.g. a TwiML reply): nothing to track.
        return no_content();
    };
    let report = StatusReport {
        sid,
        status,
        from,
        to,
        error_code: form.get("ErrorCode").filter(|c| !c.is_empty()),
        event_id,
        channel,
        watched: query(&req, "w") == Some("1"),
    };
    match status::reported(svc, report).await {
        Ok(()) => no_content(),
        Err(StatusError::NotRouted) => problem(404, "Not Found", "number is not routed"),
        Err(e @ StatusError::Store(_)) => {
            tracing::error!(error = %crate::telemetry::chain(&e), "delivery status not recorded");
            problem(503, "Service Unavailable", "storage unavailable")
        }
        Err(e @ StatusError::Queue(_)) => {
            tracing::error!(error = %crate::telemetry::chain(&e), "owner's fallback call not queued");
            problem(503, "Service Unavailable", "queue unavailable")
        }
    }
}
