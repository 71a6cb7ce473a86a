//! `POST /twilio/sms/status?n={event}&c={channel}&w={0|1}`: Twilio's delivery status
//! callbacks for the texts `notify` sent (Twilio "Track the message status of outbound
//! messages"). The query names the notification; Twilio signs the whole URL, so it is as
//! trustworthy as the body. The tenant comes from the routed `From` number.
//!
//! Statuses only move forward (duplicates and out-of-order callbacks change nothing);
//! error 21610 (the recipient replied STOP) opts the number out; an undelivered or failed
//! emergency text to the owner (`w=1`) queues the fallback phone call.

use crate::flows::conversation::tenant_for;
use crate::http::{problem, query, twilio_form};
use crate::notify::{Audience, NotificationJob, OutboundMessage, Purpose};
use crate::store::NotificationRef;
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
    let (Some(event), Some(channel)) = (query(&req, "n"), query(&req, "c")) else {
        // A text we did not send through `notify` (e.g. a TwiML reply): nothing to track.
        return no_content();
    };
    let tenant = match tenant_for(svc, from).await {
        Ok(Some(t)) => t,
        Ok(None) => return problem(404, "Not Found", "number is not routed"),
        Err(_) => return problem(503, "Service Unavailable", "storage unavailable"),
    };
    let code = form.get("ErrorCode").filter(|c| !c.is_empty());
    let notification = NotificationRef {
        tenant_id: &tenant.id,
        event_id: event,
        channel,
    };
    let moved = match svc
        .store
        .record_delivery_status(notification, status, sid, code, svc.clock.now())
        .await
    {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "delivery status not recorded");
            return problem(503, "Service Unavailable", "storage unavailable");
        }
    };
    if code == Some("21610") {
        // The recipient has texted STOP to this number at the carrier: honour it here too.
        let _ = svc
            .store
            .set_opt_out(&tenant.id, to, true, svc.clock.now())
            .await;
    }
    if !moved || !matches!(status, "undelivered" | "failed") {
        return no_content();
    }
    if query(&req, "w") == Some("1") {
        let index = channel
            .rsplit('-')
            .next()
            .and_then(|i| i.parse().ok())
            .unwrap_or(0);
        let body = svc
            .store
            .notification(notification)
            .await
            .ok()
            .flatten()
            .map(|r| r.body)
            .unwrap_or_else(|| format!("{}: an emergency alert could not be texted to you. Check your Frontline dashboard.", tenant.name));
        let job = NotificationJob {
            event_id: event.to_string(),
            tenant_id: tenant.id.clone(),
            kind: "emergency_alert".into(),
            index,
            message: OutboundMessage {
                channel: "sms".into(),
                audience: Audience::Owner,
                to: tenant.contacts.owner_cell.clone(),
                from: tenant.phone.clone(),
                body,
            },
            purpose: Purpose::Escalate,
        };
        let sent = svc
            .sqs
            .send_message()
            .queue_url(&svc.config.notifications_queue_url)
            .message_body(serde_json::to_string(&job).unwrap_or_default())
            .send()
            .await;
        if let Err(e) = sent {
            tracing::error!(error = %aws_sdk_sqs::error::DisplayErrorContext(e), "could not queue the owner's fallback call");
            return problem(503, "Service Unavailable", "queue unavailable");
        }
        crate::telemetry::emergency_alert_failed("sms");
        tracing::warn!(event, "owner alert undelivered; fallback call queued");
    }
    no_content()
}
