//! `step`: one turn of the conversation.

use super::extract::{self};
use super::replies::{first_name, Lang};
use super::state::*;
use crate::phone;
use crate::scheduling::{self, Busy};
use crate::tenancy::Tenant;
use crate::triage::{self, normalize::normalize, Intent, ServiceType, Triage};
use chrono::{DateTime, Utc};

/// Everything a step may read besides the state: the tenant, the clock, and the calendar
/// once the handler has loaded it.
pub struct Context<'a> {
    pub tenant: &'a Tenant,
    pub now: DateTime<Utc>,
    /// Busy granules for the range asked for with [`Step::NeedAvailability`].
    pub busy: Option<&'a Busy>,
    /// The LLM assist's reading of this turn, when configured and it answered in time.
    /// Its facts fill gaps the rules leave; it can raise an emergency, never lower one.
    pub assist: Option<&'a crate::assist::Extraction>,
}

/// The result of a turn.
#[derive(Debug, Clone, PartialEq)]
pub struct StepOutput {
    pub state: Conversation,
    pub reply: Reply,
    pub actions: Vec<Action>,
}

/// A finished turn, or a request for data the turn needs (call `step` again with it).
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Done(Box<StepOutput>),
    /// Load the appointments in `[from, to)` into [`Context::busy`].
    NeedAvailability {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    /// Load the caller's upcoming appointments into [`Conversation::upcoming`].
    NeedAppointments,
}

/// Longest caller text kept per turn.
const MAX_TURN_CHARS: usize = 500;

pub(super) struct Turn<'a> {
    pub(super) ctx: &'a Context<'a>,
    pub(super) s: Conversation,
    pub(super) say: Vec<String>,
    pub(super) actions: Vec<Action>,
    pub(super) hangup: bool,
    /// Offer a recorded voicemail after the last words (a message taken by phone).
    pub(super) record: bool,
    pub(super) dial: Option<String>,
    /// This turn's speech named a time (parsed once, in `absorb_facts`).
    pub(super) time_said: bool,
}

pub(super) type Flow = Result<(), Step>;

/// "the second one", "the other time", "la otra": the caller takes the alternative read
/// back beside the held slot.
pub(super) fn picks_alternative(normalized: &str) -> bool {
    let words: Vec<&str> = normalized.split_whitespace().collect();
    let has = |w: &str| words.contains(&w);
    has("second")
        || has("segunda")
        || has("segundo")
        || (has("other") && (has("one") || has("time") || has("slot") || has("that")))
        || normalized.contains("la otra")
        || normalized.contains("el otro")
        || normalized.contains("later one")
}

/// Advances the conversation by one input. Pure: the same state, input and context give
/// the same result.
pub fn step(state: Conversation, input: &Input, ctx: &Context<'_>) -> Step {
    let mut turn = Turn::new(state, ctx);
    let flow = match input {
        Input::Start => {
            turn.greet();
            Ok(())
        }
        Input::Silence => {
            turn.miss();
            Ok(())
        }
        Input::Speech { text, confidence } => turn.speech(text, *confidence),
        Input::Digits(d) => turn.keypad(d),
    };
    if let Err(need) = flow {
        return need;
    }
    turn.finish()
}

