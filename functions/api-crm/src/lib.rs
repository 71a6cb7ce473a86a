//! `api-crm`: `GET /v1/crm/calls/{call_sid}`, `GET /v1/crm/appointments?from=&to=`,
//! `GET /v1/crm/customers?q=`. The tenant comes from the bearer token only.

// Handlers return the HTTP response itself as the error of their parsing helpers.
#![allow(clippy::result_large_err)]

use chrono::{DateTime, Utc};
use frontline::crm::CallView;
use frontline::http::{auth, json, path_param, problem, query};
use frontline::store::StoreError;
use frontline::Services;
use lambda_http::{Body, Request, Response};

pub async fn handle(svc: &Services, req: Request) -> Response<Body> {
    let ctx = match auth::authenticate(&req, svc).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let path = req.uri().path().to_string();
    let res = if let Some(_sid) = path.strip_prefix("/v1/crm/calls/") {
        let sid = path_param(&req, "call_sid").unwrap_or(_sid).to_string();
        call(svc, &ctx.tenant_id, &sid).await
    } else if path == "/v1/crm/appointments" {
        appointments(svc, &ctx.tenant_id, &req).await
    } else if path == "/v1/crm/notifications" {
        // The notification audit trail: what went to whom (masked), when, and its fate.
        let limit = query(&req, "limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(100)
            .clamp(1, 500);
        svc.store
            .list_notifications(&ctx.tenant_id, limit)
            .await
            .map(|items| json(200, &serde_json::json!({"items": items, "next": null})))
    } else if path == "/v1/crm/customers" {
        let q = query(&req, "q").unwrap_or("");
        svc.store
            .search_customers(&ctx.tenant_id, q, 50)
            .await
            .map(|items| json(200, &serde_json::json!({"items": items, "next": null})))
    } else {
        Ok(problem(404, "Not Found", format!("no route {path}")))
    };
    res.unwrap_or_else(|e| match e {
        StoreError::Invalid(d) => problem(400, "Bad Request", d),
        e => problem(503, "Service Unavailable", e.to_string()),
    })
}

async fn call(svc: &Services, tenant: &str, sid: &str) -> Result<Response<Body>, StoreError> {
    let Some(c) = svc.store.get_call(tenant, sid).await? else {
        return Ok(problem(404, "Not Found", format!("no call {sid}")));
    };
    let customer = c
        .state
        .known
        .as_ref()
        .map(|k| k.id.clone())
        .unwrap_or_else(|| frontline::store::customer_id_for(tenant, &c.state.caller));
    let appt = svc
        .store
        .appointment_for_call(tenant, &customer, sid)
        .await?;
    Ok(json(200, &CallView::new(&c.state, c.status.clone(), appt)))
}

fn time_param(req: &Request, name: &str) -> Result<Option<DateTime<Utc>>, Response<Body>> {
    match query(req, name) {
        None => Ok(None),
        Some(v) => DateTime::parse_from_rfc3339(v)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| problem(400, "Bad Request", format!("query parameter `{name}` must be an RFC 3339 time, e.g. 2026-11-24T00:00:00Z"))),
    }
}

async fn appointments(
    svc: &Services,
    tenant: &str,
    req: &Request,
) -> Result<Response<Body>, StoreError> {
    let (from, to) = match (time_param(req, "from"), time_param(req, "to")) {
        (Ok(a), Ok(b)) => (
            a.unwrap_or_else(Utc::now),
            b.unwrap_or_else(|| Utc::now() + chrono::Duration::days(30)),
        ),
        (Err(r), _) | (_, Err(r)) => return Ok(r),
    };
    if to <= from {
        return Ok(problem(400, "Bad Request", "`to` must be after `from`"));
    }
    let limit = query(req, "limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(100)
        .clamp(1, 500);
    let page = svc
        .store
        .list_appointments(tenant, from, to, limit, query(req, "cursor"))
        .await?;
    Ok(json(200, &page))
}
