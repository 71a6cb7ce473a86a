//! `api-owner`: the owner's day and settings. The tenant comes from the bearer token only.
//!
//! - `GET /v1/owner/schedule?date=YYYY-MM-DD`: the day's jobs in the tenant's zone (default
//!   today) with customer, address, service, arrival window and calendar sync state, and
//!   the owner's busy time imported from Google (`busy`).
//! - `GET /v1/owner/availability?date=&service=`: the free starts that day for a service,
//!   as the receptionist would offer them.
//! - `GET`/`PUT /v1/owner/settings/scheduling`: hours, closures, lead time, daily limit,
//!   buffers and travel, resources, service catalogue, after-hours policy. A malformed body
//!   is 400 naming the field; a value that breaks a rule is 422 naming it; only the owner
//!   (or an admin) may change settings (403 otherwise). Each change is audited.
//! - `/v1/owner/integrations/google` (see [`calendar`]): Google Calendar connect, status,
//!   disconnect.

// Handlers return the HTTP response itself as the error of their parsing helpers.
#![allow(clippy::result_large_err)]

pub mod calendar;
pub mod office;

use chrono::{DateTime, NaiveDate, Utc};
use frontline::http::{auth, json, parse_json, problem, query, store_problem};
use frontline::scheduling::{arrival_window, day_bounds, find_slots, speak_slot, TimePreference};
use frontline::store::StoreError;
use frontline::tenancy::{AuthContext, GeneralSettings, Role, SchedulingSettings, Tenant};
use frontline::triage::ServiceType;
use frontline::Services;
use lambda_http::{http::Method, Body, Request, Response};
use serde_json::json as j;

pub async fn handle(svc: &Services, req: Request) -> Response<Body> {
    // Google's redirect carries no bearer token; its single-use `state` is the credential.
    if req.method() == Method::GET && req.uri().path() == calendar::CALLBACK_PATH {
        return calendar::callback(svc, &req).await;
    }
    let ctx = match auth::authorize(&req, svc).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let tenant = match svc.store.tenant(&ctx.tenant_id).await {
        Ok(Some(t)) => t,
        Ok(None) => return problem(404, "Not Found", "tenant not found"),
        Err(e) => return problem(503, "Service Unavailable", e.to_string()),
    };
    let path = req.uri().path().to_string();
    let res = match (req.method().clone(), path.as_str()) {
        (Method::GET, "/v1/owner/schedule") => schedule(svc, &tenant, &req).await,
        (Method::GET, "/v1/owner/availability") => availability(svc, &tenant, &req).await,
        (Method::GET, "/v1/owner/settings/scheduling") => {
            Ok(json(200, &SchedulingSettings::of(&tenant)))
        }
        (Method::PUT, "/v1/owner/settings/scheduling") => {
            put_settings(svc, tenant, &ctx, &req).await
        }
        (Method::GET, "/v1/owner/today") => office::today(svc, &tenant).await,
        (Method::GET, "/v1/owner/callbacks") => office::callbacks(svc, &tenant, &req).await,
        (Method::POST, p) if p.starts_with("/v1/owner/callbacks/") && p.ends_with("/resolve") => {
            office::resolve(svc, &tenant, &ctx, &req).await
        }
        (Method::GET, "/v1/owner/analytics") => office::analytics(svc, &tenant, &req).await,
        (Method::GET, "/v1/owner/settings") => Ok(json(200, &GeneralSettings::of(&tenant))),
        (Method::PUT, "/v1/owner/settings") => office::put_general(svc, tenant, &ctx, &req).await,
        (Method::GET, "/v1/owner/audit") => {
            let limit = query(&req, "limit")
                .and_then(|l| l.parse().ok())
                .unwrap_or(100)
                .clamp(1, 500);
            svc.store
                .audit_trail(&tenant.id, limit)
                .await
                .map(|items| json(200, &j!({"items": items, "next": null})))
        }
        (Method::GET, p) if p.starts_with("/v1/owner/privacy/customers/") => {
            office::privacy_export(svc, &tenant, &ctx, &req).await
        }
        (Method::DELETE, p) if p.starts_with("/v1/owner/privacy/customers/") => {
            office::privacy_erase(svc, &tenant, &ctx, &req).await
        }
        (Method::POST, "/v1/owner/integrations/google/connect") => {
            Ok(calendar::connect(svc, &ctx, &req).await)
        }
        (Method::GET, "/v1/owner/integrations/google") => calendar::status(svc, &ctx).await,
        (Method::DELETE, "/v1/owner/integrations/google") => {
            Ok(calendar::disconnect(svc, &ctx).await)
        }
        (m, p) => Ok(problem(404, "Not Found", format!("no route {m} {p}"))),
    };
    res.unwrap_or_else(store_problem)
}

/// The `date` parameter (YYYY-MM-DD, default today in the tenant's zone) and the UTC
/// bounds of that local day.
type Day = (NaiveDate, DateTime<Utc>, DateTime<Utc>);

