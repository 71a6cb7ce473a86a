//! Scheduling: business hours, time phrases as callers say them, and free slots.
//!
//! Everything is computed in the tenant's zone (`chrono-tz`) and stored in UTC. Jobs hold
//! 15-minute granules on one calendar resource; a granule is locked in DynamoDB with
//! `attribute_not_exists`, so two callers can never hold the same one.

mod hours;
pub mod phrases;
mod slots;
mod speak;

pub use hours::{OpenSpan, WeeklyHours};
pub use phrases::{parse_preference, TimePreference};
pub use slots::{find_slots, granules, Busy, Slot, GRANULE_MIN};
pub use speak::{arrival_window, speak_day, speak_slot, speak_slot_es};
