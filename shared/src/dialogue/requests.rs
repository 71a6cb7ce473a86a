//! What the caller asked for: a job, a question, a person, a message, or nothing for us.

use super::extract::{self};
use super::faq;
use super::replies::first_name;
use super::state::*;
use super::step::{refers_to_existing, says_any, Flow, Turn};
use crate::triage::{normalize::normalize, Intent, ServiceType, Triage};

impl Turn<'_> {
    pub(super) fn wants_message(text: &str) -> bool {
        let mut n = format!(" {} ", normalize(text));
        // "folks call me mack": a nickname, not a call back asked for.
        for who in [
            "folks",
            "people",
            "everyone",
            "everybody",
            "friends",
            "they",
            "guys",
        ] {
            n = n.replace(&format!(" {who} call me "), " ");
        }
        ([
            " call me back",
            " call me",
            " have him call",
            " have her call",
            " have them call",
            " give me a call",
            " leave a message",
            " take a message",
            " message is fine",
            " message is ok",
            " message is okay",
            " message works",
            " message would be",
            " pass along",
            " pass it along",
            " callback",
            " call back",
            " get back to me",
            " can he call",
            " can she call",
            " devuelva la llamada",
            " que me llame",
            " me llame",
            " me regrese la llamada",
            " me devuelva",
            " dejar un mensaje",
            " dejarle un mensaje",
            " dejar mensaje",
            " dejarle mensaje",
        ]
        .iter()
        .any(|p| n.contains(p))
            || asks_someone_to_call(&n)
            || leaves_a_message(&n))
            && !n.contains(" i'll call back")
    }

    /// The caller's own words ask for a person ("can I talk to Sam", "connect me"), not
    /// just a reading of the intent ("that's me, the owner").
    pub(super) fn asks_for_person(text: &str) -> bool {
        says_any(
            text,
            &[
                " talk",
                " speak",
                " person",
                " human",
                " someone",
                " somebody",
                " transfer",
                " connect",
                " put me through",
                " representative",
                " operator",
                " hablar",
                " persona",
                " comunique",
                " real ",
            ],
        )
    }

    /// Plainly asks to be put through to a person, whatever else the words ask for ("quiero
    /// hablar con una persona, necesito un precio").
    pub(super) fn asks_to_be_put_through(text: &str) -> bool {
        says_any(
            text,
            &[
                " talk to a ",
                " talk to someone",
                " talk to somebody",
                " talk to the owner",
                " talk to whoever",
                " talk with whoever",
                " speak to whoever",
                " speak with whoever",
                " talk with a ",
                " talk with someone",
                " speak to a ",
                " speak to someone",
                " speak to somebody",
                " speak to the owner",
                " speak with a ",
                " speak with someone",
                " real person",
                " live person",
                " a human",
                " representative",
                " operator",
                " transfer me",
                " connect me",
                " put me through",
                " hablar con una persona",
                " hablar con alguien",
                " hablar con el dueno",
                " hablar con un ",
                " persona real",
            ],
        )
    }

    pub(super) fn on_problem(&mut self, text: &str, tri: &Triage, progressed: bool) -> Flow {
        let intent = tri.intent;
        if self.s.intent.is_none() || self.s.intent == Some(Intent::Other) {
            self.s.intent = Some(intent);
        }
        if Self::wants_message(text) {
            return self.start_message(text);
        }
        let has_upcoming = self.s.upcoming.as_ref().is_some_and(|u| !u.is_empty());
        match intent {
            Intent::Human => {
                self.offer_transfer(text);
                Ok(())
            }
            Intent::Cancel | Intent::Reschedule if has_upcoming => self.on_existing(text, tri),
            Intent::Cancel | Intent::Reschedule => {
                let line = self.say("dont_see_an_upcoming", &[]);
                self.push(line);
                self.start_message(text)
            }
            // A caller with a job on file who speaks of it ("I booked a water heater
            // thing for tomorrow and need to move it"), whatever the words were read as.
            Intent::Schedule | Intent::OwnerQuery | Intent::Other
                if has_upcoming && refers_to_existing(text) =>
            {
                self.ask_existing();
                Ok(())
            }
            // Asked for a visit, then gave where ("quiero una cita…", the name, then the
            // address, which alone reads as "do you serve…?"): the booking goes on,
            // whatever the job is called.
            Intent::Other | Intent::Faq
                if progressed
                    && self.s.intent == Some(Intent::Schedule)
                    && self.s.address.is_some()
                    && (intent == Intent::Other || extract::address(text, "KS").is_some()) =>
            {
                self.proceed_booking()
            }
            Intent::Faq => match self.faq_answer(text, tri) {
                // "The furnace smelled like something burning when it came on": a fault
                // told, not asked, with no answer on file: someone goes out.
                None if crate::triage::tells_a_fault(text) => {
                    if self.s.service == ServiceType::Other {
                        self.s.service = tri.service;
                    }
                    self.proceed_booking()
                }
                answer => {
                    self.give_faq_answer(text, answer);
                    Ok(())
                }
            },
            Intent::Other if tri.not_a_lead => {
                let n = normalize(text);
                // "is this the dentist?" is a wrong number; "is this the business owner?"
                // opens a pitch.
                if n.contains("is this") && !n.contains("wrong") && !n.contains("owner") {
                    let (name, trades) = (self.tenant().name.clone(), self.tenant().trades.clone());
                    let line = self.say(
                        "no_youve_reached_name",
                        &[("name", &name), ("trades", &trades)],
                    );
                    self.push(line);
                    self.s.stage = Stage::WrongBusiness;
                } else {
                    self.not_a_lead();
                }
                Ok(())
            }
            Intent::OwnerQuery => self.start_message(text),
            // "A question on my bill": someone for the owner to hear.
            Intent::Other
                if crate::triage::housekeeping(
                    &normalize(text).split_whitespace().collect::<Vec<_>>(),
                ) =>
            {
                self.start_message(text)
            }
            // A long, plain request the receptionist has no flow for ("can someone email
            // me the warranty papers") is no mishearing: it is a message for the owner.
            Intent::Other if !progressed && plain_request(text) => self.start_message(text),
            Intent::Other if !progressed => {
                self.miss();
                Ok(())
            }
            Intent::Other if self.s.service == ServiceType::Other => {
                let line = match &self.s.name {
                    Some(n) => self.say("hi_firstname_how_can", &[("first_name", first_name(n))]),
                    None => self.say("how_can_help_today", &[]),
                };
                self.push(line);
                Ok(())
            }
            _ => self.proceed_booking(),
        }
    }

    fn faq_answer(&self, text: &str, tri: &Triage) -> Option<String> {
        let service = if tri.service != ServiceType::Other {
            tri.service
        } else {
            self.s.service
        };
        faq::answer(text, self.tenant(), service, self.lang())
    }

    pub(super) fn answer_faq(&mut self, text: &str, tri: &Triage) {
        let answer = self.faq_answer(text, tri);
        self.give_faq_answer(text, answer);
    }

    /// Says `answer`, or, with none on file, offers the owner's call back.
    fn give_faq_answer(&mut self, text: &str, answer: Option<String>) {
        match answer {
            Some(a) => {
                self.push(a);
                let more = self.say("there_anything_else_can", &[]);
                self.push(more);
                self.s.outcome.get_or_insert(Outcome::FaqAnswered);
                self.s.stage = Stage::AnythingElse;
            }
            None => {
                let owner = self.tenant().contacts.owner_name.clone();
                let line = self.say("dont_have_answer_in", &[("owner", &owner)]);
                self.push(line);
                self.s.message = Some(text.to_string());
                self.s.stage = Stage::MessageDetails;
                self.ask_message_details();
            }
        }
    }

    pub(super) fn on_anything_else(&mut self, text: &str, tri: &Triage, progressed: bool) -> Flow {
        let n = normalize(text);
        if Self::wants_message(text) {
            return self.start_message(text);
        }
        // "…that's the battery, but I can't get up a ladder at my age": the caller cannot
        // do it themself, so someone goes out.
        if cannot_do_it_themself(&n) {
            self.s.stage = Stage::Problem;
            return self.proceed_booking();
        }
        if tri.intent == Intent::Faq {
            self.answer_faq(text, tri);
            return Ok(());
        }
        if matches!(
            tri.intent,
            Intent::Schedule | Intent::Cancel | Intent::Reschedule | Intent::Human
        ) && tri.confidence >= 0.8
        {
            self.s.stage = Stage::Problem;
            return self.on_problem(text, tri, progressed);
        }
        let done = extract::yes_no(text) == Some(false)
            || [
                "thank",
                "thanks",
                "bye",
                "call back",
                "that's all",
                "that's it",
                "gracias",
                "nada mas",
                "eso es todo",
            ]
            .iter()
            .any(|w| n.contains(w));
        // An address given after an answer ("the battery… but I can't reach it", then the
        // address): the caller wants someone out, so the booking goes on.
        if !done && progressed && self.s.address.is_some() && extract::address(text, "KS").is_some()
        {
            self.s.stage = Stage::Problem;
            return self.proceed_booking();
        }
        if done || extract::yes_no(text).is_none() {
            let bye = self.say(
                "thanks_calling_business_have",
                &[("business", &self.tenant().name)],
            );
            self.push(bye);
            // A message by phone ends on a voicemail, so the owner can hear the caller too.
            self.record = self.s.outcome == Some(Outcome::MessageTaken);
            self.end(Some(Outcome::FaqAnswered));
        } else {
            let line = self.say("sure_what_can_help", &[]);
            self.push(line);
            self.s.stage = Stage::Problem;
        }
        Ok(())
    }

    pub(super) fn not_a_lead(&mut self) {
        let line = self.say("no_problem_thanks_calling", &[]);
        self.push(line);
        self.end(Some(Outcome::NotALead));
    }
}

