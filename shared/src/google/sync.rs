//! The `calendar-sync` worker's logic: push each job to the owner's Google Calendar (insert,
//! patch or delete the job's event), pull the owner's busy times into blocking slot locks,
//! and keep the connection's status honest. Google is only ever reached from here, never
//! from a call.

use super::{event_id, CalendarEvent, GoogleError, OAuthApp};
use crate::crm::{Appointment, AppointmentStatus};
use crate::google::client::EventTime;
use crate::google::seal::TokenKeys;
use crate::notify::AppointmentRef;
use crate::scheduling::blocks;
use crate::store::{Integration, IntegrationStatus, SyncReport};
use crate::tenancy::Tenant;
use crate::Services;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// The provider name in keys, audit actions and status.
pub const PROVIDER: &str = "google";
/// How far ahead the owner's busy time is imported, days (the booking horizon).
pub const IMPORT_DAYS: i64 = 21;
/// How far ahead the repair pass re-pushes jobs that are not in the calendar yet, days.
pub const REPAIR_DAYS: i64 = 120;

/// Access tokens per tenant and when they stop being used (a minute before Google's
/// expiry).
pub type TokenCache = Mutex<HashMap<String, (String, Instant)>>;

/// One SQS `integrations` message body (`{"kind": ...}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IntegrationMessage {
    /// A job was booked, moved or cancelled (from `fanout`).
    Appointment {
        tenant_id: String,
        appointment: AppointmentRef,
        event_id: String,
    },
    /// The schedule's tick: one `Import` per connected tenant.
    ImportAll,
    /// Import one tenant's busy time and re-push its jobs that are not in the calendar.
    Import { tenant_id: String },
}

/// Why a job did not finish.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Try again later (after `after_s` seconds when Google said so).
    #[error("{reason}")]
    Retry {
        reason: String,
        after_s: Option<u64>,
    },
}

impl crate::queue::Retryable for SyncError {
    fn retry_after_s(&self) -> Option<u64> {
        match self {
            SyncError::Retry { after_s, .. } => *after_s,
        }
    }
}

fn retry(reason: impl ToString) -> SyncError {
    SyncError::Retry {
        reason: reason.to_string(),
        after_s: None,
    }
}

/// Runs one job. `Ok` means done (including "nothing to do" and failures that only a
/// reconnect can fix, which are recorded); `Err` means the message should come back.
pub async fn run(
    svc: &Services,
    job: &IntegrationMessage,
    now: DateTime<Utc>,
) -> Result<(), SyncError> {
    // Boxed: the Google and DynamoDB futures nest deeply enough to overflow the
    // compiler's layout depth in the Lambda's main.
    match job {
        IntegrationMessage::Appointment {
            tenant_id,
            appointment,
            ..
        } => Box::pin(sync_appointment(svc, tenant_id, appointment, now)).await,
        IntegrationMessage::ImportAll => Box::pin(enqueue_imports(svc)).await,
        IntegrationMessage::Import { tenant_id } => Box::pin(import(svc, tenant_id, now)).await,
    }
}

/// Messages for `fanout` to send to the `integrations` queue for one outbox event.
pub fn messages_for(ev: &crate::notify::OutboxEvent) -> Vec<IntegrationMessage> {
    ev.appointment
        .iter()
        .map(|a| IntegrationMessage::Appointment {
            tenant_id: ev.tenant_id.clone(),
            appointment: a.clone(),
            event_id: ev.id.clone(),
        })
        .collect()
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

struct Ctx<'a> {
    svc: &'a Services,
    tenant: Tenant,
    integ: Integration,
}

/// The connection and tenant, or `None` when there is nothing to sync with.
async fn context<'a>(svc: &'a Services, tenant_id: &str) -> Result<Option<Ctx<'a>>, SyncError> {
    let Some(integ) = svc
        .store
        .integration(tenant_id, PROVIDER)
        .await
        .map_err(retry)?
    else {
        return Ok(None);
    };
    let Some(tenant) = svc.store.tenant(tenant_id).await.map_err(retry)? else {
        return Ok(None);
    };
    Ok(Some(Ctx { svc, tenant, integ }))
}

