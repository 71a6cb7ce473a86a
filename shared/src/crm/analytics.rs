//! The owner's numbers, computed from stored jobs, calls and customers: pure functions so
//! they are tested without storage.

use super::{Appointment, AppointmentStatus, CallSummary, CallbackTask};
use crate::tenancy::Tenant;
use crate::triage::ServiceType;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// `GET /v1/owner/analytics`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Analytics {
    /// First local day counted (a Monday) and the day after the last; the last week is
    /// next week, as booked so far.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Jobs booked to start in each local week (Monday first), oldest first; cancelled
    /// and moved jobs left out.
    pub jobs_per_week: Vec<WeekCount>,
    /// Jobs per service type, most first.
    pub service_mix: Vec<ServiceCount>,
    /// Calls triaged as emergencies.
    pub emergencies: usize,
    pub calls: usize,
    /// Calls that ended `booked` or `rescheduled` over calls that were leads (everything
    /// but `not_a_lead`), 0–1.
    pub booking_rate: f64,
    /// Calls abandoned before an outcome over all calls, 0–1.
    pub missed_call_rate: f64,
    /// Sum of each kept job's price: the invoiced amount when there is one, else the
    /// middle of its service's price range. Whole US dollars.
    pub revenue_estimate: u64,
    /// ZIP codes of kept jobs' addresses, most first (at most 10).
    pub top_zip_codes: Vec<ZipCount>,
    /// Leads and bookings per channel the customer came in on (`voice`, `sms`, `chat`:
    /// the website widget), in that order; a channel with no conversation is left out.
    pub leads_by_channel: Vec<ChannelCount>,
}

