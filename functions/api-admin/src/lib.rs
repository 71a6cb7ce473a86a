//! `api-admin`: the platform operator's API (role `admin` only): tenants (create, list,
//! suspend, resume), Twilio number routes, API credentials (issue, rotate with an overlap,
//! revoke, last-used times), per-tenant usage, and platform health (queue depths, DLQ
//! counts, last scheduled-job runs).

use aws_sdk_sqs::types::QueueAttributeName as A;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use frontline::http::account::{hash_password, new_secret};
use frontline::http::{auth, json, parse_json_bounded, path_param, problem, query, store_problem};
use frontline::store::{CredentialRow, Login, StoreError};
use frontline::tenancy::{
    AuthContext, NewCredential, NewTenant, NumberRouteInput, Role, RotateCredential, Tenant,
    TenantStatus,
};
use frontline::Services;
use lambda_http::{http::Method, Body, Request, Response};
use serde_json::json as j;

type Res = Result<Response<Body>, StoreError>;

pub async fn handle(svc: &Services, req: Request) -> Response<Body> {
    let ctx = match auth::authorize(&req, svc).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let path = req.uri().path().trim_end_matches('/').to_string();
    let segs: Vec<&str> = path.split('/').skip(3).collect();
    let tenant_id = path_param(&req, "tenant_id")
        .map(String::from)
        .or_else(|| segs.get(1).map(|s| s.to_string()))
        .unwrap_or_default();
    let cred_id = path_param(&req, "credential_id")
        .map(String::from)
        .or_else(|| segs.get(3).map(|s| s.to_string()))
        .unwrap_or_default();
    let res = match (req.method().clone(), segs.as_slice()) {
        (Method::GET, ["tenants"]) => list_tenants(svc).await,
        (Method::POST, ["tenants"]) => create_tenant(svc, &ctx, &req).await,
        (Method::POST, ["tenants", _, "suspend"]) => {
            set_status(svc, &ctx, &tenant_id, TenantStatus::Suspended).await
        }
        (Method::POST, ["tenants", _, "lockdown"]) => {
            set_status(svc, &ctx, &tenant_id, TenantStatus::Lockdown).await
        }
        (Method::POST, ["tenants", _, "resume"]) => {
            set_status(svc, &ctx, &tenant_id, TenantStatus::Active).await
        }
        (Method::PUT, ["tenants", _, "number"]) => route_number(svc, &ctx, &tenant_id, &req).await,
        (Method::GET, ["tenants", _, "credentials"]) => match svc.store.tenant(&tenant_id).await {
            Ok(Some(_)) => svc
                .store
                .credentials(&tenant_id)
                .await
                .map(|items| json(200, &j!({"items": items, "next": null}))),
            Ok(None) => Ok(not_found("tenant")),
            Err(e) => Err(e),
        },
        (Method::POST, ["tenants", _, "credentials"]) => {
            issue_credential(svc, &ctx, &tenant_id, &req).await
        }
        (Method::POST, ["tenants", _, "credentials", _, "rotate"]) => {
            rotate(svc, &ctx, &tenant_id, &cred_id, &req).await
        }
        (Method::DELETE, ["tenants", _, "credentials", _]) => {
            revoke(svc, &ctx, &tenant_id, &cred_id).await
        }
        (Method::GET, ["usage"]) => usage(svc, &req).await,
        (Method::GET, ["health"]) => health(svc).await,
        (m, _) => Ok(problem(404, "Not Found", format!("no route {m} {path}"))),
    };
    res.unwrap_or_else(store_problem)
}

fn not_found(what: &str) -> Response<Body> {
    problem(404, "Not Found", format!("no such {what}"))
}

fn actor(ctx: &AuthContext) -> String {
    format!("admin:{}", ctx.user)
}

#[derive(serde::Serialize)]
struct TenantView<'a> {
    id: &'a str,
    name: &'a str,
    phone: &'a str,
    time_zone: &'a str,
    plan: &'a str,
    status: TenantStatus,
}

fn view(t: &Tenant) -> TenantView<'_> {
    TenantView {
        id: &t.id,
        name: &t.name,
        phone: &t.phone,
        time_zone: &t.time_zone,
        plan: &t.plan,
        status: t.status,
    }
}

async fn tenants(svc: &Services) -> Result<Vec<Tenant>, StoreError> {
    let mut out = Vec::new();
    for id in svc.store.tenant_ids().await? {
        if let Some(t) = svc.store.tenant(&id).await? {
            out.push(t);
        }
    }
    Ok(out)
}

async fn list_tenants(svc: &Services) -> Res {
    let all = tenants(svc).await?;
    let items: Vec<TenantView> = all.iter().map(view).collect();
    Ok(json(200, &j!({"items": items, "next": null})))
}

