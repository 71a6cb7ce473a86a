//! SMS keywords with Twilio's exact-match semantics: the whole body, ignoring case,
//! surrounding white space and punctuation. Source: Twilio "Advanced Opt-Out" defaults.

/// A recognised keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    OptOut,
    OptIn,
    Help,
}

/// A body reduced the way Twilio compares keywords: letters and digits only, upper case
/// (" Stop. " → "STOP").
pub fn whole_body(body: &str) -> String {
    body.chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_uppercase()
}

/// The keyword the whole body is, if any.
pub fn keyword(body: &str) -> Option<Keyword> {
    match whole_body(body).as_str() {
        "STOP" | "STOPALL" | "UNSUBSCRIBE" | "CANCEL" | "END" | "QUIT" | "REVOKE" | "OPTOUT" => {
            Some(Keyword::OptOut)
        }
        "START" | "UNSTOP" => Some(Keyword::OptIn),
        "HELP" | "INFO" => Some(Keyword::Help),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_match_semantics() {
        assert_eq!(keyword(" Stop. "), Some(Keyword::OptOut));
        assert_eq!(keyword("stopall"), Some(Keyword::OptOut));
        assert_eq!(keyword("unstop"), Some(Keyword::OptIn));
        assert_eq!(keyword("please stop texting"), None);
        assert_eq!(keyword("help!"), Some(Keyword::Help));
    }
}