impl Ctx<'_> {
    /// A usable access token: cached, else refreshed from the sealed refresh token.
    async fn access_token(&self, fresh: bool) -> Result<String, GoogleError> {
        let id = &self.tenant.id;
        if !fresh {
            if let Some((tok, until)) = self
                .svc
                .google_tokens
                .lock()
                .ok()
                .and_then(|m| m.get(id).cloned())
            {
                if Instant::now() < until {
                    return Ok(tok);
                }
            }
        }
        let app: OAuthApp = self
            .svc
            .secrets
            .get_json(&self.svc.config.google_oauth_secret_id)
            .await
            .map_err(|e| GoogleError::Transient(e.to_string()))?;
        let keys: TokenKeys = self
            .svc
            .secrets
            .get_json(&self.svc.config.calendar_key_secret_id)
            .await
            .map_err(|e| GoogleError::Transient(e.to_string()))?;
        let refresh = keys
            .open(id, &self.integ.sealed_refresh_token)
            .map_err(|e| GoogleError::Revoked(e.to_string()))?;
        let grant = self.svc.google.refresh(&app, &refresh).await?;
        let until =
            Instant::now() + std::time::Duration::from_secs(grant.expires_in.saturating_sub(60));
        if let Ok(mut m) = self.svc.google_tokens.lock() {
            m.insert(id.clone(), (grant.access_token.clone(), until));
        }
        Ok(grant.access_token)
    }

    /// Runs `op` with an access token; a 401 gets one fresh token and one more try.
    async fn authed<T, F, Fut>(&self, op: F) -> Result<T, GoogleError>
    where
        F: Fn(String) -> Fut,
        Fut: std::future::Future<Output = Result<T, GoogleError>>,
    {
        let tok = self.access_token(false).await?;
        match op(tok).await {
            Err(GoogleError::Permanent { status: 401, .. }) => {
                let tok = self.access_token(true).await?;
                op(tok).await
            }
            other => other,
        }
    }

    fn event(&self, job: &Appointment) -> CalendarEvent {
        let t = &self.tenant;
        let service = job.service;
        let tz = t.tz().name().to_string();
        CalendarEvent {
            id: Some(event_id(&t.id, job.job())),
            summary: format!("{}: {}", capitalised(&t.label(service)), job.customer.name),
            description: format!(
                "Customer: {} ({})\nTechnician: {}\nBooked by Frontline. Job {}.",
                job.customer.name,
                crate::phone::display(&job.customer.phone),
                job.resource,
                job.job()
            ),
            location: job.address.clone(),
            start: EventTime::new(job.start, &tz),
            end: EventTime::new(job.end, &tz),
            extended_properties: serde_json::json!({"private": {
                "frontline_job": job.job(),
                "frontline_appointment": job.id,
            }}),
        }
    }

    /// Makes the calendar match one job: a booked job has its event at its time, a
    /// cancelled one has none; a rescheduled appointment is left to its successor.
    async fn push(&self, job: &Appointment, now: DateTime<Utc>) -> Result<(), GoogleError> {
        let svc = self.svc;
        let cal = self.integ.calendar_id.as_str();
        let state = match job.status {
            AppointmentStatus::Booked => {
                let ev = self.event(job);
                let moved = job.job() != job.id;
                // A new job is usually new to Google, a moved one usually is not: try the
                // likely call first, fall back on 409/404.
                let first = if moved {
                    self.authed(|t| {
                        let ev = ev.clone();
                        async move { svc.google.patch_event(&t, cal, &ev).await }
                    })
                    .await
                } else {
                    self.authed(|t| {
                        let ev = ev.clone();
                        async move { svc.google.insert_event(&t, cal, &ev).await }
                    })
                    .await
                };
                match first {
                    Ok(()) => {}
                    Err(GoogleError::Conflict) => {
                        self.authed(|t| {
                            let ev = ev.clone();
                            async move { svc.google.patch_event(&t, cal, &ev).await }
                        })
                        .await?
                    }
                    Err(GoogleError::NotFound) if moved => {
                        self.authed(|t| {
                            let ev = ev.clone();
                            async move { svc.google.insert_event(&t, cal, &ev).await }
                        })
                        .await?
                    }
                    Err(e) => return Err(e),
                }
                "synced"
            }
            AppointmentStatus::Cancelled => {
                let id = event_id(&self.tenant.id, job.job());
                self.authed(|t| {
                    let id = id.clone();
                    async move { svc.google.delete_event(&t, cal, &id).await }
                })
                .await?;
                "removed"
            }
            _ => return Ok(()),
        };
        let _ = svc
            .store
            .set_job_sync(&self.tenant.id, job, state, None, now)
            .await;
        Ok(())
    }

    /// Records a failure on the connection (and the job); says whether to retry.
    async fn failed(
        &self,
        job: Option<&Appointment>,
        e: GoogleError,
        now: DateTime<Utc>,
    ) -> Result<(), SyncError> {
        let store = &self.svc.store;
        let id = &self.tenant.id;
        let report = match &e {
            GoogleError::Revoked(m) => SyncReport::Revoked(format!(
                "Google access was revoked: {m}. Connect the calendar again."
            )),
            other => SyncReport::Failed(other.to_string()),
        };
        tracing::warn!(tenant = %id, error = %e, "calendar sync failed");
        let _ = store.report_integration(id, PROVIDER, &report, now).await;
        if let Some(j) = job {
            let _ = store
                .set_job_sync(id, j, "failed", Some(&e.to_string()), now)
                .await;
        }
        match e {
            GoogleError::RateLimited { retry_after_s } => Err(SyncError::Retry {
                reason: "google rate limit".into(),
                after_s: retry_after_s,
            }),
            GoogleError::Transient(m) => Err(retry(m)),
            // Revoked or refused: retrying cannot help. The job stays `failed`, and the
            // repair pass of the next import (or a reconnect) pushes it again.
            _ => Ok(()),
        }
    }
}

