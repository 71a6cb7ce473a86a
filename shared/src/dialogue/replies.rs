//! The call's language and small helpers for what the receptionist says (the sentences
//! themselves are in `phrases`).

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

/// First name for a friendly read-back.
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}
