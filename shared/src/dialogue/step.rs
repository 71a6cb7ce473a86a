//! `step`: one turn of the conversation.

use super::extract::{self, Address};
use super::faq;
use super::replies::{first_name, t, Lang};
use super::state::*;
use crate::phone;
use crate::scheduling::{self, find_slots, speak_slot, speak_slot_es, Busy, Slot, TimePreference};
use crate::tenancy::Tenant;
use crate::triage::{self, normalize::normalize, Intent, SafetyAdvice, ServiceType, Triage};
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::borrow::Cow;

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
    pub state: CallState,
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
    /// Load the caller's upcoming appointments into [`CallState::upcoming`].
    NeedAppointments,
}

/// Longest caller text kept per turn.
const MAX_TURN_CHARS: usize = 500;

struct Turn<'a> {
    ctx: &'a Context<'a>,
    s: CallState,
    say: Vec<String>,
    actions: Vec<Action>,
    hangup: bool,
    dial: Option<String>,
    /// This turn's speech named a time (parsed once, in `absorb_facts`).
    time_said: bool,
}

type Flow = Result<(), Step>;

/// "the second one", "the other time", "la otra": the caller takes the alternative read
/// back beside the held slot.
fn picks_alternative(normalized: &str) -> bool {
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
pub fn step(state: CallState, input: &Input, ctx: &Context<'_>) -> Step {
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
    };
    if let Err(need) = flow {
        return need;
    }
    turn.finish()
}