/// One channel's conversations in the range.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ChannelCount {
    /// `voice`, `sms` or `chat`.
    pub channel: String,
    /// Conversations that were leads (every outcome but `not_a_lead`).
    pub leads: usize,
    /// Of those, how many ended `booked` or `rescheduled`.
    pub booked: usize,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct WeekCount {
    pub week_start: NaiveDate,
    pub jobs: usize,
    pub emergencies: usize,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ServiceCount {
    pub service: String,
    pub label: String,
    pub jobs: usize,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ZipCount {
    pub zip: String,
    pub jobs: usize,
}

/// The first Monday of a `weeks`-week range whose last week is the one after `today`'s
/// (so the chart ends with the week ahead as booked so far).
pub fn first_week(today: NaiveDate, weeks: u32) -> NaiveDate {
    let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
    monday + Duration::weeks(1) - Duration::weeks(weeks.saturating_sub(1) as i64)
}

/// A call's `started_at` (RFC 3339, any offset), in UTC.
fn started(c: &CallSummary) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&c.started_at)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Computes the analytics of `weeks` local weeks ending with the week after `now`'s.
pub fn compute(
    tenant: &Tenant,
    appointments: &[Appointment],
    calls: &[CallSummary],
    now: DateTime<Utc>,
    weeks: u32,
) -> Analytics {
    let from = first_week(tenant.local_date(now), weeks);
    let to = from + Duration::weeks(weeks as i64);
    let mut per_week: BTreeMap<NaiveDate, (usize, usize)> = (0..weeks)
        .map(|w| (from + Duration::weeks(w as i64), (0, 0)))
        .collect();
    let week_of = |t: DateTime<Utc>| {
        let d = tenant.local_date(t);
        d - Duration::days(d.weekday().num_days_from_monday() as i64)
    };
    let mut mix: BTreeMap<String, usize> = BTreeMap::new();
    let mut zips: BTreeMap<String, usize> = BTreeMap::new();
    let mut revenue = 0u64;
    for a in appointments.iter().filter(|a| a.status.is_work()) {
        if let Some(w) = per_week.get_mut(&week_of(a.start)) {
            w.0 += 1;
        } else {
            continue;
        }
        *mix.entry(a.service.as_str().to_string()).or_default() += 1;
        if let Some(z) = a.address.as_deref().and_then(super::input::zip_of) {
            *zips.entry(z).or_default() += 1;
        }
        revenue += a.amount.map(u64::from).unwrap_or_else(|| {
            tenant
                .services
                .iter()
                .find(|o| o.service == a.service)
                .map(|o| u64::from(o.price_low + o.price_high) / 2)
                .unwrap_or(0)
        });
    }
    let calls_in: Vec<&CallSummary> = calls
        .iter()
        .filter(|c| started(c).is_some_and(|t| per_week.contains_key(&week_of(t))))
        .collect();
    for c in calls_in.iter().filter(|c| c.emergency) {
        if let Some(t) = started(c) {
            if let Some(w) = per_week.get_mut(&week_of(t)) {
                w.1 += 1;
            }
        }
    }
    let leads = calls_in
        .iter()
        .filter(|c| c.outcome != "not_a_lead")
        .count();
    let booked = calls_in
        .iter()
        .filter(|c| matches!(c.outcome.as_str(), "booked" | "rescheduled"))
        .count();
    let missed = calls_in.iter().filter(|c| c.outcome == "abandoned").count();
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let leads_by_channel = ["voice", "sms", "chat"]
        .into_iter()
        .map(|channel| {
            let of: Vec<_> = calls_in
                .iter()
                .filter(|c| c.channel == channel && c.outcome != "not_a_lead")
                .collect();
            ChannelCount {
                channel: channel.into(),
                leads: of.len(),
                booked: of
                    .iter()
                    .filter(|c| matches!(c.outcome.as_str(), "booked" | "rescheduled"))
                    .count(),
            }
        })
        .filter(|c| c.leads > 0)
        .collect();
    let mut service_mix: Vec<ServiceCount> = mix
        .into_iter()
        .map(|(service, jobs)| ServiceCount {
            label: serde_json::from_value::<ServiceType>(serde_json::json!(service))
                .map(|s| tenant.label(s))
                .unwrap_or_else(|_| service.replace('_', " ")),
            service,
            jobs,
        })
        .collect();
    service_mix.sort_by(|a, b| b.jobs.cmp(&a.jobs).then(a.service.cmp(&b.service)));
    let mut top_zip_codes: Vec<ZipCount> = zips
        .into_iter()
        .map(|(zip, jobs)| ZipCount { zip, jobs })
        .collect();
    top_zip_codes.sort_by(|a, b| b.jobs.cmp(&a.jobs).then(a.zip.cmp(&b.zip)));
    top_zip_codes.truncate(10);
    Analytics {
        from,
        to,
        jobs_per_week: per_week
            .into_iter()
            .map(|(week_start, (jobs, emergencies))| WeekCount {
                week_start,
                jobs,
                emergencies,
            })
            .collect(),
        service_mix,
        emergencies: calls_in.iter().filter(|c| c.emergency).count(),
        calls: calls_in.len(),
        booking_rate: ratio(booked, leads),
        missed_call_rate: ratio(missed, calls_in.len()),
        revenue_estimate: revenue,
        top_zip_codes,
        leads_by_channel,
    }
}

/// The owner's "what happened, and what do I need to do?" in two or three sentences a
/// voice assistant can read out.
pub fn speakable_summary(
    tenant: &Tenant,
    today: &[Appointment],
    tomorrow: &[Appointment],
    emergencies: &[CallSummary],
    callbacks: &[CallbackTask],
) -> String {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut parts = Vec::new();
    if !emergencies.is_empty() {
        parts.push(format!(
            "{} today.",
            plural(emergencies.len(), "emergency call", "emergency calls")
        ));
    }
    let booked_today: Vec<&Appointment> = today
        .iter()
        .filter(|a| a.status == AppointmentStatus::Booked)
        .collect();
    match booked_today.first() {
        None => parts.push("No jobs left on today's schedule.".into()),
        Some(first) => {
            let when = first.start.with_timezone(&tenant.tz()).format("%-I:%M %p");
            let service = tenant.label(first.service);
            parts.push(format!(
                "{} today; the first is a {service} at {when}.",
                plural(booked_today.len(), "job", "jobs")
            ));
        }
    }
    let booked_tomorrow = tomorrow
        .iter()
        .filter(|a| a.status == AppointmentStatus::Booked)
        .count();
    parts.push(format!(
        "{} tomorrow.",
        plural(booked_tomorrow, "job", "jobs")
    ));
    if !callbacks.is_empty() {
        parts.push(format!(
            "{} waiting.",
            plural(callbacks.len(), "callback", "callbacks")
        ));
    }
    parts.join(" ")
}
