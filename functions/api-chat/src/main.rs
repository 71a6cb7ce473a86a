//! Lambda entry point: builds the clients once at init, then serves each event.

use lambda_http::{run, service_fn, Error, Request};
use std::sync::Arc;

// One event at a time per instance: a single-threaded runtime (BENCHMARKS.md).
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    frontline::telemetry::init();
    let svc = Arc::new(frontline::Services::from_env().await);
    run(service_fn(move |req: Request| {
        let svc = svc.clone();
        async move { Ok::<_, Error>(frontline::http::traced(req, |r| api_chat::handle(&svc, r)).await) }
    }))
    .await
}
