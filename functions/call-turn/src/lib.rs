//! `call-turn`: `POST /twilio/voice` (a call starts) and `POST /twilio/voice/turn` (each
//! `<Gather>` result), and `POST /twilio/voice/owner` (a turn on the owner's line). The flow lives in `frontline::flows::calls`.

use frontline::http::{problem, voice};
use frontline::Services;
use lambda_http::{Body, Request, Response};

pub async fn handle(svc: &Services, req: Request) -> Response<Body> {
    match req.uri().path() {
        "/twilio/voice" => voice::start(svc, req).await,
        voice::TURN_PATH => voice::turn(svc, req).await,
        voice::LINE_PATH => voice::owner_turn(svc, req).await,
        other => problem(404, "Not Found", format!("no route {other}")),
    }
}