/// What a call that ended mid-flow leaves behind, as a dispatcher would count it: a held
/// offer the caller heard and did not turn down is booked (and everyone told); a message
/// whose words we have is taken, from the number they called from; an emergency already
/// alerted is dispatched with what is known. `None` when the call ended with nothing of
/// the sort (the caller's status callback then makes it `abandoned`).
pub fn hang_up(state: Conversation, ctx: &Context<'_>) -> Option<StepOutput> {
    let mut turn = Turn::new(state, ctx);
    if let Some(held) = turn.holding() {
        turn.actions.push(Action::Confirm(held));
        turn.s.announced = true;
    } else if turn.s.outcome.is_some() {
        return None;
    } else if turn.s.emergency && turn.s.alerted {
        let label = turn.tenant().label(turn.s.service);
        let name = turn
            .s
            .name
            .clone()
            .unwrap_or_else(|| "Unknown caller".into());
        let addr = turn
            .s
            .address
            .as_ref()
            .map(super::extract::Address::display)
            .unwrap_or_else(|| "address not given".into());
        let number = phone::display(turn.s.callback_number());
        turn.alert(
            AlertKind::EmergencyDetails,
            format!("EMERGENCY caller hung up ({label}): {name}, {addr}. Call back {number} now."),
        );
        turn.actions.push(Action::SaveCustomer);
        turn.s.outcome = Some(Outcome::EmergencyDispatched);
    } else if turn.s.stage == Stage::MessageDetails
        && turn.s.message.as_deref().is_some_and(|m| !m.is_empty())
    {
        let note = turn.s.message.clone().unwrap_or_default();
        let who = turn.s.name.clone().unwrap_or_else(|| "A caller".into());
        let number = phone::display(turn.s.callback_number());
        turn.actions.push(Action::Callback {
            reason: "message".into(),
            note: note.clone(),
        });
        turn.alert(
            AlertKind::Message,
            format!(
                "Message from {who} ({number}), who hung up before finishing: \"{}\"",
                clip(&note, 160)
            ),
        );
        turn.s.outcome = Some(Outcome::MessageTaken);
    } else {
        return None;
    }
    turn.s.stage = Stage::Ended;
    let out = StepOutput {
        reply: Reply::default(),
        actions: std::mem::take(&mut turn.actions),
        state: turn.s,
    };
    Some(out)
}

/// The turn when every time offered was taken by other callers before it could be
/// written (a burst of concurrent bookings): nothing is booked, the caller's words are
/// kept, and the receptionist asks for another time.
pub fn times_taken(state: Conversation, input: &Input, ctx: &Context<'_>) -> StepOutput {
    let mut turn = Turn::new(state, ctx);
    if let Input::Speech { text, .. } = input {
        let text = extract::redact(&text.chars().take(MAX_TURN_CHARS).collect::<String>());
        turn.s.transcript.push(TurnRecord {
            speaker: "caller".into(),
            text,
            at: ctx.now,
        });
    }
    let line = turn.say("times_just_taken", &[]);
    turn.push(line);
    turn.s.preference = None;
    turn.s.alternative = None;
    turn.s.stage = Stage::Time;
    match turn.finish() {
        Step::Done(out) => *out,
        _ => unreachable!("finish always completes"),
    }
}

impl<'a> Turn<'a> {
    pub(super) fn new(s: Conversation, ctx: &'a Context<'a>) -> Self {
        Turn {
            ctx,
            s,
            say: Vec::new(),
            actions: Vec::new(),
            hangup: false,
            record: false,
            dial: None,
            time_said: false,
        }
    }

    pub(super) fn tenant(&self) -> &Tenant {
        self.ctx.tenant
    }

    pub(super) fn lang(&self) -> Lang {
        self.s.lang
    }

    /// The sentence `key` in the call's language (see `phrases`).
    pub(super) fn say(&self, key: &str, values: &[(&str, &str)]) -> String {
        super::phrases::say(self.lang(), key, values)
    }

    pub(super) fn push(&mut self, line: String) {
        self.say.push(line);
    }

    /// Says `line` just before the last line queued (the question stays last).
    pub(super) fn insert_before_last(&mut self, line: String) {
        let at = self.say.len().saturating_sub(1);
        self.say.insert(at, line);
    }

    pub(super) fn end(&mut self, outcome: Option<Outcome>) {
        if let Some(o) = outcome {
            if self.s.outcome.is_none() || o != Outcome::FaqAnswered {
                self.s.outcome = Some(o);
            }
        }
        self.s.stage = Stage::Ended;
        self.hangup = true;
    }

    pub(super) fn finish(mut self) -> Step {
        let text = self.say.join(" ");
        if !text.is_empty() {
            self.s.transcript.push(TurnRecord {
                speaker: "agent".into(),
                text,
                at: self.ctx.now,
            });
        }
        let reply = Reply {
            say: self.say,
            gather: !self.hangup && self.dial.is_none(),
            dial: self.dial,
            hangup: self.hangup,
            record: self.record && self.hangup && self.s.channel == super::state::Channel::Voice,
            lang: self.s.lang,
        };
        Step::Done(Box::new(StepOutput {
            state: self.s,
            reply,
            actions: self.actions,
        }))
    }

    pub(super) fn greet(&mut self) {
        let name = self.tenant().name.clone();
        let known = self.s.name.clone();
        let line = match known {
            Some(n) => format!("Thanks for calling {name}, {}! This is the virtual receptionist. How can I help you today?", first_name(&n)),
            None => format!("Thanks for calling {name}. This is the virtual receptionist. How can I help you today?"),
        };
        self.push(line);
    }

