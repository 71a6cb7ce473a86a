//! Facts in caller speech: names, street addresses (with spoken corrections), phone
//! numbers, yes/no, and redaction of card numbers and SSNs before anything is stored.

use super::spoken::{spanish_digits, spanish_value, spoken_digits, street_ordinal, word_value};
use crate::triage::normalize::normalize;
use serde::{Deserialize, Serialize};

/// A US street address as the caller gave it, normalised to postal abbreviations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub number: String,
    pub direction: Option<String>,
    pub street: String,
    pub street_type: Option<String>,
    pub unit: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    /// How the caller named the unit ("Apt", "Suite"); absent means "Unit".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_kind: Option<String>,
}

impl Address {
    /// "5412 Nieman Rd, Shawnee, KS".
    pub fn display(&self) -> String {
        let mut line = self.number.clone();
        if let Some(d) = &self.direction {
            line.push(' ');
            line.push_str(d);
        }
        line.push(' ');
        line.push_str(&self.street);
        if let Some(t) = &self.street_type {
            line.push(' ');
            line.push_str(t);
        }
        if let Some(u) = &self.unit {
            line.push(' ');
            line.push_str(self.unit_kind.as_deref().unwrap_or("Unit"));
            line.push(' ');
            line.push_str(u);
        }
        let mut out = line;
        if let Some(c) = &self.city {
            out.push_str(", ");
            out.push_str(c);
        }
        if let Some(s) = &self.state {
            out.push_str(", ");
            out.push_str(s);
        }
        out
    }

    /// The ZIP-free street line, for texts ("5412 Nieman Rd").
    pub fn street_line(&self) -> String {
        self.display()
            .split(", ")
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

const STREET_TYPES: &[(&str, &str)] = &[
    ("road", "Rd"),
    ("rd", "Rd"),
    ("street", "St"),
    ("st", "St"),
    ("avenue", "Ave"),
    ("ave", "Ave"),
    ("terrace", "Ter"),
    ("drive", "Dr"),
    ("dr", "Dr"),
    ("lane", "Ln"),
    ("ln", "Ln"),
    ("boulevard", "Blvd"),
    ("blvd", "Blvd"),
    ("court", "Ct"),
    ("ct", "Ct"),
    ("place", "Pl"),
    ("parkway", "Pkwy"),
    ("trafficway", "Trfy"),
    ("circle", "Cir"),
    ("way", "Way"),
    ("trail", "Trl"),
    ("highway", "Hwy"),
    ("plaza", "Plz"),
    ("lane's", "Ln"),
    ("calle", "St"),
];

const DIRECTIONS: &[(&str, &str)] = &[
    ("northeast", "NE"),
    ("northwest", "NW"),
    ("southeast", "SE"),
    ("southwest", "SW"),
    ("north", "N"),
    ("south", "S"),
    ("east", "E"),
    ("west", "W"),
    ("ne", "NE"),
    ("nw", "NW"),
    ("se", "SE"),
    ("sw", "SW"),
];

/// Kansas City–area cities, with their state, matched longest first.
const CITIES: &[(&str, &str, &str)] = &[
    ("kansas city kansas", "Kansas City", "KS"),
    ("kansas city missouri", "Kansas City", "MO"),
    ("north kansas city", "North Kansas City", "MO"),
    ("kansas city", "Kansas City", "MO"),
    ("overland park", "Overland Park", "KS"),
    ("prairie village", "Prairie Village", "KS"),
    ("roeland park", "Roeland Park", "KS"),
    ("lee's summit", "Lee's Summit", "MO"),
    ("lees summit", "Lee's Summit", "MO"),
    ("lee summit", "Lee's Summit", "MO"),
    // Kansas City said the short way, and the recogniser's splits of the cities' names.
    ("kck", "Kansas City", "KS"),
    ("k c k", "Kansas City", "KS"),
    ("kcmo", "Kansas City", "MO"),
    ("k c m o", "Kansas City", "MO"),
    ("k c", "Kansas City", "MO"),
    ("over land park", "Overland Park", "KS"),
    ("overland", "Overland Park", "KS"),
    ("lee wood", "Leawood", "KS"),
    ("lea wood", "Leawood", "KS"),
    ("lynn exa", "Lenexa", "KS"),
    ("len exa", "Lenexa", "KS"),
    ("olay the", "Olathe", "KS"),
    ("oh lathe", "Olathe", "KS"),
    ("o lathe", "Olathe", "KS"),
    ("shaw nee", "Shawnee", "KS"),
    ("mer iam", "Merriam", "KS"),
    ("roland park", "Roeland Park", "KS"),
    ("rowland park", "Roeland Park", "KS"),
    ("prairie villa", "Prairie Village", "KS"),
    ("ray town", "Raytown", "MO"),
    ("glad stone", "Gladstone", "MO"),
    ("grand view", "Grandview", "MO"),
    ("independance", "Independence", "MO"),
    ("mission hills", "Mission Hills", "KS"),
    ("mission woods", "Mission Woods", "KS"),
    ("bonner springs", "Bonner Springs", "KS"),
    ("spring hill", "Spring Hill", "KS"),
    ("blue springs", "Blue Springs", "MO"),
    ("de soto", "De Soto", "KS"),
    ("olathe", "Olathe", "KS"),
    ("shawnee", "Shawnee", "KS"),
    ("lenexa", "Lenexa", "KS"),
    ("mission", "Mission", "KS"),
    ("merriam", "Merriam", "KS"),
    ("leawood", "Leawood", "KS"),
    ("fairway", "Fairway", "KS"),
    ("westwood", "Westwood", "KS"),
    ("gardner", "Gardner", "KS"),
    ("raytown", "Raytown", "MO"),
    ("independence", "Independence", "MO"),
    ("grandview", "Grandview", "MO"),
    ("gladstone", "Gladstone", "MO"),
    ("liberty", "Liberty", "MO"),
    ("parkville", "Parkville", "MO"),
    ("belton", "Belton", "MO"),
    ("riverside", "Riverside", "MO"),
    ("edwardsville", "Edwardsville", "KS"),
    ("stilwell", "Stilwell", "KS"),
];

const UNIT_WORDS: &[&str] = &[
    "unit",
    "apt",
    "apartment",
    "suite",
    "ste",
    "number",
    "apartamento",
    "depto",
    "departamento",
];

fn ordinal_suffix(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// Street-name tokens, with spoken ordinals made numbers ("one fifty first" → "151st",
/// "fiftieth" → "50th") and "50 first" (a recogniser split of "51st") joined back.
fn street_name(tokens: &[&str]) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let tok = tokens[i];
        if let (Ok(tens), Some(unit)) = (
            tok.parse::<u32>(),
            tokens.get(i + 1).and_then(|n| {
                super::spoken::ordinal_value(n).filter(|_| super::spoken::is_unit_ordinal(n))
            }),
        ) {
            if tens % 10 == 0 {
                let n = tens + unit;
                words.push(format!("{n}{}", ordinal_suffix(n)));
                i += 2;
                continue;
            }
        }
        // "highway seven", "route one fifty two": a route's number is a number, not an
        // ordinal.
        if i > 0 && matches!(tokens[i - 1], "highway" | "hwy" | "route" | "rte" | "us") {
            if let Some((digits, used)) = super::spoken::spoken_digits(tokens, i)
                .or_else(|| super::spoken::word_value(tok).map(|v| (v.to_string(), 1)))
            {
                words.push(digits);
                i += used;
                continue;
            }
        }
        if let Some((n, used)) = street_ordinal(tokens, i) {
            words.push(format!("{n}{}", ordinal_suffix(n)));
            i += used;
            continue;
        }
        if let Ok(n) = tok.parse::<u32>() {
            words.push(format!("{n}{}", ordinal_suffix(n)));
        } else {
            words.push(title(tok));
        }
        i += 1;
    }
    words.join(" ")
}

/// "mccarthy" → "McCarthy", "o'neal" → "O'Neal", "lee's" → "Lee's".
pub fn title(word: &str) -> String {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let rest: String = chars.collect();
    let mut out = format!("{}{}", first.to_uppercase(), rest);
    if out.len() > 3 && out.starts_with("Mc") {
        out = format!("Mc{}", title(&out[2..]));
    }
    if let Some(r) = out.strip_prefix("O'") {
        if !r.is_empty() {
            out = format!("O'{}", title(r));
        }
    }
    out
}

fn street_type_at(tok: &str) -> Option<&'static str> {
    STREET_TYPES
        .iter()
        .find(|(w, _)| *w == tok)
        .map(|(_, a)| *a)
}

fn house_number_at(tokens: &[&str], i: usize) -> Option<(String, usize)> {
    let tok = tokens[i];
    if tok.len() <= 6
        && tok.chars().all(|c| c.is_ascii_digit())
        && tok.parse::<u32>().is_ok_and(|n| n > 0)
    {
        return Some((tok.to_string(), 1));
    }
    // Three digits at least and two words ("twenty one" alone is more often a time).
    spoken_digits(tokens, i)
        .filter(|(d, used)| *used >= 2 && (3..=6).contains(&d.len()) && !d.starts_with('0'))
}

/// A street address in the utterance, if it has a house number followed by a street.
/// Words that, right after a number, make it a time of day.
const TIME_WORDS: &[&str] = &[
    "am", "pm", "a.m", "p.m", "o'clock", "oclock", "thirty", "fifteen", "forty", "ish", "tomorrow",
    "today", "tonight", "in", "or", "to", "and", "hours", "minutes", "days", "weeks", "de", "y",
    "horas",
];

/// Spanish street words and the English street type they stand for.
const SPANISH_STREETS: &[(&str, &str)] = &[
    ("calle", "street"),
    ("avenida", "avenue"),
    ("av", "avenue"),
    ("camino", "road"),
    ("carretera", "highway"),
    ("bulevar", "boulevard"),
    ("boulevard", "boulevard"),
    ("circulo", "circle"),
    ("privada", "court"),
];

const SPANISH_DIRECTIONS: &[(&str, &str)] = &[
    ("norte", "north"),
    ("sur", "south"),
    ("este", "east"),
    ("oeste", "west"),
];

