//! The CRM and the owner's office through the local stack: customers created, searched,
//! edited, merged without loss; the appointment lifecycle and office cancellation; the
//! callback queue; Today and analytics; privacy export and erasure; and a CSV of 5,000
//! customers imported (dry run, then for real, then again: idempotent) and exported with
//! formulas neutralised.

mod common;

use common::*;
use local::seed::BRISTOL_NUMBER;
use serde_json::{json, Value};
use std::time::Duration;

const CALLER: &str = "+19135550142";

/// Places the booking call; returns (CallSid, the call view).
async fn booked(s: &local::Stack, token: &str) -> (String, Value) {
    let (sid, _) = call(s, CALLER, BRISTOL_NUMBER, &booking(s)).await;
    let (st, view) = get(s, token, &format!("/v1/crm/calls/{sid}")).await;
    assert_eq!(
        (st, view["outcome"].as_str()),
        (200, Some("booked")),
        "{view}"
    );
    (sid, view)
}

/// `phone` books a toilet repair on an afternoon at least three days out; returns the
/// call view.
async fn toilet_booked(s: &local::Stack, token: &str, phone: &str) -> Value {
    let day = spoken_date(open_day(s, &local::seed::bristol(), 3));
    let (sid, _) = call(
        s,
        phone,
        BRISTOL_NUMBER,
        &[
            "my toilet keeps running",
            "john roe",
            "456 elm street merriam",
            &format!("{day} afternoon"),
            "yes",
        ],
    )
    .await;
    get(s, token, &format!("/v1/crm/calls/{sid}")).await.1
}