    pub(super) fn miss(&mut self) {
        self.s.misses += 1;
        if self.s.misses >= 2 {
            self.take_message_fallback();
        } else {
            let again = self.say("sorry_didnt_catch", &[]);
            self.push(again);
            self.reprompt();
        }
    }

    pub(super) fn reprompt(&mut self) {
        let line = match self.s.stage {
            Stage::Name | Stage::TransferName => self.say("could_get_name", &[]),
            Stage::Address => self.say("whats_address_where_need", &[]),
            Stage::Time | Stage::RescheduleTime => self.say("what_day_time_work", &[]),
            Stage::ConfirmBooking => self.say("does_time_work", &[]),
            Stage::EmergencyDetails => self.say("whats_name_address", &[]),
            _ => self.say("how_can_help_today", &[]),
        };
        self.push(line);
    }

    /// Two turns without anything usable: take a message so the owner calls back.
    pub(super) fn take_message_fallback(&mut self) {
        let owner = self.tenant().contacts.owner_name.clone();
        let number = phone::display(self.s.callback_number());
        let line = self.say(
            "sorry_having_trouble_understanding",
            &[("owner", &owner), ("number", &number)],
        );
        self.push(line);
        let note = self
            .s
            .problem
            .clone()
            .unwrap_or_else(|| "caller could not be understood".into());
        self.actions.push(Action::Callback {
            reason: "hand_off".into(),
            note: note.clone(),
        });
        self.alert(
            AlertKind::Message,
            format!(
                "Call back {}: the receptionist could not understand the caller. Said: \"{}\"",
                phone::display(self.s.callback_number()),
                clip(&note, 120)
            ),
        );
        // Nothing learned (no name, no problem, no words for a message): the call is
        // abandoned, with the same callback a hang-up gets, not a message.
        let learned = self.s.name.is_some()
            || self.s.problem.is_some()
            || self.s.message.is_some()
            || self.s.address.is_some();
        self.end(Some(if learned {
            Outcome::MessageTaken
        } else {
            Outcome::Abandoned
        }));
    }

    pub(super) fn alert(&mut self, kind: AlertKind, text: String) {
        self.actions.push(Action::AlertOwner(Alert { kind, text }));
    }

    /// Keys pressed instead of words: 1 is yes, 2 is no, 0 asks for a person; the
    /// transcript keeps the keys.
    pub(super) fn keypad(&mut self, digits: &str) -> Flow {
        let meaning = match digits.chars().next() {
            Some('1') => "yes",
            Some('2') => "no",
            Some('0') => "a person please",
            _ => {
                self.miss();
                return Ok(());
            }
        };
        self.heard(meaning, &format!("(pressed {digits})"), 1.0)
    }

    pub(super) fn speech(&mut self, raw: &str, confidence: f32) -> Flow {
        let text: String = extract::redact(&raw.chars().take(MAX_TURN_CHARS).collect::<String>());
        self.heard(&text, &text, confidence)
    }

