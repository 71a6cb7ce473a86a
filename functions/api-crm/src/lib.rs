//! `api-crm`: customers (create, update, search, timeline, duplicates, merge), appointments
//! (list, one, lifecycle and notes), calls (list, one), the notification trail, CSV import
//! and export. The tenant comes from the bearer token only; the route table
//! ([`frontline::http::routes`]) says who may call what.

// Handlers return the HTTP response itself as the error of their parsing helpers.
#![allow(clippy::result_large_err)]

use chrono::{DateTime, Duration, Utc};
use frontline::crm::input::{
    to_csv, AppointmentPatch, CustomerInput, CustomerPatch, ImportRequest, MergeRequest,
    RescheduleRequest,
};
use frontline::crm::CallView;
use frontline::http::{
    auth, json, parse_json_bounded, parse_json_limit, path_param, problem, query, store_problem,
};
use frontline::store::{
    AppointmentRefusal, CustomerConflict, CustomerRecord, MoveRefusal, StoreError,
};
use frontline::tenancy::AuthContext;
use frontline::Services;
use lambda_http::{http::Method, Body, Request, Response};
use serde_json::json as j;

/// Largest CSV import body, bytes (5,000 rows of a typical customer list fit in ~1 MB).
pub const MAX_IMPORT_BYTES: usize = 4 * 1024 * 1024;

type Res = Result<Response<Body>, StoreError>;

pub async fn handle(svc: &Services, req: Request) -> Response<Body> {
    let ctx = match auth::authorize(&req, svc).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let path = req.uri().path().trim_end_matches('/').to_string();
    let segs: Vec<&str> = path.split('/').skip(3).collect();
    let p = |name: &str, i: usize| {
        path_param(&req, name)
            .map(String::from)
            .or_else(|| segs.get(i).map(|s| s.to_string()))
            .unwrap_or_default()
    };
    let t = ctx.tenant_id.clone();
    let res = match (req.method().clone(), segs.as_slice()) {
        (Method::GET, ["customers"]) => search(svc, &t, &req).await,
        (Method::POST, ["customers"]) => create(svc, &ctx, &req).await,
        (Method::GET, ["customers", _]) => {
            with_customer(svc, &t, &p("customer_id", 1), |c| async move {
                Ok(json(200, &c))
            })
            .await
        }
        (Method::PATCH, ["customers", _]) => update(svc, &ctx, &p("customer_id", 1), &req).await,
        (Method::GET, ["customers", _, "timeline"]) => {
            let (limit, cursor) = page_params(&req, 100, 500);
            with_customer(svc, &t, &p("customer_id", 1), |c| {
                let t = t.clone();
                async move {
                    Ok(json(
                        200,
                        &svc.store.timeline(&t, &c, limit, cursor.as_deref()).await?,
                    ))
                }
            })
            .await
        }
        (Method::GET, ["customers", _, "duplicates"]) => {
            with_customer(svc, &t, &p("customer_id", 1), |c| {
                let t = t.clone();
                async move {
                    let items: Vec<serde_json::Value> = svc
                        .store
                        .duplicates(&t, &c)
                        .await?
                        .into_iter()
                        .map(|(o, why)| j!({"customer": o, "reasons": why}))
                        .collect();
                    Ok(json(200, &j!({"items": items, "next": null})))
                }
            })
            .await
        }
        (Method::POST, ["customers", _, "merge"]) => {
            merge(svc, &ctx, &p("customer_id", 1), &req).await
        }
        (Method::GET, ["appointments"]) => appointments(svc, &t, &req).await,
        (Method::GET, ["appointments", _]) => {
            match svc.store.appointment(&t, &p("appointment_id", 1)).await {
                Ok(Some(a)) => Ok(json(200, &a)),
                Ok(None) => Ok(not_found("appointment")),
                Err(e) => Err(e),
            }
        }
        (Method::PATCH, ["appointments", _]) => {
            patch_appointment(svc, &ctx, &p("appointment_id", 1), &req).await
        }
        (Method::POST, ["appointments", _, "reschedule"]) => {
            reschedule(svc, &ctx, &p("appointment_id", 1), &req).await
        }
        (Method::GET, ["calls"]) => calls(svc, &t, &req).await,
        (Method::GET, ["calls", _]) => call(svc, &t, &p("call_sid", 1)).await,
        (Method::GET, ["notifications"]) => {
            // The notification audit trail: what went to whom (masked), when, and its fate.
            let limit = query(&req, "limit")
                .and_then(|l| l.parse().ok())
                .unwrap_or(100)
                .clamp(1, 500);
            svc.store
                .list_notifications(&t, limit)
                .await
                .map(|items| json(200, &j!({"items": items, "next": null})))
        }
        (Method::POST, ["import", "customers"]) => import(svc, &ctx, &req).await,
        (Method::GET, ["export", _]) => export(svc, &t, &p("kind", 1)).await,
        (m, _) => Ok(problem(404, "Not Found", format!("no route {m} {path}"))),
    };
    res.unwrap_or_else(store_problem)
}

