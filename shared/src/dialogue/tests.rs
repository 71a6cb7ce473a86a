//! Dialogue tests: whole conversations through the pure `step`, with a calendar in memory.

use super::*;
use crate::scheduling::{Busy, WeeklyHours};
use crate::tenancy::*;
use crate::triage::ServiceType;
use chrono::{TimeZone, Utc};

pub(super) fn tenant() -> Tenant {
    Tenant {
        id: "t1".into(),
        name: "Test Plumbing".into(),
        trades: "plumbing".into(),
        time_zone: "America/Chicago".into(),
        phone: "+19135550100".into(),
        hours: WeeklyHours::weekdays((8, 0), (17, 0), None),
        services: vec![ServiceOffering {
            service: ServiceType::FaucetRepair,
            label: "faucet repair".into(),
            duration_min: 60,
            price_low: 100,
            price_high: 200,
        }],
        resources: vec![Resource {
            id: "r1".into(),
            name: "Van".into(),
        }],
        contacts: Contacts {
            owner_name: "Sam".into(),
            owner_cell: "+19135550101".into(),
            owner_email: None,
        },
        emergency: EmergencyPolicy {
            transfer_to_owner: false,
            transfer_on_request: true,
            keywords: vec![],
            alert_sla_s: 60,
        },
        service_area: vec!["merriam".into()],
        spanish: true,
        booking: BookingRules::default(),
        plan: "solo".into(),
        status: TenantStatus::Active,
        lifecycle: Default::default(),
        owner_line: Vec::new(),
    }
}

/// Plays a conversation, answering calendar requests from an empty calendar.
fn play(lines: &[&str]) -> (Conversation, Vec<Vec<Action>>, Reply) {
    play_assisted(lines, &[])
}

/// As [`play`], with the LLM assist's reading of caller line `i` in `assists[i]`.
fn play_assisted(
    lines: &[&str],
    assists: &[Option<crate::assist::Extraction>],
) -> (Conversation, Vec<Vec<Action>>, Reply) {
    play_on(&tenant(), &Busy::default(), lines, assists)
}

/// Plays a conversation for tenant `t` against the calendar `busy`, on Saturday
/// 2026-11-21 at 10:00 in Chicago.
fn play_on(
    t: &Tenant,
    busy: &Busy,
    lines: &[&str],
    assists: &[Option<crate::assist::Extraction>],
) -> (Conversation, Vec<Vec<Action>>, Reply) {
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 16, 0, 0).unwrap();
    play_at(t, busy, lines, assists, now)
}

