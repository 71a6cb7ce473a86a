//! Twilio request signatures: validation never panics on any URL, parameters or header,
//! accepts what `sign` produced, and rejects the same signature for a changed parameter.
#![no_main]
use frontline::twilio::{sign, validate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (String, String, Vec<(String, String)>, String)| {
    let (token, url, params, header) = input;
    let _ = validate(&token, &url, &params, &header);
    let good = sign(&token, &url, &params);
    assert!(validate(&token, &url, &params, &good));
    if let Some((k, v)) = params.first() {
        let mut changed = params.clone();
        changed[0] = (k.clone(), format!("{v}x"));
        assert!(!validate(&token, &url, &changed, &good));
    }
});
