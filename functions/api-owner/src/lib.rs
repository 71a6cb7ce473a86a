//! `api-owner`: the owner's day and settings (`frontline::flows::office`). The tenant
//! comes from the bearer token only.
//!
//! - `GET /v1/owner/today`, `/schedule?date=`, `/availability?date=&service=`,
//!   `/callbacks?status=&reason=` (and `POST .../{id}/resolve`), `/analytics?weeks=`,
//!   `/audit`: the day, the queue, the figures.
//! - `GET`/`PUT /v1/owner/settings` and `/settings/scheduling` (owner only): a malformed
//!   body is 400 naming the field; a value that breaks a rule is 422 naming it. Audited.
//! - `GET`/`DELETE /v1/owner/privacy/customers/{id}`: a customer's export or erasure.
//! - `/v1/owner/integrations/google`: connect (the consent URL), Google's redirect
//!   (no bearer token: its single-use `state` is the credential; 302 to the dashboard with
//!   `?calendar=connected|denied|expired|error`), status, disconnect.
//! - `/v1/owner/widget-keys` (owner only): the website chat widget's keys: list (with the
//!   snippet), create for the shop's origins, rotate, revoke.

use frontline::flows::office::calendar::{self, Consent, CALLBACK_PATH};
use frontline::flows::office::{day, settings, widget_keys};
use frontline::flows::FlowError;
use frontline::http::params::{date, page, segment, variant};
use frontline::http::{auth, flow_problem, json, parse_json, parse_json_bounded, problem};
use frontline::http::{no_content, path_param, public_base, query, redirect};
use frontline::store::Page;
use frontline::tenancy::{GeneralSettings, SchedulingSettings};
use frontline::triage::ServiceType;
use frontline::Services;
use lambda_http::{http::Method, Body, Request, Response};
use serde::Serialize;

fn ok<T: Serialize>(r: Result<T, FlowError>) -> Response<Body> {
    r.map_or_else(flow_problem, |v| json(200, &v))
}

/// A parsed parameter or body, or its problem.
macro_rules! given {
    ($parse:expr) => {
        match $parse {
            Ok(b) => b,
            Err(r) => return r,
        }
    };
}

