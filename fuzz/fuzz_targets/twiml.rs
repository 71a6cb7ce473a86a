//! TwiML rendering: any caller text, URL or number renders to well-formed XML whose only
//! elements are the verbs put in (no injected `<Dial>`, `<Redirect>` or `<Play>`).
#![no_main]
use frontline::twilio::{Twiml, Verb};
use libfuzzer_sys::fuzz_target;
use quick_xml::events::Event;

fuzz_target!(|input: (String, String, String)| {
    let (text, url, number) = input;
    let xml = Twiml::new()
        .push(Verb::Gather {
            action: url.clone(),
            language: "en-US".into(),
            hints: text.clone(),
            prompt: vec![Verb::Say { text: text.clone(), language: "en-US".into() }],
        })
        .push(Verb::Dial { number, caller_id: Some(url.clone()), timeout_s: 20 })
        .push(Verb::Message { text: text.clone() })
        .push(Verb::Redirect { url })
        .push(Verb::Hangup)
        .render();
    let mut r = quick_xml::Reader::from_str(&xml);
    let mut names = Vec::new();
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                for a in e.attributes() {
                    a.expect("well-formed attribute");
                }
                names.push(e.name().as_ref().to_string());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(
        names,
        ["Response", "Gather", "Say", "Dial", "Message", "Redirect", "Hangup"],
        "{xml}"
    );
});
