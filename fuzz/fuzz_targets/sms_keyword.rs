//! SMS keywords (STOP, HELP, START and their variants, Twilio's exact-match semantics):
//! never panics on any body, and white space and punctuation around a body never change
//! what it is.
#![no_main]
use frontline::notify::keywords::{keyword, whole_body};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &str| {
    let k = keyword(body);
    let _ = whole_body(body);
    assert_eq!(k, keyword(&format!("  {body}.! ")), "{body:?}");
});
