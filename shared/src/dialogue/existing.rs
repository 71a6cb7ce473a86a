//! The caller's jobs on file: move or cancel one.

use super::extract::{self};
use super::state::*;
use super::step::{Flow, Turn};
use crate::triage::{self, normalize::normalize, Intent, ServiceType, Triage};

impl Turn<'_> {
    pub(super) fn ask_existing(&mut self) {
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

    pub(super) fn pick_existing(&self, text: &str) -> Option<UpcomingAppointment> {
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

    pub(super) fn on_existing(&mut self, text: &str, tri: &Triage) -> Flow {
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

    pub(super) fn on_reschedule_time(&mut self) -> Flow {
        if self.time_said {
            self.s.outcome = Some(Outcome::Rescheduled);
            return self.try_book(self.s.target.clone());
        }
        self.miss();
        Ok(())
    }

    pub(super) fn on_after_cancel(&mut self) -> Flow {
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
}
