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

#[test]
fn an_exhaust_that_came_apart_or_is_blocked_is_carbon_monoxide() {
    // Recognised as the illness ("flu pipe"), said with no alarm at all.
    let r = t("the flu pipe on top of our boiler got bumped and is hanging apart");
    assert!(r.emergency && r.life_safety, "{r:?}");
    assert_eq!(r.service, ServiceType::CoAlarm);
    let r = t("snow covered the vent for the furnace and now the exhaust is blocked solid");
    assert!(r.emergency && r.life_safety, "{r:?}");
    // A detector's reading told as a bare number, in words or digits.
    assert!(t("our co detector reads forty two").life_safety);
    assert!(t("the monoxide monitor is showing 85").life_safety);
    // A dryer's or a bathroom fan's vent is not an exhaust of combustion.
    assert!(!t("the dryer vent is clogged with lint can you clean it").emergency);
}

#[test]
fn a_gas_object_and_a_smell_said_apart_is_a_gas_call() {
    let r = t("the gas line behind the range got knocked loose when we moved it and now we smell something funny");
    assert!(r.emergency && r.life_safety, "{r:?}");
    // Gas named for an appliance and a smell that is something else are not.
    assert!(
        !t("we have a gas furnace and the basement smells musty can you check it next week")
            .emergency
    );
}

#[test]
fn first_heat_dust_and_a_fading_smell_are_routine() {
    let r = t(
        "turned the heat on for the season and it smells like dust burning, can someone service it",
    );
    assert!(!r.emergency, "{r:?}");
    // "not the dust smell": the burning is real.
    assert!(t("the heater has a burning smell not the dust kind it smells electrical").emergency);
}

#[test]
fn blowing_off_is_a_burst_only_for_a_water_part() {
    assert!(!t("the wind blew off some shingles can someone patch the roof").emergency);
    assert!(t("the washer hose blew off and water is going everywhere").emergency);
}

#[test]
fn the_offices_own_staff_asking_about_a_call_is_not_the_hazard() {
    let r = t("this is pam in the office did the burst pipe on oak street get a tech yet");
    assert!(!r.emergency, "{r:?}");
    assert_eq!(
        rule_intent("this is pam in the office did the burst pipe on oak street get a tech yet"),
        Intent::OwnerQuery
    );
}

#[test]
fn pitches_and_paperwork_are_read_as_such() {
    assert!(
        t("hi i'm with a company that sells shop software to contractors is the owner around")
            .not_a_lead
    );
    assert_eq!(
        rule_intent("my receipt went to the wrong email can you resend it"),
        Intent::Other
    );
    assert_eq!(
        rule_intent("tengo una cita el lunes y necesito cambiarla"),
        Intent::Reschedule
    );
}

#[test]
fn a_misdial_or_a_food_order_is_not_a_lead() {
    assert!(t("oops this isn't the clinic is it, sorry").not_a_lead);
    assert!(t("oh this isn't dave's cell, sorry about that").not_a_lead);
    assert!(t("perdon me equivoque de numero").not_a_lead);
    assert!(t("hi i'd like two burritos for pickup").not_a_lead);
    assert_eq!(
        rule_intent("we don't need the visit anymore"),
        Intent::Cancel
    );
}

#[test]
fn an_everyday_fault_said_urgently_is_asked_about_not_dispatched() {
    let r = t("our tub drain is really slow and it's urgent, guests arrive tomorrow");
    assert!(!r.emergency, "{r:?}");
    // A hazard beside it still counts.
    assert!(
        t("no hot water and the tank is pouring water across the utility room floor").emergency
    );
}

#[test]
fn an_alarm_that_is_not_a_co_alarm_and_water_under_a_panel() {
    assert!(
        !t("the septic alarm went off last night and the pump caught up, it's back to normal")
            .life_safety
    );
    let r = t(
        "the washer drain is leaking and it's pooling right under the breaker box by the furnace",
    );
    assert!(r.emergency && r.life_safety, "{r:?}");
    assert!(
        t("there's a brownish mark around the light switch and the plate feels warm").life_safety
    );
}

#[test]
fn water_dripping_into_a_panel_said_far_apart_is_life_safety() {
    let r = t("water's dripping out of the kitchen ceiling upstairs and down into the fuse box");
    assert!(r.emergency && r.life_safety, "{r:?}");
}

#[test]
fn a_downed_line_told_with_the_adjective_is_life_safety() {
    let r = t("there's a downed wire lying in our back alley");
    assert!(r.emergency && r.life_safety, "{r:?}");
}

