//! Lambda entry point: builds the clients once at init, then serves each event.

use lambda_http::{run, service_fn, Error, Request};
use std::sync::Arc;

// One invocation at a time per instance: a single-threaded runtime serves it without
// waking worker threads (see BENCHMARKS.md, call-turn's CPU per turn).
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    frontline::telemetry::init();
    let svc = Arc::new(frontline::Services::from_env().await);
    // Init, not the first caller, pays for the secret read and the connection.
    svc.prewarm().await;
    run(service_fn(move |req: Request| {
        let svc = svc.clone();
        async move { Ok::<_, Error>(frontline::http::traced(req, |r| call_turn::handle(&svc, r)).await) }
    }))
    .await
}
