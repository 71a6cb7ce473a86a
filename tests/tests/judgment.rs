//! The receptionist's judgment through the local stack: carbon monoxide told only by its
//! symptoms, a Spanish emergency, an offered time turned down, and a sales call.

mod common;

use common::*;
use local::seed::{PRAIRIE_NUMBER, PRAIRIE_OWNER_CELL};
use std::time::Duration;

#[tokio::test]
async fn carbon_monoxide_told_by_its_symptoms_gets_safety_words_and_alerts_the_owner() {
    let s = stack().await;
    let (sid, heard) = call(
        &s,
        "+19135550311",
        PRAIRIE_NUMBER,
        &[
            "my two kids both have headaches and feel dizzy since the furnace came on this morning",
            "okay we're outside",
            "it's megan shaw 4410 west 95th street in overland park",
        ],
    )
    .await;
    let all = heard.join(" ");
    assert!(all.contains("fresh air"), "safety words first: {all}");
    let alert = wait_for_sms(
        &s,
        |m| m.to == PRAIRIE_OWNER_CELL && m.body.contains("EMERGENCY"),
        Duration::from_secs(20),
    )
    .await
    .expect("the owner is alerted");
    assert!(alert.body.contains("913-555-0311"), "{}", alert.body);
    let token = login(&s, "owner@prairie.example", "prairie-demo").await;
    let (_, c) = get(&s, &token, &format!("/v1/crm/calls/{sid}")).await;
    assert_eq!(c["outcome"], "emergency_dispatched", "{c}");
    assert_eq!(c["service"], "co_alarm", "{c}");
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn a_spanish_burst_pipe_call_is_answered_in_spanish_and_the_owner_gets_the_address() {
    let s = stack().await;
    let (sid, heard) = call(
        &s,
        "+19135550312",
        PRAIRIE_NUMBER,
        &[
            "hola se reventó un tubo en el sótano y hay agua por todos lados",
            "me llamo josé garcía",
            "calle cherry 1420 en olathe",
        ],
    )
    .await;
    // Every reply after the greeting is in Spanish.
    for h in &heard[1..] {
        assert!(
            !h.contains(" the ") && !h.contains("your"),
            "an English reply in a Spanish call: {h}\n{heard:#?}"
        );
    }
    let details = wait_for_sms(
        &s,
        |m| m.to == PRAIRIE_OWNER_CELL && m.body.contains("EMERGENCY details"),
        Duration::from_secs(20),
    )
    .await
    .expect("the owner gets the details");
    assert!(
        details.body.contains("1420 Cherry St, Olathe, KS"),
        "{}",
        details.body
    );
    assert!(details.body.contains("Jose Garcia"), "{}", details.body);
    let token = login(&s, "owner@prairie.example", "prairie-demo").await;
    let (_, c) = get(&s, &token, &format!("/v1/crm/calls/{sid}")).await;
    assert_eq!(
        c["customer"]["address"], "1420 Cherry St, Olathe, KS",
        "{c}"
    );
    assert_eq!(c["customer"]["name"], "Jose Garcia", "{c}");
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn a_declined_first_offer_sends_one_customer_text_in_all() {
    let s = stack().await;
    let prairie = local::seed::prairie();
    let first = open_day(&s, &prairie, 2);
    let later = open_day_after(&prairie, open_day_after(&prairie, first));
    let from = "+19135550313";
    let (sid, heard) = call(
        &s,
        from,
        PRAIRIE_NUMBER,
        &[
            "my kitchen faucet is leaking",
            "jane doe",
            "123 main street overland park",
            &format!("{} morning", spoken_date(first)),
            "no that doesn't work for me",
            &format!("{} afternoon", spoken_date(later)),
            "yes",
        ],
    )
    .await;
    assert!(
        heard.iter().filter(|h| h.contains("You're booked")).count() >= 2,
        "two times offered: {heard:#?}"
    );
    wait_for_sms(&s, |m| m.to == from, Duration::from_secs(20))
        .await
        .expect("the customer is texted");
    // Time for any stray text to arrive.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let texts: Vec<_> = s.messages().into_iter().filter(|m| m.to == from).collect();
    assert_eq!(texts.len(), 1, "one text for one booking: {texts:#?}");
    let token = login(&s, "owner@prairie.example", "prairie-demo").await;
    let (_, c) = get(&s, &token, &format!("/v1/crm/calls/{sid}")).await;
    assert_eq!(c["outcome"], "booked", "{c}");
    let (_, list) = get(
        &s,
        &token,
        "/v1/crm/appointments?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z",
    )
    .await;
    let booked: Vec<_> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"] == "booked")
        .collect();
    assert_eq!(booked.len(), 1, "{list}");
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn a_sales_call_ends_not_a_lead_with_no_callback_task() {
    let s = stack().await;
    let (sid, _) = call(
        &s,
        "+18005550199",
        PRAIRIE_NUMBER,
        &["hi this is brad calling from a marketing agency about your google reviews and seo"],
    )
    .await;
    let token = login(&s, "owner@prairie.example", "prairie-demo").await;
    let (_, c) = get(&s, &token, &format!("/v1/crm/calls/{sid}")).await;
    assert_eq!(c["outcome"], "not_a_lead", "{c}");
    let (_, cbs) = get(&s, &token, "/v1/owner/callbacks").await;
    assert!(
        !cbs.to_string().contains("+18005550199"),
        "no callback task: {cbs}"
    );
    common::assert_iam_granted(&s);
}
