//! Redacts call transcripts and text bodies older than each tenant's retention. Outcomes,
//! customers, jobs and who-called-when stay (the CRM needs them); the words go, and so do
//! voicemail recordings (deleted at Twilio's Recordings API). Outbox,
//! idempotency and slot items expire by DynamoDB TTL instead.

use super::Summary;
use crate::Services;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// Redacts what is past retention for every tenant; audits the counts per tenant.
pub async fn retention_purge(svc: &Services, now: DateTime<Utc>) -> Summary {
    let started = std::time::Instant::now();
    let mut sum = Summary::new("retention-purge", now);
    let ids = match svc.store.tenant_ids().await {
        Ok(i) => i,
        Err(e) => {
            tracing::error!(error = %e, "tenants unreadable");
            sum.add("errors", 1);
            return sum.finish(started);
        }
    };
    for id in ids {
        let Ok(Some(tenant)) = svc.store.tenant(&id).await else {
            continue;
        };
        sum.add("tenants", 1);
        let cutoff = now - Duration::days(tenant.lifecycle.transcript_retention_days as i64);
        let mut counts: HashMap<String, u64> = HashMap::new();
        match svc.store.calls_to_redact(&id, cutoff).await {
            Ok(sids) => {
                for sid in sids {
                    // The voicemail's audio goes too: deleted at Twilio, then forgotten.
                    match crate::flows::voicemail::purge(svc, &id, &sid).await {
                        Ok(true) => *counts.entry("recordings_deleted".into()).or_default() += 1,
                        Ok(false) => {}
                        Err(e) => {
                            // Not redacted either, so the next run finds the call again.
                            tracing::warn!(error = %e, call_sid = %sid, "recording not deleted; retried next run");
                            sum.add("errors", 1);
                            continue;
                        }
                    }
                    let Ok(Some(call)) = svc.store.get_call(&id, &sid).await else {
                        continue;
                    };
                    if matches!(svc.store.redact_call(&id, &call, now).await, Ok(true)) {
                        *counts.entry("transcripts_redacted".into()).or_default() += 1;
                    }
                }
            }
            Err(_) => sum.add("errors", 1),
        }
        match svc.store.messages_to_redact(&id, cutoff).await {
            Ok(sks) => {
                for sk in sks {
                    if matches!(svc.store.redact_message(&id, &sk, now).await, Ok(true)) {
                        *counts.entry("texts_redacted".into()).or_default() += 1;
                    }
                }
            }
            Err(_) => sum.add("errors", 1),
        }
        for (k, v) in &counts {
            sum.add(k, *v);
        }
        if !counts.is_empty() {
            let _ = svc
                .store
                .audit_counts(&id, "job:retention-purge", "retention_purged", &counts, now)
                .await;
        }
    }
    sum.finish(started)
}
