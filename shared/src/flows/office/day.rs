//! The owner's day: Today (what happened, what is next, who to call back, a summary to
//! read aloud), the schedule of one local day, the free starts for a service, the callback
//! queue, and weekly analytics. Days are the tenant's local days.

use super::{actor, note_text, MAX_NOTE_CHARS};
use crate::crm::analytics;
use crate::crm::input::ResolveCallback;
use crate::crm::{Appointment, AppointmentStatus, CallSummary, CallbackTask, CustomerRef};
use crate::flows::FlowError;
use crate::scheduling::{arrival_window, day_bounds, find_slots, speak_slot, TimePreference};
use crate::tenancy::{AuthContext, Closure, Tenant};
use crate::triage::ServiceType;
use crate::Services;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

/// `GET /v1/owner/today`: the tenant's local today and tomorrow.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Today {
    /// The tenant's local date.
    pub date: NaiveDate,
    /// IANA zone the day is counted in.
    pub time_zone: String,
    /// RFC 3339.
    pub generated_at: String,
    /// A few sentences to read aloud.
    pub summary: String,
    /// Today's emergency calls.
    pub emergencies: Vec<CallSummary>,
    pub today: Vec<Appointment>,
    pub tomorrow: Vec<Appointment>,
    /// Open callbacks, oldest first.
    pub callbacks: Vec<CallbackTask>,
    /// Today's calls, newest first, at most 20.
    pub recent_calls: Vec<CallSummary>,
}

/// A booked job as the day's schedule shows it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ScheduledJob {
    pub id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// When the arrival window promised to the customer closes (RFC 3339).
    pub arrival_window_end: String,
    pub resource: String,
    pub resource_name: Option<String>,
    pub service: ServiceType,
    /// The tenant's own name for the service.
    pub service_label: String,
    pub customer: CustomerRef,
    pub address: Option<String>,
    pub call_sid: Option<String>,
    pub calendar_sync: Option<String>,
}

/// Time the owner's Google Calendar holds busy on a resource.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct BusyBlock {
    pub resource: String,
    /// RFC 3339.
    pub start: String,
    pub end: String,
    /// Always `google`.
    pub source: String,
}

/// `GET /v1/owner/schedule`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DaySchedule {
    pub date: NaiveDate,
    pub time_zone: String,
    /// The closure the day falls in, if any.
    pub closure: Option<Closure>,
    pub items: Vec<ScheduledJob>,
    pub busy: Vec<BusyBlock>,
}

/// A start the receptionist would offer.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct OfferedSlot {
    pub resource: String,
    /// RFC 3339.
    pub start: String,
    pub end: String,
    pub arrival_window_end: String,
    /// As the receptionist says it ("Thursday between 9 and 11 in the morning").
    pub spoken: String,
}

/// `GET /v1/owner/availability`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Availability {
    pub date: NaiveDate,
    pub service: ServiceType,
    /// The service's duration, minutes.
    pub duration_min: u32,
    pub closure: Option<Closure>,
    pub slots: Vec<OfferedSlot>,
}

/// `GET /v1/owner/today`: today's and tomorrow's jobs, today's calls and emergencies,
/// the open callbacks, and a spoken summary.
pub async fn today(svc: &Services, tenant: &Tenant) -> Result<Today, FlowError> {
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
    let callbacks = callbacks(svc, tenant, CallbackState::Open, None).await?;
    let summary = analytics::speakable_summary(tenant, &today, &tomorrow, &emergencies, &callbacks);
    Ok(Today {
        date,
        time_zone: tenant.time_zone.clone(),
        generated_at: now.to_rfc3339(),
        summary,
        emergencies,
        today,
        tomorrow,
        callbacks,
        recent_calls: calls.into_iter().take(20).collect(),
    })
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
) -> Result<DaySchedule, FlowError> {
    let (date, from, to) = day(tenant, date, svc.clock.now());
    let page = svc
        .store
        .list_appointments(&tenant.id, from, to, 200, None)
        .await?;
    let items: Vec<ScheduledJob> = page
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
            ScheduledJob {
                service_label: tenant.label(a.service).to_string(),
                id: a.id,
                start: a.start,
                end: a.end,
                arrival_window_end: window_end,
                resource: a.resource,
                resource_name,
                service: a.service,
                customer: a.customer,
                address: a.address,
                call_sid: a.call_sid,
                calendar_sync: a.calendar_sync,
            }
        })
        .collect();
    let busy: Vec<BusyBlock> = svc
        .store
        .busy_blocks(&tenant.id, from, to)
        .await?
        .into_iter()
        .map(|(resource, start, end)| BusyBlock {
            resource,
            start: start.to_rfc3339(),
            end: end.to_rfc3339(),
            source: "google".into(),
        })
        .collect();
    Ok(DaySchedule {
        date,
        time_zone: tenant.time_zone.clone(),
        closure: tenant.booking.closure_on(date).cloned(),
        items,
        busy,
    })
}

/// `GET /v1/owner/availability`: the free starts that day for a service, as the
/// receptionist would offer them.
pub async fn availability(
    svc: &Services,
    tenant: &Tenant,
    date: Option<NaiveDate>,
    service: ServiceType,
) -> Result<Availability, FlowError> {
    let now = svc.clock.now();
    let (date, from, to) = day(tenant, date, now);
    // Jobs from the day before can hold granules into this one.
    let busy = svc.store.busy(tenant, from - Duration::days(1), to).await?;
    let pref = TimePreference {
        days: vec![date],
        ..TimePreference::default()
    };
    let duration = tenant.duration_min(service);
    let slots: Vec<OfferedSlot> =
        find_slots(tenant, &tenant.hours, &pref, duration, &busy, now, 96)
            .iter()
            .map(|s| OfferedSlot {
                resource: s.resource.clone(),
                start: s.start.to_rfc3339(),
                end: s.end.to_rfc3339(),
                arrival_window_end: arrival_window(s, tenant).1.to_rfc3339(),
                spoken: speak_slot(s, tenant),
            })
            .collect();
    Ok(Availability {
        date,
        service,
        duration_min: duration,
        closure: tenant.booking.closure_on(date).cloned(),
        slots,
    })
}

/// Which callbacks to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackState {
    Open,
    Done,
}

/// The callback queue: open or done tasks, optionally of one reason, each with its
/// voicemail's link.
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
    let mut tasks = svc.store.callbacks(&tenant.id, status, reason).await?;
    // A missed call's task links the voicemail the caller left, if any.
    if tasks.iter().any(|t| t.call_sid.is_some()) {
        let left = svc.store.voicemail_calls(&tenant.id).await?;
        for t in &mut tasks {
            if let Some(sid) = t.call_sid.as_deref().filter(|s| left.contains(*s)) {
                t.voicemail = Some(format!("/v1/crm/calls/{sid}/recording"));
            }
        }
    }
    Ok(tasks)
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
