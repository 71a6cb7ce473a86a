//! Scheduling: business hours, time phrases as callers say them, and free slots.
//!
//! Everything is computed in the tenant's zone (`chrono-tz`) and stored in UTC. Jobs hold
//! 15-minute granules on one calendar resource; a granule is locked in DynamoDB with
//! `attribute_not_exists`, so two callers can never hold the same one.

pub mod blocks;
mod hours;
pub mod phrases;
mod slots;
mod speak;

pub use hours::{OpenSpan, WeeklyHours};
pub use phrases::{parse_preference, TimePreference};
pub use slots::{find_slots, granules, Busy, Slot, GRANULE_MIN};
pub use speak::{arrival_window, clock, speak_day, speak_slot, speak_slot_es};

/// The UTC instants of local midnight starting `date` and the next day in `tz` (23 or 25
/// hours apart on daylight-saving days).
pub fn day_bounds(
    tz: chrono_tz::Tz,
    date: chrono::NaiveDate,
) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    use chrono::TimeZone;
    let midnight = |d: chrono::NaiveDate| {
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
            .earliest()
            // A zone whose clocks skip midnight itself: an hour later exists.
            .or_else(|| {
                tz.from_local_datetime(&d.and_hms_opt(1, 0, 0).expect("1 AM"))
                    .earliest()
            })
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_else(|| d.and_hms_opt(0, 0, 0).expect("midnight").and_utc())
    };
    (midnight(date), midnight(date + chrono::Duration::days(1)))
}