/// A Spanish address said the Spanish way ("calle johnson 1420", "el número 1420 de la
/// calle johnson", "1420 calle johnson") in the English order the parser reads ("1420
/// johnson street"); `en` before a city becomes `in`. Other words pass unchanged.
fn english_order(tokens: &[&str]) -> Vec<String> {
    let street_at = |i: usize| {
        tokens
            .get(i)
            .and_then(|w| SPANISH_STREETS.iter().find(|(s, _)| s == w))
            .map(|(_, e)| *e)
    };
    let is_number = |w: &str| w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty();
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if let Some(kind) = street_at(i) {
            // The street's name: the words up to a number, "en", or three words.
            let mut j = i + 1;
            let mut name = Vec::new();
            let mut direction = None;
            // A numbered street ("avenida 48 oeste"): the number names the street when the
            // house number is said before it or after "número".
            let house_later = tokens
                .iter()
                .skip(i + 2)
                .take(4)
                .any(|w| matches!(*w, "numero" | "no"));
            // "9214 oeste calle 67": a direction may come between.
            let direction_word = |w: &str| {
                SPANISH_DIRECTIONS.iter().any(|(d, e)| *d == w || *e == w)
                    || DIRECTIONS.iter().any(|(d, _)| *d == w)
            };
            let number_before = out.last().is_some_and(|w| is_number(w))
                || (out.len() >= 2
                    && direction_word(&out[out.len() - 1])
                    && is_number(&out[out.len() - 2]));
            if tokens.get(j).is_some_and(|w| is_number(w)) && (number_before || house_later) {
                name.push(tokens[j].to_string());
                j += 1;
            }
            while j < tokens.len()
                && name.len() < 3
                && !is_number(tokens[j])
                && !matches!(tokens[j], "en" | "numero" | "no" | "y" | "de" | "in")
                && !UNIT_WORDS.contains(&tokens[j])
                && city_at(tokens, j).is_none()
            {
                match SPANISH_DIRECTIONS.iter().find(|(s, _)| *s == tokens[j]) {
                    // "calle cherry sur": the direction leads in English ("S Cherry St").
                    Some((_, e)) => direction = Some(e.to_string()),
                    None => name.push(tokens[j].to_string()),
                }
                j += 1;
            }
            while j < tokens.len() && matches!(tokens[j], "numero" | "no") {
                j += 1;
            }
            // "calle johnson 1420": the number after; "1420 calle johnson": it is already
            // out, before the street word.
            let number_after = tokens
                .get(j)
                .filter(|w| is_number(w))
                .map(|w| w.to_string());
            if !name.is_empty() && (number_after.is_some() || number_before) {
                if let Some(n) = number_after {
                    out.push(n);
                    j += 1;
                }
                out.extend(direction);
                out.extend(name);
                out.push(kind.to_string());
                i = j;
                continue;
            }
        }
        match tokens[i] {
            // "el número 1420 de la calle johnson": the number, then the street.
            "numero" if tokens.get(i + 1).is_some_and(|w| is_number(w)) => {}
            "de" | "la" | "el"
                if tokens.get(i + 1).is_some_and(|w| {
                    SPANISH_STREETS.iter().any(|(s, _)| s == w) || matches!(*w, "la" | "calle")
                }) && out.last().is_some_and(|w| is_number(w)) => {}
            "en" => out.push("in".into()),
            w => out.push(w.to_string()),
        }
        i += 1;
    }
    out
}

/// Numbers said in Spanish words ("mil ciento diecisiete", "seis cero uno dos") as digits,
/// so the rest of the parser reads them as it reads "1117".
fn spanish_numbers_as_digits(tokens: &[&str]) -> Vec<String> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        match spanish_digits(tokens, i) {
            Some((digits, used)) => {
                out.push(digits);
                i += used;
            }
            None => {
                // One number word is a number only where a number is due: "apartamento
                // tres", "calle sesenta", "south catorce street" (elsewhere "once" and
                // "dos" are other words).
                let due = i > 0
                    && matches!(
                        tokens[i - 1],
                        "apartamento" | "depto" | "departamento" | "unidad" | "calle" | "avenida"
                    );
                let names_a_street = i > 0
                    && (DIRECTIONS.iter().any(|(d, _)| *d == tokens[i - 1])
                        || SPANISH_DIRECTIONS.iter().any(|(d, _)| *d == tokens[i - 1])
                        || tokens[i - 1].chars().all(|c| c.is_ascii_digit()))
                    && tokens
                        .get(i + 1)
                        .is_some_and(|n| street_type_at(n).is_some());
                let value = spanish_value(tokens[i])
                    .filter(|_| due || names_a_street)
                    .or_else(|| spanish_ordinal(tokens[i]).filter(|_| names_a_street));
                match value {
                    Some(v) => out.push(v.to_string()),
                    None => out.push(tokens[i].to_string()),
                }
                i += 1;
            }
        }
    }
    out
}

/// A Spanish ordinal as a street's number ("décima" → 10; accents are folded by now).
fn spanish_ordinal(w: &str) -> Option<u32> {
    const ORDINALS: &[(&str, u32)] = &[
        ("primera", 1),
        ("primero", 1),
        ("segunda", 2),
        ("segundo", 2),
        ("tercera", 3),
        ("tercero", 3),
        ("cuarta", 4),
        ("cuarto", 4),
        ("quinta", 5),
        ("quinto", 5),
        ("sexta", 6),
        ("sexto", 6),
        ("septima", 7),
        ("septimo", 7),
        ("octava", 8),
        ("octavo", 8),
        ("novena", 9),
        ("noveno", 9),
        ("decima", 10),
        ("decimo", 10),
    ];
    ORDINALS.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

/// Words a caller takes back what they just said with ("10310 no wait that's wrong it's
/// 10130").
const TAKE_BACK: &[&str] = &[
    "no", "wait", "sorry", "actually", "mean", "wrong", "scratch", "hold", "oops", "not", "perdon",
    "digo",
];

/// Drops a house number the caller took back in the same breath: a number, then
/// take-back words, then another number: the second one stands.
fn drop_taken_back_numbers<'a>(tokens: &[&'a str]) -> Vec<&'a str> {
    let is_number = |w: &str| w.len() >= 2 && w.chars().all(|c| c.is_ascii_digit());
    // A house number the recogniser heard as an ordinal ("10130th") after a take-back.
    let house = |w: &'a str| -> &'a str {
        let bare = w.trim_end_matches(|c: char| c.is_alphabetic());
        if bare.len() >= 3 && is_number(bare) {
            bare
        } else {
            w
        }
    };
    for (i, t) in tokens.iter().enumerate() {
        if !is_number(t) {
            continue;
        }
        let rest = &tokens[i + 1..(i + 8).min(tokens.len())];
        let Some(next) = rest.iter().position(|w| is_number(house(w))) else {
            continue;
        };
        let between = &rest[..next];
        if !between.is_empty() && between.iter().any(|w| TAKE_BACK.contains(w)) {
            let mut out = tokens[..i].to_vec();
            out.push(house(rest[next]));
            out.extend_from_slice(&tokens[i + 2 + next..]);
            return drop_taken_back_numbers(&out);
        }
    }
    tokens.to_vec()
}

/// The same for a house number said in words ("six one one uh no six one one five"):
/// the words of the first number and the take-back go.
fn drop_taken_back_spoken<'a>(tokens: &[&'a str]) -> Vec<&'a str> {
    for i in 0..tokens.len() {
        let Some((_, used)) = spoken_digits(tokens, i).filter(|(_, u)| *u >= 2) else {
            continue;
        };
        let mut k = i + used;
        let mut took_back = Vec::new();
        while let Some(w) = tokens.get(k) {
            if TAKE_BACK.contains(w) {
                took_back.push(*w);
            } else if !matches!(*w, "uh" | "um" | "that's" | "its" | "it's" | "i") {
                break;
            }
            k += 1;
        }
        let Some((_, second)) = spoken_digits(tokens, k).filter(|(_, u)| *u >= 2) else {
            continue;
        };
        if took_back == ["not"] {
            // "twenty two ten not twenty two oh one": the first stands.
            let mut out = tokens[..i + used].to_vec();
            out.extend_from_slice(&tokens[k + second..]);
            return out;
        }
        if !took_back.is_empty() {
            let mut out = tokens[..i].to_vec();
            out.extend_from_slice(&tokens[k..]);
            return out;
        }
    }
    tokens.to_vec()
}

