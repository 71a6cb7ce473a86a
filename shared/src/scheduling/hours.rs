//! Business hours per weekday; split shifts are several spans on one day.

use chrono::{NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// One open span, local wall-clock time, `open < close`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OpenSpan {
    pub open: NaiveTime,
    pub close: NaiveTime,
}

/// Open spans for each weekday, Monday first. A closed day has none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WeeklyHours {
    pub days: [Vec<OpenSpan>; 7],
}

impl WeeklyHours {
    /// The same hours Monday to Friday, optional Saturday hours, closed Sunday.
    pub fn weekdays(
        open: (u32, u32),
        close: (u32, u32),
        saturday: Option<((u32, u32), (u32, u32))>,
    ) -> Self {
        let span = |o: (u32, u32), c: (u32, u32)| OpenSpan {
            open: NaiveTime::from_hms_opt(o.0, o.1, 0).expect("valid open time"),
            close: NaiveTime::from_hms_opt(c.0, c.1, 0).expect("valid close time"),
        };
        let wk = vec![span(open, close)];
        Self {
            days: [
                wk.clone(),
                wk.clone(),
                wk.clone(),
                wk.clone(),
                wk,
                saturday.map(|(o, c)| vec![span(o, c)]).unwrap_or_default(),
                Vec::new(),
            ],
        }
    }

    pub fn on(&self, day: Weekday) -> &[OpenSpan] {
        &self.days[day.num_days_from_monday() as usize]
    }

    /// Errors name the day and span that is wrong.
    pub fn validate(&self) -> Result<(), HoursError> {
        for (day, spans) in self.days.iter().enumerate() {
            for s in spans {
                if s.open >= s.close {
                    return Err(HoursError {
                        day,
                        open: s.open,
                        close: s.close,
                    });
                }
            }
        }
        Ok(())
    }
}

/// An open span that does not open before it closes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("hours.days[{day}]: open {open} is not before close {close}")]
pub struct HoursError {
    /// 0 = Monday.
    pub day: usize,
    pub open: chrono::NaiveTime,
    pub close: chrono::NaiveTime,
}