/// "i can't get up a ladder", "i'm not able to reach it", "no puedo subirme": the caller
/// cannot do the fix an answer described. `n` is normalized text.
fn cannot_do_it_themself(n: &str) -> bool {
    let t: Vec<&str> = n.split_whitespace().collect();
    t.iter().enumerate().any(|(i, w)| {
        let unable = matches!(*w, "can't" | "cannot" | "unable")
            || (*w == "not" && t.get(i + 1) == Some(&"able"))
            || (*w == "puedo" && i > 0 && t[i - 1] == "no");
        unable
            && t[i + 1..].iter().take(4).any(|v| {
                matches!(
                    *v,
                    "ladder"
                        | "climb"
                        | "reach"
                        | "lift"
                        | "subir"
                        | "subirme"
                        | "alcanzar"
                        | "alcanzo"
                )
            })
    })
}

/// "leave randy a message", "give him a message for me", "pass a note along": a message
/// for someone. `n` is normalized text.
fn leaves_a_message(n: &str) -> bool {
    let t: Vec<&str> = n.split_whitespace().collect();
    t.iter().enumerate().any(|(i, w)| {
        matches!(
            *w,
            "leave" | "take" | "give" | "pass" | "relay" | "dejar" | "dejarle"
        ) && t[i + 1..]
            .iter()
            .take(4)
            .any(|v| matches!(*v, "message" | "note" | "mensaje" | "recado"))
    })
}