pub fn address(text: &str, default_state: &str) -> Option<Address> {
    let norm = normalize(text);
    // "fifteen oh one uh south ridgeview": fillers are never part of an address.
    let raw: Vec<&str> = norm
        .split_whitespace()
        .filter(|w| !matches!(*w, "um" | "uh" | "umm" | "uhh" | "er" | "erm"))
        .collect();
    let spanish = spanish_numbers_as_digits(&raw);
    let raw: Vec<&str> = spanish.iter().map(String::as_str).collect();
    let raw = drop_taken_back_numbers(&drop_taken_back_spoken(&raw));
    let reordered = english_order(&raw);
    let t: Vec<&str> = reordered.iter().map(String::as_str).collect();
    for i in 0..t.len() {
        let Some((number, used)) = house_number_at(&t, i) else {
            continue;
        };
        let mut j = i + used;
        // A house number is followed by words, not more digits (that is a phone number).
        if t.get(j)
            .is_none_or(|n| n.chars().all(|c| c.is_ascii_digit()) && n.len() >= 3)
        {
            continue;
        }
        // "at 10 am", "10 o'clock", "at 3 thirty": a time, not a house number.
        if t.get(j).is_some_and(|n| TIME_WORDS.contains(n)) {
            continue;
        }
        // "1234 este santa fe": a Spanish caller's direction, said the English way.
        let direction = t
            .get(j)
            .and_then(|d| {
                let d = SPANISH_DIRECTIONS
                    .iter()
                    .find(|(es, _)| es == d)
                    .map_or(*d, |(_, en)| *en);
                DIRECTIONS.iter().find(|(w, _)| *w == d)
            })
            .map(|(_, a)| a.to_string());
        if direction.is_some() {
            j += 1;
        }
        // "north east seventy second": a compound direction said as two words.
        let direction = match (direction.as_deref(), t.get(j).copied()) {
            (Some(ns @ ("N" | "S")), Some(ew @ ("east" | "west")))
                if t.get(j + 1).is_some_and(|w| street_type_at(w).is_none()) =>
            {
                j += 1;
                Some(format!("{ns}{}", if ew == "east" { "E" } else { "W" }))
            }
            _ => direction,
        };
        let name_start = j;
        let mut street_type = None;
        // A street named by a long ordinal ("one hundred and third") has more words.
        let reach =
            4 + street_ordinal(&t, name_start).map_or(0, |(_, used)| used.saturating_sub(1));
        while j < t.len() && j < name_start + reach {
            if let Some(st) = street_type_at(t[j]).filter(|_| j > name_start) {
                street_type = Some(st.to_string());
                break;
            }
            j += 1;
        }
        // "2 to 4 works", "between 9 and 11": with no street type and no known city, a
        // number after a time connector is a time.
        let connector = i > 0
            && matches!(
                t[i - 1],
                "to" | "till" | "until" | "between" | "and" | "or" | "after" | "before" | "by"
            );
        if street_type.is_none()
            && connector
            && !(name_start + 1..t.len()).any(|x| city_at(&t, x).is_some())
        {
            continue;
        }
        // "87th street parkway", "lake shore drive": of two street types in a row, the
        // first is part of the name.
        if street_type.is_some() && city_at(&t, j + 1).is_none() {
            if let Some(st) = t.get(j + 1).and_then(|w| street_type_at(w)) {
                street_type = Some(st.to_string());
                j += 1;
            }
        }
        let (name_end, mut k) = match street_type {
            Some(_) => (j, j + 1),
            None => {
                // No street type: take the words up to a known city or the end.
                let city_at = (name_start + 1..t.len())
                    .find(|&x| city_at(&t, x).is_some())
                    .unwrap_or(t.len().min(name_start + 2));
                (city_at, city_at)
            }
        };
        if name_end <= name_start {
            continue;
        }
        // No street type and no city we know: only a house number of three digits or
        // more before a word that is no everyday word ("4417 nall", not "3 so anything").
        if street_type.is_none()
            && city_at(&t, name_end).is_none()
            && (number.len() < 3 || t[name_start..name_end].iter().any(|w| is_common_word(w)))
        {
            continue;
        }
        let street = street_name(&t[name_start..name_end]);
        let mut unit = None;
        let mut unit_kind = None;
        if let Some(u) = t.get(k).filter(|u| UNIT_WORDS.contains(u)) {
            if let Some(v) = t.get(k + 1) {
                // "apartment three", "unit two fourteen": the digits, as on the door.
                let (mut said, mut used) = spoken_digits(&t, k + 1)
                    .filter(|(d, _)| d.len() <= 5)
                    .unwrap_or_else(|| (v.to_uppercase(), 1));
                // "apartment two b", "unit 4 c": the letter is part of the number on the
                // door ("a" only where nothing but a city or the end follows).
                if said.chars().all(|c| c.is_ascii_digit()) {
                    let after = k + 1 + used;
                    if let Some(letter) = t.get(after).filter(|l| {
                        l.len() == 1
                            && l.chars().all(|c| c.is_ascii_lowercase())
                            && (**l != "a"
                                || t.get(after + 1).is_none()
                                || city_at(&t, after + 1).is_some())
                    }) {
                        said.push_str(&letter.to_uppercase());
                        used += 1;
                    }
                }
                unit = Some(said);
                unit_kind = unit_kind_of(u);
                k += 1 + used;
            }
        }
        // Words between the street and the city ("in", "that's overland park").
        while t.get(k).is_some_and(|w| {
            matches!(
                *w,
                "in" | "at"
                    | "it's"
                    | "its"
                    | "city"
                    | "of"
                    | "that's"
                    | "thats"
                    | "um"
                    | "uh"
                    | "the"
                    | "is"
                    | "over"
                    | "out"
            ) && city_at(t.as_slice(), k).is_none()
        }) {
            k += 1;
        }
        // A known city a few words on ("sheridan street sheridan in olathe", "129th
        // terrace no sorry 13480 west 129th terrace overland park").
        let street_end = k;
        let ahead = (k..t.len().min(k + 14)).find_map(|x| city_at(&t, x).map(|c| (x, c)));
        let (mut city, mut state) = match ahead {
            Some((x, (c, s, n))) => {
                k = x + n;
                (Some(c.to_string()), Some(s.to_string()))
            }
            None => {
                let words: Vec<&str> = t[k.min(t.len())..]
                    .iter()
                    .take_while(|w| !matches!(**w, "kansas" | "missouri" | "ks" | "mo"))
                    .copied()
                    .take(2)
                    .collect();
                // A city we do not list is taken only as a name: never the caller's
                // everyday words ("so anything", "no sorry").
                let words: Vec<&str> = words
                    .into_iter()
                    .take_while(|w| {
                        w.chars().all(|c| c.is_alphabetic() || c == '\'')
                            && !is_common_word(w)
                            && !TAKE_BACK.contains(w)
                            && !matches!(*w, "oh" | "ah" | "well")
                    })
                    .collect();
                k += words.len();
                (
                    if words.is_empty() {
                        None
                    } else {
                        Some(words.iter().map(|w| title(w)).collect::<Vec<_>>().join(" "))
                    },
                    None,
                )
            }
        };
        match t.get(k).copied() {
            Some("kansas" | "ks") => state = Some("KS".into()),
            Some("missouri" | "mo") => state = Some("MO".into()),
            _ => {}
        }
        if city.is_some() && state.is_none() {
            state = Some(default_state.to_string());
        }
        if city.as_deref() == Some("") {
            city = None;
        }
        let mut found = Address {
            number,
            direction,
            street,
            street_type,
            unit,
            city,
            state,
            unit_kind,
        };
        said_after(&t, street_end, &mut found);
        return Some(found);
    }
    None
}

/// How a unit is written from the word the caller named it with ("apartment" → "Apt");
/// `None` is the plain "Unit".
fn unit_kind_of(word: &str) -> Option<String> {
    match word {
        "apt" | "apartment" | "apartamento" | "depto" | "departamento" => Some("Apt".into()),
        "suite" | "ste" => Some("Suite".into()),
        _ => None,
    }
}

/// What the caller adds after the city: a unit ("… in mission, the left side, unit a")
/// and a house number taken back ("… lenexa, oh wait, sorry, it's seventy seven twenty
/// one").
fn said_after(t: &[&str], from: usize, addr: &mut Address) {
    let rest = t.get(from..).unwrap_or_default();
    unit_in(rest, addr);
    if let Some(p) = rest.iter().position(|w| TAKE_BACK.contains(w)) {
        // Not a phone number ("sorry, my cell is 913 555 0123").
        let again = (p + 1..rest.len().min(p + 6)).find_map(|i| {
            house_number_at(rest, i).filter(|(_, used)| {
                rest.get(i + used)
                    .is_none_or(|w| !w.chars().all(|c| c.is_ascii_digit()))
            })
        });
        if let Some((number, _)) = again {
            addr.number = number;
        }
        // "… unit four, leawood, oh sorry, unit fourteen": the unit said again stands.
        let after = &rest[p + 1..];
        if after
            .iter()
            .take(4)
            .any(|w| unit_kind_of(w).is_some() || *w == "unit")
        {
            let mut retold = addr.clone();
            retold.unit = None;
            unit_in(after, &mut retold);
            if retold.unit.is_some() {
                *addr = retold;
            }
        }
    }
}

/// A unit told after the address was taken ("oh and it's unit b", "apartment 4"). True
/// when the address had none and gained one; an address that has a unit keeps it.
pub fn late_unit(addr: &mut Address, text: &str) -> bool {
    if addr.unit.is_some() {
        return false;
    }
    let norm = normalize(text);
    let t: Vec<&str> = norm.split_whitespace().collect();
    unit_in(&t, addr);
    addr.unit.is_some()
}

/// A unit named within the first words of `rest` ("unit a", "apartment 12"), if the
/// address has none yet.
fn unit_in(rest: &[&str], addr: &mut Address) {
    if addr.unit.is_none() {
        if let Some(p) = rest.iter().take(8).position(|w| {
            matches!(
                *w,
                "unit" | "apt" | "apartment" | "suite" | "ste" | "apartamento"
            )
        }) {
            let value = spoken_digits(rest, p + 1)
                .map(|(d, _)| d)
                .filter(|d| d.len() <= 5)
                .or_else(|| {
                    rest.get(p + 1)
                        .filter(|v| {
                            v.len() <= 5
                                && v.chars().any(|c| c.is_ascii_digit())
                                && v.chars().all(|c| c.is_ascii_alphanumeric())
                                || v.len() == 1 && v.chars().all(|c| c.is_ascii_lowercase())
                        })
                        .map(|v| v.to_uppercase())
                });
            if let Some(v) = value {
                addr.unit_kind = unit_kind_of(rest[p]);
                addr.unit = Some(v);
            }
        }
    }
}

fn city_at(t: &[&str], k: usize) -> Option<(&'static str, &'static str, usize)> {
    CITIES.iter().find_map(|(spoken, city, state)| {
        let words: Vec<&str> = spoken.split(' ').collect();
        (t.len() >= k + words.len() && t[k..k + words.len()] == words[..]).then_some((
            *city,
            *state,
            words.len(),
        ))
    })
}