    /// One caller turn: `text` is what it means, `said` what the transcript keeps.
    fn heard(&mut self, text: &str, said: &str, confidence: f32) -> Flow {
        let text = text.to_string();
        if self.s.stage == Stage::Ended {
            let bye = self.say(
                "thanks_calling_business_goodbye",
                &[("business", &self.tenant().name)],
            );
            self.push(bye);
            self.hangup = true;
            return Ok(());
        }
        if self.s.known.is_some() && self.s.upcoming.is_none() {
            return Err(Step::NeedAppointments);
        }
        self.s.transcript.push(TurnRecord {
            speaker: "caller".into(),
            text: said.to_string(),
            at: self.ctx.now,
        });
        let mut tri = triage::classify(&text, &self.tenant().emergency.keywords);
        // A customer talking about the job they already have booked reports an emergency
        // only in words the rules read; the model's hunch alone becomes a question.
        if self.s.upcoming.as_ref().is_some_and(|u| !u.is_empty()) && refers_to_existing(&text) {
            tri.doubt_model_alone();
        }
        // An answer to "what's your name / address / what day" gives details; the model's
        // hunch alone (addresses and names are not in the words it learned hazards from)
        // does not make it an emergency. Hazard words the rules read still do.
        // The answer to a hazard's question decides it (the rules still read a new hazard
        // in it: "no, but now it's smoking").
        let answering = self.s.stage == Stage::ClarifyHazard;
        if answering
            || matches!(
                self.s.stage,
                Stage::Name
                    | Stage::Address
                    | Stage::Time
                    | Stage::SpellName
                    | Stage::ConfirmBooking
                    | Stage::RescheduleTime
            )
        {
            // "its her house ninety one twenty east sixty fifth terrace": numbers and a
            // street the model never learned hazards from.
            let just_details = answering
                || extract::address(&text, "KS").is_some_and(|a| {
                    a.street_type.is_some() && normalize(&text).split_whitespace().count() <= 14
                });
            tri.ignore_model_alone(just_details);
        }
        self.raise_with_assist(&mut tri);
        // The owner calling from their own cell asks about their business; only a
        // life-safety hazard they report is an emergency.
        if self.s.caller == self.tenant().contacts.owner_cell && !tri.life_safety {
            tri.emergency = false;
            tri.clarify = None;
            if matches!(tri.intent, Intent::Emergency | Intent::Other | Intent::Faq) {
                tri.intent = Intent::OwnerQuery;
            }
        }
        if tri.spanish && self.tenant().spanish {
            self.s.lang = Lang::Es;
        }
        if confidence < 0.3 && normalize(&text).split_whitespace().count() < 3 {
            self.miss();
            return Ok(());
        }
        let progressed = self.absorb_facts(&text, &tri);
        // "I'll call back": a caller who leaves on their own, with nothing new said, is let
        // go (the call is theirs to make again; the owner sees it as abandoned).
        if !progressed && !self.s.emergency && calls_back_later(&text) && self.s.outcome.is_none() {
            let bye = self.say(
                "thanks_calling_business_goodbye",
                &[("business", &self.tenant().name)],
            );
            self.push(bye);
            self.end(None);
            return Ok(());
        }
        // "Hold on", "one sec": the caller steps away; no question was missed.
        if !progressed && !tri.emergency && steps_away(&text) {
            let line = self.say("take_your_time", &[]);
            self.push(line);
            return Ok(());
        }
        if tri.emergency && !self.s.emergency && !matches!(self.s.stage, Stage::EmergencyNotes) {
            return self.enter_emergency(&text, &tri);
        }
        if self.s.stage == Stage::ClarifyHazard {
            return self.on_clarify_hazard(&text, progressed);
        }
        // A hazard mentioned without a clear "now": one question before the call goes on.
        if let Some(c) = tri.clarify.clone().filter(|c| self.may_ask_hazard(c)) {
            return self.ask_hazard(c, &text);
        }
        // A person asked for a second time: put through where the shop allows, else a
        // message with what we have.
        // "have someone call me back" asks for a call back, not to be put through.
        // A person asked for inside a request ("can I get a real person, I need a price
        // on…") counts too.
        if (tri.intent == Intent::Human || Self::asks_to_be_put_through(&text))
            && !self.s.emergency
            && !Self::wants_message(&text)
        {
            self.s.person_requests += 1;
            if self.s.person_requests >= 2 && self.s.stage != Stage::TransferName {
                return self.insist_on_person();
            }
        }
        match self.s.stage {
            Stage::Problem => self.on_problem(&text, &tri, progressed),
            Stage::Name | Stage::Address | Stage::Time => self.on_details(&text, &tri, progressed),
            Stage::ConfirmBooking => self.on_confirm(&text, &tri),
            Stage::ConfirmAlternative => self.on_alternative(&text),
            Stage::ClarifyTime => self.on_clarify_time(&text),
            Stage::ClarifyHazard => self.on_clarify_hazard(&text, progressed),
            Stage::SpellName => self.on_spelling(&text, &tri, progressed),
            Stage::EmergencySafety | Stage::EmergencyDetails => {
                self.on_emergency_details(progressed)
            }
            Stage::EmergencyNotes => {
                let line = self.say("thank_ive_passed_on", &[]);
                self.push(line);
                self.s.message = Some(text);
                self.end(None);
                Ok(())
            }
            Stage::ExistingAppointment => self.on_existing(&text, &tri),
            Stage::RescheduleTime => self.on_reschedule_time(&text),
            Stage::AfterCancel => self.on_after_cancel(),
            Stage::TransferOrMessage => self.on_transfer_or_message(&text, &tri),
            Stage::TransferName => {
                self.transfer();
                Ok(())
            }
            Stage::MessageDetails => self.on_message_details(&text, &tri),
            Stage::AnythingElse => self.on_anything_else(&text, &tri, progressed),
            Stage::WrongBusiness => {
                if tri.intent == Intent::Other
                    || extract::yes_no(&text) == Some(false)
                    || normalize(&text).contains("sorry")
                {
                    self.not_a_lead();
                    Ok(())
                } else {
                    self.s.stage = Stage::Problem;
                    self.on_problem(&text, &tri, progressed)
                }
            }
            Stage::Ended => Ok(()),
        }
    }

