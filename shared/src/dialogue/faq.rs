//! Answers to common questions, from the tenant's own profile (hours, area, services,
//! prices, languages). Nothing here is made up: a question with no answer on file gets
//! an offer of a call back instead.

use super::phrases::say;
use super::replies::Lang;
use crate::scheduling::WeeklyHours;
use crate::tenancy::Tenant;
use crate::triage::normalize::normalize;
use crate::triage::ServiceType;
use chrono::Weekday;

fn hours_sentence(h: &WeeklyHours, lang: Lang) -> String {
    let span = |d: Weekday| {
        h.on(d).first().map(|s| {
            format!(
                "{} to {}",
                s.open.format("%-I:%M %p"),
                s.close.format("%-I:%M %p")
            )
        })
    };
    let wk = span(Weekday::Mon).unwrap_or_default().replace(":00", "");
    let sat = span(Weekday::Sat).map(|s| s.replace(":00", ""));
    match sat {
        Some(s) => say(
            lang,
            "faq_hours_with_saturday",
            &[("weekdays", &wk), ("saturday", &s)],
        ),
        None => say(lang, "faq_hours_weekdays", &[("weekdays", &wk)]),
    }
}

/// Words that ask ahead of time what to do about a danger ("what do i do if…").
const ASKS_WHAT_TO_DO: &[&str] = &[
    "what do",
    "what should",
    "supposed to",
    "if i ever",
    "if we ever",
    "if it ever",
    "que hago",
    "que debo",
];

/// Whether `city` was said in `n` (normalized), also as the recogniser splits it ("ray
/// town", "lees summit", "over land park").
fn city_said(n: &str, city: &str) -> bool {
    let squash = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    let want = squash(city);
    let tokens: Vec<&str> = n.split_whitespace().collect();
    (1..=3).any(|k| tokens.windows(k).any(|w| squash(&w.concat()) == want))
}

