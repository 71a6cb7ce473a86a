//! One owner's-line question answered: the facts it needs loaded (jobs, calls, callbacks
//! in the shop's zone), a change to a job asked about twice and then run through the
//! office's own flows (so the customer is texted and the slot freed exactly as from the
//! dashboard), and every answer audited.

use crate::crm::input::{AppointmentPatch, RescheduleRequest};
use crate::crm::{Appointment, AppointmentStatus};
use crate::flows::{office, FlowError};
use crate::notify::{Audience, OutboundMessage, OutboxEvent};
use crate::owner_line::session::Confirmation;
use crate::owner_line::speak::{self, CallLine, JobLine};
use crate::owner_line::{ask, Ask, LineSession, Pending, PendingChange};
use crate::tenancy::{AuthContext, Role, Tenant};
use crate::{phone, Services};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};

/// What the line does after its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Then {
    /// Listen for the next question.
    Listen,
    /// Bridge the call to this number (E.164), from the shop's number.
    Dial(String),
    /// Say goodbye and hang up.
    HangUp,
    /// Hand the rest of the call to the receptionist, as a customer's call.
    AsCustomer,
}

/// An answer: words and what follows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineReply {
    pub say: String,
    pub then: Then,
}

impl LineReply {
    /// Words, then listen for the next question.
    pub fn listen(say: impl Into<String>) -> Self {
        LineReply {
            say: say.into(),
            then: Then::Listen,
        }
    }
}

/// The words "Anything else?" follow an answer on the phone.
const ANYTHING_ELSE: &str = " Anything else?";

/// `[start, end)` of a local day, in UTC.
fn day_bounds(tenant: &Tenant, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    crate::scheduling::day_bounds(tenant.tz(), day)
}

fn local_time(tenant: &Tenant, t: DateTime<Utc>) -> NaiveTime {
    t.with_timezone(&tenant.tz()).time()
}

fn job_line(tenant: &Tenant, a: &Appointment) -> JobLine {
    JobLine {
        at: local_time(tenant, a.start),
        customer: a.customer.name.clone(),
        service: tenant.label(a.service),
        street: a
            .address
            .as_deref()
            .map(|s| s.split(',').next().unwrap_or(s).trim().to_string()),
    }
}

/// Booked jobs of a local day, in order.
async fn jobs_on(
    svc: &Services,
    tenant: &Tenant,
    day: NaiveDate,
) -> Result<Vec<Appointment>, FlowError> {
    let (from, to) = day_bounds(tenant, day);
    let mut jobs: Vec<Appointment> = svc
        .store
        .appointments_between(&tenant.id, from, to)
        .await?
        .into_iter()
        .filter(|a| a.status == AppointmentStatus::Booked)
        .collect();
    jobs.sort_by_key(|a| a.start);
    Ok(jobs)
}

/// The booked job starting at local `at` on `day`, or (no day said) today or the next
/// week's first one at that time.
async fn job_at(
    svc: &Services,
    tenant: &Tenant,
    day: Option<NaiveDate>,
    at: NaiveTime,
    today: NaiveDate,
) -> Result<Option<(NaiveDate, Appointment)>, FlowError> {
    let days: Vec<NaiveDate> = match day {
        Some(d) => vec![d],
        None => (0..7).map(|i| today + Duration::days(i)).collect(),
    };
    for d in days {
        if let Some(a) = jobs_on(svc, tenant, d)
            .await?
            .into_iter()
            .find(|a| local_time(tenant, a.start) == at)
        {
            return Ok(Some((d, a)));
        }
    }
    Ok(None)
}

fn who(name: Option<&str>, number: &str) -> String {
    match name {
        Some(n) if !n.trim().is_empty() => n.trim().to_string(),
        _ => phone::display(number),
    }
}

/// The audit action of an ask.
fn action(a: &Ask) -> &'static str {
    match a {
        Ask::Day(_) => "owner_line_day",
        Ask::Emergencies => "owner_line_emergencies",
        Ask::Callbacks => "owner_line_callbacks",
        Ask::WhoAt(..) => "owner_line_who_at",
        Ask::TextNextAddress => "owner_line_text_address",
        Ask::CallBackLastMissed => "owner_line_call_back",
        Ask::Cancel(..) => "owner_line_cancel_asked",
        Ask::Move { .. } => "owner_line_move_asked",
        Ask::Receptionist => "owner_line_receptionist",
        Ask::WhichJob | Ask::Yes | Ask::No | Ask::Goodbye | Ask::Unclear => "owner_line_question",
    }
}

/// Where a turn comes from: the number speaking ("text me" goes there), whether a call
/// can be bridged, and a key unique to the turn (a replayed turn sends no second text).
#[derive(Debug, Clone, Copy)]
pub struct Turn<'a> {
    pub caller: &'a str,
    pub voice: bool,
    /// `{CallSid}-{seq}` or the text's `MessageSid`.
    pub key: &'a str,
}

