//! The owner-editable scheduling settings of a tenant, and their validation: a bad value
//! is refused with the JSON path of the field at fault, and nothing is written.

use super::{BookingRules, Resource, ServiceOffering, Tenant};
use crate::scheduling::{WeeklyHours, GRANULE_MIN};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// `GET`/`PUT /v1/owner/settings/scheduling`: hours, catalogue, resources and rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchedulingSettings {
    /// IANA zone, e.g. `America/Chicago`.
    pub time_zone: String,
    /// Opening hours: `days`, Monday first, each a list of open spans.
    pub hours: WeeklyHours,
    pub services: Vec<ServiceOffering>,
    pub resources: Vec<Resource>,
    /// Lead time, daily limit, buffers, travel, closures, after-hours policy.
    pub booking: BookingRules,
    /// Reminders, quiet hours, digest, retention, win-back (defaults when omitted).
    #[serde(default)]
    pub lifecycle: super::Lifecycle,
}

/// A setting that cannot be accepted: `field` is its JSON path (`services[2].duration_min`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct SettingsError {
    pub field: String,
    pub message: String,
}

fn err(field: impl Into<String>, message: impl Into<String>) -> SettingsError {
    SettingsError {
        field: field.into(),
        message: message.into(),
    }
}

impl SchedulingSettings {
    /// The tenant's current settings.
    pub fn of(t: &Tenant) -> Self {
        Self {
            time_zone: t.time_zone.clone(),
            hours: t.hours.clone(),
            services: t.services.clone(),
            resources: t.resources.clone(),
            booking: t.booking.clone(),
            lifecycle: t.lifecycle.clone(),
        }
    }

    /// Writes these settings onto `t` (after [`Self::validate`]).
    pub fn apply(self, t: &mut Tenant) {
        t.time_zone = self.time_zone;
        t.hours = self.hours;
        t.services = self.services;
        t.resources = self.resources;
        t.booking = self.booking;
        t.lifecycle = self.lifecycle;
    }

