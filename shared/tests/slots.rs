//! Slot arithmetic: properties over random calendars (proptest), daylight-saving days in
//! America/Chicago, and a tenant in another zone.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use frontline::scheduling::{
    find_slots, granules, parse_preference, Busy, OpenSpan, Slot, TimePreference, WeeklyHours,
    GRANULE_MIN,
};
use frontline::tenancy::{BookingRules, Closure, Tenant};
use proptest::prelude::*;

fn tenant(zone: &str, hours: WeeklyHours, booking: BookingRules, resources: usize) -> Tenant {
    let mut t: Tenant = serde_json::from_value(serde_json::json!({
        "id": "t", "name": "T", "trades": "plumbing", "time_zone": zone,
        "phone": "+19135550100", "hours": hours, "services": [],
        "resources": (1..=resources).map(|i| serde_json::json!({"id": format!("r{i}"), "name": format!("Van {i}")})).collect::<Vec<_>>(),
        "contacts": {"owner_name": "Sam", "owner_cell": "+19135550101", "owner_email": null},
        "emergency": {"transfer_to_owner": false, "transfer_on_request": false, "keywords": []},
        "service_area": [], "spanish": false, "booking": BookingRules::default(),
        "plan": "solo", "status": "active"
    }))
    .unwrap();
    t.booking = booking;
    t
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn every_day(open: NaiveTime, close: NaiveTime) -> WeeklyHours {
    WeeklyHours {
        days: std::array::from_fn(|_| vec![OpenSpan { open, close }]),
    }
}

fn on(days: &[NaiveDate]) -> TimePreference {
    TimePreference {
        days: days.to_vec(),
        ..TimePreference::default()
    }
}

fn local(t: &Tenant, s: &Slot) -> String {
    s.start
        .with_timezone(&t.tz())
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// Every property a booked slot must have, given what was busy.
fn check(t: &Tenant, slots: &[Slot], busy: &Busy, dur: u32, now: DateTime<Utc>) {
    let tz = t.tz();
    let gap = Duration::minutes(t.booking.gap_min() as i64);
    for (i, s) in slots.iter().enumerate() {
        assert_eq!(
            s.end - s.start,
            Duration::minutes(dur as i64),
            "duration exact"
        );
        assert!(
            s.start >= now + Duration::minutes(t.booking.lead_time_min as i64),
            "lead time"
        );
        let l = s.start.with_timezone(&tz);
        let e = s.end.with_timezone(&tz);
        assert_eq!(
            l.date_naive(),
            e.date_naive(),
            "a job does not run past midnight"
        );
        assert!(
            t.hours
                .on(l.weekday())
                .iter()
                .any(|sp| sp.open <= l.time() && e.time() <= sp.close && l.time() < sp.close),
            "inside one open span: {}",
            local(t, s)
        );
        assert!(
            t.booking.closure_on(l.date_naive()).is_none(),
            "not on a closure"
        );
        assert_eq!(
            l.minute() % t.booking.start_step_min.max(GRANULE_MIN as u32) % 60,
            0,
            "on the step"
        );
        for g in granules(s.start, s.end + gap) {
            assert!(
                !busy.0.contains(&(s.resource.clone(), g)),
                "buffer and job free of other jobs"
            );
        }
        if i > 0 {
            assert!(
                slots[i - 1].start < s.start,
                "earliest first, distinct starts"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn slots_never_overlap_and_respect_hours_buffers_and_durations(
        open_h in 6u32..11, len_h in 4u32..11,
        dur_q in 1u32..17, buffer in 0u32..61, travel in 0u32..46,
        step in prop::sample::select(vec![15u32, 30, 60]),
        lead in 0u32..600,
        resources in 1usize..4,
        jobs in prop::collection::vec((0usize..3, 0i64..(14 * 24 * 4), 1i64..17), 0..40),
        zone in prop::sample::select(vec!["America/Chicago", "America/Los_Angeles", "America/Phoenix", "Europe/London"]),
        now_off in 0i64..(300 * 24 * 4),
    ) {
        let close_h = (open_h + len_h).min(23);
        let booking = BookingRules {
            lead_time_min: lead,
            buffer_min: buffer,
            travel_min: travel,
            start_step_min: step,
            horizon_days: 14,
            ..BookingRules::default()
        };
        let t = tenant(zone, every_day(hm(open_h, 0), hm(close_h, 0)), booking, resources);
        // Any quarter hour across a year, daylight-saving changes included.
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(15 * now_off);
        let mut busy = Busy::default();
        for (r, q, len) in jobs {
            let start = now + Duration::minutes(15 * q);
            busy.add(&format!("r{}", r % resources + 1), start, start + Duration::minutes(15 * len));
        }
        let dur = dur_q * 15;
        let slots = find_slots(&t, &t.hours, &TimePreference::default(), dur, &busy, now, 8);
        check(&t, &slots, &busy, dur, now);
        // Booking them one after another (each marked busy) never overlaps either.
        let mut b2 = busy.clone();
        for _ in 0..6 {
            let Some(s) = find_slots(&t, &t.hours, &TimePreference::default(), dur, &b2, now, 1).pop() else { break };
            check(&t, std::slice::from_ref(&s), &b2, dur, now);
            b2.add(&s.resource, s.start, s.end + Duration::minutes(t.booking.gap_min() as i64));
        }
    }
}

/// Up to `n` free starts on `date` for a job of `dur` minutes on an empty calendar.
fn free_on(t: &Tenant, date: NaiveDate, dur: u32, now: DateTime<Utc>, n: usize) -> Vec<Slot> {
    find_slots(t, &t.hours, &on(&[date]), dur, &Busy::default(), now, n)
}

/// A Chicago crew open 00:00-23:00 every day, no lead time or buffer.
fn round_the_clock() -> Tenant {
    tenant(
        "America/Chicago",
        every_day(hm(0, 0), hm(23, 0)),
        BookingRules {
            lead_time_min: 0,
            buffer_min: 0,
            ..BookingRules::default()
        },
        1,
    )
}

fn chicago_8_to_5(lead: u32) -> Tenant {
    tenant(
        "America/Chicago",
        WeeklyHours::weekdays((8, 0), (17, 0), Some(((8, 0), (12, 0)))),
        BookingRules {
            lead_time_min: lead,
            ..BookingRules::default()
        },
        1,
    )
}

#[test]
fn spring_forward_keeps_wall_clock_hours() {
    // Saturday 2026-03-07 (CST, UTC-6); clocks go forward Sunday 2026-03-08 at 2:00.
    let t = chicago_8_to_5(0);
    let now = Utc.with_ymd_and_hms(2026, 3, 7, 20, 0, 0).unwrap();
    let s = free_on(&t, day(2026, 3, 9), 60, now, 1);
    assert_eq!(local(&t, &s[0]), "2026-03-09 08:00 CDT");
    assert_eq!(
        s[0].start,
        Utc.with_ymd_and_hms(2026, 3, 9, 13, 0, 0).unwrap()
    );
    let s = free_on(
        &t,
        day(2026, 3, 6),
        60,
        Utc.with_ymd_and_hms(2026, 3, 5, 0, 0, 0).unwrap(),
        1,
    );
    assert_eq!(
        s[0].start,
        Utc.with_ymd_and_hms(2026, 3, 6, 14, 0, 0).unwrap(),
        "8 AM CST the week before"
    );
}

#[test]
fn the_missing_hour_is_never_offered_and_jobs_span_it_in_real_time() {
    // A round-the-clock emergency crew: starts on 2026-03-08 skip 2:00-2:59 (it never happens).
    let t = round_the_clock();
    let now = Utc.with_ymd_and_hms(2026, 3, 8, 6, 0, 0).unwrap(); // 00:00 CST
    let s = free_on(&t, day(2026, 3, 8), 60, now, 8);
    let starts: Vec<String> = s.iter().map(|x| local(&t, x)).collect();
    assert_eq!(
        starts[..6],
        [
            "2026-03-08 00:00 CST",
            "2026-03-08 00:30 CST",
            "2026-03-08 01:00 CST",
            "2026-03-08 01:30 CST",
            "2026-03-08 03:00 CDT",
            "2026-03-08 03:30 CDT",
        ]
    );
    // A one-hour job from 1:30 CST ends at 3:30 CDT: sixty real minutes.
    assert_eq!(
        s[3].end
            .with_timezone(&t.tz())
            .format("%H:%M %Z")
            .to_string(),
        "03:30 CDT"
    );
}

#[test]
fn the_repeated_hour_is_offered_once() {
    // 2026-11-01: 1:00-1:59 happens twice (CDT, then CST); each start is offered once.
    let t = round_the_clock();
    let now = Utc.with_ymd_and_hms(2026, 11, 1, 5, 0, 0).unwrap(); // 00:00 CDT
    let s = free_on(&t, day(2026, 11, 1), 30, now, 6);
    let starts: Vec<String> = s.iter().map(|x| local(&t, x)).collect();
    assert_eq!(
        starts[..5],
        [
            "2026-11-01 00:00 CDT",
            "2026-11-01 00:30 CDT",
            "2026-11-01 01:00 CDT",
            "2026-11-01 01:30 CDT",
            "2026-11-01 02:00 CST",
        ]
    );
    // Business hours the Monday after are 8 AM CST = 14:00 UTC.
    let t = chicago_8_to_5(0);
    let s = free_on(&t, day(2026, 11, 2), 60, now, 1);
    assert_eq!(
        s[0].start,
        Utc.with_ymd_and_hms(2026, 11, 2, 14, 0, 0).unwrap()
    );
}

#[test]
fn a_tenant_in_another_zone_books_in_its_own_wall_clock() {
    let t = tenant(
        "America/Los_Angeles",
        WeeklyHours::weekdays((7, 30), (16, 0), None),
        BookingRules {
            lead_time_min: 60,
            ..BookingRules::default()
        },
        1,
    );
    // 2026-11-23 09:00 UTC is 01:00 in Los Angeles (PST): the first start is 7:30 PST.
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let today = now.with_timezone(&t.tz()).date_naive();
    let p = parse_preference("tomorrow morning", today).unwrap();
    let s = find_slots(&t, &t.hours, &p, 90, &Busy::default(), now, 2);
    assert_eq!(local(&t, &s[0]), "2026-11-24 07:30 PST");
    assert_eq!(
        s[0].start,
        Utc.with_ymd_and_hms(2026, 11, 24, 15, 30, 0).unwrap()
    );
    assert!(
        s[1].start.with_timezone(&t.tz()).hour() < 12,
        "still the morning"
    );
    // "today" resolves in the tenant's zone: at 01:00 PST it is still Monday there.
    assert_eq!(today, day(2026, 11, 23));
    // Spring forward in Los Angeles is the same Sunday; a Monday 7:30 start is PDT.
    let s = free_on(
        &t,
        day(2026, 3, 9),
        60,
        Utc.with_ymd_and_hms(2026, 3, 7, 0, 0, 0).unwrap(),
        1,
    );
    assert_eq!(local(&t, &s[0]), "2026-03-09 07:30 PDT");
}

#[test]
fn closures_are_skipped_even_inside_a_range() {
    let mut t = chicago_8_to_5(0);
    t.booking.closures.push(Closure {
        from: day(2026, 11, 26),
        to: day(2026, 11, 27),
        name: "Thanksgiving".into(),
    });
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 23, 0, 0).unwrap();
    let s = find_slots(
        &t,
        &t.hours,
        &TimePreference::default(),
        60,
        &Busy::default(),
        now,
        1,
    );
    assert_eq!(
        local(&t, &s[0]),
        "2026-11-28 08:00 CST",
        "Saturday after the closure"
    );
}
