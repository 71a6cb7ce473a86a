//! The scheduled jobs against the moto server through the local stack: reminders at the
//! right hour across a daylight-saving change and only once, opt-outs and quiet hours
//! respected, the owner's digest, retention purge, the win-back campaign and the restore
//! drill. Runs are triggered as EventBridge would, with the schedule event's `time`.

mod common;

use chrono::{DateTime, Duration as Days, TimeZone, Utc};
use common::*;
use frontline::dialogue::{Action, Address, Booking, Conversation};
use frontline::scheduling::Slot;
use frontline::store::TurnWrite;
use frontline::triage::ServiceType;
use local::seed::{BRISTOL_NUMBER, BRISTOL_OWNER_CELL};
use local::Stack;
use serde_json::{json, Value};
use std::time::Duration;

const TENANT: &str = "bristol-plumbing";

/// Books a job at `start` the way a call's booking turn writes it (one transaction: slot
/// locks, appointment, customer, call, outbox).
async fn book_at(s: &Stack, phone: &str, name: &str, start: DateTime<Utc>) -> String {
    let tenant = s.svc.store.tenant(TENANT).await.unwrap().unwrap();
    let sid = format!("CAjob{}", &phone[2..]);
    let mut state = Conversation::new(&sid, TENANT, phone, start - Days::days(3), None);
    state.name = Some(name.into());
    let id = format!("ap_{}", &phone[2..]);
    let booking = Booking {
        appointment_id: id.clone(),
        slot: Slot {
            resource: "van-1".into(),
            start,
            end: start + Days::hours(1),
        },
        service: ServiceType::FaucetRepair,
        name: name.into(),
        phone: phone.into(),
        address: Some(Address {
            number: "12".into(),
            direction: None,
            street: "Elm".into(),
            street_type: Some("St".into()),
            unit: None,
            city: Some("Merriam".into()),
            state: Some("KS".into()),
            unit_kind: None,
        }),
        replaces: None,
        emergency: false,
        held: false,
        replaces_hold: false,
        lang: Default::default(),
    };
    let actions = [Action::Book(Box::new(booking))];
    s.svc
        .store
        .commit_turn(TurnWrite {
            tenant: &tenant,
            state: &state,
            prev: None,
            twiml: "<Response/>",
            actions: &actions,
            events: &[],
            now: start - Days::days(3),
            sms: None,
        })
        .await
        .unwrap();
    id
}

