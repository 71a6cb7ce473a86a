//! Slots read back in words, in the tenant's zone, as arrival windows ("Tuesday,
//! November 24th, between 9 and 11 in the morning").

use super::Slot;
use crate::tenancy::Tenant;
use chrono::{DateTime, Datelike, Duration, TimeZone, Timelike, Utc};

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "9 AM", "2:30 PM": a local time of day as it is spoken.
pub fn clock(h: u32, m: u32) -> String {
    let (h12, ampm) = match h {
        0 => (12, "AM"),
        12 => (12, "PM"),
        h if h > 12 => (h - 12, "PM"),
        h => (h, "AM"),
    };
    if m == 0 {
        format!("{h12} {ampm}")
    } else {
        format!("{h12}:{m:02} {ampm}")
    }
}

/// "Friday, November 20th" (English) or "el viernes 20 de noviembre" (Spanish).
pub fn speak_day(date: chrono::NaiveDate, spanish: bool) -> String {
    const DAYS_ES: [&str; 7] = [
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ];
    if spanish {
        format!(
            "el {} {} de {}",
            DAYS_ES[date.weekday().num_days_from_monday() as usize],
            date.day(),
            MONTHS_ES[date.month0() as usize]
        )
    } else {
        format!(
            "{}, {} {}",
            date.format("%A"),
            date.format("%B"),
            ordinal(date.day())
        )
    }
}

/// The arrival window promised for a slot, UTC: from its start for the tenant's
/// `arrival_window_min`, cut at the close of the open span it starts in (a technician does
/// not arrive after hours). Equal ends mean an exact time.
pub fn arrival_window(slot: &Slot, tenant: &Tenant) -> (DateTime<Utc>, DateTime<Utc>) {
    let tz = tenant.tz();
    let l = slot.start.with_timezone(&tz);
    let mut end = slot.start + Duration::minutes(tenant.booking.arrival_window_min as i64);
    if let Some(span) = tenant
        .hours
        .on(l.weekday())
        .iter()
        .find(|s| s.open <= l.time() && l.time() < s.close)
    {
        if let Some(close) = tz
            .from_local_datetime(&l.date_naive().and_time(span.close))
            .earliest()
        {
            end = end.min(close.with_timezone(&Utc));
        }
    }
    (slot.start, end.max(slot.start))
}

fn part_of_day(h: u32) -> &'static str {
    match h {
        0..=11 => "in the morning",
        12..=16 => "in the afternoon",
        _ => "in the evening",
    }
}

fn bare(h: u32, m: u32) -> String {
    let h12 = if h.is_multiple_of(12) { 12 } else { h % 12 };
    if m == 0 {
        format!("{h12}")
    } else {
        format!("{h12}:{m:02}")
    }
}

/// "Tuesday, November 24th, between 9 and 11 in the morning" (or "… at 9 AM" without a
/// window), in the tenant's zone.
pub fn speak_slot(slot: &Slot, tenant: &Tenant) -> String {
    let tz = tenant.tz();
    let (a, b) = arrival_window(slot, tenant);
    let (a, b) = (a.with_timezone(&tz), b.with_timezone(&tz));
    let day = speak_day(a.date_naive(), false);
    if a == b {
        return format!("{day} at {}", clock(a.hour(), a.minute()));
    }
    let (bh, bm) = (b.hour(), b.minute());
    let past_noon = bh > 12 || (bh == 12 && bm > 0);
    if a.hour() < 12 && past_noon {
        format!(
            "{day}, between {} and {}",
            clock(a.hour(), a.minute()),
            clock(bh, bm)
        )
    } else if bh == 12 && bm == 0 {
        format!("{day}, between {} and noon", bare(a.hour(), a.minute()))
    } else {
        format!(
            "{day}, between {} and {} {}",
            bare(a.hour(), a.minute()),
            bare(bh, bm),
            part_of_day(a.hour())
        )
    }
}

