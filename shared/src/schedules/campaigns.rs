//! The win-back campaign: customers with no job for the tenant's chosen months get one
//! text per campaign (one campaign per calendar month), at 10:00 tenant time, at most
//! [`PER_RUN`] per tenant a day, never to an opted-out number. Each text is marked on the
//! customer (`last_campaign`) in the same transaction as its outbox event.

use super::Summary;
use crate::notify::{Audience, OutboundMessage, OutboxEvent};
use crate::phone;
use crate::Services;
use chrono::{DateTime, Months, Timelike, Utc};

/// Local hour the campaign texts go out.
pub const CAMPAIGN_HOUR: u32 = 10;
/// Texts per tenant per day at most: a small shop's phone should not ring all at once.
pub const PER_RUN: usize = 25;

/// Runs the campaign for every tenant whose local hour is [`CAMPAIGN_HOUR`].
pub async fn campaigns(svc: &Services, now: DateTime<Utc>) -> Summary {
    let started = std::time::Instant::now();
    let mut sum = Summary::new("campaigns", now);
    let ids = svc.store.tenant_ids().await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "tenants unreadable");
        sum.add("errors", 1);
        Vec::new()
    });
    for id in ids {
        let Ok(Some(tenant)) = svc.store.tenant(&id).await else {
            continue;
        };
        let Some(months) = tenant.lifecycle.winback_after_months else {
            continue;
        };
        let local = now.with_timezone(&tenant.tz());
        if local.hour() != CAMPAIGN_HOUR {
            continue;
        }
        let campaign = format!("winback-{}", local.format("%Y-%m"));
        let before = now.checked_sub_months(Months::new(months)).unwrap_or(now);
        let Ok(candidates) = svc.store.winback_candidates(&id, before).await else {
            sum.add("errors", 1);
            continue;
        };
        let mut sent = 0;
        for c in candidates {
            if c.last_campaign.as_deref() == Some(campaign.as_str()) {
                sum.add("already_sent", 1);
                continue;
            }
            if sent >= PER_RUN {
                sum.add("deferred", 1);
                continue;
            }
            if svc.store.is_opted_out(&id, &c.phone).await.unwrap_or(true) {
                sum.add("skipped_opted_out", 1);
                continue;
            }
            let first = c
                .name
                .as_deref()
                .and_then(|n| n.split_whitespace().next())
                .map(|n| format!(" {n}"))
                .unwrap_or_default();
            let event = OutboxEvent {
                id: format!("{campaign}-{}", c.id),
                tenant_id: id.clone(),
                kind: "winback".into(),
                created_at: super::run_hour(now),
                messages: vec![OutboundMessage {
                    channel: "sms".into(),
                    audience: Audience::Customer,
                    to: c.phone.clone(),
                    from: tenant.phone.clone(),
                    body: format!(
                        "{}: hi{first}, it's been a while since we were out. If anything needs a look, call or text {} and we'll get you on the schedule. Reply STOP to opt out.",
                        tenant.name,
                        phone::display(&tenant.phone)
                    ),
                }],
                appointment: None,
            };
            match svc
                .store
                .record_campaign_text(&id, &c.id, &campaign, &event, now)
                .await
            {
                Ok(true) => {
                    sent += 1;
                    sum.add("sent", 1);
                }
                Ok(false) => sum.add("already_sent", 1),
                Err(_) => sum.add("errors", 1),
            }
        }
    }
    sum.finish(started)
}
