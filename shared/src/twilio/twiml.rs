//! TwiML rendering with `quick-xml`: every text node and attribute is escaped by the
//! writer, so caller speech can never inject markup. Source: Twilio "TwiML for
//! Programmable Voice" and "TwiML for Programmable Messaging".

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// One TwiML verb.
#[derive(Debug, Clone, PartialEq)]
pub enum Verb {
    /// `<Say voice language>text</Say>`
    Say {
        text: String,
        language: String,
    },
    /// `<Gather input="speech dtmf" numDigits="1" action method="POST" language
    /// speechTimeout="auto">` with prompts inside.
    Gather {
        action: String,
        language: String,
        hints: String,
        prompt: Vec<Verb>,
    },
    /// `<Gather input="dtmf speech" finishOnKey="#" action method="POST">`: a PIN by
    /// keypad (any number of digits, then `#`) or spoken.
    GatherPin {
        action: String,
        prompt: Vec<Verb>,
    },
    /// `<Record action method="POST" maxLength playBeep="true" finishOnKey="#"
    /// recordingStatusCallback transcribe="true" transcribeCallback/>`: a voicemail
    /// (Twilio "TwiML Voice: <Record>").
    Record {
        action: String,
        max_length_s: u32,
        status_callback: String,
        transcribe_callback: String,
    },
    /// `<Dial callerId action timeout>number</Dial>`
    Dial {
        number: String,
        caller_id: Option<String>,
        timeout_s: u32,
    },
    /// `<Redirect method="POST">url</Redirect>`
    Redirect {
        url: String,
    },
    /// `<Message>text</Message>` (messaging TwiML)
    Message {
        text: String,
    },
    Hangup,
}

/// A `<Response>` document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Twiml {
    pub verbs: Vec<Verb>,
}

/// Amazon Polly neural voices Twilio offers, by language.
fn voice_for(language: &str) -> &'static str {
    if language.starts_with("es") {
        "Polly.Lupe-Neural"
    } else {
        "Polly.Joanna-Neural"
    }
}

impl Twiml {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(mut self, verb: Verb) -> Self {
        self.verbs.push(verb);
        self
    }

    /// Renders the XML document (UTF-8, with declaration).
    pub fn render(&self) -> String {
        let mut w = Writer::new(Vec::new());
        let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        let _ = w.write_event(Event::Start(BytesStart::new("Response")));
        for v in &self.verbs {
            write_verb(&mut w, v);
        }
        let _ = w.write_event(Event::End(BytesEnd::new("Response")));
        String::from_utf8(w.into_inner()).unwrap_or_default()
    }
}

fn text_el(w: &mut Writer<Vec<u8>>, name: &str, start: BytesStart<'_>, text: &str) {
    let _ = w.write_event(Event::Start(start));
    let _ = w.write_event(Event::Text(BytesText::new(&clean(text))));
    let _ = w.write_event(Event::End(BytesEnd::new(name)));
}

/// Drops control characters that are not allowed in XML 1.0 at all (escaping cannot help).
fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t' | '\r'))
        .collect()
}