#[test]
fn pitches_to_the_shop_and_a_bad_line_are_read_apart() {
    // A vendor asking who buys for the shop is no lead.
    assert!(
        read("who handles the purchasing for your service vans", &[])
            .rule_intent
            .0
            == Intent::Other
    );
    let tokens = |s: &str| normalize::normalize(s);
    let pitch = tokens("this is a courtesy call about our fleet discount program");
    assert!(intents::not_a_lead(
        &pitch.split_whitespace().collect::<Vec<_>>()
    ));
    // A caller checking the line is still a caller.
    let line = tokens("hi there can you hear me okay");
    assert!(!intents::not_a_lead(
        &line.split_whitespace().collect::<Vec<_>>()
    ));
    // Asking what a sign means is a question.
    assert_eq!(
        rule_intent("our hallway smoke detector peeps now and then, is it the battery"),
        Intent::Faq
    );
}

#[test]
fn equipment_named_tells_what_the_job_is() {
    assert!(names_equipment(
        "can someone look at my dishwasher it smells"
    ));
    assert!(names_equipment("the kitchen sink is slow"));
    assert!(!names_equipment("can someone come out on friday morning"));
}

#[test]
fn a_job_on_the_books_to_move_is_a_reschedule() {
    assert_eq!(
        rule_intent("we gotta move this softener install you put us down for on monday"),
        Intent::Reschedule
    );
}

#[test]
fn marks_with_their_signs_denied_and_everyday_sounds_are_no_emergency() {
    assert!(
        !t("the switch plate has a brown mark on it but it is not warm and there's no smell")
            .emergency
    );
    assert!(!t("the radiator in the den hisses and clanks every morning").emergency);
    assert!(
        !t("please mount a fixture, the old wires are left hanging from a ceiling box").emergency
    );
    // Said repeatedly, an alarm is sounding, whatever is said of its battery.
    assert!(t("my mom's co alarm went off again and she wants to pull the batteries").emergency);
    assert!(t("we have not a drop of water, every tap in the place is dry").emergency);
    assert!(t("the toilet keeps running over onto the floor").emergency);
}

#[test]
fn frozen_pipes_are_emergencies_in_severe_cold_or_when_they_split() {
    // A frozen line stays frozen: "last night" is its state still.
    assert!(t("our laundry room pipes froze overnight and it's 6 below out").emergency);
    assert!(t("the water line to the barn froze up and it's minus ten").emergency);
    // Mild weather and one line: asked about, not dispatched.
    let r = t("the line to the bathroom sink froze i guess, the rest of the house has water");
    assert!(!r.emergency, "{r:?}");
    assert!(!t("what would you charge for thawing a frozen pipe").emergency);
}

#[test]
fn a_recent_past_is_not_the_distant_past() {
    // "an hour ago" does not end a separated vent or a sounding alarm.
    assert!(
        t("the flue on our boiler is hanging loose and the monoxide alarm beeped about an hour ago")
            .emergency
    );
    assert!(!t("we had sewage come up in the basement three years ago").emergency);
}

#[test]
fn an_alarm_pattern_or_a_sick_child_outweighs_a_guess_at_the_battery() {
    let r = t("maybe it's the battery but the co alarm did four long beeps and my son puked twice");
    assert!(r.emergency && r.life_safety, "{r:?}");
}

#[test]
fn checked_signs_and_a_single_fixture_keep_the_model_from_dispatching_alone() {
    assert!(
        !t("the boiler burner flame is yellowish, our monitor reads 0 and no one feels ill")
            .emergency
    );
    assert!(
        !t("bathroom sink backed up with soapy water, nothing anywhere else is affected").emergency
    );
    // A tripped gfci's button is no electrical pop.
    assert!(!t("the kitchen gfci reset button popped out and the outlet is dead").emergency);
}

#[test]
fn signs_told_without_the_hazard_word_are_read() {
    // Gas told by what it smells like.
    let r = t("theres an odor like when you turn on the stove and it never lights, near the dryer");
    assert!(r.emergency && r.life_safety, "{r:?}");
    // Slurred speech and a pounding head beside a fuel-burning heater.
    let r =
        t("grandpa's speech is slurred and his head keeps pounding, the space heater is propane");
    assert!(r.emergency && r.life_safety, "{r:?}");
    // A reading said in Spanish words.
    assert!(t("el monitor de monoxido marca setenta").life_safety);
    // A hose come loose and squirting.
    assert!(
        t("the dishwasher supply line came loose and is squirting under the cabinet").emergency
    );
    // "The last few days" is now.
    let r = t("we bought the house last year and the last few days everyone wakes with headaches near the boiler");
    assert!(r.emergency, "{r:?}");
}

#[test]
fn a_burners_own_flame_and_a_leak_on_a_counter_are_no_emergency() {
    assert!(!t("the flame on the stove burner looks a bit yellow, should we worry").emergency);
    assert!(!t("the bar sink sprayer dribbles all over the counter").emergency);
    // An outlet's flame is a fire, however small.
    assert!(t("the outlet popped and a small flame came out, the cover is melted").emergency);
}