/// Spanish month names, January first (shared with time-phrase parsing).
pub(crate) const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

fn parte_del_dia(h: u32) -> &'static str {
    match h {
        0..=11 => "de la mañana",
        12..=18 => "de la tarde",
        _ => "de la noche",
    }
}

fn las(h: u32, m: u32) -> String {
    let article = if h % 12 == 1 { "la" } else { "las" };
    format!("{article} {}", bare(h, m))
}

/// "el martes 24 de noviembre entre las 9 y las 11 de la mañana".
pub fn speak_slot_es(slot: &Slot, tenant: &Tenant) -> String {
    let tz = tenant.tz();
    let (a, b) = arrival_window(slot, tenant);
    let (a, b) = (a.with_timezone(&tz), b.with_timezone(&tz));
    let day = speak_day(a.date_naive(), true);
    let (pa, pb) = (parte_del_dia(a.hour()), parte_del_dia(b.hour()));
    if a == b {
        format!("{day} a {} {pa}", las(a.hour(), a.minute()))
    } else if pa == pb {
        format!(
            "{day} entre {} y {} {pa}",
            las(a.hour(), a.minute()),
            las(b.hour(), b.minute())
        )
    } else {
        format!(
            "{day} entre {} {pa} y {} {pb}",
            las(a.hour(), a.minute()),
            las(b.hour(), b.minute())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduling::WeeklyHours;
    use chrono::TimeZone;

    fn tenant(window: u32) -> Tenant {
        let mut t: Tenant = serde_json::from_value(serde_json::json!({
            "id": "t", "name": "T", "trades": "plumbing", "time_zone": "America/Chicago",
            "phone": "+19135550100", "hours": WeeklyHours::weekdays((8, 0), (17, 0), None),
            "services": [], "resources": [{"id": "r1", "name": "Van"}],
            "contacts": {"owner_name": "Sam", "owner_cell": "+19135550101", "owner_email": null},
            "emergency": {"transfer_to_owner": false, "transfer_on_request": false, "keywords": []},
            "service_area": [], "spanish": false,
            "booking": {"lead_time_min": 0, "buffer_min": 0, "horizon_days": 30, "start_step_min": 30},
            "plan": "solo", "status": "active"
        }))
        .unwrap();
        t.booking.arrival_window_min = window;
        t
    }

    fn slot(h: u32, m: u32) -> Slot {
        let start = chrono_tz::America::Chicago
            .with_ymd_and_hms(2026, 11, 24, h, m, 0)
            .unwrap()
            .with_timezone(&Utc);
        Slot {
            resource: "r1".into(),
            start,
            end: start + Duration::hours(1),
        }
    }

    #[test]
    fn windows_read_as_people_say_them() {
        let t = tenant(120);
        for (h, m, said) in [
            (
                9,
                0,
                "Tuesday, November 24th, between 9 and 11 in the morning",
            ),
            (
                13,
                30,
                "Tuesday, November 24th, between 1:30 and 3:30 in the afternoon",
            ),
            (11, 0, "Tuesday, November 24th, between 11 AM and 1 PM"),
            (10, 0, "Tuesday, November 24th, between 10 and noon"),
            // Cut at closing time (5 PM).
            (
                16,
                0,
                "Tuesday, November 24th, between 4 and 5 in the afternoon",
            ),
        ] {
            assert_eq!(speak_slot(&slot(h, m), &t), said);
        }
        assert_eq!(
            speak_slot(&slot(9, 0), &tenant(0)),
            "Tuesday, November 24th at 9 AM"
        );
        assert_eq!(
            speak_slot_es(&slot(9, 0), &t),
            "el martes 24 de noviembre entre las 9 y las 11 de la mañana"
        );
        assert_eq!(
            speak_slot_es(&slot(11, 0), &t),
            "el martes 24 de noviembre entre las 11 de la mañana y la 1 de la tarde"
        );
    }
}
