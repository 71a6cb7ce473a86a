//! Dialogue tests: whole conversations through the pure `step`, with a calendar in memory.

use super::*;
use crate::scheduling::{Busy, WeeklyHours};
use crate::tenancy::*;
use crate::triage::ServiceType;
use chrono::{TimeZone, Utc};

fn tenant() -> Tenant {
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
    }
}

/// Plays a conversation, answering calendar requests from an empty calendar.
fn play(lines: &[&str]) -> (CallState, Vec<Vec<Action>>, Reply) {
    play_assisted(lines, &[])
}

/// As [`play`], with the LLM assist's reading of caller line `i` in `assists[i]`.
fn play_assisted(
    lines: &[&str],
    assists: &[Option<crate::assist::Extraction>],
) -> (CallState, Vec<Vec<Action>>, Reply) {
    let t = tenant();
    // Saturday 2026-11-21, 10:00 in Chicago.
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 16, 0, 0).unwrap();
    let busy = Busy::default();
    let mut state = CallState::new("CA1", "t1", "+19135550142", now, None);
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
            tenant: &t,
            now,
            busy: Some(&busy),
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
    let s = CallState::new("CA2", "t1", "+19135550142", now, None);
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
fn two_empty_turns_take_a_message() {
    let t = tenant();
    let now = Utc::now();
    let mut s = CallState::new("CA3", "t1", "+19135550142", now, None);
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
    }
    assert_eq!(s.outcome, Some(Outcome::MessageTaken));
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
        "put me through",
        "gary smith",
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
        let line = "the water heater is whistling real loud and the whole tank is shaking";
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