/// Applies a spoken correction ("no it's 3371 not 3317", "87th street not terrace",
/// "sorry, 63rd street") to an address already taken. Returns true when something changed.
pub fn correct_address(addr: &mut Address, text: &str) -> bool {
    let norm = normalize(text);
    let t: Vec<&str> = norm.split_whitespace().collect();
    let mut changed = false;
    // "<new> not <old>"
    if let Some(p) = t.iter().position(|w| *w == "not") {
        let old = t.get(p + 1).copied().unwrap_or("");
        let new_tokens: Vec<&str> = t[..p].iter().rev().take(2).rev().copied().collect();
        if old == addr.number {
            if let Some(n) = new_tokens
                .iter()
                .rev()
                .find(|w| w.chars().all(|c| c.is_ascii_digit()))
            {
                addr.number = n.to_string();
                changed = true;
            }
        }
        if let Some(old_type) = street_type_at(old) {
            if addr.street_type.as_deref() == Some(old_type) {
                if let Some(nt) = new_tokens.iter().rev().find_map(|w| street_type_at(w)) {
                    addr.street_type = Some(nt.to_string());
                    changed = true;
                }
            }
        }
    }
    // "…leawood, oh wait, I flipped it, it's thirty two forty one": a bare house number
    // after a take-back, once the address was said, is the number put right.
    // ("<new> not <old>" is told above.)
    let take_back = t
        .iter()
        .rposition(|w| *w != "not" && TAKE_BACK.contains(w))
        .filter(|&p| p > 0 && !t[p..].contains(&"not"));
    if let Some(p) = take_back {
        let said_before = t[..p].iter().any(|w| w.chars().all(|c| c.is_ascii_digit()))
            || (0..p).any(|i| spoken_digits(&t, i).is_some_and(|(_, u)| u >= 2));
        let bare = (p + 1..t.len()).find_map(|i| {
            let (n, used) = if t[i].len() >= 2 && t[i].chars().all(|c| c.is_ascii_digit()) {
                (t[i].to_string(), 1)
            } else {
                spoken_digits(&t, i).filter(|(_, u)| *u >= 2)?
            };
            // Only the number: nothing after it but a word or two ("…forty one, sorry").
            let tail = &t[i + used..];
            let phone_talk = t[p..i]
                .iter()
                .any(|w| matches!(*w, "phone" | "number" | "cell" | "call" | "text"));
            (tail.len() <= 2
                && !phone_talk
                && n.len() <= 5
                && !tail.iter().any(|w| {
                    street_type_at(w).is_some() || w.starts_with(|c: char| c.is_ascii_digit())
                }))
            .then_some(n)
        });
        if let Some(n) = bare.filter(|n| said_before && *n != addr.number && n.len() >= 2) {
            addr.number = n;
            changed = true;
        }
    }
    // A bare ordinal street ("51st street") replaces the street name.
    if let Some(i) = t.iter().position(|w| {
        w.len() > 2
            && w[..w.len() - 2].parse::<u32>().is_ok()
            && matches!(&w[w.len() - 2..], "st" | "nd" | "rd" | "th")
    }) {
        let fixed = street_name(&t[i..i + 1]);
        if fixed != addr.street
            && addr
                .street
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        {
            addr.street = fixed;
            changed = true;
        }
        if let Some(st) = t.get(i + 1).and_then(|w| street_type_at(w)) {
            if addr.street_type.as_deref() != Some(st) {
                addr.street_type = Some(st.to_string());
                changed = true;
            }
        }
    }
    changed
}

/// True when the utterance sounds like a correction of something just said.
pub fn is_correction(text: &str) -> bool {
    let n = format!(" {} ", normalize(text));
    [
        " actually ",
        " sorry ",
        " i mean ",
        " wait ",
        " not ",
        " correction ",
        " perdon ",
    ]
    .iter()
    .any(|c| n.contains(c))
}

/// Words that end a name ("dmitri from the rental office").
const NAME_STOP: &[&str] = &[
    "well",
    "spelled",
    "spelt",
    "spell",
    "spelling",
    "not",
    "them",
    "they",
    "there's",
    "theres",
    "he",
    "she",
    "his",
    "her",
    "city",
    "says",
    "said",
    "don't",
    "know",
    "where",
    "when",
    "why",
    "how",
    "if",
    "maybe",
    "think",
    "guess",
    "oh",
    "wait",
    "hold",
    "still",
    "really",
    "very",
    "i",
    "i'm",
    "im",
    "you",
    "we",
    "my",
    "from",
    "and",
    "at",
    "with",
    "calling",
    "here",
    "in",
    "on",
    "it's",
    "that",
    "is",
    "this",
    "to",
    "for",
    "about",
    "over",
    "just",
    "need",
    "needs",
    "wanted",
    "number",
    "phone",
    "address",
    "live",
    "so",
    "but",
    "um",
    "uh",
    "yeah",
    "actually",
    "sorry",
    "please",
    "the",
    "a",
    "an",
    "calling",
    "again",
    "speaking",
    "y",
    "de",
    "mi",
    "soy",
    "hi",
    "hello",
    "hey",
    "okay",
    "ok",
    "yes",
    "no",
    "thanks",
    "there",
    "guys",
    "can",
    "could",
    "would",
    "was",
    "are",
    "what",
    "who",
    "your",
    "our",
    "having",
    "got",
    "have",
    "going",
    "looking",
    "trying",
    "who's",
    "name",
    "name's",
    "called",
    "call",
    "que",
    "it",
    "like",
    "one",
    "get",
    "want",
    "gonna",
    "wanna",
    "water",
    "heater",
    "sink",
    "toilet",
    "drain",
    "furnace",
    "ac",
    "house",
    "home",
    "condo",
    "leak",
    "tomorrow",
    "today",
    "morning",
    "afternoon",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn word_set(source: &'static str) -> std::collections::HashSet<&'static str> {
    source
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
}

/// Given names and common surnames (US Census 1990) and the words callers use that are
/// never names (`names/`, written by `scripts/name-lists.py`).
static FIRST_NAMES: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| word_set(include_str!("names/first.txt")));
static SURNAMES: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| word_set(include_str!("names/last.txt")));
static COMMON_WORDS: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| word_set(include_str!("names/common.txt")));

/// A word callers use that is not a name ("supposed", "drywall", "calle").
fn is_common_word(w: &str) -> bool {
    COMMON_WORDS.contains(w) && !FIRST_NAMES.contains(w) && !SURNAMES.contains(w)
}

/// Whether `word` (lower case) is a given name and not a word callers use otherwise
/// ("randy", "maria"; not "will" or "hope" said as words).
pub fn is_given_name(word: &str) -> bool {
    const FUNCTION_WORDS: &[&str] = &[
        "so", "an", "in", "my", "may", "will", "now", "just", "all", "too", "real", "very",
        "still", "like", "not", "the", "gonna", "going", "getting", "been", "kind",
    ];
    word.len() >= 3
        && FIRST_NAMES.contains(word)
        && !COMMON_WORDS.contains(word)
        && !FUNCTION_WORDS.contains(&word)
}

/// Whether a name is one we know: its first word a given name or its last a common
/// surname. An unknown one is worth asking the caller to spell.
pub fn name_is_known(name: &str) -> bool {
    let words: Vec<String> = name.split_whitespace().map(normalize).collect();
    words
        .first()
        .is_some_and(|w| FIRST_NAMES.contains(w.as_str()))
        || (words.len() > 1 && words.last().is_some_and(|w| SURNAMES.contains(w.as_str())))
}

/// Whether the caller spelled a word of `name` letter by letter in `text`: then it needs
/// no spelling asked for.
pub fn spells_part_of(text: &str, name: &str) -> bool {
    let norm = normalize(text);
    name.split_whitespace()
        .any(|w| w.chars().count() > 2 && norm_spelled(&norm, &w.to_lowercase()))
}

/// Whether `word` is spelled letter by letter in `norm` ("h a r d i n g").
fn norm_spelled(norm: &str, word: &str) -> bool {
    let letters: Vec<String> = word.chars().map(|c| c.to_string()).collect();
    format!(" {norm} ").contains(&format!(" {} ", letters.join(" ")))
}

/// Collapses spelled letters ("n i a m h") into a word and drops the echo before it.
fn collapse_spelling(tokens: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let run: Vec<&String> = tokens[i..]
            .iter()
            .take_while(|w| w.chars().count() == 1 && w.chars().all(|c| c.is_alphabetic()))
            .collect();
        if run.len() >= 3 {
            let word: String = run.iter().map(|s| s.as_str()).collect();
            while out
                .last()
                .is_some_and(|w| w == "that's" || w == "spelled" || w == "its" || *w == word)
            {
                out.pop();
            }
            out.push(word);
            i += run.len();
        } else {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    out
}

/// The first words of `tokens` that can be a name. `spelled`: words the caller spelled
/// out, which are names whatever they look like ("kettering").
fn name_from(tokens: &[String], spelled: &[String]) -> Option<String> {
    let words: Vec<&String> = tokens
        .iter()
        .take_while(|w| {
            !NAME_STOP.contains(&w.as_str())
                && !is_common_word(w)
                // "eighteen eighteen south west …" is a house number, never a name.
                && word_value(w).is_none()
                && w.chars().all(|c| c.is_alphabetic() || c == '\'')
                && w.len() > 1
        })
        .take(3)
        .collect();
    // Verb forms ("leaking", "running") are never names; a surname spelled out or on the
    // census list may end the same way ("Kettering", "Fleming").
    // After a given name we know, an -ing word that ends what was said is the surname
    // ("walter pennington"; not "dave hoping you can help").
    let ends_the_name = |next: Option<&String>| {
        next.is_none_or(|n| {
            n.starts_with(|c: char| c.is_ascii_digit())
                || matches!(n.as_str(), "at" | "from" | "and" | "i'm" | "im")
        })
    };
    let after_first_name = words
        .first()
        .is_some_and(|f| FIRST_NAMES.contains(f.as_str()) && !is_common_word(f));
    let verb = |(i, w): &(usize, &&String)| {
        w.len() > 4
            && w.ends_with("ing")
            && !spelled.contains(w)
            && !SURNAMES.contains(w.as_str())
            && !(*i > 0 && after_first_name && ends_the_name(tokens.get(i + 1)))
            // "barnaby kettering": the last word of a short answer that is only a name.
            && !(*i > 0 && *i + 1 == tokens.len() && tokens.len() <= 3)
    };
    let words = match words.iter().enumerate().position(|iw| verb(&iw)) {
        // "dave hoping you can help": the given name we know, before the verb.
        Some(i) if i > 0 && after_first_name => &words[..i],
        Some(_) => return None,
        None => &words[..],
    };
    if words.is_empty() {
        return None;
    }
    Some(words.iter().map(|w| title(w)).collect::<Vec<_>>().join(" "))
}

/// A last name told after the first one ("oh, last name haaland, h a a l a n d"): the
/// spelled letters when given, else the word after "last name", title-cased. `None` when
/// the words do not say "last name" or "apellido".
pub fn late_last_name(text: &str) -> Option<String> {
    let norm = normalize(text);
    let tokens: Vec<&str> = norm.split_whitespace().collect();
    let at = tokens
        .windows(2)
        .position(|w| w == ["last", "name"] || w == ["family", "name"])
        .map(|p| p + 2)
        .or_else(|| tokens.iter().position(|w| *w == "apellido").map(|p| p + 1))?;
    let rest: Vec<&str> = tokens[at..]
        .iter()
        .copied()
        .skip_while(|w| matches!(*w, "is" | "its" | "it's" | "es" | "mi" | "uh" | "um"))
        .collect();
    let letters: Vec<&str> = rest
        .iter()
        .skip(1)
        .copied()
        .filter(|w| w.chars().count() == 1 && w.chars().all(char::is_alphabetic))
        .collect();
    if letters.len() >= 2 {
        return Some(title(&letters.concat()));
    }
    let word = rest.first()?;
    (word.chars().all(char::is_alphabetic)
        && word.chars().count() >= 2
        && !NAME_STOP.contains(word))
    .then(|| title(word))
}

/// A caller's name. `expecting` is true when the receptionist just asked for it, so a
/// bare name ("angela ruiz") counts; otherwise only "my name is…", "this is…", "it's…".
pub fn name(text: &str, expecting: bool) -> Option<String> {
    let norm = normalize(text);
    let tokens: Vec<String> = norm.split_whitespace().map(String::from).collect();
    // "mark uh actually put marcus delgado": what follows the correction stands.
    if let Some(p) = tokens
        .iter()
        .rposition(|w| NAME_TAKE_BACK.contains(&w.as_str()))
    {
        let rest: Vec<String> = tokens[p + 1..]
            .iter()
            .skip_while(|w| NAME_LEAD_IN.contains(&w.as_str()))
            .cloned()
            .collect();
        // "i'm maddie, well, madison clark": after a name just given, what follows the
        // take-back is a name too.
        let after_a_name =
            p >= 2 && matches!(tokens[p - 2].as_str(), "im" | "i'm" | "its" | "it's");
        // "maria, but everyone calls me lupita": a nickname after is no correction.
        let nickname_after = rest
            .iter()
            .any(|w| matches!(w.as_str(), "call" | "calls" | "dicen" | "nickname"));
        if p > 0 && !rest.is_empty() && !nickname_after {
            if let Some(n) = name_in(rest.join(" "), expecting || after_a_name) {
                return Some(n);
            }
        }
    }
    let found = name_in(norm.clone(), expecting)?;
    // "stacey, it's spelled s t a c e y, stacey moreau": the first name said again with
    // the surname is the whole name.
    if !found.contains(' ') {
        let first = found.to_lowercase();
        let fuller = tokens
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, w)| **w == first)
            .find_map(|(p, _)| {
                name_in(tokens[p..].join(" "), true)
                    .filter(|n| n.contains(' ') && n.to_lowercase().starts_with(&first))
            });
        if let Some(n) = fuller {
            return Some(n);
        }
    }
    Some(found)
}

