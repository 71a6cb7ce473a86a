//! What Twilio is answered with: voice TwiML for a dialogue reply and the fixed answers
//! (storage down, a call flood, an unrouted number), and messaging TwiML for texts
//! (Twilio "TwiML for Programmable Voice" and "TwiML for Programmable Messaging").

use super::{Twiml, Verb};
use crate::dialogue::Reply;
use crate::notify::Keyword;
use crate::phone;
use crate::tenancy::Tenant;

/// Path of the turn webhook; `seq` in its query names the turn the caller is answering.
pub const TURN_PATH: &str = "/twilio/voice/turn";

/// A dialogue reply as voice TwiML: the lines inside a `<Gather>` that posts turn
/// `next_seq`, or said before a `<Dial>` or `<Hangup>` (and, for a message taken, a
/// voicemail `<Record>` whose callbacks name `shop_number`, the number called).
pub fn voice(reply: &Reply, next_seq: u64, shop_number: &str) -> String {
    let lang = reply.lang.code().to_string();
    let says: Vec<Verb> = reply
        .say
        .iter()
        .map(|t| Verb::Say {
            text: t.clone(),
            language: lang.clone(),
        })
        .collect();
    let mut doc = Twiml::new();
    if reply.gather {
        doc = doc.push(Verb::Gather {
            action: format!("{TURN_PATH}?seq={next_seq}"),
            language: lang,
            hints: String::new(),
            prompt: says,
        });
    } else {
        for s in says {
            doc = doc.push(s);
        }
        if let Some(n) = &reply.dial {
            doc = doc.push(Verb::Dial {
                number: n.clone(),
                caller_id: None,
                timeout_s: 25,
            });
        }
        // Twilio transcribes English only, and the recording's goodbye is English: a
        // Spanish call ends with its message taken as it was said.
        if reply.record && reply.dial.is_none() && reply.lang == crate::dialogue::Lang::En {
            let offer = "If you like, add a voice message after the tone, then hang up.";
            doc = doc
                .push(Verb::Say {
                    text: offer.into(),
                    language: lang.clone(),
                })
                .push(record(shop_number));
        }
        if reply.hangup || reply.dial.is_none() {
            doc = doc.push(Verb::Hangup);
        }
    }
    doc.render()
}

/// What a caller hears when storage cannot be reached: a graceful hand-off to the
/// fallback webhook, which takes a message without DynamoDB (never a Twilio error).
pub fn graceful_fallback() -> String {
    Twiml::new()
        .push(Verb::Say {
            text: "I'm sorry, I'm having trouble with my system right now.".into(),
            language: "en-US".into(),
        })
        .push(Verb::Redirect {
            url: "/twilio/voice/fallback".into(),
        })
        .render()
}

/// Path of the recording and transcription callbacks of a voicemail.
pub const RECORDING_PATH: &str = "/twilio/voice/recording";

/// Longest voicemail, seconds.
pub const VOICEMAIL_MAX_S: u32 = 120;

/// A voicemail for a call to the shop's number `to` (E.164): a prompt, then `<Record>`
/// whose recording and transcription callbacks name the number (Twilio's recording
/// callbacks carry no `To`; the query is covered by the signature). When the caller
/// finishes, Twilio posts to `action` (`/twilio/voice/fallback?recorded=1`).
pub fn voicemail(to: &str) -> String {
    Twiml::new()
        .push(Verb::Say {
            text: "We've got your number, and someone will call you back soon. If this is an emergency such as a gas smell, leave the building and call 911. To leave a message, speak after the tone, then hang up.".into(),
            language: "en-US".into(),
        })
        .push(record(to))
        .push(Verb::Say {
            text: "We didn't get a message, but we have your number and will call you back.".into(),
            language: "en-US".into(),
        })
        .push(Verb::Hangup)
        .render()
}

