//! Time phrases as callers say them ("tomorrow morning", "next Tuesday at 3", "the 14th",
//! "after 5", "any weekday", "as soon as possible", "not Monday"), in English and Spanish,
//! resolved against today's date in the tenant's zone into a [`TimePreference`]: a set of
//! candidate days and a window of start times, never a single instant.

use crate::triage::normalize::normalize;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// What the caller asked for. Empty `days` means any day in the booking horizon that
/// `range`, `weekdays` and `exclude` allow.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimePreference {
    pub days: Vec<NaiveDate>,
    pub range: Option<(NaiveDate, NaiveDate)>,
    pub weekdays: Vec<Weekday>,
    pub exclude: Vec<Weekday>,
    /// Earliest start, local time.
    pub from: Option<NaiveTime>,
    /// Latest start (exclusive), local time.
    pub to: Option<NaiveTime>,
    pub asap: bool,
    /// Only starts after this instant ("something later" than what was offered).
    #[serde(default)]
    pub after: Option<chrono::DateTime<chrono::Utc>>,
    /// The other reading of an ambiguous phrase: on a Wednesday, "next Friday" may be the
    /// day after tomorrow (`days`) or a week later (these). The receptionist asks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_reading: Vec<NaiveDate>,
}

impl TimePreference {
    /// Candidate days in order, from `today` to the horizon.
    pub fn candidate_days(&self, today: NaiveDate, horizon_days: u32) -> Vec<NaiveDate> {
        let last = today + Duration::days(horizon_days as i64);
        let allowed = |d: &NaiveDate| {
            *d >= today
                && *d <= last
                && (self.weekdays.is_empty() || self.weekdays.contains(&d.weekday()))
                && !self.exclude.contains(&d.weekday())
                && self.range.is_none_or(|(a, b)| *d >= a && *d <= b)
        };
        if !self.days.is_empty() {
            let mut d: Vec<NaiveDate> = self.days.iter().copied().filter(|d| allowed(d)).collect();
            d.sort();
            d.dedup();
            return d;
        }
        (0..=horizon_days as i64)
            .map(|i| today + Duration::days(i))
            .filter(allowed)
            .collect()
    }

    /// The part of an open span `[open, close)` where starts are allowed.
    pub fn clip(&self, open: NaiveTime, close: NaiveTime) -> (NaiveTime, NaiveTime) {
        let from = self.from.map_or(open, |f| f.max(open));
        let to = self.to.map_or(close, |t| t.min(close));
        (from, to)
    }

    /// Keeps this preference's time of day when a follow-up names only a day ("the 14th
    /// is fine" after "weekday afternoons after two").
    pub fn refine_with(&self, newer: &TimePreference) -> TimePreference {
        let mut p = newer.clone();
        if p.from.is_none() && p.to.is_none() {
            p.from = self.from;
            p.to = self.to;
        }
        p
    }
}

