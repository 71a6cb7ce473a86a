//! Busy time imported from the owner's calendar, turned into blocking granules: what to
//! lock, what to release, and the blocks a schedule shows. Pure; the worker reads and
//! writes around it.

use super::granules;
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeSet;

/// `[start, end)` in UTC.
pub type Interval = (DateTime<Utc>, DateTime<Utc>);

/// What one import changes on one calendar resource.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockPlan {
    /// Granules to lock as external busy time.
    pub lock: Vec<DateTime<Utc>>,
    /// External locks whose busy time is gone.
    pub release: Vec<DateTime<Utc>>,
    /// Every blocked span after the import, granule-aligned and merged (the schedule's
    /// "busy" rows, and what the call path reads).
    pub blocks: Vec<Interval>,
}

/// Plans an import.
///
/// - `busy`: the owner's busy intervals in the import window (Google merges overlaps);
/// - `own_events`: jobs Frontline itself put in that calendar that may still be there
///   (a moved or cancelled job whose event delete is pending): an exactly matching busy
///   interval is ours, not the owner's;
/// - `job_granules`: granules held by jobs; never locked again (the job already blocks
///   them, and Frontline's own events come back from `freebusy` as busy);
/// - `locked`: the external locks that exist now.
pub fn plan(
    busy: &[Interval],
    own_events: &[Interval],
    job_granules: &BTreeSet<DateTime<Utc>>,
    locked: &BTreeSet<DateTime<Utc>>,
) -> BlockPlan {
    let want: BTreeSet<DateTime<Utc>> = busy
        .iter()
        .filter(|iv| !own_events.contains(iv))
        .flat_map(|(a, b)| granules(*a, *b))
        .filter(|g| !job_granules.contains(g))
        .collect();
    BlockPlan {
        lock: want.difference(locked).copied().collect(),
        release: locked.difference(&want).copied().collect(),
        blocks: merge(&want),
    }
}

/// Consecutive granules as spans.
pub fn merge(granule_starts: &BTreeSet<DateTime<Utc>>) -> Vec<Interval> {
    let step = Duration::minutes(super::GRANULE_MIN);
    let mut out: Vec<Interval> = Vec::new();
    for g in granule_starts {
        match out.last_mut() {
            Some((_, end)) if *end == *g => *end = *g + step,
            _ => out.push((*g, *g + step)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap()
    }

    fn set(v: &[DateTime<Utc>]) -> BTreeSet<DateTime<Utc>> {
        v.iter().copied().collect()
    }

    #[test]
    fn busy_time_rounds_out_to_granules_and_skips_jobs() {
        // 15:10–16:05 busy; a job holds 15:30–15:45.
        let p = plan(
            &[(t(15, 10), t(16, 5))],
            &[],
            &set(&[t(15, 30)]),
            &BTreeSet::new(),
        );
        assert_eq!(p.lock, vec![t(15, 0), t(15, 15), t(15, 45), t(16, 0)]);
        assert!(p.release.is_empty());
        assert_eq!(
            p.blocks,
            vec![(t(15, 0), t(15, 30)), (t(15, 45), t(16, 15))]
        );
    }

    #[test]
    fn a_second_import_changes_only_the_difference() {
        let locked = set(&[t(9, 0), t(9, 15), t(13, 0)]);
        let p = plan(&[(t(9, 0), t(9, 45))], &[], &BTreeSet::new(), &locked);
        assert_eq!(p.lock, vec![t(9, 30)]);
        assert_eq!(p.release, vec![t(13, 0)]);
        assert_eq!(p.blocks, vec![(t(9, 0), t(9, 45))]);
    }

    #[test]
    fn our_own_pending_event_is_not_the_owners_busy_time() {
        let p = plan(
            &[(t(10, 0), t(11, 0)), (t(12, 0), t(12, 30))],
            &[(t(10, 0), t(11, 0))],
            &BTreeSet::new(),
            &BTreeSet::new(),
        );
        assert_eq!(p.blocks, vec![(t(12, 0), t(12, 30))]);
    }

    #[test]
    fn nothing_busy_releases_everything() {
        let locked = set(&[t(9, 0)]);
        let p = plan(&[], &[], &BTreeSet::new(), &locked);
        assert_eq!(p.release, vec![t(9, 0)]);
        assert!(p.blocks.is_empty() && p.lock.is_empty());
    }
}