/// The turn when every time offered was taken by other callers before it could be
/// written (a burst of concurrent bookings): nothing is booked, the caller's words are
/// kept, and the receptionist asks for another time.
pub fn times_taken(state: CallState, input: &Input, ctx: &Context<'_>) -> StepOutput {
    let mut turn = Turn::new(state, ctx);
    if let Input::Speech { text, .. } = input {
        let text = extract::redact(&text.chars().take(MAX_TURN_CHARS).collect::<String>());
        turn.s.transcript.push(TurnRecord {
            speaker: "caller".into(),
            text,
            at: ctx.now,
        });
    }
    let line = turn.tr(
        "I'm sorry, the times I had were just taken by other callers. What other day and time would work for you?",
        "Lo siento, esos horarios se acaban de ocupar. ¿Qué otro día y hora le funciona?",
    );
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
    fn new(s: CallState, ctx: &'a Context<'a>) -> Self {
        Turn {
            ctx,
            s,
            say: Vec::new(),
            actions: Vec::new(),
            hangup: false,
            dial: None,
            time_said: false,
        }
    }

    fn tenant(&self) -> &Tenant {
        self.ctx.tenant
    }

    fn lang(&self) -> Lang {
        self.s.lang
    }

    fn tr(&self, en: impl Into<String>, es: impl Into<String>) -> String {
        t(self.lang(), en, es)
    }

    fn push(&mut self, line: String) {
        self.say.push(line);
    }

    /// Says `line` just before the last line queued (the question stays last).
    fn insert_before_last(&mut self, line: String) {
        let at = self.say.len().saturating_sub(1);
        self.say.insert(at, line);
    }

    fn end(&mut self, outcome: Option<Outcome>) {
        if let Some(o) = outcome {
            if self.s.outcome.is_none() || o != Outcome::FaqAnswered {
                self.s.outcome = Some(o);
            }
        }
        self.s.stage = Stage::Ended;
        self.hangup = true;
    }

    fn finish(mut self) -> Step {
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
            lang: self.s.lang,
        };
        Step::Done(Box::new(StepOutput {
            state: self.s,
            reply,
            actions: self.actions,
        }))
    }

    fn greet(&mut self) {
        let name = self.tenant().name.clone();
        let known = self.s.name.clone();
        let line = match known {
            Some(n) => format!("Thanks for calling {name}, {}! This is the virtual receptionist. How can I help you today?", first_name(&n)),
            None => format!("Thanks for calling {name}. This is the virtual receptionist. How can I help you today?"),
        };
        self.push(line);
    }

    fn miss(&mut self) {
        self.s.misses += 1;
        if self.s.misses >= 2 {
            self.take_message_fallback();
        } else {
            let again = self.tr("Sorry, I didn't catch that.", "Perdón, no le entendí.");
            self.push(again);
            self.reprompt();
        }
    }

    fn reprompt(&mut self) {
        let line = match self.s.stage {
            Stage::Name | Stage::TransferName => {
                self.tr("Could I get your name?", "¿Me puede dar su nombre?")
            }
            Stage::Address => self.tr(
                "What's the address where you need the work done?",
                "¿Cuál es la dirección?",
            ),
            Stage::Time | Stage::RescheduleTime => self.tr(
                "What day and time work best for you?",
                "¿Qué día y hora le conviene?",
            ),
            Stage::ConfirmBooking => {
                self.tr("Does that time work for you?", "¿Le funciona esa hora?")
            }
            Stage::EmergencyDetails => self.tr(
                "What's your name and the address?",
                "¿Cuál es su nombre y la dirección?",
            ),
            _ => self.tr("How can I help you today?", "¿En qué le puedo ayudar?"),
        };
        self.push(line);
    }

    /// Two turns without anything usable: take a message so the owner calls back.
    fn take_message_fallback(&mut self) {
        let owner = self.tenant().contacts.owner_name.clone();
        let number = phone::display(self.s.callback());
        let line = self.tr(
            format!("I'm sorry, I'm having trouble understanding. I'll have {owner} call you back at {number} as soon as possible. Goodbye."),
            format!("Lo siento, no le entiendo bien. {owner} le devolverá la llamada al {number}. Adiós."),
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
                phone::display(self.s.callback()),
                clip(&note, 120)
            ),
        );
        self.end(Some(Outcome::MessageTaken));
    }

    fn alert(&mut self, kind: AlertKind, text: String) {
        self.actions.push(Action::AlertOwner(Alert { kind, text }));
    }

    fn speech(&mut self, raw: &str, confidence: f32) -> Flow {
        let text: String = extract::redact(&raw.chars().take(MAX_TURN_CHARS).collect::<String>());
        if self.s.stage == Stage::Ended {
            let bye = self.tr(
                format!("Thanks for calling {}. Goodbye.", self.tenant().name),
                format!("Gracias por llamar a {}. Adiós.", self.tenant().name),
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
            text: text.clone(),
            at: self.ctx.now,
        });
        let mut tri = triage::classify(&text, &self.tenant().emergency.keywords);
        self.raise_with_assist(&mut tri);
        if tri.spanish && self.tenant().spanish {
            self.s.lang = Lang::Es;
        }
        if confidence < 0.3 && normalize(&text).split_whitespace().count() < 3 {
            self.miss();
            return Ok(());
        }
        let progressed = self.absorb_facts(&text, &tri);
        if tri.emergency && !self.s.emergency && !matches!(self.s.stage, Stage::EmergencyNotes) {
            return self.enter_emergency(&text, &tri);
        }
        match self.s.stage {
            Stage::Problem => self.on_problem(&text, &tri, progressed),
            Stage::Name | Stage::Address | Stage::Time => self.on_details(&text, &tri, progressed),
            Stage::ConfirmBooking => self.on_confirm(&text, &tri),
            Stage::ConfirmAlternative => self.on_alternative(&text),
            Stage::ClarifyTime => self.on_clarify_time(&text),
            Stage::EmergencySafety | Stage::EmergencyDetails => self.on_emergency_details(),
            Stage::EmergencyNotes => {
                let line = self.tr(
                    "Thank you, I've passed that on. Help is on the way. Goodbye.",
                    "Gracias, ya lo comuniqué. La ayuda va en camino. Adiós.",
                );
                self.push(line);
                self.s.message = Some(text);
                self.end(None);
                Ok(())
            }
            Stage::ExistingAppointment => self.on_existing(&text, &tri),
            Stage::RescheduleTime => self.on_reschedule_time(),
            Stage::AfterCancel => self.on_after_cancel(),
            Stage::TransferOrMessage => self.on_transfer_or_message(&text, &tri),
            Stage::TransferName => {
                self.transfer();
                Ok(())
            }
            Stage::MessageDetails => self.on_message_details(&text),
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

    /// The assist may see an emergency the rules missed; it never clears one they found.
    fn raise_with_assist(&self, tri: &mut Triage) {
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
    fn absorb_facts(&mut self, text: &str, tri: &Triage) -> bool {
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
            (Some(mut a), _) => {
                extract::correct_address(&mut a, text);
                self.s.address = Some(a);
                learned = true;
            }
            (None, Some(existing)) if extract::is_correction(text) => {
                learned |= extract::correct_address(existing, text);
            }
            _ => {}
        }
        let expecting = matches!(
            self.s.stage,
            Stage::Name | Stage::TransferName | Stage::EmergencyDetails | Stage::MessageDetails
        ) && (self.s.name.is_none() || extract::is_correction(text));
        if self.s.name.is_none() || extract::is_correction(text) || expecting {
            if let Some(n) = extract::name(text, expecting) {
                if self.s.name.is_none() || expecting {
                    self.s.name = Some(n);
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
        if self.s.problem.is_none() && tri.service != ServiceType::Other {
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
    fn absorb_assist(&mut self, expecting_name: bool) -> bool {
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

    fn enter_emergency(&mut self, text: &str, tri: &Triage) -> Flow {
        self.s.emergency = true;
        self.s.life_safety = tri.life_safety;
        self.s.safety = tri.safety;
        self.s.intent = Some(Intent::Emergency);
        self.s.confidence = tri.confidence;
        self.s.reasons.extend(tri.reasons.iter().cloned());
        self.s.problem = Some(text.to_string());
        // Scheduling talk from before the emergency no longer applies.
        self.s.preference = None;
        let label = self.tenant().label(self.s.service);
        let caller = phone::display(self.s.callback());
        self.alert(AlertKind::Emergency, format!("EMERGENCY ({label}): caller {caller} says \"{}\". Getting their address now; call them back.", clip(text, 140)));
        self.s.alerted = true;
        let advice = self.safety_words(tri.safety);
        if let Some(a) = advice {
            self.push(a);
        }
        match tri.safety {
            Some(SafetyAdvice::LeaveAndCallGasCompany | SafetyAdvice::LeaveAndCall911) => {
                let line = self.tr("I'm alerting our on-call technician right now. Tell me when you're safely outside.", "Estoy avisando al técnico de guardia ahora mismo. Dígame cuando esté afuera.");
                self.push(line);
                self.s.stage = Stage::EmergencySafety;
            }
            _ => {
                let line = self.tr(
                    "I'm alerting our on-call technician right now.",
                    "Estoy avisando al técnico de guardia ahora mismo.",
                );
                self.push(line);
                self.s.stage = Stage::EmergencyDetails;
                self.ask_emergency_details();
            }
        }
        Ok(())
    }

    fn safety_words(&self, advice: Option<SafetyAdvice>) -> Option<String> {
        Some(match advice? {
            SafetyAdvice::LeaveAndCallGasCompany => self.tr(
                "This is important: please get everyone out of the house now. Don't flip any switches or light anything. Once you're outside, call the gas company or 911.",
                "Esto es importante: salgan todos de la casa ahora. No prendan ni apaguen nada. Ya afuera, llamen a la compañía de gas o al 911.",
            ),
            SafetyAdvice::LeaveAndCall911 => self.tr(
                "Please get everyone out of the house into fresh air right now, and call 911 if anyone feels sick, dizzy or has a headache.",
                "Salgan todos de la casa al aire libre ahora mismo, y llamen al 911 si alguien se siente mal, mareado o con dolor de cabeza.",
            ),
            SafetyAdvice::StayAwayCallUtility => self.tr(
                "Please stay well away from that line and keep everyone back, and call the power company or 911 right away.",
                "Aléjense de ese cable y llamen a la compañía de luz o al 911 de inmediato.",
            ),
            SafetyAdvice::FireRisk => self.tr(
                "If you see flames or smoke, get everyone out and call 911. If it's safe, turn off the breaker for that circuit.",
                "Si ve llamas o humo, salgan todos y llamen al 911. Si es seguro, apague el interruptor de ese circuito.",
            ),
            SafetyAdvice::WaterNearElectrics => self.tr(
                "Please stay out of the water, since there may be electricity near it. If you can reach it safely, shut off the main water valve.",
                "No se metan al agua, puede haber electricidad cerca. Si puede hacerlo con seguridad, cierre la llave principal del agua.",
            ),
            SafetyAdvice::ElectricShock => self.tr(
                "Please don't touch it again, and keep everyone away from it. If you can reach the main breaker safely, turn it off.",
                "Por favor no lo vuelva a tocar y mantenga a todos lejos. Si puede llegar al interruptor principal con seguridad, apáguelo.",
            ),
            SafetyAdvice::ShutOffWater => self.tr(
                "If you can, shut off the main water valve; it's usually where the water line comes into the house or near the water heater.",
                "Si puede, cierre la llave principal del agua; suele estar donde entra la tubería a la casa o cerca del calentador.",
            ),
        })
    }

    fn ask_emergency_details(&mut self) {
        let line = match (self.s.name.is_some(), self.s.address.is_some()) {
            (false, false) => self.tr(
                "What's your name and the address where you need help?",
                "¿Cuál es su nombre y la dirección donde necesita ayuda?",
            ),
            (true, false) => self.tr(
                "What's the address where you need help?",
                "¿Cuál es la dirección donde necesita ayuda?",
            ),
            (false, true) => self.tr("And what's your name?", "¿Y su nombre?"),
            (true, true) => return self.dispatch(),
        };
        self.push(line);
    }

    fn on_emergency_details(&mut self) -> Flow {
        if self.s.stage == Stage::EmergencySafety {
            self.s.stage = Stage::EmergencyDetails;
            if self.s.name.is_none() || self.s.address.is_none() {
                let good = self.tr("Good. Please stay outside.", "Bien. Quédense afuera.");
                self.push(good);
            }
            self.ask_emergency_details();
            return Ok(());
        }
        self.s.misses += 1;
        if self.s.address.is_some() && self.s.name.is_some() || self.s.misses >= 3 {
            self.dispatch();
        } else {
            if self.s.safety == Some(SafetyAdvice::ShutOffWater) && self.s.misses == 1 {
                let tip = self.tr(
                    "That's okay. The technician can talk you through it when they call.",
                    "Está bien. El técnico le puede ayudar cuando le llame.",
                );
                self.push(tip);
            }
            self.ask_emergency_details();
        }
        Ok(())
    }

    fn dispatch(&mut self) {
        if self.s.outcome == Some(Outcome::EmergencyDispatched) {
            return;
        }
        self.s.misses = 0;
        let owner = self.tenant().contacts.owner_name.clone();
        let number = phone::display(self.s.callback());
        let name = self
            .s
            .name
            .clone()
            .unwrap_or_else(|| "Unknown caller".into());
        let addr = self
            .s
            .address
            .as_ref()
            .map(Address::display)
            .unwrap_or_else(|| "address not given".into());
        let label = self.tenant().label(self.s.service);
        self.alert(
            AlertKind::EmergencyDetails,
            format!("EMERGENCY details ({label}): {name}, {addr}. Call back {number}."),
        );
        self.actions.push(Action::SaveCustomer);
        self.s.outcome = Some(Outcome::EmergencyDispatched);
        let thanks = match &self.s.name {
            Some(n) => self.tr(
                format!("Thank you, {}.", first_name(n)),
                format!("Gracias, {}.", first_name(n)),
            ),
            None => self.tr("Thank you.", "Gracias."),
        };
        self.push(thanks);
        let line = self.tr(
            format!("I've sent your address to {owner}, our on-call technician, and they'll call you back at {number} within minutes."),
            format!("Ya le envié su dirección a {owner}, nuestro técnico de guardia, y le llamará al {number} en unos minutos."),
        );
        self.push(line);
        if self.tenant().transfers_emergencies(self.ctx.now) {
            let line = self.tr(
                "I'm connecting you to them now.",
                "Le estoy comunicando ahora.",
            );
            self.push(line);
            self.dial = Some(self.tenant().contacts.owner_cell.clone());
            self.s.stage = Stage::Ended;
        } else {
            let line = self.tr(
                "Is there anything else the technician should know?",
                "¿Hay algo más que el técnico deba saber?",
            );
            self.push(line);
            self.s.stage = Stage::EmergencyNotes;
        }
    }

    fn wants_message(text: &str) -> bool {
        let n = format!(" {} ", normalize(text));
        [
            " call me back",
            " call me",
            " have him call",
            " have her call",
            " have them call",
            " give me a call",
            " leave a message",
            " take a message",
            " pass along",
            " pass it along",
            " callback",
            " call back",
            " get back to me",
            " can he call",
            " can she call",
            " devuelva la llamada",
            " dejar un mensaje",
        ]
        .iter()
        .any(|p| n.contains(p))
            && !n.contains(" i'll call back")
    }

    fn on_problem(&mut self, text: &str, tri: &Triage, progressed: bool) -> Flow {
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
                self.offer_transfer();
                Ok(())
            }
            Intent::Cancel | Intent::Reschedule if has_upcoming => self.on_existing(text, tri),
            Intent::Cancel | Intent::Reschedule => {
                let line = self.tr(
                    "I don't see an upcoming appointment for this number.",
                    "No veo una cita próxima con este número.",
                );
                self.push(line);
                self.start_message(text)
            }
            Intent::Schedule if has_upcoming && refers_to_existing(text) => {
                self.ask_existing();
                Ok(())
            }
            Intent::Faq => {
                self.answer_faq(text, tri);
                Ok(())
            }
            Intent::Other if tri.not_a_lead => {
                let n = normalize(text);
                if n.contains("is this") && !n.contains("wrong") {
                    let (name, trades) = (self.tenant().name.clone(), self.tenant().trades.clone());
                    let line = self.tr(format!("No, you've reached {name}. We do {trades}. Is there anything we can help you with?"), format!("No, se comunicó con {name}. ¿Le podemos ayudar en algo?"));
                    self.push(line);
                    self.s.stage = Stage::WrongBusiness;
                } else {
                    self.not_a_lead();
                }
                Ok(())
            }
            Intent::OwnerQuery => self.start_message(text),
            Intent::Other if !progressed => {
                self.miss();
                Ok(())
            }
            Intent::Other if self.s.service == ServiceType::Other => {
                let line = match &self.s.name {
                    Some(n) => self.tr(
                        format!("Hi {}, how can I help you today?", first_name(n)),
                        format!("Hola {}, ¿en qué le puedo ayudar?", first_name(n)),
                    ),
                    None => self.tr("How can I help you today?", "¿En qué le puedo ayudar?"),
                };
                self.push(line);
                Ok(())
            }
            _ => self.proceed_booking(),
        }
    }

    fn answer_faq(&mut self, text: &str, tri: &Triage) {
        let service = if tri.service != ServiceType::Other {
            tri.service
        } else {
            self.s.service
        };
        match faq::answer(text, self.tenant(), service, self.lang()) {
            Some(a) => {
                self.push(a);
                let more = self.tr(
                    "Is there anything else I can help with?",
                    "¿Le puedo ayudar en algo más?",
                );
                self.push(more);
                self.s.outcome.get_or_insert(Outcome::FaqAnswered);
                self.s.stage = Stage::AnythingElse;
            }
            None => {
                let owner = self.tenant().contacts.owner_name.clone();
                let line = self.tr(
                    format!("I don't have that answer in front of me, but I can have {owner} call you back about it."),
                    format!("No tengo esa información, pero {owner} le puede devolver la llamada."),
                );
                self.push(line);
                self.s.message = Some(text.to_string());
                self.s.stage = Stage::MessageDetails;
                self.ask_message_details();
            }
        }
    }

    fn on_anything_else(&mut self, text: &str, tri: &Triage, progressed: bool) -> Flow {
        let n = normalize(text);
        if Self::wants_message(text) {
            return self.start_message(text);
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
        if done || extract::yes_no(text).is_none() {
            let bye = self.tr(
                format!(
                    "Thanks for calling {}. Have a great day!",
                    self.tenant().name
                ),
                format!(
                    "Gracias por llamar a {}. ¡Que tenga buen día!",
                    self.tenant().name
                ),
            );
            self.push(bye);
            self.end(Some(Outcome::FaqAnswered));
        } else {
            let line = self.tr("Sure, what can I help with?", "Claro, ¿en qué le ayudo?");
            self.push(line);
            self.s.stage = Stage::Problem;
        }
        Ok(())
    }

    fn not_a_lead(&mut self) {
        let line = self.tr(
            "No problem. Thanks for calling, goodbye.",
            "No hay problema. Gracias por llamar, adiós.",
        );
        self.push(line);
        self.end(Some(Outcome::NotALead));
    }

    // ----- booking -------------------------------------------------------------------

    fn on_details(&mut self, text: &str, tri: &Triage, progressed: bool) -> Flow {
        if Self::wants_message(text) {
            return self.start_message(text);
        }
        if tri.intent == Intent::Human && tri.confidence >= 0.8 {
            self.offer_transfer();
            return Ok(());
        }
        if !progressed && self.s.stage != Stage::Time {
            self.miss();
            return Ok(());
        }
        self.proceed_booking()
    }

    fn proceed_booking(&mut self) -> Flow {
        if self.s.intent.is_none()
            || matches!(self.s.intent, Some(Intent::Other) | Some(Intent::Faq))
        {
            self.s.intent = Some(Intent::Schedule);
        }
        if self.s.service == ServiceType::Other
            && self.s.problem.is_none()
            && self.s.stage == Stage::Problem
            && self.s.misses == 0
        {
            self.s.problem = Some(String::new());
            let line = self.tr(
                "Sure, I can help with that. What's going on?",
                "Claro, con gusto. ¿Qué está pasando?",
            );
            self.push(line);
            return Ok(());
        }
        if self.s.name.is_none() {
            let line = self.tr(
                "I can get someone out to you. Can I get your name?",
                "Le puedo mandar a alguien. ¿Me da su nombre?",
            );
            self.push(line);
            self.s.stage = Stage::Name;
            return Ok(());
        }
        if self.s.address.is_none() {
            let line = match self.s.stage {
                Stage::Name => self.tr(
                    format!(
                        "Thanks, {}. What's the address where you need the work done?",
                        first_name(self.s.name.as_deref().unwrap_or(""))
                    ),
                    format!(
                        "Gracias, {}. ¿Cuál es la dirección?",
                        first_name(self.s.name.as_deref().unwrap_or(""))
                    ),
                ),
                _ => self.tr(
                    "What's the address where you need the work done?",
                    "¿Cuál es la dirección?",
                ),
            };
            self.push(line);
            self.s.stage = Stage::Address;
            return Ok(());
        }
        if self.takes_messages_now() {
            let owner = self.tenant().contacts.owner_name.clone();
            let line = self.tr(
                format!("We're closed right now, so I'll pass this to {owner} to call you back when we open."),
                format!("Ahora estamos cerrados; le paso esto a {owner} para que le llame cuando abramos."),
            );
            self.push(line);
            let label = self.tenant().label(self.s.service);
            let addr = self
                .s
                .address
                .as_ref()
                .map(|a| a.display())
                .unwrap_or_default();
            let problem = self.s.problem.clone().unwrap_or_default();
            return self.start_message(&format!("after hours: {label} at {addr}. {problem}"));
        }
        if self.s.preference.is_none() {
            let line = self.tr(
                "Got it. What day and time work best for you?",
                "Entendido. ¿Qué día y hora le conviene?",
            );
            self.push(line);
            self.s.stage = Stage::Time;
            return Ok(());
        }
        self.try_book(None)
    }

    /// Range of appointments to load for a preference: its candidate days, at most 5 weeks.
    fn availability_range(&self, pref: &TimePreference) -> (DateTime<Utc>, DateTime<Utc>) {
        let tz = self.tenant().tz();
        let today = self.ctx.now.with_timezone(&tz).date_naive();
        let days = pref.candidate_days(today, self.tenant().booking.horizon_days);
        let first = days.first().copied().unwrap_or(today);
        let last = days
            .last()
            .copied()
            .unwrap_or(today)
            .min(first + Duration::days(35));
        let from = tz
            .from_local_datetime(&first.and_hms_opt(0, 0, 0).expect("midnight"))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(self.ctx.now);
        let to = tz
            .from_local_datetime(
                &(last + Duration::days(1))
                    .and_hms_opt(0, 0, 0)
                    .expect("midnight"),
            )
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(self.ctx.now);
        // Jobs that started the day before can still hold granules on the first day.
        (from - Duration::days(1), to)
    }

    /// Re-checks an offered slot against a fresh calendar before taking it (the booking
    /// transaction checks again): another caller may have taken it since it was offered.
    fn still_free(&self, slot: &Slot) -> Result<bool, Step> {
        let Some(busy) = self.ctx.busy else {
            return Err(Step::NeedAvailability {
                from: slot.start - Duration::days(1),
                to: slot.end + Duration::days(1),
            });
        };
        let busy = self.without_own_job(busy);
        let gap = Duration::minutes(self.tenant().booking.gap_min() as i64);
        Ok(busy.free(&slot.resource, slot.start, slot.end + gap))
    }

    /// The calendar with this call's own held job taken out (it may be moved); borrowed
    /// as is when the call holds no job, which is the usual case.
    fn without_own_job<'b>(&self, busy: &'b Busy) -> Cow<'b, Busy> {
        let Some(b) = &self.s.booked else {
            return Cow::Borrowed(busy);
        };
        let mut busy = busy.clone();
        busy.0.retain(|(r, g)| {
            !(r == &b.slot.resource
                && *g >= b.slot.start
                && *g < b.slot.end + Duration::minutes(self.tenant().booking.gap_min() as i64))
        });
        let day = self.tenant().local_date(b.slot.start);
        if let Some(n) = busy.1.get_mut(&(b.slot.resource.clone(), day)) {
            *n = n.saturating_sub(1);
        }
        Cow::Owned(busy)
    }

    /// Slots for this call's job in `busy` (already without the call's own held job).
    fn slots_for(&self, pref: &TimePreference, busy: &Busy, limit: usize) -> Vec<Slot> {
        let dur = self.tenant().duration_min(self.s.service);
        find_slots(
            self.tenant(),
            &self.tenant().hours,
            pref,
            dur,
            busy,
            self.ctx.now,
            limit,
        )
    }

    /// Holds the earliest fitting slot (or offers the nearest one when the window is full).
    fn try_book(&mut self, replaces: Option<UpcomingAppointment>) -> Flow {
        let pref = self.s.preference.clone().unwrap_or_default();
        if let (Some(first), Some(other)) = (pref.days.first(), pref.other_reading.first()) {
            let es = self.lang() == Lang::Es;
            let (a, b) = (
                scheduling::speak_day(*first, es),
                scheduling::speak_day(*other, es),
            );
            let line = self.tr(
                format!("Just to be sure, do you mean this {a}, or the following week, {b}?"),
                format!("Para estar seguros, ¿se refiere a {a}, o a la semana siguiente, {b}?"),
            );
            self.push(line);
            self.s.time_readings = (pref.days.clone(), pref.other_reading.clone());
            self.s.stage = Stage::ClarifyTime;
            return Ok(());
        }
        let Some(busy) = self.ctx.busy else {
            let (from, to) = self.availability_range(&pref);
            return Err(Step::NeedAvailability { from, to });
        };
        let busy = self.without_own_job(busy);
        let busy = busy.as_ref();
        if let Some(slot) = self.slots_for(&pref, busy, 1).into_iter().next() {
            // The second offer is a different arrival window, not the same one shifted by
            // half an hour.
            let mut next = pref.clone();
            next.after = Some(slot.start + self.offer_spread() - Duration::seconds(1));
            let alternative = self.slots_for(&next, busy, 1).into_iter().next();
            self.book(slot, replaces);
            if let Some(alt) = alternative {
                let when = self.speak(&alt);
                let line = self.tr(
                    format!("If that doesn't suit, I also have {when}."),
                    format!("Si no le conviene, también tengo {when}."),
                );
                self.insert_before_last(line);
                self.s.alternative = Some(alt);
            }
            return Ok(());
        }
        let fallback = TimePreference {
            exclude: pref.exclude.clone(),
            asap: true,
            after: pref.after,
            ..TimePreference::default()
        };
        let nearest = self.slots_for(&fallback, busy, 1);
        match nearest.into_iter().next() {
            Some(slot) => {
                let when = self.speak(&slot);
                let line = if pref.after.is_some() {
                    self.tr(
                        format!("The next opening I have is {when}. Would that work?"),
                        format!("Lo siguiente que tengo es {when}. ¿Le funciona?"),
                    )
                } else if let Some(closure) = self.closure_in(&pref) {
                    self.tr(
                        format!("We're closed then for {closure}. The closest I have is {when}. Would that work?"),
                        format!("Estamos cerrados esos días ({closure}). Lo más cercano es {when}. ¿Le funciona?"),
                    )
                } else {
                    self.tr(
                        format!("I don't have an opening then. The closest I have is {when}. Would that work?"),
                        format!("No tengo espacio en ese horario. Lo más cercano es {when}. ¿Le funciona?"),
                    )
                };
                self.push(line);
                self.s.offered = Some(slot);
                self.s.stage = Stage::ConfirmAlternative;
            }
            None => {
                let line = self.tr(
                    "I'm sorry, the schedule is full for the next few weeks.",
                    "Lo siento, la agenda está llena las próximas semanas.",
                );
                self.push(line);
                self.start_message("schedule full")?;
            }
        }
        Ok(())
    }

    /// After hours, a tenant whose policy is to take messages for ordinary work.
    fn takes_messages_now(&self) -> bool {
        let t = self.tenant();
        t.booking.after_hours.routine == crate::tenancy::AfterHoursRoutine::TakeMessage
            && !t.is_open(self.ctx.now)
    }

    /// The name of a closure when every day the caller asked for is closed.
    fn closure_in(&self, pref: &TimePreference) -> Option<String> {
        let rules = &self.tenant().booking;
        let today = self.tenant().local_date(self.ctx.now);
        let days = pref.candidate_days(today, rules.horizon_days);
        let names: Vec<&str> = days
            .iter()
            .map(|d| rules.closure_on(*d).map(|c| c.name.as_str()))
            .collect::<Option<Vec<_>>>()?;
        names.first().map(|n| n.to_string())
    }

    /// How far apart two offers start: an arrival window, or the job when there is none.
    fn offer_spread(&self) -> Duration {
        let rules = &self.tenant().booking;
        let job = self.tenant().duration_min(self.s.service);
        Duration::minutes(rules.arrival_window_min.max(job).max(rules.start_step_min) as i64)
    }

    fn speak(&self, slot: &Slot) -> String {
        match self.lang() {
            Lang::En => speak_slot(slot, self.tenant()),
            Lang::Es => speak_slot_es(slot, self.tenant()),
        }
    }

    fn appointment_id(&self) -> String {
        // The same turn of the same call always names the same appointment.
        let turn = self.s.transcript.len().to_string();
        crate::store::short_id("ap", &[&self.s.call_sid, "#", &turn])
    }

    fn book(&mut self, slot: Slot, replaces: Option<UpcomingAppointment>) {
        let replaces = replaces.or_else(|| self.s.booked.clone());
        let id = self.appointment_id();
        let booking = Booking {
            appointment_id: id.clone(),
            slot: slot.clone(),
            service: self.s.service,
            name: self.s.name.clone().unwrap_or_default(),
            phone: self.s.callback().to_string(),
            address: self.s.address.clone(),
            replaces: replaces.clone(),
            emergency: false,
        };
        self.actions.push(Action::Book(Box::new(booking)));
        let appt = UpcomingAppointment {
            job_id: replaces.as_ref().map(|r| r.job().to_string()),
            id,
            service: self.s.service,
            slot: slot.clone(),
        };
        let moving_existing = self
            .s
            .target
            .as_ref()
            .is_some_and(|t| replaces.as_ref().is_some_and(|r| r.id == t.id));
        self.s.booked = Some(appt.clone());
        self.s.offered = None;
        self.s.alternative = None;
        self.s.outcome = Some(
            if moving_existing || self.s.outcome == Some(Outcome::Rescheduled) {
                Outcome::Rescheduled
            } else {
                Outcome::Booked
            },
        );
        let when = self.speak(&slot);
        let label = self.tenant().label(self.s.service);
        let street = self
            .s
            .address
            .as_ref()
            .map(|a| a.street_line())
            .unwrap_or_default();
        let line = if moving_existing || self.s.outcome == Some(Outcome::Rescheduled) {
            self.tr(
                format!("Done. I've moved your {label} to {when}."),
                format!("Listo. Cambié su cita para {when}."),
            )
        } else {
            self.tr(
                format!("You're booked for {when} for {label} at {street}."),
                format!("Queda agendado para {when} en {street}."),
            )
        };
        self.push(line);
        let line = self.tr(
            "You'll get a text confirmation. Does that time work for you?",
            "Le llegará un mensaje de confirmación. ¿Le funciona esa hora?",
        );
        self.push(line);
        self.s.stage = Stage::ConfirmBooking;
    }

    fn on_confirm(&mut self, text: &str, tri: &Triage) -> Flow {
        let n = normalize(text);
        let later = n.contains("later")
            || n.contains("something else")
            || n.contains("another time")
            || n.contains("mas tarde");
        let new_time = extract::yes_no(text) != Some(true) && self.time_said;
        if let Some(alt) = self.s.alternative.clone().filter(|_| picks_alternative(&n)) {
            if self.still_free(&alt)? {
                self.book(alt, None);
                return Ok(());
            }
            let line = self.tr(
                "I'm sorry, another caller just took that one.",
                "Lo siento, otra persona acaba de tomar ese horario.",
            );
            self.push(line);
            self.s.alternative = None;
            return self.try_book(None);
        }
        if later {
            // Past both times read back: the next two.
            let last = [
                self.s.booked.as_ref().map(|b| b.slot.start),
                self.s.alternative.as_ref().map(|a| a.start),
            ]
            .into_iter()
            .flatten()
            .max();
            let spread = self.offer_spread();
            if let (Some(t), Some(p)) = (last, self.s.preference.as_mut()) {
                p.after = Some(t + spread - Duration::seconds(1));
            }
            return self.try_book(None);
        }
        if new_time {
            return self.try_book(None);
        }
        match extract::yes_no(text) {
            Some(true) => {
                let line = self.tr(
                    format!(
                        "Great, you're all set. Thanks for calling {}!",
                        self.tenant().name
                    ),
                    format!(
                        "Perfecto, todo listo. ¡Gracias por llamar a {}!",
                        self.tenant().name
                    ),
                );
                self.push(line);
                self.end(None);
            }
            Some(false) => {
                let line = self.tr(
                    "No problem. What day and time would work better?",
                    "No hay problema. ¿Qué día y hora le conviene más?",
                );
                self.push(line);
                self.s.stage = Stage::Time;
            }
            None if tri.intent == Intent::Cancel => {
                if let Some(b) = self.s.booked.take() {
                    self.actions.push(Action::Cancel(b));
                }
                let line = self.tr(
                    "Okay, I've cancelled that. Thanks for calling.",
                    "Está bien, lo cancelé. Gracias por llamar.",
                );
                self.push(line);
                self.end(Some(Outcome::Cancelled));
            }
            None => {
                let line = self.tr(
                    "Thanks! Is that time okay for you?",
                    "¿Le funciona esa hora?",
                );
                self.push(line);
            }
        }
        Ok(())
    }

    /// Settles a phrase with two readings: "next", "the following one", "the second" take
    /// the later reading; "this", "the first", "sooner" the earlier; a day named outright
    /// replaces both; anything else keeps the sooner one.
    fn on_clarify_time(&mut self, text: &str) -> Flow {
        let n = normalize(text);
        let words: Vec<&str> = n.split_whitespace().collect();
        let any = |list: &[&str]| list.iter().any(|w| words.contains(w));
        let later = any(&[
            "next",
            "following",
            "second",
            "later",
            "siguiente",
            "segundo",
            "proximo",
        ]) || n.contains("week after");
        let sooner = any(&[
            "this", "first", "sooner", "earlier", "esta", "este", "primero",
        ]);
        let (first, other) = std::mem::take(&mut self.s.time_readings);
        let p = self
            .s
            .preference
            .get_or_insert_with(TimePreference::default);
        if later || sooner || !self.time_said || !p.other_reading.is_empty() {
            p.days = if later { other } else { first };
        }
        p.other_reading.clear();
        self.try_book(self.s.target.clone())
    }

    fn on_alternative(&mut self, text: &str) -> Flow {
        if extract::yes_no(text) == Some(true) && !self.time_said {
            if let Some(slot) = self.s.offered.clone() {
                let target = self.s.target.clone();
                if !self.still_free(&slot)? {
                    let line = self.tr(
                        "I'm sorry, another caller just took that time.",
                        "Lo siento, otra persona acaba de tomar ese horario.",
                    );
                    self.push(line);
                    self.s.offered = None;
                    return self.try_book(target);
                }
                self.book(slot, target);
                return Ok(());
            }
        }
        if self.time_said {
            return self.try_book(self.s.target.clone());
        }
        let line = self.tr(
            "Okay. What day and time would work for you?",
            "Está bien. ¿Qué día y hora le funciona?",
        );
        self.push(line);
        self.s.stage = Stage::Time;
        Ok(())
    }

    // ----- existing appointments ----------------------------------------------------

    fn ask_existing(&mut self) {
        let Some(appt) = self.pick_existing("") else {
            return;
        };
        let when = self.speak(&appt.slot);
        let label = self.tenant().label(appt.service);
        let line = self.tr(
            format!("I see your {label} on {when}. Are you calling to change that appointment?"),
            format!("Veo su cita para {when}. ¿Llama para cambiar esa cita?"),
        );
        self.push(line);
        self.s.target = Some(appt);
        self.s.stage = Stage::ExistingAppointment;
    }

    fn pick_existing(&self, text: &str) -> Option<UpcomingAppointment> {
        let list = self.s.upcoming.as_ref()?;
        let n = normalize(text);
        let tri_service = triage::classify(text, &[]).service;
        let tz = self.tenant().tz();
        list.iter()
            .find(|a| tri_service != ServiceType::Other && a.service == tri_service)
            .or_else(|| {
                list.iter().find(|a| {
                    n.contains(
                        &a.slot
                            .start
                            .with_timezone(&tz)
                            .format("%A")
                            .to_string()
                            .to_lowercase(),
                    )
                })
            })
            .or_else(|| list.first())
            .cloned()
    }

    fn on_existing(&mut self, text: &str, tri: &Triage) -> Flow {
        if self.s.target.is_none() {
            self.s.target = self.pick_existing(text);
        }
        let Some(target) = self.s.target.clone() else {
            return self.start_message(text);
        };
        self.s.service = target.service;
        if tri.intent == Intent::Cancel {
            self.actions.push(Action::Cancel(target.clone()));
            let when = self.speak(&target.slot);
            let label = self.tenant().label(target.service);
            let line = self.tr(
                format!("I've cancelled your {label} on {when}. Would you like to book a different time?"),
                format!("Cancelé su cita de {when}. ¿Quiere agendar otra fecha?"),
            );
            self.push(line);
            self.s.outcome = Some(Outcome::Cancelled);
            self.s.stage = Stage::AfterCancel;
            return Ok(());
        }
        if self.time_said {
            self.s.outcome = Some(Outcome::Rescheduled);
            return self.try_book(Some(target));
        }
        if extract::yes_no(text) == Some(false) {
            self.s.target = None;
            self.s.upcoming = Some(Vec::new());
            let line = self.tr(
                "Okay, what can I help you with today?",
                "Está bien, ¿en qué le puedo ayudar?",
            );
            self.push(line);
            self.s.stage = Stage::Problem;
            return Ok(());
        }
        let line = self.tr(
            "Sure. What day and time would work better?",
            "Claro. ¿Qué día y hora le conviene más?",
        );
        self.push(line);
        self.s.stage = Stage::RescheduleTime;
        Ok(())
    }

    fn on_reschedule_time(&mut self) -> Flow {
        if self.time_said {
            self.s.outcome = Some(Outcome::Rescheduled);
            return self.try_book(self.s.target.clone());
        }
        self.miss();
        Ok(())
    }

    fn on_after_cancel(&mut self) -> Flow {
        if self.time_said {
            self.s.target = None;
            self.s.outcome = Some(Outcome::Rescheduled);
            return self.try_book(None);
        }
        let line = self.tr(
            "Okay. Thanks for letting us know, and have a good day.",
            "Está bien. Gracias por avisarnos.",
        );
        self.push(line);
        self.end(None);
        Ok(())
    }

    // ----- people and messages ------------------------------------------------------

    fn offer_transfer(&mut self) {
        let owner = self.tenant().contacts.owner_name.clone();
        if self.tenant().emergency.transfer_on_request {
            let line = self.tr(
                format!("I can try to put you through to {owner}, or take a message so they can call you back. Which would you prefer?"),
                format!("Le puedo comunicar con {owner}, o tomar un mensaje para que le devuelva la llamada. ¿Qué prefiere?"),
            );
            self.push(line);
            self.s.stage = Stage::TransferOrMessage;
        } else {
            let line = self.tr(
                format!("{owner} is out on a job right now, so I'll take a message."),
                format!("{owner} está en un trabajo, así que tomaré un mensaje."),
            );
            self.push(line);
            self.s.stage = Stage::MessageDetails;
            self.ask_message_details();
        }
    }

    fn on_transfer_or_message(&mut self, text: &str, tri: &Triage) -> Flow {
        let n = normalize(text);
        let wants_person = tri.intent == Intent::Human
            || [
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
            || n.contains("call me back");
        if wants_message && !wants_person {
            return self.start_message(text);
        }
        self.transfer();
        Ok(())
    }

    fn transfer(&mut self) {
        if self.s.name.is_none() && self.s.stage != Stage::TransferName {
            let line = self.tr(
                "Sure. Can I get your name so they know who's calling?",
                "Claro. ¿Me da su nombre?",
            );
            self.push(line);
            self.s.stage = Stage::TransferName;
            return;
        }
        let line = match &self.s.name {
            Some(n) => self.tr(
                format!("Thanks, {}. Connecting you now.", first_name(n)),
                format!("Gracias, {}. Le comunico ahora.", first_name(n)),
            ),
            None => self.tr("Connecting you now.", "Le comunico ahora."),
        };
        self.push(line);
        self.dial = Some(self.tenant().contacts.owner_cell.clone());
        self.s.outcome = Some(Outcome::Transferred);
        self.s.stage = Stage::Ended;
    }

    fn start_message(&mut self, text: &str) -> Flow {
        self.s.message = Some(match self.s.message.take() {
            Some(m) if !m.is_empty() => format!("{m} / {text}"),
            _ => text.to_string(),
        });
        self.s.stage = Stage::MessageDetails;
        self.ask_message_details();
        Ok(())
    }

    fn ask_message_details(&mut self) {
        if self.s.name.is_none() {
            let line = self.tr(
                "I'll pass along a message. What's your name?",
                "Le paso el mensaje. ¿Cuál es su nombre?",
            );
            self.push(line);
            return;
        }
        if self.s.callback_number.is_none() {
            let number = phone::display(&self.s.caller);
            let line = self.tr(
                format!("Is {number} the best number to call you back?"),
                format!("¿El {number} es el mejor número para devolverle la llamada?"),
            );
            self.push(line);
            return;
        }
        self.finish_message();
    }

    fn on_message_details(&mut self, text: &str) -> Flow {
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

    fn finish_message(&mut self) {
        let owner = self.tenant().contacts.owner_name.clone();
        let number = phone::display(self.s.callback());
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
        let line = self.tr(
            format!("Got it, {}. I'll make sure {owner} gets your message and calls you back at {number}. Goodbye.", first_name(&name)),
            format!("Entendido, {}. {owner} recibirá su mensaje y le llamará al {number}. Adiós.", first_name(&name)),
        );
        self.push(line);
        self.end(Some(Outcome::MessageTaken));
    }
}

/// "your tech is due here friday", "my appointment": the caller means a job on file.
fn refers_to_existing(text: &str) -> bool {
    let n = format!(" {} ", normalize(text));
    [
        " coming out",
        " my appointment",
        " our appointment",
        " scheduled for",
        " booked for",
        " you're coming",
        " coming tomorrow",
        " mi cita",
        " the appointment",
    ]
    .iter()
    .any(|p| n.contains(p))
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}
