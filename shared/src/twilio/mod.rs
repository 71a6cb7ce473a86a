//! Twilio: webhook signatures, webhook forms, TwiML rendering and the REST client.
//!
//! Sources: Twilio "Webhooks security" (X-Twilio-Signature), "TwiML for Programmable
//! Voice" (`<Gather>`, `<Say>`, `<Dial>`), the Messages resource of the REST API.

pub mod form;
pub mod replies;
pub mod rest;
pub mod signature;
pub mod twiml;

pub use form::WebhookForm;

crate::ids::string_id!(
    /// Twilio's id of a call: `CA` and 32 hex digits (Twilio, "Call resource", `sid`).
    CallSid
);

impl CallSid {
    /// Errors: [`crate::ids::IdError`] for anything but `CA` and 32 hex digits.
    pub fn parse(raw: &str) -> Result<Self, crate::ids::IdError> {
        let ok = raw.len() == 34
            && raw.starts_with("CA")
            && raw[2..].bytes().all(|b| b.is_ascii_hexdigit());
        ok.then(|| Self(raw.to_string()))
            .ok_or_else(|| crate::ids::IdError::new("CallSid", raw))
    }
}
pub use rest::{TwilioClient, TwilioCredentials, TwilioError};
pub use signature::{sign, validate};
pub use twiml::{Twiml, Verb};

#[cfg(test)]
mod tests {
    use super::CallSid;
    use crate::phone::E164;

    #[test]
    fn call_sids_and_numbers_are_parsed_once_at_the_edge() {
        let sid = CallSid::parse("CA0123456789abcdef0123456789ABCDEF").unwrap();
        assert!(sid.starts_with("CA"));
        for bad in [
            "",
            "CA123",
            "SM0123456789abcdef0123456789abcdef",
            "CA0123456789abcdef0123456789abcdeg",
        ] {
            assert!(CallSid::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(&*E164::parse("(913) 555-0123").unwrap(), "+19135550123");
        assert!(E164::parse("call me").is_err());
    }
}
