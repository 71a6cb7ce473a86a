//! What the owner asked, read from a spoken or texted question. Times are the local
//! clock of the shop ("the 3 o'clock" is 3 PM: a trade's working day), days are resolved
//! against the shop's today.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};

/// One question or command on the owner's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// "What's on tomorrow?": the jobs of a day, in order.
    Day(NaiveDate),
    /// "Any emergencies today?"
    Emergencies,
    /// "Read me the callbacks": open callback tasks.
    Callbacks,
    /// "Who's the 2 o'clock?" (a day when one was said).
    WhoAt(Option<NaiveDate>, NaiveTime),
    /// "Text me the address of the next job."
    TextNextAddress,
    /// "Call back the last missed caller": a bridge to them.
    CallBackLastMissed,
    /// "Cancel the 3 o'clock."
    Cancel(Option<NaiveDate>, NaiveTime),
    /// "Move the 3 o'clock to Friday at 10" (`to`: the new local start when said; its
    /// day `None` for the job's own day).
    Move {
        day: Option<NaiveDate>,
        at: NaiveTime,
        to: Option<(Option<NaiveDate>, NaiveTime)>,
    },
    /// Cancel or move said without the job's time.
    WhichJob,
    /// "Let me hear the receptionist": the rest of the call as a customer's.
    Receptionist,
    Yes,
    No,
    Goodbye,
    /// Nothing the line knows.
    Unclear,
}

/// Lower case words; digits, colons and apostrophes kept ("2:30", "o'clock").
fn words(text: &str) -> Vec<String> {
    let t = text.to_lowercase().replace(['’', '‘'], "'");
    let cleaned: String = t
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ':' || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let mut out: Vec<String> = Vec::new();
    for w in cleaned.split_whitespace() {
        // "a.m." and "p.m." arrive as "a m" / "p m".
        if (w == "m") && matches!(out.last().map(String::as_str), Some("a" | "p")) {
            let prev = out.pop().unwrap_or_default();
            out.push(format!("{prev}m"));
            continue;
        }
        out.push(w.trim_matches('\'').to_string());
    }
    out
}

fn has(w: &[String], any: &[&str]) -> bool {
    w.iter().any(|x| any.contains(&x.as_str()))
}

fn has_prefix(w: &[String], prefix: &str) -> bool {
    w.iter().any(|x| x.starts_with(prefix))
}

const NUMBER_WORDS: [&str; 12] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];

/// An hour and minutes from one word: "2", "2:30", "230", "2pm", "two".
fn clock_word(w: &str) -> Option<(u32, u32, Option<bool>)> {
    let (body, pm) = if let Some(b) = w.strip_suffix("pm") {
        (b, Some(true))
    } else if let Some(b) = w.strip_suffix("am") {
        (b, Some(false))
    } else {
        (w, None)
    };
    if body == "noon" {
        return Some((12, 0, Some(true)));
    }
    if let Some(i) = NUMBER_WORDS.iter().position(|n| *n == body) {
        return Some((i as u32 + 1, 0, pm));
    }
    let (h, m) = match body.split_once(':') {
        Some((h, m)) => (h.parse().ok()?, m.parse().ok()?),
        None if body.len() == 3 || body.len() == 4 => {
            let n: u32 = body.parse().ok()?;
            (n / 100, n % 100)
        }
        None => (body.parse().ok()?, 0),
    };
    (h <= 23 && m < 60).then_some((h, m, pm))
}

