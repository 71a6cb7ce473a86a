//! `/v1/owner/integrations/google`: connect the owner's Google Calendar, see how the sync
//! is doing, disconnect.
//!
//! - `POST .../connect` (owner): `{"authorization_url"}` to open in the browser.
//! - `GET .../callback?code=&state=` (Google's redirect; no bearer token: the single-use
//!   `state` names the consent): 302 to the dashboard with `?calendar=connected`, `denied`
//!   or `error`.
//! - `GET ...` : the connection's status, last sync and import, last error, and how many
//!   upcoming jobs are not in the calendar yet; `{"status":"not_connected"}` when none.
//! - `DELETE ...` (owner): revoke and disconnect; 204.

use chrono::Duration;
use frontline::google::connect::{self, ConnectError};
use frontline::google::sync::{PROVIDER, REPAIR_DAYS};
use frontline::http::{json, problem, public_base, query};
use frontline::store::StoreError;
use frontline::tenancy::{AuthContext, Role};
use frontline::Services;
use lambda_http::{Body, Request, Response};
use serde_json::json as j;

/// Path of Google's redirect back to Frontline (register `{PUBLIC_BASE_URL}` + this in the
/// Google Cloud console).
pub const CALLBACK_PATH: &str = "/v1/owner/integrations/google/callback";

fn redirect_uri(svc: &Services, req: &Request) -> String {
    format!("{}{CALLBACK_PATH}", public_base(req, svc))
}

fn owner_only(ctx: &AuthContext) -> Option<Response<Body>> {
    (!matches!(ctx.role, Role::Owner | Role::Admin)).then(|| {
        problem(
            403,
            "Forbidden",
            "only the owner can connect or disconnect a calendar",
        )
    })
}

fn unavailable(e: ConnectError) -> Response<Body> {
    tracing::error!(error = %e, "calendar connect failed");
    problem(503, "Service Unavailable", e.to_string())
}

pub async fn connect(svc: &Services, ctx: &AuthContext, req: &Request) -> Response<Body> {
    if let Some(r) = owner_only(ctx) {
        return r;
    }
    match connect::start(
        svc,
        &ctx.tenant_id,
        &format!("user:{}", ctx.user),
        &redirect_uri(svc, req),
        svc.clock.now(),
    )
    .await
    {
        Ok(url) => json(200, &j!({"authorization_url": url})),
        Err(e) => unavailable(e),
    }
}

/// Google's redirect. Answers with a redirect to the dashboard in every case but a
/// missing `state` (400): the owner is in a browser, not an API client.
pub async fn callback(svc: &Services, req: &Request) -> Response<Body> {
    let Some(state) = query(req, "state") else {
        return problem(400, "Bad Request", "query parameter `state` is required");
    };
    let now = svc.clock.now();
    let outcome = if query(req, "error").is_some() {
        let _ = connect::decline(svc, state, now).await;
        "denied"
    } else if let Some(code) = query(req, "code") {
        match connect::finish(svc, state, code, &redirect_uri(svc, req), now).await {
            Ok(tenant) => {
                tracing::info!(tenant = %tenant, "google calendar connected");
                "connected"
            }
            Err(ConnectError::UnknownState) => "expired",
            Err(e) => {
                tracing::warn!(error = %e, "google calendar connect failed");
                "error"
            }
        }
    } else {
        return problem(400, "Bad Request", "query parameter `code` is required");
    };
    let dashboard = svc
        .config
        .dashboard_url
        .clone()
        .unwrap_or_else(|| format!("{}/", public_base(req, svc)));
    let sep = if dashboard.contains('?') { '&' } else { '?' };
    Response::builder()
        .status(302)
        .header("location", format!("{dashboard}{sep}calendar={outcome}"))
        .header("cache-control", "no-store")
        .body(Body::Empty)
        .expect("redirect")
}

pub async fn status(svc: &Services, ctx: &AuthContext) -> Result<Response<Body>, StoreError> {
    let Some(view) = svc.store.integration_view(&ctx.tenant_id, PROVIDER).await? else {
        return Ok(json(
            200,
            &j!({"provider": PROVIDER, "status": "not_connected"}),
        ));
    };
    let now = svc.clock.now();
    let jobs = svc
        .store
        .sync_jobs(&ctx.tenant_id, now, now + Duration::days(REPAIR_DAYS))
        .await?;
    let unsynced: Vec<&str> = jobs
        .iter()
        .filter(|j| j.status == "booked" && j.calendar.as_deref() != Some("synced"))
        .map(|j| j.id.as_str())
        .collect();
    let mut body = serde_json::to_value(&view).expect("view serialises");
    body["jobs_not_in_calendar"] = j!(unsynced.len());
    body["unsynced_job_ids"] = j!(unsynced);
    Ok(json(200, &body))
}

pub async fn disconnect(svc: &Services, ctx: &AuthContext) -> Response<Body> {
    if let Some(r) = owner_only(ctx) {
        return r;
    }
    match connect::disconnect(
        svc,
        &ctx.tenant_id,
        &format!("user:{}", ctx.user),
        svc.clock.now(),
    )
    .await
    {
        Ok(true) => Response::builder()
            .status(204)
            .body(Body::Empty)
            .expect("204"),
        Ok(false) => problem(404, "Not Found", "no Google Calendar is connected"),
        Err(e) => unavailable(e),
    }
}
