//! What the scheduled jobs do for a tenant: reminder leads and quiet hours, the owner's
//! daily digest, how long conversations are kept, and the win-back campaign.

use chrono::{DateTime, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

/// Lifecycle settings; every field has a default, so older profiles read as before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct Lifecycle {
    /// Hours before a job that the customer gets a reminder text (each 1 to 72). Default
    /// `[24, 2]`.
    pub reminder_leads_h: Vec<u32>,
    /// Local time customer texts stop (default 21:00) and start again (default 08:00). A
    /// reminder whose send time falls inside is not sent (an earlier one already was).
    pub quiet_start: NaiveTime,
    pub quiet_end: NaiveTime,
    /// Local hour (0–23) of the owner's daily digest; `None` turns it off. Default 7.
    pub digest_hour: Option<u32>,
    /// Days call transcripts and text bodies are kept (default 365); older ones are
    /// redacted by `retention-purge`.
    pub transcript_retention_days: u32,
    /// Customers with no job for this many months get one win-back text per campaign;
    /// `None` (default) turns the campaign off.
    pub winback_after_months: Option<u32>,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Self {
            reminder_leads_h: vec![24, 2],
            quiet_start: NaiveTime::from_hms_opt(21, 0, 0).expect("time"),
            quiet_end: NaiveTime::from_hms_opt(8, 0, 0).expect("time"),
            digest_hour: Some(7),
            transcript_retention_days: 365,
            winback_after_months: None,
        }
    }
}

/// Reminder leads a tenant may choose, hours: the hourly job looks in these buckets only.
pub const REMINDER_LEADS_H: &[u32] = &[1, 2, 3, 4, 6, 12, 24, 48, 72];

impl Lifecycle {
    /// Whether local time `t` (in zone `tz`) is inside the quiet hours (which may wrap
    /// midnight).
    pub fn is_quiet(&self, tz: chrono_tz::Tz, t: DateTime<Utc>) -> bool {
        let local = t.with_timezone(&tz).time();
        let (a, b) = (self.quiet_start, self.quiet_end);
        if a == b {
            false
        } else if a < b {
            local >= a && local < b
        } else {
            local >= a || local < b
        }
    }

    /// Whether the digest is due in the local hour of `t`.
    pub fn digest_due(&self, tz: chrono_tz::Tz, t: DateTime<Utc>) -> bool {
        self.digest_hour == Some(t.with_timezone(&tz).hour())
    }

    /// The first rule broken, as `(field, message)`.
    pub fn check(&self) -> Result<(), (String, String)> {
        for (i, l) in self.reminder_leads_h.iter().enumerate() {
            if !REMINDER_LEADS_H.contains(l) {
                return Err((
                    format!("lifecycle.reminder_leads_h[{i}]"),
                    format!("must be one of {REMINDER_LEADS_H:?} hours"),
                ));
            }
        }
        if self.digest_hour.is_some_and(|h| h > 23) {
            return Err(("lifecycle.digest_hour".into(), "must be 0 to 23".into()));
        }
        if !(30..=3650).contains(&self.transcript_retention_days) {
            return Err((
                "lifecycle.transcript_retention_days".into(),
                "must be 30 to 3650 days".into(),
            ));
        }
        if self
            .winback_after_months
            .is_some_and(|m| !(3..=36).contains(&m))
        {
            return Err((
                "lifecycle.winback_after_months".into(),
                "must be 3 to 36 months".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn quiet_hours_wrap_midnight_in_the_tenants_zone() {
        let l = Lifecycle::default();
        let tz = chrono_tz::America::Chicago;
        let at = |h| {
            tz.with_ymd_and_hms(2026, 11, 24, h, 30, 0)
                .unwrap()
                .with_timezone(&Utc)
        };
        assert!(l.is_quiet(tz, at(22)));
        assert!(l.is_quiet(tz, at(6)));
        assert!(!l.is_quiet(tz, at(8)));
        assert!(!l.is_quiet(tz, at(20)));
        assert!(l.digest_due(tz, at(7)));
        assert!(!l.digest_due(tz, at(8)));
    }

    #[test]
    fn leads_come_from_the_bucket_list() {
        let mut l = Lifecycle::default();
        assert!(l.check().is_ok());
        l.reminder_leads_h = vec![24, 5];
        assert_eq!(l.check().unwrap_err().0, "lifecycle.reminder_leads_h[1]");
    }
}
