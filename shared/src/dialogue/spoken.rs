//! Numbers as callers say them in addresses: house and unit numbers in English digit
//! groups ("seventy three oh five") or Spanish words ("mil ciento diecisiete", "seis cero
//! uno dos"), and street ordinals ("fiftieth", "one fifty first", "one hundred and third").
//! Tokens are already normalised (lower case, accents folded).

const UNITS_WORDS: &[(&str, u32)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

/// Ordinal words up to the nineties; with a tens word before the unit ones they make the
/// rest ("fifty first").
const ORDINAL_WORDS: &[(&str, u32)] = &[
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
    ("eleventh", 11),
    ("twelfth", 12),
    ("thirteenth", 13),
    ("fourteenth", 14),
    ("fifteenth", 15),
    ("sixteenth", 16),
    ("seventeenth", 17),
    ("eighteenth", 18),
    ("nineteenth", 19),
    ("twentieth", 20),
    ("thirtieth", 30),
    ("fortieth", 40),
    ("fiftieth", 50),
    ("sixtieth", 60),
    ("seventieth", 70),
    ("eightieth", 80),
    ("ninetieth", 90),
];

/// Spanish number words (accents folded) with their value; `cien`/`ciento` and the
/// hundreds are multiples of 100, `mil` is handled by the parser.
const SPANISH_WORDS: &[(&str, u32)] = &[
    ("cero", 0),
    ("uno", 1),
    ("un", 1),
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("cinco", 5),
    ("seis", 6),
    ("siete", 7),
    ("ocho", 8),
    ("nueve", 9),
    ("diez", 10),
    ("once", 11),
    ("doce", 12),
    ("trece", 13),
    ("catorce", 14),
    ("quince", 15),
    ("dieciseis", 16),
    ("diecisiete", 17),
    ("dieciocho", 18),
    ("diecinueve", 19),
    ("veinte", 20),
    ("veintiuno", 21),
    ("veintiun", 21),
    ("veintidos", 22),
    ("veintitres", 23),
    ("veinticuatro", 24),
    ("veinticinco", 25),
    ("veintiseis", 26),
    ("veintisiete", 27),
    ("veintiocho", 28),
    ("veintinueve", 29),
    ("treinta", 30),
    ("cuarenta", 40),
    ("cincuenta", 50),
    ("sesenta", 60),
    ("setenta", 70),
    ("ochenta", 80),
    ("noventa", 90),
    ("cien", 100),
    ("ciento", 100),
    ("doscientos", 200),
    ("trescientos", 300),
    ("cuatrocientos", 400),
    ("quinientos", 500),
    ("seiscientos", 600),
    ("setecientos", 700),
    ("ochocientos", 800),
    ("novecientos", 900),
];

/// 1–90 for an English number word ("seven", "fifty").
pub(super) fn word_value(w: &str) -> Option<u32> {
    UNITS_WORDS.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

/// The value of an ordinal word ("third" 3, "twelfth" 12, "fiftieth" 50).
pub(super) fn ordinal_value(w: &str) -> Option<u32> {
    ORDINAL_WORDS.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

/// "first" to "ninth": what a tens word or a bare digit group can precede.
pub(super) fn is_unit_ordinal(w: &str) -> bool {
    ordinal_value(w).is_some_and(|v| v < 10)
}

pub(super) fn spanish_value(w: &str) -> Option<u32> {
    SPANISH_WORDS.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

/// A spoken cardinal with "hundred" or "thousand": "eighty three hundred" = 8300,
/// "twelve thousand two hundred" = 12200. Returns the value and how many tokens it used.
pub(super) fn spoken_cardinal(tokens: &[&str], i: usize) -> Option<(u32, usize)> {
    let mut total = 0u32;
    let mut current = 0u32;
    let mut used = 0;
    while let Some(w) = tokens.get(i + used) {
        if let Some(v) = word_value(w) {
            current += v;
        } else if *w == "hundred" && current > 0 {
            current *= 100;
        } else if *w == "thousand" && current > 0 {
            total += current * 1000;
            current = 0;
        } else if *w == "and"
            && used > 0
            && matches!(tokens[i + used - 1], "hundred" | "thousand")
            && tokens
                .get(i + used + 1)
                .copied()
                .and_then(word_value)
                .is_some()
        {
            // "three hundred and twelve": the "and" joins the parts.
        } else {
            break;
        }
        used += 1;
    }
    (used >= 2).then_some((total + current, used))
}

/// A number said the way house and unit numbers are said: as a cardinal with "hundred"
/// or "thousand" ([`spoken_cardinal`]), or, as most people say them, in groups of one or
/// two digits: "eighty four twenty one" = 8421, "twelve six twenty" = 12620, "seventy
/// three oh five" = 7305, "two fourteen" = 214. Where a street ordinal starts ("seventy
/// fifth", "one fifty first") the number ends. Returns the digits and how many tokens
/// they used.
pub(super) fn spoken_digits(tokens: &[&str], i: usize) -> Option<(String, usize)> {
    word_value(tokens.get(i)?)?;
    let run = tokens[i..]
        .iter()
        .enumerate()
        .take_while(|(k, w)| {
            word_value(w).is_some()
                || matches!(**w, "hundred" | "thousand" | "oh" | "zero")
                || (**w == "and" && *k > 0 && matches!(tokens[i + k - 1], "hundred" | "thousand"))
        })
        .count();
    if let Some(grouped) = group_then_hundreds(tokens, i) {
        return Some(grouped);
    }
    if tokens[i..i + run]
        .iter()
        .any(|w| matches!(*w, "hundred" | "thousand"))
    {
        return spoken_cardinal(tokens, i).map(|(n, used)| (n.to_string(), used));
    }
    let mut digits = String::new();
    let mut k = i;
    while k < i + run {
        // "sixty one oh two west seventy fifth", "ninety six oh four one twenty first
        // street": the ordinal and the words that lead to it are the street's.
        if k > i && street_ordinal(tokens, k).is_some_and(|(_, used)| k + used > i + run) {
            break;
        }
        let w = tokens[k];
        let next = tokens.get(k + 1).copied();
        match word_value(w) {
            None => digits.push('0'),
            Some(tens) if tens >= 20 && tens % 10 == 0 => {
                if next.is_some_and(is_unit_ordinal) {
                    break;
                }
                match next.and_then(word_value).filter(|u| *u < 10) {
                    Some(unit) if k + 1 < i + run => {
                        digits.push_str(&(tens + unit).to_string());
                        k += 1;
                    }
                    _ => digits.push_str(&tens.to_string()),
                }
            }
            Some(v) => digits.push_str(&v.to_string()),
        }
        k += 1;
    }
    (k > i).then_some((digits, k - i))
}

/// A five-digit house number said as a two-digit group and then hundreds: "ten four
/// hundred" 10400, "twelve six hundred" 12600, "twenty one five hundred" 21500. A number
/// that reads as one cardinal ("twelve hundred", "forty two hundred") is not this.
fn group_then_hundreds(tokens: &[&str], i: usize) -> Option<(String, usize)> {
    let first = word_value(tokens.get(i)?)?;
    let (group, k) = match first {
        10..=19 => (first, i + 1),
        20..=90 if first % 10 == 0 => {
            let unit = tokens
                .get(i + 1)
                .and_then(|w| word_value(w))
                .filter(|u| (1..10).contains(u))?;
            (first + unit, i + 2)
        }
        _ => return None,
    };
    let hundreds = tokens
        .get(k)
        .and_then(|w| word_value(w))
        .filter(|h| (1..10).contains(h))?;
    (tokens.get(k + 1) == Some(&"hundred"))
        .then(|| ((group * 1000 + hundreds * 100).to_string(), k + 2 - i))
}

/// A street's number said as an ordinal, starting at `i`: "third" 3, "fiftieth" 50,
/// "fifty first" 51, "one fifty first" 151, "one twelfth" 112, "one oh third" 103, "one
/// hundred and third" 103, "one hundred fifty first" 151. Returns the value and the tokens
/// used.
pub(super) fn street_ordinal(tokens: &[&str], i: usize) -> Option<(u32, usize)> {
    let at = |k: usize| tokens.get(i + k).copied();
    // The part under a hundred: "fifty first", "third", "fiftieth".
    let under_hundred = |k: usize| -> Option<(u32, usize)> {
        let w = at(k)?;
        if let Some(v) = ordinal_value(w) {
            return Some((v, 1));
        }
        let tens = word_value(w).filter(|t| *t >= 20 && t % 10 == 0)?;
        let unit = at(k + 1).and_then(ordinal_value).filter(|u| *u < 10)?;
        Some((tens + unit, 2))
    };
    let lead = at(0).and_then(word_value).filter(|v| (1..10).contains(v));
    if let Some(h) = lead {
        let mut k = 1;
        if at(k) == Some("hundred") {
            k += 1;
            if at(k) == Some("and") {
                k += 1;
            }
            if let Some((rest, used)) = under_hundred(k) {
                return Some((h * 100 + rest, k + used));
            }
        } else if at(k) == Some("oh") {
            if let Some(unit) = at(k + 1).and_then(ordinal_value).filter(|u| *u < 10) {
                return Some((h * 100 + unit, 3));
            }
        } else if let Some((rest, used)) = under_hundred(k) {
            if rest >= 10 {
                return Some((h * 100 + rest, 1 + used));
            }
        }
    }
    under_hundred(0)
}

/// A number said in Spanish: as a cardinal ("mil ciento diecisiete" 1117, "novecientos
/// doce" 912, "dos mil trescientos" 2300) or in groups ("seis cero uno dos" 6012,
/// "cincuenta y ocho doce" 5812). Two words at least, so a lone "once" or "dos" is left
/// alone. Returns the digits and the tokens used.
pub(super) fn spanish_digits(tokens: &[&str], i: usize) -> Option<(String, usize)> {
    let is_word = |w: &str| spanish_value(w).is_some() || w == "mil";
    let mut run = 0;
    while let Some(w) = tokens.get(i + run) {
        // "y" joins a tens word and a unit ("treinta y dos"), nothing else.
        let joins = *w == "y"
            && run > 0
            && spanish_value(tokens[i + run - 1]).is_some_and(|t| (30..100).contains(&t))
            && tokens
                .get(i + run + 1)
                .and_then(|n| spanish_value(n))
                .is_some_and(|u| (1..10).contains(&u));
        if !(is_word(w) || joins) {
            break;
        }
        run += 1;
    }
    let words = &tokens[i..i + run];
    let counted = words.iter().filter(|w| **w != "y").count();
    if counted < 2 {
        return None;
    }
    let cardinal = words
        .iter()
        .any(|w| *w == "mil" || spanish_value(w).is_some_and(|v| v >= 100));
    let digits = if cardinal {
        let (mut total, mut current) = (0u32, 0u32);
        for w in words {
            match *w {
                "mil" => {
                    total += current.max(1) * 1000;
                    current = 0;
                }
                "y" => {}
                w => current += spanish_value(w)?,
            }
        }
        (total + current).to_string()
    } else {
        let mut out = String::new();
        let mut k = 0;
        while k < words.len() {
            let v = spanish_value(words[k])?;
            if (20..100).contains(&v) && v % 10 == 0 {
                // "cincuenta y ocho" or "cincuenta" alone.
                if words.get(k + 1) == Some(&"y") {
                    let unit = spanish_value(words.get(k + 2)?)?;
                    out.push_str(&(v + unit).to_string());
                    k += 3;
                    continue;
                }
            }
            out.push_str(&v.to_string());
            k += 1;
        }
        out
    };
    Some((digits, run))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn spanish_cardinals_and_groups() {
        for (said, want) in [
            ("mil ciento diecisiete", "1117"),
            ("novecientos doce", "912"),
            ("mil ochocientos quince", "1815"),
            ("dos mil trescientos", "2300"),
            ("seis cero uno dos", "6012"),
            ("cinco nueve cero cuatro", "5904"),
            ("cincuenta y ocho doce", "5812"),
            ("diecinueve cuarenta", "1940"),
            ("siete mil cuatrocientos veintidos", "7422"),
        ] {
            let t = toks(said);
            assert_eq!(
                spanish_digits(&t, 0),
                Some((want.to_string(), t.len())),
                "{said}"
            );
        }
        assert_eq!(spanish_digits(&toks("once a week"), 0), None);
        assert_eq!(spanish_digits(&toks("dos"), 0), None);
    }

    #[test]
    fn street_ordinals_as_said() {
        for (said, want, used) in [
            ("third street", 3, 1),
            ("fiftieth terrace", 50, 1),
            ("fifty fifth street", 55, 2),
            ("one fifty first terrace", 151, 3),
            ("one twenty first street", 121, 3),
            ("one twelfth street", 112, 2),
            ("one oh third street", 103, 3),
            ("one hundred and third street", 103, 4),
            ("one hundred fifty first", 151, 4),
            ("one thirtieth", 130, 2),
        ] {
            assert_eq!(street_ordinal(&toks(said), 0), Some((want, used)), "{said}");
        }
        assert_eq!(street_ordinal(&toks("one five"), 0), None);
    }

    #[test]
    fn a_house_number_stops_where_the_street_ordinal_starts() {
        let t = toks("ninety six oh four one twenty first street");
        assert_eq!(spoken_digits(&t, 0), Some(("9604".to_string(), 4)));
        let t = toks("one five two one one west one fifty first terrace");
        assert_eq!(spoken_digits(&t, 0), Some(("15211".to_string(), 5)));
        let t = toks("eleven eight oh four switzer road");
        assert_eq!(spoken_digits(&t, 0), Some(("11804".to_string(), 4)));
    }
}
