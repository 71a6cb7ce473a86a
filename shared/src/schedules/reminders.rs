//! Customer reminders before each job and the owner's morning digest.

use super::{run_hour, Summary};
use crate::crm::{Appointment, AppointmentStatus};
use crate::notify::{Audience, OutboundMessage, OutboxEvent};
use crate::phone;
use crate::scheduling::{day_bounds, speak_slot, Slot};
use crate::tenancy::{Tenant, REMINDER_LEADS_H};
use crate::Services;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// The reminder text for a job, `lead_h` hours ahead.
pub fn reminder_text(tenant: &Tenant, job: &Appointment, now: DateTime<Utc>) -> String {
    let slot: Slot = job.slot();
    let es = job.lang == crate::dialogue::Lang::Es;
    let day = match (
        (tenant.local_date(job.start) - tenant.local_date(now)).num_days(),
        es,
    ) {
        (0, false) => "today, ",
        (1, false) => "tomorrow, ",
        (0, true) => "hoy, ",
        (1, true) => "mañana, ",
        _ => "",
    };
    let street = job
        .address
        .as_deref()
        .and_then(|a| a.split(',').next())
        .map(|s| format!(" {} {}", if es { "en" } else { "at" }, s.trim()))
        .unwrap_or_default();
    if es {
        return format!(
            "{}: le recordamos su cita {day}{}{street}. Responda C para confirmar o llame al {} para cambiarla. Responda STOP para no recibir mensajes.",
            tenant.name,
            crate::scheduling::speak_slot_es(&slot, tenant),
            phone::display(&tenant.phone),
        );
    }
    format!(
        "{}: a reminder that your {} is {day}{}{street}. Reply C to confirm or call {} to change it. Reply STOP to opt out.",
        tenant.name,
        tenant.label(job.service),
        speak_slot(&slot, tenant),
        phone::display(&tenant.phone),
    )
}

/// Sends due reminders (every tenant, every lead bucket) and the digests due this hour.
pub async fn reminders(svc: &Services, now: DateTime<Utc>) -> Summary {
    let started = std::time::Instant::now();
    let hour = run_hour(now);
    let mut sum = Summary::new("reminders", now);
    let mut tenants: HashMap<String, Option<Tenant>> = HashMap::new();
    for lead in REMINDER_LEADS_H {
        let jobs = match svc
            .store
            .jobs_starting_in_hour(hour + Duration::hours(*lead as i64))
            .await
        {
            Ok(j) => j,
            Err(e) => {
                tracing::error!(error = %e, lead, "reminder bucket unreadable");
                sum.add("errors", 1);
                continue;
            }
        };
        for (tenant_id, job) in jobs {
            if !tenants.contains_key(&tenant_id) {
                let t = svc.store.tenant(&tenant_id).await.ok().flatten();
                tenants.insert(tenant_id.clone(), t);
            }
            let Some(tenant) = tenants[&tenant_id].as_ref() else {
                continue;
            };
            if !tenant.lifecycle.reminder_leads_h.contains(lead) || job.start <= now {
                continue;
            }
            sum.add("due", 1);
            if tenant.lifecycle.is_quiet(tenant.tz(), now) {
                sum.add("skipped_quiet_hours", 1);
                continue;
            }
            if svc
                .store
                .is_opted_out(&tenant.id, &job.customer.phone)
                .await
                .unwrap_or(false)
            {
                sum.add("skipped_opted_out", 1);
                continue;
            }
            let event = OutboxEvent {
                id: format!("remind-{}-{lead}h", job.id),
                tenant_id: tenant.id.clone(),
                kind: "appointment_reminder".into(),
                created_at: hour,
                messages: vec![OutboundMessage {
                    channel: "sms".into(),
                    audience: Audience::Customer,
                    to: job.customer.phone.clone(),
                    from: tenant.phone.clone(),
                    body: reminder_text(tenant, &job, now),
                }],
                appointment: None,
            };
            match svc.store.put_outbox_once(&event).await {
                Ok(true) => sum.add("sent", 1),
                Ok(false) => sum.add("already_sent", 1),
                Err(e) => {
                    tracing::error!(error = %e, "reminder not queued");
                    sum.add("errors", 1);
                }
            }
        }
    }
    digests(svc, now, hour, &mut sum).await;
    sum.finish(started)
}