/// A name the caller introduces themself with ("my name is rosa imani", "me llamo
/// ana"), which replaces one taken from an earlier, weaker answer.
pub fn introduced_name(text: &str) -> Option<String> {
    let norm = normalize(text);
    let tokens: Vec<&str> = norm.split_whitespace().collect();
    let intros: &[&[&str]] = &[
        &["my", "name", "is"],
        &["my", "name's"],
        &["me", "llamo"],
        &["mi", "nombre", "es"],
        // "you probably want my real name, it's charles …"
        &["real", "name"],
        &["full", "name"],
        &["legal", "name"],
        &["actual", "name"],
    ];
    let p = intros
        .iter()
        .find_map(|cue| tokens.windows(cue.len()).position(|w| w == *cue))?;
    name(&tokens[p..].join(" "), false)
}

/// Cues that give a name only as the answer to "what's your name?" ("just put noor");
/// elsewhere "put" is a story ("we put drano in it").
const PUT_CUES: &[&[&str]] = &[
    &["put", "it", "under"],
    &["put", "it", "down", "as"],
    &["put", "down"],
    &["put"],
];

/// A possessive that makes the name after it another person's ("her", "tenant's").
fn someone_elses(word: &str) -> bool {
    matches!(word, "her" | "his" | "their" | "su")
        || word != "my"
            && (word.ends_with("'s") || RELATIONS.iter().any(|r| word == format!("{r}s")))
}

/// Who the caller is to the person with the problem ("i'm her son walter").
const RELATIONS: &[&str] = &[
    "daughter",
    "son",
    "wife",
    "husband",
    "mother",
    "mom",
    "father",
    "dad",
    "sister",
    "brother",
    "neighbor",
    "neighbour",
    "niece",
    "nephew",
    "granddaughter",
    "grandson",
    "caregiver",
    "caretaker",
    "aide",
    "nurse",
    "friend",
    "partner",
    "landlord",
    "landlady",
    "owner",
    "homeowner",
    "tenant",
    "manager",
    "roommate",
    "director",
    "secretary",
    "administrator",
    "pastor",
    "superintendent",
    "super",
    "coordinator",
    "assistant",
    "bookkeeper",
    "custodian",
    "hija",
    "hijo",
    "esposa",
    "esposo",
    "vecina",
    "vecino",
    "sobrina",
    "sobrino",
    "nieta",
    "nieto",
    "mama",
    "papa",
    "hermana",
    "hermano",
];

/// `rest` without a relation said before the name ("his daughter", "the neighbor", "her
/// son,"): the name follows it.
fn skip_relation(rest: &[String]) -> &[String] {
    let owner = |w: &str| {
        matches!(
            w,
            "his" | "her" | "their" | "the" | "your" | "su" | "la" | "el" | "a" | "an"
        )
    };
    match rest {
        [o, r, tail @ ..] if owner(o) && RELATIONS.contains(&r.as_str()) => tail,
        // "the office manager deb kessler", "the property manager, ana ruiz"
        [o, _, r, tail @ ..] if owner(o) && RELATIONS.contains(&r.as_str()) && !tail.is_empty() => {
            tail
        }
        [r, tail @ ..] if RELATIONS.contains(&r.as_str()) && !tail.is_empty() => tail,
        _ => rest,
    }
}

/// True when the words after a name are a bare number that starts no address ("it's
/// kohler 3321": a model number, not a caller called Kohler).
fn before_a_number(rest: &[String], name: &str) -> bool {
    let after = &rest[name.split(' ').count().min(rest.len())..];
    let rest = after.join(" ");
    after
        .first()
        .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()))
        && address(&rest, "KS").is_none()
        && phone(&rest).is_none()
}

/// Words a caller takes back a name with ("harold t nguyen, just harold nguyen is fine":
/// the plainer form stands).
const NAME_TAKE_BACK: &[&str] = &[
    "actually",
    "sorry",
    "correction",
    "perdon",
    "mean",
    "just",
    "well",
    "wait",
    "but",
    "pero",
];

/// Words between a take-back and the name ("actually put it down as marcus").
const NAME_LEAD_IN: &[&str] = &[
    "uh", "um", "put", "make", "that", "it", "it's", "its", "down", "as", "is", "write", "i",
    "meant", "no", "the", "name", "should", "be", "digo",
];

fn name_in(norm: String, expecting: bool) -> Option<String> {
    let mut tokens: Vec<String> = norm.split_whitespace().map(String::from).collect();
    // "marcus marcus delgado": a name said twice over a bad line (never a spelled
    // letter: "k e e l").
    tokens.dedup_by(|a, b| a == b && a.chars().count() > 1);
    // "the okafor house, ada okafor": drop "the X house".
    if let Some(p) = tokens
        .windows(3)
        .position(|w| w[0] == "the" && matches!(w[2].as_str(), "house" | "residence" | "family"))
    {
        tokens.drain(p..p + 3);
    }
    // "john with an h", "ann with two ns": a spelling hint, not part of the name.
    while let Some(p) = tokens.windows(3).position(|w| {
        w[0] == "with"
            && matches!(w[1].as_str(), "a" | "an" | "one" | "two" | "double")
            && w[2].chars().count() <= 2
    }) {
        tokens.drain(p..p + 3);
    }
    // "kev kevin shaw": a false start the next word completes.
    tokens = tokens
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            !(w.chars().count() >= 2
                && tokens
                    .get(i + 1)
                    .is_some_and(|n| n.len() > w.len() && n.starts_with(w.as_str())))
        })
        .map(|(_, w)| w.clone())
        .collect();
    tokens.dedup_by(|a, b| a == b && a.chars().count() > 1);
    let mut tokens = collapse_spelling(tokens);
    // "lynn, l y n n, lynn okafor": the spelled word and the name said after it.
    tokens.dedup();
    let spelled: Vec<String> = tokens
        .iter()
        .filter(|w| norm_spelled(&norm, w))
        .cloned()
        .collect();
    if let Some(n) = labelled_name(&tokens, &spelled) {
        return Some(n);
    }
    let cues: &[&[&str]] = &[
        &["my", "name", "is"],
        &["my", "name's"],
        &["name", "is"],
        &["name's"],
        &["this", "is"],
        &["me", "llamo"],
        &["mi", "nombre", "es"],
        &["nombre", "es"],
        &["everybody", "calls", "me"],
        &["everyone", "calls", "me"],
        &["people", "call", "me"],
        &["i", "go", "by"],
        // "the patient is eleanor but i'm the one calling, keisha banks"
        &["one", "calling"],
        &["me", "dicen"],
        &["soy"],
        &["it's"],
        &["its"],
        &["i'm"],
        &["im"],
        &["names"],
        &["name"],
    ];
    // "it's bo and carla frey, put it under carla frey": the name the booking goes under,
    // said in so many words, is the one to keep, whenever it is said.
    {
        for cue in &PUT_CUES[..2] {
            if let Some(p) = tokens
                .windows(cue.len())
                .position(|w| w.iter().map(String::as_str).eq(cue.iter().copied()))
            {
                // "put it under me, rachel stennis".
                let rest: Vec<String> = tokens[p + cue.len()..]
                    .iter()
                    .skip_while(|w| matches!(w.as_str(), "me" | "my" | "name" | "the"))
                    .cloned()
                    .collect();
                if let Some(n) = name_from(&rest, &spelled) {
                    return Some(n);
                }
            }
        }
    }
    // "dígale que llamó patricia solano", "tell him ed ruiz called": the caller's own name,
    // in the message.
    for (i, w) in tokens.iter().enumerate() {
        let spanish = w == "llamo" && i > 0 && tokens[i - 1] == "que";
        let english = w == "tell" && tokens.get(i + 1).is_some_and(|o| !o.ends_with("'s"));
        if !(spanish || english) {
            continue;
        }
        let rest = &tokens[i + if spanish { 1 } else { 2 }..];
        if let Some(n) = name_from(rest, &spelled) {
            let next = rest.get(n.split(' ').count()).map(String::as_str);
            if spanish || matches!(next, Some("called" | "calling" | "called,")) {
                return Some(n);
            }
        }
    }
    let put: &[&[&str]] = if expecting { PUT_CUES } else { &[] };
    for cue in cues.iter().chain(put) {
        if let Some(p) = tokens
            .windows(cue.len())
            .position(|w| w.iter().map(String::as_str).eq(cue.iter().copied()))
        {
            // "gary lindqvist, the tenant's name is tasha": someone else's name, after the
            // caller's own ("his name's otto reed" alone is the answer; "put it under my
            // wife's name" asks for hers).
            if cue.first().is_some_and(|c| c.starts_with("name"))
                && p > 2
                && someone_elses(&tokens[p - 1])
                && !tokens[p.saturating_sub(4)..p]
                    .iter()
                    .any(|w| matches!(w.as_str(), "under" | "in" | "as"))
            {
                continue;
            }
            // "this is for the owner, art fennimore".
            let after = &tokens[p + cue.len()..];
            let after = match after.first().map(String::as_str) {
                Some("for") => &after[1..],
                _ => after,
            };
            let rest = skip_relation(after);
            let rest: Vec<String> = rest
                .iter()
                .skip_while(|w| {
                    matches!(
                        w.as_str(),
                        "uh" | "um" | "the" | "mister" | "mr" | "mrs" | "ms" | "just"
                    )
                })
                .cloned()
                .collect();
            if matches!(*cue, ["it's"] | ["its"] | ["i'm"] | ["im"]) && !expecting {
                // "it's deb hollis 6604 …" counts; "it's leaking" does not.
                let n = name_from(&rest, &spelled)?;
                // "its settings and the furnace…": a possessive before a noun, not a
                // name; outside the name question only a given name we know counts.
                let first = n.split(' ').next().unwrap_or("").to_lowercase();
                if !FIRST_NAMES.contains(first.as_str()) && !spelled.contains(&first) {
                    continue;
                }
                let next = rest.get(n.split(' ').count()).map(String::as_str);
                if next.is_some_and(|w| {
                    w.chars().next().is_some_and(|c| c.is_ascii_digit())
                        || matches!(w, "you" | "i" | "and")
                }) || next.is_none() && n.contains(' ')
                {
                    return Some(n);
                }
                continue;
            }
            if let Some(n) = name_from(&rest, &spelled).filter(|n| !before_a_number(&rest, n)) {
                return Some(n);
            }
        }
    }
    if expecting {
        let rest: Vec<String> = tokens
            .iter()
            .skip_while(|w| {
                matches!(
                    w.as_str(),
                    "uh" | "um"
                        | "yeah"
                        | "okay"
                        | "ok"
                        | "sure"
                        | "yes"
                        | "hi"
                        | "so"
                        | "just"
                        | "well"
                )
            })
            .cloned()
            .collect();
        // A bare answer is a name when it is one we know, or when the whole answer is the
        // name ("siobhan mccarthy") or the name and then the address ("priya raman at
        // 11804 switzer road"), not a fragment of a story ("patch some drywall").
        return name_from(&rest, &spelled).filter(|n| {
            let used = n.split_whitespace().count();
            let after: Vec<&str> = rest[used..]
                .iter()
                .map(String::as_str)
                .skip_while(|w| matches!(*w, "at" | "and" | "on" | "from" | "in" | "i'm" | "im"))
                .collect();
            name_is_known(n)
                || used == rest.len()
                || (!after.is_empty() && address(&after.join(" "), "KS").is_some())
        });
    }
    None
}

