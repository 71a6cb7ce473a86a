//! The voice webhooks (Twilio "Voice webhooks"): each request's form is checked against
//! `X-Twilio-Signature`, parsed, handed to `flows::calls`, and its answer rendered. The
//! call's logic lives in the flow.

use crate::dialogue::Input;
use crate::flows::calls::{self, Answer, CallEnded, CallStart, GatherResult, StatusError};
use crate::http::{problem, query, twilio_form, twiml};
use crate::phone::E164;
use crate::twilio::{CallSid, WebhookForm};
use crate::Services;
use lambda_http::{Body, Request, Response};

pub use crate::flows::owner_line::LINE_PATH;
pub use crate::twilio::replies::TURN_PATH;

#[allow(clippy::result_large_err)] // the error is the HTTP response itself
fn required<'a>(form: &'a WebhookForm, key: &str) -> Result<&'a str, Response<Body>> {
    form.require(key)
        .map_err(|d| problem(400, "Bad Request", d.to_string()))
}

/// The form's `CallSid` and `To`, parsed once (400 naming the field otherwise).
#[allow(clippy::result_large_err)]
fn call_and_number(form: &WebhookForm) -> Result<(CallSid, E164), Response<Body>> {
    let sid = required(form, "CallSid")?;
    let to = required(form, "To")?;
    let bad = |field: &str, e: crate::ids::IdError| {
        problem(400, "Bad Request", format!("form field `{field}`: {e}"))
    };
    Ok((
        CallSid::parse(sid).map_err(|e| bad("CallSid", e))?,
        E164::parse(to).map_err(|e| bad("To", e))?,
    ))
}

/// The turn a `<Gather>` result answers (`?seq=N`, 400 without it) and what the caller
/// gave: speech (`SpeechResult`, `Confidence`), keys (`Digits`) or nothing.
#[allow(clippy::result_large_err)]
fn answered(req: &Request, form: &WebhookForm) -> Result<(u64, Input), Response<Body>> {
    let Some(seq) = query(req, "seq").and_then(|s| s.parse::<u64>().ok()) else {
        return Err(problem(
            400,
            "Bad Request",
            "query parameter `seq` is required",
        ));
    };
    let input = match (form.speech(), form.digits()) {
        (Some(text), _) => Input::Speech {
            text,
            confidence: form.confidence(),
        },
        (None, Some(d)) => Input::Digits(d),
        (None, None) => Input::Silence,
    };
    Ok((seq, input))
}

fn answer(a: Answer) -> Response<Body> {
    match a {
        Answer::Twiml(xml) => twiml(xml),
        Answer::NotRouted => problem(404, "Not Found", "number is not routed"),
        Answer::UnknownCall => problem(404, "Not Found", "unknown CallSid"),
    }
}

/// `POST /twilio/voice`: a call starts (`?as=customer`: the owner's line handed it to
/// the receptionist).
pub async fn start(svc: &Services, req: Request) -> Response<Body> {
    let form = match twilio_form(&req, svc).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let ((call_sid, to), from) = match (call_and_number(&form), required(&form, "From")) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let start = CallStart {
        call_sid: &call_sid,
        from,
        to: &to,
        stir_verstat: form.get("StirVerstat"),
        forwarded_from: form.get("ForwardedFrom"),
        as_customer: req.uri().query() == Some(crate::flows::owner_line::AS_CUSTOMER),
    };
    answer(calls::start(svc, start).await)
}

/// `POST /twilio/voice/turn?seq=N`: the caller answered the prompt of turn `N` by voice
/// (`SpeechResult`, `Confidence`) or keypad (`Digits`), or said nothing.
pub async fn turn(svc: &Services, req: Request) -> Response<Body> {
    let form = match twilio_form(&req, svc).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (call_sid, to) = match call_and_number(&form) {
        Ok(ids) => ids,
        Err(r) => return r,
    };
    let (seq, input) = match answered(&req, &form) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let g = GatherResult {
        call_sid: &call_sid,
        to: &to,
        seq,
        input,
    };
    answer(calls::gathered(svc, g).await)
}

/// `POST /twilio/voice/owner?seq=N`: a turn on the owner's line (a PIN, or a question),
/// by voice or keypad.
pub async fn owner_turn(svc: &Services, req: Request) -> Response<Body> {
    let form = match twilio_form(&req, svc).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (call_sid, to) = match call_and_number(&form) {
        Ok(ids) => ids,
        Err(r) => return r,
    };
    let (seq, input) = match answered(&req, &form) {
        Ok(a) => a,
        Err(r) => return r,
    };
    answer(crate::flows::owner_line::voice_turn(svc, &to, &call_sid, seq, &input).await)
}

/// `POST /twilio/voice/recording?to=…[&transcription=1]`: a voicemail's recording
/// (`RecordingSid`, `RecordingUrl`, `RecordingDuration`) or its transcription
/// (`TranscriptionText`). `to` names the shop's number; the signature covers it. 204.
pub async fn recording(svc: &Services, req: Request) -> Response<Body> {
    let form = match twilio_form(&req, svc).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let to = match query(&req, "to").map(E164::parse) {
        Some(Ok(to)) => to,
        _ => {
            return problem(
                400,
                "Bad Request",
                "query parameter `to` must be the E.164 number called",
            )
        }
    };
    let (call_sid, recording_sid) =
        match (required(&form, "CallSid"), required(&form, "RecordingSid")) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(r), _) | (_, Err(r)) => return r,
        };
    let transcribed = query(&req, "transcription").is_some();
    // A failed or absent recording, or a failed transcription, has nothing to keep.
    let status = form.get(if transcribed {
        "TranscriptionStatus"
    } else {
        "RecordingStatus"
    });
    if status.is_some_and(|s| s != "completed") {
        return Response::builder()
            .status(204)
            .body(Body::Empty)
            .expect("static response");
    }
    let transcription = transcribed.then(|| form.get("TranscriptionText").unwrap_or_default());
    let r = crate::flows::voicemail::RecordingIn {
        to: &to,
        call_sid,
        recording_sid,
        recording_url: form.get("RecordingUrl"),
        duration_s: form.get("RecordingDuration").and_then(|d| d.parse().ok()),
        transcription,
    };
    match crate::flows::voicemail::recorded(svc, &r).await {
        Ok(()) => Response::builder()
            .status(204)
            .body(Body::Empty)
            .expect("static response"),
        Err(crate::flows::voicemail::RecordingError::NotRouted) => {
            problem(404, "Not Found", "number is not routed")
        }
        Err(e) => problem(503, "Service Unavailable", e.to_string()),
    }
}

/// `POST /twilio/voice/status`: the final call status (`CallStatus`, `CallDuration`).
pub async fn status(svc: &Services, req: Request) -> Response<Body> {
    let form = match twilio_form(&req, svc).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (call_sid, to) = match call_and_number(&form) {
        Ok(ids) => ids,
        Err(r) => return r,
    };
    let ended = CallEnded {
        call_sid: &call_sid,
        from: form.get("From"),
        to: &to,
        status: form.get("CallStatus").unwrap_or("completed"),
        duration_s: form.get("CallDuration").and_then(|d| d.parse().ok()),
    };
    match calls::ended(svc, ended).await {
        Ok(()) => Response::builder()
            .status(204)
            .body(Body::Empty)
            .expect("static response"),
        Err(StatusError::NotRouted) => problem(404, "Not Found", "number is not routed"),
        Err(e) => problem(503, "Service Unavailable", e.to_string()),
    }
}