    /// Every rule a booking relies on; the first violation, by field.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            return Err(err("time_zone", "not an IANA time zone name"));
        }
        self.lifecycle.check().map_err(|(f, m)| err(f, m))?;
        for (d, spans) in self.hours.days.iter().enumerate() {
            let mut sorted = spans.clone();
            sorted.sort_by_key(|s| s.open);
            for (i, s) in spans.iter().enumerate() {
                if s.open >= s.close {
                    return Err(err(
                        format!("hours.days[{d}][{i}]"),
                        format!("open {} is not before close {}", s.open, s.close),
                    ));
                }
            }
            if sorted.windows(2).any(|w| w[1].open < w[0].close) {
                return Err(err(format!("hours.days[{d}]"), "open spans overlap"));
            }
        }
        if self.hours.days.iter().all(|d| d.is_empty()) {
            return Err(err("hours", "the business is never open"));
        }
        let mut seen = HashSet::new();
        for (i, s) in self.services.iter().enumerate() {
            let f = |name: &str| format!("services[{i}].{name}");
            if !seen.insert(s.service) {
                return Err(err(f("service"), "listed twice"));
            }
            if s.label.trim().is_empty() {
                return Err(err(f("label"), "must not be empty"));
            }
            if s.duration_min == 0
                || s.duration_min > 12 * 60
                || s.duration_min as i64 % GRANULE_MIN != 0
            {
                return Err(err(
                    f("duration_min"),
                    format!("must be a multiple of {GRANULE_MIN} between {GRANULE_MIN} and 720"),
                ));
            }
            if s.price_low > s.price_high {
                return Err(err(f("price_low"), "is above price_high"));
            }
        }
        if self.resources.is_empty() {
            return Err(err("resources", "at least one technician or van is needed"));
        }
        let mut ids = HashSet::new();
        for (i, r) in self.resources.iter().enumerate() {
            let ok = !r.id.is_empty()
                && r.id.len() <= 40
                && r.id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok {
                return Err(err(
                    format!("resources[{i}].id"),
                    "1-40 characters of letters, digits, '-' or '_'",
                ));
            }
            if !ids.insert(r.id.as_str()) {
                return Err(err(format!("resources[{i}].id"), "listed twice"));
            }
            if r.name.trim().is_empty() {
                return Err(err(format!("resources[{i}].name"), "must not be empty"));
            }
        }
        let b = &self.booking;
        let limits: [(&str, u32, u32); 6] = [
            ("lead_time_min", b.lead_time_min, 7 * 24 * 60),
            ("buffer_min", b.buffer_min, 240),
            ("travel_min", b.travel_min, 240),
            ("arrival_window_min", b.arrival_window_min, 8 * 60),
            ("max_jobs_per_day", b.max_jobs_per_day, 50),
            ("horizon_days", b.horizon_days, 365),
        ];
        for (name, v, max) in limits {
            if v > max {
                return Err(err(format!("booking.{name}"), format!("at most {max}")));
            }
        }
        if b.horizon_days == 0 {
            return Err(err("booking.horizon_days", "at least 1"));
        }
        if b.start_step_min == 0
            || b.start_step_min > 240
            || b.start_step_min as i64 % GRANULE_MIN != 0
        {
            return Err(err(
                "booking.start_step_min",
                format!("a multiple of {GRANULE_MIN} up to 240"),
            ));
        }
        for (i, c) in b.closures.iter().enumerate() {
            if c.from > c.to {
                return Err(err(
                    format!("booking.closures[{i}]"),
                    "`from` is after `to`",
                ));
            }
            if (c.to - c.from).num_days() > 366 {
                return Err(err(format!("booking.closures[{i}]"), "longer than a year"));
            }
            if c.name.trim().is_empty() {
                return Err(err(
                    format!("booking.closures[{i}].name"),
                    "must not be empty",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenancy::Closure;
    use chrono::NaiveDate;

    fn settings() -> SchedulingSettings {
        SchedulingSettings {
            lifecycle: Default::default(),
            time_zone: "America/Chicago".into(),
            hours: WeeklyHours::weekdays((8, 0), (17, 0), None),
            services: vec![ServiceOffering {
                service: crate::triage::ServiceType::FaucetRepair,
                label: "faucet repair".into(),
                duration_min: 60,
                price_low: 100,
                price_high: 200,
            }],
            resources: vec![Resource {
                id: "van-1".into(),
                name: "Van 1".into(),
            }],
            booking: BookingRules::default(),
        }
    }

    fn field_of(s: &SchedulingSettings) -> String {
        s.validate().unwrap_err().field
    }

    #[test]
    fn good_settings_pass() {
        settings().validate().unwrap();
    }

    #[test]
    fn each_bad_value_names_its_field() {
        let mut s = settings();
        s.time_zone = "Mars/Olympus".into();
        assert_eq!(field_of(&s), "time_zone");

        let mut s = settings();
        s.hours.days[2].push(crate::scheduling::OpenSpan {
            open: chrono::NaiveTime::from_hms_opt(16, 0, 0).unwrap(),
            close: chrono::NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
        });
        assert_eq!(field_of(&s), "hours.days[2]");

        let mut s = settings();
        s.services[0].duration_min = 50;
        assert_eq!(field_of(&s), "services[0].duration_min");

        let mut s = settings();
        s.services[0].price_low = 500;
        assert_eq!(field_of(&s), "services[0].price_low");

        let mut s = settings();
        s.resources.clear();
        assert_eq!(field_of(&s), "resources");

        let mut s = settings();
        s.resources.push(s.resources[0].clone());
        assert_eq!(field_of(&s), "resources[1].id");

        let mut s = settings();
        s.booking.start_step_min = 20;
        assert_eq!(field_of(&s), "booking.start_step_min");

        let mut s = settings();
        s.booking.closures.push(Closure {
            from: NaiveDate::from_ymd_opt(2026, 12, 26).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
            name: "Christmas".into(),
        });
        assert_eq!(field_of(&s), "booking.closures[0]");
    }

    #[test]
    fn split_shifts_are_allowed() {
        let mut s = settings();
        let t = |h| chrono::NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        s.hours.days[0] = vec![
            crate::scheduling::OpenSpan {
                open: t(7),
                close: t(11),
            },
            crate::scheduling::OpenSpan {
                open: t(13),
                close: t(18),
            },
        ];
        s.validate().unwrap();
    }
}
