//! `api-admin`: the platform operator's API (role `admin` only): tenants (create, list,
//! suspend, lock down, resume), Twilio number routes, API credentials (issue, rotate with
//! an overlap, revoke), per-tenant usage, and platform health (queue depths, DLQ counts,
//! last schedule runs). The work is [`frontline::flows::admin`].

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use frontline::flows::{admin, FlowError};
use frontline::http::account::no_content;
use frontline::http::{auth, flow_problem, json, parse_json_bounded, path_param, problem, query};
use frontline::store::Page;
use frontline::tenancy::{NumberRouteInput, TenantStatus};
use frontline::Services;
use lambda_http::{http::Method, Body, Request, Response};
use serde::Serialize;

fn answer<T: Serialize>(status: u16, r: Result<T, FlowError>) -> Response<Body> {
    r.map_or_else(flow_problem, |v| json(status, &v))
}

/// A parsed body, or its problem.
macro_rules! body {
    ($req:expr) => {
        match parse_json_bounded($req) {
            Ok(b) => b,
            Err(r) => return r,
        }
    };
}

pub async fn handle(svc: &Services, req: Request) -> Response<Body> {
    let ctx = match auth::authorize(&req, svc).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let path = req.uri().path().trim_end_matches('/').to_string();
    let segs: Vec<&str> = path.split('/').skip(3).collect();
    let param = |name: &str, i: usize| {
        path_param(&req, name)
            .map(String::from)
            .or_else(|| segs.get(i).map(|s| s.to_string()))
            .unwrap_or_default()
    };
    let (tenant, cred) = (param("tenant_id", 1), param("credential_id", 3));
    let (c, t) = (&ctx, tenant.as_str());
    let status = |s| async move { answer(200, admin::set_status(svc, c, t, s).await) };
    match (req.method().clone(), segs.as_slice()) {
        (Method::GET, ["tenants"]) => answer(200, admin::tenants(svc).await.map(Page::whole)),
        (Method::POST, ["tenants"]) => {
            answer(201, admin::create_tenant(svc, &ctx, body!(&req)).await)
        }
        (Method::POST, ["tenants", _, "suspend"]) => status(TenantStatus::Suspended).await,
        (Method::POST, ["tenants", _, "lockdown"]) => status(TenantStatus::Lockdown).await,
        (Method::POST, ["tenants", _, "resume"]) => status(TenantStatus::Active).await,
        (Method::PUT, ["tenants", _, "number"]) => {
            let b: NumberRouteInput = body!(&req);
            answer(200, admin::route_number(svc, &ctx, &tenant, &b.phone).await)
        }
        (Method::GET, ["tenants", _, "credentials"]) => {
            let listed = admin::credentials(svc, &tenant).await;
            answer(200, listed.map(Page::whole))
        }
        (Method::POST, ["tenants", _, "credentials"]) => answer(
            201,
            admin::issue_credential(svc, &ctx, &tenant, body!(&req)).await,
        ),
        (Method::POST, ["tenants", _, "credentials", _, "rotate"]) => {
            let b = body!(&req);
            answer(
                201,
                admin::rotate_credential(svc, &ctx, &tenant, &cred, b).await,
            )
        }
        (Method::DELETE, ["tenants", _, "credentials", _]) => {
            match admin::revoke_credential(svc, &ctx, &tenant, &cred).await {
                Ok(()) => no_content(),
                Err(e) => flow_problem(e),
            }
        }
        (Method::GET, ["usage"]) => {
            let Some((from, to)) = month_bounds(query(&req, "month"), svc.clock.now()) else {
                return problem(400, "Bad Request", "month: must look like 2026-11");
            };
            answer(200, admin::usage(svc, from, to).await)
        }
        (Method::GET, ["health"]) => answer(200, admin::health(svc).await),
        (m, _) => problem(404, "Not Found", format!("no route {m} {path}")),
    }
}

/// `[start of month, start of next month)` in UTC for `month` (`YYYY-MM`, default now).
fn month_bounds(month: Option<&str>, now: DateTime<Utc>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let first = match month {
        Some(m) => NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok()?,
        None => {
            let n = now.date_naive();
            NaiveDate::from_ymd_opt(n.year(), n.month(), 1)?
        }
    };
    let next = first.checked_add_months(chrono::Months::new(1))?;
    Some((
        Utc.from_utc_datetime(&first.and_hms_opt(0, 0, 0)?),
        Utc.from_utc_datetime(&next.and_hms_opt(0, 0, 0)?),
    ))
}