fn weekday(tok: &str) -> Option<Weekday> {
    let plain = tok.trim_end_matches("'s");
    let singular = if matches!(
        plain,
        "jueves" | "martes" | "lunes" | "viernes" | "miercoles"
    ) {
        plain
    } else {
        plain.trim_end_matches('s')
    };
    if let Some(&(_, d)) = DAY_NAMES.iter().find(|(n, _)| *n == singular) {
        return Some(d);
    }
    Some(match singular {
        "mon" => Weekday::Mon,
        "tue" | "tues" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" | "thur" | "thurs" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// Day names in full, in English and Spanish (accents folded).
const DAY_NAMES: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("lunes", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("martes", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("miercoles", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("jueves", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("viernes", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sabado", Weekday::Sat),
    ("sunday", Weekday::Sun),
    ("domingo", Weekday::Sun),
];

fn month(tok: &str) -> Option<u32> {
    const EN: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    const ABBR: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sept", "oct", "nov", "dec",
    ];
    [EN, ABBR, super::speak::MONTHS_ES]
        .iter()
        .find_map(|list| list.iter().position(|m| *m == tok))
        .map(|i| i as u32 + 1)
}

const NUMBER_WORDS: [&str; 13] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
];

/// The hours in Spanish ("a las cuatro", "después de la una").
const SPANISH_HOURS: [&str; 13] = [
    "cero", "una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
    "once", "doce",
];

fn small_number(tok: &str) -> Option<u32> {
    tok.parse::<u32>().ok().filter(|n| *n <= 12).or_else(|| {
        NUMBER_WORDS
            .iter()
            .chain(SPANISH_HOURS.iter().skip(1))
            .position(|w| *w == tok)
            .map(|n| {
                if n < NUMBER_WORDS.len() {
                    n as u32
                } else {
                    (n - NUMBER_WORDS.len() + 1) as u32
                }
            })
    })
}

/// Day of month from "14th", "1st", "22nd", "the 9".
fn day_of_month(tok: &str) -> Option<u32> {
    let digits = tok
        .trim_end_matches("st")
        .trim_end_matches("nd")
        .trim_end_matches("rd")
        .trim_end_matches("th");
    let n: u32 = digits.parse().ok()?;
    (1..=31).contains(&n).then_some(n)
}

const ORDINAL_WORDS: [&str; 31] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "twenty-first",
    "twenty-second",
    "twenty-third",
    "twenty-fourth",
    "twenty-fifth",
    "twenty-sixth",
    "twenty-seventh",
    "twenty-eighth",
    "twenty-ninth",
    "thirtieth",
    "thirty-first",
];

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h.min(23), m.min(59), 0).expect("bounded")
}

/// Clock hour from a spoken hour with optional am/pm; trades hours make bare 1–6 p.m.
fn clock_hour(n: u32, suffix: Option<&str>) -> u32 {
    match suffix {
        Some("pm") | Some("p") if n < 12 => n + 12,
        Some("am") | Some("a") if n == 12 => 0,
        Some(_) => n,
        None if (1..=6).contains(&n) => n + 12,
        None => n,
    }
}

/// Parses a time expression at `tokens[i]` ("9", "9am", "3 pm", "9 30 am", "noon").
fn time_at(tokens: &[&str], i: usize) -> Option<(NaiveTime, usize)> {
    let tok = *tokens.get(i)?;
    if tok == "noon" || tok == "mediodia" {
        return Some((hm(12, 0), 1));
    }
    let (num, glued) = if let Some(n) = tok.strip_suffix("am").or_else(|| tok.strip_suffix("pm")) {
        (n.parse::<u32>().ok()?, Some(&tok[tok.len() - 2..]))
    } else {
        (small_number(tok)?, None)
    };
    if !(1..=12).contains(&num) {
        return None;
    }
    let mut used = 1;
    let mut minute = 0;
    if glued.is_none() {
        if let Some(m) = tokens
            .get(i + 1)
            .and_then(|t| t.parse::<u32>().ok())
            .filter(|m| *m < 60 && *m % 5 == 0 && *m > 0)
        {
            minute = m;
            used += 1;
        }
    }
    let mut suffix = glued;
    if suffix.is_none() {
        match tokens.get(i + used).copied() {
            Some(s @ ("am" | "pm")) => {
                suffix = Some(s);
                used += 1;
            }
            Some("o'clock") => used += 1,
            Some("in") if tokens.get(i + used + 2).is_some_and(|w| *w == "morning") => {
                suffix = Some("am")
            }
            _ => {}
        }
    }
    Some((hm(clock_hour(num, suffix), minute), used))
}

/// Verbs that tell what already happened; a day right after one is when it did.
const HAPPENED: &[&str] = &[
    "came",
    "stopped",
    "fixed",
    "showed",
    "went",
    "replaced",
    "installed",
    "dropped",
    "swung",
    "visited",
    "happened",
    "quit",
    "died",
    "broke",
    "vino",
    "vinieron",
    "arreglo",
    "arreglaron",
    "paso",
];

/// `norm` without the times it tells of the past ("he was out last tuesday", "two days
/// ago", "my brother already fixed it over the weekend"): when something happened is no
/// time asked for.
fn without_past_times(norm: &str) -> String {
    let t: Vec<&str> = norm.split_whitespace().collect();
    let already = t.iter().any(|w| matches!(*w, "already" | "ya"));
    let mut keep = vec![true; t.len()];
    for (i, w) in t.iter().enumerate() {
        match *w {
            "last" if t.get(i + 1).is_some_and(|n| !matches!(*n, "one" | "thing")) => {
                keep[i] = false;
                keep[i + 1] = false;
            }
            // "el martes pasado", "la semana pasada" (not "pasado mañana").
            "pasado" | "pasada" if i > 0 && t.get(i + 1) != Some(&"manana") => {
                keep[i] = false;
                keep[i - 1] = false;
            }
            "ago" => {
                for k in keep.iter_mut().take(i + 1).skip(i.saturating_sub(2)) {
                    *k = false;
                }
            }
            "weekend" if already && i >= 2 && t[i - 2] == "over" => {
                keep[i] = false;
            }
            // "my son came over sunday", "it quit on tuesday": a day something happened.
            w if DAY_NAMES.iter().any(|(n, _)| *n == w)
                && t[i.saturating_sub(3)..i]
                    .iter()
                    .any(|p| HAPPENED.contains(p)) =>
            {
                keep[i] = false;
            }
            _ => {}
        }
    }
    t.iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(w, _)| *w)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses a time phrase relative to `today` (the tenant's local date). `None` when the text
/// says nothing about when.
pub fn parse_preference(text: &str, today: NaiveDate) -> Option<TimePreference> {
    let norm = without_past_times(&normalize(text));
    let t: Vec<&str> = norm.split_whitespace().collect();
    let mut p = TimePreference::default();
    let mut said = false;
    // "a couple of weeks" and "a couple weeks" are the same span.
    let joined = format!(" {norm} ").replace(" couple of ", " couple ");
    let has = |s: &str| joined.contains(&format!(" {s} "));

    if has("asap")
        || has("as soon as possible")
        || has("soonest")
        || has("earliest")
        || has("right away")
        || has("first available")
        || has("lo antes posible")
        || has("lo mas pronto")
    {
        p.asap = true;
        said = true;
    }
    if has("any time")
        || has("anytime")
        || has("whenever")
        || has("any day")
        || has("flexible")
        || has("cualquier dia")
    {
        said = true;
    }
    // "can't make it tomorrow", "friday doesn't work": a day refused is not a day asked
    // for (a refused weekday is left out; a refused today or tomorrow is simply not asked).
    let refused = |i: usize| -> bool {
        let before = &t[i.saturating_sub(4)..i];
        let cannot = before.iter().any(|w| {
            matches!(
                *w,
                "can't" | "cant" | "cannot" | "won't" | "wont" | "couldn't" | "unable"
            )
        }) && before
            .iter()
            .any(|w| matches!(*w, "make" | "do" | "be" | "home" | "there"));
        let fails = matches!(
            t.get(i + 1).copied(),
            Some("doesn't" | "doesnt" | "won't" | "wont" | "isn't" | "isnt" | "is" | "not")
        ) && matches!(
            t.get(i + 2).copied(),
            Some("work" | "works" | "good" | "going" | "no" | "out" | "bad")
        );
        cannot || fails
    };
    let refused_word = |word: &str| t.iter().position(|w| *w == word).is_some_and(refused);
    // Relative days. Spanish "mañana" is tomorrow unless it follows "la" (the morning).
    let manana_tomorrow = t
        .iter()
        .enumerate()
        .any(|(i, w)| *w == "manana" && (i == 0 || !matches!(t[i - 1], "la" | "por" | "en")));
    if (has("today") && !refused_word("today"))
        || has("hoy")
        || has("this afternoon")
        || has("this morning")
        || has("this evening")
        || has("tonight")
    {
        p.days.push(today);
        said = true;
    }
    if has("day after tomorrow") || has("pasado manana") {
        p.days.push(today + Duration::days(2));
        said = true;
    } else if (has("tomorrow") && !refused_word("tomorrow")) || manana_tomorrow {
        p.days.push(today + Duration::days(1));
        said = true;
    }
    // Periods.
    let next_week_start = today + Duration::days(7 - today.weekday().num_days_from_monday() as i64);
    if has("next week") || has("la proxima semana") || has("la semana que viene") {
        p.range = Some((next_week_start, next_week_start + Duration::days(6)));
        said = true;
    } else if has("this week") || has("esta semana") {
        p.range = Some((today, next_week_start - Duration::days(1)));
        said = true;
    }
    for (phrase, days) in [
        ("couple weeks", 14),
        ("two weeks", 14),
        ("few weeks", 21),
        ("few days", 4),
        ("couple days", 3),
        ("next month", 31),
        ("a week", 7),
    ] {
        if has(phrase) && p.range.is_none() {
            p.range = Some((today, today + Duration::days(days)));
            said = true;
        }
    }
    if has("weekday") || has("weekdays") || has("any weekday") || has("entre semana") {
        p.weekdays = vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ];
        said = true;
    }
    if has("weekend") || has("fin de semana") {
        p.weekdays = vec![Weekday::Sat, Weekday::Sun];
        said = true;
    }
    // Day of month, with an optional month name or weekday ("tuesday the 9th").
    let mut explicit_dates = Vec::new();
    for (i, tok) in t.iter().enumerate() {
        let ord_word = ORDINAL_WORDS
            .iter()
            .position(|w| w == tok)
            .map(|n| n as u32 + 1)
            .filter(|_| i > 0 && matches!(t[i - 1], "the" | "el"));
        let Some(d) = day_of_month(tok)
            .filter(|_| {
                tok.ends_with("st")
                    || tok.ends_with("nd")
                    || tok.ends_with("rd")
                    || tok.ends_with("th")
                    || (i > 0 && matches!(t[i - 1], "the" | "el"))
            })
            .or(ord_word)
        else {
            continue;
        };
        let m = (i > 0)
            .then(|| month(t[i - 1]))
            .flatten()
            .or_else(|| t.get(i + 1).and_then(|n| month(n)))
            .or_else(|| t.get(i + 2).and_then(|n| month(n)));
        let wd = (i >= 2)
            .then(|| weekday(t[i - 2]))
            .flatten()
            .or_else(|| (i >= 1).then(|| weekday(t[i - 1])).flatten());
        if let Some(date) = resolve_day_of_month(today, d, m, wd) {
            explicit_dates.push(date);
            said = true;
        }
    }
    // Weekdays ("next thursday", "friday", "not monday").
    let mut excluded = Vec::new();
    for (i, tok) in t.iter().enumerate() {
        let Some(wd) = weekday(tok) else { continue };
        let prev = if i > 0 { t[i - 1] } else { "" };
        let prev2 = if i > 1 { t[i - 2] } else { "" };
        if matches!(prev, "not" | "except" | "but")
            || (prev == "el" && prev2 == "no")
            || prev == "no"
        {
            excluded.push(wd);
            said = true;
            continue;
        }
        if refused(i) {
            excluded.push(wd);
            continue;
        }
        if explicit_dates.iter().any(|d: &NaiveDate| {
            d.weekday() == wd
                && t.get(i + 1)
                    .is_some_and(|n| *n == "the" || day_of_month(n).is_some())
        }) {
            continue;
        }
        if p.weekdays.len() == 5 && has("weekday") {
            continue;
        }
        let ahead = (wd.num_days_from_monday() as i64
            - today.weekday().num_days_from_monday() as i64)
            .rem_euclid(7);
        let date = if prev == "next" || (prev == "proximo") {
            let following = next_week_start + Duration::days(wd.num_days_from_monday() as i64);
            // Said early in a week, "next Friday" may still mean this week's.
            let this_week = today + Duration::days(ahead);
            if ahead > 0
                && this_week < next_week_start
                && following - this_week == Duration::days(7)
            {
                p.other_reading.push(following);
                this_week
            } else {
                following
            }
        } else if ahead == 0 {
            today + Duration::days(7)
        } else {
            today + Duration::days(ahead)
        };
        // A weekday after "next" in a list ("next thursday or friday") belongs to the same week.
        let listed_after_next = t[..i].contains(&"next") && prev == "or";
        let date = if listed_after_next {
            next_week_start + Duration::days(wd.num_days_from_monday() as i64)
        } else {
            date
        };
        explicit_dates.push(date);
        said = true;
    }
    if explicit_dates.len() != 1 || p.other_reading.len() != 1 {
        p.other_reading.clear();
    }
    p.days.extend(explicit_dates);
    p.exclude = excluded;
    // Time of day.
    let morning = has("morning")
        || has("mornings")
        || has("in the am")
        || has("las mananas")
        || has("la manana")
        || has("por la manana")
        || has("temprano");
    let afternoon = has("afternoon")
        || has("afternoons")
        || has("la tarde")
        || has("por la tarde")
        || has("las tardes");
    let evening =
        has("evening") || has("evenings") || has("tonight") || has("la noche") || has("after work");
    // "no, tomorrow morning I'm at work, anything in the afternoon?": of two parts of the
    // day, one turned down leaves the other.
    let (morning, afternoon) = match (
        morning && afternoon && turned_down(&t, &["morning", "mornings", "manana", "mananas"]),
        morning && afternoon && turned_down(&t, &["afternoon", "afternoons", "tarde", "tardes"]),
    ) {
        (true, false) => (false, true),
        (false, true) => (true, false),
        _ => (morning, afternoon),
    };
    if morning {
        p.from = Some(hm(0, 0));
        p.to = Some(hm(12, 0));
        said = true;
    }
    if afternoon {
        p.from = Some(if morning { hm(0, 0) } else { hm(12, 0) });
        p.to = Some(hm(17, 0));
        said = true;
    }
    if evening && !afternoon && !morning {
        p.from = Some(hm(16, 0));
        p.to = None;
        said = true;
    }
    for (i, tok) in t.iter().enumerate() {
        match *tok {
            "after" | "despues" => {
                let j = if t.get(i + 1) == Some(&"de") || t.get(i + 1) == Some(&"las") {
                    i + 2
                } else {
                    i + 1
                };
                let j = if t.get(j) == Some(&"las") { j + 1 } else { j };
                if let Some((time, _)) = time_at(&t, j) {
                    p.from = Some(time);
                    said = true;
                }
            }
            // "between 2 and 4": starts from the first time until the second (a range).
            "between" | "entre" => {
                let j = if t.get(i + 1) == Some(&"las") {
                    i + 2
                } else {
                    i + 1
                };
                if let Some((a, used)) = time_at(&t, j) {
                    let k = j + used;
                    let k = if matches!(t.get(k), Some(&"and") | Some(&"y")) {
                        k + 1
                    } else {
                        k
                    };
                    let k = if t.get(k) == Some(&"las") { k + 1 } else { k };
                    if let Some((b, _)) = time_at(&t, k) {
                        // "between 11 and 1" runs past noon: the later reading of each.
                        let b = if b <= a { b + Duration::hours(12) } else { b };
                        if b > a {
                            p.from = Some(a);
                            p.to = Some(b);
                            said = true;
                        }
                    }
                }
            }
            "before" | "antes" => {
                if let Some((time, _)) = time_at(&t, i + 1) {
                    p.to = Some(time);
                    said = true;
                }
            }
            "at" | "around" | "las" | "about" => {
                if let Some((time, _)) = time_at(&t, i + 1) {
                    let slack = if *tok == "around" || *tok == "about" {
                        60
                    } else {
                        1
                    };
                    p.from = Some(time - Duration::minutes(if slack == 1 { 0 } else { slack }));
                    p.to = Some(time + Duration::minutes(slack));
                    said = true;
                }
            }
            t2 if (t2.ends_with("am") || t2.ends_with("pm"))
                && t2.len() > 2
                && t2[..t2.len() - 2].parse::<u32>().is_ok()
                && (p.to.is_none() || p.from.is_none()) =>
            {
                if let Some((time, _)) = time_at(&t, i) {
                    p.from = Some(time);
                    p.to = Some(time + Duration::minutes(1));
                    said = true;
                }
            }
            _ => {}
        }
    }
    if !said {
        return None;
    }
    Some(p)
}

fn resolve_day_of_month(
    today: NaiveDate,
    d: u32,
    m: Option<u32>,
    wd: Option<Weekday>,
) -> Option<NaiveDate> {
    let (mut y, mut mo) = (today.year(), m.unwrap_or(today.month()));
    if m.is_some() && mo < today.month() {
        y += 1;
    }
    for _ in 0..14 {
        if let Some(date) = NaiveDate::from_ymd_opt(y, mo, d) {
            if date >= today && wd.is_none_or(|w| date.weekday() == w) {
                return Some(date);
            }
        }
        if m.is_some() && wd.is_none() {
            y += 1;
            continue;
        }
        mo += 1;
        if mo > 12 {
            mo = 1;
            y += 1;
        }
    }
    None
}

/// Whether a part of the day (`words`) is turned down: "no mornings", "not in the
/// morning", "any time but mornings", "mornings I'm at work", "la manana no puedo".
fn turned_down(t: &[&str], words: &[&str]) -> bool {
    t.iter().enumerate().any(|(i, w)| {
        words.contains(w) && {
            let before = &t[i.saturating_sub(3)..i];
            let after = &t[i + 1..(i + 4).min(t.len())];
            let hedged = before
                .windows(2)
                .any(|p| matches!(p[1], "sure" | "picky" | "matter" | "preference"));
            !hedged
                && before
                    .iter()
                    .any(|b| matches!(*b, "no" | "not" | "but" | "except" | "excepto"))
                || after
                    .windows(2)
                    .any(|p| matches!(p, ["at", "work"] | ["no" | "not", "good"] | ["no", "puedo"]))
                || after.iter().any(|a| {
                    matches!(
                        *a,
                        "busy"
                            | "bad"
                            | "doesn't"
                            | "doesnt"
                            | "don't"
                            | "dont"
                            | "won't"
                            | "wont"
                            | "can't"
                            | "cant"
                            | "trabajo"
                    )
                })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    // Saturday.
    const TODAY: (i32, u32, u32) = (2026, 11, 21);

    #[test]
    fn times_told_of_the_past_are_no_preference() {
        let today = d(TODAY.0, TODAY.1, TODAY.2);
        assert!(parse_preference("your tech came by last wednesday", today).is_none());
        assert!(parse_preference("it started three days ago", today).is_none());
        assert!(parse_preference("my nephew already rewired it over the weekend", today).is_none());
        assert!(parse_preference("vino el martes pasado", today).is_none());
        // The past beside a time asked for leaves the time.
        let p = parse_preference("it quit last night, can you come monday", today).unwrap();
        assert!(
            p.weekdays == vec![Weekday::Mon]
                || p.days.iter().all(|d| d.weekday() == Weekday::Mon) && !p.days.is_empty(),
            "{p:?}"
        );
        let p = parse_preference("pasado mañana por favor", today).unwrap();
        assert_eq!(p.days, vec![today + Duration::days(2)]);
    }

    #[test]
    fn parts_of_the_day_said_in_the_plural() {
        let today = d(TODAY.0, TODAY.1, TODAY.2);
        let p = parse_preference(
            "naptime's one to three so not then, mornings are best",
            today,
        )
        .unwrap();
        assert_eq!((p.from, p.to), (Some(hm(0, 0)), Some(hm(12, 0))));
        let p = parse_preference("weekday afternoons", today).unwrap();
        assert_eq!((p.from, p.to), (Some(hm(12, 0)), Some(hm(17, 0))));
        let p = parse_preference("las tardes despues del trabajo", today).unwrap();
        assert_eq!(p.from, Some(hm(12, 0)));
        let p = parse_preference("después de las cuatro porque trabajo", today).unwrap();
        assert_eq!(p.from, Some(hm(16, 0)));
        let p = parse_preference("sí, a las doce está bien", today).unwrap();
        assert_eq!(p.from, Some(hm(12, 0)));
    }
    fn today() -> NaiveDate {
        d(TODAY.0, TODAY.1, TODAY.2)
    }

    #[test]
    fn a_part_of_the_day_turned_down_leaves_the_other() {
        let p = parse_preference(
            "monday mornings are no good for me, any afternoon slot that day?",
            today(),
        )
        .unwrap();
        assert_eq!((p.from, p.to), (Some(hm(12, 0)), Some(hm(17, 0))));
        let p = parse_preference(
            "not in the afternoon, the kids nap, a morning please",
            today(),
        )
        .unwrap();
        assert_eq!((p.from, p.to), (Some(hm(0, 0)), Some(hm(12, 0))));
        // Unsure is no refusal.
        let p = parse_preference("not sure, morning or afternoon is fine", today()).unwrap();
        assert_eq!((p.from, p.to), (Some(hm(0, 0)), Some(hm(17, 0))));
    }

    #[test]
    fn weekday_and_part_of_day() {
        let p = parse_preference("thursday afternoon works", today()).unwrap();
        assert_eq!(p.days, vec![d(2026, 11, 26)]);
        assert_eq!(p.from, Some(hm(12, 0)));
        assert_eq!(p.to, Some(hm(17, 0)));
    }

    #[test]
    fn next_weekday_and_lists() {
        let p = parse_preference("next tuesday at 3", today()).unwrap();
        assert_eq!(p.days, vec![d(2026, 11, 24)]);
        assert_eq!(p.from, Some(hm(15, 0)));
        let p = parse_preference("next wednesday or friday morning", today()).unwrap();
        assert_eq!(p.days, vec![d(2026, 11, 25), d(2026, 11, 27)]);
    }

    #[test]
    fn days_of_month() {
        assert_eq!(
            parse_preference("the 14th works", today()).unwrap().days,
            vec![d(2026, 12, 14)]
        );
        assert_eq!(
            parse_preference("december 3rd", today()).unwrap().days,
            vec![d(2026, 12, 3)]
        );
        // The next month in which the 9th is a Tuesday.
        assert_eq!(
            parse_preference("tuesday the 9th after lunch", today())
                .unwrap()
                .days,
            vec![d(2027, 2, 9)]
        );
    }

    #[test]
    fn a_refused_day_is_left_out_and_is_no_request() {
        assert!(parse_preference("we cannot make it tomorrow, the tune up", today()).is_none());
        assert!(parse_preference("we won't be home thursday after all", today()).is_none());
        let p =
            parse_preference("wednesday doesn't work either how about friday", today()).unwrap();
        assert_eq!(p.exclude, vec![Weekday::Wed]);
        assert_eq!(p.days.len(), 1);
        assert_eq!(p.days[0].weekday(), Weekday::Fri);
        let p = parse_preference("can't do it today but tomorrow works", today()).unwrap();
        assert_eq!(p.days, vec![today() + Duration::days(1)]);
    }

    #[test]
    fn a_day_something_happened_is_no_request() {
        assert!(
            parse_preference("my brother came by saturday and swapped the valve", today())
                .is_none()
        );
        assert!(parse_preference("the disposal quit on monday", today()).is_none());
        assert!(parse_preference("monday works, it quit on friday", today()).is_some());
    }

    #[test]
    fn ranges_and_exclusions() {
        let p = parse_preference("weekdays after 3 except mondays", today()).unwrap();
        assert_eq!(p.from, Some(hm(15, 0)));
        assert!(p.exclude.contains(&Weekday::Mon));
        let days = p.candidate_days(today(), 10);
        assert!(days
            .iter()
            .all(|x| !matches!(x.weekday(), Weekday::Sat | Weekday::Sun | Weekday::Mon)));
        let p = parse_preference("anytime within the next couple of weeks", today()).unwrap();
        assert_eq!(p.range, Some((today(), d(2026, 12, 5))));
        assert!(
            parse_preference("as soon as possible", today())
                .unwrap()
                .asap
        );
    }

    #[test]
    fn spanish_phrases() {
        let p = parse_preference("el jueves por la mañana", today()).unwrap();
        assert_eq!(p.days, vec![d(2026, 11, 26)]);
        assert_eq!(p.to, Some(hm(12, 0)));
        assert_eq!(
            parse_preference("mañana", today()).unwrap().days,
            vec![d(2026, 11, 22)]
        );
    }

    #[test]
    fn next_weekday_said_early_in_the_week_has_two_readings() {
        // Wednesday 2026-11-18: "next friday" is the 20th or the 27th.
        let wed = d(2026, 11, 18);
        let p = parse_preference("next friday morning", wed).unwrap();
        assert_eq!(p.days, vec![d(2026, 11, 20)]);
        assert_eq!(p.other_reading, vec![d(2026, 11, 27)]);
        // On Saturday the coming week is the only reading.
        let p = parse_preference("next friday", today()).unwrap();
        assert_eq!(p.days, vec![d(2026, 11, 27)]);
        assert!(p.other_reading.is_empty());
        // "next monday" said on a Wednesday has one reading.
        assert!(parse_preference("next monday", wed)
            .unwrap()
            .other_reading
            .is_empty());
    }

    /// One case per phrase family the issue names, resolved on Saturday 2026-11-21.
    #[test]
    fn every_phrase_family_resolves_to_a_window() {
        let p = parse_preference("tomorrow morning", today()).unwrap();
        assert_eq!(
            (p.days.clone(), p.from, p.to),
            (vec![d(2026, 11, 22)], Some(hm(0, 0)), Some(hm(12, 0)))
        );
        let p = parse_preference("this afternoon", today()).unwrap();
        assert_eq!(
            (p.days.clone(), p.from, p.to),
            (vec![today()], Some(hm(12, 0)), Some(hm(17, 0)))
        );
        let p = parse_preference("next tuesday at 3", today()).unwrap();
        assert_eq!(
            (p.days.clone(), p.from),
            (vec![d(2026, 11, 24)], Some(hm(15, 0)))
        );
        let p = parse_preference("the 14th", today()).unwrap();
        assert_eq!(p.days, vec![d(2026, 12, 14)]);
        let p = parse_preference("after 5", today()).unwrap();
        assert_eq!((p.from, p.to), (Some(hm(17, 0)), None));
        let p = parse_preference("any time friday", today()).unwrap();
        assert_eq!(
            (p.days.clone(), p.from, p.to),
            (vec![d(2026, 11, 27)], None, None)
        );
        assert!(
            parse_preference("as soon as possible", today())
                .unwrap()
                .asap
        );
        let p = parse_preference("any day but not monday", today()).unwrap();
        assert_eq!(p.exclude, vec![Weekday::Mon]);
        assert!(p.days.is_empty());
        let p = parse_preference("tuesday between 2 and 4", today()).unwrap();
        assert_eq!((p.from, p.to), (Some(hm(14, 0)), Some(hm(16, 0))));
        let p = parse_preference("between 11 and 1 on friday", today()).unwrap();
        assert_eq!((p.from, p.to), (Some(hm(11, 0)), Some(hm(13, 0))));
        // Ranges, never instants.
        let p = parse_preference("sometime next week", today()).unwrap();
        assert_eq!(p.range, Some((d(2026, 11, 23), d(2026, 11, 29))));
        let p = parse_preference("before noon on wednesday", today());
        assert!(p.is_some());
    }

    #[test]
    fn no_time_words_is_none() {
        assert!(parse_preference("my water heater is leaking", today()).is_none());
    }
}