/// Answers one question or confirmation of a signed-in session.
pub async fn answer(
    svc: &Services,
    tenant: &Tenant,
    session: &mut LineSession,
    text: &str,
    turn: Turn<'_>,
    now: DateTime<Utc>,
) -> Result<LineReply, FlowError> {
    let (caller, voice) = (turn.caller, turn.voice);
    let email = session.email.clone().unwrap_or_default();
    let actor = format!("owner_line:{email}");
    let today = tenant.local_date(now);
    if session.pending.is_some() {
        if let Some(yes) = ask::confirms(text) {
            return confirm(svc, tenant, session, yes, &actor, now).await;
        }
        let p = session.pending.as_ref().expect("checked");
        let verb = verb(&p.change);
        return Ok(LineReply::listen(format!(
            "Say yes to {verb} {}, or no to leave it.",
            p.described
        )));
    }
    let asked = ask::parse(text, today);
    svc.store
        .audit(&tenant.id, &actor, action(&asked), caller, now)
        .await?;
    let tail = if voice { ANYTHING_ELSE } else { "" };
    let reply = match asked {
        Ask::Day(d) => {
            let jobs = jobs_on(svc, tenant, d).await?;
            let lines: Vec<JobLine> = jobs.iter().map(|a| job_line(tenant, a)).collect();
            LineReply::listen(speak::day(d, today, &lines) + tail)
        }
        Ask::Emergencies => {
            let (from, _) = day_bounds(tenant, today);
            let calls: Vec<CallLine> = svc
                .store
                .calls_between(&tenant.id, from, now + Duration::seconds(1))
                .await?
                .into_iter()
                .filter(|c| c.emergency)
                .map(|c| CallLine {
                    at: crate::store::parse_time(&c.started_at)
                        .map(|t| local_time(tenant, t))
                        .unwrap_or(NaiveTime::MIN),
                    who: phone::display(&c.caller),
                    about: c.service.replace('_', " "),
                })
                .collect();
            LineReply::listen(speak::emergencies(&calls) + tail)
        }
        Ask::Callbacks => {
            let open: Vec<CallLine> = svc
                .store
                .open_callbacks(&tenant.id)
                .await?
                .into_iter()
                .map(|c| CallLine {
                    at: crate::store::parse_time(&c.created_at)
                        .map(|t| local_time(tenant, t))
                        .unwrap_or(NaiveTime::MIN),
                    who: who(c.name.as_deref(), &c.phone),
                    about: c.note.chars().take(100).collect(),
                })
                .collect();
            LineReply::listen(speak::callbacks(&open) + tail)
        }
        Ask::WhoAt(day, t) => {
            let found = job_at(svc, tenant, day, t, today).await?;
            let when =
                speak::day_words(found.as_ref().map(|f| f.0).or(day).unwrap_or(today), today);
            let line = found.as_ref().map(|(_, a)| job_line(tenant, a));
            LineReply::listen(speak::who_at(&when, t, line.as_ref()) + tail)
        }
        Ask::TextNextAddress => text_next_address(svc, tenant, turn, now).await? + tail,
        Ask::CallBackLastMissed => {
            let last = svc
                .store
                .open_callbacks(&tenant.id)
                .await?
                .into_iter()
                .max_by(|a, b| a.created_at.cmp(&b.created_at));
            match last {
                None => LineReply::listen(format!("No missed callers are waiting.{tail}")),
                Some(c) if voice => {
                    svc.store
                        .audit(&tenant.id, &actor, "owner_line_bridged", &c.id, now)
                        .await?;
                    LineReply {
                        say: format!("Calling {} now.", who(c.name.as_deref(), &c.phone)),
                        then: Then::Dial(c.phone),
                    }
                }
                Some(c) => LineReply::listen(format!(
                    "The last missed caller is {}: {}.",
                    who(c.name.as_deref(), &c.phone),
                    phone::display(&c.phone)
                )),
            }
        }
        Ask::Cancel(day, at) => {
            propose(svc, tenant, session, (day, at), Wanted::Cancel, turn, now).await?
        }
        Ask::Move { to: None, .. } => {
            LineReply::listen("Say it with the new time, like: move the 3 o'clock to Friday at 10.")
        }
        Ask::Move {
            day,
            at,
            to: Some((to_day, to_time)),
        } => {
            let wanted = Wanted::Move { to_day, to_time };
            propose(svc, tenant, session, (day, at), wanted, turn, now).await?
        }
        Ask::WhichJob => LineReply::listen("Which job? Say its time, like: cancel the 3 o'clock."),
        Ask::Yes | Ask::No => LineReply::listen(if voice { "Anything else?" } else { "OK." }),
        Ask::Goodbye => LineReply {
            say: "Bye.".into(),
            then: Then::HangUp,
        },
        Ask::Receptionist if voice => LineReply {
            say: "Here's what your callers hear.".into(),
            then: Then::AsCustomer,
        },
        Ask::Receptionist => {
            LineReply::listen("To try the receptionist by text, text the shop from another phone.")
        }
        Ask::Unclear => LineReply::listen(speak::help()),
    };
    Ok(reply)
}

