//! Booking: the caller's details, a time that fits, the slot held and confirmed.

use super::extract::{self};
use super::replies::{first_name, Lang};
use super::state::*;
use super::step::{picks_alternative, Flow, Step, Turn};
use crate::scheduling::{self, find_slots, speak_slot, speak_slot_es, Busy, Slot, TimePreference};
use crate::triage::{normalize::normalize, Intent, ServiceType, Triage};
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use std::borrow::Cow;

impl<'a> Turn<'a> {
    /// The answer to "could you spell that?": letters replace the name's last word (or
    /// the name); anything else is taken as the next answer and the call goes on.
    pub(super) fn on_spelling(&mut self, text: &str, tri: &Triage, progressed: bool) -> Flow {
        self.s.stage = Stage::Name;
        let letters: Vec<String> = normalize(text)
            .split_whitespace()
            .filter(|w| w.chars().count() == 1 && w.chars().all(char::is_alphabetic))
            .map(String::from)
            .collect();
        if letters.len() >= 2 {
            let spelled = extract::title(&letters.concat());
            let mut words: Vec<String> = self
                .s
                .name
                .as_deref()
                .unwrap_or_default()
                .split_whitespace()
                .map(String::from)
                .collect();
            if words.len() > 1 {
                words.pop();
                words.push(spelled);
            } else {
                words = vec![spelled];
            }
            self.s.name = Some(words.join(" "));
            return self.proceed_booking();
        }
        self.on_details(text, tri, progressed)
    }

    pub(super) fn on_details(&mut self, text: &str, tri: &Triage, progressed: bool) -> Flow {
        // A name we do not know: asked to spell once, so the CRM gets it right.
        if self.s.stage == Stage::Name
            && !self.s.asked_spelling
            && self.s.address.is_none()
            && self
                .s
                .name
                .as_deref()
                .is_some_and(|n| !extract::name_is_known(n) && !extract::spells_part_of(text, n))
        {
            self.s.asked_spelling = true;
            let line = self.say("spell_last_name", &[]);
            self.push(line);
            self.s.stage = Stage::SpellName;
            return Ok(());
        }
        if Self::wants_message(text) {
            return self.start_message(text);
        }
        if tri.intent == Intent::Human && tri.confidence >= 0.8 && Self::asks_for_person(text) {
            self.offer_transfer(text);
            return Ok(());
        }
        if !progressed && self.s.stage != Stage::Time {
            self.miss();
            return Ok(());
        }
        self.proceed_booking()
    }

    pub(super) fn proceed_booking(&mut self) -> Flow {
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
            let line = self.say("sure_can_help_with", &[]);
            self.push(line);
            return Ok(());
        }
        if self.s.name.is_none() && self.s.stage == Stage::Name && self.s.address.is_some() {
            self.s.name_passed_over = true;
        }
        if self.s.name.is_none() && !self.s.name_passed_over {
            let line = self.say("can_get_someone_out", &[]);
            self.push(line);
            self.s.stage = Stage::Name;
            return Ok(());
        }
        if self.s.address.is_none() {
            let line = match self.s.stage {
                Stage::Name => self.say(
                    "thanks_firstname_whats_address",
                    &[(
                        "first_name",
                        first_name(self.s.name.as_deref().unwrap_or("")),
                    )],
                ),
                _ => self.say("whats_address_where_need", &[]),
            };
            self.push(line);
            self.s.stage = Stage::Address;
            return Ok(());
        }
        if self.takes_messages_now() {
            let owner = self.tenant().contacts.owner_name.clone();
            let line = self.say("were_closed_right_now", &[("owner", &owner)]);
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
        // Asked once and answered with no day or time ("that works", "I'm flexible"): the
        // earliest opening, as a dispatcher would offer it.
        if self.s.preference.is_none() && self.s.stage == Stage::Time {
            self.s.preference = Some(TimePreference {
                asap: true,
                ..TimePreference::default()
            });
        }
        if self.s.preference.is_none() {
            let line = self.say("got_what_day_time", &[]);
            self.push(line);
            self.s.stage = Stage::Time;
            return Ok(());
        }
        self.try_book(None)
    }

