//! Slots read back in words, in the tenant's zone ("Thursday, November 26th at 1 PM").

use super::Slot;
use chrono::{Datelike, Timelike};
use chrono_tz::Tz;

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

fn clock(h: u32, m: u32) -> String {
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

/// "Thursday, November 26th at 1 PM".
pub fn speak_slot(slot: &Slot, tz: Tz) -> String {
    let l = slot.start.with_timezone(&tz);
    format!(
        "{}, {} {} at {}",
        l.format("%A"),
        l.format("%B"),
        ordinal(l.day()),
        clock(l.hour(), l.minute())
    )
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

/// "el jueves 26 de noviembre a las 1 PM".
pub fn speak_slot_es(slot: &Slot, tz: Tz) -> String {
    let l = slot.start.with_timezone(&tz);
    const DAYS: [&str; 7] = [
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ];
    format!(
        "el {} {} de {} a las {}",
        DAYS[l.weekday().num_days_from_monday() as usize],
        l.day(),
        MONTHS_ES[l.month0() as usize],
        clock(l.hour(), l.minute())
    )
}