/// A name given in labelled parts, in either order ("last name's szymanski first name
/// greg", "apellido ruiz nombre ana").
fn labelled_name(tokens: &[String], spelled: &[String]) -> Option<String> {
    let part = |labels: &[&[&str]]| {
        labels.iter().find_map(|label| {
            let p = tokens
                .windows(label.len())
                .position(|w| w.iter().map(String::as_str).eq(label.iter().copied()))?;
            let rest: Vec<String> = tokens[p + label.len()..]
                .iter()
                .skip_while(|w| matches!(w.as_str(), "is" | "es" | "uh" | "um"))
                .take(1)
                .cloned()
                .collect();
            name_from(&rest, spelled)
        })
    };
    let first = part(&[&["first", "name"], &["first", "name's"], &["nombre"]])?;
    let last = part(&[
        &["last", "name"],
        &["last", "name's"],
        &["surname"],
        &["apellido"],
    ])?;
    Some(format!("{first} {last}"))
}

/// A name said again with a spelling that changes one of its words ("it's bryan with a
/// y, b r y a n" after "brian kessler"): the name with that word replaced.
pub fn respelled_name(known: &str, text: &str, spelling_expected: bool) -> Option<String> {
    let norm = normalize(text);
    let raw: Vec<String> = norm.split_whitespace().map(String::from).collect();
    // "john with an h", "ann with two ns": a word, then a letter after the hint.
    let hinted: Vec<String> = raw
        .windows(4)
        .filter(|w| {
            w[1] == "with"
                && matches!(w[2].as_str(), "a" | "an" | "two" | "double")
                && w[3].chars().count() <= 2
                && !matches!(w[3].as_str(), "a" | "an" | "i" | "is" | "in" | "at")
                && w[0].len() >= 2
        })
        .map(|w| w[0].clone())
        .collect();
    // A spelling is a correction only when one was asked for or the caller says so
    // ("sorry, …", a letter hint): a spelled email address is no name.
    let spelled_counts = spelling_expected || is_correction(text) || !hinted.is_empty();
    let spelled: Vec<String> = collapse_spelling(raw)
        .into_iter()
        .filter(|w| spelled_counts && w.len() >= 3 && norm_spelled(&norm, w))
        .collect();
    let respelled: Vec<&String> = hinted
        .iter()
        .chain(&spelled)
        .filter(|w| w.chars().all(|c| c.is_alphabetic()) && !is_common_word(w))
        .collect();
    let mut words: Vec<String> = known.split_whitespace().map(String::from).collect();
    let mut changed = false;
    for new in respelled {
        let close = |old: &String| {
            let old = old.to_lowercase();
            old != *new
                && old.chars().next() == new.chars().next()
                && strsim::levenshtein(&old, new) <= 2
        };
        if let Some(w) = words.iter_mut().find(|w| close(w)) {
            *w = title(new);
            changed = true;
        }
    }
    changed.then(|| words.join(" "))
}

/// A ten-digit NANP phone number spoken as digit groups ("816 555 0109").
pub fn phone(text: &str) -> Option<String> {
    let norm = normalize(text);
    let mut digits = String::new();
    for tok in norm.split_whitespace() {
        if tok.chars().all(|c| c.is_ascii_digit()) {
            digits.push_str(tok);
            if digits.len() >= 10 {
                break;
            }
        } else if !digits.is_empty() && digits.len() < 10 {
            digits.clear();
        }
    }
    (digits.len() == 10 || (digits.len() == 11 && digits.starts_with('1')))
        .then(|| crate::phone::normalize_e164(&digits))
        .flatten()
}

/// Yes, no, or neither.
pub fn yes_no(text: &str) -> Option<bool> {
    let n = format!(" {} ", normalize(text));
    let no = [
        " no ",
        " nope ",
        " nah ",
        " not really ",
        " doesn't work ",
        " that won't work ",
        " can't do ",
        " not good ",
        " negative ",
    ];
    let yes = [
        " yes ",
        " yeah ",
        " yep ",
        " yup ",
        " sure ",
        " ok ",
        " okay ",
        " sounds good ",
        " perfect ",
        " that works ",
        " works ",
        " great ",
        " correct ",
        " right ",
        " si ",
        " claro ",
        " bueno ",
        " esta bien ",
        " dale ",
        " please do ",
        " absolutely ",
        " fine ",
        " good ",
    ];
    if no.iter().any(|w| n.contains(w)) && !n.contains(" no problem ") {
        return Some(false);
    }
    yes.iter().any(|w| n.contains(w)).then_some(true)
}

/// Replaces card numbers (13–19 digits) and SSNs (3-2-4) with `[redacted]`.
pub fn redact(text: &str) -> String {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let mut digits = 0;
        let mut j = i;
        let mut groups = Vec::new();
        while j < tokens.len() {
            let d: String = tokens[j].chars().filter(|c| c.is_ascii_digit()).collect();
            let only_digits = tokens[j].chars().all(|c| c.is_ascii_digit() || c == '-');
            if d.is_empty() || !only_digits {
                break;
            }
            digits += d.len();
            groups.push(d.len());
            j += 1;
        }
        let ssn = groups == [3, 2, 4] || (groups == [9] && tokens[i].contains('-'));
        if (13..=19).contains(&digits) || ssn {
            out.push("[redacted]".into());
            i = j;
        } else {
            out.push(tokens[i].to_string());
            i += 1;
        }
    }
    out.join(" ")
}