async fn create_tenant(svc: &Services, ctx: &AuthContext, req: &Request) -> Res {
    let body: NewTenant = match parse_json_bounded(req) {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    let tenant = match body.tenant() {
        Ok(t) => t,
        Err(e) => return Ok(problem(422, "Unprocessable Entity", e.to_string())),
    };
    if svc.store.tenant(&tenant.id).await?.is_some() {
        return Ok(problem(409, "Conflict", "id: a tenant with this id exists"));
    }
    if svc.store.route(&tenant.phone).await?.is_some() {
        return Ok(problem(
            409,
            "Conflict",
            "phone: this number already routes to a tenant",
        ));
    }
    let now = svc.clock.now();
    let login = Login {
        email: body.owner_email.trim().to_lowercase(),
        password_hash: hash_password(&body.owner_password),
        tenant_id: tenant.id.clone(),
        role: Role::Owner,
    };
    if svc.store.login_state(&login.email).await?.is_some() {
        return Ok(problem(
            409,
            "Conflict",
            "owner_email: a login with this email exists",
        ));
    }
    svc.store
        .update_tenant(&tenant, &actor(ctx), "tenant_created", now)
        .await?;
    if !svc.store.create_login(&login, &actor(ctx), now).await? {
        return Ok(problem(
            409,
            "Conflict",
            "owner_email: a login with this email exists",
        ));
    }
    Ok(json(201, &view(&tenant)))
}

async fn set_status(svc: &Services, ctx: &AuthContext, id: &str, status: TenantStatus) -> Res {
    let Some(mut t) = svc.store.tenant(id).await? else {
        return Ok(not_found("tenant"));
    };
    if t.status != status {
        t.status = status;
        let action = match status {
            TenantStatus::Suspended => "tenant_suspended",
            TenantStatus::Lockdown => "tenant_locked_down",
            TenantStatus::Active => "tenant_resumed",
        };
        svc.store
            .update_tenant(&t, &actor(ctx), action, svc.clock.now())
            .await?;
        svc.tenants.forget(&t.phone);
    }
    Ok(json(200, &view(&t)))
}

async fn route_number(svc: &Services, ctx: &AuthContext, id: &str, req: &Request) -> Res {
    let body: NumberRouteInput = match parse_json_bounded(req) {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    let Some(phone) = frontline::phone::normalize_e164(&body.phone) else {
        return Ok(problem(
            422,
            "Unprocessable Entity",
            "phone: not a phone number",
        ));
    };
    let Some(mut t) = svc.store.tenant(id).await? else {
        return Ok(not_found("tenant"));
    };
    let old = std::mem::replace(&mut t.phone, phone);
    if !svc
        .store
        .move_number(&t, &old, &actor(ctx), svc.clock.now())
        .await?
    {
        return Ok(problem(
            409,
            "Conflict",
            "phone: this number routes to another tenant",
        ));
    }
    Ok(json(200, &j!({"tenant": view(&t), "previous_number": old})))
}

fn credential_view(c: &CredentialRow) -> serde_json::Value {
    serde_json::to_value(c).unwrap_or_default()
}

async fn issue_credential(
    svc: &Services,
    ctx: &AuthContext,
    tenant_id: &str,
    req: &Request,
) -> Res {
    let body: NewCredential = match parse_json_bounded(req) {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Ok(problem(
            422,
            "Unprocessable Entity",
            "name: must be 1 to 80 characters",
        ));
    }
    if body.role == Role::Admin {
        return Ok(problem(
            422,
            "Unprocessable Entity",
            "role: must be owner or staff",
        ));
    }
    if svc.store.tenant(tenant_id).await?.is_none() {
        return Ok(not_found("tenant"));
    }
    let (key, row) = new_credential(tenant_id, name, body.role, svc.clock.now());
    svc.store
        .put_credential(&row, &actor(ctx), svc.clock.now())
        .await?;
    Ok(json(
        201,
        &j!({"credential": credential_view(&row), "key": key}),
    ))
}

/// A new key value and its stored row (id from the hash, never the value).
fn new_credential(
    tenant_id: &str,
    name: &str,
    role: Role,
    now: DateTime<Utc>,
) -> (String, CredentialRow) {
    let (key, hash) = new_secret(auth::API_KEY_PREFIX);
    let row = CredentialRow {
        id: format!("key_{}", &hash[..12]),
        tenant_id: tenant_id.to_string(),
        name: name.to_string(),
        role,
        created_at: now.to_rfc3339(),
        expires_at: None,
        last_used_at: None,
        replaced_by: None,
        hash,
    };
    (key, row)
}

async fn rotate(
    svc: &Services,
    ctx: &AuthContext,
    tenant_id: &str,
    id: &str,
    req: &Request,
) -> Res {
    let body: RotateCredential = match parse_json_bounded(req) {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    if body.overlap_hours > 168 {
        return Ok(problem(
            422,
            "Unprocessable Entity",
            "overlap_hours: must be 0 to 168",
        ));
    }
    let Some(old) = svc.store.credential_by_id(tenant_id, id).await? else {
        return Ok(not_found("credential"));
    };
    if old.expires_at.is_some() {
        return Ok(problem(
            409,
            "Conflict",
            "this credential was already rotated or revoked",
        ));
    }
    let now = svc.clock.now();
    let (key, new) = new_credential(tenant_id, &old.name, old.role, svc.clock.now());
    svc.store.put_credential(&new, &actor(ctx), now).await?;
    let ends = now + Duration::hours(body.overlap_hours as i64);
    svc.store
        .expire_credential(&old, ends, Some(&new.id), &actor(ctx), now)
        .await?;
    Ok(json(
        201,
        &j!({"credential": credential_view(&new), "key": key, "previous": {"id": old.id, "expires_at": ends.to_rfc3339()}}),
    ))
}

async fn revoke(svc: &Services, ctx: &AuthContext, tenant_id: &str, id: &str) -> Res {
    let Some(old) = svc.store.credential_by_id(tenant_id, id).await? else {
        return Ok(not_found("credential"));
    };
    let now = svc.clock.now();
    svc.store
        .expire_credential(&old, now, None, &actor(ctx), now)
        .await?;
    Ok(frontline::http::account::no_content())
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
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    Some((
        Utc.from_utc_datetime(&first.and_hms_opt(0, 0, 0)?),
        Utc.from_utc_datetime(&next.and_hms_opt(0, 0, 0)?),
    ))
}

async fn usage(svc: &Services, req: &Request) -> Res {
    let Some((from, to)) = month_bounds(query(req, "month"), svc.clock.now()) else {
        return Ok(problem(400, "Bad Request", "month: must look like 2026-11"));
    };
    let mut items = Vec::new();
    for t in tenants(svc).await? {
        let calls = svc.store.calls_between(&t.id, from, to).await?;
        let voice: Vec<_> = calls.iter().filter(|c| c.channel == "voice").collect();
        // Twilio bills each started minute.
        let minutes: i64 = voice
            .iter()
            .map(|c| (c.duration_s.unwrap_or(0) + 59) / 60)
            .sum();
        let texts = svc.store.count_messages_between(&t.id, from, to).await?;
        let bookings = calls
            .iter()
            .filter(|c| matches!(c.outcome.as_str(), "booked" | "rescheduled"))
            .count();
        items.push(j!({
            "tenant_id": t.id,
            "calls": voice.len(),
            "minutes": minutes,
            "texts": texts,
            "text_conversations": calls.len() - voice.len(),
            "bookings": bookings,
        }));
    }
    Ok(json(
        200,
        &j!({"from": from.to_rfc3339(), "to": to.to_rfc3339(), "items": items, "next": null}),
    ))
}

/// Depth of a queue and of its dead-letter queue (found through its redrive policy).
async fn queue_depth(sqs: &aws_sdk_sqs::Client, url: &str) -> serde_json::Value {
    let attrs = |url: String| async move {
        sqs.get_queue_attributes()
            .queue_url(url)
            .attribute_names(A::ApproximateNumberOfMessages)
            .attribute_names(A::ApproximateNumberOfMessagesNotVisible)
            .attribute_names(A::RedrivePolicy)
            .send()
            .await
            .map(|o| o.attributes().cloned().unwrap_or_default())
    };
    let Ok(main) = attrs(url.to_string()).await else {
        return j!({"url": url, "error": "queue unavailable"});
    };
    let num = |m: &std::collections::HashMap<A, String>, k: A| {
        m.get(&k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0)
    };
    let dlq_name = main
        .get(&A::RedrivePolicy)
        .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
        .and_then(|p| p["deadLetterTargetArn"].as_str().map(String::from))
        .and_then(|arn| arn.rsplit(':').next().map(String::from));
    let mut dlq = serde_json::Value::Null;
    if let Some(name) = dlq_name {
        if let Ok(u) = sqs.get_queue_url().queue_name(&name).send().await {
            if let Ok(d) = attrs(u.queue_url().unwrap_or_default().to_string()).await {
                dlq = j!({"name": name, "messages": num(&d, A::ApproximateNumberOfMessages)});
            }
        }
    }
    j!({
        "name": url.rsplit('/').next().unwrap_or_default(),
        "messages": num(&main, A::ApproximateNumberOfMessages),
        "in_flight": num(&main, A::ApproximateNumberOfMessagesNotVisible),
        "dlq": dlq,
    })
}

async fn health(svc: &Services) -> Res {
    let mut queues = Vec::new();
    for url in [
        &svc.config.notifications_queue_url,
        &svc.config.integrations_queue_url,
    ] {
        if !url.is_empty() {
            queues.push(queue_depth(&svc.sqs, url).await);
        }
    }
    let dlq_total: i64 = queues
        .iter()
        .filter_map(|q| q["dlq"]["messages"].as_i64())
        .sum();
    let jobs: Vec<serde_json::Value> = svc
        .store
        .schedule_runs()
        .await?
        .into_iter()
        .map(|(job, at, summary)| j!({"job": job, "last_run": at, "summary": summary}))
        .collect();
    Ok(json(
        200,
        &j!({
            "status": if dlq_total == 0 { "ok" } else { "attention" },
            "queues": queues,
            "dlq_messages": dlq_total,
            "scheduled_jobs": jobs,
            "checked_at": svc.clock.now().to_rfc3339(),
        }),
    ))
}