#[test]
fn told_questions_known_jobs_and_supplier_pitches_are_read() {
    assert_eq!(
        rule_intent("i wanted to ask how long a tankless unit usually lasts"),
        Intent::Faq
    );
    assert!(existing_booking(
        &"hey it's ron i have the dryer vent thing on friday"
            .split(' ')
            .collect::<Vec<_>>()
    ));
    assert!(intents::not_a_lead(
        &"hi this is dana calling from midwest pipe supply with a promotion this month on press fittings"
            .split(' ')
            .collect::<Vec<_>>()
    ));
}

#[test]
fn what_the_caller_first_took_it_for_is_no_resolution() {
    let r = t(
        "the basement smells like rotten eggs, worse tonight, i figured it was just the sump pit",
    );
    assert!(r.emergency && r.life_safety, "{r:?}");
    assert!(!t("the basement smelled like rotten eggs but it was just the sump pit").emergency);
}

#[test]
fn a_job_on_the_books_no_longer_needed_is_a_cancel_and_advice_asked_is_a_question() {
    assert_eq!(
        rule_intent("we had the electrician coming monday but my dad fixed the light so we dont need him anymore"),
        Intent::Cancel
    );
    assert_eq!(
        rule_intent("we leave for a month, how should we leave the water heater"),
        Intent::Faq
    );
}

#[test]
fn an_alarm_told_by_how_it_sounds_is_sounding() {
    let r = t("that new detector in the hall is shrieking and the little screen shows co");
    assert!(r.emergency && r.life_safety, "{r:?}");
}

#[test]
fn a_lung_condition_makes_lost_heat_dangerous() {
    assert!(t("furnace quit this morning and my husband has copd").emergency);
    assert!(t("la calefaccion no prende y mi hija tiene asma").emergency);
    assert!(!t("furnace quit this morning, we're all fine with blankets").emergency);
}

#[test]
fn water_inside_an_electrical_enclosure_is_life_safety() {
    let r =
        t("rain got into the disconnect for the air conditioner and there's water sitting in it");
    assert!(r.emergency && r.life_safety, "{r:?}");
    assert!(!t("the water company is going to disconnect the water next week").emergency);
}

#[test]
fn a_puddle_under_the_furnace_and_a_flames_colour_are_no_emergency() {
    assert!(
        !t("some water is pooling around the furnace, probably the condensate thing").emergency
    );
    assert!(!t("the flames on the burners look orange to me, nobody feels sick").emergency);
}

#[test]
fn a_resolution_that_has_held_is_no_present_and_a_span_of_time_is_no_age() {
    assert!(
        !t("the switch sparked once about eight months ago and it has been fine since then")
            .emergency
    );
    assert!(!t("the breaker tripped three weeks ago and it's been okay ever since").emergency);
}

#[test]
fn severe_cold_told_in_words_and_a_reading_that_climbs() {
    assert!(t("polar vortex this week and the pipes in the crawlspace are frozen solid").emergency);
    let r = t("the co monitor in the hall showed 40, then 70, and now it reads 90, is that bad");
    assert!(r.emergency && r.life_safety, "{r:?}");
}

#[test]
fn a_place_told_by_its_past_and_a_leak_nobody_can_stop() {
    let r = t("sorry, there's a slight gas odor in the den where the wall furnace used to be");
    assert!(r.emergency && r.life_safety, "{r:?}");
    assert!(
        t("the supply line under the vanity is leaking and we don't know where to shut it off")
            .emergency
    );
    assert!(t("se esta goteando el tubo del bano y no sabemos como cerrar la llave").emergency);
}

#[test]
fn a_leak_running_into_a_panel_told_late_is_life_safety() {
    let r = t("can you also look at the fence gate, oh and the basement leak is running down the block wall into the breaker panel");
    assert!(r.emergency && r.life_safety, "{r:?}");
}

#[test]
fn exhaust_plumes_welding_sparks_and_water_standing_in_a_fixture_are_no_emergency() {
    assert!(!t("steam is puffing out of the pvc exhaust pipes outside, furnace works great, just want it checked").emergency);
    assert!(!t("i do a lot of welding so sparks are normal out there, need a 50 amp outlet in the shop").emergency);
    assert!(!t("the tub won't drain and there's two inches of water sitting in the tub").emergency);
    assert!(!t("la tina esta tapada, no baja nada de agua").emergency);
    assert!(!t("one breaker tripped in the office, the lights work everywhere else").emergency);
}

