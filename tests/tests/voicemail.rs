//! Voicemail through the local stack: Twilio's fallback records a message, the signed
//! recording and transcription callbacks store it on the call (an unsigned one writes
//! nothing), the office plays it through our authenticated route (never Twilio's URL),
//! another tenant cannot, and retention deletes it at Twilio's Recordings API.

mod common;

use common::*;
use local::phone::{post_signed, ACCOUNT_SID};
use local::seed::BRISTOL_NUMBER;

fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn a_voicemail_is_recorded_played_to_the_office_and_deleted_at_twilio_when_it_ages_out() {
    let s = stack().await;
    let http = reqwest::Client::new();
    let sid = "CA5eed0000000000000000000000000a11".to_string();
    let caller = "+19135550161";
    let call = [
        ("AccountSid", ACCOUNT_SID),
        ("CallSid", sid.as_str()),
        ("From", caller),
        ("To", BRISTOL_NUMBER),
    ];

    // Twilio's fallback URL answers with a voicemail whose callbacks name the number.
    let (status, twiml) = post_signed(&http, &s.base_url, "/twilio/voice/fallback", &form(&call))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert!(twiml.contains("<Record "), "{twiml}");
    let callback = "/twilio/voice/recording?to=%2B19135550123";
    assert!(
        twiml.contains(&format!("recordingStatusCallback=\"{callback}\"")),
        "{twiml}"
    );
    assert!(twiml.contains("transcribe=\"true\""), "{twiml}");

    // The recording callback: unsigned is refused and writes nothing; signed is stored.
    let rec = "RE0123456789abcdef0123456789abcdef";
    let url = format!("https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{rec}");
    let mut recorded = form(&call);
    recorded.extend(form(&[
        ("RecordingSid", rec),
        ("RecordingUrl", &url),
        ("RecordingDuration", "14"),
        ("RecordingStatus", "completed"),
    ]));
    let unsigned = http
        .post(format!("{}{callback}", s.base_url))
        .form(&recorded)
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 403);
    assert_eq!(
        s.svc
            .store
            .count_prefix("bristol-plumbing", "VM#")
            .await
            .unwrap(),
        0
    );
    let (status, _) = post_signed(&http, &s.base_url, callback, &recorded)
        .await
        .unwrap();
    assert_eq!(status, 204);
    let mut transcribed = form(&call);
    transcribed.extend(form(&[
        ("RecordingSid", rec),
        (
            "TranscriptionText",
            "Hi, it's Ann, my water heater is leaking, call me back <b>please</b>",
        ),
        ("TranscriptionStatus", "completed"),
    ]));
    let (status, _) = post_signed(
        &http,
        &s.base_url,
        &format!("{callback}&transcription=1"),
        &transcribed,
    )
    .await
    .unwrap();
    assert_eq!(status, 204);
    // The call ends: a callback task, as for every call the receptionist did not finish.
    let mut ended = form(&call);
    ended.extend(form(&[("CallStatus", "completed"), ("CallDuration", "31")]));
    assert_eq!(
        post_signed(&http, &s.base_url, "/twilio/voice/status", &ended)
            .await
            .unwrap()
            .0,
        204
    );

    let owner = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (status, view) = get(&s, &owner, &format!("/v1/crm/calls/{sid}")).await;
    assert_eq!(status, 200, "{view}");
    let vm = &view["voicemail"];
    assert_eq!(vm["recording_sid"], rec, "{view}");
    assert_eq!(vm["duration_s"], 14);
    assert!(vm["transcription"]
        .as_str()
        .unwrap()
        .contains("water heater"));
    assert!(
        vm.get("recording_url").is_none(),
        "Twilio's URL stays on the server: {vm}"
    );
    let audio = vm["audio"].as_str().unwrap().to_string();
    assert_eq!(audio, format!("/v1/crm/calls/{sid}/recording"));

    // The missed call's callback task links it.
    let (_, queue) = get(&s, &owner, "/v1/owner/callbacks").await;
    let task = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["call_sid"] == sid.as_str())
        .cloned()
        .expect("a callback task for the call");
    assert_eq!(task["voicemail"].as_str(), Some(audio.as_str()), "{task}");

    // The office plays it through our route; nobody else can.
    let played = http
        .get(format!("{}{audio}", s.base_url))
        .bearer_auth(&owner)
        .send()
        .await
        .unwrap();
    assert_eq!(played.status(), 200);
    assert_eq!(played.headers()["content-type"], "audio/x-wav");
    let bytes = played.bytes().await.unwrap();
    assert!(bytes.starts_with(b"RIFF") && bytes.len() > 44);
    let anonymous = http
        .get(format!("{}{audio}", s.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let prairie = login(&s, "owner@prairie.example", "prairie-demo").await;
    let other = http
        .get(format!("{}{audio}", s.base_url))
        .bearer_auth(&prairie)
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);

    // A year and a day later, retention deletes it at Twilio and forgets it.
    let later = (now(&s) + chrono::Duration::days(366))
        .to_rfc3339()
        .replace('+', "%2B");
    let r = http
        .post(format!(
            "{}/_local/schedules/retention-purge?time={later}",
            s.base_url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let summary: serde_json::Value = r.json().await.unwrap();
    assert_eq!(summary["counts"]["recordings_deleted"], 1, "{summary}");
    assert_eq!(s.twilio.deleted_recordings(), vec![rec.to_string()]);
    let (_, view) = get(&s, &owner, &format!("/v1/crm/calls/{sid}")).await;
    assert!(view["voicemail"].is_null(), "{view}");
    let gone = http
        .get(format!("{}{audio}", s.base_url))
        .bearer_auth(&owner)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404);
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn a_message_taken_by_phone_offers_a_voicemail_after_it() {
    let s = stack().await;
    let mut c = local::phone::Call::dial(&s.base_url, "+19135550162", BRISTOL_NUMBER)
        .await
        .unwrap();
    for line in [
        "there is a question about the invoice from last month",
        "ann lee",
        "just have mike call me back about the charge please",
        "that's all",
    ] {
        if !c.listening() {
            break;
        }
        c.say(line).await.unwrap();
    }
    assert!(!c.listening(), "the message was taken: {:?}", c.last.says);
    let twiml = &c.last.twiml;
    assert!(
        twiml.contains("add a voice message after the tone"),
        "{twiml}"
    );
    assert!(
        twiml.contains("<Record ")
            && twiml
                .contains("recordingStatusCallback=\"/twilio/voice/recording?to=%2B19135550123\""),
        "{twiml}"
    );
    c.hang_up().await.unwrap();
    let owner = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (_, view) = get(&s, &owner, &format!("/v1/crm/calls/{}", c.sid)).await;
    assert_eq!(view["outcome"], "message_taken", "{view}");
}