fn play_at(
    t: &Tenant,
    busy: &Busy,
    lines: &[&str],
    assists: &[Option<crate::assist::Extraction>],
    now: chrono::DateTime<Utc>,
) -> (Conversation, Vec<Vec<Action>>, Reply) {
    let mut state = Conversation::new("CA1", "t1", "+19135550142", now, None);
    let mut all = Vec::new();
    let mut last = Reply::default();
    let inputs: Vec<Input> = std::iter::once(Input::Start)
        .chain(lines.iter().map(|l| Input::Speech {
            text: l.to_string(),
            confidence: 0.9,
        }))
        .collect();
    for (i, input) in inputs.into_iter().enumerate() {
        let assist = i
            .checked_sub(1)
            .and_then(|line| assists.get(line))
            .and_then(Option::as_ref);
        let ctx = Context {
            tenant: t,
            now,
            busy: Some(busy),
            assist,
        };
        match step(state.clone(), &input, &ctx) {
            Step::Done(out) => {
                state = out.state;
                all.push(out.actions);
                last = out.reply;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    (state, all, last)
}

#[test]
fn books_a_faucet_repair_inside_hours() {
    let (s, actions, last) = play(&[
        "my kitchen faucet is dripping",
        "jane doe",
        "123 main street merriam",
        "tuesday morning",
        "yes",
    ]);
    assert_eq!(s.outcome, Some(Outcome::Booked));
    assert_eq!(s.service, ServiceType::FaucetRepair);
    assert!(last.hangup);
    let booking = actions
        .iter()
        .flatten()
        .find_map(|a| {
            if let Action::Book(b) = a {
                Some(b.clone())
            } else {
                None
            }
        })
        .unwrap();
    let local = booking
        .slot
        .start
        .with_timezone(&chrono_tz::America::Chicago);
    assert_eq!(local.format("%a %H:%M").to_string(), "Tue 08:00");
}

#[test]
fn gas_smell_gets_safety_words_first_and_alerts_at_once() {
    let t = tenant();
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 16, 0, 0).unwrap();
    let s = Conversation::new("CA2", "t1", "+19135550142", now, None);
    let ctx = Context {
        tenant: &t,
        now,
        busy: None,
        assist: None,
    };
    let Step::Done(out) = step(
        s,
        &Input::Speech {
            text: "i smell gas in the kitchen".into(),
            confidence: 0.9,
        },
        &ctx,
    ) else {
        panic!()
    };
    assert!(
        out.reply.say[0].contains("out of the house"),
        "{:?}",
        out.reply.say
    );
    assert!(out.reply.say[0].contains("gas company or 911"));
    assert!(out.actions.iter().any(|a| matches!(
        a,
        Action::AlertOwner(Alert {
            kind: AlertKind::Emergency,
            ..
        })
    )));
}

#[test]
fn emergency_dispatch_collects_name_and_address() {
    let (s, _, _) = play(&[
        "a pipe burst and water is everywhere in the basement",
        "bob smith 42 elm street merriam",
    ]);
    assert_eq!(s.outcome, Some(Outcome::EmergencyDispatched));
    assert!(s.emergency);
    assert_eq!(s.name.as_deref(), Some("Bob Smith"));
    assert!(s.reasons.iter().any(|r| r.code == "burst_pipe"));
}

#[test]
fn two_empty_turns_end_as_abandoned_with_a_callback() {
    let t = tenant();
    let now = Utc::now();
    let mut s = Conversation::new("CA3", "t1", "+19135550142", now, None);
    for _ in 0..2 {
        let ctx = Context {
            tenant: &t,
            now,
            busy: None,
            assist: None,
        };
        let Step::Done(out) = step(s.clone(), &Input::Silence, &ctx) else {
            panic!()
        };
        s = out.state;
        if s.outcome.is_some() {
            assert!(out
                .actions
                .iter()
                .any(|a| matches!(a, Action::Callback { .. })));
        }
    }
    // Nothing was said to take a message from; the caller is still called back.
    assert_eq!(s.outcome, Some(Outcome::Abandoned));
}

#[test]
fn a_caller_who_steps_away_is_waited_for() {
    let (s, _, last) = play(&["yeah hi um", "oh shoot hold on"]);
    assert_eq!(s.outcome, None);
    assert!(last.say.iter().any(|l| l.contains("take your time")));
    assert!(!last.hangup);
}

#[test]
fn have_the_owner_call_is_a_message_and_a_person_asked_for_during_it_is_put_through() {
    let (s, _, _) = play(&[
        "morning this is dana from the church office we'd like pricing on yearly furnace service",
        "dana whitfield",
        "tell sam to ring me back on this line after lunch",
    ]);
    assert_eq!(s.stage, Stage::MessageDetails);
    assert_eq!(s.name.as_deref(), Some("Dana Whitfield"));
    let (s, _, last) = play(&[
        "please take a message for sam the invoice you sent lists three hours",
        "it's omar haddad",
        "could i speak with sam about it",
    ]);
    assert_eq!(s.outcome, Some(Outcome::Transferred));
    assert_eq!(last.dial.as_deref(), Some("+19135550101"));
}

#[test]
fn my_name_is_replaces_a_weaker_reading_and_a_late_unit_joins_the_address() {
    let (s, _, _) = play(&[
        "your tech asked me to phone in the part number for my kitchen tap can you give it to him",
        "its delta 4159",
        "my name is rosa imani",
    ]);
    assert_eq!(s.name.as_deref(), Some("Rosa Imani"));
    let (s, _, _) = play(&[
        "there's no water at all coming out anywhere in the house",
        "im vera koss",
        "301 west 63rd street merriam",
        "and it's apartment c",
    ]);
    assert!(s.emergency);
    assert_eq!(
        s.address.as_ref().and_then(|a| a.unit.as_deref()),
        Some("C")
    );
}

#[test]
fn faq_then_goodbye() {
    let (s, _, _) = play(&["what are your hours", "no thanks bye"]);
    assert_eq!(s.outcome, Some(Outcome::FaqAnswered));
}

#[test]
fn person_please_is_transferred() {
    let (s, _, last) = play(&[
        "please put me through to a real person",
        "i said a real person please",
    ]);
    assert_eq!(s.outcome, Some(Outcome::Transferred));
    assert_eq!(last.dial.as_deref(), Some("+19135550101"));
}

#[test]
fn wrong_number_is_not_a_lead() {
    let (s, _, _) = play(&["oops sorry wrong number"]);
    assert_eq!(s.outcome, Some(Outcome::NotALead));
}

mod assisted {
    use super::*;
    use crate::assist::Extraction;

    fn hint(f: impl FnOnce(&mut Extraction)) -> Option<Extraction> {
        let mut x = Extraction::default();
        f(&mut x);
        Some(x)
    }

    #[test]
    fn the_assist_can_raise_an_emergency_the_rules_missed() {
        let line = "the water heater makes a loud rumbling noise and the relief valve is dribbling";
        let (plain, _, _) = play(&[line]);
        assert!(!plain.emergency, "premise: the rules alone do not flag it");
        let (s, actions, _) = play_assisted(
            &[line],
            &[hint(|x| {
                x.emergency = true;
                x.problem = Some("water heater overheating and shaking".into());
            })],
        );
        assert!(s.emergency);
        assert!(s.reasons.iter().any(|r| r.code == "assist_emergency"));
        assert!(actions
            .iter()
            .flatten()
            .any(|a| matches!(a, Action::AlertOwner(al) if al.kind == AlertKind::Emergency)));
    }

    #[test]
    fn the_assist_never_lowers_an_emergency() {
        let (s, _, _) = play_assisted(
            &["water is pouring through my kitchen ceiling"],
            &[hint(|x| x.emergency = false)],
        );
        assert!(s.emergency);
    }

    #[test]
    fn the_assist_fills_facts_the_rules_could_not_read_and_they_are_still_checked() {
        let lines = [
            "my kitchen faucet is dripping",
            "uh it's for my landlord's unit put it under the tenant",
            "the place across from the park by the school",
        ];
        let (plain, _, _) = play(&lines);
        assert!(plain.name.is_none() && plain.address.is_none(), "{plain:?}");
        let (s, _, _) = play_assisted(
            &lines,
            &[
                None,
                hint(|x| x.name = Some("Dana Whitfield".into())),
                hint(|x| x.address = Some("5412 W 61st St, Mission KS".into())),
            ],
        );
        assert_eq!(s.name.as_deref(), Some("Dana Whitfield"));
        let a = s.address.expect("address from the hint");
        assert_eq!(a.number, "5412", "{a:?}");
        // A hint that is not an address is dropped, not stored.
        let (junk, _, _) = play_assisted(
            &lines,
            &[
                None,
                None,
                hint(|x| x.address = Some("near the park".into())),
            ],
        );
        assert!(junk.address.is_none());
    }
}

fn bookings(actions: &[Vec<Action>]) -> Vec<Booking> {
    actions
        .iter()
        .flatten()
        .filter_map(|a| match a {
            Action::Book(b) => Some((**b).clone()),
            _ => None,
        })
        .collect()
}

fn local_start(b: &Booking) -> String {
    b.slot
        .start
        .with_timezone(&chrono_tz::America::Chicago)
        .format("%a %d %H:%M")
        .to_string()
}

const FAUCET_CALL: [&str; 4] = [
    "my kitchen faucet is dripping",
    "jane doe",
    "123 main street merriam",
    "tuesday morning",
];

#[test]
fn two_earliest_windows_are_read_back_and_the_second_can_be_taken() {
    let (_, _, reply) = play(&FAUCET_CALL);
    let said = reply.say.join(" ");
    assert!(
        said.contains("Tuesday, November 24th, between 8 and 10 in the morning"),
        "{said}"
    );
    assert!(
        said.contains("I also have Tuesday, November 24th, between 10 AM and noon")
            || said.contains("I also have Tuesday, November 24th, between 10 and noon"),
        "{said}"
    );
    let mut lines = FAUCET_CALL.to_vec();
    lines.push("the second one please");
    let (s, actions, _) = play(&lines);
    let b = bookings(&actions);
    assert_eq!(b.len(), 2, "held, then moved to the alternative");
    assert_eq!(local_start(&b[1]), "Tue 24 10:00");
    assert_eq!(
        b[1].replaces.as_ref().map(|r| r.id.clone()),
        Some(b[0].appointment_id.clone())
    );
    assert_eq!(s.outcome, Some(Outcome::Booked));
}

#[test]
fn something_later_moves_past_both_offers() {
    let mut lines = FAUCET_CALL.to_vec();
    lines.push("do you have something later");
    let (_, _, reply) = play(&lines);
    let said = reply.say.join(" ");
    // Nothing else on Tuesday morning: the next opening after both offers.
    assert!(
        said.contains(
            "next opening I have is Tuesday, November 24th, between 12 and 2 in the afternoon"
        ),
        "{said}"
    );
    lines.push("yes");
    let (s, actions, _) = play(&lines);
    let b = bookings(&actions);
    assert_eq!(local_start(&b[1]), "Tue 24 12:00");
    assert_eq!(s.outcome, Some(Outcome::Booked));
}

#[test]
fn closures_and_the_daily_limit_are_never_booked() {
    let mut t = tenant();
    t.booking.closures.push(crate::tenancy::Closure {
        from: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        name: "Thanksgiving".into(),
    });
    let lines = [
        "my kitchen faucet is dripping",
        "jane doe",
        "123 main street merriam",
        "thursday morning",
    ];
    let (_, _, reply) = play_on(&t, &Busy::default(), &lines, &[]);
    let said = reply.say.join(" ");
    assert!(said.contains("closed then for Thanksgiving"), "{said}");
    let mut lines = lines.to_vec();
    lines.push("yes");
    let (_, actions, _) = play_on(&t, &Busy::default(), &lines, &[]);
    let b = bookings(&actions);
    assert_eq!(local_start(&b[0]), "Mon 23 08:00", "the nearest open day");

    let mut t = tenant();
    t.booking.max_jobs_per_day = 2;
    let mut busy = Busy::default();
    let tue = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    busy.add_job("r1", tue);
    busy.add_job("r1", tue);
    let mut lines = FAUCET_CALL.to_vec();
    lines.push("yes");
    let (_, actions, _) = play_on(&t, &busy, &lines, &[]);
    let b = bookings(&actions);
    assert_eq!(
        local_start(&b[0]),
        "Mon 23 08:00",
        "Tuesday is at its limit"
    );
}

#[test]
fn after_hours_policy_takes_messages_and_holds_transfers() {
    // The test clock is Saturday 10:00: the test tenant is closed.
    let mut t = tenant();
    t.booking.after_hours.routine = crate::tenancy::AfterHoursRoutine::TakeMessage;
    let (s, actions, reply) = play_on(
        &t,
        &Busy::default(),
        &[
            "my kitchen faucet is dripping",
            "jane doe",
            "123 main street merriam",
            "yes",
        ],
        &[],
    );
    assert_eq!(s.outcome, Some(Outcome::MessageTaken), "{:?}", reply.say);
    assert!(bookings(&actions).is_empty());
    assert!(actions
        .iter()
        .flatten()
        .any(|a| matches!(a, Action::Callback { note, .. } if note.contains("after hours"))));

    let mut t = tenant();
    t.emergency.transfer_to_owner = true;
    let burst = ["a pipe burst and water is pouring into the basement"];
    let (_, _, reply) = play_on(&t, &Busy::default(), &burst, &[]);
    let dialed = |r: &Reply| r.dial.is_some();
    let (_, _, r2) = play_on(
        &t,
        &Busy::default(),
        &[burst[0], "jane doe 123 main street merriam"],
        &[],
    );
    assert!(
        dialed(&reply) || dialed(&r2),
        "transfer policy puts the caller through"
    );
    t.booking.after_hours.emergencies = crate::tenancy::AfterHoursEmergency::Notify;
    let (_, _, r2) = play_on(
        &t,
        &Busy::default(),
        &[burst[0], "jane doe 123 main street merriam"],
        &[],
    );
    assert!(!dialed(&r2), "after hours, notify only: {:?}", r2.say);
}

#[test]
fn an_ambiguous_next_friday_is_asked_about() {
    // Wednesday 2026-11-18, 10:00 in Chicago.
    let wed = Utc.with_ymd_and_hms(2026, 11, 18, 16, 0, 0).unwrap();
    let t = tenant();
    let call = [
        "my kitchen faucet is dripping",
        "jane doe",
        "123 main street merriam",
        "next friday morning",
    ];
    let (s, _, reply) = play_at(&t, &Busy::default(), &call, &[], wed);
    assert_eq!(s.stage, Stage::ClarifyTime);
    let said = reply.say.join(" ");
    assert!(
        said.contains("this Friday, November 20th, or the following week, Friday, November 27th"),
        "{said}"
    );
    for (answer, expect) in [
        ("the following one", "Fri 27 08:00"),
        ("this friday", "Fri 20 08:00"),
        ("yes", "Fri 20 08:00"),
        ("the 27th", "Fri 27 08:00"),
    ] {
        let mut lines = call.to_vec();
        lines.push(answer);
        let (_, actions, _) = play_at(&t, &Busy::default(), &lines, &[], wed);
        let b = bookings(&actions);
        assert_eq!(b.len(), 1, "{answer}");
        assert_eq!(local_start(&b[0]), expect, "{answer}");
    }
}

/// Plays on a Tuesday morning (the shop is open), returning every reply too.
fn play_open(lines: &[&str]) -> (Conversation, Vec<Vec<Action>>, Vec<Reply>) {
    let now = Utc.with_ymd_and_hms(2026, 11, 17, 16, 0, 0).unwrap();
    let t = tenant();
    let mut state = Conversation::new("CA2", "t1", "+19135550142", now, None);
    let ctx = Context {
        tenant: &t,
        now,
        busy: None,
        assist: None,
    };
    let mut replies = Vec::new();
    let mut actions = Vec::new();
    let inputs: Vec<Input> = std::iter::once(Input::Start)
        .chain(lines.iter().map(|l| match l.strip_prefix('#') {
            Some(d) => Input::Digits(d.to_string()),
            None => Input::Speech {
                text: l.to_string(),
                confidence: 0.9,
            },
        }))
        .collect();
    let busy = Busy::default();
    for input in inputs {
        let mut need_busy = false;
        let out = loop {
            let c = Context {
                busy: need_busy.then_some(&busy),
                ..ctx
            };
            match step(state.clone(), &input, &c) {
                Step::Done(o) => break *o,
                Step::NeedAvailability { .. } => need_busy = true,
                Step::NeedAppointments => state.upcoming = Some(Vec::new()),
            }
        };
        state = out.state;
        actions.push(out.actions);
        replies.push(out.reply);
    }
    (state, actions, replies)
}

fn said(replies: &[Reply]) -> String {
    replies
        .iter()
        .flat_map(|r| r.say.clone())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn an_unclear_hazard_gets_its_question_and_yes_makes_it_an_emergency() {
    let (s, actions, replies) = play_open(&["water is dripping from the hallway ceiling", "yes"]);
    let heard = said(&replies);
    assert!(heard.contains("more than a drip"), "{heard}");
    assert!(s.emergency, "{heard}");
    assert!(
        actions
            .concat()
            .iter()
            .any(|a| matches!(a, Action::AlertOwner(al) if al.kind == AlertKind::Emergency)),
        "the owner is alerted"
    );
}

#[test]
fn no_to_the_hazard_question_goes_on_as_an_ordinary_job() {
    let (s, _, replies) = play_open(&[
        "water is dripping from the hallway ceiling",
        "no just a slow drip",
    ]);
    assert!(!s.emergency, "{}", said(&replies));
    assert_eq!(s.stage, Stage::Name, "{}", said(&replies));
}

#[test]
fn the_keypad_answers_the_hazard_question_after_an_unclear_answer() {
    let (s, _, replies) = play_open(&[
        "water is dripping from the hallway ceiling",
        "mumble mumble",
        "#1",
    ]);
    let heard = said(&replies);
    assert!(heard.contains("press 1 for yes"), "{heard}");
    assert!(s.emergency, "{heard}");
    assert!(s.transcript.iter().any(|t| t.text == "(pressed 1)"));
}

#[test]
fn a_life_safety_question_unanswered_is_taken_as_yes() {
    // A switch "a little warm" is asked about; an unclear answer errs on the side of safety.
    let (s, _, replies) = play_open(&[
        "the light switch in the kitchen is a little warm",
        "i dunno",
    ]);
    assert!(s.emergency && s.life_safety, "{}", said(&replies));
}

#[test]
fn the_first_spanish_words_switch_the_whole_call() {
    let (s, _, replies) = play_open(&[
        "hola necesito que alguien revise la llave de la cocina que gotea",
        "ana lopez",
    ]);
    assert_eq!(s.lang, Lang::Es);
    assert!(replies.last().is_some_and(|r| r.lang == Lang::Es));
    assert!(said(&replies).contains("dirección"), "{}", said(&replies));
}

#[test]
fn an_offered_time_is_held_until_yes_and_a_declined_one_is_released() {
    let (s, actions, _) = play_open(&[
        "my kitchen faucet is leaking",
        "jane doe",
        "123 main street merriam",
        "thursday morning",
        "no",
        "friday afternoon",
        "yes",
    ]);
    let all = actions.concat();
    let books: Vec<&Booking> = all
        .iter()
        .filter_map(|a| match a {
            Action::Book(b) => Some(b.as_ref()),
            _ => None,
        })
        .collect();
    assert_eq!(books.len(), 2, "{all:?}");
    assert!(books.iter().all(|b| b.held), "{books:?}");
    assert_eq!(
        all.iter()
            .filter(|a| matches!(a, Action::Release(_)))
            .count(),
        1
    );
    let confirmed: Vec<&UpcomingAppointment> = all
        .iter()
        .filter_map(|a| match a {
            Action::Confirm(c) => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(confirmed.len(), 1);
    assert_eq!(confirmed[0].id, books[1].appointment_id);
    assert_eq!(s.outcome, Some(Outcome::Booked));
}

#[test]
fn a_sales_pitch_is_not_a_lead_and_leaves_no_callback() {
    let (s, actions, _) =
        play_open(&["hi this is mike calling from a marketing agency about your google reviews"]);
    assert_eq!(s.outcome, Some(Outcome::NotALead));
    assert!(!actions
        .concat()
        .iter()
        .any(|a| matches!(a, Action::Callback { .. })));
}

#[test]
fn a_call_that_ends_mid_flow_is_settled_as_a_dispatcher_counts_it() {
    let t = tenant();
    let now = Utc.with_ymd_and_hms(2026, 11, 17, 16, 0, 0).unwrap();
    let ctx = Context {
        tenant: &t,
        now,
        busy: None,
        assist: None,
    };
    // A message whose words we have, the caller gone before their name.
    let (s, _, _) = play_open(&["can the owner call me back about my invoice"]);
    assert_eq!(s.stage, Stage::MessageDetails);
    let out = hang_up(s, &ctx).expect("settled");
    assert_eq!(out.state.outcome, Some(Outcome::MessageTaken));
    assert!(out
        .actions
        .iter()
        .any(|a| matches!(a, Action::Callback { .. })));
    // An emergency alerted, the caller gone before the address.
    let (s, _, _) = play_open(&["water is pouring through the kitchen ceiling"]);
    assert!(s.emergency && s.outcome.is_none());
    let out = hang_up(s, &ctx).expect("settled");
    assert_eq!(out.state.outcome, Some(Outcome::EmergencyDispatched));
    // A held offer the caller heard: booked.
    let (s, _, _) = play_open(&[
        "my kitchen faucet is leaking",
        "jane doe",
        "123 main street merriam",
        "thursday morning",
    ]);
    let out = hang_up(s, &ctx).expect("settled");
    assert!(out.actions.iter().any(|a| matches!(a, Action::Confirm(_))));
    // Nothing at all: left to the status callback's "abandoned".
    let (s, _, _) = play_open(&[]);
    assert!(hang_up(s, &ctx).is_none());
}

#[test]
fn losing_the_nearest_time_holds_the_next_one_for_the_caller() {
    let t = tenant();
    let at = |d: u32, h: u32| Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap();
    // Monday 2026-11-23 is full (08:00–17:00 Chicago is 14:00–23:00 UTC).
    let mut busy = Busy::default();
    busy.add("r1", at(23, 14), at(23, 23));
    let (s, _, reply) = play_on(
        &t,
        &busy,
        &[
            "my kitchen faucet is leaking",
            "jane doe",
            "123 main street merriam",
            "monday",
        ],
        &[],
    );
    assert_eq!(s.stage, Stage::ConfirmAlternative, "{}", said(&[reply]));
    let offered = s.offered.clone().expect("the nearest time offered");
    // Another caller takes it before this one says yes.
    busy.add("r1", offered.start, offered.end);
    let ctx = Context {
        tenant: &t,
        now: at(21, 16),
        busy: Some(&busy),
        assist: None,
    };
    let yes = Input::Speech {
        text: "yes".into(),
        confidence: 0.9,
    };
    let Step::Done(out) = step(s, &yes, &ctx) else {
        panic!("the calendar was given");
    };
    let held: Vec<&Booking> = out
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Book(b) => Some(b.as_ref()),
            _ => None,
        })
        .collect();
    assert_eq!(held.len(), 1, "{:?}", out.actions);
    assert!(
        held[0].held && held[0].slot.start > offered.start,
        "{held:?}"
    );
    let text = said(&[out.reply]);
    assert!(
        text.contains("just took that time") && text.contains("You're booked for"),
        "{text}"
    );
}

#[test]
fn the_nearest_opening_is_sought_in_a_calendar_read_for_it() {
    let t = tenant();
    let at = |d: u32, h: u32| Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap();
    let (s, _, _) = play_on(
        &t,
        &Busy::default(),
        &[
            "my kitchen faucet is leaking",
            "jane doe",
            "123 main street merriam",
        ],
        &[],
    );
    // Monday 2026-11-23 is full, and the calendar was read for Monday alone: the nearest
    // opening lies beyond what was read, so it is read before anything is offered.
    let mut busy = Busy::read_for(at(22, 6), at(24, 6));
    busy.add("r1", at(23, 14), at(23, 23));
    let ctx = Context {
        tenant: &t,
        now: at(21, 16),
        busy: Some(&busy),
        assist: None,
    };
    let monday = Input::Speech {
        text: "monday".into(),
        confidence: 0.9,
    };
    match step(s, &monday, &ctx) {
        Step::NeedAvailability { from, to } => {
            assert!(from <= at(22, 6) && to > at(24, 6), "{from} .. {to}");
        }
        other => panic!("an offer from an unread calendar: {other:?}"),
    }
}

#[test]
fn a_yes_naming_another_day_asks_for_that_day_and_one_naming_the_held_time_confirms() {
    let mut lines = FAUCET_CALL.to_vec();
    lines.push("wednesday at nine is perfect");
    let (s, actions, reply) = play(&lines);
    let b = bookings(&actions);
    assert_eq!(local_start(b.last().unwrap()), "Wed 25 09:00");
    assert!(reply.gather, "the new time is read back for a yes");
    assert!(!s.announced, "nothing confirmed yet");
    let mut lines = FAUCET_CALL.to_vec();
    lines.push("yes eight is fine");
    let (s, _, reply) = play(&lines);
    assert!(s.announced && reply.hangup, "the held time is confirmed");
}

#[test]
fn a_caller_who_will_call_back_is_let_go() {
    let (s, _, reply) = play(&[
        "hi um my sink is making a weird",
        "ugh i'll call back later",
    ]);
    assert!(reply.hangup);
    assert_eq!(s.outcome, None, "the status callback makes it abandoned");
}

#[test]
fn a_time_never_named_gets_the_earliest_opening() {
    let (_, actions, _) = play(&[
        "my kitchen faucet is dripping",
        "jane doe",
        "123 main street merriam",
        "that works for me",
    ]);
    assert_eq!(
        bookings(&actions).len(),
        1,
        "the earliest opening is offered"
    );
}

#[test]
fn a_question_on_a_bill_is_a_message_for_the_owner() {
    let (s, _, _) = play_open(&["there is a question about the invoice from last month"]);
    assert_eq!(s.stage, Stage::MessageDetails);
    let (s, _, _) = play_open(&[
        "there is a question about the invoice from last month",
        "ann lee",
    ]);
    assert_eq!(s.name.as_deref(), Some("Ann Lee"));
    assert_ne!(s.outcome, Some(Outcome::Abandoned));
}

#[test]
fn a_first_name_said_again_with_the_surname_completes_the_name() {
    let (s, _, _) = play_open(&[
        "my kitchen faucet is leaking",
        "its dana",
        "oh you want the last name too dana whitfield w h i t f i e l d",
    ]);
    assert_eq!(s.name.as_deref(), Some("Dana Whitfield"));
}

#[test]
fn a_question_answered_while_a_message_waits_for_a_name() {
    let (s, _, replies) = play_open(&[
        "what's the warranty on labor",
        "and are you licensed",
        "ok thanks bye",
    ]);
    assert!(said(&replies).contains("licensed"), "{}", said(&replies));
    assert_eq!(s.outcome, Some(Outcome::FaqAnswered));
}

#[test]
fn a_name_given_for_the_choice_asks_the_choice_again() {
    let (s, _, reply) = play(&[
        "i have a question for the owner about my invoice",
        "dana whitfield",
    ]);
    assert_eq!(s.name.as_deref(), Some("Dana Whitfield"));
    assert_eq!(s.outcome, None, "{:?}", reply.say);
    let (s, _, _) = play(&[
        "i have a question for the owner about my invoice",
        "dana whitfield",
        "just have him call me when he can",
        "yes",
    ]);
    assert_eq!(s.outcome, Some(Outcome::MessageTaken), "{:?}", s.transcript);
}

#[test]
fn a_call_never_understood_is_abandoned_with_a_callback() {
    let (s, actions, _) = play(&["hello hello", "hello"]);
    assert_eq!(s.outcome, Some(Outcome::Abandoned));
    assert!(actions
        .concat()
        .iter()
        .any(|a| matches!(a, Action::Callback { .. })));
}

#[test]
fn names_given_in_labelled_parts_respelled_or_by_nickname_are_kept() {
    let (s, _, _) = play(&[
        "my kitchen faucet drips",
        "last name is wojcik w o j c i k first name tomas",
    ]);
    assert_eq!(s.name.as_deref(), Some("Tomas Wojcik"));
    let (s, _, _) = play(&[
        "my kitchen faucet drips",
        "jon reyes",
        "oops make that john with an h j o h n, address 5512 w 61st st merriam",
    ]);
    assert_eq!(s.name.as_deref(), Some("John Reyes"));
    let (s, _, _) = play(&[
        "my kitchen faucet drips",
        "theodore but everyone calls me ted ted lang",
    ]);
    assert_eq!(s.name.as_deref(), Some("Ted Lang"));
}

#[test]
fn a_message_asked_for_by_name_and_a_caller_who_cannot_do_the_fix() {
    let (s, _, _) = play(&["can you leave sam a quick message for me"]);
    assert_eq!(s.stage, Stage::MessageDetails);
    // An answer's fix the caller cannot do themself: someone goes out.
    let (s, _, _) = play(&[
        "my smoke detector chirps about once a minute is that the battery",
        "okay but i'm not able to reach the ceiling with my bad knee",
    ]);
    assert_eq!(s.stage, Stage::Name, "{:?}", s.transcript);
}

#[test]
fn connect_me_in_so_many_words_puts_the_caller_through() {
    let (s, _, _) = play(&[
        "gotta speak with whoever runs my kitchen remodel crew",
        "it's walter greene",
        "please just connect me",
    ]);
    assert_eq!(s.outcome, Some(Outcome::Transferred), "{:?}", s.transcript);
}

#[test]
fn a_context_answer_read_with_the_report_decides_and_a_no_goes_back_to_booking() {
    let (s, _, _) = play(&[
        "the heat went out on us overnight",
        "it's forty nine in the living room and my dad is ninety one",
    ]);
    assert!(s.emergency, "{:?}", s.transcript);
    let (s, _, _) = play(&[
        "our kitchen sink won't drain and there's standing water in it",
        "no it's not running, the faucet is off",
    ]);
    assert!(!s.emergency, "{:?}", s.transcript);
    assert_eq!(s.stage, Stage::Name, "{:?}", s.transcript);
}

/// Plays a call from a known customer with `upcoming` jobs on the books.
fn play_known(lines: &[&str], upcoming: Vec<UpcomingAppointment>) -> (Conversation, Vec<Reply>) {
    let t = tenant();
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 16, 0, 0).unwrap();
    let known = KnownCustomer {
        id: "c1".into(),
        name: Some("Nora Pell".into()),
        address: extract::address("12 elm street merriam", "KS"),
    };
    let mut state = Conversation::new("CA9", "t1", "+19135550142", now, Some(known));
    state.upcoming = Some(upcoming);
    let busy = Busy::default();
    let mut replies = Vec::new();
    let inputs = std::iter::once(Input::Start).chain(lines.iter().map(|l| Input::Speech {
        text: l.to_string(),
        confidence: 0.9,
    }));
    for input in inputs {
        let ctx = Context {
            tenant: &t,
            now,
            busy: Some(&busy),
            assist: None,
        };
        match step(state.clone(), &input, &ctx) {
            Step::Done(out) => {
                state = out.state;
                replies.push(out.reply);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    (state, replies)
}

#[test]
fn a_customer_naming_the_job_on_the_books_is_asked_move_or_cancel() {
    let monday = Utc.with_ymd_and_hms(2026, 11, 23, 15, 0, 0).unwrap();
    let job = UpcomingAppointment {
        id: "a1".into(),
        service: ServiceType::FaucetRepair,
        slot: crate::scheduling::Slot {
            resource: "r1".into(),
            start: monday,
            end: monday + chrono::Duration::hours(1),
        },
        job_id: None,
    };
    for opening in [
        "hey it's nora, i've got the plumber monday for my leaky faucet",
        "tengo una cita el lunes para la llave del lavabo",
        "nora pell here, about monday, the faucet thing",
    ] {
        let (s, replies) = play_known(&[opening], vec![job.clone()]);
        // The job on the books is taken up (asked about, or its new time asked for);
        // nothing new is booked.
        assert!(
            matches!(s.stage, Stage::ExistingAppointment | Stage::RescheduleTime),
            "{opening}: {}",
            said(&replies)
        );
        assert_eq!(s.target.as_ref().map(|a| a.id.as_str()), Some("a1"));
        assert!(s.booked.is_none());
    }
}

#[test]
fn a_name_given_while_getting_out_is_kept_and_a_house_number_is_no_name() {
    let (s, _, _) = play(&[
        "there is a heavy gas odor by our laundry closet",
        "dominic szabo s z a b o",
        "fourteen fourteen north west elm street merriam",
    ]);
    assert_eq!(s.name.as_deref(), Some("Dominic Szabo"));
}

#[test]
fn a_person_asked_for_inside_a_request_and_again_is_put_through() {
    let (s, _, last) = play(&[
        "i'd like to speak to a real person, we need a bid on plumbing for a new salon",
        "no really, put a live person on the line please",
    ]);
    assert_eq!(s.outcome, Some(Outcome::Transferred), "{:?}", s.transcript);
    assert_eq!(last.dial.as_deref(), Some("+19135550101"));
}

#[test]
fn a_fault_told_rather_than_asked_is_booked_not_left_as_a_message() {
    // Read as a question by the model; no answer is on file, and nothing was asked.
    let text = "the heater smelled like something was burning when it kicked on for the first time this winter";
    assert_eq!(
        crate::triage::classify(text, &[]).intent,
        crate::triage::Intent::Faq
    );
    let (s, _, _) = play(&[text]);
    assert_eq!(s.stage, Stage::Name, "{:?}", s.transcript);
}

#[test]
fn a_nickname_taken_back_and_a_last_name_told_late_make_the_full_name() {
    let (s, _, _) = play(&[
        "i need the bathroom faucet replaced",
        "it's teddy, wait, put down my real name, theodore marsh",
    ]);
    assert_eq!(s.name.as_deref(), Some("Theodore Marsh"));
    let (s, _, _) = play(&[
        "i need the bathroom faucet replaced",
        "greta",
        "and my last name is pettersen p e t t e r s e n",
    ]);
    assert_eq!(
        s.name.as_deref(),
        Some("Greta Pettersen"),
        "{:?}",
        s.transcript
    );
}

#[test]
fn a_question_in_reply_to_the_hazard_question_is_answered_not_dispatched() {
    let (s, _, replies) = play_open(&[
        "water is dripping from the hallway ceiling",
        "what is your fee for a service call",
        "ok thanks i'll think about it and call you back",
    ]);
    let heard = said(&replies);
    assert!(heard.contains("more than a drip"), "{heard}");
    assert!(!s.emergency, "{heard}");
}

#[test]
fn a_phone_number_read_out_is_never_an_emergency() {
    let (s, _, _) = play(&[
        "please have sam call me back about a quote for a new kitchen faucet",
        "it's bea lund",
        "it's nine one three five five five zero one nine one",
    ]);
    assert!(!s.emergency, "{:?}", s.transcript);
}

#[test]
fn a_house_number_with_thousands_and_a_corrected_number_keep_the_rest() {
    let (s, _, _) = play(&[
        "i need a faucet replaced in the guest bath",
        "maya ortiz",
        "nine thousand four hundred and seven west sixty first street merriam",
    ]);
    let a = s.address.expect("address");
    assert_eq!((a.number.as_str(), a.street.as_str()), ("9407", "61st"));
    let (s, _, _) = play(&[
        "i need a faucet replaced in the guest bath",
        "maya ortiz",
        "sixty two fourteen nall avenue merriam",
        "oops i mixed it up it's sixty two forty one nall avenue",
    ]);
    let a = s.address.expect("address");
    assert_eq!(a.number, "6241");
    assert_eq!(a.city.as_deref(), Some("Merriam"), "{:?}", s.transcript);
}

#[test]
fn a_name_spelled_in_reply_to_the_hazard_question_is_kept() {
    let (s, _, replies) = play_open(&[
        "water is dripping from the hallway ceiling",
        "odalys quenby q u e n b y",
    ]);
    let heard = said(&replies);
    assert!(heard.contains("more than a drip"), "{heard}");
    assert_eq!(s.name.as_deref(), Some("Odalys Quenby"), "{heard}");
}

#[test]
fn whoever_handles_it_asked_for_and_then_a_transfer_is_put_through() {
    let (s, _, last) = play(&[
        "we manage four office buildings and want a new service contract on the rooftop units, can i talk to whoever handles commercial work",
        "it's nadia brooks",
    ]);
    assert_eq!(s.outcome, Some(Outcome::Transferred), "{:?}", s.transcript);
    assert_eq!(
        last.dial.as_deref(),
        Some("+19135550101"),
        "{:?} {last:?}",
        s.transcript
    );
}

#[test]
fn hanging_a_mirror_is_handyman_work_booked_like_any_other() {
    let (s, _, _) = play(&["could somebody hang a big mirror and some blinds in the den"]);
    assert_eq!(s.stage, Stage::Name, "{:?}", s.transcript);
    assert_eq!(s.service, ServiceType::Handyman);
}

#[test]
fn after_a_message_the_caller_is_asked_for_more_and_a_hazard_then_is_dispatched() {
    let (s, _, last) = play(&[
        "can you have sam call me back about a quote on a new vanity",
        "it's dana lee",
        "yes this number is fine",
        "oh and while i have you, the laundry room smells like gas right now",
    ]);
    assert!(s.emergency, "{:?}", s.transcript);
    assert!(!last.record);
    let (s, _, last) = play(&[
        "can you have sam call me back about a quote on a new vanity",
        "it's dana lee",
        "yes this number is fine",
        "no that's all, thanks",
    ]);
    assert_eq!(s.outcome, Some(Outcome::MessageTaken), "{:?}", s.transcript);
    assert!(last.hangup && last.record, "{:?} {last:?}", s.transcript);
}

#[test]
fn a_name_passed_over_for_the_address_does_not_stop_the_booking() {
    let (s, _, _) = play(&[
        "i need a tune up on the furnace",
        "it's for my mother's place",
        "4512 w 71st street prairie village",
    ]);
    assert_eq!(s.stage, Stage::Time, "{:?}", s.transcript);
}

#[test]
fn a_question_about_a_burners_yellow_flame_is_answered_with_the_safety_words() {
    let (s, _, last) = play(&[
        "quick question, the flames on our gas cooktop look orange now, no smell, detector is quiet, is that something we should worry about",
    ]);
    assert!(!s.emergency, "{:?}", s.transcript);
    assert!(last.say.join(" ").contains("mostly blue"), "{last:?}");
    assert_eq!(s.stage, Stage::AnythingElse);
}

#[test]
fn no_hazard_now_but_a_call_back_wanted_is_a_message() {
    let (s, _, _) = play(&[
        "hi i wanted to reach the tech who did our furnace last month, it's making that rattle again",
        "no, nothing like that, don't send anybody, i'd just like him to call me",
    ]);
    assert_eq!(s.stage, Stage::MessageDetails, "{:?}", s.transcript);
}