#[test]
fn a_job_told_as_booked_by_someone_else_moves_and_a_clinic_caller_is_no_lead() {
    assert_eq!(
        rule_intent(
            "my dad has somebody coming about the water softener monday, he'd rather it be tuesday"
        ),
        Intent::Reschedule
    );
    assert_eq!(
        rule_intent("my wife set up a visit for the gutter guards, could we make it the afternoon"),
        Intent::Reschedule
    );
    assert_eq!(
        rule_intent("hey we're on for the duct cleaning wednesday, can it be the afternoon"),
        Intent::Reschedule
    );
    assert_eq!(
        rule_intent("the monday drain appointment could move to wednesday if that's easier"),
        Intent::Reschedule
    );
    assert_eq!(
        rule_intent("hola es la farmacia quiero recoger una receta"),
        Intent::Other
    );
    assert_eq!(
        rule_intent("hi i need an appointment with the dentist for a cleaning"),
        Intent::Other
    );
    assert_eq!(
        rule_intent("soy el tecnico cual es mi proxima cita hoy"),
        Intent::OwnerQuery
    );
    assert_eq!(rule_intent("yall cover lenexa for furnaces"), Intent::Faq);
}

#[test]
fn a_valve_tried_is_no_resolution_and_a_crew_moved_between_days_is_a_reschedule() {
    assert!(t("the tub keeps overflowing even after i shut the little valve").emergency);
    assert_eq!(
        rule_intent("can you move the plumber from tuesday to friday, the cabinets are late"),
        Intent::Reschedule
    );
    assert_eq!(
        rule_intent("my neighbor fixed the gate latch so we dont need you to come out after all"),
        Intent::Cancel
    );
}

#[test]
fn a_network_pitch_naming_hazards_a_doubted_reassurance_and_a_call_back_asked_about() {
    assert!(!t("we run a contractor network and send you jobs like burst pipe and sewer backup calls, who signs vendor agreements").emergency);
    assert!(t("the carbon mono side alarm in the basement keeps beeping, my husband says it's fine but i'm not sure").emergency);
    assert!(
        t("the monoxide detector up by the kids rooms keeps going off and will not quit").emergency
    );
    assert!(!t("did anyone call back about the smoking outlet from monday, my son swapped it and it's done").emergency);
    assert!(
        !t("the kitchen sink is slow and there's a gurgle in the dishwasher when it drains")
            .emergency
    );
    assert!(!t("el inodoro se queda corriendo y gasta mucha agua").emergency);
}

#[test]
fn a_stove_flames_colour_asked_about_is_not_dispatched() {
    assert!(!t("the flames on our gas range look orange, no smell, detector is quiet, is that something we should worry about").emergency);
}

#[test]
fn symptoms_told_with_an_old_alarm_a_past_service_or_easing_away_from_home_are_co() {
    let r = t("my daughter has been vomiting since this morning and my head is pounding, the co alarm is in a drawer since it beeped last month");
    assert!(r.emergency && r.life_safety, "{r:?}");
    let r = t("the boiler was serviced in september and it's been fine, but all of us get dizzy and queasy at night when it runs");
    assert!(r.emergency && r.life_safety, "{r:?}");
    let r = t("for days now we get headaches at home and they clear up once we're out of the house, is it the heater");
    assert!(r.emergency && r.life_safety, "{r:?}");
}

#[test]
fn a_hazard_told_after_the_caller_moves_on_from_a_supposition_is_read() {
    let r = t("can you quote a car charger and if you could look at the porch light too, oh and the panel in the garage is buzzing and hot to the touch");
    assert!(r.emergency && r.life_safety, "{r:?}");
    assert!(!t("what would happen if the water heater burst and the garage flooded").emergency);
}

#[test]
fn a_smell_gone_after_the_fix_a_story_about_safety_and_a_shallow_tub_are_no_emergency() {
    assert!(!t("the gas company came yesterday for a burning smell at the meter, they swapped the meter and the smell is pretty much gone, they said get the panel checked").emergency);
    assert!(!t("i smelled gas for a moment after the kids bumped the oven knob, i turned it off and the smell is completely gone, can someone fix the loose knobs").emergency);
    assert!(!t("hi i'm a reporter with a podcast doing an episode on gas leak safety").emergency);
    assert!(!t("the shower drains so slow you end up standing in an inch of water").emergency);
    assert!(
        !t("we just want a top to bottom inspection of the house we bought, nothing is wrong")
            .emergency
    );
    assert!(!t("please cancel the electrician for the hot dimmer, my brother swapped it and it's cool to the touch now").emergency);
    assert!(t("bad news, water is pouring through the kitchen ceiling").emergency);
}

#[test]
fn what_it_turned_out_to_be_in_spanish_and_a_wholesale_pitch() {
    assert!(
        !t("olia a quemado pero era una toalla encima del calentador, ya la quite y ya no huele")
            .emergency
    );
    assert_eq!(
        rule_intent("we sell water heaters to plumbers at bulk pricing, who does your ordering"),
        Intent::Other
    );
}
