//! Tenant isolation on every route of the route table: another tenant's token with
//! Bristol's ids gets 404 (or its own, empty data) and never Bristol's data, and changes
//! nothing of Bristol's; staff cannot reach owner-only routes; nobody but a platform
//! admin reaches admin routes; no token gets 401.

mod common;

use common::*;
use frontline::http::routes::{Access, ROUTES};
use local::seed::BRISTOL_NUMBER;
use serde_json::{json, Value};

/// A body that passes validation for each route with one (so a refusal is about who is
/// asking, not what was sent).
fn body_for(schema: Option<&str>, now: chrono::DateTime<chrono::Utc>) -> Option<Value> {
    Some(match schema? {
        "NewUser" => {
            json!({"email": "intruder@x.example", "password": "0123456789ab", "role": "staff"})
        }
        "CustomerInput" => json!({"name": "Intruder", "phone": "+19135550166"}),
        "CustomerPatch" => json!({"notes": "changed by another tenant"}),
        "MergeRequest" => json!({"duplicate_id": "cu_0000000000000000"}),
        "AppointmentPatch" => json!({"status": "cancelled", "note": "x"}),
        "ImportRequest" => json!({"csv": "name,phone\nA,9135550167\n", "dry_run": true}),
        "RescheduleRequest" => {
            json!({"start": (now + chrono::Duration::days(3)).to_rfc3339()})
        }
        "ResolveCallback" => json!({"outcome": "not_needed"}),
        "UserPatch" => json!({"disabled": true}),
        "LineCellRequest" => json!({"cell": "+19135550170"}),
        "LineCodeRequest" => json!({"code": "000000"}),
        "LinePinRequest" => json!({"pin": "1357"}),
        "GeneralSettings" | "SchedulingSettings" => return None,
        "NewTenant" => json!({}),
        "NumberRouteInput" => json!({"phone": "+19135550168"}),
        "NewCredential" => json!({"name": "x"}),
        "RotateCredential" => json!({}),
        "StartChat" => json!({"key": local::seed::BRISTOL_WIDGET_KEY, "phone": "+19135550169"}),
        "VisitorMessage" => json!({"text": "hello", "message_id": "m-1"}),
        _ => json!({}),
    })
}