impl std::ops::Add<&str> for LineReply {
    type Output = LineReply;
    fn add(mut self, tail: &str) -> LineReply {
        if self.then == Then::Listen {
            self.say.push_str(tail);
        }
        self
    }
}

fn verb(c: &PendingChange) -> &'static str {
    match c {
        PendingChange::Cancel => "cancel",
        PendingChange::Move { .. } => "move",
    }
}

/// A change asked for, before the job is found.
enum Wanted {
    Cancel,
    /// To this local time, on this day (`None`: the job's own day).
    Move {
        to_day: Option<NaiveDate>,
        to_time: NaiveTime,
    },
}

fn spoken_clock(t: NaiveTime) -> String {
    crate::scheduling::clock(chrono::Timelike::hour(&t), chrono::Timelike::minute(&t))
}

/// Reads the job back and asks the first "yes": owners and admins who proved who they
/// are (a PIN, or an attested call) only.
async fn propose(
    svc: &Services,
    tenant: &Tenant,
    session: &mut LineSession,
    (day, at): (Option<NaiveDate>, NaiveTime),
    wanted: Wanted,
    turn: Turn<'_>,
    now: DateTime<Utc>,
) -> Result<LineReply, FlowError> {
    if !matches!(session.role, Some(Role::Owner | Role::Admin)) {
        return Ok(LineReply::listen(
            "Only the shop's owner can cancel or move jobs from the phone. Anything else?",
        ));
    }
    if !session.may_change() {
        return Ok(LineReply::listen(if turn.voice {
            "To change a job, call the shop, say \"this is the owner\" and give your PIN. Anything else?"
        } else {
            "To cancel or move a job, call the shop and give your PIN, or use the dashboard."
        }));
    }
    let today = tenant.local_date(now);
    let Some((d, a)) = job_at(svc, tenant, day, at, today).await? else {
        let when = speak::day_words(day.unwrap_or(today), today);
        return Ok(LineReply::listen(format!(
            "Nothing is booked at {} {when}.",
            spoken_clock(at)
        )));
    };
    let j = job_line(tenant, &a);
    let described = format!(
        "the {} {}, {}, {}",
        spoken_clock(at),
        speak::day_words(d, today),
        j.customer,
        j.service
    );
    let (change, question) = match wanted {
        Wanted::Cancel => (
            PendingChange::Cancel,
            format!("{}? Cancel it?", capital(&described)),
        ),
        Wanted::Move { to_day, to_time } => {
            let local = to_day.unwrap_or(d).and_time(to_time);
            let Some(start) = tenant
                .tz()
                .from_local_datetime(&local)
                .earliest()
                .map(|x| x.with_timezone(&Utc))
                .filter(|s| *s > now)
            else {
                return Ok(LineReply::listen(
                    "That time has passed. Say a time still ahead.",
                ));
            };
            let slot = crate::scheduling::Slot {
                resource: a.resource.clone(),
                start,
                end: start + (a.end - a.start),
            };
            (
                PendingChange::Move { start },
                format!("Move {described} to {}?", speak_start(tenant, &slot)),
            )
        }
    };
    session.pending = Some(Pending {
        change,
        appointment_id: a.id.clone(),
        described,
        customer: speak::first_name(&a.customer.name).to_string(),
        confirmations: 0,
        proposed_at: now,
    });
    Ok(LineReply::listen(question))
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// "Friday, December 11th at 10 AM".
fn speak_start(tenant: &Tenant, slot: &crate::scheduling::Slot) -> String {
    let l = slot.start.with_timezone(&tenant.tz());
    format!(
        "{} at {}",
        crate::scheduling::speak_day(l.date_naive(), false),
        crate::scheduling::clock(chrono::Timelike::hour(&l), chrono::Timelike::minute(&l))
    )
}

/// A yes or no to the pending change; the second yes runs the office's cancel or move.
async fn confirm(
    svc: &Services,
    tenant: &Tenant,
    session: &mut LineSession,
    yes: bool,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<LineReply, FlowError> {
    let pending = session.pending.clone();
    match session.confirm(yes, now) {
        Confirmation::Dropped => Ok(LineReply::listen("OK, I left it as it is. Anything else?")),
        Confirmation::AskAgain => {
            let p = pending.expect("a pending change was confirmed");
            let what = match p.change {
                PendingChange::Cancel => "that it's cancelled",
                PendingChange::Move { .. } => "with the new time",
            };
            Ok(LineReply::listen(format!(
                "{} will get a text {what}. Say yes again to {} it.",
                p.customer,
                verb(&p.change)
            )))
        }
        Confirmation::Go => {
            let p = pending.expect("a pending change was confirmed");
            session.pending = None;
            // The login as it stands now: disabled or made staff since the read-back,
            // nothing changes.
            let email = session.email.clone().unwrap_or_default();
            let still = svc.store.line_member(&tenant.id, &email).await?;
            if !still
                .is_some_and(|m| !m.disabled && matches!(m.role, Some(Role::Owner | Role::Admin)))
            {
                return Ok(LineReply::listen(
                    "Only the shop's owner can cancel or move jobs, so nothing changed.",
                ));
            }
            let ctx = AuthContext {
                tenant_id: crate::ids::TenantId::parse(&tenant.id)
                    .map_err(|e| FlowError::Invalid(e.to_string()))?,
                user: session.email.clone().unwrap_or_default(),
                role: session.role.unwrap_or(crate::tenancy::Role::Staff),
            };
            let done = match &p.change {
                PendingChange::Cancel => office::appointments::patch(
                    svc,
                    &ctx,
                    &p.appointment_id,
                    AppointmentPatch {
                        status: Some(AppointmentStatus::Cancelled),
                        note: Some("Cancelled by phone on the owner's line.".into()),
                        amount: None,
                    },
                )
                .await
                .map(|_| {
                    format!(
                        "Cancelled. {} has been texted and the time is free. Anything else?",
                        p.customer
                    )
                }),
                PendingChange::Move { start } => office::appointments::reschedule(
                    svc,
                    &ctx,
                    &p.appointment_id,
                    RescheduleRequest {
                        start: *start,
                        resource: None,
                    },
                )
                .await
                .map(|a| {
                    format!(
                        "Moved to {}. {} has been texted. Anything else?",
                        speak_start(tenant, &a.slot()),
                        p.customer
                    )
                }),
            };
            svc.store
                .audit(
                    &tenant.id,
                    actor,
                    match (&p.change, done.is_ok()) {
                        (PendingChange::Cancel, true) => "owner_line_cancelled",
                        (PendingChange::Move { .. }, true) => "owner_line_moved",
                        _ => "owner_line_change_refused",
                    },
                    &p.appointment_id,
                    now,
                )
                .await?;
            match done {
                Ok(say) => Ok(LineReply::listen(say)),
                Err(FlowError::Conflict { .. }) => Ok(LineReply::listen(
                    "That time is taken, so nothing changed. Try another time.",
                )),
                Err(FlowError::Invalid(_)) => Ok(LineReply::listen(
                    "That job can't be changed that way, so nothing changed.",
                )),
                Err(e) => Err(e),
            }
        }
    }
}

/// Texts the next booked job's address to `caller` (through the outbox, like every text).
async fn text_next_address(
    svc: &Services,
    tenant: &Tenant,
    turn: Turn<'_>,
    now: DateTime<Utc>,
) -> Result<LineReply, FlowError> {
    // A withheld number ("anonymous") cannot be texted.
    let Ok(caller) = crate::phone::E164::parse(turn.caller) else {
        return Ok(LineReply::listen(
            "I can't text this phone: its number is hidden.",
        ));
    };
    let next = svc
        .store
        .appointments_between(&tenant.id, now, now + Duration::days(14))
        .await?
        .into_iter()
        .filter(|a| a.status == AppointmentStatus::Booked)
        .min_by_key(|a| a.start);
    let Some(a) = next else {
        return Ok(LineReply::listen(
            "Nothing is booked in the next two weeks.",
        ));
    };
    let Some(address) = a.address.clone() else {
        return Ok(LineReply::listen(format!(
            "The next job, {}, has no address on file.",
            a.customer.name
        )));
    };
    let body = format!(
        "Next job: {}, {}, {}. {}",
        speak_start(tenant, &a.slot()),
        a.customer.name,
        tenant.label(a.service),
        address
    );
    let event = OutboxEvent {
        id: format!("line-address-{}", turn.key),
        tenant_id: tenant.id.clone(),
        kind: "owner_line_address".into(),
        created_at: now,
        messages: vec![OutboundMessage {
            channel: "sms".into(),
            audience: Audience::Owner,
            to: caller.to_string(),
            from: tenant.phone.clone(),
            body,
        }],
        appointment: None,
    };
    svc.store.put_outbox_once(&event).await?;
    Ok(LineReply::listen(format!(
        "Texted: the next job is {} at {}.",
        a.customer.name,
        a.address.as_deref().unwrap_or_default()
    )))
}