#[tokio::test]
async fn customers_are_searched_edited_and_merged_without_loss() {
    let s = stack().await;
    let t = login(&s, "owner@bristol.example", "bristol-demo").await;
    let tok = Some(t.as_str());
    let (sid, view) = booked(&s, &t).await;
    let (_, found) = send(&s, tok, "GET", "/v1/crm/customers?q=jane", None).await;
    let jane = found["items"][0].clone();
    assert_eq!(jane["phone"], CALLER, "{found}");
    let jane_id = jane["id"].as_str().unwrap().to_string();
    // Found by digits in any format, and by street.
    for q in ["555-0142", "(913)%20555-0142", "main%20street"] {
        let (_, r) = send(&s, tok, "GET", &format!("/v1/crm/customers?q={q}"), None).await;
        assert_eq!(r["items"][0]["id"], jane_id.as_str(), "{q}: {r}");
    }
    // The same number cannot be a second customer.
    let (st, p) = send(
        &s,
        tok,
        "POST",
        "/v1/crm/customers",
        Some(json!({"name": "Jane D", "phone": "913.555.0142"})),
    )
    .await;
    assert_eq!(
        (st, p["customer_id"].as_str()),
        (409, Some(jane_id.as_str())),
        "{p}"
    );
    let (st, p) = send(
        &s,
        tok,
        "POST",
        "/v1/crm/customers",
        Some(json!({"name": "", "phone": "913.555.0142"})),
    )
    .await;
    assert_eq!(st, 422);
    assert!(p["detail"].as_str().unwrap().starts_with("name:"), "{p}");
    let (st, p) = send(
        &s,
        tok,
        "POST",
        "/v1/crm/customers",
        Some(json!({"name": "X", "phone": 5})).to_owned(),
    )
    .await;
    assert_eq!(st, 400);
    assert!(p["detail"].as_str().unwrap().starts_with("phone"), "{p}");
    // A second record for Jane, entered by hand with her email and a work number.
    let (st, dup) = send(&s, tok, "POST", "/v1/crm/customers", Some(json!({"name": "Jane Doe", "phone": "913-555-0143", "email": "jane@doe.example", "address": "123 Main St, Merriam"}))).await;
    assert_eq!(st, 201, "{dup}");
    let dup_id = dup["id"].as_str().unwrap().to_string();
    let (_, d) = send(
        &s,
        tok,
        "GET",
        &format!("/v1/crm/customers/{jane_id}/duplicates"),
        None,
    )
    .await;
    let hit = &d["items"][0];
    assert_eq!(hit["customer"]["id"], dup_id.as_str(), "{d}");
    assert!(
        hit["reasons"]
            .as_array()
            .unwrap()
            .contains(&json!("address")),
        "{d}"
    );
    // A text from the work number lands on the duplicate's timeline.
    local::phone::text(
        &reqwest::Client::new(),
        &s.base_url,
        "+19135550143",
        BRISTOL_NUMBER,
        "is my visit still on?",
        "SM00000000000000000000000000000abc",
    )
    .await
    .unwrap();
    let (_, before) = send(
        &s,
        tok,
        "GET",
        &format!("/v1/crm/customers/{jane_id}/timeline"),
        None,
    )
    .await;
    let (_, dup_before) = send(
        &s,
        tok,
        "GET",
        &format!("/v1/crm/customers/{dup_id}/timeline"),
        None,
    )
    .await;
    let n_before =
        before["items"].as_array().unwrap().len() + dup_before["items"].as_array().unwrap().len();
    assert!(before["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "call" && e["id"] == sid.as_str()));
    assert!(
        dup_before["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "text"),
        "{dup_before}"
    );
    // Staff cannot merge; the owner can.
    let (st, merged) = send(
        &s,
        tok,
        "POST",
        &format!("/v1/crm/customers/{jane_id}/merge"),
        Some(json!({"duplicate_id": dup_id})),
    )
    .await;
    assert_eq!(st, 200, "{merged}");
    assert_eq!(merged["customer"]["email"], "jane@doe.example");
    assert_eq!(merged["customer"]["other_phones"], json!(["+19135550143"]));
    assert_eq!(
        send(&s, tok, "GET", &format!("/v1/crm/customers/{dup_id}"), None)
            .await
            .0,
        404
    );
    let (_, after) = send(
        &s,
        tok,
        "GET",
        &format!("/v1/crm/customers/{jane_id}/timeline?limit=2"),
        None,
    )
    .await;
    let mut items = after["items"].as_array().unwrap().clone();
    let mut next = after["next"].as_str().map(String::from);
    while let Some(c) = next {
        let (_, p) = send(
            &s,
            tok,
            "GET",
            &format!("/v1/crm/customers/{jane_id}/timeline?limit=2&cursor={c}"),
            None,
        )
        .await;
        items.extend(p["items"].as_array().unwrap().iter().cloned());
        next = p["next"].as_str().map(String::from);
    }
    assert_eq!(
        items.len(),
        n_before,
        "nothing lost in the merge: {items:?}"
    );
    assert!(items.iter().any(|e| e["kind"] == "text"));
    assert!(items
        .iter()
        .any(|e| e["kind"] == "appointment" && e["id"] == view["appointment"]["id"]));
    // Calls from the merged number now reach Jane's record.
    let (_, by_phone) = send(&s, tok, "GET", "/v1/crm/customers?q=5550143", None).await;
    assert_eq!(by_phone["items"][0]["id"], jane_id.as_str(), "{by_phone}");
    // Editing: a stale write is refused rather than lost; a field can be cleared.
    let (st, e) = send(
        &s,
        tok,
        "PATCH",
        &format!("/v1/crm/customers/{jane_id}"),
        Some(json!({"notes": "dog in yard", "email": null})),
    )
    .await;
    assert_eq!(
        (st, e["notes"].as_str(), e["email"].as_str()),
        (200, Some("dog in yard"), None),
        "{e}"
    );
    let (_, audit) = send(&s, tok, "GET", "/v1/owner/audit", None).await;
    let actions = audit.to_string();
    for a in ["customer_created", "customer_merged", "customer_updated"] {
        assert!(actions.contains(a), "{a}: {audit}");
    }
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn appointments_follow_their_lifecycle_and_callbacks_get_resolved() {
    let s = stack().await;
    let t = login(&s, "owner@bristol.example", "bristol-demo").await;
    let tok = Some(t.as_str());
    let (_, view) = booked(&s, &t).await;
    let id = view["appointment"]["id"].as_str().unwrap().to_string();
    let path = format!("/v1/crm/appointments/{id}");
    let (st, a) = send(&s, tok, "GET", &path, None).await;
    assert_eq!((st, a["status"].as_str()), (200, Some("booked")), "{a}");
    let (st, p) = send(&s, tok, "PATCH", &path, Some(json!({"status": "invoiced"}))).await;
    assert_eq!(st, 422, "{p}");
    assert!(p["detail"].as_str().unwrap().starts_with("status:"));
    let (st, p) = send(&s, tok, "PATCH", &path, Some(json!({"status": "paid"}))).await;
    assert_eq!(st, 400, "{p}");
    let (st, a) = send(
        &s,
        tok,
        "PATCH",
        &path,
        Some(json!({"status": "completed", "note": "replaced cartridge"})),
    )
    .await;
    assert_eq!((st, a["status"].as_str()), (200, Some("completed")), "{a}");
    let (st, a) = send(
        &s,
        tok,
        "PATCH",
        &path,
        Some(json!({"status": "invoiced", "amount": 240})),
    )
    .await;
    assert_eq!((st, a["amount"].as_u64()), (200, Some(240)), "{a}");
    assert_eq!(a["notes"][0]["text"], "replaced cartridge");
    // Analytics counts the invoiced amount and the job.
    let (st, an) = send(&s, tok, "GET", "/v1/owner/analytics?weeks=4", None).await;
    assert_eq!(st, 200, "{an}");
    assert!(an["revenue_estimate"].as_u64().unwrap() >= 240, "{an}");
    assert!(an["booking_rate"].as_f64().unwrap() > 0.0, "{an}");
    assert_eq!(an["jobs_per_week"].as_array().unwrap().len(), 4);
    assert_eq!(
        send(&s, tok, "GET", "/v1/owner/analytics?weeks=99", None)
            .await
            .0,
        400
    );

    // A second booking, cancelled from the office: the slot frees and the customer hears.
    let other = "+19135550144";
    let v2 = toilet_booked(&s, &t, other).await;
    assert_eq!(v2["outcome"], "booked", "{v2}");
    let id2 = v2["appointment"]["id"].as_str().unwrap().to_string();
    let start = v2["appointment"]["start"].as_str().unwrap().to_string();
    let (st, a) = send(
        &s,
        tok,
        "PATCH",
        &format!("/v1/crm/appointments/{id2}"),
        Some(json!({"status": "cancelled"})),
    )
    .await;
    assert_eq!((st, a["status"].as_str()), (200, Some("cancelled")), "{a}");
    wait_for_sms(
        &s,
        |m| m.to == other && m.body.contains("cancelled"),
        Duration::from_secs(20),
    )
    .await
    .unwrap();
    let date = &start[..10];
    let (_, avail) = send(
        &s,
        tok,
        "GET",
        &format!("/v1/owner/availability?date={date}&service=toilet_repair"),
        None,
    )
    .await;
    assert!(
        avail["slots"]
            .as_array()
            .unwrap()
            .iter()
            .any(|sl| sl["start"].as_str().unwrap()[..16] == start[..16])
            || avail.to_string().contains(&start[..13]),
        "freed slot offered again: {avail}"
    );

    // A hang-up becomes an open callback; resolving moves it to done, audited.
    let (sid, _) = call(&s, "+19135550155", BRISTOL_NUMBER, HANG_UP).await;
    let mut cb = Value::Null;
    for _ in 0..50 {
        let (_, q) = send(&s, tok, "GET", "/v1/owner/callbacks", None).await;
        if let Some(c) = q["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["call_sid"] == sid.as_str())
        {
            cb = c.clone();
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(cb["status"], "open", "missed call queued");
    let (_, today) = send(&s, tok, "GET", "/v1/owner/today", None).await;
    assert!(
        today["summary"].as_str().unwrap().contains("callback"),
        "{today}"
    );
    assert!(
        today["recent_calls"].as_array().unwrap().len() >= 3,
        "{today}"
    );
    let cb_path = format!("/v1/owner/callbacks/{}/resolve", cb["id"].as_str().unwrap());
    let (st, done) = send(
        &s,
        tok,
        "POST",
        &cb_path,
        Some(json!({"outcome": "called_back", "note": "booked for Friday"})),
    )
    .await;
    assert_eq!(
        (st, done["status"].as_str(), done["outcome"].as_str()),
        (200, Some("done"), Some("called_back")),
        "{done}"
    );
    assert_eq!(
        send(
            &s,
            tok,
            "POST",
            &cb_path,
            Some(json!({"outcome": "called_back"}))
        )
        .await
        .0,
        404
    );
    let (_, done_list) = send(&s, tok, "GET", "/v1/owner/callbacks?status=done", None).await;
    assert_eq!(
        done_list["items"][0]["resolution_note"],
        "booked for Friday"
    );
    let (_, calls) = send(&s, tok, "GET", "/v1/crm/calls?outcome=abandoned", None).await;
    assert!(calls["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["outcome"] == "abandoned"));
    assert!(
        calls["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["call_sid"] == sid.as_str()),
        "{calls}"
    );
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn privacy_export_and_erasure_of_one_customer() {
    let s = stack().await;
    let t = login(&s, "owner@bristol.example", "bristol-demo").await;
    let tok = Some(t.as_str());
    let (sid, view) = booked(&s, &t).await;
    let (_, found) = send(&s, tok, "GET", "/v1/crm/customers?q=jane", None).await;
    let id = found["items"][0]["id"].as_str().unwrap().to_string();
    let (st, export) = send(
        &s,
        tok,
        "GET",
        &format!("/v1/owner/privacy/customers/{id}"),
        None,
    )
    .await;
    assert_eq!(st, 200, "{export}");
    assert_eq!(export["customer"]["phone"], CALLER);
    assert!(export["records"].to_string().contains("faucet"), "{export}");
    let (st, gone) = send(
        &s,
        tok,
        "DELETE",
        &format!("/v1/owner/privacy/customers/{id}"),
        None,
    )
    .await;
    assert_eq!(st, 200, "{gone}");
    assert_eq!(
        send(&s, tok, "GET", &format!("/v1/crm/customers/{id}"), None)
            .await
            .0,
        404
    );
    let (_, call) = get(&s, &t, &format!("/v1/crm/calls/{sid}")).await;
    let text = call.to_string();
    assert!(
        !text.contains("0142") && !text.to_lowercase().contains("jane"),
        "{call}"
    );
    assert_eq!(call["outcome"], "booked", "the business fact stays");
    let appt = send(
        &s,
        tok,
        "GET",
        &format!(
            "/v1/crm/appointments/{}",
            view["appointment"]["id"].as_str().unwrap()
        ),
        None,
    )
    .await
    .1;
    assert!(!appt.to_string().to_lowercase().contains("jane"), "{appt}");
    let (_, audit) = send(&s, tok, "GET", "/v1/owner/audit", None).await;
    assert!(
        audit.to_string().contains("customer_erased")
            && audit.to_string().contains("customer_exported")
    );
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn five_thousand_customers_import_idempotently_and_export_safely() {
    let s = stack().await;
    let t = login(&s, "owner@bristol.example", "bristol-demo").await;
    let tok = Some(t.as_str());
    let mut csv = String::from("Full Name,Mobile,Email,Street,City,Zip\n");
    for i in 0..5000 {
        csv.push_str(&format!(
            "Customer {i},(816) {:03}-{:04},c{i}@example.com,{i} Oak Street,Kansas City,641{:02}\n",
            200 + i / 10000,
            i % 10000,
            i % 100
        ));
    }
    csv.push_str("=HYPERLINK(\"http://evil\"),555-12,,,,\n");
    csv.push_str("\"=cmd|' /C calc'!A0\",(913) 555-0188,,,,\n");
    let mapping = json!({"name": "Full Name", "phone": "Mobile"});
    let body = |dry: bool, csv: &str| Some(json!({"csv": csv, "mapping": mapping, "dry_run": dry}));
    let (st, dry) = send(
        &s,
        tok,
        "POST",
        "/v1/crm/import/customers",
        body(true, &csv),
    )
    .await;
    assert_eq!(st, 200, "{dry}");
    assert_eq!(
        (dry["created"].as_u64(), dry["skipped"].as_u64()),
        (Some(5001), Some(1)),
        "{}",
        dry["errors"]
    );
    assert_eq!(dry["errors"][0]["row"], 5001);
    assert_eq!(dry["errors"][0]["field"], "phone");
    assert_eq!(
        send(&s, tok, "GET", "/v1/crm/customers?q=customer%204999", None)
            .await
            .1["items"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "dry run wrote nothing"
    );
    let (st, real) = send(
        &s,
        tok,
        "POST",
        "/v1/crm/import/customers",
        body(false, &csv),
    )
    .await;
    assert_eq!((st, real["created"].as_u64()), (200, Some(5001)), "{real}");
    let (st, again) = send(
        &s,
        tok,
        "POST",
        "/v1/crm/import/customers",
        body(false, &csv),
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(
        (
            again["created"].as_u64(),
            again["updated"].as_u64(),
            again["unchanged"].as_u64()
        ),
        (Some(0), Some(0), Some(5001)),
        "{again}"
    );
    let edited = csv.replace("Customer 17,", "Customer Seventeen,");
    let (_, once_more) = send(
        &s,
        tok,
        "POST",
        "/v1/crm/import/customers",
        body(false, &edited),
    )
    .await;
    assert_eq!(
        (
            once_more["updated"].as_u64(),
            once_more["unchanged"].as_u64()
        ),
        (Some(1), Some(5000)),
        "{once_more}"
    );
    let (_, hit) = send(&s, tok, "GET", "/v1/crm/customers?q=816-200-4999", None).await;
    assert_eq!(hit["items"][0]["name"], "Customer 4999", "{hit}");
    // Paging through everyone visits each customer once.
    let mut seen = std::collections::BTreeSet::new();
    let mut next: Option<String> = None;
    loop {
        let path = match &next {
            Some(c) => format!("/v1/crm/customers?limit=200&cursor={c}"),
            None => "/v1/crm/customers?limit=200".into(),
        };
        let (st, page) = send(&s, tok, "GET", &path, None).await;
        assert_eq!(st, 200, "{page}");
        for c in page["items"].as_array().unwrap() {
            assert!(
                seen.insert(c["id"].as_str().unwrap().to_string()),
                "{c} twice"
            );
        }
        next = page["next"].as_str().map(String::from);
        if next.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), 5001);
    let (st, out) = send_text(&s, tok, "GET", "/v1/crm/export/customers", None).await;
    assert_eq!(st, 200);
    assert_eq!(out.lines().count(), 5002, "header and every customer");
    assert!(out.contains("'=cmd|' /C calc'!A0"), "formula neutralised");
    assert!(
        !out.lines().any(|l| l.starts_with('=') || l.contains(",=")),
        "no live formula"
    );
    let (st, calls_csv) = send_text(&s, tok, "GET", "/v1/crm/export/calls", None).await;
    assert_eq!(st, 200);
    assert!(calls_csv.starts_with("call_sid,"));
    assert_eq!(
        send(&s, tok, "GET", "/v1/crm/export/passwords", None)
            .await
            .0,
        404
    );
    // Staff may not bulk-export or import.
    let staff = login(&s, "tech@prairie.example", "prairie-tech").await;
    assert_eq!(
        send(&s, Some(&staff), "GET", "/v1/crm/export/customers", None)
            .await
            .0,
        403
    );
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn the_office_moves_a_job_without_double_booking() {
    let s = stack().await;
    let t = login(&s, "owner@bristol.example", "bristol-demo").await;
    let tok = Some(t.as_str());
    let (_, view) = booked(&s, &t).await;
    let id = view["appointment"]["id"].as_str().unwrap().to_string();
    let old_start = view["appointment"]["start"].as_str().unwrap().to_string();
    // A second job on another day: the first cannot be moved onto it.
    let other = "+19135550145";
    let v2 = toilet_booked(&s, &t, other).await;
    let taken = v2["appointment"]["start"].as_str().unwrap().to_string();
    let path = format!("/v1/crm/appointments/{id}/reschedule");
    let (st, p) = send(&s, tok, "POST", &path, Some(json!({"start": taken}))).await;
    assert_eq!(st, 409, "{p}");
    assert!(p["detail"].as_str().unwrap().starts_with("start:"), "{p}");
    let (st, p) = send(
        &s,
        tok,
        "POST",
        &path,
        Some(json!({"start": "2001-01-01T15:00:00Z"})),
    )
    .await;
    assert_eq!(st, 422, "{p}");
    let (st, p) = send(
        &s,
        tok,
        "POST",
        &path,
        Some(json!({"start": old_start, "resource": "van-9"})),
    )
    .await;
    assert_eq!(st, 422, "{p}");
    assert!(
        p["detail"].as_str().unwrap().starts_with("resource:"),
        "{p}"
    );
    assert_eq!(
        send(&s, tok, "POST", &path, Some(json!({"when": 1})))
            .await
            .0,
        400
    );

    // Move it to the first free slot after the second job's day (holidays are closed).
    let day: chrono::NaiveDate = taken[..10].parse().unwrap();
    let mut found = None;
    for d in 1..10 {
        let date = day + chrono::Duration::days(d);
        let (_, avail) = send(
            &s,
            tok,
            "GET",
            &format!("/v1/owner/availability?date={date}&service=faucet_repair"),
            None,
        )
        .await;
        if let Some(start) = avail["slots"][0]["start"].as_str() {
            found = Some((date, start.to_string()));
            break;
        }
    }
    let (date, target) = found.expect("a free slot within ten days");
    let (st, moved) = send(&s, tok, "POST", &path, Some(json!({"start": target}))).await;
    assert_eq!(
        (st, moved["status"].as_str()),
        (200, Some("booked")),
        "{moved}"
    );
    let new_id = moved["id"].as_str().unwrap().to_string();
    assert_ne!(new_id, id);
    assert_eq!(moved["job_id"].as_str(), Some(id.as_str()), "{moved}");
    let target_t: chrono::DateTime<chrono::Utc> = target.parse().unwrap();
    let moved_t: chrono::DateTime<chrono::Utc> = moved["start"].as_str().unwrap().parse().unwrap();
    assert_eq!(moved_t, target_t);
    let (_, old) = send(&s, tok, "GET", &format!("/v1/crm/appointments/{id}"), None).await;
    assert_eq!(old["status"], "rescheduled", "{old}");
    // The same request again finds its own result; the old time is offered again and
    // the new one is not.
    let (st, again) = send(&s, tok, "POST", &path, Some(json!({"start": target}))).await;
    assert_eq!(
        (st, again["id"].as_str()),
        (200, Some(new_id.as_str())),
        "{again}"
    );
    let offered = |avail: &Value, at: &str| {
        let at: chrono::DateTime<chrono::Utc> = at.parse().unwrap();
        avail["slots"].as_array().unwrap().iter().any(|sl| {
            sl["start"]
                .as_str()
                .unwrap()
                .parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap()
                == at
        })
    };
    let (_, a_old) = send(
        &s,
        tok,
        "GET",
        &format!(
            "/v1/owner/availability?date={}&service=faucet_repair",
            &old_start[..10]
        ),
        None,
    )
    .await;
    assert!(offered(&a_old, &old_start), "{a_old}");
    let (_, a_new) = send(
        &s,
        tok,
        "GET",
        &format!("/v1/owner/availability?date={date}&service=faucet_repair"),
        None,
    )
    .await;
    assert!(!offered(&a_new, &target), "{a_new}");
    wait_for_sms(
        &s,
        |m| m.to == CALLER && m.body.contains("has moved to"),
        Duration::from_secs(20),
    )
    .await
    .unwrap();
    // Staff may move jobs too; the moved job cannot be moved again under its old id.
    let (st, p) = send(
        &s,
        tok,
        "POST",
        &path,
        Some(json!({"start": v2["appointment"]["end"]})),
    )
    .await;
    assert_eq!(st, 422, "{p}");
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn the_office_books_a_job_by_hand_and_a_phone_caller_gets_another_time() {
    let s = stack().await;
    let t = login(&s, "owner@bristol.example", "bristol-demo").await;
    let tok = Some(t.as_str());
    let new_customer = |name: &str, phone: &str| json!({"name": name, "phone": phone, "address": "88 Birch St, Merriam, KS"});
    let (st, rosa) = send(
        &s,
        tok,
        "POST",
        "/v1/crm/customers",
        Some(new_customer("Rosa Lindqvist", "+19135550177")),
    )
    .await;
    assert_eq!(st, 201, "{rosa}");
    let rosa_id = rosa["id"].as_str().unwrap().to_string();
    let day = open_day(&s, &local::seed::bristol(), 3);
    let (_, avail) = send(
        &s,
        tok,
        "GET",
        &format!("/v1/owner/availability?date={day}&service=faucet_repair"),
        None,
    )
    .await;
    let target = avail["slots"][0]["start"]
        .as_str()
        .expect("a free morning")
        .to_string();
    let body = json!({"customer_id": rosa_id, "service": "faucet_repair", "start": target});

    let (st, job) = send(&s, tok, "POST", "/v1/crm/appointments", Some(body.clone())).await;
    assert_eq!((st, job["status"].as_str()), (201, Some("booked")), "{job}");
    assert_eq!(job["customer"]["name"], "Rosa Lindqvist", "{job}");
    assert_eq!(job["address"], "88 Birch St, Merriam, KS", "{job}");
    let id = job["id"].as_str().unwrap().to_string();
    // A retried request finds its own job; nothing is booked twice.
    let (st, again) = send(&s, tok, "POST", "/v1/crm/appointments", Some(body)).await;
    assert_eq!(
        (st, again["id"].as_str()),
        (201, Some(id.as_str())),
        "{again}"
    );
    wait_for_sms(
        &s,
        |m| m.to == "+19135550177" && m.body.contains("you're booked for"),
        Duration::from_secs(20),
    )
    .await
    .unwrap();

    // Another customer at the same time: refused, and the time is no longer offered.
    let (_, other) = send(
        &s,
        tok,
        "POST",
        "/v1/crm/customers",
        Some(new_customer("Anders Holm", "+19135550178")),
    )
    .await;
    let other_id = other["id"].as_str().unwrap();
    let (st, p) = send(
        &s,
        tok,
        "POST",
        "/v1/crm/appointments",
        Some(json!({"customer_id": other_id, "service": "faucet_repair", "start": target})),
    )
    .await;
    assert_eq!(st, 409, "{p}");
    assert!(p["detail"].as_str().unwrap().starts_with("start:"), "{p}");
    let (_, after) = send(
        &s,
        tok,
        "GET",
        &format!("/v1/owner/availability?date={day}&service=faucet_repair"),
        None,
    )
    .await;
    assert_ne!(
        after["slots"][0]["start"].as_str(),
        Some(target.as_str()),
        "{after}"
    );

    // Bad input is named and changes nothing.
    for (body, field) in [
        (
            json!({"customer_id": "cu_nobody", "service": "faucet_repair", "start": target}),
            "customer_id:",
        ),
        (
            json!({"customer_id": other_id, "service": "faucet_repair", "start": "2001-01-01T15:00:00Z"}),
            "start:",
        ),
        (
            json!({"customer_id": other_id, "service": "faucet_repair", "start": target, "resource": "van-9"}),
            "resource:",
        ),
    ] {
        let (st, p) = send(&s, tok, "POST", "/v1/crm/appointments", Some(body)).await;
        assert_eq!(st, 422, "{p}");
        assert!(p["detail"].as_str().unwrap().starts_with(field), "{p}");
    }
    let (st, _) = send(
        &s,
        tok,
        "POST",
        "/v1/crm/appointments",
        Some(json!({"customer": 1})),
    )
    .await;
    assert_eq!(st, 400);

    // A caller asking for that morning is booked at another time.
    let (sid, _) = call(
        &s,
        "+19135550179",
        BRISTOL_NUMBER,
        &[
            "my kitchen faucet keeps dripping",
            "lena park",
            "17 oak street merriam",
            &format!("{} morning", spoken_date(day)),
            "yes",
        ],
    )
    .await;
    let (_, view) = get(&s, &t, &format!("/v1/crm/calls/{sid}")).await;
    assert_eq!(view["outcome"], "booked", "{view}");
    let at = |v: &Value| {
        v.as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    };
    assert_ne!(
        at(&view["appointment"]["start"]),
        at(&Value::from(target.clone())),
        "{view}"
    );
    // The job is on the customer's timeline.
    let (_, tl) = get(&s, &t, &format!("/v1/crm/customers/{rosa_id}/timeline")).await;
    assert!(tl["items"].to_string().contains(&id), "{tl}");

    // The notification audit, for one customer and for one call.
    let (_, sent) = get(
        &s,
        &t,
        &format!("/v1/crm/notifications?customer_id={rosa_id}"),
    )
    .await;
    let rows = sent["items"].as_array().unwrap();
    assert!(
        !rows.is_empty()
            && rows
                .iter()
                .all(|r| r["recipient"] == frontline::phone::mask("+19135550177")),
        "{sent}"
    );
    assert!(
        rows.iter().any(|r| r["kind"] == "appointment_booked"),
        "{sent}"
    );
    let (_, none) = get(
        &s,
        &t,
        &format!("/v1/crm/notifications?customer_id={other_id}"),
    )
    .await;
    assert_eq!(none["items"].as_array().unwrap().len(), 0, "{none}");
    wait_for_sms(&s, |m| m.to == "+19135550179", Duration::from_secs(20))
        .await
        .unwrap();
    let (_, of_call) = get(&s, &t, &format!("/v1/crm/notifications?call_sid={sid}")).await;
    let rows = of_call["items"].as_array().unwrap();
    assert!(
        !rows.is_empty()
            && rows.iter().all(|r| r["event_id"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{sid}-"))),
        "{of_call}"
    );
    let (st, _) = get(&s, &t, "/v1/crm/notifications?customer_id=cu_nobody").await;
    assert_eq!(st, 404);
}