async fn digests(svc: &Services, now: DateTime<Utc>, hour: DateTime<Utc>, sum: &mut Summary) {
    let ids = match svc.store.tenant_ids().await {
        Ok(i) => i,
        Err(e) => {
            tracing::error!(error = %e, "tenants unreadable");
            sum.add("errors", 1);
            return;
        }
    };
    for id in ids {
        let Ok(Some(tenant)) = svc.store.tenant(&id).await else {
            continue;
        };
        if !tenant.lifecycle.digest_due(tenant.tz(), now) {
            continue;
        }
        match digest_event(svc, &tenant, now, hour).await {
            Ok(ev) => match svc.store.put_outbox_once(&ev).await {
                Ok(true) => sum.add("digests_sent", 1),
                Ok(false) => sum.add("digests_already_sent", 1),
                Err(_) => sum.add("errors", 1),
            },
            Err(e) => {
                tracing::error!(tenant = %id, error = %e, "digest not built");
                sum.add("errors", 1);
            }
        }
    }
}

/// The owner's morning text: today's and tomorrow's jobs, open callbacks, yesterday's
/// missed calls.
async fn digest_event(
    svc: &Services,
    tenant: &Tenant,
    now: DateTime<Utc>,
    hour: DateTime<Utc>,
) -> Result<OutboxEvent, crate::store::StoreError> {
    let today = tenant.local_date(now);
    let tz = tenant.tz();
    let (t0, t1) = day_bounds(tz, today);
    let (_, t2) = day_bounds(tz, today + Duration::days(1));
    let (y0, _) = day_bounds(tz, today - Duration::days(1));
    let booked = |p: crate::store::Page<Appointment>| -> Vec<Appointment> {
        p.items
            .into_iter()
            .filter(|a| a.status == AppointmentStatus::Booked)
            .collect()
    };
    let today_jobs = booked(
        svc.store
            .list_appointments(&tenant.id, t0, t1, 200, None)
            .await?,
    );
    let tomorrow = booked(
        svc.store
            .list_appointments(&tenant.id, t1, t2, 200, None)
            .await?,
    );
    let callbacks = svc.store.open_callbacks(&tenant.id).await?.len();
    let missed = svc
        .store
        .callbacks_created(&tenant.id, "missed_call", y0, t0)
        .await?;
    let line = |a: &Appointment| {
        let start = a.start.with_timezone(&tz).format("%-I:%M %p");
        format!("{start} {} ({})", a.customer.name, tenant.label(a.service))
    };
    let list = |jobs: &[Appointment]| {
        let mut s: Vec<String> = jobs.iter().take(3).map(line).collect();
        if jobs.len() > 3 {
            s.push(format!("+{} more", jobs.len() - 3));
        }
        s.join("; ")
    };
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut body = format!("{} for {}: ", tenant.name, today.format("%a %b %-d"));
    body.push_str(&format!(
        "today {}",
        plural(today_jobs.len(), "job", "jobs")
    ));
    if !today_jobs.is_empty() {
        body.push_str(&format!(" ({})", list(&today_jobs)));
    }
    body.push_str(&format!(
        ". Tomorrow {}",
        plural(tomorrow.len(), "job", "jobs")
    ));
    if !tomorrow.is_empty() {
        body.push_str(&format!(" ({})", list(&tomorrow)));
    }
    body.push_str(&format!(
        ". {} to return. {} yesterday.",
        plural(callbacks, "callback", "callbacks"),
        plural(missed, "missed call", "missed calls")
    ));
    Ok(OutboxEvent {
        id: format!("digest-{today}"),
        tenant_id: tenant.id.clone(),
        kind: "owner_digest".into(),
        created_at: hour,
        messages: vec![OutboundMessage {
            channel: "sms".into(),
            audience: Audience::Owner,
            to: tenant.contacts.owner_cell.clone(),
            from: tenant.phone.clone(),
            body,
        }],
        appointment: None,
    })
}