/// The first time of day said in `w` ("the 2 o'clock", "2:30 pm", "ten thirty"). An hour
/// without AM or PM is a working hour: 7 to 11 are the morning, 12 to 6 the afternoon.
fn time_in(w: &[String]) -> Option<NaiveTime> {
    for (i, x) in w.iter().enumerate() {
        let Some((mut h, mut m, mut pm)) = clock_word(x) else {
            continue;
        };
        let next = w.get(i + 1).map(String::as_str);
        // A bare number is a time only when it reads as one: "2 o'clock", "2 pm", "the 2".
        let timed = x.contains(':')
            || pm.is_some()
            || matches!(
                next,
                Some("o'clock" | "oclock" | "am" | "pm" | "thirty" | "fifteen" | "forty")
            )
            || (i > 0
                && (matches!(
                    w[i - 1].as_str(),
                    "the" | "at" | "to" | "for" | "las" | "la"
                ) || w[i - 1].ends_with("'s")));
        if !timed {
            continue;
        }
        match next {
            Some("am") => pm = Some(false),
            Some("pm") => pm = Some(true),
            Some("thirty") => m = 30,
            Some("fifteen") => m = 15,
            Some("forty") if w.get(i + 2).map(String::as_str) == Some("five") => m = 45,
            Some("forty") => m = 40,
            _ => {}
        }
        if let Some(after) = w.get(i + 2).map(String::as_str) {
            match after {
                "am" => pm = Some(false),
                "pm" => pm = Some(true),
                _ => {}
            }
        }
        // "14:00" says its own half of the day.
        if h <= 12 {
            match pm {
                Some(true) if h < 12 => h += 12,
                Some(false) if h == 12 => h = 0,
                None if (1..=6).contains(&h) => h += 12,
                _ => {}
            }
        }
        if h > 23 {
            h = 23;
            m = 0;
        }
        return NaiveTime::from_hms_opt(h, m, 0);
    }
    None
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// The first day said in `w`: today, tomorrow, or a weekday (the next one, today
/// included; "next Thursday" skips this week's).
fn day_in(w: &[String], today: NaiveDate) -> Option<NaiveDate> {
    for (i, x) in w.iter().enumerate() {
        let x = x.trim_end_matches("'s");
        match x {
            "today" | "tonight" | "hoy" => return Some(today),
            "tomorrow" | "tomorrow's" | "mañana" => return Some(today + Duration::days(1)),
            _ => {}
        }
        if let Some((_, wd)) = WEEKDAYS.iter().find(|(n, _)| x == *n || x == &n[..3]) {
            let ahead =
                (wd.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
            let next = i > 0 && w[i - 1] == "next" && ahead == 0;
            let ahead = if next { 7 } else { ahead };
            return Some(today + Duration::days(ahead as i64));
        }
    }
    None
}

/// Reads one owner question against the shop's `today`.
pub fn parse(text: &str, today: NaiveDate) -> Ask {
    let w = words(text);
    if w.is_empty() {
        return Ask::Unclear;
    }
    let joined = format!(" {} ", w.join(" "));
    let said = |p: &str| joined.contains(&format!(" {p} "));
    let day = day_in(&w, today);
    let time = time_in(&w);

    if has(&w, &["cancel", "cancelled", "cancela", "cancelar"]) && !said("cancel that") {
        return match time {
            Some(t) => Ask::Cancel(day, t),
            None => Ask::WhichJob,
        };
    }
    if has(&w, &["move", "reschedule", "push", "bump", "shift"]) {
        // What follows the first " to " after the job's time is where it goes: "I need
        // to move the 3 o'clock to friday at 10".
        let first_time = (0..w.len()).find(|&i| time_in(&w[..=i]).is_some());
        let split = first_time.and_then(|t| w[t..].iter().position(|x| x == "to").map(|i| i + t));
        let (before, after) = match split {
            Some(i) => (&w[..i], &w[i + 1..]),
            None => (&w[..], &w[w.len()..]),
        };
        let Some(at) = time_in(before) else {
            return Ask::WhichJob;
        };
        let from_day = day_in(before, today);
        let to_time = time_in(after).or_else(|| {
            // "to ten": a bare hour right after "to".
            after
                .first()
                .and_then(|x| clock_word(x))
                .and_then(|(h, m, _)| {
                    let h = if (1..=6).contains(&h) { h + 12 } else { h };
                    NaiveTime::from_hms_opt(h, m, 0)
                })
        });
        // No day said for the new time: the job's own day.
        let to_day = day_in(after, today);
        return Ask::Move {
            day: from_day,
            at,
            to: to_time.map(|t| (to_day, t)),
        };
    }
    if has(&w, &["text", "send", "sms", "message"]) && has_prefix(&w, "address") {
        return Ask::TextNextAddress;
    }
    let calls_back = said("call back")
        || said("call them back")
        || said("call him back")
        || said("call her back")
        || said("return the call")
        || (has(&w, &["call", "ring", "dial"]) && has(&w, &["missed", "last"]));
    if calls_back && !has(&w, &["callbacks"]) && !said("read me") {
        return Ask::CallBackLastMissed;
    }
    if has(&w, &["receptionist", "recepcionista"])
        || said("customer mode")
        || said("what callers hear")
        || said("what customers hear")
    {
        return Ask::Receptionist;
    }
    if has_prefix(&w, "emergenc") || has_prefix(&w, "emergencia") {
        return Ask::Emergencies;
    }
    if has(&w, &["callbacks", "callback", "messages"]) || said("call backs") {
        return Ask::Callbacks;
    }
    if let Some(t) = time {
        if has(
            &w,
            &["who", "who's", "whos", "what's", "whats", "what", "where"],
        ) {
            return Ask::WhoAt(day, t);
        }
    }
    if let Some(d) = day {
        return Ask::Day(d);
    }
    if has(
        &w,
        &[
            "schedule",
            "jobs",
            "calendar",
            "appointments",
            "booked",
            "agenda",
        ],
    ) {
        return Ask::Day(today);
    }
    if let Some(yes) = yes_or_no(&w) {
        return if yes { Ask::Yes } else { Ask::No };
    }
    if has(
        &w,
        &["bye", "goodbye", "thanks", "thank", "nothing", "done"],
    ) || said("that's all")
        || said("that's it")
    {
        return Ask::Goodbye;
    }
    Ask::Unclear
}

/// The owner's answer to "are you sure?": `Some(true)` for yes, `Some(false)` for no,
/// `None` for anything else (asked again). Checked before [`parse`] while a change waits,
/// so "yes, cancel it" confirms rather than asking which job.
pub fn confirms(text: &str) -> Option<bool> {
    yes_or_no(&words(text))
}

/// "No" words first (so "no, wait" is a no), then "yes" words.
fn yes_or_no(w: &[String]) -> Option<bool> {
    let joined = format!(" {} ", w.join(" "));
    let said = |p: &str| joined.contains(&format!(" {p} "));
    if has(w, &["no", "nope", "nah", "don't", "dont", "stop", "wait"])
        || said("never mind")
        || said("cancel that")
    {
        return Some(false);
    }
    let yes = [
        "yes",
        "yeah",
        "yep",
        "yup",
        "correct",
        "confirm",
        "confirmed",
        "sure",
        "si",
        "sí",
        "1",
    ];
    (has(w, &yes) || said("do it") || said("go ahead")).then_some(true)
}

/// A PIN as keypad digits ("2468#") or spoken ("two four six eight", "2 4 6 8"): 4 to 6
/// digits, else `None`.
pub fn pin_digits(text: &str) -> Option<String> {
    let mut digits = String::new();
    for w in text.to_lowercase().split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        if w.chars().all(|c| c.is_ascii_digit()) {
            digits.push_str(w);
        } else if let Some(i) = [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        ]
        .iter()
        .position(|n| *n == w)
        {
            digits.push(char::from(b'0' + i as u8));
        } else if w == "oh" {
            digits.push('0');
        }
    }
    (4..=6).contains(&digits.len()).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    // A Monday.
    const TODAY: &str = "2026-12-07";

    #[test]
    fn days_are_read_against_today() {
        let today = d(TODAY);
        assert_eq!(
            parse("what's on tomorrow", today),
            Ask::Day(d("2026-12-08"))
        );
        assert_eq!(
            parse("What have I got Thursday?", today),
            Ask::Day(d("2026-12-10"))
        );
        assert_eq!(parse("what's on my schedule", today), Ask::Day(today));
        assert_eq!(parse("anything monday", today), Ask::Day(today));
        assert_eq!(
            parse("next monday's jobs", today),
            Ask::Day(d("2026-12-14"))
        );
    }

    #[test]
    fn times_read_as_working_hours() {
        let today = d(TODAY);
        assert_eq!(
            parse("who's the 2 o'clock", today),
            Ask::WhoAt(None, t(14, 0))
        );
        assert_eq!(
            parse("who is the two o'clock tomorrow", today),
            Ask::WhoAt(Some(d("2026-12-08")), t(14, 0))
        );
        assert_eq!(parse("who's at 9:30", today), Ask::WhoAt(None, t(9, 30)));
        assert_eq!(parse("who's the 8 p.m.", today), Ask::WhoAt(None, t(20, 0)));
        assert_eq!(
            parse("cancel the 3 o'clock", today),
            Ask::Cancel(None, t(15, 0))
        );
        assert_eq!(
            parse("cancel tomorrow's 10:30", today),
            Ask::Cancel(Some(d("2026-12-08")), t(10, 30))
        );
        assert_eq!(parse("cancel a job", today), Ask::WhichJob);
    }

    #[test]
    fn moves_read_where_to() {
        let today = d(TODAY);
        assert_eq!(
            parse("move the 3 o'clock to friday at 10", today),
            Ask::Move {
                day: None,
                at: t(15, 0),
                to: Some((Some(d("2026-12-11")), t(10, 0)))
            }
        );
        assert_eq!(
            parse("push tomorrow's 9 to 11", today),
            Ask::Move {
                day: Some(d("2026-12-08")),
                at: t(9, 0),
                to: Some((None, t(11, 0)))
            }
        );
        assert_eq!(
            parse("I need to move the 3 o'clock to 4", today),
            Ask::Move {
                day: None,
                at: t(15, 0),
                to: Some((None, t(16, 0)))
            }
        );
        assert_eq!(
            parse("I need to move the 3 o'clock to 4", today),
            Ask::Move {
                day: None,
                at: t(15, 0),
                to: Some((None, t(16, 0)))
            }
        );
        assert_eq!(parse("who's at noon", today), Ask::WhoAt(None, t(12, 0)));
        assert_eq!(
            parse("who's the two forty", today),
            Ask::WhoAt(None, t(14, 40))
        );
        assert_eq!(
            parse("reschedule the 2 o'clock", today),
            Ask::Move {
                day: None,
                at: t(14, 0),
                to: None
            }
        );
    }

    #[test]
    fn the_other_asks() {
        let today = d(TODAY);
        assert_eq!(parse("any emergencies today?", today), Ask::Emergencies);
        assert_eq!(parse("read me the callbacks", today), Ask::Callbacks);
        assert_eq!(
            parse("text me the address of the next job", today),
            Ask::TextNextAddress
        );
        assert_eq!(
            parse("call back the last missed caller", today),
            Ask::CallBackLastMissed
        );
        assert_eq!(
            parse("let me hear the receptionist", today),
            Ask::Receptionist
        );
        assert_eq!(parse("yes", today), Ask::Yes);
        assert_eq!(parse("yeah go ahead", today), Ask::Yes);
        assert_eq!(parse("no never mind", today), Ask::No);
        assert_eq!(parse("that's all thanks", today), Ask::Goodbye);
        assert_eq!(parse("how's the weather", today), Ask::Unclear);
    }

    #[test]
    fn pins_by_keypad_or_voice() {
        assert_eq!(pin_digits("2468#").as_deref(), Some("2468"));
        assert_eq!(pin_digits("two four six eight").as_deref(), Some("2468"));
        assert_eq!(pin_digits("1 2 3 4 5 6").as_deref(), Some("123456"));
        assert_eq!(pin_digits("12"), None);
        assert_eq!(confirms("yes cancel it"), Some(true));
        assert_eq!(confirms("no wait"), Some(false));
        assert_eq!(confirms("hmm"), None);
        assert_eq!(pin_digits("1234567"), None);
    }
}
