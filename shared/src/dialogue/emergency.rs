//! Emergencies: safety words first, the owner alerted at once, then the name and address.

use super::extract;
use super::extract::Address;
use super::replies::first_name;
use super::replies::Lang;
use super::state::*;
use super::step::{clip, Flow, Turn};
use crate::phone;
use crate::triage::{self, Clarify, Intent, Reason, SafetyAdvice, Triage};

impl Turn<'_> {
    /// Asks the hazard's question ("Is water coming out right now?"); the answer decides.
    pub(super) fn ask_hazard(&mut self, clarify: Clarify, text: &str) -> Flow {
        let ask = match self.lang() {
            Lang::En => clarify.ask_en.clone(),
            Lang::Es => clarify.ask_es.clone(),
        };
        self.push(ask);
        self.s.asked_hazards.push(clarify.code.clone());
        if self.s.service.is_generic() {
            self.s.service = clarify.service;
        }
        self.s.pending_hazard = Some(PendingHazard {
            clarify,
            resume: self.s.stage,
            text: text.to_string(),
            unclear_answers: 0,
        });
        self.s.stage = Stage::ClarifyHazard;
        Ok(())
    }

    /// The answer to the hazard's question: yes is an emergency; no goes back to where the
    /// call was, and so does an answer that moves the call on (a name, an address:
    /// `progressed`). An unclear answer to a life-safety question is taken as yes; to
    /// another, it is asked again once with the keypad offered, then taken as no (a
    /// missing context, "is anyone elderly", as no at once).
    pub(super) fn on_clarify_hazard(&mut self, text: &str, progressed: bool) -> Flow {
        let Some(mut pending) = self.s.pending_hazard.take() else {
            self.s.stage = Stage::Problem;
            return self.reprompt_flow();
        };
        // "It's fifty-four in here and we have a six-week-old": the report and its answer
        // read together carry the context that was missing.
        let told = || {
            let both = format!("{} {}", pending.text, text);
            let tri = triage::classify(&both, &self.tenant().emergency.keywords);
            tri.emergency && !tri.by_model_alone()
        };
        // A question of the caller's own in reply ("how much does a new one run?") says
        // nothing needs a truck now, unless the hazard is a life-safety one.
        let asks_instead = !pending.clarify.life_safety && {
            let own = triage::classify(text, &self.tenant().emergency.keywords);
            !own.emergency && own.intent == Intent::Faq
        };
        let answer = match extract::yes_no(text) {
            None if asks_instead => Some(false),
            None if pending.clarify.context && told() => Some(true),
            // A name or an address given instead of an answer is asked again once; a
            // second miss leans to safety.
            None if pending.clarify.life_safety
                && !(progressed && pending.unclear_answers == 0) =>
            {
                Some(true)
            }
            None if progressed || pending.unclear_answers >= 1 || pending.clarify.context => {
                Some(false)
            }
            other => other,
        };
        match answer {
            Some(true) => self.emergency_from(pending),
            Some(false) => {
                self.s.stage = pending.resume;
                if pending.resume == Stage::Problem {
                    // An answer that is a request of its own ("no, but can we do saturday
                    // instead") is what the caller wants now; a bare "no" sends us back to
                    // what they first said.
                    // "no, don't send anyone yet, I'd just like him to call me".
                    if Self::wants_message(text) {
                        return self.start_message(&pending.text);
                    }
                    let keywords = &self.tenant().emergency.keywords;
                    if extract::yes_no(text).is_none() {
                        let own = triage::classify(text, keywords);
                        // Only a clear request: an answer that gives a name or an
                        // address is read weakly ("this is roberto, I'm the owner").
                        let clear = !progressed || own.confidence >= 0.8;
                        if !own.emergency && own.intent != Intent::Other && clear {
                            return self.on_problem(text, &own, true);
                        }
                    }
                    let tri = triage::classify(&pending.text, keywords);
                    return self.on_problem(&pending.text, &tri, true);
                }
                let ok = self.say("okay", &[]);
                self.push(ok);
                self.reprompt();
                Ok(())
            }
            None => {
                pending.unclear_answers += 1;
                let ask = match self.lang() {
                    Lang::En => pending.clarify.ask_en.clone(),
                    Lang::Es => pending.clarify.ask_es.clone(),
                };
                let sorry = self.say("sorry_didnt_catch", &[]);
                let keys = self.say("press_one_or_two", &[]);
                self.push(sorry);
                self.push(ask);
                self.push(keys);
                self.s.pending_hazard = Some(pending);
                Ok(())
            }
        }
    }

    /// The hazard the caller confirmed, as an emergency.
    fn emergency_from(&mut self, pending: PendingHazard) -> Flow {
        let c = pending.clarify;
        self.s.service = c.service;
        let tri = Triage {
            emergency: true,
            life_safety: c.life_safety,
            intent: Intent::Emergency,
            service: c.service,
            confidence: 0.9,
            reasons: vec![Reason {
                code: c.code.clone(),
                evidence: format!("caller confirmed: {}", c.ask_en),
            }],
            safety: c.safety,
            spanish: self.lang() == Lang::Es,
            clarify: None,
            emergency_p: 1.0,
            not_a_lead: false,
        };
        self.enter_emergency(&pending.text, &tri)
    }

    pub(super) fn enter_emergency(&mut self, text: &str, tri: &Triage) -> Flow {
        self.s.pending_hazard = None;
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
        let caller = phone::display(self.s.callback_number());
        self.alert(AlertKind::Emergency, format!("EMERGENCY ({label}): caller {caller} says \"{}\". Getting their address now; call them back.", clip(text, 140)));
        self.s.alerted = true;
        let advice = self.safety_words(tri.safety);
        if let Some(a) = advice {
            self.push(a);
        }
        match tri.safety {
            Some(SafetyAdvice::LeaveAndCallGasCompany | SafetyAdvice::LeaveAndCall911) => {
                let line = self.say("alerting_our_oncall_technician", &[]);
                self.push(line);
                self.s.stage = Stage::EmergencySafety;
            }
            _ => {
                let line = self.say("alerting_our_oncall_technician_2", &[]);
                self.push(line);
                self.s.stage = Stage::EmergencyDetails;
                self.ask_emergency_details();
            }
        }
        Ok(())
    }

    pub(super) fn safety_words(&self, advice: Option<SafetyAdvice>) -> Option<String> {
        Some(match advice? {
            SafetyAdvice::LeaveAndCallGasCompany => self.say("this_important_please_get", &[]),
            SafetyAdvice::LeaveAndCall911 => self.say("please_get_everyone_out", &[]),
            SafetyAdvice::StayAwayCallUtility => self.say("please_stay_well_away", &[]),
            SafetyAdvice::FireRisk => self.say("if_see_flames_or", &[]),
            SafetyAdvice::WaterNearElectrics => self.say("please_stay_out_water", &[]),
            SafetyAdvice::ElectricShock => self.say("please_dont_touch_again", &[]),
            SafetyAdvice::ShutOffWater => self.say("if_can_shut_off", &[]),
        })
    }

    pub(super) fn ask_emergency_details(&mut self) {
        let line = match (self.s.name.is_some(), self.s.address.is_some()) {
            (false, false) => self.say("whats_name_address_where", &[]),
            (true, false) => self.say("whats_address_where_need_2", &[]),
            (false, true) => self.say("whats_name", &[]),
            (true, true) => return self.dispatch(),
        };
        self.push(line);
    }

    /// The caller's answer while their details are taken (`progressed`: it told us
    /// something new).
    pub(super) fn on_emergency_details(&mut self, progressed: bool) -> Flow {
        if self.s.stage == Stage::EmergencySafety {
            self.s.stage = Stage::EmergencyDetails;
            if self.s.name.is_none() || self.s.address.is_none() {
                let good = self.say("good_please_stay_outside", &[]);
                self.push(good);
            }
            self.ask_emergency_details();
            return Ok(());
        }
        if !progressed {
            self.s.misses += 1;
        }
        if self.s.address.is_some() && self.s.name.is_some() || self.s.misses >= 3 {
            self.dispatch();
        } else {
            // Nothing new: likely "I can't find the shutoff".
            if self.s.safety == Some(SafetyAdvice::ShutOffWater)
                && !progressed
                && self.s.misses == 1
            {
                let tip = self.say("thats_okay_technician_can", &[]);
                self.push(tip);
            }
            self.ask_emergency_details();
        }
        Ok(())
    }

    pub(super) fn dispatch(&mut self) {
        if self.s.outcome == Some(Outcome::EmergencyDispatched) {
            return;
        }
        self.s.misses = 0;
        let owner = self.tenant().contacts.owner_name.clone();
        let number = phone::display(self.s.callback_number());
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
            Some(n) => self.say("thank_firstname", &[("first_name", first_name(n))]),
            None => self.say("thank", &[]),
        };
        self.push(thanks);
        let line = self.say(
            "ive_sent_address_owner",
            &[("owner", &owner), ("number", &number)],
        );
        self.push(line);
        if self.tenant().transfers_emergencies(self.ctx.now) {
            // A written channel cannot put the customer through: its reply offers the
            // shop's number instead (`twilio::replies::text`).
            if self.s.channel == Channel::Voice {
                let line = self.say("connecting_them_now", &[]);
                self.push(line);
            }
            self.dial = Some(self.tenant().contacts.owner_cell.clone());
            self.s.stage = Stage::Ended;
        } else {
            let line = self.say("there_anything_else_technician", &[]);
            self.push(line);
            self.s.stage = Stage::EmergencyNotes;
        }
    }
}