fn not_found(what: &str) -> Response<Body> {
    problem(404, "Not Found", format!("no such {what}"))
}

fn page_params(req: &Request, default: usize, max: usize) -> (usize, Option<String>) {
    let limit = query(req, "limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(default)
        .clamp(1, max);
    (limit, query(req, "cursor").map(String::from))
}

async fn with_customer<F, Fut>(svc: &Services, tenant: &str, id: &str, f: F) -> Res
where
    F: FnOnce(CustomerRecord) -> Fut,
    Fut: std::future::Future<Output = Res>,
{
    match svc.store.customer(tenant, id).await? {
        Some(c) => f(c).await,
        None => Ok(not_found("customer")),
    }
}

async fn search(svc: &Services, tenant: &str, req: &Request) -> Res {
    let (limit, cursor) = page_params(req, 50, 200);
    let q = query(req, "q").unwrap_or("");
    Ok(json(
        200,
        &svc.store
            .search_customer_page(tenant, q, limit, cursor.as_deref())
            .await?,
    ))
}

fn conflict(c: CustomerConflict) -> Response<Body> {
    match c {
        CustomerConflict::PhoneTaken(id) => {
            let mut r = json(
                409,
                &j!({"type": "about:blank", "title": "Conflict", "status": 409, "detail": "phone: another customer has this number", "customer_id": id}),
            );
            r.headers_mut().insert(
                "content-type",
                "application/problem+json".parse().expect("static"),
            );
            r
        }
        CustomerConflict::Changed => problem(
            409,
            "Conflict",
            "the customer changed since it was read; reload and try again",
        ),
    }
}

async fn create(svc: &Services, ctx: &AuthContext, req: &Request) -> Res {
    let input: CustomerInput = match parse_json_bounded(req) {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    let c = match input.validate() {
        Ok(c) => c,
        Err(e) => return Ok(problem(422, "Unprocessable Entity", e.to_string())),
    };
    Ok(
        match svc
            .store
            .create_customer(&ctx.tenant_id, &c, &actor(ctx), svc.clock.now())
            .await?
        {
            Ok(rec) => json(201, &rec),
            Err(c) => conflict(c),
        },
    )
}

fn actor(ctx: &AuthContext) -> String {
    format!("user:{}", ctx.user)
}

async fn update(svc: &Services, ctx: &AuthContext, id: &str, req: &Request) -> Res {
    let patch: CustomerPatch = match parse_json_bounded(req) {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    let Some(cur) = svc.store.customer(&ctx.tenant_id, id).await? else {
        return Ok(not_found("customer"));
    };
    let next = match patch.apply(&cur.fields()) {
        Ok(n) => n,
        Err(e) => return Ok(problem(422, "Unprocessable Entity", e.to_string())),
    };
    Ok(
        match svc
            .store
            .update_customer(&ctx.tenant_id, &cur, &next, &actor(ctx), svc.clock.now())
            .await?
        {
            Ok(rec) => json(200, &rec),
            Err(c) => conflict(c),
        },
    )
}

async fn merge(svc: &Services, ctx: &AuthContext, id: &str, req: &Request) -> Res {
    let body: MergeRequest = match parse_json_bounded(req) {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    if body.duplicate_id == id {
        return Ok(problem(
            422,
            "Unprocessable Entity",
            "duplicate_id: a customer cannot be merged into itself",
        ));
    }
    let t = &ctx.tenant_id;
    let (Some(keep), Some(dup)) = (
        svc.store.customer(t, id).await?,
        svc.store.customer(t, &body.duplicate_id).await?,
    ) else {
        return Ok(not_found("customer"));
    };
    let moved = svc
        .store
        .merge_customers(t, &keep, &dup, &actor(ctx), svc.clock.now())
        .await?;
    let merged = svc.store.customer(t, id).await?;
    Ok(json(
        200,
        &j!({"customer": merged, "moved": moved, "removed": dup.id}),
    ))
}

fn time_param(req: &Request, name: &str) -> Result<Option<DateTime<Utc>>, Response<Body>> {
    match query(req, name) {
        None => Ok(None),
        Some(v) => DateTime::parse_from_rfc3339(v)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| {
                problem(
                    400,
                    "Bad Request",
                    format!("{name}: must be an RFC 3339 time, e.g. 2026-11-24T00:00:00Z"),
                )
            }),
    }
}

/// `from`/`to` query parameters with defaults; 400 when malformed or reversed.
fn window(
    req: &Request,
    default_from: DateTime<Utc>,
    span: Duration,
) -> Result<(DateTime<Utc>, DateTime<Utc>), Response<Body>> {
    let from = time_param(req, "from")?.unwrap_or(default_from);
    let to = time_param(req, "to")?.unwrap_or(from + span);
    if to <= from {
        return Err(problem(400, "Bad Request", "to: must be after `from`"));
    }
    Ok((from, to))
}

async fn appointments(svc: &Services, tenant: &str, req: &Request) -> Res {
    let (from, to) = match window(req, svc.clock.now(), Duration::days(30)) {
        Ok(w) => w,
        Err(r) => return Ok(r),
    };
    let (limit, cursor) = page_params(req, 100, 500);
    let page = svc
        .store
        .list_appointments(tenant, from, to, limit as i32, cursor.as_deref())
        .await?;
    Ok(json(200, &page))
}

async fn patch_appointment(svc: &Services, ctx: &AuthContext, id: &str, req: &Request) -> Res {
    let patch: AppointmentPatch = match parse_json_bounded(req) {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    let note = patch
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if patch.note.is_some() && note.is_none_or(|n| n.chars().count() > 2_000) {
        return Ok(problem(
            422,
            "Unprocessable Entity",
            "note: must be 1 to 2,000 characters",
        ));
    }
    if patch.status.is_none() && note.is_none() && patch.amount.is_none() {
        return Ok(problem(
            422,
            "Unprocessable Entity",
            "status: give a status, a note or an amount",
        ));
    }
    let Some(tenant) = svc.store.tenant(&ctx.tenant_id).await? else {
        return Ok(not_found("tenant"));
    };
    let Some(a) = svc.store.appointment(&ctx.tenant_id, id).await? else {
        return Ok(not_found("appointment"));
    };
    match svc
        .store
        .update_appointment(
            &tenant,
            &a,
            patch.status,
            note,
            patch.amount,
            &actor(ctx),
            svc.clock.now(),
        )
        .await?
    {
        Ok(()) => {}
        Err(AppointmentRefusal::Transition { from, to }) => {
            return Ok(problem(
                422,
                "Unprocessable Entity",
                format!("status: a {from} appointment cannot become {to}"),
            ))
        }
        Err(AppointmentRefusal::Changed) => {
            return Ok(problem(
                409,
                "Conflict",
                "the appointment changed since it was read; reload and try again",
            ))
        }
    }
    Ok(match svc.store.appointment(&ctx.tenant_id, id).await? {
        Some(a) => json(200, &a),
        None => not_found("appointment"),
    })
}

/// How far ahead the office may move a job, days.
const RESCHEDULE_HORIZON_DAYS: i64 = 365;

async fn reschedule(svc: &Services, ctx: &AuthContext, id: &str, req: &Request) -> Res {
    let body: RescheduleRequest = match parse_json_bounded(req) {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    let unprocessable = |detail: String| Ok(problem(422, "Unprocessable Entity", detail));
    let now = svc.clock.now();
    if body.start <= now || body.start > now + Duration::days(RESCHEDULE_HORIZON_DAYS) {
        return unprocessable(format!(
            "start: must be in the future and within {RESCHEDULE_HORIZON_DAYS} days"
        ));
    }
    let Some(tenant) = svc.store.tenant(&ctx.tenant_id).await? else {
        return Ok(not_found("tenant"));
    };
    let Some(a) = svc.store.appointment(&ctx.tenant_id, id).await? else {
        return Ok(not_found("appointment"));
    };
    let resource = body.resource.unwrap_or_else(|| a.row.resource.clone());
    if !tenant.resources.iter().any(|r| r.id == resource) {
        let known: Vec<&str> = tenant.resources.iter().map(|r| r.id.as_str()).collect();
        return unprocessable(format!("resource: must be one of {}", known.join(", ")));
    }
    let (Some(start), Some(end)) = (
        DateTime::parse_from_rfc3339(&a.row.start).ok(),
        DateTime::parse_from_rfc3339(&a.row.end).ok(),
    ) else {
        return Err(StoreError::Corrupt("appointment times".into()));
    };
    let to = frontline::scheduling::Slot {
        resource,
        start: body.start,
        end: body.start + (end - start),
    };
    match svc
        .store
        .reschedule_appointment(&tenant, &a, &to, &actor(ctx), now)
        .await?
    {
        Ok(new_id) => Ok(
            match svc.store.appointment(&ctx.tenant_id, &new_id).await? {
                Some(moved) => json(200, &moved),
                None => not_found("appointment"),
            },
        ),
        Err(MoveRefusal::NotBooked(status)) => {
            unprocessable(format!("status: a {status} appointment cannot be moved"))
        }
        Err(MoveRefusal::Taken) => Ok(problem(
            409,
            "Conflict",
            "start: another job or a calendar block holds part of that time",
        )),
        Err(MoveRefusal::DayFull) => Ok(problem(
            409,
            "Conflict",
            "start: that technician's day already has its maximum number of jobs",
        )),
        Err(MoveRefusal::Changed) => Ok(problem(
            409,
            "Conflict",
            "the appointment changed since it was read; reload and try again",
        )),
    }
}

async fn calls(svc: &Services, tenant: &str, req: &Request) -> Res {
    let (from, to) = match window(req, svc.clock.now() - Duration::days(7), Duration::days(7)) {
        Ok(w) => w,
        Err(r) => return Ok(r),
    };
    let to = if query(req, "to").is_none() && query(req, "from").is_none() {
        svc.clock.now() + Duration::minutes(1)
    } else {
        to
    };
    let outcome = query(req, "outcome");
    let emergency = match query(req, "emergency") {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => {
            return Ok(problem(
                400,
                "Bad Request",
                "emergency: must be true or false",
            ))
        }
    };
    let (limit, cursor) = page_params(req, 50, 200);
    let all: Vec<_> = svc
        .store
        .calls_between(tenant, from, to)
        .await?
        .into_iter()
        .filter(|c| outcome.is_none_or(|o| c.outcome == o))
        .filter(|c| emergency.is_none_or(|e| c.emergency == e))
        .collect();
    let offset = frontline::store::parse_offset(cursor.as_deref())?;
    Ok(json(200, &frontline::store::page_of(&all, offset, limit)))
}

async fn call(svc: &Services, tenant: &str, sid: &str) -> Res {
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

async fn import(svc: &Services, ctx: &AuthContext, req: &Request) -> Res {
    let body: ImportRequest = match parse_json_limit(req, MAX_IMPORT_BYTES) {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    let parsed = match frontline::crm::input::parse_import(&body) {
        Ok(p) => p,
        Err(e) => return Ok(problem(422, "Unprocessable Entity", e.to_string())),
    };
    let rows: Vec<_> = parsed.rows.iter().map(|(_, c)| c.clone()).collect();
    let counts = svc
        .store
        .import_customers(
            &ctx.tenant_id,
            &rows,
            body.dry_run,
            &actor(ctx),
            svc.clock.now(),
        )
        .await?;
    Ok(json(
        200,
        &j!({
            "dry_run": body.dry_run,
            "rows": rows.len() + parsed.errors.len(),
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
            "skipped": parsed.errors.len(),
            "errors": parsed.errors,
        }),
    ))
}

fn csv_response(name: &str, body: String) -> Response<Body> {
    Response::builder()
        .status(200)
        .header("content-type", "text/csv; charset=utf-8")
        .header(
            "content-disposition",
            format!("attachment; filename=\"{name}.csv\""),
        )
        .header("cache-control", "no-store")
        .body(Body::Text(body))
        .expect("static response parts")
}

async fn export(svc: &Services, tenant: &str, kind: &str) -> Res {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    match kind {
        "customers" => {
            let rows: Vec<Vec<String>> = svc
                .store
                .all_customers(tenant)
                .await?
                .into_iter()
                .map(|c| {
                    vec![
                        c.id.clone(),
                        s(&c.name),
                        c.phone.clone(),
                        c.other_phones.join(" "),
                        s(&c.email),
                        s(&c.address),
                        s(&c.notes),
                        s(&c.created_at),
                        s(&c.last_job_at),
                    ]
                })
                .collect();
            Ok(csv_response(
                "customers",
                to_csv(
                    &[
                        "id",
                        "name",
                        "phone",
                        "other_phones",
                        "email",
                        "address",
                        "notes",
                        "created_at",
                        "last_job_at",
                    ],
                    &rows,
                ),
            ))
        }
        "appointments" => {
            let rows: Vec<Vec<String>> = svc
                .store
                .appointments_between(
                    tenant,
                    DateTime::<Utc>::UNIX_EPOCH,
                    svc.clock.now() + Duration::days(3650),
                )
                .await?
                .into_iter()
                .map(|a| {
                    vec![
                        a.row.id.clone(),
                        a.row.start.clone(),
                        a.row.end.clone(),
                        a.row.status.clone(),
                        a.row.service.clone(),
                        a.row.resource.clone(),
                        a.row.customer.id.clone(),
                        a.row.customer.name.clone(),
                        a.row.customer.phone.clone(),
                        a.row.address.clone().unwrap_or_default(),
                        a.amount.map(|x| x.to_string()).unwrap_or_default(),
                    ]
                })
                .collect();
            Ok(csv_response(
                "appointments",
                to_csv(
                    &[
                        "id",
                        "start",
                        "end",
                        "status",
                        "service",
                        "resource",
                        "customer_id",
                        "customer_name",
                        "phone",
                        "address",
                        "amount",
                    ],
                    &rows,
                ),
            ))
        }
        "calls" => {
            let rows: Vec<Vec<String>> = svc
                .store
                .calls_between(
                    tenant,
                    DateTime::<Utc>::UNIX_EPOCH,
                    svc.clock.now() + Duration::days(1),
                )
                .await?
                .into_iter()
                .map(|c| {
                    vec![
                        c.call_sid,
                        c.started_at,
                        c.channel,
                        c.caller,
                        c.customer_id.unwrap_or_default(),
                        c.outcome,
                        c.emergency.to_string(),
                        c.service,
                        c.duration_s.map(|d| d.to_string()).unwrap_or_default(),
                    ]
                })
                .collect();
            Ok(csv_response(
                "calls",
                to_csv(
                    &[
                        "call_sid",
                        "started_at",
                        "channel",
                        "caller",
                        "customer_id",
                        "outcome",
                        "emergency",
                        "service",
                        "duration_s",
                    ],
                    &rows,
                ),
            ))
        }
        _ => Ok(problem(
            404,
            "Not Found",
            "kind: export one of customers, appointments, calls",
        )),
    }
}