pub async fn handle(svc: &Services, req: Request) -> Response<Body> {
    if req.method() == Method::GET && req.uri().path() == CALLBACK_PATH {
        return google_returned(svc, &req).await;
    }
    let ctx = given!(auth::authorize(&req, svc).await);
    let tenant = match svc.store.tenant(&ctx.tenant_id).await {
        Ok(Some(t)) => t,
        Ok(None) => return problem(404, "Not Found", "tenant not found"),
        Err(e) => return problem(503, "Service Unavailable", e.to_string()),
    };
    let redirect_uri = || format!("{}{CALLBACK_PATH}", public_base(&req, svc));
    let customer = || segment(&req, "customer_id", "/v1/owner/privacy/customers/");
    // The widget is served beside the dashboard (S3/CloudFront, or `local` at `/`).
    let widget_url = || {
        let base = svc
            .config
            .dashboard_url
            .clone()
            .unwrap_or_else(|| format!("{}/", public_base(&req, svc)));
        format!("{}/widget.js", base.trim_end_matches('/'))
    };
    let widget_key = || {
        path_param(&req, "widget_key")
            .unwrap_or_default()
            .to_string()
    };
    let path = req.uri().path().to_string();
    match (req.method().clone(), path.as_str()) {
        (Method::GET, "/v1/owner/today") => ok(day::today(svc, &tenant).await),
        (Method::GET, "/v1/owner/schedule") => {
            ok(day::schedule(svc, &tenant, given!(date(&req))).await)
        }
        (Method::GET, "/v1/owner/availability") => {
            let service =
                given!(variant(&req, "service", "service type")).unwrap_or(ServiceType::Other);
            ok(day::availability(svc, &tenant, given!(date(&req)), service).await)
        }
        (Method::GET, "/v1/owner/callbacks") => {
            let state = match query(&req, "status").unwrap_or("open") {
                "open" => day::CallbackState::Open,
                "done" => day::CallbackState::Done,
                _ => return problem(400, "Bad Request", "status: must be open or done"),
            };
            let listed = day::callbacks(svc, &tenant, state, query(&req, "reason")).await;
            ok(listed.map(Page::whole))
        }
        (Method::POST, p) if p.starts_with("/v1/owner/callbacks/") && p.ends_with("/resolve") => {
            let id = segment(&req, "callback_id", "/v1/owner/callbacks/");
            let body = given!(parse_json_bounded(&req));
            ok(day::resolve_callback(svc, &tenant, &ctx, &id, body).await)
        }
        (Method::GET, "/v1/owner/analytics") => {
            let weeks = match query(&req, "weeks").map(str::parse) {
                None => 12,
                Some(Ok(w)) if (1..=52).contains(&w) => w,
                Some(_) => return problem(400, "Bad Request", "weeks: must be 1 to 52"),
            };
            ok(day::analytics(svc, &tenant, weeks).await)
        }
        (Method::GET, "/v1/owner/audit") => {
            let (limit, _) = page(&req, 100, 500);
            let trail = svc.store.audit_trail(&tenant.id, limit as i32).await;
            ok(trail.map(Page::whole).map_err(FlowError::from))
        }
        (Method::GET, "/v1/owner/settings") => json(200, &GeneralSettings::of(&tenant)),
        (Method::PUT, "/v1/owner/settings") => {
            let body = given!(parse_json_bounded(&req));
            ok(settings::put_general(svc, tenant, &ctx, body).await)
        }
        (Method::GET, "/v1/owner/settings/scheduling") => {
            json(200, &SchedulingSettings::of(&tenant))
        }
        (Method::PUT, "/v1/owner/settings/scheduling") => {
            let body = given!(parse_json(&req));
            ok(settings::put_scheduling(svc, tenant, &ctx, body).await)
        }
        (Method::GET, p) if p.starts_with("/v1/owner/privacy/customers/") => {
            ok(settings::privacy_export(svc, &tenant, &ctx, &customer()).await)
        }
        (Method::DELETE, p) if p.starts_with("/v1/owner/privacy/customers/") => {
            ok(settings::privacy_erase(svc, &tenant, &ctx, &customer()).await)
        }
        (Method::POST, "/v1/owner/integrations/google/connect") => {
            let url = calendar::connect(svc, &ctx, &redirect_uri()).await;
            ok(url.map(|authorization_url| calendar::AuthorizationUrl { authorization_url }))
        }
        (Method::GET, "/v1/owner/integrations/google") => ok(calendar::status(svc, &ctx).await),
        (Method::DELETE, "/v1/owner/integrations/google") => {
            match calendar::disconnect(svc, &ctx).await {
                Ok(()) => no_content(),
                Err(e) => flow_problem(e),
            }
        }
        (Method::GET, "/v1/owner/widget-keys") => ok(widget_keys::list(svc, &ctx, &widget_url())
            .await
            .map(Page::whole)),
        (Method::POST, "/v1/owner/widget-keys") => {
            let body = given!(parse_json_bounded(&req));
            match widget_keys::create(svc, &ctx, body, &widget_url()).await {
                Ok(k) => json(201, &k),
                Err(e) => flow_problem(e),
            }
        }
        (Method::POST, p) if p.starts_with("/v1/owner/widget-keys/") && p.ends_with("/rotate") => {
            match widget_keys::rotate(svc, &ctx, &widget_key(), &widget_url()).await {
                Ok(k) => json(201, &k),
                Err(e) => flow_problem(e),
            }
        }
        (Method::DELETE, p) if p.starts_with("/v1/owner/widget-keys/") => {
            match widget_keys::revoke(svc, &ctx, &widget_key()).await {
                Ok(()) => no_content(),
                Err(e) => flow_problem(e),
            }
        }
        (m, p) => problem(404, "Not Found", format!("no route {m} {p}")),
    }
}

/// Google's redirect. Answers with a redirect to the dashboard in every case but a
/// missing `state` or `code` (400): the owner is in a browser, not an API client.
async fn google_returned(svc: &Services, req: &Request) -> Response<Body> {
    let Some(state) = query(req, "state") else {
        return problem(400, "Bad Request", "query parameter `state` is required");
    };
    let consent = match (query(req, "error"), query(req, "code")) {
        (Some(_), _) => Consent::Declined,
        (None, Some(code)) => Consent::Granted(code),
        (None, None) => return problem(400, "Bad Request", "query parameter `code` is required"),
    };
    let redirect_uri = format!("{}{CALLBACK_PATH}", public_base(req, svc));
    let outcome = calendar::consent_returned(svc, state, consent, &redirect_uri).await;
    let dashboard = svc
        .config
        .dashboard_url
        .clone()
        .unwrap_or_else(|| format!("{}/", public_base(req, svc)));
    let sep = if dashboard.contains('?') { '&' } else { '?' };
    redirect(&format!("{dashboard}{sep}calendar={outcome}"))
}