    /// Whether to ask `c`'s question now: not during an emergency, a message or the end,
    /// once per hazard, and the model's general question only about the problem itself.
    fn may_ask_hazard(&self, c: &triage::Clarify) -> bool {
        !self.s.emergency
            && !self.s.asked_hazards.contains(&c.code)
            && !matches!(
                self.s.stage,
                Stage::EmergencySafety
                    | Stage::EmergencyDetails
                    | Stage::EmergencyNotes
                    | Stage::MessageDetails
                    | Stage::TransferName
                    | Stage::Ended
                    | Stage::SpellName
            )
            && (c.code != "model" || matches!(self.s.stage, Stage::Problem | Stage::AnythingElse))
    }

    /// Says the stage's question again (a flow for callers that return one).
    pub(super) fn reprompt_flow(&mut self) -> Flow {
        self.reprompt();
        Ok(())
    }

    /// The assist may see an emergency the rules missed; it never clears one they found.
    pub(super) fn raise_with_assist(&self, tri: &mut Triage) {
        let Some(x) = self.ctx.assist.filter(|x| x.emergency) else {
            return;
        };
        if tri.emergency {
            return;
        }
        tri.emergency = true;
        tri.intent = Intent::Emergency;
        tri.confidence = tri.confidence.max(0.7);
        tri.reasons.push(triage::Reason {
            code: "assist_emergency".into(),
            evidence: x
                .problem
                .clone()
                .unwrap_or_else(|| "model judgement".into()),
        });
        if tri.service == ServiceType::Other {
            if let Some(p) = &x.problem {
                tri.service = triage::classify(p, &[]).service;
            }
        }
    }

