//! Phone numbers: E.164 normalisation (North American Numbering Plan) and masking for logs.

/// Normalises a North American number to E.164 (`+1NXXNXXXXXX`).
///
/// Accepts `+19135550123`, `19135550123`, `(913) 555-0123`, `913 555 0123`.
/// Returns `None` for anything that is not 10 digits (or 11 starting with 1); other
/// country codes pass through unchanged when they already start with `+`.
pub fn normalize_e164(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let digits: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
    match digits.len() {
        10 => Some(format!("+1{digits}")),
        11 if digits.starts_with('1') => Some(format!("+{digits}")),
        8..=15 if trimmed.starts_with('+') => Some(format!("+{digits}")),
        _ => None,
    }
}

crate::ids::string_id!(
    /// A phone number in E.164 (`+19135550123`), normalised once from what was given
    /// (ITU-T E.164; US numbers may be given as 10 or 11 digits).
    E164
);

impl E164 {
    /// Errors: [`crate::ids::IdError`] when the digits are not a phone number
    /// ([`normalize_e164`]).
    pub fn parse(raw: &str) -> Result<Self, crate::ids::IdError> {
        normalize_e164(raw)
            .map(Self)
            .ok_or_else(|| crate::ids::IdError::new("phone number", raw))
    }
}

/// Masks a phone number for logs: `+19135550123` becomes `+1913***0123`.
pub fn mask(e164: &str) -> String {
    let n = e164.chars().count();
    if n <= 6 {
        return "***".into();
    }
    let head: String = e164.chars().take(5).collect();
    let tail: String = e164.chars().skip(n - 4).collect();
    format!("{head}***{tail}")
}

/// Speaks or prints a NANP number as `913-555-0123`.
pub fn display(e164: &str) -> String {
    let d: String = e164.chars().filter(|c| c.is_ascii_digit()).collect();
    let d = d.strip_prefix('1').unwrap_or(&d);
    if d.len() == 10 {
        format!("{}-{}-{}", &d[0..3], &d[3..6], &d[6..])
    } else {
        e164.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_common_shapes() {
        assert_eq!(
            normalize_e164("(913) 555-0123").as_deref(),
            Some("+19135550123")
        );
        assert_eq!(
            normalize_e164("1 913 555 0123").as_deref(),
            Some("+19135550123")
        );
        assert_eq!(
            normalize_e164("+19135550123").as_deref(),
            Some("+19135550123")
        );
        assert_eq!(normalize_e164("555-0123"), None);
    }

    #[test]
    fn masks_the_middle() {
        assert_eq!(mask("+19135550123"), "+1913***0123");
        assert_eq!(display("+19135550123"), "913-555-0123");
    }
}
