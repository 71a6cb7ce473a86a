//! The owner's day and office work: Today, the callback queue, analytics, general
//! settings, and privacy export and erasure of one customer.

use chrono::Duration;
use frontline::crm::analytics;
use frontline::crm::input::ResolveCallback;
use frontline::http::{json, parse_json_bounded, path_param, problem, query};
use frontline::scheduling::day_bounds;
use frontline::store::StoreError;
use frontline::tenancy::{AuthContext, GeneralSettings, Tenant};
use frontline::Services;
use lambda_http::{Body, Request, Response};
use serde_json::json as j;

type Res = Result<Response<Body>, StoreError>;

fn actor(ctx: &AuthContext) -> String {
    format!("user:{}", ctx.user)
}

/// The path segment after `prefix` (API Gateway's path parameter when present).
fn segment(req: &Request, name: &str, prefix: &str) -> String {
    path_param(req, name)
        .map(String::from)
        .or_else(|| {
            req.uri()
                .path()
                .strip_prefix(prefix)
                .and_then(|r| r.split('/').next())
                .map(String::from)
        })
        .unwrap_or_default()
}

/// `GET /v1/owner/today`.
pub async fn today(svc: &Services, tenant: &Tenant) -> Res {
    let now = svc.clock.now();
    let date = tenant.local_date(now);
    let (t0, t1) = day_bounds(tenant.tz(), date);
    let (_, t2) = day_bounds(tenant.tz(), date + Duration::days(1));
    let jobs = svc.store.appointments_between(&tenant.id, t0, t2).await?;
    let (today, tomorrow): (Vec<_>, Vec<_>) = jobs
        .into_iter()
        .filter(|a| a.row.status != "rescheduled")
        .partition(|a| frontline::store::parse_time(&a.row.start).is_some_and(|s| s < t1));
    let calls = svc
        .store
        .calls_between(&tenant.id, t0, now + Duration::minutes(1))
        .await?;
    let emergencies: Vec<_> = calls.iter().filter(|c| c.emergency).cloned().collect();
    let callbacks = svc.store.callbacks(&tenant.id, "open", None).await?;
    let summary = analytics::speakable_summary(tenant, &today, &tomorrow, &emergencies, &callbacks);
    Ok(json(
        200,
        &j!({
            "date": date,
            "time_zone": tenant.time_zone,
            "generated_at": now.to_rfc3339(),
            "summary": summary,
            "emergencies": emergencies,
            "today": today,
            "tomorrow": tomorrow,
            "callbacks": callbacks,
            "recent_calls": calls.iter().take(20).collect::<Vec<_>>(),
        }),
    ))
}

/// `GET /v1/owner/callbacks?status=&reason=`.
pub async fn callbacks(svc: &Services, tenant: &Tenant, req: &Request) -> Res {
    let status = query(req, "status").unwrap_or("open");
    if !matches!(status, "open" | "done") {
        return Ok(problem(400, "Bad Request", "status: must be open or done"));
    }
    let items = svc
        .store
        .callbacks(&tenant.id, status, query(req, "reason"))
        .await?;
    Ok(json(200, &j!({"items": items, "next": null})))
}

/// `POST /v1/owner/callbacks/{callback_id}/resolve`.
pub async fn resolve(svc: &Services, tenant: &Tenant, ctx: &AuthContext, req: &Request) -> Res {
    let body: ResolveCallback = match parse_json_bounded(req) {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    let note = body
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > 2_000) {
        return Ok(problem(
            422,
            "Unprocessable Entity",
            "note: at most 2,000 characters",
        ));
    }
    let id = segment(req, "callback_id", "/v1/owner/callbacks/");
    Ok(
        match svc
            .store
            .resolve_callback(
                &tenant.id,
                &id,
                body.outcome,
                note,
                &actor(ctx),
                svc.clock.now(),
            )
            .await?
        {
            Some(task) => json(200, &task),
            None => problem(404, "Not Found", "no open callback with this id"),
        },
    )
}

/// `GET /v1/owner/analytics?weeks=`.
pub async fn analytics(svc: &Services, tenant: &Tenant, req: &Request) -> Res {
    let weeks: u32 = match query(req, "weeks").map(str::parse) {
        None => 12,
        Some(Ok(w)) if (1..=52).contains(&w) => w,
        Some(_) => return Ok(problem(400, "Bad Request", "weeks: must be 1 to 52")),
    };
    let now = svc.clock.now();
    let first = analytics::first_week(tenant.local_date(now), weeks);
    let (from, _) = day_bounds(tenant.tz(), first);
    let (_, to) = day_bounds(
        tenant.tz(),
        first + Duration::weeks(weeks as i64) - Duration::days(1),
    );
    let jobs = svc.store.appointments_between(&tenant.id, from, to).await?;
    let calls = svc.store.calls_between(&tenant.id, from, to).await?;
    Ok(json(
        200,
        &analytics::compute(tenant, &jobs, &calls, now, weeks),
    ))
}

/// `PUT /v1/owner/settings`.
pub async fn put_general(
    svc: &Services,
    mut tenant: Tenant,
    ctx: &AuthContext,
    req: &Request,
) -> Res {
    let settings: GeneralSettings = match parse_json_bounded(req) {
        Ok(s) => s,
        Err(r) => return Ok(r),
    };
    if let Err(e) = settings.apply(&mut tenant) {
        return Ok(problem(422, "Unprocessable Entity", e.to_string()));
    }
    svc.store
        .update_tenant(
            &tenant,
            &actor(ctx),
            "settings_general_updated",
            svc.clock.now(),
        )
        .await?;
    Ok(json(200, &GeneralSettings::of(&tenant)))
}

/// `GET /v1/owner/privacy/customers/{customer_id}`: everything held, audited.
pub async fn privacy_export(
    svc: &Services,
    tenant: &Tenant,
    ctx: &AuthContext,
    req: &Request,
) -> Res {
    let id = segment(req, "customer_id", "/v1/owner/privacy/customers/");
    let Some(c) = svc.store.customer(&tenant.id, &id).await? else {
        return Ok(problem(404, "Not Found", "no such customer"));
    };
    let records = svc.store.customer_export(&tenant.id, &c).await?;
    let opted_out = svc.store.is_opted_out(&tenant.id, &c.phone).await?;
    svc.store
        .audit(
            &tenant.id,
            &actor(ctx),
            "customer_exported",
            &c.id,
            svc.clock.now(),
        )
        .await?;
    Ok(json(
        200,
        &j!({"customer": c, "opted_out": opted_out, "records": records, "exported_at": svc.clock.now().to_rfc3339()}),
    ))
}

/// `DELETE /v1/owner/privacy/customers/{customer_id}`.
pub async fn privacy_erase(
    svc: &Services,
    tenant: &Tenant,
    ctx: &AuthContext,
    req: &Request,
) -> Res {
    let id = segment(req, "customer_id", "/v1/owner/privacy/customers/");
    let Some(c) = svc.store.customer(&tenant.id, &id).await? else {
        return Ok(problem(404, "Not Found", "no such customer"));
    };
    let n = svc
        .store
        .erase_customer(&tenant.id, &c, &actor(ctx), svc.clock.now())
        .await?;
    Ok(json(200, &j!({"erased": c.id, "records_redacted": n})))
}