/// "have sam call this number", "tell the owner to call us", "ask him to give me a
/// call": someone named is to call the caller back. `n` is normalized text.
fn asks_someone_to_call(n: &str) -> bool {
    let t: Vec<&str> = n.split_whitespace().collect();
    let calls = |v: &&str| matches!(*v, "call" | "ring" | "text");
    t.iter().enumerate().any(|(i, w)| {
        let gap = || t[i + 1..].iter().take(4);
        match *w {
            // "tell him to call me", "ask sam to give me a call"
            "tell" | "ask" => gap().any(calls) && !matches!(t.get(i + 1), Some(&"if" | &"how")),
            // "have sam call this number" (not "i have been trying to call")
            "have" | "get" => {
                let named = gap().take_while(|v| !calls(v)).copied().collect::<Vec<_>>();
                named.len() < 3
                    && !named.is_empty()
                    && gap().any(calls)
                    && !named.iter().any(|v| {
                        matches!(
                            *v,
                            "a" | "to" | "you" | "been" | "no" | "trying" | "tried" | "i"
                        )
                    })
            }
            _ => false,
        }
    }) || n.contains(" call this number")
}

/// A long request in plain words ("i need the warranty papers, can someone email them"):
/// twelve words or more with a word of asking in them.
fn plain_request(text: &str) -> bool {
    let n = format!(" {} ", normalize(text));
    n.split_whitespace().count() >= 12
        && [
            " need ",
            " want ",
            " can someone ",
            " could someone ",
            " can somebody ",
            " please ",
            " would like ",
            " i'd like ",
            " looking for ",
            " necesito ",
            " quiero ",
        ]
        .iter()
        .any(|w| n.contains(w))
}
