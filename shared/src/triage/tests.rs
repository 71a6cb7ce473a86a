//! Triage unit tests: each case is written for a phenomenon, not copied from the eval set.

use super::*;

fn t(s: &str) -> Triage {
    classify(s, &[])
}

/// The intent cues' reading alone (the model weighs it with the words).
fn rule_intent(s: &str) -> Intent {
    read(s, &[]).rule_intent.0
}

#[test]
fn gas_smell_is_life_safety_with_advice() {
    let r = t("there is a strong smell of gas near my stove");
    assert!(r.emergency && r.life_safety);
    assert_eq!(r.service, ServiceType::GasSmell);
    assert_eq!(r.safety, Some(SafetyAdvice::LeaveAndCallGasCompany));
    assert!(r.reasons.iter().any(|x| x.code == "gas_smell"));
}

#[test]
fn negation_past_and_questions_are_not_emergencies() {
    assert!(!t("no smell of gas whatsoever the burner just won't light").emergency);
    assert!(!t("we had a burst pipe two years ago and want the others replaced").emergency);
    assert!(!t("what would happen if my water heater started leaking").emergency);
    assert!(!t("do you fix burst pipes").emergency);
}

#[test]
fn active_water_is_an_emergency() {
    let r = t("water is pouring through the ceiling in the hallway");
    assert!(r.emergency, "{r:?}");
    let r = t("pipe broke under the house and it's spraying");
    assert!(r.emergency);
    assert_eq!(r.service, ServiceType::BurstPipe);
}

#[test]
fn no_heat_needs_danger_context() {
    assert!(!t("my furnace stopped working can someone look at it this week").emergency);
    assert!(t("furnace quit and it's 40 degrees in here with a newborn").emergency);
}

#[test]
fn intents() {
    assert_eq!(
        t("i'd like to book a drain cleaning next week").intent,
        Intent::Schedule
    );
    assert_eq!(
        t("i have to cancel my visit on monday").intent,
        Intent::Cancel
    );
    assert_eq!(
        t("can we move my appointment to friday").intent,
        Intent::Reschedule
    );
    assert_eq!(t("let me speak to a human").intent, Intent::Human);
    assert_eq!(t("what are your hours on sunday").intent, Intent::Faq);
    assert_eq!(t("sorry i dialed the wrong number").intent, Intent::Other);
}

#[test]
fn tenant_keywords_raise_emergencies() {
    let r = classify(
        "the boiler is making a kettle noise",
        &["kettle noise".to_string()],
    );
    assert!(r.emergency);
}

#[test]
fn spanish_is_detected() {
    assert!(t("necesito una cita para mañana por favor").spanish);
    assert!(!t("i need a plumber tomorrow").spanish);
}

#[test]
fn a_hazard_word_that_names_a_job_or_an_assessment_is_not_an_event() {
    assert!(!t("has the flooded crawlspace job from monday been invoiced").emergency);
    assert!(!t("the inspector called our wiring a fire hazard please quote a rewire").emergency);
    assert!(t("there's a fire in the breaker box").emergency);
}

#[test]
fn present_words_only_count_near_the_hazard() {
    // "now" belongs to the request, far from last month's smell.
    assert!(!t("last month we smelled gas but the utility found nothing and now i'd like the water heater flushed please").emergency);
    // "again" next to the hazard: it is happening now.
    assert!(t("the basement flooded last spring and it's flooding again").emergency);
}

#[test]
fn beliefs_spanish_past_and_questions_about_a_finished_event() {
    assert!(
        !t("i thought i smelled something burning yesterday but it was the neighbours grill")
            .emergency
    );
    assert!(!t("el mes pasado tuvimos un tubo roto y queremos revisar la casa").emergency);
    assert!(
        !t("the light switch sparked when i flipped it is that something to worry about").emergency
    );
}

#[test]
fn a_power_cut_with_medical_equipment_is_life_safety() {
    let r = t("we have no power at all and my mother is on a ventilator");
    assert!(r.emergency && r.life_safety, "{r:?}");
}

#[test]
fn an_existing_booking_plus_a_new_time_is_a_reschedule() {
    assert_eq!(
        t("we have the electrician booked for the fifth could it be the ninth instead").intent,
        Intent::Reschedule
    );
    assert_eq!(
        t("please take me off the calendar we found someone else").intent,
        Intent::Cancel
    );
    assert_eq!(t("my dishwasher won't drain").intent, Intent::Schedule);
    assert_eq!(
        rule_intent("can you install a faucet i got myself"),
        Intent::Faq
    );
}

#[test]
fn normalize_never_hangs_on_repair_vocabulary() {
    // Every repair's words run together, repeated: normalize must settle.
    let words: Vec<&str> = [
        "car bun monoxide",
        "a c",
        "bass mint",
        "tank list",
        "re schedule",
    ]
    .repeat(20);
    let r = t(&words.join(" "));
    assert!(r.emergency);
}

#[test]
fn asking_for_a_person_by_name_is_a_hand_off() {
    assert_eq!(
        rule_intent("hi is marco around i need to ask him something"),
        Intent::Human
    );
    assert_eq!(
        t("there is water in my crawlspace can you come look").intent,
        Intent::Schedule
    );
}