fn write_verb(w: &mut Writer<Vec<u8>>, verb: &Verb) {
    match verb {
        Verb::Say { text, language } => {
            let mut el = BytesStart::new("Say");
            el.push_attribute(("voice", voice_for(language)));
            el.push_attribute(("language", clean(language).as_str()));
            text_el(w, "Say", el, text);
        }
        Verb::Gather {
            action,
            language,
            hints,
            prompt,
        } => {
            let mut el = BytesStart::new("Gather");
            // A bad line can still answer with the keypad (1 yes, 2 no, 0 a person).
            el.push_attribute(("input", "speech dtmf"));
            el.push_attribute(("numDigits", "1"));
            el.push_attribute(("action", clean(action).as_str()));
            el.push_attribute(("method", "POST"));
            el.push_attribute(("language", clean(language).as_str()));
            el.push_attribute(("speechTimeout", "auto"));
            el.push_attribute(("speechModel", "phone_call"));
            el.push_attribute(("actionOnEmptyResult", "true"));
            if !hints.is_empty() {
                el.push_attribute(("hints", clean(hints).as_str()));
            }
            let _ = w.write_event(Event::Start(el));
            for p in prompt {
                write_verb(w, p);
            }
            let _ = w.write_event(Event::End(BytesEnd::new("Gather")));
        }
        Verb::GatherPin { action, prompt } => {
            let mut el = BytesStart::new("Gather");
            el.push_attribute(("input", "dtmf speech"));
            el.push_attribute(("finishOnKey", "#"));
            el.push_attribute(("timeout", "8"));
            el.push_attribute(("action", clean(action).as_str()));
            el.push_attribute(("method", "POST"));
            el.push_attribute(("language", "en-US"));
            el.push_attribute(("speechTimeout", "auto"));
            el.push_attribute(("actionOnEmptyResult", "true"));
            let _ = w.write_event(Event::Start(el));
            for p in prompt {
                write_verb(w, p);
            }
            let _ = w.write_event(Event::End(BytesEnd::new("Gather")));
        }
        Verb::Dial {
            number,
            caller_id,
            timeout_s,
        } => {
            let mut el = BytesStart::new("Dial");
            if let Some(c) = caller_id {
                el.push_attribute(("callerId", clean(c).as_str()));
            }
            el.push_attribute(("timeout", timeout_s.to_string().as_str()));
            text_el(w, "Dial", el, number);
        }
        Verb::Record {
            action,
            max_length_s,
            status_callback,
            transcribe_callback,
        } => {
            let mut el = BytesStart::new("Record");
            el.push_attribute(("action", clean(action).as_str()));
            el.push_attribute(("method", "POST"));
            el.push_attribute(("maxLength", max_length_s.to_string().as_str()));
            el.push_attribute(("playBeep", "true"));
            el.push_attribute(("finishOnKey", "#"));
            el.push_attribute(("recordingStatusCallback", clean(status_callback).as_str()));
            el.push_attribute(("recordingStatusCallbackMethod", "POST"));
            el.push_attribute(("transcribe", "true"));
            el.push_attribute(("transcribeCallback", clean(transcribe_callback).as_str()));
            let _ = w.write_event(Event::Empty(el));
        }
        Verb::Redirect { url } => {
            let mut el = BytesStart::new("Redirect");
            el.push_attribute(("method", "POST"));
            text_el(w, "Redirect", el, url);
        }
        Verb::Message { text } => text_el(w, "Message", BytesStart::new("Message"), text),
        Verb::Hangup => {
            let _ = w.write_event(Event::Empty(BytesStart::new("Hangup")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_caller_text() {
        let t = Twiml::new().push(Verb::Say {
            text: "</Say><Dial>+1900</Dial> & \"x\"".into(),
            language: "en-US".into(),
        });
        let xml = t.render();
        assert!(xml.contains("&lt;/Say&gt;&lt;Dial&gt;"), "{xml}");
        assert!(!xml.contains("<Dial>"));
        assert!(xml.contains("&amp;"));
    }

    #[test]
    fn renders_gather_with_nested_say() {
        let t = Twiml::new().push(Verb::Gather {
            action: "/twilio/voice/turn?seq=1&x=2".into(),
            language: "en-US".into(),
            hints: String::new(),
            prompt: vec![Verb::Say {
                text: "Hi".into(),
                language: "en-US".into(),
            }],
        });
        let xml = t.render();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Gather input=\"speech dtmf\" numDigits=\"1\" action=\"/twilio/voice/turn?seq=1&amp;x=2\""), "{xml}");
        assert!(xml.contains("<Say voice=\"Polly.Joanna-Neural\" language=\"en-US\">Hi</Say></Gather></Response>"), "{xml}");
    }
}