/// `<Record>` of a voicemail on a call to `to`: when the caller finishes, Twilio posts to
/// `/twilio/voice/fallback?recorded=1` (thanks, goodbye).
fn record(to: &str) -> Verb {
    let to_q = url::form_urlencoded::byte_serialize(to.as_bytes()).collect::<String>();
    Verb::Record {
        action: "/twilio/voice/fallback?recorded=1".into(),
        max_length_s: VOICEMAIL_MAX_S,
        status_callback: format!("{RECORDING_PATH}?to={to_q}"),
        transcribe_callback: format!("{RECORDING_PATH}?to={to_q}&transcription=1"),
    }
}

/// After a voicemail: thanks, and goodbye.
pub fn voicemail_taken() -> String {
    Twiml::new()
        .push(Verb::Say {
            text: "Thanks, we got your message and will call you back.".into(),
            language: "en-US".into(),
        })
        .push(Verb::Hangup)
        .render()
}

/// The answer to a call over the tenant's call limit (a flood): no state is kept, the
/// caller is asked to call back, and pointed at 911 for an emergency.
pub fn too_many_calls(tenant: &Tenant) -> String {
    Twiml::new()
        .push(Verb::Say {
            text: format!(
                "Thanks for calling {}. We're getting more calls than we can answer right now; please call back in a few minutes. If this is an emergency, hang up and call 911.",
                tenant.name
            ),
            language: "en-US".into(),
        })
        .push(Verb::Hangup)
        .render()
}

/// The answer to a call to a number no tenant holds.
pub fn not_in_service() -> String {
    Twiml::new()
        .push(Verb::Say {
            text: "This number is not in service.".into(),
            language: "en-US".into(),
        })
        .push(Verb::Hangup)
        .render()
}

/// The words of a reply as a website chat shows them: as a text, signed off for a chat.
pub fn chat(tenant: &Tenant, reply: &Reply) -> String {
    text(tenant, reply)
        .replace("Thanks for texting", "Thanks for chatting with")
        .replace("Gracias por escribir", "Gracias por escribir a")
}

/// A receptionist's line from the transcript (written for the phone) as the chat shows it.
pub fn written(line: &str) -> String {
    line.replace("Thanks for calling", "Thanks for chatting with")
        .replace("Gracias por llamar", "Gracias por escribir a")
}

/// The words of a reply as one text. A transfer cannot happen by text, so the business's
/// number is offered instead.
pub fn text(tenant: &Tenant, reply: &Reply) -> String {
    // The dialogue's lines are written for the phone; a few sign-offs name the channel.
    let mut t = reply
        .say
        .join(" ")
        .replace("Thanks for calling", "Thanks for texting")
        .replace("Gracias por llamar", "Gracias por escribir");
    if reply.dial.is_some() {
        let line = match reply.lang {
            crate::dialogue::Lang::Es => format!(
                " También puede llamarnos ahora al {}.",
                phone::display(&tenant.phone)
            ),
            crate::dialogue::Lang::En => format!(
                " You can also call us now at {}.",
                phone::display(&tenant.phone)
            ),
        };
        t.push_str(&line);
    }
    t.trim().to_string()
}

/// Messaging TwiML for a reply; an empty reply sends nothing.
pub fn message(text: &str) -> String {
    let mut doc = Twiml::new();
    if !text.is_empty() {
        doc = doc.push(Verb::Message {
            text: text.to_string(),
        });
    }
    doc.render()
}

/// The answer to a keyword (Twilio's defaults, worded for the business).
pub fn keyword_reply(tenant: &Tenant, k: Keyword) -> String {
    let number = phone::display(&tenant.phone);
    match k {
        Keyword::OptOut => format!(
            "{}: you're unsubscribed and will get no more texts from us. Reply START to resubscribe.",
            tenant.name
        ),
        Keyword::OptIn => format!(
            "{}: you're resubscribed. Reply STOP to unsubscribe, HELP for help.",
            tenant.name
        ),
        Keyword::Help => format!(
            "{}: text us what you need, or call {number}. For a plumbing emergency call {number} any time. Reply STOP to unsubscribe.",
            tenant.name
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_escaped_messaging_twiml() {
        let x = message("Tom & Jerry <b>");
        assert!(
            x.contains("<Message>Tom &amp; Jerry &lt;b&gt;</Message>"),
            "{x}"
        );
        assert!(!message("").contains("<Message"));
    }
}
