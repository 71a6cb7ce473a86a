//! The owner's line's answers: short, in the shop's local time, read in order. Written
//! for the ear (a text gets the same words).

use crate::scheduling::{clock, speak_day};
use chrono::{NaiveDate, NaiveTime, Timelike};

/// One job as the line reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct JobLine {
    /// Local start.
    pub at: NaiveTime,
    pub customer: String,
    /// The service's label ("faucet repair").
    pub service: String,
    /// Street line, when known.
    pub street: Option<String>,
}

/// One call or callback as the line reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct CallLine {
    /// Local time it came in.
    pub at: NaiveTime,
    /// A name, else the number as spoken.
    pub who: String,
    /// What it was about (a service label or the note).
    pub about: String,
}

/// How many entries one answer reads before pointing at the dashboard.
pub const READ_AT_MOST: usize = 6;

fn at(t: NaiveTime) -> String {
    clock(t.hour(), t.minute())
}

/// "today", "tomorrow", or "on Thursday, December 10th".
pub fn day_words(day: NaiveDate, today: NaiveDate) -> String {
    match (day - today).num_days() {
        0 => "today".into(),
        1 => "tomorrow".into(),
        _ => format!("on {}", speak_day(day, false)),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn more(n: usize) -> String {
    if n > READ_AT_MOST {
        format!(" And {} more on the dashboard.", n - READ_AT_MOST)
    } else {
        String::new()
    }
}

/// "At 9 AM, faucet repair for Jane Doe, 123 Main Street."
pub fn job(j: &JobLine) -> String {
    match &j.street {
        Some(s) => format!("At {}, {} for {}, {}.", at(j.at), j.service, j.customer, s),
        None => format!("At {}, {} for {}.", at(j.at), j.service, j.customer),
    }
}

/// A day's jobs in order: "Tomorrow you have 2 jobs. At 9 AM, …".
pub fn day(day: NaiveDate, today: NaiveDate, jobs: &[JobLine]) -> String {
    let when = day_words(day, today);
    if jobs.is_empty() {
        return format!("Nothing is booked {when}.");
    }
    let mut out = format!(
        "{} you have {}.",
        capitalised(&when),
        plural(jobs.len(), "job", "jobs")
    );
    for j in jobs.iter().take(READ_AT_MOST) {
        out.push(' ');
        out.push_str(&job(j));
    }
    out.push_str(&more(jobs.len()));
    out
}

/// "The 2 PM today is Jane Doe, faucet repair, at 123 Main Street."
pub fn who_at(when: &str, t: NaiveTime, j: Option<&JobLine>) -> String {
    match j {
        Some(j) => {
            let place = j
                .street
                .as_deref()
                .map(|s| format!(", at {s}"))
                .unwrap_or_default();
            format!(
                "The {} {when} is {}, {}{place}.",
                at(t),
                j.customer,
                j.service
            )
        }
        None => format!("Nothing is booked at {} {when}.", at(t)),
    }
}

/// Today's emergency calls, newest first.
pub fn emergencies(calls: &[CallLine]) -> String {
    if calls.is_empty() {
        return "No emergencies today.".into();
    }
    let mut out = format!("{} today.", plural(calls.len(), "emergency", "emergencies"));
    for c in calls.iter().take(READ_AT_MOST) {
        out.push_str(&format!(" At {}, {}, {}.", at(c.at), c.who, c.about));
    }
    out.push_str(&more(calls.len()));
    out
}

/// Open callbacks, oldest first.
pub fn callbacks(calls: &[CallLine]) -> String {
    if calls.is_empty() {
        return "No callbacks are waiting.".into();
    }
    let mut out = format!("{} waiting.", plural(calls.len(), "callback", "callbacks"));
    for c in calls.iter().take(READ_AT_MOST) {
        out.push_str(&format!(" {}: {}.", c.who, c.about));
    }
    out.push_str(&more(calls.len()));
    out
}

/// What the line can do, said when a question is not understood.
pub fn help() -> &'static str {
    "You can ask what's on today, tomorrow or another day, any emergencies today, the callbacks, who's the 2 o'clock, to text you the next job's address, to call back the last missed caller, or to cancel or move a job."
}

/// The first word of a name ("Jane" of "Jane Doe").
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn a_day_is_read_in_order_with_its_count() {
        let today: NaiveDate = "2026-12-07".parse().unwrap();
        let jobs = [
            JobLine {
                at: t(9, 0),
                customer: "Jane Doe".into(),
                service: "faucet repair".into(),
                street: Some("123 Main Street".into()),
            },
            JobLine {
                at: t(14, 30),
                customer: "Bo Li".into(),
                service: "drain cleaning".into(),
                street: None,
            },
        ];
        assert_eq!(
            day(today.succ_opt().unwrap(), today, &jobs),
            "Tomorrow you have 2 jobs. At 9 AM, faucet repair for Jane Doe, 123 Main Street. At 2:30 PM, drain cleaning for Bo Li."
        );
        assert_eq!(day(today, today, &[]), "Nothing is booked today.");
        assert!(day("2026-12-10".parse().unwrap(), today, &[])
            .starts_with("Nothing is booked on Thursday"));
        assert_eq!(
            who_at("today", t(14, 0), None),
            "Nothing is booked at 2 PM today."
        );
    }

    #[test]
    fn long_lists_point_at_the_dashboard() {
        let c = CallLine {
            at: t(8, 0),
            who: "Al".into(),
            about: "burst pipe".into(),
        };
        let list = vec![c; 8];
        let said = emergencies(&list);
        assert!(said.starts_with("8 emergencies today."), "{said}");
        assert!(said.ends_with("And 2 more on the dashboard."), "{said}");
        assert_eq!(callbacks(&[]), "No callbacks are waiting.");
    }
}
