//! People and messages: a transfer to the owner, or a message taken for a call back.

use super::extract::{self};
use super::replies::first_name;
use super::state::*;
use super::step::{clip, Flow, Turn};
use crate::phone;
use crate::triage::{normalize::normalize, Intent, ServiceType, Triage};

impl Turn<'_> {
    /// A person asked for: put through at once when the caller asked to be connected in
    /// so many words ("yes please connect me"), else the choice of a transfer or a message.
    pub(super) fn offer_transfer(&mut self, text: &str) {
        let owner = self.tenant().contacts.owner_name.clone();
        let n = format!(" {} ", normalize(text));
        let put_through = [
            " connect me",
            " put me through",
            " transfer me",
            " comuniqueme",
        ]
        .iter()
        .any(|w| n.contains(w));
        if self.tenant().emergency.transfer_on_request && put_through {
            self.transfer();
        } else if self.tenant().emergency.transfer_on_request {
            let line = self.say("can_try_put_through", &[("owner", &owner)]);
            self.push(line);
            self.s.stage = Stage::TransferOrMessage;
        } else {
            let line = self.say("owner_out_on_job", &[("owner", &owner)]);
            self.push(line);
            self.s.stage = Stage::MessageDetails;
            self.ask_message_details();
        }
    }

    pub(super) fn on_transfer_or_message(&mut self, text: &str, tri: &Triage) -> Flow {
        let n = normalize(text);
        let says_person = [
            "put me through",
            "talk to",
            "speak to",
            "person",
            "someone now",
            "connect",
            "comunique",
        ]
        .iter()
        .any(|w| n.contains(w));
        let wants_message = (n.contains("message") && !n.contains("don't want to leave"))
            || n.contains("mensaje")
            || Self::wants_message(text);
        // "just have him call me" reads as asking for a person; it asks for a call back.
        let wants_person = says_person || (tri.intent == Intent::Human && !wants_message);
        if wants_message && !says_person {
            return self.start_message(text);
        }
        // "sharon lutz": the caller answered with who they are, not with a choice.
        if !wants_person && !self.s.choice_reasked && self.only_a_name(text) {
            self.s.choice_reasked = true;
            let owner = self.tenant().contacts.owner_name.clone();
            let first = self.s.name.as_deref().map(first_name).unwrap_or_default();
            let line = self.say(
                "thanks_firstname_put_through_or_message",
                &[("first_name", first), ("owner", &owner)],
            );
            self.push(line);
            return Ok(());
        }
        self.transfer();
        Ok(())
    }

    /// Whether the caller said only their name (two or three words, all of it the name).
    fn only_a_name(&self, text: &str) -> bool {
        let norm = normalize(text);
        let words = norm.split_whitespace().count();
        // "randy": the owner's name is a choice ("put me through to him").
        let owner = self.tenant().contacts.owner_name.to_lowercase();
        let names_owner = owner
            .split_whitespace()
            .next()
            .is_some_and(|o| norm.split_whitespace().next() == Some(o));
        !names_owner
            && self.s.name.is_some()
            && (1..=3).contains(&words)
            && extract::yes_no(text).is_none()
            && extract::name(text, true).is_some_and(|n| {
                n.split_whitespace().count() == words && extract::name_is_known(&n)
            })
    }

    pub(super) fn transfer(&mut self) {
        if self.s.name.is_none() && self.s.stage != Stage::TransferName {
            let line = self.say("sure_can_get_name", &[]);
            self.push(line);
            self.s.stage = Stage::TransferName;
            return;
        }
        let written = self.s.channel != Channel::Voice;
        let line = match (&self.s.name, written) {
            (Some(n), false) => self.say(
                "thanks_firstname_connecting_now",
                &[("first_name", first_name(n))],
            ),
            (None, false) => self.say("connecting_now", &[]),
            // A written channel cannot put the customer through: its reply offers the
            // shop's number instead (`twilio::replies::text`).
            (Some(n), true) => self.say("thank_firstname", &[("first_name", first_name(n))]),
            (None, true) => self.say("thank", &[]),
        };
        self.push(line);
        self.dial = Some(self.tenant().contacts.owner_cell.clone());
        self.s.outcome = Some(Outcome::Transferred);
        self.s.stage = Stage::Ended;
    }

    pub(super) fn start_message(&mut self, text: &str) -> Flow {
        self.s.message = Some(match self.s.message.take() {
            Some(m) if !m.is_empty() => format!("{m} / {text}"),
            _ => text.to_string(),
        });
        self.s.stage = Stage::MessageDetails;
        self.ask_message_details();
        Ok(())
    }

    pub(super) fn ask_message_details(&mut self) {
        if self.s.name.is_none() {
            let line = self.say("ill_pass_along_message", &[]);
            self.push(line);
            return;
        }
        if self.s.callback_number.is_none() {
            let number = phone::display(&self.s.caller);
            let line = self.say("number_best_number_call", &[("number", &number)]);
            self.push(line);
            return;
        }
        self.finish_message();
    }

    pub(super) fn on_message_details(&mut self, text: &str, tri: &Triage) -> Flow {
        // "oh sorry, wrong number" before a name was given: there is no message to take.
        // ("you have the wrong number on file for me" is a message, not a wrong number).
        let n = format!(" {} ", normalize(text));
        if self.s.name.is_none()
            && (n.contains(" wrong number") || n.contains(" numero equivocado"))
            && extract::phone(text).is_none()
            && ![" on file", " for me", " my number", " number for"]
                .iter()
                .any(|w| n.contains(w))
        {
            self.not_a_lead();
            return Ok(());
        }
        // "Can I talk to Sam about it?" while a message is being taken: put through where
        // the shop allows it.
        if tri.intent == Intent::Human
            && tri.confidence >= 0.8
            && Self::asks_for_person(text)
            && !Self::wants_message(text)
            && self.tenant().emergency.transfer_on_request
        {
            self.transfer();
            return Ok(());
        }
        // A question we can answer, asked before the caller gave a name for the message
        // ("and do you do tankless water heaters?"): answered; the message waits on them.
        if self.s.name.is_none() && tri.intent == Intent::Faq {
            let service = if tri.service != ServiceType::Other {
                tri.service
            } else {
                self.s.service
            };
            if let Some(a) = super::faq::answer(text, self.tenant(), service, self.lang()) {
                self.push(a);
                let more = self.say("there_anything_else_can", &[]);
                self.push(more);
                self.s.outcome.get_or_insert(Outcome::FaqAnswered);
                self.s.stage = Stage::AnythingElse;
                return Ok(());
            }
        }
        if self.s.name.is_some() && self.s.callback_number.is_none() {
            if extract::yes_no(text) == Some(true) {
                self.s.callback_number = Some(self.s.caller.clone());
            } else if extract::phone(text).is_none() {
                self.s.misses += 1;
                if self.s.misses >= 2 {
                    self.s.callback_number = Some(self.s.caller.clone());
                }
            }
        }
        if self.s.name.is_none() {
            self.s.misses += 1;
            if self.s.misses >= 3 {
                self.s.name = Some("Unknown caller".into());
            }
        }
        self.ask_message_details();
        Ok(())
    }

    pub(super) fn finish_message(&mut self) {
        let owner = self.tenant().contacts.owner_name.clone();
        let number = phone::display(self.s.callback_number());
        let name = self.s.name.clone().unwrap_or_default();
        let note = self.s.message.clone().unwrap_or_default();
        self.actions.push(Action::Callback {
            reason: "message".into(),
            note: note.clone(),
        });
        self.alert(
            AlertKind::Message,
            format!("Message from {name} ({number}): \"{}\"", clip(&note, 160)),
        );
        let line = self.say(
            "got_firstname_ill_make",
            &[
                ("first_name", first_name(&name)),
                ("owner", &owner),
                ("number", &number),
            ],
        );
        self.push(line);
        // The message is taken; the caller may still have something to tell (a hazard
        // told late, "oh, and while I have you…"), so they are asked before the goodbye.
        self.s.outcome = Some(Outcome::MessageTaken);
        self.s.stage = Stage::AnythingElse;
    }

    /// The caller asked for a person twice: through to the owner where the shop allows,
    /// else a message with what we have (the number they called from at least).
    pub(super) fn insist_on_person(&mut self) -> Flow {
        if self.tenant().emergency.transfer_on_request {
            if self.s.channel == Channel::Voice {
                let line = self.say("connecting_now", &[]);
                self.push(line);
            }
            self.dial = Some(self.tenant().contacts.owner_cell.clone());
            self.s.outcome = Some(Outcome::Transferred);
            self.s.stage = Stage::Ended;
            return Ok(());
        }
        if self.s.callback_number.is_none() {
            self.s.callback_number = Some(self.s.caller.clone());
        }
        if self.s.name.is_none() {
            self.s.name = Some("Unknown caller".into());
        }
        let m = self.s.message.get_or_insert_with(String::new);
        if m.is_empty() {
            m.push_str("asked for a person");
        }
        self.finish_message();
        Ok(())
    }
}
