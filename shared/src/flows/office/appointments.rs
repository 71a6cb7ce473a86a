//! Appointments from the office: one job with its notes, the lifecycle (`booked` →
//! `completed` → `invoiced`, or `cancelled`/`no_show`), notes and amounts, and the
//! reschedule rules (the future only, within a year, a known technician, a free time and
//! room in that technician's day: the same locks a phone booking takes).

use super::{actor, note_text, MAX_NOTE_CHARS};
use crate::crm::input::{AppointmentPatch, RescheduleRequest};
use crate::crm::Appointment;
use crate::flows::FlowError;
use crate::store::{AppointmentRefusal, MoveRefusal};
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

/// Moves a booked job to another start (and technician), keeping its length; the moved
/// job (a new id: the old one stays as `rescheduled`).
pub async fn reschedule(
    svc: &Services,
    ctx: &AuthContext,
    id: &str,
    body: RescheduleRequest,
) -> Result<Appointment, FlowError> {
    let now = svc.clock.now();
    if body.start <= now || body.start > now + Duration::days(RESCHEDULE_HORIZON_DAYS) {
        return Err(FlowError::Invalid(format!(
            "start: must be in the future and within {RESCHEDULE_HORIZON_DAYS} days"
        )));
    }
    let (tenant, a) = tenant_and_appointment(svc, ctx, id).await?;
    let resource = body.resource.unwrap_or_else(|| a.resource.clone());
    if !tenant.resources.iter().any(|r| r.id == resource) {
        let known: Vec<&str> = tenant.resources.iter().map(|r| r.id.as_str()).collect();
        return Err(FlowError::Invalid(format!(
            "resource: must be one of {}",
            known.join(", ")
        )));
    }
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
            MoveRefusal::Taken => FlowError::conflict(
                "start: another job or a calendar block holds part of that time",
            ),
            MoveRefusal::DayFull => FlowError::conflict(
                "start: that technician's day already has its maximum number of jobs",
            ),
            MoveRefusal::Changed => FlowError::changed("appointment"),
        })?;
    get(svc, &ctx.tenant_id, &moved).await
}