/// Pushes one appointment's current state (booked → event at its time, cancelled → no
/// event). Acting on the stored state, not the message, makes late and repeated messages
/// harmless.
pub async fn sync_appointment(
    svc: &Services,
    tenant_id: &str,
    appt: &AppointmentRef,
    now: DateTime<Utc>,
) -> Result<(), SyncError> {
    let Some(ctx) = context(svc, tenant_id).await? else {
        return Ok(());
    };
    let Some(job) = svc
        .store
        .sync_job(tenant_id, &appt.id, appt.start)
        .await
        .map_err(retry)?
    else {
        tracing::warn!(tenant = %tenant_id, appointment = %appt.id, "no such appointment to sync");
        return Ok(());
    };
    if ctx.integ.status == IntegrationStatus::ReconnectNeeded {
        let _ = svc
            .store
            .set_job_sync(
                tenant_id,
                &job,
                "failed",
                Some("calendar needs reconnecting"),
                now,
            )
            .await;
        return Ok(());
    }
    match ctx.push(&job, now).await {
        Ok(()) => {
            let _ = svc
                .store
                .report_integration(tenant_id, PROVIDER, &SyncReport::Ok { import: false }, now)
                .await;
            Ok(())
        }
        Err(e) => ctx.failed(Some(&job), e, now).await,
    }
}

/// Imports the owner's busy time into blocking locks on the connection's resource, then
/// re-pushes upcoming jobs the calendar does not have yet.
pub async fn import(svc: &Services, tenant_id: &str, now: DateTime<Utc>) -> Result<(), SyncError> {
    let Some(ctx) = context(svc, tenant_id).await? else {
        return Ok(());
    };
    if ctx.integ.status == IntegrationStatus::ReconnectNeeded {
        return Ok(());
    }
    let step = crate::scheduling::GRANULE_MIN * 60;
    let from = DateTime::from_timestamp(now.timestamp().div_euclid(step) * step, 0).unwrap_or(now);
    let to = from + Duration::days(IMPORT_DAYS);
    let cal = ctx.integ.calendar_id.clone();
    let busy = match ctx
        .authed(|t| {
            let cal = cal.clone();
            async move { svc.google.free_busy(&t, &cal, from, to).await }
        })
        .await
    {
        Ok(b) => b,
        Err(e) => return ctx.failed(None, e, now).await,
    };
    let jobs = svc
        .store
        .appointments_between(
            tenant_id,
            from - Duration::days(1),
            now + Duration::days(REPAIR_DAYS),
        )
        .await
        .map_err(retry)?;
    let resource = &ctx.integ.resource;
    let own: Vec<blocks::Interval> = jobs
        .iter()
        .filter(|j| {
            j.status != AppointmentStatus::Booked && j.calendar_sync.as_deref() == Some("synced")
        })
        .map(|j| (j.start, j.end))
        .collect();
    let (held, locked) = svc
        .store
        .lock_granules(tenant_id, resource, from, to)
        .await
        .map_err(retry)?;
    let busy: Vec<blocks::Interval> = busy.iter().map(|b| (b.start, b.end)).collect();
    let plan = blocks::plan(&busy, &own, &held, &locked);
    svc.store
        .apply_block_plan(tenant_id, resource, &plan, (from, to), now)
        .await
        .map_err(retry)?;
    tracing::info!(tenant = %tenant_id, locked = plan.lock.len(), released = plan.release.len(), blocks = plan.blocks.len(), "calendar busy time imported");
    // Repair: jobs whose push failed for good, or happened while disconnected.
    for job in jobs.iter().filter(|j| j.start >= now) {
        let synced = job.calendar_sync.as_deref() == Some("synced");
        let wants = match job.status {
            AppointmentStatus::Booked => !synced,
            AppointmentStatus::Cancelled => synced,
            _ => false,
        };
        if wants {
            if let Err(e) = ctx.push(job, now).await {
                return ctx.failed(Some(job), e, now).await;
            }
        }
    }
    let _ = svc
        .store
        .report_integration(tenant_id, PROVIDER, &SyncReport::Ok { import: true }, now)
        .await;
    Ok(())
}

/// The schedule's tick: one `Import` message per connected tenant, so a slow calendar
/// holds up nobody else.
async fn enqueue_imports(svc: &Services) -> Result<(), SyncError> {
    let tenants = svc.store.connected_tenants(PROVIDER).await.map_err(retry)?;
    let jobs: Vec<IntegrationMessage> = tenants
        .into_iter()
        .map(|tenant_id| IntegrationMessage::Import { tenant_id })
        .collect();
    send(svc, &jobs)
        .await
        .map_err(|e| retry(crate::telemetry::chain(&e)))
}

/// Sends jobs to the `integrations` queue (batches of 10). A missing queue URL sends
/// nothing: the sync is off.
pub async fn send(
    svc: &Services,
    jobs: &[IntegrationMessage],
) -> Result<(), crate::queue::QueueError> {
    let url = &svc.config.integrations_queue_url;
    if url.is_empty() || jobs.is_empty() {
        return Ok(());
    }
    crate::queue::send_json(&svc.sqs, url, jobs).await
}
