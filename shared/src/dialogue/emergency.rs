//! Emergencies: safety words first, the owner alerted at once, then the name and address.

use super::extract::Address;
use super::replies::first_name;
use super::state::*;
use super::step::{clip, Flow, Turn};
use crate::phone;
use crate::triage::{Intent, SafetyAdvice, Triage};

impl Turn<'_> {
    pub(super) fn enter_emergency(&mut self, text: &str, tri: &Triage) -> Flow {
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

    pub(super) fn safety_words(&self, advice: Option<SafetyAdvice>) -> Option<String> {
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

    pub(super) fn ask_emergency_details(&mut self) {
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

    pub(super) fn on_emergency_details(&mut self) -> Flow {
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

    pub(super) fn dispatch(&mut self) {
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
}
