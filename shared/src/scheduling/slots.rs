//! Free-slot search: the earliest starts in the caller's window where the job (plus the
//! travel buffer) fits inside business hours on a resource with no busy granule.

use super::{TimePreference, WeeklyHours};
use crate::tenancy::Tenant;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Lock granularity, minutes.
pub const GRANULE_MIN: i64 = 15;

/// A bookable slot on one resource, UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub resource: String,
    pub start: DateTime<Utc>,
    /// End of the work itself (the buffer is held after it but not spoken).
    pub end: DateTime<Utc>,
}

/// What is already taken: busy granules per resource `(resource id, granule start)`,
/// booked jobs per resource and local day (for the tenant's daily limit), and the time
/// `[from, to)` the calendar was read for (`None`: all of it, as a test's calendar is).
/// Outside that range the calendar knows nothing: a slot there is not free, only unread.
#[derive(Debug, Clone, Default)]
pub struct Busy(
    pub HashSet<(String, DateTime<Utc>)>,
    pub HashMap<(String, NaiveDate), u32>,
    pub Option<(DateTime<Utc>, DateTime<Utc>)>,
);

impl Busy {
    /// An empty calendar read for `[from, to)`.
    pub fn read_for(from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        Self(HashSet::new(), HashMap::new(), Some((from, to)))
    }

    /// Whether the calendar was read for all of `[from, to)`.
    pub fn covers(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        self.2.is_none_or(|(a, b)| a <= from && to <= b)
    }

    /// The smallest range covering both what was read and `[from, to)`: what to read so
    /// that both are known.
    pub fn widened(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> (DateTime<Utc>, DateTime<Utc>) {
        match self.2 {
            Some((a, b)) => (a.min(from), b.max(to)),
            None => (from, to),
        }
    }

    /// Marks `[start, end)` busy on `resource`, rounded out to whole granules.
    pub fn add(&mut self, resource: &str, start: DateTime<Utc>, end: DateTime<Utc>) {
        for g in granules(start, end) {
            self.0.insert((resource.to_string(), g));
        }
    }

    /// Counts one booked job on `resource` on the local day `date`.
    pub fn add_job(&mut self, resource: &str, date: NaiveDate) {
        *self.1.entry((resource.to_string(), date)).or_default() += 1;
    }

    /// Jobs booked on `resource` on the local day `date`.
    pub fn jobs_on(&self, resource: &str, date: NaiveDate) -> u32 {
        self.1
            .get(&(resource.to_string(), date))
            .copied()
            .unwrap_or(0)
    }

    /// Whether `[start, end)` on `resource` touches no busy granule.
    pub fn free(&self, resource: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        granules(start, end)
            .into_iter()
            .all(|g| !self.0.contains(&(resource.to_string(), g)))
    }
}

/// Granule starts covering `[start, end)`.
pub fn granules(start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let step = GRANULE_MIN * 60;
    let first = start.timestamp().div_euclid(step) * step;
    let mut out = Vec::new();
    let mut t = first;
    while t < end.timestamp() {
        out.push(DateTime::from_timestamp(t, 0).expect("in range"));
        t += step;
    }
    out
}

fn local(tz: chrono_tz::Tz, date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    // Times that do not exist (spring forward) are skipped; repeated ones take the first.
    tz.from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// Up to `limit` earliest slots with distinct start times, each on the first resource
/// free for it.
///
/// `duration_min` is time on site; the tenant's buffer and travel time are held after it.
/// Closed days (holidays, closures) and resources at their daily job limit are skipped.
pub fn find_slots(
    tenant: &Tenant,
    hours: &WeeklyHours,
    pref: &TimePreference,
    duration_min: u32,
    busy: &Busy,
    now: DateTime<Utc>,
    limit: usize,
) -> Vec<Slot> {
    let tz = tenant.tz();
    let rules = &tenant.booking;
    let earliest =
        (now + Duration::minutes(rules.lead_time_min as i64)).max(pref.after.unwrap_or(now));
    let step = rules.start_step_min.max(GRANULE_MIN as u32) as i64;
    let dur = Duration::minutes(duration_min as i64);
    let hold = dur + Duration::minutes(rules.gap_min() as i64);
    let mut out: Vec<Slot> = Vec::new();
    for date in pref.candidate_days(now.with_timezone(&tz).date_naive(), rules.horizon_days) {
        if rules.closure_on(date).is_some() {
            continue;
        }
        let open_resources: Vec<&str> = tenant
            .resources
            .iter()
            .filter(|r| {
                rules.max_jobs_per_day == 0 || busy.jobs_on(&r.id, date) < rules.max_jobs_per_day
            })
            .map(|r| r.id.as_str())
            .collect();
        for span in hours.on(chrono::Datelike::weekday(&date)) {
            let (from, to) = pref.clip(span.open, span.close);
            let mut t = from;
            while t < to {
                let (Some(start), Some(close)) = (local(tz, date, t), local(tz, date, span.close))
                else {
                    t += Duration::minutes(step);
                    continue;
                };
                if start >= earliest && start + dur <= close && start.minute() as i64 % step == 0 {
                    for r in &open_resources {
                        if busy.free(r, start, start + hold)
                            && !out.iter().any(|s| s.start == start)
                        {
                            out.push(Slot {
                                resource: r.to_string(),
                                start,
                                end: start + dur,
                            });
                            break;
                        }
                    }
                    if out.len() >= limit {
                        return out;
                    }
                }
                let next = t + Duration::minutes(step);
                if next <= t {
                    break;
                }
                t = next;
            }
        }
    }
    out
}