async fn invoke(s: &Stack, job: &str, time: &str) -> Value {
    let r = reqwest::Client::new()
        .post(format!("{}/_local/schedules/{job}?time={time}", s.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

fn count(summary: &Value, name: &str) -> u64 {
    summary["counts"][name].as_u64().unwrap_or(0)
}

fn texts_to(s: &Stack, to: &str) -> Vec<String> {
    s.messages()
        .into_iter()
        .filter(|m| m.to == to)
        .map(|m| m.body)
        .collect()
}

#[tokio::test]
async fn reminders_fire_once_at_the_right_hour_across_dst_and_the_owner_gets_a_digest() {
    // Written for the weekend clocks spring forward: the stack lives then too.
    let s = stack_at("2027-03-13T18:00:00Z").await;
    // Clocks spring forward on Sunday 2027-03-14. The job is Monday 8:00 CDT (13:00 UTC);
    // the day before, 13:00 UTC is also 8:00 local: 24 real hours, same wall time.
    let start = Utc.with_ymd_and_hms(2027, 3, 15, 13, 0, 0).unwrap();
    book_at(&s, "+19135550170", "Rita Gomez", start).await;
    book_at(&s, "+19135550171", "Opted Out", start + Days::hours(2)).await;
    let mut t = frontline_texter(&s, "+19135550171");
    t("STOP").await;

    let early = invoke(&s, "reminders", "2027-03-14T12:00:00Z").await;
    assert_eq!(count(&early, "sent"), 0, "{early}");
    let due = invoke(&s, "reminders", "2027-03-14T13:00:00Z").await;
    assert_eq!(count(&due, "sent"), 1, "{due}");
    let text = wait_for_sms(&s, |m| m.to == "+19135550170", Duration::from_secs(20))
        .await
        .unwrap();
    assert!(
        text.body
            .contains("tomorrow, Monday, March 15th, between 8 and 10 in the morning at 12 Elm St"),
        "{}",
        text.body
    );
    assert!(text.body.contains("Reply C to confirm") && text.body.contains("STOP"));
    // The same hour again (a retried schedule event): nothing new.
    let again = invoke(&s, "reminders", "2027-03-14T13:20:00Z").await;
    assert_eq!(count(&again, "sent"), 0, "{again}");
    assert_eq!(count(&again, "already_sent"), 1, "{again}");
    // The opted-out customer's job (10:00 CDT) is due at 15:00 UTC: skipped.
    let opted = invoke(&s, "reminders", "2027-03-14T15:00:00Z").await;
    assert_eq!(count(&opted, "skipped_opted_out"), 1, "{opted}");
    // Two hours before 8:00 is 6:00, inside quiet hours: no text.
    let quiet = invoke(&s, "reminders", "2027-03-15T11:00:00Z").await;
    assert_eq!(count(&quiet, "skipped_quiet_hours"), 1, "{quiet}");

    // 7:00 CDT Monday: the owner's digest lists today's jobs; a second run sends nothing.
    let digest = invoke(&s, "reminders", "2027-03-15T12:00:00Z").await;
    assert_eq!(
        count(&digest, "digests_sent"),
        2,
        "both demo tenants: {digest}"
    );
    let d = wait_for_sms(
        &s,
        |m| m.to == BRISTOL_OWNER_CELL && m.body.contains("Mon Mar 15"),
        Duration::from_secs(20),
    )
    .await
    .unwrap();
    assert!(
        d.body.starts_with("Bristol Plumbing for Mon Mar 15: today 2 jobs (8:00 AM Rita Gomez (faucet repair); 10:00 AM Opted Out (faucet repair))"),
        "{}",
        d.body
    );
    let again = invoke(&s, "reminders", "2027-03-15T12:30:00Z").await;
    assert_eq!(count(&again, "digests_sent"), 0, "{again}");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(texts_to(&s, "+19135550170").len(), 1, "one reminder, ever");
    assert!(texts_to(&s, "+19135550171")
        .iter()
        .all(|b| !b.contains("reminder")));
    assert_eq!(
        texts_to(&s, BRISTOL_OWNER_CELL)
            .iter()
            .filter(|b| b.contains("Mon Mar 15"))
            .count(),
        1
    );
    common::assert_iam_granted(&s);
}

/// Sends texts from `from` to Bristol through the signed webhook.
fn frontline_texter(
    s: &Stack,
    from: &'static str,
) -> impl FnMut(&'static str) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> {
    let base = s.base_url.clone();
    let mut n = 0;
    move |body| {
        n += 1;
        let base = base.clone();
        let sid = format!("SMjob{}{n}", &from[2..]);
        Box::pin(async move {
            let (status, _) = local::phone::text(
                &reqwest::Client::new(),
                &base,
                from,
                BRISTOL_NUMBER,
                body,
                &sid,
            )
            .await
            .unwrap();
            assert_eq!(status, 200);
        })
    }
}

#[tokio::test]
async fn retention_purge_redacts_old_transcripts_and_keeps_recent_ones() {
    let s = stack().await;
    let (sid, _) = call(&s, "+19135550142", BRISTOL_NUMBER, &booking(&s)).await;
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let now = now(&s);
    let recent = invoke(&s, "retention-purge", &now.to_rfc3339().replace('+', "%2B")).await;
    assert_eq!(count(&recent, "transcripts_redacted"), 0, "{recent}");
    let (_, c) = get(&s, &token, &format!("/v1/crm/calls/{sid}")).await;
    assert!(!c["transcript"].as_array().unwrap().is_empty());

    let later = (now + Days::days(366)).to_rfc3339().replace('+', "%2B");
    let purged = invoke(&s, "retention-purge", &later).await;
    assert_eq!(count(&purged, "transcripts_redacted"), 1, "{purged}");
    let (_, c) = get(&s, &token, &format!("/v1/crm/calls/{sid}")).await;
    assert!(c["transcript"].as_array().unwrap().is_empty(), "{c}");
    assert_eq!(c["outcome"], "booked", "the CRM keeps the outcome");
    assert_eq!(c["customer"]["name"], "Jane Doe");
    let again = invoke(&s, "retention-purge", &later).await;
    assert_eq!(count(&again, "transcripts_redacted"), 0, "{again}");
    let audit = s.svc.store.audit_trail(TENANT, 10).await.unwrap();
    assert!(
        audit.iter().any(|a| a.action == "retention_purged"),
        "{audit:?}"
    );
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn winback_texts_each_lapsed_customer_once_and_never_an_opted_out_one() {
    let s = stack().await;
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (_, mut settings) = get(&s, &token, "/v1/owner/settings/scheduling").await;
    settings["lifecycle"]["winback_after_months"] = json!(6);
    let r = reqwest::Client::new()
        .put(format!("{}/v1/owner/settings/scheduling", s.base_url))
        .bearer_auth(&token)
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    book_at(
        &s,
        "+19135550180",
        "Old Customer",
        Utc.with_ymd_and_hms(2026, 1, 12, 15, 0, 0).unwrap(),
    )
    .await;
    book_at(
        &s,
        "+19135550181",
        "Gone Quiet",
        Utc.with_ymd_and_hms(2026, 1, 13, 15, 0, 0).unwrap(),
    )
    .await;
    book_at(
        &s,
        "+19135550182",
        "Recent Customer",
        Utc.with_ymd_and_hms(2026, 10, 1, 15, 0, 0).unwrap(),
    )
    .await;
    let mut t = frontline_texter(&s, "+19135550181");
    t("STOP").await;

    // 10:00 CST on 2026-11-24 is 16:00 UTC.
    let run = invoke(&s, "campaigns", "2026-11-24T16:00:00Z").await;
    assert_eq!(count(&run, "sent"), 1, "{run}");
    assert_eq!(count(&run, "skipped_opted_out"), 1, "{run}");
    let text = wait_for_sms(&s, |m| m.to == "+19135550180", Duration::from_secs(20))
        .await
        .unwrap();
    assert!(
        text.body.contains("hi Old,") && text.body.contains("STOP"),
        "{}",
        text.body
    );
    let other_hour = invoke(&s, "campaigns", "2026-11-24T17:00:00Z").await;
    assert_eq!(
        count(&other_hour, "sent"),
        0,
        "only at 10:00 local: {other_hour}"
    );
    let next_day = invoke(&s, "campaigns", "2026-11-25T16:00:00Z").await;
    assert_eq!(
        count(&next_day, "sent"),
        0,
        "one text per campaign: {next_day}"
    );
    assert_eq!(count(&next_day, "already_sent"), 1, "{next_day}");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(texts_to(&s, "+19135550180").len(), 1);
    assert!(texts_to(&s, "+19135550182").is_empty());
    assert!(texts_to(&s, "+19135550181")
        .iter()
        .all(|b| !b.contains("a while")));
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn the_restore_drill_restores_the_newest_backup_with_equal_counts() {
    let s = stack().await;
    call(&s, "+19135550142", BRISTOL_NUMBER, &booking(&s)).await;
    // A drill compares the live table with the backup: let the booking's texts finish.
    for to in ["+19135550142", BRISTOL_OWNER_CELL] {
        wait_for_sms(
            &s,
            |m| m.to == to && m.status == "delivered",
            Duration::from_secs(20),
        )
        .await
        .unwrap();
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let b = invoke(&s, "backup", &now(&s).to_rfc3339().replace('+', "%2B")).await;
    assert_eq!(count(&b, "created"), 1, "{b}");
    let r = reqwest::Client::new()
        .post(format!("{}/_local/restore-drill", s.base_url))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let report: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["equal"], true, "{report}");
    assert_eq!(report["source"]["appointment"], 1, "{report}");
    assert!(report["recovery_point"].is_string());
    // The drill table is gone again; old backups beyond the local keep (3) are pruned.
    for _ in 0..4 {
        invoke(&s, "backup", &now(&s).to_rfc3339().replace('+', "%2B")).await;
    }
    let tables = s.svc.store.client().list_tables().send().await.unwrap();
    assert!(tables.table_names().iter().all(|t| !t.contains("-drill-")));
    let last = invoke(&s, "backup", &now(&s).to_rfc3339().replace('+', "%2B")).await;
    assert_eq!(count(&last, "kept"), 3, "{last}");
    assert!(count(&last, "deleted") >= 1, "{last}");
    common::assert_iam_granted(&s);
}
