//! Twilio webhook bodies (`application/x-www-form-urlencoded`): parsing never panics, and
//! what parses re-encodes to a body that parses to the same pairs.
#![no_main]
use frontline::twilio::WebhookForm;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Ok(form) = WebhookForm::parse(body) {
        let again = WebhookForm::parse(form.encode().as_bytes()).expect("re-encoded form parses");
        assert_eq!(form.pairs, again.pairs);
        let _ = form.speech();
        let _ = form.confidence();
    }
});
