//! Answers to common questions, from the tenant's own profile (hours, area, services,
//! prices, languages). Nothing here is made up: a question with no answer on file gets
//! an offer of a call back instead.

use super::replies::{t, Lang};
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
    match (lang, sat) {
        (Lang::En, Some(s)) => format!("We're open Monday through Friday, {wk}, and Saturday {s}. Emergencies are answered around the clock."),
        (Lang::En, None) => format!("We're open Monday through Friday, {wk}. Emergencies are answered around the clock."),
        (Lang::Es, Some(s)) => format!("Abrimos de lunes a viernes, de {wk}, y los sábados de {s}. Atendemos emergencias a toda hora."),
        (Lang::Es, None) => format!("Abrimos de lunes a viernes, de {wk}. Atendemos emergencias a toda hora."),
    }
}

/// An answer for every topic the question touches, or `None` when nothing on file fits.
pub fn answer(text: &str, tenant: &Tenant, service: ServiceType, lang: Lang) -> Option<String> {
    let n = format!(" {} ", normalize(text));
    let has = |w: &[&str]| w.iter().any(|x| n.contains(&format!(" {x}")));
    let mut parts = Vec::new();
    if has(&["hablan", "espanol", "spanish"]) {
        parts.push(if tenant.spanish {
            "Sí, hablamos español. ¿En qué le puedo ayudar?".to_string()
        } else {
            "Lo siento, solo atendemos en inglés.".to_string()
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
    ]) || tenant
        .service_area
        .iter()
        .any(|c| n.contains(&format!(" {c} ")))
    {
        let asked = tenant
            .service_area
            .iter()
            .find(|c| n.contains(&format!(" {c} ")));
        let list = tenant
            .service_area
            .iter()
            .take(6)
            .map(|c| crate::dialogue::extract::title_words(c))
            .collect::<Vec<_>>()
            .join(", ");
        let unknown_city = asked.is_none() && has(&["service ", "cover"]);
        parts.push(match (asked, lang) {
            (Some(c), Lang::En) => format!(
                "Yes, we serve {}.",
                crate::dialogue::extract::title_words(c)
            ),
            (Some(c), Lang::Es) => format!(
                "Sí, damos servicio en {}.",
                crate::dialogue::extract::title_words(c)
            ),
            (None, Lang::En) if unknown_city => format!(
                "Our service area includes {list}. If you're nearby, we may still be able to help."
            ),
            (None, Lang::En) => format!("We're based in the area and serve {list}."),
            (None, Lang::Es) => format!("Damos servicio en {list}."),
        });
    }
    if has(&[
        "how much", "cost", "price", "charge", "run", "cuanto", "cuesta", "precio",
    ]) {
        if let Some(o) = tenant.offering(service) {
            parts.push(t(
                lang,
                format!("A {} usually runs between ${} and ${}; the technician confirms the price before starting.", o.label, o.price_low, o.price_high),
                format!("Un servicio de {} normalmente cuesta entre {} y {} dólares; el técnico confirma el precio antes de empezar.", o.label, o.price_low, o.price_high),
            ));
        } else {
            parts.push(t(lang, "Prices depend on the job; the technician gives you the price before any work starts.", "El precio depende del trabajo; el técnico le da el precio antes de empezar."));
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
    ]) && service != ServiceType::Other
    {
        let offered = tenant.offering(service).is_some();
        parts.push(match (offered, lang) {
            (true, Lang::En) => format!("Yes, we do {}.", tenant.label(service)),
            (true, Lang::Es) => "Sí, hacemos ese trabajo.".to_string(),
            (false, Lang::En) => format!("That's not something {} usually takes on, but I can have the owner call you to make sure.", tenant.name),
            (false, Lang::Es) => "Normalmente no hacemos ese trabajo, pero el dueño le puede llamar para confirmarlo.".to_string(),
        });
    }
    if has(&["licensed", "insured", "bonded"]) {
        parts.push(t(
            lang,
            format!("Yes, {} is licensed and insured.", tenant.name),
            format!("Sí, {} tiene licencia y seguro.", tenant.name),
        ));
    }
    if has(&["credit card", "cards", "pay", "financing", "tarjeta"]) {
        parts.push(t(lang, "We take cards, checks and cash, and the owner can talk with you about financing on bigger jobs.", "Aceptamos tarjetas, cheques y efectivo."));
    }
    if has(&["emergenc"]) && parts.is_empty() {
        parts.push(t(
            lang,
            "Yes, we answer emergencies 24 hours a day, 7 days a week.",
            "Sí, atendemos emergencias las 24 horas.",
        ));
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(" "))
    }
}
