//! Google Calendar end to end through the local stack and its Google stand-in: the owner
//! connects, jobs booked, moved and cancelled by voice follow into the calendar, the owner's
//! personal events block slots, and Google failures neither block nor lose a booking.

mod common;

use chrono::{DateTime, Duration as Days, NaiveDate, TimeZone, Utc};
use common::*;
use local::seed::BRISTOL_NUMBER;
use local::Stack;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const TENANT: &str = "bristol-plumbing";
const INTEGRATION: &str = "/v1/owner/integrations/google";

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The owner's browser: connect, follow Google's consent back to the callback, land on the
/// dashboard. Returns where it landed.
async fn connect(s: &Stack, token: &str) -> String {
    let r = reqwest::Client::new()
        .post(format!("{}{INTEGRATION}/connect", s.base_url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let consent = body["authorization_url"].as_str().unwrap().to_string();
    assert!(consent.starts_with(&format!("{}/_local/google/oauth/authorize?", s.base_url)));
    let browser = no_redirects();
    let r = browser.get(&consent).send().await.unwrap();
    assert_eq!(r.status(), 303, "consent redirects back");
    let back = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        back.starts_with(&format!("{}{INTEGRATION}/callback?code=", s.base_url)),
        "{back}"
    );
    let r = browser.get(&back).send().await.unwrap();
    assert_eq!(r.status(), 302);
    let landed = r.headers()["location"].to_str().unwrap().to_string();
    // The code and state are single use: replaying Google's redirect connects nothing.
    let again = browser.get(&back).send().await.unwrap();
    assert!(again.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with("calendar=expired"));
    landed
}

async fn status(s: &Stack, token: &str) -> Value {
    get(s, token, INTEGRATION).await.1
}

/// Polls `f` until it returns `Some` (bounded).
async fn eventually<T, F, Fut>(what: &str, f: F) -> T
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn confirmed(s: &Stack) -> Vec<local::google::StoredEvent> {
    s.google
        .events()
        .into_iter()
        .filter(|e| e.status == "confirmed")
        .collect()
}

async fn appointment(s: &Stack, token: &str, sid: &str) -> Value {
    get(s, token, &format!("/v1/crm/calls/{sid}")).await.1["appointment"].clone()
}

#[tokio::test]
async fn jobs_booked_moved_and_cancelled_by_voice_follow_into_the_owners_calendar() {
    let s = stack().await;
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    assert_eq!(status(&s, &token).await["status"], "not_connected");
    let staff = login(&s, "tech@prairie.example", "prairie-tech").await;
    let r = reqwest::Client::new()
        .post(format!("{}{INTEGRATION}/connect", s.base_url))
        .bearer_auth(&staff)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "staff cannot connect the owner's calendar");

    let landed = connect(&s, &token).await;
    assert_eq!(landed, format!("{}/?calendar=connected", s.base_url));
    let st = status(&s, &token).await;
    assert_eq!(st["status"], "connected", "{st}");
    assert_eq!(st["calendar_id"], "primary");
    assert_eq!(st["resource"], "van-1");
    assert!(st.get("refresh_token").is_none() && !st.to_string().contains("1//"));
    // The refresh token is sealed at rest.
    let raw = s
        .svc
        .store
        .integration(TENANT, "google")
        .await
        .unwrap()
        .unwrap();
    assert!(raw.sealed_refresh_token.starts_with("local-1:"));
    assert!(!raw.sealed_refresh_token.contains("1//"));

    // Booked: one event at the job's time, in the tenant's zone.
    let (sid, heard) = call(&s, "+19135550142", BRISTOL_NUMBER, &booking(&s)).await;
    assert!(
        heard.iter().any(|h| h.contains("You're booked")),
        "{heard:?}"
    );
    let appt = appointment(&s, &token, &sid).await;
    let start = appt["start"].as_str().unwrap().to_string();
    let ev = eventually("the booked job's event", || async {
        confirmed(&s)
            .into_iter()
            .find(|e| e.summary.contains("Jane Doe"))
    })
    .await;
    assert_eq!(ev.start, start.parse::<DateTime<Utc>>().unwrap());
    assert_eq!(ev.body["start"]["timeZone"], "America/Chicago");
    assert_eq!(ev.body["location"], "123 Main St, Merriam, KS");
    assert_eq!(ev.summary, "Faucet repair: Jane Doe");
    eventually("the job marked synced", || async {
        let (_, list) = get(
            &s,
            &token,
            "/v1/crm/appointments?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z",
        )
        .await;
        (list["items"][0]["calendar_sync"] == "synced").then_some(())
    })
    .await;

    // Moved by voice: the same event, patched to the new time; never a second event.
    let bristol = local::seed::bristol();
    let later = spoken_date(open_day_after(&bristol, open_day(&s, &bristol, 2)));
    let (_, heard) = call(
        &s,
        "+19135550142",
        BRISTOL_NUMBER,
        &[
            "hi it's jane doe i need to move my appointment",
            &format!("can we do {later} afternoon instead"),
            "yes",
            "yes",
        ],
    )
    .await;
    let moved = eventually("the moved appointment", || async {
        let (_, list) = get(
            &s,
            &token,
            "/v1/crm/appointments?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z",
        )
        .await;
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["status"] == "booked" && a["start"] != json!(start))
            .cloned()
    })
    .await;
    let new_start: DateTime<Utc> = moved["start"].as_str().unwrap().parse().unwrap();
    let patched = eventually("the event at the new time", || async {
        confirmed(&s).into_iter().find(|e| e.start == new_start)
    })
    .await;
    assert_eq!(patched.id, ev.id, "the job keeps its event: {heard:?}");
    assert_eq!(s.google.events().len(), 1);

    // Cancelled by voice: the event is deleted.
    let (_, heard) = call(
        &s,
        "+19135550142",
        BRISTOL_NUMBER,
        &[
            "this is jane doe i need to cancel my faucet repair",
            "yes",
            "no that's all",
        ],
    )
    .await;
    eventually("the event deleted", || async {
        confirmed(&s).is_empty().then_some(())
    })
    .await;
    assert_eq!(s.google.events()[0].status, "cancelled", "{heard:?}");
    let st = status(&s, &token).await;
    assert_eq!(st["status"], "connected");
    assert!(st["last_sync_at"].is_string());
    assert_eq!(st["jobs_not_in_calendar"], 0);

    // Disconnect: audited, status gone, later jobs stay out of Google.
    let r = reqwest::Client::new()
        .delete(format!("{}{INTEGRATION}", s.base_url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(status(&s, &token).await["status"], "not_connected");
    let audit = s.svc.store.audit_trail(TENANT, 20).await.unwrap();
    for action in ["google_calendar_connected", "google_calendar_disconnected"] {
        let a = audit
            .iter()
            .find(|a| a.action == action)
            .unwrap_or_else(|| panic!("{action} in {audit:?}"));
        assert_eq!(a.actor, "user:owner@bristol.example");
    }
    let requests = s.google.requests.lock().unwrap().clone();
    assert!(requests.iter().any(|r| r == "POST /revoke"), "{requests:?}");
    common::assert_iam_granted(&s);
}

fn chicago(d: NaiveDate, h: u32) -> DateTime<Utc> {
    chrono_tz::America::Chicago
        .from_local_datetime(&d.and_hms_opt(h, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

async fn slot_hours(s: &Stack, token: &str, d: NaiveDate) -> Vec<u32> {
    let (_, a) = get(
        s,
        token,
        &format!("/v1/owner/availability?date={d}&service=faucet_repair"),
    )
    .await;
    a["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            let t: DateTime<Utc> = x["start"].as_str().unwrap().parse().unwrap();
            use chrono::Timelike;
            t.with_timezone(&chrono_tz::America::Chicago).hour()
        })
        .collect()
}

#[tokio::test]
async fn the_owners_personal_events_block_slots_and_free_them_when_gone() {
    let s = stack().await;
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    connect(&s, &token).await;
    let day = open_day(&s, &local::seed::bristol(), 2);
    assert!(slot_hours(&s, &token, day).await.contains(&9));

    // A dentist appointment 9–12 in the owner's calendar; the schedule imports it.
    s.google.add_busy(chicago(day, 9), chicago(day, 12));
    let r = reqwest::Client::new()
        .post(format!("{}/_local/schedules/calendar-import", s.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let hours = eventually("the busy time imported", || async {
        let h = slot_hours(&s, &token, day).await;
        (!h.iter().any(|x| (9..12).contains(x))).then_some(h)
    })
    .await;
    assert!(
        hours.contains(&12) || hours.contains(&13),
        "the afternoon stays open: {hours:?}"
    );
    let (_, sched) = get(&s, &token, &format!("/v1/owner/schedule?date={day}")).await;
    assert_eq!(
        sched["busy"][0]["start"],
        json!(chicago(day, 9).to_rfc3339()),
        "{sched}"
    );
    assert_eq!(
        sched["busy"][0]["end"],
        json!(chicago(day, 12).to_rfc3339())
    );
    assert!(
        sched["items"].as_array().unwrap().is_empty(),
        "busy time is not a job"
    );
    // The slot locks hold too: the booking transaction cannot take 9–12 either.
    let (jobs, external) = s
        .svc
        .store
        .lock_granules(TENANT, "van-1", chicago(day, 0), chicago(day, 23))
        .await
        .unwrap();
    assert!(jobs.is_empty());
    assert_eq!(external.len(), 12, "three hours of 15-minute granules");
    assert_eq!(status(&s, &token).await["status"], "connected");
    assert!(status(&s, &token).await["last_import_at"].is_string());

    // A caller who wants that morning is offered something else.
    let lines = [
        "hi my kitchen faucet is leaking".to_string(),
        "sam lee".to_string(),
        "9 elm street merriam".to_string(),
        format!("{} morning", day.format("%A")),
        "yes".to_string(),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (sid, _) = call(&s, "+19135550150", BRISTOL_NUMBER, &lines).await;
    let appt = appointment(&s, &token, &sid).await;
    if let Some(start) = appt["start"].as_str() {
        let t: DateTime<Utc> = start.parse().unwrap();
        assert!(
            t < chicago(day, 9) - Days::hours(1) || t >= chicago(day, 12),
            "booked over the owner's busy time: {t}"
        );
    }

    // The owner cancels the dentist: the next import frees the morning.
    s.google.clear_busy();
    reqwest::Client::new()
        .post(format!("{}/_local/schedules/calendar-import", s.base_url))
        .send()
        .await
        .unwrap();
    eventually("the morning freed", || async {
        slot_hours(&s, &token, day).await.contains(&9).then_some(())
    })
    .await;
    assert!(
        s.google
            .events()
            .iter()
            .all(|e| e.summary.contains("Sam Lee")),
        "imports never write to the owner's calendar"
    );
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn google_failures_never_block_or_lose_a_booking() {
    let s = stack().await;
    let token = login(&s, "owner@bristol.example", "bristol-demo").await;
    connect(&s, &token).await;
    // The first import runs right after connecting; the injected failures are for the
    // booking's insert, so let it finish first.
    eventually("the first import", || async {
        status(&s, &token).await["last_import_at"]
            .is_string()
            .then_some(())
    })
    .await;

    // 503 then 429: the call books at once; the event arrives after retries.
    s.google.fail_next(&[503, 429]);
    let (sid, heard) = call(&s, "+19135550142", BRISTOL_NUMBER, &booking(&s)).await;
    assert!(
        heard.iter().any(|h| h.contains("You're booked")),
        "{heard:?}"
    );
    eventually("the event after retries", || async {
        (!confirmed(&s).is_empty()).then_some(())
    })
    .await;
    let requests = s.google.requests.lock().unwrap().clone();
    let inserts = requests
        .iter()
        .filter(|r| r.ends_with("/events") && r.starts_with("POST"))
        .count();
    assert!(
        inserts >= 3,
        "two refused inserts, then one that landed: {requests:?}"
    );

    // An expired access token: one refresh, then the request goes through.
    s.google.expire_access();
    let (_, heard) = call(
        &s,
        "+19135550143",
        BRISTOL_NUMBER,
        &[
            "my bathroom drain is slow",
            "ali khan",
            "44 oak street merriam",
            &format!(
                "{} afternoon",
                spoken_date(open_day(&s, &local::seed::bristol(), 3))
            ),
            "yes",
        ],
    )
    .await;
    assert!(
        heard.iter().any(|h| h.contains("You're booked")),
        "{heard:?}"
    );
    eventually("the second event", || async {
        (confirmed(&s).len() == 2).then_some(())
    })
    .await;
    let requests = s.google.requests.lock().unwrap().clone();
    assert!(
        requests
            .iter()
            .filter(|r| *r == "POST /token refresh_token")
            .count()
            >= 1,
        "{requests:?}"
    );

    // The owner revokes access at Google: bookings still succeed, the status says so,
    // and reconnecting pushes what was missed.
    s.google.revoke_all();
    let (sid3, heard) = call(
        &s,
        "+19135550144",
        BRISTOL_NUMBER,
        &[
            "my toilet keeps running",
            "kim park",
            "7 pine street merriam",
            &format!(
                "{} morning",
                spoken_date(open_day(&s, &local::seed::bristol(), 4))
            ),
            "yes",
        ],
    )
    .await;
    assert!(
        heard.iter().any(|h| h.contains("You're booked")),
        "{heard:?}"
    );
    let st = eventually("reconnect_needed", || async {
        let st = status(&s, &token).await;
        (st["status"] == "reconnect_needed").then_some(st)
    })
    .await;
    assert!(
        st["last_error"].as_str().unwrap().contains("revoked"),
        "{st}"
    );
    assert_eq!(st["jobs_not_in_calendar"], 1, "{st}");
    assert_eq!(appointment(&s, &token, &sid3).await["status"], "booked");
    assert_eq!(confirmed(&s).len(), 2);

    connect(&s, &token).await;
    eventually("the missed job pushed after reconnecting", || async {
        (confirmed(&s).len() == 3).then_some(())
    })
    .await;
    let st = eventually("connected again", || async {
        let st = status(&s, &token).await;
        (st["status"] == "connected" && st["jobs_not_in_calendar"] == 0).then_some(st)
    })
    .await;
    assert!(st["last_error"].is_null(), "{st}");
    assert_eq!(appointment(&s, &token, &sid).await["status"], "booked");
    common::assert_iam_granted(&s);
}
