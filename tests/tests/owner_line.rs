//! The owner's line through the local stack: the shop's own people calling or texting the
//! shop's number. A verified cell hears a day's jobs in order (and gets the same answers
//! by text); a PIN opens the line from any phone and five wrong ones lock it; staff read
//! but cannot change; a cancel by voice, said yes to twice, runs the office's cancel
//! (customer texted, time freed); a cell is verified by a texted code.

mod common;

use common::*;
use local::seed::{BRISTOL_NUMBER, BRISTOL_OWNER_CELL, BRISTOL_OWNER_PIN};
use serde_json::{json, Value};
use std::time::Duration;

/// A Tuesday, 9 AM in Kansas City: tomorrow is an open Wednesday.
const NOW: &str = "2026-12-08T15:00:00Z";

/// Wednesday at `hour` o'clock in Kansas City (UTC-6), RFC 3339.
fn wednesday_at(hour: u32) -> String {
    format!("2026-12-09T{:02}:00:00Z", hour + 6)
}

/// A customer with an address, and a job for them on Wednesday at `hour`.
async fn job(
    s: &local::Stack,
    token: &str,
    name: &str,
    phone: &str,
    street: &str,
    hour: u32,
) -> String {
    let (status, c) = send(
        s,
        Some(token),
        "POST",
        "/v1/crm/customers",
        Some(json!({"name": name, "phone": phone, "address": format!("{street}, Merriam, KS 66202")})),
    )
    .await;
    assert_eq!(status, 201, "{c}");
    let (status, a) = send(
        s,
        Some(token),
        "POST",
        "/v1/crm/appointments",
        Some(json!({"customer_id": c["id"], "service": "faucet_repair", "start": wednesday_at(hour)})),
    )
    .await;
    assert_eq!(status, 201, "{a}");
    a["id"].as_str().unwrap().to_string()
}

/// One call: what it heard after each line (keys-only lines are pressed).
async fn line_call(
    s: &local::Stack,
    from: &str,
    lines: &[&str],
) -> (String, Vec<local::phone::Prompt>) {
    let mut c = local::phone::Call::dial(&s.base_url, from, BRISTOL_NUMBER)
        .await
        .expect("answered");
    let mut heard = vec![c.last.clone()];
    for l in lines {
        assert!(
            c.listening(),
            "the line stopped listening before {l:?}: {heard:?}"
        );
        let keys = l
            .chars()
            .all(|ch| ch.is_ascii_digit() || ch == '*' || ch == '#');
        let p = if keys {
            c.press(l).await
        } else {
            c.say(l).await
        }
        .expect("turn answered");
        heard.push(p);
    }
    c.hang_up().await.unwrap();
    (c.sid, heard)
}

fn said(p: &local::phone::Prompt) -> String {
    p.says.join(" ")
}

