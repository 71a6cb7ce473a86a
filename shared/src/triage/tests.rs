//! Triage unit tests: each case is written for a phenomenon, not copied from the eval set.

use super::*;

fn t(s: &str) -> Triage {
    classify(s, &[])
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
    assert!(!t("there's no gas smell at all the stove just won't light").emergency);
    assert!(!t("we had a burst pipe two years ago and want the others replaced").emergency);
    assert!(!t("what should i do if my water heater starts leaking").emergency);
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