/// Title-cases every word ("lee's summit" → "Lee's Summit").
pub fn title_words(s: &str) -> String {
    s.split_whitespace()
        .map(title)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spelled_name_said_again_whole_and_a_plainer_form_stand() {
        assert_eq!(
            name("lynn, that's spelled l y n n, lynn okafor", true).as_deref(),
            Some("Lynn Okafor")
        );
        assert_eq!(
            name("robert j hale, just robert hale is fine", true).as_deref(),
            Some("Robert Hale")
        );
        assert_eq!(name("it's just tom", true).as_deref(), Some("Tom"));
    }

    #[test]
    fn a_role_before_the_name_and_another_persons_name_are_told_apart() {
        assert_eq!(
            name("i'm the property manager ana ruiz", true).as_deref(),
            Some("Ana Ruiz")
        );
        assert_eq!(
            name(
                "paul greer, my mother's name is ruth but she's not the one calling",
                true
            )
            .as_deref(),
            Some("Paul Greer")
        );
        assert_eq!(
            name(
                "tom reyes, actually put it under my sister's name, lucia reyes",
                true
            )
            .as_deref(),
            Some("Lucia Reyes")
        );
        assert_eq!(
            introduced_name("sorry my full name is theodore banks").as_deref(),
            Some("Theodore Banks")
        );
    }

    #[test]
    fn a_possessive_before_a_noun_is_no_introduction() {
        assert_eq!(
            name(
                "the dishwasher lost its power and its timer keeps resetting",
                false
            ),
            None
        );
        assert_eq!(
            name("hi it's gina reyes and my sink is clogged", false).as_deref(),
            Some("Gina Reyes")
        );
    }

    #[test]
    fn a_name_follows_who_the_caller_is_and_a_model_number_is_no_name() {
        assert_eq!(
            name("im her son walter pennington", true).as_deref(),
            Some("Walter Pennington")
        );
        assert_eq!(name("this is her son mike", false).as_deref(), Some("Mike"));
        assert_eq!(name("just noor", true).as_deref(), Some("Noor"));
        assert_eq!(
            name("this is dave hoping you can help", false).as_deref(),
            Some("Dave")
        );
        assert_eq!(
            name("you can just put noor thats fine", true).as_deref(),
            Some("Noor")
        );
        assert_eq!(name("we put drano in it", false), None);
        assert_eq!(name("its kohler 3321", true), None);
        assert_eq!(
            name("it's maya brooks 913 555 0188", true).as_deref(),
            Some("Maya Brooks")
        );
        assert_eq!(
            introduced_name("oh and my name is rosa imani").as_deref(),
            Some("Rosa Imani")
        );
        assert_eq!(introduced_name("my name is on the account"), None);
    }

    #[test]
    fn a_name_taken_back_with_well_and_the_caller_among_others() {
        assert_eq!(
            name("it's becky well rebecca rebecca lindgren", true).as_deref(),
            Some("Rebecca Lindgren")
        );
        assert_eq!(
            name("im tony well anthony marchetti", false).as_deref(),
            Some("Anthony Marchetti")
        );
        assert_eq!(
            name(
                "the tenant is marco but i'm the one calling, ruth adler",
                true
            )
            .as_deref(),
            Some("Ruth Adler")
        );
        assert_eq!(
            name("well it's gina fontaine", true).as_deref(),
            Some("Gina Fontaine")
        );
    }

    #[test]
    fn one_spanish_number_word_where_a_number_is_due_and_a_unit_retold() {
        let a = address(
            "ocho cuatro dos cero metcalf avenue apartamento seis lenexa",
            "KS",
        )
        .unwrap();
        assert_eq!((a.number.as_str(), a.unit.as_deref()), ("8420", Some("6")));
        let a = address(
            "calle cuarenta norte numero mil cien kansas city missouri",
            "KS",
        )
        .unwrap();
        assert_eq!((a.number.as_str(), a.street.as_str()), ("1100", "40th"));
        let a = address(
            "700 west 75th street unit two mission oh wait unit twelve",
            "KS",
        )
        .unwrap();
        assert_eq!(a.unit.as_deref(), Some("12"));
    }

    #[test]
    fn a_unit_told_late_joins_the_address() {
        let mut a = address("415 north west vivion road kansas city missouri", "KS").unwrap();
        assert!(late_unit(&mut a, "and its unit d"));
        assert_eq!(a.unit.as_deref(), Some("D"));
        assert!(!late_unit(&mut a, "and apartment 4"));
        assert_eq!(a.unit.as_deref(), Some("D"));
    }

    #[test]
    fn a_number_taken_back_in_the_same_breath_gives_way_to_the_new_one() {
        let a = address(
            "10310 no wait that's wrong it's 10130 switzer road overland park",
            "KS",
        )
        .unwrap();
        assert_eq!(a.display(), "10130 Switzer Rd, Overland Park, KS");
        let a = address("4417 sorry 4471 maple drive in olathe", "KS").unwrap();
        assert_eq!(a.display(), "4471 Maple Dr, Olathe, KS");
    }

    #[test]
    fn spelling_hints_false_starts_and_spoken_take_backs() {
        assert_eq!(
            name("dan uh no sorry it's don with an o don hardy", true).as_deref(),
            Some("Don Hardy")
        );
        assert_eq!(name("mar marcy lyle", true).as_deref(), Some("Marcy Lyle"));
        assert_eq!(
            address(
                "six six one uh no six six one eight west fifty fifth terrace mission",
                "KS"
            )
            .unwrap()
            .display(),
            "6618 W 55th Ter, Mission, KS"
        );
        assert_eq!(
            address("ochocientos doce oeste maple street olathe", "KS")
                .unwrap()
                .display(),
            "812 W Maple St, Olathe, KS"
        );
        assert_eq!(
            address("one two three four north broadway trafficway", "MO")
                .unwrap()
                .display(),
            "1234 N Broadway Trfy"
        );
    }

    #[test]
    fn compound_directions_fillers_and_a_late_city() {
        for (said, want) in [
            (
                "forty one oh two south west forty third street kansas city kansas",
                "4102 SW 43rd St, Kansas City, KS",
            ),
            (
                "eight eight one north east barry road kansas city missouri",
                "881 NE Barry Rd, Kansas City, MO",
            ),
            ("nine hundred north west street", "900 N West St"),
            (
                "fifteen oh one uh south ridgeview road olathe",
                "1501 S Ridgeview Rd, Olathe, KS",
            ),
            (
                "five five two one west sixty first street oh wait no sorry it's five five one two over in mission",
                "5512 W 61st St, Mission, KS",
            ),
        ] {
            assert_eq!(address(said, "KS").unwrap().display(), want, "{said}");
        }
    }

    #[test]
    fn a_spelled_surname_that_ends_like_a_verb_is_a_name() {
        assert_eq!(
            name("wes harding h a r d i n g", true).as_deref(),
            Some("Wes Harding")
        );
        assert_eq!(name("leaking", true), None);
    }

    #[test]
    fn a_spelling_with_a_doubled_letter_keeps_both() {
        assert_eq!(
            name("his name's otto reed r e e d", true).as_deref(),
            Some("Otto Reed")
        );
        assert_eq!(
            name("anna anna moss m o s s", true).as_deref(),
            Some("Anna Moss")
        );
    }

    #[test]
    fn five_digit_numbers_two_street_types_and_route_numbers() {
        for (said, want) in [
            (
                "twelve six hundred west ninety fifth street",
                "12600 W 95th St",
            ),
            (
                "twenty one five hundred w ninety first street in olathe",
                "21500 W 91st St, Olathe, KS",
            ),
            ("forty two hundred rainbow boulevard", "4200 Rainbow Blvd"),
            (
                "ninety six hundred west ninety fifth street parkway in lenexa",
                "9600 W 95th Street Pkwy, Lenexa, KS",
            ),
            (
                "three oh two lake shore drive merriam",
                "302 Lake Shore Dr, Merriam, KS",
            ),
            (
                "eleven eighty highway ten lenexa",
                "1180 Highway 10, Lenexa, KS",
            ),
        ] {
            assert_eq!(address(said, "KS").unwrap().display(), want, "{said}");
        }
    }

    #[test]
    fn house_and_unit_numbers_said_in_groups_of_digits() {
        for (said, want) in [
            (
                "eighty four twenty one elm street mission",
                "8421 Elm St, Mission, KS",
            ),
            (
                "seventy three oh five maple drive olathe",
                "7305 Maple Dr, Olathe, KS",
            ),
            (
                "twelve four forty quivira road lenexa",
                "12440 Quivira Rd, Lenexa, KS",
            ),
            (
                "sixty one oh two west seventy third street prairie village",
                "6102 W 73rd St, Prairie Village, KS",
            ),
            (
                "forty five hundred johnson drive mission",
                "4500 Johnson Dr, Mission, KS",
            ),
            (
                "nine oh nine oak street apartment four merriam",
                "909 Oak St Apt 4, Merriam, KS",
            ),
            (
                "3300 main street unit two twelve overland park",
                "3300 Main St Unit 212, Overland Park, KS",
            ),
        ] {
            assert_eq!(
                address(said, "KS").map(|a| a.display()).as_deref(),
                Some(want),
                "{said}"
            );
        }
    }

    #[test]
    fn house_numbers_said_in_spanish_words() {
        for (said, want) in [
            (
                "seis cero uno dos woodson road en mission",
                "6012 Woodson Rd, Mission, KS",
            ),
            (
                "mil ciento diecisiete east dennis avenue en olathe",
                "1117 E Dennis Ave, Olathe, KS",
            ),
            (
                "vivo en la calle johnson mil cuatrocientos veinte en olathe",
                "1420 Johnson St, Olathe, KS",
            ),
            (
                "es el cincuenta y ocho doce de la calle maple en merriam",
                "5812 Maple St, Merriam, KS",
            ),
        ] {
            let a = address(said, "KS").unwrap_or_else(|| panic!("{said}"));
            assert_eq!(a.display(), want, "{said}");
        }
        assert_eq!(address("a las once y media", "KS"), None);
    }

    #[test]
    fn street_ordinals_said_as_words_and_unit_letters() {
        for (said, want) in [
            (
                "one five two one one west one fifty first terrace olathe",
                "15211 W 151st Ter, Olathe, KS",
            ),
            (
                "fifty three oh eight west fiftieth terrace roeland park",
                "5308 W 50th Ter, Roeland Park, KS",
            ),
            (
                "ninety six oh four west one twenty first street overland park",
                "9604 W 121st St, Overland Park, KS",
            ),
            (
                "fourteen eleven southwest third street lees summit missouri",
                "1411 SW 3rd St, Lee's Summit, MO",
            ),
            (
                "seventy two twenty troost avenue apartment two b kansas city missouri",
                "7220 Troost Ave Apt 2B, Kansas City, MO",
            ),
            (
                "4410 state avenue unit a kck",
                "4410 State Ave Unit A, Kansas City, KS",
            ),
            (
                "eighty one hundred west one hundred and third street lee wood",
                "8100 W 103rd St, Leawood, KS",
            ),
        ] {
            let a = address(said, "KS").unwrap_or_else(|| panic!("{said}"));
            assert_eq!(a.display(), want, "{said}");
        }
    }

    #[test]
    fn cities_past_repeated_words_and_spanish_streets_that_end_at_the_city() {
        for (said, want) in [
            (
                "address is 2207 east sheridan street sheridan in olathe",
                "2207 E Sheridan St, Olathe, KS",
            ),
            (
                "13408 west 129th terrace no sorry 13480 13480 west 129th terrace overland park",
                "13480 W 129th Ter, Overland Park, KS",
            ),
            (
                "numero 751 calle 10 norte kansas city kansas",
                "751 N 10th St, Kansas City, KS",
            ),
            (
                "vivo en el 8410 de la avenida lamar apartamento 3 en overland park",
                "8410 Lamar Ave Apt 3, Overland Park, KS",
            ),
            (
                "es el numero 2540 de la avenida metropolitan kansas city kansas",
                "2540 Metropolitan Ave, Kansas City, KS",
            ),
        ] {
            let a = address(said, "KS").unwrap_or_else(|| panic!("{said}"));
            assert_eq!(a.display(), want, "{said}");
        }
        assert_eq!(address("i get off at 3 so anything after that", "KS"), None);
    }

    #[test]
    fn a_unit_or_a_corrected_number_said_after_the_city() {
        let a = address(
            "the property is sixty one twenty lamar avenue in mission the left side unit a",
            "KS",
        )
        .unwrap();
        assert_eq!(a.display(), "6120 Lamar Ave Unit A, Mission, KS");
        let a = address(
            "seventy seven twelve pflumm road lenexa oh wait sorry its seventy seven twenty one",
            "KS",
        )
        .unwrap();
        assert_eq!(a.display(), "7721 Pflumm Rd, Lenexa, KS");
        let a = address("4400 main street kansas city and my number is 913", "KS").unwrap();
        assert_eq!(a.display(), "4400 Main St, Kansas City, MO");
    }

    #[test]
    fn fillers_before_the_city_and_the_unit_word_the_caller_used() {
        let a = address("6200 w 87th street that's overland park", "KS").unwrap();
        assert_eq!(a.display(), "6200 W 87th St, Overland Park, KS");
        let a = address("8800 renner blvd suite 200 lenexa", "KS").unwrap();
        assert_eq!(a.display(), "8800 Renner Blvd Suite 200, Lenexa, KS");
    }

    #[test]
    fn spanish_street_forms_read_as_english_addresses() {
        for (said, want) in [
            (
                "vivo en la calle johnson 1420 en olathe",
                "1420 Johnson St, Olathe, KS",
            ),
            (
                "el numero 9500 de la avenida metcalf en overland park",
                "9500 Metcalf Ave, Overland Park, KS",
            ),
            (
                "es el 1420 calle cherry sur en olathe",
                "1420 S Cherry St, Olathe, KS",
            ),
            (
                "avenida roe numero 7719 prairie village",
                "7719 Roe Ave, Prairie Village, KS",
            ),
            (
                "2110 avenida 48 oeste en kansas city",
                "2110 W 48th Ave, Kansas City, MO",
            ),
            (
                "vivo en la calle 95 oeste numero 8315 en overland park",
                "8315 W 95th St, Overland Park, KS",
            ),
        ] {
            let a = address(said, "KS").unwrap_or_else(|| panic!("{said}"));
            assert_eq!(a.display(), want, "{said}");
        }
    }

    #[test]
    fn a_name_is_taken_only_where_the_caller_gives_one() {
        assert_eq!(
            name("siobhan mccarthy", true).as_deref(),
            Some("Siobhan McCarthy")
        );
        assert_eq!(
            name("it's daniel okafor", true).as_deref(),
            Some("Daniel Okafor")
        );
        assert_eq!(name("patch some drywall", true), None);
        assert_eq!(name("supposed to be at work today", true), None);
        assert_eq!(
            name("me llamo jose garcia", false).as_deref(),
            Some("Jose Garcia")
        );
        assert_eq!(
            name("mark uh actually put marcus marcus delgado", true).as_deref(),
            Some("Marcus Delgado")
        );
        assert_eq!(
            name(
                "priyanka zeller at eleven eight oh four switzer road overland park",
                true
            )
            .as_deref(),
            Some("Priyanka Zeller")
        );
        assert_eq!(
            name("its frank deluca", true).as_deref(),
            Some("Frank Deluca")
        );
        assert_eq!(
            name("mi nombre es guadalupe reyes", false).as_deref(),
            Some("Guadalupe Reyes")
        );
        assert!(name_is_known("Daniel Okafor"));
        assert!(!name_is_known("Zyxwv Qqq"));
    }

    #[test]
    fn addresses_with_directions_ordinals_units_and_cities() {
        let a = address("we're at 7710 west 119th terrace in leawood", "KS").unwrap();
        assert_eq!(a.display(), "7710 W 119th Ter, Leawood, KS");
        let a = address(
            "it's an apartment 6020 johnson drive unit 12 mission kansas",
            "KS",
        )
        .unwrap();
        assert_eq!(a.display(), "6020 Johnson Dr Unit 12, Mission, KS");
        let a = address("1409 northwest 72nd terrace kansas city missouri", "KS").unwrap();
        assert_eq!(a.display(), "1409 NW 72nd Ter, Kansas City, MO");
        let a = address("uh sixty one hundred lamar avenue merriam", "KS").unwrap();
        assert_eq!(a.display(), "6100 Lamar Ave, Merriam, KS");
        let a = address("9020 west 60 third street merriam", "KS").unwrap();
        assert_eq!(a.display(), "9020 W 63rd St, Merriam, KS");
        assert!(address("you can reach me at 913 555 0177", "KS").is_none());
    }

    #[test]
    fn corrections() {
        let mut a = address("it's 3317 antioch road in merriam", "KS").unwrap();
        assert!(correct_address(&mut a, "oh no sorry it's 3371 not 3317"));
        assert_eq!(a.display(), "3371 Antioch Rd, Merriam, KS");
        let mut a = address("9804 west 87th terrace lenexa", "KS").unwrap();
        assert!(correct_address(
            &mut a,
            "hang on it's 87th street not terrace my mistake"
        ));
        assert_eq!(a.display(), "9804 W 87th St, Lenexa, KS");
    }

    #[test]
    fn names() {
        assert_eq!(
            name("hey this is dmitri from the rental office", false).as_deref(),
            Some("Dmitri")
        );
        assert_eq!(
            name("my name's niamh that's n i a m h delaney", true).as_deref(),
            Some("Niamh Delaney")
        );
        assert_eq!(
            name("it's pat o'brien 4410 west 80th street", false).as_deref(),
            Some("Pat O'Brien")
        );
        assert_eq!(name("angela ruiz", true).as_deref(), Some("Angela Ruiz"));
        assert_eq!(name("it's leaking everywhere", false), None);
        assert_eq!(name("well it's dripping pretty bad right now", true), None);
        assert_eq!(name("the water company says it's on our side", true), None);
        assert_eq!(
            name("this is the okafor residence ada okafor", true).as_deref(),
            Some("Ada Okafor")
        );
    }

    #[test]
    fn phones_and_redaction() {
        assert_eq!(
            phone("best number for me is actually 816 555 0133").as_deref(),
            Some("+18165550133")
        );
        assert_eq!(
            redact("my card is 4111 1111 1111 1111 thanks"),
            "my card is [redacted] thanks"
        );
        assert_eq!(redact("ssn 123-45-6789"), "ssn [redacted]");
        assert_eq!(yes_no("yep that works great"), Some(true));
        assert_eq!(yes_no("no that doesn't work"), Some(false));
    }
}
#[cfg(test)]
mod time_is_not_an_address {
    #[test]
    fn times_after_a_number_are_not_house_numbers() {
        for t in [
            "next wednesday at 10 am",
            "around 3 o'clock",
            "9 or 10 tomorrow",
            "2 to 4 works",
        ] {
            assert_eq!(super::address(t, "KS"), None, "{t}");
        }
        assert!(super::address("12 pine street merriam", "KS").is_some());
    }
}