#[tokio::test]
async fn a_verified_cell_hears_tomorrows_jobs_in_order_by_voice_and_by_text() {
    let s = stack_at(NOW).await;
    let owner = login(&s, "owner@bristol.example", "bristol-demo").await;
    // Entered out of order: read in order.
    job(&s, &owner, "Bo Li", "+19135550181", "9 Elm Street", 14).await;
    job(&s, &owner, "Ann Ray", "+19135550182", "12 Oak Street", 9).await;

    let (sid, heard) = line_call(
        &s,
        BRISTOL_OWNER_CELL,
        &[
            "what's on tomorrow",
            "who's the 2 o'clock tomorrow",
            "that's all",
        ],
    )
    .await;
    assert!(said(&heard[0]).starts_with("Owner's line."), "{heard:?}");
    // Questions post to the owner's line, not the receptionist's turn webhook.
    assert!(heard[0]
        .gather_action
        .as_deref()
        .unwrap()
        .starts_with("/twilio/voice/owner?seq="));
    let day = said(&heard[1]);
    assert!(day.starts_with("Tomorrow you have 2 jobs."), "{day}");
    let (ann, bo) = (
        day.find("At 9 AM, faucet repair for Ann Ray, 12 Oak Street."),
        day.find("At 2 PM, faucet repair for Bo Li, 9 Elm Street."),
    );
    assert!(ann.unwrap() < bo.unwrap(), "{day}");
    assert!(
        said(&heard[2]).starts_with("The 2 PM tomorrow is Bo Li, faucet repair, at 9 Elm Street."),
        "{heard:?}"
    );
    assert!(heard[3].hangup);

    // The owner can hear what callers hear: the call goes on as a customer's.
    let mut c = local::phone::Call::dial(&s.base_url, BRISTOL_OWNER_CELL, BRISTOL_NUMBER)
        .await
        .unwrap();
    let p = c.say("let me hear the receptionist").await.unwrap();
    assert!(
        p.twiml
            .contains("<Redirect method=\"POST\">/twilio/voice?as=customer</Redirect>"),
        "{}",
        p.twiml
    );
    let params: Vec<(String, String)> = [
        ("AccountSid", local::phone::ACCOUNT_SID),
        ("CallSid", c.sid.as_str()),
        ("From", BRISTOL_OWNER_CELL),
        ("To", BRISTOL_NUMBER),
        ("CallStatus", "in-progress"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let (status, greeting) = local::phone::post_signed(
        &reqwest::Client::new(),
        &s.base_url,
        "/twilio/voice?as=customer",
        &params,
    )
    .await
    .unwrap();
    assert_eq!(status, 200);
    assert!(
        greeting.contains("Thanks for calling Bristol Plumbing"),
        "{greeting}"
    );
    assert!(greeting.contains("/twilio/voice/turn?seq=1"), "{greeting}");

    // The same question by text from the cell.
    let (status, reply) = local::phone::text(
        &reqwest::Client::new(),
        &s.base_url,
        BRISTOL_OWNER_CELL,
        BRISTOL_NUMBER,
        "What's on tomorrow?",
        "SM00000000000000000000000000000a01",
    )
    .await
    .unwrap();
    assert_eq!(status, 200);
    assert!(
        reply
            .join(" ")
            .starts_with("Tomorrow you have 2 jobs. At 9 AM"),
        "{reply:?}"
    );

    // By text, caller ID is all there is: jobs are read, never changed.
    let (_, reply) = local::phone::text(
        &reqwest::Client::new(),
        &s.base_url,
        BRISTOL_OWNER_CELL,
        BRISTOL_NUMBER,
        "cancel tomorrow's 2 o'clock",
        "SM00000000000000000000000000000a02",
    )
    .await
    .unwrap();
    assert!(
        reply.join(" ").contains("call the shop and give your PIN"),
        "{reply:?}"
    );

    // Not a customer's call: no call item, no missed call or callback; audited.
    let (status, _) = get(&s, &owner, &format!("/v1/crm/calls/{sid}")).await;
    assert_eq!(status, 404);
    let (_, callbacks) = get(&s, &owner, "/v1/owner/callbacks").await;
    assert!(
        callbacks["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["call_sid"] != sid.as_str()),
        "{callbacks}"
    );
    let (_, audit) = get(&s, &owner, "/v1/owner/audit").await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    for a in ["owner_line_call", "owner_line_day", "owner_line_who_at"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

#[tokio::test]
async fn a_pin_opens_the_line_from_any_phone_and_five_wrong_ones_lock_it() {
    let s = stack_at(NOW).await;
    let owner = login(&s, "owner@bristol.example", "bristol-demo").await;
    let borrowed = "+19135550177";

    // Right PIN, spoken: the line opens.
    let spoken: String = BRISTOL_OWNER_PIN
        .chars()
        .map(|c| {
            [
                "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            ][c.to_digit(10).unwrap() as usize]
        })
        .collect::<Vec<_>>()
        .join(" ");
    let (sid, heard) = line_call(
        &s,
        borrowed,
        &["hi, this is the owner", &spoken, "any emergencies today"],
    )
    .await;
    assert!(said(&heard[1]).contains("Enter your PIN"), "{heard:?}");
    assert!(said(&heard[2]).starts_with("Owner's line."), "{heard:?}");
    assert!(
        said(&heard[3]).starts_with("No emergencies today."),
        "{heard:?}"
    );
    // The greeting's call item went with the claim: this was not a customer's call.
    assert_eq!(
        get(&s, &owner, &format!("/v1/crm/calls/{sid}")).await.0,
        404
    );

    // A customer who says the words and then something else is the receptionist's, with
    // what they said: nothing counts against the PIN, the call stays a customer's.
    let (sid, heard) = line_call(
        &s,
        "+19135550178",
        &["this is the owner", "my water heater is leaking everywhere"],
    )
    .await;
    assert!(said(&heard[1]).contains("Enter your PIN"), "{heard:?}");
    assert!(
        heard[2]
            .gather_action
            .as_deref()
            .unwrap()
            .starts_with("/twilio/voice/turn"),
        "{heard:?}"
    );
    let (status, view) = get(&s, &owner, &format!("/v1/crm/calls/{sid}")).await;
    assert_eq!(status, 200, "{view}");
    assert!(
        view["transcript"].to_string().contains("water heater"),
        "{view}"
    );
    // A landlord's longer sentence never reaches the PIN prompt.
    let (_, heard) = line_call(
        &s,
        "+19135550179",
        &["hi this is the owner of the duplex on elm street, the water heater burst"],
    )
    .await;
    assert!(!said(&heard[1]).contains("PIN"), "{heard:?}");

    // Five wrong PINs on the keypad: locked, and hung up on.
    let (_, heard) = line_call(&s, borrowed, &["*", "1111#", "1112#", "1113#", "1114#"]).await;
    for p in &heard[2..5] {
        assert!(said(p).contains("not right"), "{heard:?}");
    }
    let mut c = local::phone::Call::dial(&s.base_url, borrowed, BRISTOL_NUMBER)
        .await
        .unwrap();
    c.press("*").await.unwrap();
    let fifth = c.press("1115#").await.unwrap();
    assert!(said(&fifth).contains("locked"), "{fifth:?}");
    assert!(fifth.hangup);
    c.hang_up().await.unwrap();

    // Locked: even the right PIN is refused now.
    let (_, heard) = line_call(&s, borrowed, &["*", &format!("{BRISTOL_OWNER_PIN}#")]).await;
    assert!(said(&heard[2]).contains("locked"), "{heard:?}");
    let (_, audit) = get(&s, &owner, "/v1/owner/audit").await;
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "owner_line_pin_locked"),
        "{audit}"
    );
}

/// The code texted to `cell` (six digits).
async fn texted_code(s: &local::Stack, cell: &str) -> String {
    let m = wait_for_sms(
        s,
        |m| m.to == cell && m.body.contains("owner's line code"),
        Duration::from_secs(20),
    )
    .await
    .expect("a code is texted");
    m.body
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("six digits")
        .to_string()
}

#[tokio::test]
async fn staff_read_but_cannot_cancel_and_the_owner_cancels_by_voice_through_the_office_flow() {
    let s = stack_at(NOW).await;
    let owner = login(&s, "owner@bristol.example", "bristol-demo").await;
    let appt = job(&s, &owner, "Bo Li", "+19135550181", "9 Elm Street", 14).await;

    // A technician joins and verifies a cell with the texted code.
    let (status, _) = send(
        &s,
        Some(&owner),
        "POST",
        "/v1/auth/users",
        Some(
            json!({"email": "tech@bristol.example", "password": "bristol-tech-1", "role": "staff"}),
        ),
    )
    .await;
    assert_eq!(status, 201);
    let tech = login(&s, "tech@bristol.example", "bristol-tech-1").await;
    let tech_cell = "+19135550188";
    let (status, p) = send(
        &s,
        Some(&tech),
        "PUT",
        "/v1/auth/me/line",
        Some(json!({"cell": "913-555"})),
    )
    .await;
    assert_eq!(
        (
            status,
            p["detail"].as_str().unwrap_or("").starts_with("cell:")
        ),
        (422, true),
        "{p}"
    );
    let (status, p) = send(
        &s,
        Some(&tech),
        "PUT",
        "/v1/auth/me/line/pin",
        Some(json!({"pin": "12"})),
    )
    .await;
    assert_eq!(
        (
            status,
            p["detail"].as_str().unwrap_or("").starts_with("pin:")
        ),
        (422, true),
        "{p}"
    );
    let (status, st) = send(
        &s,
        Some(&tech),
        "PUT",
        "/v1/auth/me/line",
        Some(json!({"cell": tech_cell})),
    )
    .await;
    assert_eq!(
        (status, st["verified"].as_bool()),
        (200, Some(false)),
        "{st}"
    );
    // Unverified, the cell is a customer's: the receptionist answers.
    let (_, heard) = line_call(&s, tech_cell, &[]).await;
    assert!(!said(&heard[0]).starts_with("Owner's line."), "{heard:?}");
    let (status, p) = send(
        &s,
        Some(&tech),
        "POST",
        "/v1/auth/me/line/verify",
        Some(json!({"code": "000000"})),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    let code = texted_code(&s, tech_cell).await;
    let (status, st) = send(
        &s,
        Some(&tech),
        "POST",
        "/v1/auth/me/line/verify",
        Some(json!({"code": code})),
    )
    .await;
    assert_eq!(
        (status, st["verified"].as_bool()),
        (200, Some(true)),
        "{st}"
    );
    // Spent once.
    assert_eq!(
        send(
            &s,
            Some(&tech),
            "POST",
            "/v1/auth/me/line/verify",
            Some(json!({"code": code}))
        )
        .await
        .0,
        422
    );

    // Staff read, but a cancel is refused and nothing changes.
    let (_, heard) = line_call(
        &s,
        tech_cell,
        &[
            "who's the 2 o'clock tomorrow",
            "cancel tomorrow's 2 o'clock",
        ],
    )
    .await;
    assert!(
        said(&heard[0]).contains("changes are for the owner"),
        "{heard:?}"
    );
    assert!(said(&heard[1]).contains("Bo Li"), "{heard:?}");
    assert!(
        said(&heard[2]).starts_with("Only the shop's owner can cancel"),
        "{heard:?}"
    );
    let (_, a) = get(&s, &owner, &format!("/v1/crm/appointments/{appt}")).await;
    assert_eq!(a["status"], "booked");

    // The owner cancels: read back, yes, yes.
    let (_, heard) = line_call(
        &s,
        BRISTOL_OWNER_CELL,
        &["cancel tomorrow's 2 o'clock", "yes", "yes"],
    )
    .await;
    assert!(
        said(&heard[1]).starts_with("The 2 PM tomorrow, Bo Li, faucet repair? Cancel it?"),
        "{heard:?}"
    );
    assert!(said(&heard[2]).contains("Say yes again"), "{heard:?}");
    assert!(
        said(&heard[3]).starts_with("Cancelled. Bo has been texted"),
        "{heard:?}"
    );
    let (_, a): (u16, Value) = get(&s, &owner, &format!("/v1/crm/appointments/{appt}")).await;
    assert_eq!(a["status"], "cancelled");
    wait_for_sms(
        &s,
        |m| m.to == "+19135550181" && m.body.to_lowercase().contains("cancel"),
        Duration::from_secs(20),
    )
    .await
    .expect("the customer is texted");
    // The time is free again: the office can book it.
    job(&s, &owner, "Cy Moe", "+19135550183", "3 Ash Street", 14).await;
    common::assert_iam_granted(&s);
}