    /// Takes every fact the utterance offers; true when something new was learned.
    pub(super) fn absorb_facts(&mut self, text: &str, tri: &Triage) -> bool {
        let mut learned = false;
        if let Some(p) = extract::phone(text) {
            self.s.callback_number = Some(p);
            learned = true;
        }
        let state_default = "KS";
        match (
            extract::address(text, state_default),
            self.s.address.as_mut(),
        ) {
            // A number and a word or two with no street type and no known city ("three
            // thirty works") is a weak reading: it may start an address, never replace one.
            (Some(a), Some(_)) if a.street_type.is_none() && a.city.is_none() => {}
            (Some(mut a), existing) => {
                extract::correct_address(&mut a, text);
                // The same house said again without its city or unit (a customer on
                // file restating it), or the same street with the number put right
                // ("sorry, I flipped it, 7481 roe"): what was known stays.
                if let Some(old) = existing.filter(|o| o.street == a.street) {
                    a.city = a.city.or(old.city.clone());
                    a.state = a.state.or(old.state.clone());
                    a.direction = a.direction.or(old.direction.clone());
                    if a.unit.is_none() && old.number == a.number {
                        a.unit = old.unit.clone();
                        a.unit_kind = old.unit_kind.clone();
                    }
                }
                self.s.address = Some(a);
                learned = true;
            }
            (None, Some(existing)) if extract::is_correction(text) => {
                learned |= extract::correct_address(existing, text);
            }
            // "oh and it's unit b", after the address was taken.
            (None, Some(existing)) => learned |= extract::late_unit(existing, text),
            _ => {}
        }
        // A short answer to the hazard question may be the name the caller expected to be
        // asked for next ("marcus bell"); only a name we know is taken from it.
        // Spelled letters are not words of the answer ("trevor oyelaran o y e l a r a n").
        let answering_hazard = self.s.stage == Stage::ClarifyHazard
            && extract::yes_no(text).is_none()
            && normalize(text)
                .split_whitespace()
                .filter(|w| w.chars().count() > 1)
                .count()
                <= 4;
        let expecting = (matches!(
            self.s.stage,
            Stage::Name
                | Stage::TransferName
                | Stage::EmergencySafety
                | Stage::EmergencyDetails
                | Stage::MessageDetails
        ) || answering_hazard)
            && (self.s.name.is_none() || extract::is_correction(text));
        if self.s.name.is_none() || extract::is_correction(text) || expecting {
            let n = extract::name(text, expecting).filter(|n| {
                !answering_hazard || extract::name_is_known(n) || extract::spells_part_of(text, n)
            });
            if let Some(n) = n {
                if self.s.name.is_none() || expecting {
                    self.s.name = Some(n);
                    learned = true;
                }
            }
        }
        // "it's bryan with a y, b r y a n": one word of the name respelled.
        if let Some(n) = self.s.name.as_deref().and_then(|known| {
            let asked = matches!(
                self.s.stage,
                Stage::Name | Stage::SpellName | Stage::TransferName
            );
            extract::respelled_name(known, text, asked)
        }) {
            self.s.name = Some(n);
            learned = true;
        }
        // "ingrid", then "oh, last name haaland": the name completed.
        if let Some(last) = extract::late_last_name(text) {
            if let Some(known) = self.s.name.clone().filter(|k| !k.contains(' ')) {
                self.s.name = Some(format!("{known} {last}"));
                learned = true;
            }
        }
        // "its kohler 3321" taken as a name, then "my name is rosa imani": the caller's own
        // introduction wins.
        if !expecting && self.s.name.is_some() {
            if let Some(n) =
                extract::introduced_name(text).filter(|n| Some(n) != self.s.name.as_ref())
            {
                self.s.name = Some(n);
                learned = true;
            }
        }
        // A full name we know, said on its own when another question was asked
        // ("margaret ellison" after "what's going on?").
        // A name is at most three words, so only a two- or three-word answer is read.
        let words = normalize(text).split_whitespace().count();
        if self.s.name.is_none() && !expecting && (2..=3).contains(&words) {
            if let Some(n) = extract::name(text, true)
                .filter(|n| n.split_whitespace().count() == words && extract::name_is_known(n))
            {
                self.s.name = Some(n);
                learned = true;
            }
        }
        // "this is kelly from state farm", then "kelly marsh" when asked: the full name.
        let asking = matches!(
            self.s.stage,
            Stage::Name | Stage::TransferName | Stage::EmergencyDetails | Stage::MessageDetails
        );
        if let (true, Some(known)) = (asking, self.s.name.clone()) {
            if !known.contains(' ') {
                if let Some(full) =
                    extract::name(text, true).filter(|n| extends_first_name(&known, n))
                {
                    self.s.name = Some(full);
                    learned = true;
                }
            }
        }
        // "its marcy", then at the next question "oh you need the whole thing, marcy
        // kettering": the first name said again with the surname completes it, whatever
        // was asked (never inside an address: "1200 dale street").
        if let Some(known) = self.s.name.clone().filter(|k| !k.contains(' ')) {
            let norm = normalize(text);
            let tokens: Vec<&str> = norm.split_whitespace().collect();
            let no_digits = !norm.chars().any(|c| c.is_ascii_digit());
            // "it's jo", then "oh, full name, joanna fitzpatrick": a given name the short
            // one begins counts too.
            let lower = known.to_lowercase();
            if let Some(p) = tokens
                .iter()
                .position(|w| {
                    *w == lower
                        || lower.len() >= 2
                            && w.len() > lower.len()
                            && w.starts_with(&lower)
                            && extract::is_given_name(w)
                })
                .filter(|_| no_digits && extract::address(text, "KS").is_none())
            {
                if let Some(full) = extract::name(&tokens[p..].join(" "), true)
                    .filter(|n| extends_first_name(&known, n))
                {
                    self.s.name = Some(full);
                    learned = true;
                }
            }
        }
        learned |= self.absorb_assist(expecting);
        if tri.service != ServiceType::Other
            && (self.s.service.is_generic() || (tri.emergency && !self.s.emergency))
        {
            self.s.service = tri.service;
            learned = true;
        }
        if self.s.problem.is_none()
            && (tri.service != ServiceType::Other
                || tri.intent == Intent::Schedule && triage::names_equipment(text))
        {
            self.s.problem = Some(text.to_string());
        }
        if !tri.emergency && self.s.intent.is_none() {
            self.s.confidence = tri.confidence;
        }
        if !self.s.emergency
            && !matches!(
                self.s.stage,
                Stage::EmergencySafety | Stage::EmergencyDetails | Stage::EmergencyNotes
            )
        {
            let n = normalize(text);
            let conditional = n.contains(" if ")
                && (n.contains("full") || n.contains("booked") || n.contains("taken"));
            let today = self.tenant().local_date(self.ctx.now);
            let said = scheduling::parse_preference(text, today).or_else(|| {
                let hint = self.ctx.assist?.time.as_deref()?;
                scheduling::parse_preference(hint, today)
            });
            if let (false, Some(p)) = (conditional, said) {
                self.s.preference = Some(match &self.s.preference {
                    Some(old) => old.refine_with(&p),
                    None => p,
                });
                learned = true;
                self.time_said = true;
            }
        }
        if learned {
            self.s.misses = 0;
        }
        learned
    }

