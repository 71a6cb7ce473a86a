//! Quick replies for a written channel: the answers a visitor is most likely to give at
//! this point of the conversation, offered as buttons by the website chat. Each is plain
//! text the dialogue understands as if typed, so a button is only a shortcut, never a
//! second way into the conversation.

use super::{Conversation, Lang, Stage};
use crate::tenancy::Tenant;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};

/// How many open days the time buttons look ahead to.
const DAYS_OFFERED: usize = 2;

/// The quick replies for `s` as of `now` (English only: a Spanish chat gets none rather
/// than buttons in the wrong language).
pub fn quick_replies(s: &Conversation, tenant: &Tenant, now: DateTime<Utc>) -> Vec<String> {
    if s.lang != Lang::En {
        return Vec::new();
    }
    let fixed = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
    match s.stage {
        Stage::Time | Stage::RescheduleTime => times(tenant, now),
        Stage::ConfirmAlternative => fixed(&["Yes, that works", "A different time"]),
        Stage::ConfirmBooking => fixed(&["That works", "A different time"]),
        Stage::ExistingAppointment => fixed(&["Reschedule it", "Cancel it"]),
        Stage::AnythingElse => fixed(&["No, that's all"]),
        _ => Vec::new(),
    }
}

/// "Tomorrow morning", "Tomorrow afternoon", "Thursday morning": the parts of the next
/// open days (not today, not a closure) that the shop's hours cover.
fn times(tenant: &Tenant, now: DateTime<Utc>) -> Vec<String> {
    let today = tenant.local_date(now);
    let noon = NaiveTime::from_hms_opt(12, 0, 0).expect("noon");
    let one_pm = NaiveTime::from_hms_opt(13, 0, 0).expect("1 pm");
    let mut out = Vec::new();
    let open_days = (1..=14)
        .map(|d| today + Duration::days(d))
        .filter(|d| tenant.booking.closure_on(*d).is_none())
        .filter(|d| !tenant.hours.on(d.weekday()).is_empty())
        .take(DAYS_OFFERED);
    for (i, day) in open_days.enumerate() {
        let spans = tenant.hours.on(day.weekday());
        let label = day_label(today, day);
        if spans.iter().any(|s| s.open < noon) {
            out.push(format!("{label} morning"));
        }
        // The first open day gets its afternoon too; later days only their first part.
        if (i == 0 || out.is_empty()) && spans.iter().any(|s| s.close > one_pm) {
            out.push(format!("{label} afternoon"));
        }
    }
    out
}

fn day_label(today: NaiveDate, day: NaiveDate) -> String {
    if day == today + Duration::days(1) {
        "Tomorrow".into()
    } else {
        day.format("%A").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenancy::Tenant;

    fn tenant() -> Tenant {
        crate::dialogue::tests::tenant()
    }

    #[test]
    fn time_buttons_skip_today_and_closed_days() {
        let t = tenant();
        let mut s = Conversation::new("ch_1", &t.id, "+19135550100", Utc::now(), None);
        s.stage = Stage::Time;
        // A Friday afternoon in Kansas City: the next open days are Monday and Tuesday
        // when the shop keeps no Saturday hours, else Saturday first.
        let friday = "2026-11-20T20:00:00Z".parse().unwrap();
        let got = quick_replies(&s, &t, friday);
        assert!(!got.is_empty(), "{got:?}");
        assert!(got.iter().all(|g| !g.starts_with("Friday")), "{got:?}");
        assert!(
            got.iter()
                .all(|g| g.ends_with(" morning") || g.ends_with(" afternoon")),
            "{got:?}"
        );
        s.stage = Stage::Problem;
        assert!(quick_replies(&s, &t, friday).is_empty());
        s.stage = Stage::Time;
        s.lang = Lang::Es;
        assert!(quick_replies(&s, &t, friday).is_empty());
    }
}