    /// Range of appointments to load for a preference: its candidate days, at most 5 weeks.
    pub(super) fn availability_range(
        &self,
        pref: &TimePreference,
    ) -> (DateTime<Utc>, DateTime<Utc>) {
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
    /// The calendar, when it was read for all of `[from, to)`; else the step asks for a read
    /// of that and of what was read before (a slot outside what was read is unknown, not
    /// free: offering it would lose the race to a job nobody looked at).
    pub(super) fn calendar_for(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<&'a Busy, Step> {
        match self.ctx.busy {
            Some(b) if b.covers(from, to) => Ok(b),
            Some(b) => {
                let (from, to) = b.widened(from, to);
                Err(Step::NeedAvailability { from, to })
            }
            None => Err(Step::NeedAvailability { from, to }),
        }
    }

    pub(super) fn still_free(&self, slot: &Slot) -> Result<bool, Step> {
        let busy =
            self.calendar_for(slot.start - Duration::days(1), slot.end + Duration::days(1))?;
        let busy = self.without_own_job(busy);
        let rules = &self.tenant().booking;
        let gap = Duration::minutes(rules.gap_min() as i64);
        // The technician's day may be full though the hour is free (the daily job limit
        // the store's day counter enforces): then the time is gone too.
        let day = self.tenant().local_date(slot.start);
        let day_open = rules.max_jobs_per_day == 0
            || busy.jobs_on(&slot.resource, day) < rules.max_jobs_per_day;
        Ok(day_open && busy.free(&slot.resource, slot.start, slot.end + gap))
    }

    /// The calendar with this call's own held job taken out (it may be moved); borrowed
    /// as is when the call holds no job, which is the usual case.
    pub(super) fn without_own_job<'b>(&self, busy: &'b Busy) -> Cow<'b, Busy> {
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
    pub(super) fn slots_for(&self, pref: &TimePreference, busy: &Busy, limit: usize) -> Vec<Slot> {
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
    pub(super) fn try_book(&mut self, replaces: Option<UpcomingAppointment>) -> Flow {
        let pref = self.s.preference.clone().unwrap_or_default();
        if let (Some(first), Some(other)) = (pref.days.first(), pref.other_reading.first()) {
            let es = self.lang() == Lang::Es;
            let (a, b) = (
                scheduling::speak_day(*first, es),
                scheduling::speak_day(*other, es),
            );
            let line = self.say("just_be_sure_do", &[("a", &a), ("b", &b)]);
            self.push(line);
            self.s.time_readings = (pref.days.clone(), pref.other_reading.clone());
            self.s.stage = Stage::ClarifyTime;
            return Ok(());
        }
        let (from, to) = self.availability_range(&pref);
        let calendar = self.calendar_for(from, to)?;
        let busy = self.without_own_job(calendar);
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
                let line = self.say("if_doesnt_suit_also", &[("when", &when)]);
                self.insert_before_last(line);
                self.s.alternative = Some(alt);
            }
            return Ok(());
        }
        // The nearest opening may lie outside the window that was read.
        let fallback = nearest_to(&pref);
        let (from, to) = self.availability_range(&fallback);
        let calendar = self.calendar_for(from, to)?;
        let busy = self.without_own_job(calendar);
        let nearest = self.slots_for(&fallback, busy.as_ref(), 1);
        match nearest.into_iter().next() {
            Some(slot) => {
                let when = self.speak(&slot);
                let line = if pref.after.is_some() {
                    self.say("next_opening_have_when", &[("when", &when)])
                } else if let Some(closure) = self.closure_in(&pref) {
                    self.say(
                        "were_closed_then_closure",
                        &[("closure", &closure), ("when", &when)],
                    )
                } else {
                    self.say("dont_have_an_opening", &[("when", &when)])
                };
                self.push(line);
                self.s.offered = Some(slot);
                self.s.stage = Stage::ConfirmAlternative;
            }
            None => {
                let line = self.say("sorry_schedule_full_next", &[]);
                self.push(line);
                self.start_message("schedule full")?;
            }
        }
        Ok(())
    }

    /// After hours, a tenant whose policy is to take messages for ordinary work.
    pub(super) fn takes_messages_now(&self) -> bool {
        let t = self.tenant();
        t.booking.after_hours.routine == crate::tenancy::AfterHoursRoutine::TakeMessage
            && !t.is_open(self.ctx.now)
    }

    /// The name of a closure when every day the caller asked for is closed.
    pub(super) fn closure_in(&self, pref: &TimePreference) -> Option<String> {
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
    pub(super) fn offer_spread(&self) -> Duration {
        let rules = &self.tenant().booking;
        let job = self.tenant().duration_min(self.s.service);
        Duration::minutes(rules.arrival_window_min.max(job).max(rules.start_step_min) as i64)
    }

    pub(super) fn speak(&self, slot: &Slot) -> String {
        match self.lang() {
            Lang::En => speak_slot(slot, self.tenant()),
            Lang::Es => speak_slot_es(slot, self.tenant()),
        }
    }

    pub(super) fn appointment_id(&self) -> String {
        // The same turn of the same call always names the same appointment.
        let turn = self.s.transcript.len().to_string();
        crate::ids::short_id("ap", &[&self.s.id, "#", &turn])
    }

    /// The call holds the appointment it offered and has not announced (a held offer).
    pub(super) fn holding(&self) -> Option<UpcomingAppointment> {
        self.s.unannounced_hold()
    }

    /// Offers `slot`: on the phone it is held (locked, nobody told) until the caller says
    /// yes; a move of a job booked before this call, and a text conversation, book it at
    /// once.
    pub(super) fn book(&mut self, slot: Slot, replaces: Option<UpcomingAppointment>) {
        self.book_as(slot, replaces, true);
    }

    /// [`Self::book`]; `may_hold` false books at once (the caller already said yes to this
    /// very time).
    fn book_as(&mut self, slot: Slot, replaces: Option<UpcomingAppointment>, may_hold: bool) {
        let own_hold = self.holding();
        let replaces_hold = replaces.is_none() && own_hold.is_some();
        let replaces = replaces.or_else(|| self.s.booked.clone());
        let moving_existing = self
            .s
            .target
            .as_ref()
            .is_some_and(|t| replaces.as_ref().is_some_and(|r| r.id == t.id));
        let id = self.appointment_id();
        let held = may_hold && self.s.channel == Channel::Voice && !moving_existing;
        let booking = Booking {
            appointment_id: id.clone(),
            slot: slot.clone(),
            service: self.s.service,
            name: self.s.name.clone().unwrap_or_default(),
            phone: self.s.callback_number().to_string(),
            address: self.s.address.clone(),
            replaces: replaces.clone(),
            emergency: false,
            held,
            replaces_hold,
            lang: self.lang(),
        };
        self.actions.push(Action::Book(Box::new(booking)));
        self.s.announced = !held;
        let appt = UpcomingAppointment {
            job_id: replaces.as_ref().map(|r| r.job().to_string()),
            id,
            service: self.s.service,
            slot: slot.clone(),
        };
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
            self.say(
                "done_ive_moved_label",
                &[("label", &label), ("when", &when)],
            )
        } else {
            self.say(
                "youre_booked_when_label",
                &[("when", &when), ("label", &label), ("street", &street)],
            )
        };
        self.push(line);
        let line = self.say("youll_get_text_confirmation", &[]);
        self.push(line);
        self.s.stage = Stage::ConfirmBooking;
    }

    pub(super) fn on_confirm(&mut self, text: &str, tri: &Triage) -> Flow {
        if self.cancels_instead(text) {
            return Ok(());
        }
        let n = normalize(text);
        let later = n.contains("later")
            || n.contains("something else")
            || n.contains("another time")
            || n.contains("mas tarde");
        // "yes, thursday at nine": a yes that names another time than the one held asks
        // for that time; one that names the held time ("sí, a las doce está bien")
        // confirms it.
        let new_time = self.time_said
            && (extract::yes_no(text) != Some(true) || !self.names_the_held_time(text));
        if let Some(alt) = self.s.alternative.clone().filter(|_| picks_alternative(&n)) {
            if self.still_free(&alt)? {
                self.book(alt, None);
                return Ok(());
            }
            let line = self.say("sorry_another_caller_just", &[]);
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
                self.confirm_hold();
                let line = self.say("great_youre_all_set", &[("business", &self.tenant().name)]);
                self.push(line);
                self.end(None);
            }
            Some(false) => {
                // Turned down: the held time is freed and nobody is told of it.
                if let Some(h) = self.holding() {
                    self.actions.push(Action::Release(h));
                    self.s.booked = None;
                    if self.s.outcome == Some(Outcome::Booked) {
                        self.s.outcome = None;
                    }
                }
                let line = self.say("no_problem_what_day", &[]);
                self.push(line);
                self.s.stage = Stage::Time;
            }
            None if tri.intent == Intent::Cancel => {
                if let Some(h) = self.holding() {
                    self.actions.push(Action::Release(h));
                    self.s.booked = None;
                } else if let Some(b) = self.s.booked.take() {
                    self.actions.push(Action::Cancel(b));
                }
                let line = self.say("okay_ive_cancelled_thanks", &[]);
                self.push(line);
                self.end(Some(Outcome::Cancelled));
            }
            None => {
                let line = self.say("thanks_time_okay", &[]);
                self.push(line);
            }
        }
        Ok(())
    }

    /// Whether the day and time this turn names (if any) fit the time offered: its day,
    /// and a start inside its arrival window.
    fn names_the_held_time(&self, text: &str) -> bool {
        let Some(held) = self.s.booked.as_ref() else {
            return false;
        };
        let today = self.tenant().local_date(self.ctx.now);
        let Some(said) = scheduling::parse_preference(text, today) else {
            return true;
        };
        let start = held.slot.start.with_timezone(&self.tenant().tz());
        let window = self.offer_spread();
        let day = start.date_naive();
        let day_fits = (said.days.is_empty() || said.days.contains(&day))
            && (said.weekdays.is_empty() || said.weekdays.contains(&day.weekday()))
            && !said.exclude.contains(&day.weekday())
            && said.range.is_none_or(|(a, b)| day >= a && day <= b);
        let (open, close) = (start.time(), (start + window).time());
        let time_fits = said
            .from
            .is_none_or(|f| f >= open && (f < close || close < open));
        day_fits && time_fits
    }

    /// The caller said yes: the held appointment is booked and everyone told.
    pub(super) fn confirm_hold(&mut self) {
        if let Some(h) = self.holding() {
            self.actions.push(Action::Confirm(h));
            self.s.announced = true;
        }
    }

    /// Settles a phrase with two readings: "next", "the following one", "the second" take
    /// the later reading; "this", "the first", "sooner" the earlier; a day named outright
    /// replaces both; anything else keeps the sooner one.
    pub(super) fn on_clarify_time(&mut self, text: &str) -> Flow {
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

    pub(super) fn on_alternative(&mut self, text: &str) -> Flow {
        if self.cancels_instead(text) {
            return Ok(());
        }
        if extract::yes_no(text) == Some(true) && !self.time_said {
            if let Some(slot) = self.s.offered.clone() {
                let target = self.s.target.clone();
                if !self.still_free(&slot)? {
                    // They already agreed to the nearest time: the next nearest is held
                    // for them (as a first offer is), so callers who lost together are
                    // not sent racing again for one unheld time.
                    let line = self.say("sorry_another_caller_just_2", &[]);
                    self.push(line);
                    self.s.offered = None;
                    let pref = self.s.preference.clone().unwrap_or_default();
                    self.s.preference = Some(nearest_to(&pref));
                    return self.try_book(target);
                }
                // They said yes to this very time: booked, not held.
                self.book_as(slot, target, false);
                return Ok(());
            }
        }
        if self.time_said {
            return self.try_book(self.s.target.clone());
        }
        let line = self.say("okay_what_day_time", &[]);
        self.push(line);
        self.s.stage = Stage::Time;
        Ok(())
    }
}

/// The preference for the nearest opening when `pref`'s window is full: the soonest time
/// after the same point, avoiding the same days.
fn nearest_to(pref: &TimePreference) -> TimePreference {
    TimePreference {
        exclude: pref.exclude.clone(),
        asap: true,
        after: pref.after,
        ..TimePreference::default()
    }
}
