//! What the receptionist says, in English and Spanish.

use serde::{Deserialize, Serialize};

/// The caller's language; sets `<Say language>` and `<Gather language>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    /// BCP 47 tag for Twilio (`en-US`, `es-MX`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en-US",
            Lang::Es => "es-MX",
        }
    }
}

/// Picks the English or Spanish sentence.
pub fn t(lang: Lang, en: impl Into<String>, es: impl Into<String>) -> String {
    match lang {
        Lang::En => en.into(),
        Lang::Es => es.into(),
    }
}

/// First name for a friendly read-back.
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}