fn day_param(req: &Request, tenant: &Tenant, now: DateTime<Utc>) -> Result<Day, Response<Body>> {
    let date = match query(req, "date") {
        None => tenant.local_date(now),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
            problem(
                400,
                "Bad Request",
                "query parameter `date` must be a date like 2026-11-24",
            )
        })?,
    };
    let (from, to) = day_bounds(tenant.tz(), date);
    Ok((date, from, to))
}

async fn schedule(
    svc: &Services,
    tenant: &Tenant,
    req: &Request,
) -> Result<Response<Body>, StoreError> {
    let (date, from, to) = match day_param(req, tenant, svc.clock.now()) {
        Ok(d) => d,
        Err(r) => return Ok(r),
    };
    let page = svc
        .store
        .list_appointments(&tenant.id, from, to, 200, None)
        .await?;
    let items: Vec<serde_json::Value> = page
        .items
        .into_iter()
        .filter(|a| a.status == "booked")
        .map(|a| {
            let service = serde_json::from_value::<ServiceType>(j!(a.service)).ok();
            let window_end = slot_of(&a).map(|slot| arrival_window(&slot, tenant).1.to_rfc3339());
            let resource_name = tenant
                .resources
                .iter()
                .find(|r| r.id == a.resource)
                .map(|r| r.name.clone());
            j!({
                "id": a.id,
                "start": a.start,
                "end": a.end,
                "arrival_window_end": window_end,
                "resource": a.resource,
                "resource_name": resource_name,
                "service": a.service,
                "service_label": service.map(|s| tenant.label(s)),
                "customer": a.customer,
                "address": a.address,
                "call_sid": a.call_sid,
                "calendar_sync": a.calendar_sync,
            })
        })
        .collect();
    let busy: Vec<serde_json::Value> = svc
        .store
        .busy_blocks(&tenant.id, from, to)
        .await?
        .into_iter()
        .map(|(resource, start, end)| {
            j!({"resource": resource, "start": start.to_rfc3339(), "end": end.to_rfc3339(), "source": "google"})
        })
        .collect();
    Ok(json(
        200,
        &j!({"date": date, "time_zone": tenant.time_zone, "closure": tenant.booking.closure_on(date), "items": items, "busy": busy}),
    ))
}

fn slot_of(a: &frontline::store::AppointmentRow) -> Option<frontline::scheduling::Slot> {
    let t = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    Some(frontline::scheduling::Slot {
        resource: a.resource.clone(),
        start: t(&a.start)?,
        end: t(&a.end)?,
    })
}

async fn availability(
    svc: &Services,
    tenant: &Tenant,
    req: &Request,
) -> Result<Response<Body>, StoreError> {
    let (date, from, to) = match day_param(req, tenant, svc.clock.now()) {
        Ok(d) => d,
        Err(r) => return Ok(r),
    };
    let service = match query(req, "service") {
        None => ServiceType::Other,
        Some(s) => match serde_json::from_value::<ServiceType>(j!(s)) {
            Ok(s) => s,
            Err(_) => {
                return Ok(problem(
                    400,
                    "Bad Request",
                    format!("query parameter `service`: unknown service type `{s}`"),
                ))
            }
        },
    };
    // Jobs from the day before can hold granules into this one.
    let busy = svc
        .store
        .busy(tenant, from - chrono::Duration::days(1), to)
        .await?;
    let pref = TimePreference {
        days: vec![date],
        ..TimePreference::default()
    };
    let duration = tenant.duration_min(service);
    let slots = find_slots(
        tenant,
        &tenant.hours,
        &pref,
        duration,
        &busy,
        svc.clock.now(),
        96,
    );
    let slots: Vec<serde_json::Value> = slots
        .iter()
        .map(|s| {
            j!({
                "resource": s.resource,
                "start": s.start.to_rfc3339(),
                "end": s.end.to_rfc3339(),
                "arrival_window_end": arrival_window(s, tenant).1.to_rfc3339(),
                "spoken": speak_slot(s, tenant),
            })
        })
        .collect();
    Ok(json(
        200,
        &j!({"date": date, "service": service, "duration_min": duration, "closure": tenant.booking.closure_on(date), "slots": slots}),
    ))
}

async fn put_settings(
    svc: &Services,
    mut tenant: Tenant,
    ctx: &AuthContext,
    req: &Request,
) -> Result<Response<Body>, StoreError> {
    if !matches!(ctx.role, Role::Owner | Role::Admin) {
        return Ok(problem(
            403,
            "Forbidden",
            "only the owner can change scheduling settings",
        ));
    }
    let settings: SchedulingSettings = match parse_json(req) {
        Ok(s) => s,
        Err(r) => return Ok(r),
    };
    if let Err(e) = settings.validate() {
        return Ok(problem(422, "Unprocessable Entity", e.to_string()));
    }
    settings.apply(&mut tenant);
    svc.store
        .update_tenant(
            &tenant,
            &format!("user:{}", ctx.user),
            "settings_scheduling_updated",
            svc.clock.now(),
        )
        .await?;
    Ok(json(200, &SchedulingSettings::of(&tenant)))
}