    /// Fills what the rules could not read from the assist's facts, each checked by the same
    /// extractors (a hint that does not parse as an address or a name is dropped).
    pub(super) fn absorb_assist(&mut self, expecting_name: bool) -> bool {
        let Some(x) = self.ctx.assist else {
            return false;
        };
        let mut learned = false;
        if self.s.address.is_none() {
            if let Some(a) = x.address.as_deref().and_then(|a| extract::address(a, "KS")) {
                self.s.address = Some(a);
                learned = true;
            }
        }
        if self.s.name.is_none() && expecting_name {
            if let Some(n) = x.name.as_deref().and_then(|n| extract::name(n, true)) {
                self.s.name = Some(n);
                learned = true;
            }
        }
        if self.s.problem.is_none() {
            if let Some(p) = &x.problem {
                self.s.problem = Some(p.clone());
            }
        }
        learned
    }
}

/// "your tech is due here friday", "my appointment": the caller means a job on file.
pub(super) fn refers_to_existing(text: &str) -> bool {
    let n = normalize(text);
    triage::existing_booking(&n.split_whitespace().collect::<Vec<_>>())
        || says_any(
            text,
            &[
                " coming out",
                " my appointment",
                " our appointment",
                " scheduled for",
                " booked for",
                " you're coming",
                " coming tomorrow",
                " mi cita",
                " the appointment",
                " somebody coming",
                " someone coming",
                " man coming",
                " guy coming",
                " tech coming",
                " technician coming",
                " coming out on",
                " i booked",
                " we booked",
                " i scheduled",
                " we scheduled",
                " move it",
                " push it",
                " push back",
                " bump it",
                " the follow up",
                " reschedule",
                " postpone",
            ],
        )
}

/// Whether `full` is the first name `known` with more after it ("Dale" → "Dale Whitcomb"),
/// or a given name it shortens ("Jo" → "Joanna Fitzpatrick").
fn extends_first_name(known: &str, full: &str) -> bool {
    let known = known.to_lowercase();
    full.split_whitespace().count() > 1
        && full.split_whitespace().next().is_some_and(|f| {
            let f = f.to_lowercase();
            f == known || f.starts_with(&known) && extract::is_given_name(&f)
        })
}

/// "I'll call back later", "te llamo después": the caller means to end the call.
fn calls_back_later(text: &str) -> bool {
    says_any(
        text,
        &[
            " i'll call back",
            " ill call back",
            " gotta call you back",
            " have to call you back",
            " call you right back",
            " i'll call you back",
            " ill call you back",
            " i'll try again",
            " call back later",
            " think about it and call",
            " think it over and call",
            " i'll call later",
            " llamo despues",
            " llamo mas tarde",
            " vuelvo a llamar",
        ],
    )
}

/// "hold on", "one sec", "espere": the caller is busy for a moment.
fn steps_away(text: &str) -> bool {
    says_any(
        text,
        &[
            " hold on",
            " hang on",
            " one sec",
            " one second",
            " just a sec",
            " just a second",
            " give me a sec",
            " bear with me",
            " espere",
            " un momento",
            " un segundito",
        ],
    )
}

/// Whether any of `phrases` (each with a leading space, in normalized form) is said in
/// `text`, word-aligned at its start.
pub(super) fn says_any(text: &str, phrases: &[&str]) -> bool {
    let n = format!(" {} ", normalize(text));
    phrases.iter().any(|p| n.contains(p))
}

pub(super) fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}
