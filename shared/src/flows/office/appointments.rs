//! Appointments from the office: a job entered by hand, one job with its notes, the lifecycle (`booked` →
//! `completed` → `invoiced`, or `cancelled`/`no_show`), notes and amounts, and the
//! reschedule rules (the future only, within a year, a known technician, a free time and
//! room in that technician's day: the same locks a phone booking takes).

use super::{actor, note_text, MAX_NOTE_CHARS};
use crate::crm::input::{AppointmentPatch, NewAppointment, RescheduleRequest};
use crate::crm::Appointment;
use crate::flows::FlowError;
use crate::store::{AppointmentRefusal, BookRefusal, MoveRefusal, OfficeBooking};
use crate::tenancy::{AuthContext, Tenant};
use crate::Services;
use chrono::Duration;

/// How far ahead the office may move a job, days.
pub const RESCHEDULE_HORIZON_DAYS: i64 = 365;

/// The appointment `id` of the caller's tenant.
pub async fn get(svc: &Services, tenant_id: &str, id: &str) -> Result<Appointment, FlowError> {
    svc.store
        .appointment(tenant_id, id)
        .await?
        .ok_or(FlowError::NotFound("appointment"))
}

async fn tenant_and_appointment(
    svc: &Services,
    ctx: &AuthContext,
    id: &str,
) -> Result<(Tenant, Appointment), FlowError> {
    let tenant = svc
        .store
        .tenant(&ctx.tenant_id)
        .await?
        .ok_or(FlowError::NotFound("tenant"))?;
    Ok((tenant, get(svc, &ctx.tenant_id, id).await?))
}

/// Moves a job along its lifecycle, adds a note, or records its amount; the job as it
/// now stands.
pub async fn patch(
    svc: &Services,
    ctx: &AuthContext,
    id: &str,
    patch: AppointmentPatch,
) -> Result<Appointment, FlowError> {
    let note = note_text(patch.note.as_deref());
    if patch.note.is_some() && note.is_none_or(|n| n.chars().count() > MAX_NOTE_CHARS) {
        return Err(FlowError::Invalid(
            "note: must be 1 to 2,000 characters".into(),
        ));
    }
    if patch.status.is_none() && note.is_none() && patch.amount.is_none() {
        return Err(FlowError::Invalid(
            "status: give a status, a note or an amount".into(),
        ));
    }
    let (tenant, a) = tenant_and_appointment(svc, ctx, id).await?;
    let now = svc.clock.now();
    svc.store
        .update_appointment(
            &tenant,
            &a,
            patch.status,
            note,
            patch.amount,
            &actor(ctx),
            now,
        )
        .await?
        .map_err(|refusal| match refusal {
            AppointmentRefusal::Transition { from, to } => {
                FlowError::Invalid(format!("status: a {from} appointment cannot become {to}"))
            }
            AppointmentRefusal::Changed => FlowError::changed("appointment"),
        })?;
    get(svc, &ctx.tenant_id, id).await
}

/// The 409 for a time another job or a calendar block holds.
fn taken() -> FlowError {
    FlowError::conflict("start: another job or a calendar block holds part of that time")
}

/// The 409 for a technician's day at its limit of jobs.
fn day_full() -> FlowError {
    FlowError::conflict("start: that technician's day already has its maximum number of jobs")
}

/// A start the office may book or move a job to: in the future, within the horizon.
fn check_start(
    start: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), FlowError> {
    if start <= now || start > now + Duration::days(RESCHEDULE_HORIZON_DAYS) {
        return Err(FlowError::Invalid(format!(
            "start: must be in the future and within {RESCHEDULE_HORIZON_DAYS} days"
        )));
    }
    Ok(())
}

/// `resource` if the tenant has it, else the 400 naming the ones it has.
fn known_resource(tenant: &Tenant, resource: String) -> Result<String, FlowError> {
    if tenant.resources.iter().any(|r| r.id == resource) {
        return Ok(resource);
    }
    let known: Vec<&str> = tenant.resources.iter().map(|r| r.id.as_str()).collect();
    Err(FlowError::Invalid(format!(
        "resource: must be one of {}",
        known.join(", ")
    )))
}

/// Books a job the office took by hand: the same locks, day limit, reminder and
/// customer text as a phone booking. 409 when the time is taken or the day is full.
pub async fn create(
    svc: &Services,
    ctx: &AuthContext,
    body: NewAppointment,
) -> Result<Appointment, FlowError> {
    let now = svc.clock.now();
    check_start(body.start, now)?;
    let tenant = svc
        .store
        .tenant(&ctx.tenant_id)
        .await?
        .ok_or(FlowError::NotFound("tenant"))?;
    let customer = svc
        .store
        .customer(&ctx.tenant_id, &body.customer_id)
        .await?
        .ok_or_else(|| FlowError::Invalid("customer_id: no such customer".into()))?;
    let first = tenant.resources.first().map(|r| r.id.clone());
    let resource = known_resource(&tenant, body.resource.or(first).unwrap_or_default())?;
    let slot = crate::scheduling::Slot {
        resource,
        start: body.start,
        end: body.start + Duration::minutes(tenant.duration_min(body.service) as i64),
    };
    let id = svc
        .store
        .book_office_job(&OfficeBooking {
            tenant: &tenant,
            customer: &customer,
            service: body.service,
            slot: &slot,
            actor: &actor(ctx),
            now,
        })
        .await?
        .map_err(|refusal| match refusal {
            BookRefusal::Taken => taken(),
            BookRefusal::DayFull => day_full(),
        })?;
    get(svc, &ctx.tenant_id, &id).await
}

/// Moves a booked job to another start (and technician), keeping its length; the moved
/// job (a new id: the old one stays as `rescheduled`).
pub async fn reschedule(
    svc: &Services,
    ctx: &AuthContext,
    id: &str,
    body: RescheduleRequest,
) -> Result<Appointment, FlowError> {
    let now = svc.clock.now();
    check_start(body.start, now)?;
    let (tenant, a) = tenant_and_appointment(svc, ctx, id).await?;
    let resource = known_resource(&tenant, body.resource.unwrap_or_else(|| a.resource.clone()))?;
    let to = crate::scheduling::Slot {
        resource,
        start: body.start,
        end: body.start + (a.end - a.start),
    };
    let moved = svc
        .store
        .reschedule_appointment(&tenant, &a, &to, &actor(ctx), now)
        .await?
        .map_err(|refusal| match refusal {
            MoveRefusal::NotBooked(status) => {
                FlowError::Invalid(format!("status: a {status} appointment cannot be moved"))
            }
            MoveRefusal::Taken => taken(),
            MoveRefusal::DayFull => day_full(),
            MoveRefusal::Changed => FlowError::changed("appointment"),
        })?;
    get(svc, &ctx.tenant_id, &moved).await
}
