//! The owner's day: Today (what happened, what is next, who to call back, a summary to
//! read aloud), the schedule of one local day, the free starts for a service, the callback
//! queue, and weekly analytics. Days are the tenant's local days.

use super::{actor, note_text, MAX_NOTE_CHARS};
use crate::crm::analytics;
use crate::crm::input::ResolveCallback;
use crate::crm::{AppointmentStatus, CallbackTask};
use crate::flows::FlowError;
use crate::scheduling::{arrival_window, day_bounds, find_slots, speak_slot, TimePreference};
use crate::tenancy::{AuthContext, Tenant};
use crate::triage::ServiceType;
use crate::Services;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{json, Value};

/// `GET /v1/owner/today`: today's and tomorrow's jobs, today's calls and emergencies,
/// the open callbacks, and a spoken summary.
pub async fn today(svc: &Services, tenant: &Tenant) -> Result<Value, FlowError> {
    let now = svc.clock.now();
    let date = tenant.local_date(now);
    let (t0, t1) = day_bounds(tenant.tz(), date);
    let (_, t2) = day_bounds(tenant.tz(), date + Duration::days(1));
    let jobs = svc.store.appointments_between(&tenant.id, t0, t2).await?;
    let (today, tomorrow): (Vec<_>, Vec<_>) = jobs
        .into_iter()
        .filter(|a| a.status != AppointmentStatus::Rescheduled)
        .partition(|a| a.start < t1);
    let calls = svc
        .store
        .calls_between(&tenant.id, t0, now + Duration::minutes(1))
        .await?;
    let emergencies: Vec<_> = calls.iter().filter(|c| c.emergency).cloned().collect();
    let callbacks = svc.store.callbacks(&tenant.id, "open", None).await?;
    let summary = analytics::speakable_summary(tenant, &today, &tomorrow, &emergencies, &callbacks);
    Ok(json!({
        "date": date,
        "time_zone": tenant.time_zone,
        "generated_at": now.to_rfc3339(),
        "summary": summary,
        "emergencies": emergencies,
        "today": today,
        "tomorrow": tomorrow,
        "callbacks": callbacks,
        "recent_calls": calls.iter().take(20).collect::<Vec<_>>(),
    }))
}

/// A local day (`None`: today in the tenant's zone) and its UTC bounds.
fn day(
    tenant: &Tenant,
    date: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> (NaiveDate, DateTime<Utc>, DateTime<Utc>) {
    let date = date.unwrap_or_else(|| tenant.local_date(now));
    let (from, to) = day_bounds(tenant.tz(), date);
    (date, from, to)
}

/// `GET /v1/owner/schedule`: the day's booked jobs with customer, address, service,
/// arrival window and calendar sync state, and the owner's busy time from Google.
pub async fn schedule(
    svc: &Services,
    tenant: &Tenant,
    date: Option<NaiveDate>,
) -> Result<Value, FlowError> {
    let (date, from, to) = day(tenant, date, svc.clock.now());
    let page = svc
        .store
        .list_appointments(&tenant.id, from, to, 200, None)
        .await?;
    let items: Vec<Value> = page
        .items
        .into_iter()
        .filter(|a| a.status == AppointmentStatus::Booked)
        .map(|a| {
            let window_end = arrival_window(&a.slot(), tenant).1.to_rfc3339();
            let resource_name = tenant
                .resources
                .iter()
                .find(|r| r.id == a.resource)
                .map(|r| r.name.clone());
            json!({
                "id": a.id,
                "start": a.start,
                "end": a.end,
                "arrival_window_end": window_end,
                "resource": a.resource,
                "resource_name": resource_name,
                "service": a.service,
                "service_label": tenant.label(a.service),
                "customer": a.customer,
                "address": a.address,
                "call_sid": a.call_sid,
                "calendar_sync": a.calendar_sync,
            })
        })
        .collect();
    let busy: Vec<Value> = svc
        .store
        .busy_blocks(&tenant.id, from, to)
        .await?
        .into_iter()
        .map(|(resource, start, end)| {
            json!({"resource": resource, "start": start.to_rfc3339(), "end": end.to_rfc3339(), "source": "google"})
        })
        .collect();
    Ok(json!({
        "date": date,
        "time_zone": tenant.time_zone,
        "closure": tenant.booking.closure_on(date),
        "items": items,
        "busy": busy,
    }))
}

/// `GET /v1/owner/availability`: the free starts that day for a service, as the
/// receptionist would offer them.
pub async fn availability(
    svc: &Services,
    tenant: &Tenant,
    date: Option<NaiveDate>,
    service: ServiceType,
) -> Result<Value, FlowError> {
    let now = svc.clock.now();
    let (date, from, to) = day(tenant, date, now);
    // Jobs from the day before can hold granules into this one.
    let busy = svc.store.busy(tenant, from - Duration::days(1), to).await?;
    let pref = TimePreference {
        days: vec![date],
        ..TimePreference::default()
    };
    let duration = tenant.duration_min(service);
    let slots: Vec<Value> = find_slots(tenant, &tenant.hours, &pref, duration, &busy, now, 96)
        .iter()
        .map(|s| {
            json!({
                "resource": s.resource,
                "start": s.start.to_rfc3339(),
                "end": s.end.to_rfc3339(),
                "arrival_window_end": arrival_window(s, tenant).1.to_rfc3339(),
                "spoken": speak_slot(s, tenant),
            })
        })
        .collect();
    Ok(json!({
        "date": date,
        "service": service,
        "duration_min": duration,
        "closure": tenant.booking.closure_on(date),
        "slots": slots,
    }))
}

/// Which callbacks to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackState {
    Open,
    Done,
}

/// The callback queue: open or done tasks, optionally of one reason.
pub async fn callbacks(
    svc: &Services,
    tenant: &Tenant,
    state: CallbackState,
    reason: Option<&str>,
) -> Result<Vec<CallbackTask>, FlowError> {
    let status = match state {
        CallbackState::Open => "open",
        CallbackState::Done => "done",
    };
    Ok(svc.store.callbacks(&tenant.id, status, reason).await?)
}

/// Closes an open callback with its outcome and an optional note.
pub async fn resolve_callback(
    svc: &Services,
    tenant: &Tenant,
    ctx: &AuthContext,
    id: &str,
    body: ResolveCallback,
) -> Result<CallbackTask, FlowError> {
    let note = note_text(body.note.as_deref());
    if note.is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
        return Err(FlowError::Invalid("note: at most 2,000 characters".into()));
    }
    let now = svc.clock.now();
    svc.store
        .resolve_callback(&tenant.id, id, body.outcome, note, &actor(ctx), now)
        .await?
        .ok_or(FlowError::NotFound("open callback with this id"))
}

/// `GET /v1/owner/analytics`: the last `weeks` whole local weeks, week by week.
pub async fn analytics(
    svc: &Services,
    tenant: &Tenant,
    weeks: u32,
) -> Result<analytics::Analytics, FlowError> {
    let now = svc.clock.now();
    let first = analytics::first_week(tenant.local_date(now), weeks);
    let (from, _) = day_bounds(tenant.tz(), first);
    let (_, to) = day_bounds(
        tenant.tz(),
        first + Duration::weeks(weeks as i64) - Duration::days(1),
    );
    let jobs = svc.store.appointments_between(&tenant.id, from, to).await?;
    let calls = svc.store.calls_between(&tenant.id, from, to).await?;
    Ok(analytics::compute(tenant, &jobs, &calls, now, weeks))
}
