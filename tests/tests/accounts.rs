//! Accounts through the local stack: rotating refresh tokens (reuse revokes the family),
//! logout, lockout after repeated failures, password reset by email (single use), staff
//! logins made by the owner, and API keys issued, rotated with an overlap and revoked by
//! the platform admin.

mod common;

use common::*;
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test]
async fn refresh_tokens_rotate_and_reuse_revokes_the_family() {
    let s = stack().await;
    let (st, first) = sign_in(&s, "owner@bristol.example", "bristol-demo").await;
    assert_eq!(st, 200, "{first}");
    let rt1 = first["refresh_token"].as_str().unwrap().to_string();
    let body = |t: &str| Some(json!({"refresh_token": t}));
    let (st, second) = send(&s, None, "POST", "/v1/auth/refresh", body(&rt1)).await;
    assert_eq!(st, 200, "{second}");
    let rt2 = second["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(rt1, rt2);
    let (st, me) = send(
        &s,
        second["access_token"].as_str(),
        "GET",
        "/v1/auth/me",
        None,
    )
    .await;
    assert_eq!(
        (st, me["email"].as_str()),
        (200, Some("owner@bristol.example"))
    );
    // The spent token comes back: refused, and the whole family dies with it.
    let (st, p) = send(&s, None, "POST", "/v1/auth/refresh", body(&rt1)).await;
    assert_eq!(st, 401, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("already used"));
    let (st, _) = send(&s, None, "POST", "/v1/auth/refresh", body(&rt2)).await;
    assert_eq!(st, 401);
    // Logout ends a fresh family.
    let (_, third) = sign_in(&s, "owner@bristol.example", "bristol-demo").await;
    let rt3 = third["refresh_token"].as_str().unwrap().to_string();
    let (st, _) = send(&s, None, "POST", "/v1/auth/logout", body(&rt3)).await;
    assert_eq!(st, 204);
    let (st, _) = send(&s, None, "POST", "/v1/auth/refresh", body(&rt3)).await;
    assert_eq!(st, 401);
    // Malformed bodies name the field.
    let (st, p) = send(
        &s,
        None,
        "POST",
        "/v1/auth/refresh",
        Some(json!({"token": 1})),
    )
    .await;
    assert_eq!(st, 400);
    assert!(p["detail"].as_str().unwrap().contains("token"), "{p}");
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn repeated_failures_lock_the_login_and_a_reset_email_unlocks_it() {
    let s = stack().await;
    let email = "owner@bristol.example";
    let (_, old) = sign_in(&s, email, "bristol-demo").await;
    for _ in 0..4 {
        assert_eq!(sign_in(&s, email, "wrong-password").await.0, 401);
    }
    let (st, p) = sign_in(&s, email, "wrong-password").await;
    assert_eq!(st, 429, "{p}");
    // Locked: even the right password waits.
    assert_eq!(sign_in(&s, email, "bristol-demo").await.0, 429);
    // An unknown email looks the same as a known one.
    let (st, _) = send(
        &s,
        None,
        "POST",
        "/v1/auth/password-reset",
        Some(json!({"email": "nobody@x.example"})),
    )
    .await;
    assert_eq!(st, 202);
    let (st, _) = send(
        &s,
        None,
        "POST",
        "/v1/auth/password-reset",
        Some(json!({"email": email})),
    )
    .await;
    assert_eq!(st, 202);
    // The link arrives by email through outbox → fanout → notify → SES.
    let mut token = None;
    for _ in 0..100 {
        if let Some(e) = s
            .emails()
            .await
            .into_iter()
            .find(|e| e.subject.contains("Reset"))
        {
            token = e
                .body
                .split(|c: char| c.is_whitespace() || c == '=')
                .find(|w| w.starts_with("pr_"))
                .map(String::from);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let token = token.expect("reset email with a token");
    let (st, p) = send(
        &s,
        None,
        "POST",
        "/v1/auth/password-reset/confirm",
        Some(json!({"token": token, "password": "short"})),
    )
    .await;
    assert_eq!(st, 422, "{p}");
    let (st, _) = send(
        &s,
        None,
        "POST",
        "/v1/auth/password-reset/confirm",
        Some(json!({"token": token, "password": "a-new-long-password"})),
    )
    .await;
    assert_eq!(st, 204);
    // Single use.
    let (st, _) = send(
        &s,
        None,
        "POST",
        "/v1/auth/password-reset/confirm",
        Some(json!({"token": token, "password": "another-long-password"})),
    )
    .await;
    assert_eq!(st, 400);
    assert_eq!(sign_in(&s, email, "bristol-demo").await.0, 401);
    assert_eq!(sign_in(&s, email, "a-new-long-password").await.0, 200);
    // The notification trail (which staff can read) never shows the link.
    let owner = login(&s, email, "a-new-long-password").await;
    let trail = send(&s, Some(&owner), "GET", "/v1/crm/notifications", None)
        .await
        .1;
    assert!(
        trail.to_string().contains("[password reset link]"),
        "{trail}"
    );
    assert!(!trail.to_string().contains(&token));
    // Refresh tokens from before the change are dead.
    let (st, _) = send(
        &s,
        None,
        "POST",
        "/v1/auth/refresh",
        Some(json!({"refresh_token": old["refresh_token"]})),
    )
    .await;
    assert_eq!(st, 401);
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn owners_add_staff_and_admins_issue_rotate_and_revoke_api_keys() {
    let s = stack().await;
    let owner = login(&s, "owner@bristol.example", "bristol-demo").await;
    let (st, u) = send(
        &s,
        Some(&owner),
        "POST",
        "/v1/auth/users",
        Some(
            json!({"email": "Tech@Bristol.example", "password": "bristol-tech-1", "role": "staff"}),
        ),
    )
    .await;
    assert_eq!(st, 201, "{u}");
    let (st, _) = send(
        &s,
        Some(&owner),
        "POST",
        "/v1/auth/users",
        Some(
            json!({"email": "tech@bristol.example", "password": "bristol-tech-1", "role": "staff"}),
        ),
    )
    .await;
    assert_eq!(st, 409);
    let (_, users) = send(&s, Some(&owner), "GET", "/v1/auth/users", None).await;
    let emails: Vec<&str> = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert!(
        emails.contains(&"tech@bristol.example") && emails.contains(&"owner@bristol.example"),
        "{users}"
    );
    let staff = login(&s, "tech@bristol.example", "bristol-tech-1").await;
    assert_eq!(
        send(&s, Some(&staff), "GET", "/v1/owner/today", None)
            .await
            .0,
        200
    );
    assert_eq!(
        send(
            &s,
            Some(&staff),
            "POST",
            "/v1/auth/users",
            Some(json!({"email": "x@y.example", "password": "0123456789", "role": "owner"}))
        )
        .await
        .0,
        403
    );

    let admin = login(&s, "admin@frontline.example", "frontline-admin").await;
    let base = "/v1/admin/tenants/bristol-plumbing/credentials";
    let (st, issued) = send(
        &s,
        Some(&admin),
        "POST",
        base,
        Some(json!({"name": "QuickBooks sync"})),
    )
    .await;
    assert_eq!(st, 201, "{issued}");
    let key1 = issued["key"].as_str().unwrap().to_string();
    let id1 = issued["credential"]["id"].as_str().unwrap().to_string();
    let (st, me) = send(&s, Some(&key1), "GET", "/v1/auth/me", None).await;
    assert_eq!(
        (st, me["tenant_id"].as_str(), me["role"].as_str()),
        (200, Some("bristol-plumbing"), Some("staff"))
    );
    let (_, list) = send(&s, Some(&admin), "GET", base, None).await;
    assert!(list["items"][0]["last_used_at"].is_string(), "{list}");
    assert!(
        !list.to_string().contains(&key1),
        "a key is shown once, at issue"
    );
    // Rotate with an overlap: both work; revoke the old one: only the new one works.
    let (st, rot) = send(
        &s,
        Some(&admin),
        "POST",
        &format!("{base}/{id1}/rotate"),
        Some(json!({"overlap_hours": 24})),
    )
    .await;
    assert_eq!(st, 201, "{rot}");
    let key2 = rot["key"].as_str().unwrap().to_string();
    assert_eq!(
        send(&s, Some(&key1), "GET", "/v1/auth/me", None).await.0,
        200
    );
    assert_eq!(
        send(&s, Some(&key2), "GET", "/v1/auth/me", None).await.0,
        200
    );
    assert_eq!(
        send(&s, Some(&admin), "DELETE", &format!("{base}/{id1}"), None)
            .await
            .0,
        204
    );
    assert_eq!(
        send(&s, Some(&key1), "GET", "/v1/auth/me", None).await.0,
        401
    );
    assert_eq!(
        send(&s, Some(&key2), "GET", "/v1/auth/me", None).await.0,
        200
    );
    let (_, audit) = send(&s, Some(&owner), "GET", "/v1/owner/audit", None).await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect::<Vec<_>>();
    for a in [
        "user_created",
        "credential_issued",
        "credential_rotated",
        "credential_revoked",
    ] {
        assert!(actions.contains(&a), "{a} not audited: {actions:?}");
    }
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn admins_create_suspend_and_route_tenants_and_see_usage_and_health() {
    let s = stack().await;
    let admin = login(&s, "admin@frontline.example", "frontline-admin").await;
    let body = json!({
        "id": "ace-electric", "name": "Ace Electric", "trades": "electrical work",
        "time_zone": "America/Chicago", "phone": "(913) 555-0177",
        "owner_name": "Ana", "owner_cell": "913-555-0178",
        "owner_email": "ana@ace.example", "owner_password": "ace-electric-1"
    });
    let (st, t) = send(
        &s,
        Some(&admin),
        "POST",
        "/v1/admin/tenants",
        Some(body.clone()),
    )
    .await;
    assert_eq!(st, 201, "{t}");
    assert_eq!(
        send(&s, Some(&admin), "POST", "/v1/admin/tenants", Some(body))
            .await
            .0,
        409
    );
    let (st, p) = send(&s, Some(&admin), "POST", "/v1/admin/tenants", Some(json!({
        "id": "x", "name": "X", "trades": "x", "time_zone": "Mars/Base", "phone": "1",
        "owner_name": "A", "owner_cell": "1", "owner_email": "a@b.example", "owner_password": "0123456789"
    }))).await;
    assert_eq!(st, 422);
    assert!(p["detail"].as_str().unwrap().starts_with("id:"), "{p}");
    let ace = login(&s, "ana@ace.example", "ace-electric-1").await;
    let (_, settings) = send(&s, Some(&ace), "GET", "/v1/owner/settings", None).await;
    assert_eq!(settings["owner_cell"], "+19135550178");
    // The new number answers for Ace.
    let (_, heard) = call(&s, "+19135550111", "+19135550177", HANG_UP).await;
    assert!(heard.join(" ").contains("Ace Electric"), "{heard:?}");
    // Moving the number: the old one stops routing.
    let (st, moved) = send(
        &s,
        Some(&admin),
        "PUT",
        "/v1/admin/tenants/ace-electric/number",
        Some(json!({"phone": "+19135550179"})),
    )
    .await;
    assert_eq!(st, 200, "{moved}");
    assert_eq!(
        send(
            &s,
            Some(&admin),
            "PUT",
            "/v1/admin/tenants/ace-electric/number",
            Some(json!({"phone": local::seed::BRISTOL_NUMBER}))
        )
        .await
        .0,
        409
    );
    let (st, t) = send(
        &s,
        Some(&admin),
        "POST",
        "/v1/admin/tenants/ace-electric/suspend",
        None,
    )
    .await;
    assert_eq!((st, t["status"].as_str()), (200, Some("suspended")));
    let (_, list) = send(&s, Some(&admin), "GET", "/v1/admin/tenants", None).await;
    let ids: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"ace-electric") && ids.contains(&"bristol-plumbing"),
        "{list}"
    );
    assert_eq!(
        send(
            &s,
            Some(&admin),
            "POST",
            "/v1/admin/tenants/ace-electric/resume",
            None
        )
        .await
        .1["status"],
        "active"
    );

    let (_, sid_heard) = call(
        &s,
        "+19135550142",
        local::seed::BRISTOL_NUMBER,
        &booking(&s),
    )
    .await;
    assert!(!sid_heard.is_empty());
    let (st, usage) = send(&s, Some(&admin), "GET", "/v1/admin/usage", None).await;
    assert_eq!(st, 200, "{usage}");
    let bristol = usage["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["tenant_id"] == "bristol-plumbing")
        .unwrap()
        .clone();
    assert!(
        bristol["calls"].as_u64().unwrap() >= 1 && bristol["bookings"].as_u64().unwrap() >= 1,
        "{bristol}"
    );
    assert_eq!(
        send(
            &s,
            Some(&admin),
            "GET",
            "/v1/admin/usage?month=2026-13",
            None
        )
        .await
        .0,
        400
    );
    let (_, _) = send(&s, None, "POST", "/_local/schedules/reminders", None).await;
    let (st, health) = send(&s, Some(&admin), "GET", "/v1/admin/health", None).await;
    assert_eq!(st, 200, "{health}");
    assert_eq!(health["queues"].as_array().unwrap().len(), 2, "{health}");
    assert!(
        health["queues"][0]["dlq"]["messages"].is_number(),
        "{health}"
    );
    let jobs: Vec<Value> = health["scheduled_jobs"].as_array().unwrap().clone();
    assert!(jobs.iter().any(|j| j["job"] == "reminders"), "{health}");
    common::assert_iam_granted(&s);
}

#[tokio::test]
async fn the_owner_changes_disables_and_removes_logins_and_each_signs_them_out() {
    let s = stack().await;
    let owner = login(&s, "owner@bristol.example", "bristol-demo").await;
    let o = Some(owner.as_str());
    let add = |email: &'static str| json!({"email": email, "password": "bristol-crew-1", "role": "staff"});
    for email in ["crew@bristol.example", "office@bristol.example"] {
        let (st, u) = send(&s, o, "POST", "/v1/auth/users", Some(add(email))).await;
        assert_eq!(st, 201, "{u}");
    }
    let refresh = |t: &str| Some(json!({"refresh_token": t}));
    let (_, crew) = sign_in(&s, "crew@bristol.example", "bristol-crew-1").await;
    let crew_rt = crew["refresh_token"].as_str().unwrap().to_string();
    let path = "/v1/auth/users/crew%40bristol.example";

    // Staff cannot manage logins.
    let (st, _) = send(
        &s,
        crew["access_token"].as_str(),
        "PATCH",
        path,
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(st, 403);

    // Disabled: its refresh token is refused at once, and so is signing in.
    let (st, row) = send(&s, o, "PATCH", path, Some(json!({"disabled": true}))).await;
    assert_eq!((st, row["disabled"].as_bool()), (200, Some(true)), "{row}");
    let (st, _) = send(&s, None, "POST", "/v1/auth/refresh", refresh(&crew_rt)).await;
    assert_eq!(st, 401);
    let (st, p) = sign_in(&s, "crew@bristol.example", "bristol-crew-1").await;
    assert_eq!(st, 401, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("disabled"), "{p}");
    // A wrong password learns nothing about it.
    let (st, p) = sign_in(&s, "crew@bristol.example", "not-the-password").await;
    assert_eq!(st, 401);
    assert!(!p["detail"].as_str().unwrap().contains("disabled"), "{p}");

    // Enabled and made an owner: signs in again, with the new role.
    let (st, row) = send(
        &s,
        o,
        "PATCH",
        path,
        Some(json!({"disabled": false, "role": "owner"})),
    )
    .await;
    assert_eq!((st, row["role"].as_str()), (200, Some("owner")), "{row}");
    let (st, again) = sign_in(&s, "crew@bristol.example", "bristol-crew-1").await;
    assert_eq!(st, 200, "{again}");
    let (_, me) = send(
        &s,
        again["access_token"].as_str(),
        "GET",
        "/v1/auth/me",
        None,
    )
    .await;
    assert_eq!(me["role"], "owner", "{me}");

    // Removed: gone from the list; its tokens no longer refresh; it cannot sign in.
    let again_rt = again["refresh_token"].as_str().unwrap().to_string();
    let (st, _) = send(&s, o, "DELETE", path, None).await;
    assert_eq!(st, 204);
    let (_, users) = send(&s, o, "GET", "/v1/auth/users", None).await;
    assert!(
        !users.to_string().contains("crew@bristol.example"),
        "{users}"
    );
    let (st, _) = send(&s, None, "POST", "/v1/auth/refresh", refresh(&again_rt)).await;
    assert_eq!(st, 401);
    let (st, _) = sign_in(&s, "crew@bristol.example", "bristol-crew-1").await;
    assert_eq!(st, 401);
    let (st, _) = send(&s, o, "DELETE", path, None).await;
    assert_eq!(st, 404);

    // Nobody changes their own login, and the shop keeps an owner who can sign in.
    let (st, p) = send(
        &s,
        o,
        "PATCH",
        "/v1/auth/users/owner@bristol.example",
        Some(json!({"role": "staff"})),
    )
    .await;
    assert_eq!(st, 422, "{p}");
    let (st, p) = send(
        &s,
        o,
        "PATCH",
        "/v1/auth/users/office%40bristol.example",
        Some(json!({"role": "admin"})),
    )
    .await;
    assert_eq!(st, 422, "{p}");
    let (st, p) = send(
        &s,
        o,
        "PATCH",
        "/v1/auth/users/office%40bristol.example",
        Some(json!({"rank": 1})),
    )
    .await;
    assert_eq!(st, 400, "{p}");
    let (st, _) = send(
        &s,
        o,
        "PATCH",
        "/v1/auth/users/nobody%40bristol.example",
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(st, 404);
    // A second owner may demote the first only while another owner remains.
    let (_, row) = send(
        &s,
        o,
        "PATCH",
        "/v1/auth/users/office%40bristol.example",
        Some(json!({"role": "owner"})),
    )
    .await;
    assert_eq!(row["role"], "owner", "{row}");
    let office = login(&s, "office@bristol.example", "bristol-crew-1").await;
    let (st, p) = send(
        &s,
        Some(&office),
        "PATCH",
        "/v1/auth/users/owner%40bristol.example",
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(st, 200, "{p}");
    let (st, p) = send(
        &s,
        o,
        "PATCH",
        "/v1/auth/users/office%40bristol.example",
        Some(json!({"role": "staff"})),
    )
    .await;
    // The first owner's access token still works for its few minutes, but the shop
    // would be left with no owner who can sign in.
    assert_eq!(st, 409, "{p}");
    common::assert_iam_granted(&s);
}