#[tokio::test]
async fn every_route_keeps_tenants_apart_and_roles_in_their_lane() {
    let s = stack().await;
    let bristol = login(&s, "owner@bristol.example", "bristol-demo").await;
    let prairie = login(&s, "owner@prairie.example", "prairie-demo").await;
    let staff = login(&s, "tech@prairie.example", "prairie-tech").await;
    let admin = login(&s, "admin@frontline.example", "frontline-admin").await;

    // Bristol's data: a booked call, a missed call (callback), a customer, an API key.
    let (sid, _) = call(&s, "+19135550142", BRISTOL_NUMBER, &booking(&s)).await;
    let (_, view) = get(&s, &bristol, &format!("/v1/crm/calls/{sid}")).await;
    let appt = view["appointment"]["id"]
        .as_str()
        .expect("booked")
        .to_string();
    let (missed, _) = call(&s, "+19135550155", BRISTOL_NUMBER, HANG_UP).await;
    let mut cb = String::new();
    for _ in 0..50 {
        let (_, q) = get(&s, &bristol, "/v1/owner/callbacks").await;
        if let Some(c) = q["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["call_sid"] == missed.as_str())
        {
            cb = c["id"].as_str().unwrap().to_string();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(!cb.is_empty());
    let (_, found) = get(&s, &bristol, "/v1/crm/customers?q=jane").await;
    let cust = found["items"][0]["id"].as_str().unwrap().to_string();
    let (_, key) = send(
        &s,
        Some(&admin),
        "POST",
        "/v1/admin/tenants/bristol-plumbing/credentials",
        Some(json!({"name": "books"})),
    )
    .await;
    let cred = key["credential"]["id"].as_str().unwrap().to_string();
    let before = get(&s, &bristol, &format!("/v1/crm/customers/{cust}"))
        .await
        .1;

    let fill = |path: &str| {
        path.replace("{customer_id}", &cust)
            .replace("{appointment_id}", &appt)
            .replace("{call_sid}", &sid)
            .replace("{callback_id}", &cb)
            .replace("{kind}", "customers")
            .replace("{tenant_id}", "bristol-plumbing")
            .replace("{credential_id}", &cred)
            .replace("{email}", "owner@bristol.example")
            .replace("{widget_key}", local::seed::BRISTOL_WIDGET_KEY)
            .replace("{session_id}", "cs_00000000000000000000000000000000")
    };
    // What would show that Bristol's data leaked.
    let markers = [
        sid.as_str(),
        appt.as_str(),
        cust.as_str(),
        "5550142",
        "Jane",
        "bristol",
    ];
    let mut checked = 0;
    for r in ROUTES {
        if matches!(r.access, Access::Twilio | Access::Public) {
            continue;
        }
        let path = fill(r.path);
        let body = match r.body {
            // Bristol's customer, asked for by another tenant: no such customer there.
            Some("NewAppointment") => Some(json!({
                "customer_id": cust,
                "service": "drain_clog",
                "start": (now(&s) + chrono::Duration::days(3)).to_rfc3339(),
            })),
            _ => body_for(r.body, now(&s)),
        };
        let label = format!("{} {}", r.method, r.path);
        if r.access == Access::Widget {
            // A widget key from no allowed page, or a session without its chat token:
            // refused, and no dashboard token stands in for the chat's.
            let (st, _) = send(&s, None, r.method, &path, body.clone()).await;
            let opens = r.body == Some("StartChat");
            assert_eq!(st, if opens { 403 } else { 401 }, "{label} without a token");
            for tok in [&bristol, &admin] {
                let (st, _) = send(&s, Some(tok), r.method, &path, body.clone()).await;
                assert_eq!(
                    st,
                    if opens { 403 } else { 401 },
                    "{label} with a dashboard token"
                );
            }
            checked += 1;
            continue;
        }
        // No credential.
        let (st, _) = send(&s, None, r.method, &path, body.clone()).await;
        assert_eq!(st, 401, "{label} without a token");
        match r.access {
            Access::Admin => {
                for (who, tok) in [
                    ("owner", &bristol),
                    ("other owner", &prairie),
                    ("staff", &staff),
                ] {
                    let (st, _) = send(&s, Some(tok), r.method, &path, body.clone()).await;
                    assert_eq!(st, 403, "{label} as {who}");
                }
            }
            Access::Owner | Access::Member => {
                let (st, _) = send(&s, Some(&admin), r.method, &path, body.clone()).await;
                assert_eq!(st, 403, "{label} as platform admin");
                if r.access == Access::Owner {
                    let (st, _) = send(&s, Some(&staff), r.method, &path, body.clone()).await;
                    assert_eq!(st, 403, "{label} as staff");
                }
                // Another tenant's owner, Bristol's ids.
                let (st, text) = send_text(&s, Some(&prairie), r.method, &path, body.clone()).await;
                assert!(st < 500, "{label}: {st} {text}");
                let has_id = r.path.contains('{') && !r.path.ends_with("{kind}");
                if has_id {
                    assert_eq!(st, 404, "{label} with Bristol's id as Prairie: {text}");
                }
                // A 404 may repeat the id it was asked for; anything else may not show it.
                let shown: &[&str] = if st == 404 { &markers[3..] } else { &markers };
                for m in shown {
                    assert!(
                        !text.to_lowercase().contains(&m.to_lowercase()),
                        "{label} leaked {m}: {text}"
                    );
                }
            }
            _ => unreachable!(),
        }
        checked += 1;
    }
    assert!(checked >= 40, "{checked} routes checked");
    // Bristol's data is as it was.
    assert_eq!(
        get(&s, &bristol, &format!("/v1/crm/customers/{cust}"))
            .await
            .1,
        before
    );
    let (_, a) = get(&s, &bristol, &format!("/v1/crm/appointments/{appt}")).await;
    assert_eq!(a["status"], "booked", "{a}");
    let (_, q) = get(&s, &bristol, "/v1/owner/callbacks").await;
    assert!(q["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == cb.as_str()));
    // A cursor from one tenant does not page another's data.
    let (_, page) = get(&s, &bristol, "/v1/crm/customers?limit=1").await;
    if let Some(c) = page["next"].as_str() {
        let (st, _) = get(
            &s,
            &prairie,
            &format!("/v1/crm/customers?limit=1&cursor={c}"),
        )
        .await;
        assert_eq!(st, 400);
    }
    // An API key is its tenant's only.
    let k = key["key"].as_str().unwrap();
    assert_eq!(
        send(
            &s,
            Some(k),
            "GET",
            &format!("/v1/crm/customers/{cust}"),
            None
        )
        .await
        .0,
        200
    );
    let (_, pc) = send(&s, Some(&prairie), "GET", "/v1/crm/customers?q=jane", None).await;
    assert_eq!(pc["items"].as_array().unwrap().len(), 0);
    common::assert_iam_granted(&s);
}
