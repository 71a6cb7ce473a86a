//! The caller's jobs on file: move or cancel one.

use super::extract::{self};
use super::state::*;
use super::step::{says_any, Flow, Turn};
use crate::scheduling::TimePreference;
use crate::triage::{self, normalize::normalize, Intent, ServiceType, Triage};
use chrono::Datelike;

impl Turn<'_> {
    pub(super) fn ask_existing(&mut self) {
        let Some(appt) = self.pick_existing("") else {
            return;
        };
        let when = self.speak(&appt.slot);
        let label = self.tenant().label(appt.service);
        let line = self.say("see_label_on_when", &[("label", &label), ("when", &when)]);
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
        let yes = extract::yes_no(text) == Some(true);
        // "cancel it", or a yes from a caller who opened with "I don't need it anymore".
        if says_cancel(text) || (yes && self.s.intent == Some(Intent::Cancel)) {
            self.cancel_target(target);
            return Ok(());
        }
        // "The heat came back on this morning, so we don't need the visit": the time is
        // the story's, not a new one for the job.
        // "I've got the plumber Monday for the faucet": the day said is the job's own.
        let jobs_own_day = self.s.preference.as_ref().is_some_and(|p| {
            let day = target
                .slot
                .start
                .with_timezone(&self.tenant().tz())
                .date_naive();
            (p.days == [day] || p.weekdays == [day.weekday()])
                && p.from.is_none()
                && p.to.is_none()
                && !p.asap
        });
        if self.time_said && tri.intent != Intent::Cancel && !jobs_own_day {
            self.s.outcome = Some(Outcome::Rescheduled);
            return self.try_book(Some(target));
        }
        // A bare "no" (not "no voy a estar", "ya no puedo": a no inside a reason).
        let bare_no =
            extract::yes_no(text) == Some(false) && normalize(text).split_whitespace().count() <= 4;
        if bare_no {
            self.s.target = None;
            self.s.upcoming = Some(Vec::new());
            let line = self.say("okay_what_can_help", &[]);
            self.push(line);
            self.s.stage = Stage::Problem;
            return Ok(());
        }
        // Neither a yes nor a time (an address, a story): ask which it is.
        let moving = tri.intent == Intent::Reschedule || self.s.intent == Some(Intent::Reschedule);
        if !yes && !moving && !self.s.asked_move_or_cancel {
            self.s.asked_move_or_cancel = true;
            let line = self.say("move_or_cancel", &[]);
            self.push(line);
            self.s.stage = Stage::ExistingAppointment;
            return Ok(());
        }
        let line = self.say("sure_what_day_time", &[]);
        self.push(line);
        self.s.stage = Stage::RescheduleTime;
        Ok(())
    }

    /// "Cancel it" said to the time offered for a job being moved: the job is cancelled.
    /// True when it was.
    pub(super) fn cancels_instead(&mut self, text: &str) -> bool {
        match self.s.target.clone().filter(|_| says_cancel(text)) {
            Some(target) => {
                if let Some(h) = self.holding() {
                    self.actions.push(Action::Release(h));
                    self.s.booked = None;
                }
                self.s.offered = None;
                self.s.alternative = None;
                self.cancel_target(target);
                true
            }
            None => false,
        }
    }

    fn cancel_target(&mut self, target: UpcomingAppointment) {
        self.actions.push(Action::Cancel(target.clone()));
        let when = self.speak(&target.slot);
        let label = self.tenant().label(target.service);
        let line = self.say(
            "ive_cancelled_label_on",
            &[("label", &label), ("when", &when)],
        );
        self.push(line);
        self.s.outcome = Some(Outcome::Cancelled);
        self.s.stage = Stage::AfterCancel;
    }

    pub(super) fn on_reschedule_time(&mut self, text: &str) -> Flow {
        if let Some(target) = self.s.target.clone().filter(|_| says_cancel(text)) {
            self.cancel_target(target);
            return Ok(());
        }
        if let Some(target) = self.s.target.clone() {
            if let Some(p) = self.relative_to_job(text, &target) {
                self.s.preference = Some(p);
                self.time_said = true;
            }
        }
        if self.time_said {
            self.s.outcome = Some(Outcome::Rescheduled);
            return self.try_book(self.s.target.clone());
        }
        // A caller confirming who and where they are is no misunderstanding: ask again.
        let identifies = extract::address(text, "KS").is_some()
            || extract::name(text, true).is_some_and(|n| extract::name_is_known(&n));
        if identifies {
            let line = self.say("what_day_time_work", &[]);
            self.push(line);
            return Ok(());
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
        let line = self.say("okay_thanks_letting_us", &[]);
        self.push(line);
        self.end(None);
        Ok(())
    }
}

impl Turn<'_> {
    /// A new time told against the job being moved: "later the same day", "the next one
    /// after that". `None` when the words name no such time.
    fn relative_to_job(&self, text: &str, job: &UpcomingAppointment) -> Option<TimePreference> {
        let same_day = says_any(text, &[" same day", " mismo dia"]);
        let later = says_any(
            text,
            &[
                " later",
                " after that",
                " next one",
                " next opening",
                " next available",
                " next thing",
                " mas tarde",
                " despues de eso",
                " el siguiente",
            ],
        );
        if !same_day && !later {
            return None;
        }
        let day = job
            .slot
            .start
            .with_timezone(&self.tenant().tz())
            .date_naive();
        Some(TimePreference {
            days: if same_day { vec![day] } else { Vec::new() },
            asap: !same_day,
            after: later.then_some(job.slot.end),
            ..TimePreference::default()
        })
    }
}

/// "cancel it", "cancélela", "we won't need you": a cancellation said outright. A job is
/// never cancelled on a guess ("I can't make it Friday" is asked: move or cancel?).
pub(super) fn says_cancel(text: &str) -> bool {
    let n = normalize(text);
    let tokens: Vec<&str> = n.split_whitespace().collect();
    triage::cancel_said(&tokens)
}