/// An answer for every topic the question touches, or `None` when nothing on file fits.
pub fn answer(text: &str, tenant: &Tenant, service: ServiceType, lang: Lang) -> Option<String> {
    let n = format!(" {} ", normalize(text));
    let has = |w: &[&str]| w.iter().any(|x| n.contains(&format!(" {x}")));
    let mut parts = Vec::new();
    if has(&["hablan", "espanol", "spanish"]) {
        // Asked in Spanish or about Spanish: answered in Spanish either way.
        parts.push(if tenant.spanish {
            say(Lang::Es, "faq_spanish_yes", &[])
        } else {
            say(Lang::Es, "faq_spanish_no", &[])
        });
    }
    if has(&[
        "hours", "open", "close", "horario", "abren", "saturday", "sabado", "weekend", "sunday",
        "domingo", "trabajan",
    ]) {
        parts.push(hours_sentence(&tenant.hours, lang));
    }
    if has(&[
        "service ",
        "cover",
        "come out to",
        "area",
        "located",
        "where are",
        "far",
        "go out to",
        "out to",
        "come to",
    ]) || tenant.service_area.iter().any(|c| city_said(&n, c))
    {
        let asked = tenant.service_area.iter().find(|c| city_said(&n, c));
        let list = tenant
            .service_area
            .iter()
            .take(6)
            .map(|c| crate::dialogue::extract::title_words(c))
            .collect::<Vec<_>>()
            .join(", ");
        let unknown_city = asked.is_none() && has(&["service ", "cover"]);
        parts.push(match asked {
            Some(c) => say(
                lang,
                "faq_area_yes",
                &[("city", &crate::dialogue::extract::title_words(c))],
            ),
            None if unknown_city => say(lang, "faq_area_maybe", &[("cities", &list)]),
            None => say(lang, "faq_area_list", &[("cities", &list)]),
        });
    }
    if has(&[
        "how much", "cost", "price", "charge", "run", "cuanto", "cuesta", "precio",
    ]) {
        if let Some(o) = tenant.offering(service) {
            let (low, high) = (o.price_low.to_string(), o.price_high.to_string());
            parts.push(say(
                lang,
                "faq_price_range",
                &[("service", &o.label), ("low", &low), ("high", &high)],
            ));
        } else {
            parts.push(say(lang, "faq_price_depends", &[]));
        }
    }
    if has(&[
        "do you do",
        "do you work",
        "do y'all work",
        "work on",
        "do you install",
        "do you fix",
        "do you repair",
        "do you handle",
        "arreglan",
        "do you service",
        "you guys do",
        "you guys install",
        "you guys fix",
        "you guys work",
        "y'all do",
        "yall do",
        "you all do",
        "ustedes hacen",
        "ustedes instalan",
    ]) && service != ServiceType::Other
    {
        let offered = tenant.offering(service).is_some();
        let label = tenant.label(service);
        parts.push(if offered {
            say(lang, "faq_we_do", &[("service", &label)])
        } else {
            say(lang, "faq_we_dont", &[("business", &tenant.name)])
        });
    }
    if has(&["licensed", "insured", "bonded"]) {
        parts.push(say(lang, "faq_licensed", &[("business", &tenant.name)]));
    }
    if has(&["credit card", "cards", "pay", "financing", "tarjeta"]) {
        parts.push(say(lang, "faq_payment", &[]));
    }
    // Safety a caller asks about ahead of time (what to do about a gas smell): the
    // same advice the safety words give, as an answer.
    if has(&[
        "smell gas",
        "gas smell",
        "gas leak",
        "huele a gas",
        "olor a gas",
        "fuga de gas",
    ]) && has(ASKS_WHAT_TO_DO)
    {
        parts.push(say(lang, "faq_gas_safety", &[]));
    }
    if has(&[
        "monoxide",
        "monoxido",
        "co alarm",
        "co detector",
        "co2 alarm",
        "co2 detector",
    ]) && has(ASKS_WHAT_TO_DO)
    {
        parts.push(say(lang, "faq_co_safety", &[]));
    }
    // Whole words: "you quoted me 400 then charged 600" is a complaint, not this.
    let word = |w: &[&str]| n.split_whitespace().any(|t| w.contains(&t));
    if word(&[
        "estimate",
        "estimates",
        "quote",
        "quotes",
        "presupuesto",
        "presupuestos",
        "cotizacion",
        "cotizaciones",
    ]) && word(&[
        "free", "charge", "cost", "costs", "gratis", "cobran", "cobra", "cuesta",
    ]) {
        parts.push(say(lang, "faq_estimates", &[]));
    }
    // What callers ask is normal: the first heat's dust smell, a detector's chirp.
    if has(&["dust", "polvo"])
        && has(&["smell", "smells", "burning", "huele", "olor"])
        && has(&["first time", "turned on", "first", "primera vez"])
    {
        parts.push(say(lang, "faq_first_heat_smell", &[]));
    }
    if has(&["chirp", "chirping", "chirps", "pitido", "pita"])
        && has(&[
            "detector", "alarm", "monoxide", "smoke", "alarma", "battery", "bateria",
        ])
    {
        parts.push(say(lang, "faq_detector_chirp", &[]));
    }
    // A burner's flame colour: yellow or orange means it burns dirty, worth a visit, and
    // the safety words for what would make it urgent.
    if has(&["flame", "flames", "flama", "llama", "llamas"])
        && has(&["yellow", "orange", "amarilla", "amarillas", "anaranjada"])
    {
        parts.push(say(lang, "faq_flame_colour", &[]));
    }
    // Leaving a house in the cold: the heat to leave it at, and the main.
    if has(&["freeze", "freezing", "frozen", "congel"])
        && has(&[
            "away",
            "gone",
            "trip",
            "vacation",
            "leaving",
            "out of town",
            "thermostat",
            "fuera",
            "viaje",
            "vacaciones",
        ])
    {
        parts.push(say(lang, "faq_away_in_winter", &[]));
    }
    // An outage the whole area shares is the utility's; only a house's own is ours.
    if has(&["power", "lights", "luz", "electricity"])
        && has(&[
            "neighborhood",
            "whole street",
            "whole block",
            "neighbors",
            "the area",
            "evergy",
            "power company",
            "utility",
            "outage map",
            "vecindario",
            "vecinos",
            "toda la calle",
        ])
    {
        parts.push(say(lang, "faq_utility_outage", &[]));
    }
    // Holidays, nights and weekends: every call is answered; emergencies go out at once.
    if has(&[
        "holiday",
        "thanksgiving",
        "christmas",
        "new year",
        "middle of the night",
        "after hours",
        "dia festivo",
        "navidad",
    ]) {
        parts.push(say(lang, "faq_holidays", &[]));
    }
    if has(&["emergenc"]) && parts.is_empty() {
        parts.push(say(lang, "faq_emergencies", &[]));
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(" "))
    }
}
