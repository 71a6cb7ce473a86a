//! Lambda entry point: builds the clients once at init, then serves each batch.

use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use std::sync::Arc;

// One event at a time per instance: a single-threaded runtime (BENCHMARKS.md).
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    frontline::telemetry::init();
    let svc = Arc::new(frontline::Services::from_env().await);
    run(service_fn(move |ev: LambdaEvent<_>| {
        let svc = svc.clone();
        async move { Ok::<_, Error>(notify::handle(&svc, ev.payload).await) }
    }))
    .await
}