#[cfg(test)]
mod respelling {
    use super::*;

    #[test]
    fn a_word_of_the_name_is_respelled_only_by_a_spelling_or_a_letter_hint() {
        assert_eq!(
            respelled_name("Jon Reyes", "no it's john with an h", false).as_deref(),
            Some("John Reyes")
        );
        assert_eq!(
            respelled_name("Mark Olsen", "olson o l s o n", true).as_deref(),
            Some("Mark Olson")
        );
        // A story's "with a …" and a spelled email address are no respelling.
        assert_eq!(
            respelled_name("Pete Vogel", "the pipe with a crack in it", false),
            None
        );
        assert_eq!(
            respelled_name("Mark Ruiz", "it's m a r k s at gmail", false),
            None
        );
        // A lone letter in a sentence is no spelling.
        assert_eq!(
            respelled_name("Jo Ann", "jo ann here about a drip a leak", true),
            None
        );
        assert_eq!(
            name("last name's ferreira f e r r e i r a first name luis", true).as_deref(),
            Some("Luis Ferreira")
        );
        assert_eq!(
            name("it's marguerite but everybody calls me peggy", false).as_deref(),
            Some("Peggy")
        );
    }

    #[test]
    fn the_name_to_book_under_and_a_name_left_in_a_message() {
        assert_eq!(
            name("it's jo and dan pike, put it under dan pike", true).as_deref(),
            Some("Dan Pike")
        );
        assert_eq!(
            name("i'm the homeowner, ruth okoye, my tenant is sam", true).as_deref(),
            Some("Ruth Okoye")
        );
        assert_eq!(
            name("digale por favor que llamo marisol fuentes", false).as_deref(),
            Some("Marisol Fuentes")
        );
        assert_eq!(
            name("just tell him gordon vance called about the invoice", false).as_deref(),
            Some("Gordon Vance")
        );
        assert_eq!(name("tell him the sink is fine now", false), None);
        assert_eq!(
            name(
                "oh and put it under cornelius webb, that's the real name",
                false
            )
            .as_deref(),
            Some("Cornelius Webb")
        );
        assert_eq!(name("put it under the sink", false), None);
        assert_eq!(
            name("ottoline pickering", true).as_deref(),
            Some("Ottoline Pickering")
        );
    }

    #[test]
    fn spanish_numbers_name_streets_and_a_house_number_is_put_right_late() {
        let a = address(
            "ochocientos doce north doce street kansas city kansas",
            "KS",
        )
        .unwrap();
        assert_eq!(a.display(), "812 N 12th St, Kansas City, KS");
        let a = address("1500 south tercera street kansas city kansas", "KS").unwrap();
        assert_eq!(a.display(), "1500 S 3rd St, Kansas City, KS");
        let text = "fifty one twelve west ninety fourth terrace overland park, oh wait, i swapped them, it's fifty one twenty one";
        let mut a = address(text, "KS").unwrap();
        correct_address(&mut a, text);
        assert_eq!(a.display(), "5121 W 94th Ter, Overland Park, KS");
        let a = address("nueve mil cien oeste calle cuarenta y dos en lenexa", "KS").unwrap();
        assert_eq!(a.display(), "9100 W 42nd St, Lenexa, KS");
        let text = "5521 elm street in olathe, sorry, my cell is 913 555 0101";
        let mut a = address(text, "KS").unwrap();
        assert!(!correct_address(&mut a, text));
    }
}
