//! The platform operator's work (role `admin` only): tenants (create with an owner login,
//! list, suspend, lock down, resume), Twilio number routes, a tenant's API credentials
//! (issue, rotate with an overlap, revoke), usage per tenant and month, and platform
//! health (queue depths, DLQ counts, the last run of each schedule). Every change is
//! audited under `admin:{user}`.

use crate::flows::accounts::tokens::API_KEY_PREFIX;
use crate::flows::FlowError;
use crate::store::{CredentialRow, Login, StoreError};
use crate::tenancy::credentials::new_secret;
use crate::tenancy::{
    AuthContext, NewCredential, NewTenant, Password, Role, RotateCredential, Tenant, TenantStatus,
};
use crate::Services;
use aws_sdk_sqs::types::QueueAttributeName as A;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::{json, Value};

fn actor(ctx: &AuthContext) -> String {
    format!("admin:{}", ctx.user)
}

/// A tenant as the operator lists it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct TenantView {
    pub id: String,
    pub name: String,
    pub phone: String,
    pub time_zone: String,
    pub plan: String,
    pub status: TenantStatus,
}

impl From<&Tenant> for TenantView {
    fn from(t: &Tenant) -> Self {
        TenantView {
            id: t.id.clone(),
            name: t.name.clone(),
            phone: t.phone.clone(),
            time_zone: t.time_zone.clone(),
            plan: t.plan.clone(),
            status: t.status,
        }
    }
}

async fn all_tenants(svc: &Services) -> Result<Vec<Tenant>, StoreError> {
    let mut out = Vec::new();
    for id in svc.store.tenant_ids().await? {
        if let Some(t) = svc.store.tenant(&id).await? {
            out.push(t);
        }
    }
    Ok(out)
}

async fn tenant(svc: &Services, id: &str) -> Result<Tenant, FlowError> {
    svc.store
        .tenant(id)
        .await?
        .ok_or(FlowError::NotFound("tenant"))
}

/// Every tenant.
pub async fn tenants(svc: &Services) -> Result<Vec<TenantView>, FlowError> {
    Ok(all_tenants(svc)
        .await?
        .iter()
        .map(TenantView::from)
        .collect())
}

/// Creates a tenant and its owner's login: 409 when the id, the number or the email is
/// taken.
pub async fn create_tenant(
    svc: &Services,
    ctx: &AuthContext,
    body: NewTenant,
) -> Result<TenantView, FlowError> {
    let tenant = body
        .tenant()
        .map_err(|e| FlowError::Invalid(e.to_string()))?;
    if svc.store.tenant(&tenant.id).await?.is_some() {
        return Err(FlowError::conflict("id: a tenant with this id exists"));
    }
    if svc.store.route(&tenant.phone).await?.is_some() {
        return Err(FlowError::conflict(
            "phone: this number already routes to a tenant",
        ));
    }
    let email_taken = || FlowError::conflict("owner_email: a login with this email exists");
    // `body.tenant()` checked both.
    let password = Password::parse(&body.owner_password)
        .map_err(|e| FlowError::Invalid(format!("owner_password: {e}")))?;
    let now = svc.clock.now();
    let login = Login {
        email: body.owner_email.trim().to_lowercase(),
        password_hash: password.hash(),
        tenant_id: tenant.id.clone(),
        role: Role::Owner,
    };
    if svc.store.login_state(&login.email).await?.is_some() {
        return Err(email_taken());
    }
    svc.store
        .update_tenant(&tenant, &actor(ctx), "tenant_created", now)
        .await?;
    if !svc.store.create_login(&login, &actor(ctx), now).await? {
        return Err(email_taken());
    }
    Ok(TenantView::from(&tenant))
}

/// Suspends, locks down or resumes a tenant (a no-op when it already has that status).
pub async fn set_status(
    svc: &Services,
    ctx: &AuthContext,
    id: &str,
    status: TenantStatus,
) -> Result<TenantView, FlowError> {
    let mut t = tenant(svc, id).await?;
    if t.status != status {
        t.status = status;
        let action = match status {
            TenantStatus::Suspended => "tenant_suspended",
            TenantStatus::Lockdown => "tenant_locked_down",
            TenantStatus::Active => "tenant_resumed",
        };
        svc.store
            .update_tenant(&t, &actor(ctx), action, svc.clock.now())
            .await?;
        svc.tenants.forget(&t.phone);
        svc.tenants.forget_tenant_widgets(&t.id);
    }
    Ok(TenantView::from(&t))
}

/// A number moved to a tenant.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct NumberMoved {
    pub tenant: TenantView,
    pub previous_number: String,
}

/// Routes `phone` (any format) to tenant `id`: 409 when it routes to another tenant.
pub async fn route_number(
    svc: &Services,
    ctx: &AuthContext,
    id: &str,
    phone: &str,
) -> Result<NumberMoved, FlowError> {
    let phone = crate::phone::normalize_e164(phone)
        .ok_or_else(|| FlowError::Invalid("phone: not a phone number".into()))?;
    let mut t = tenant(svc, id).await?;
    let old = std::mem::replace(&mut t.phone, phone);
    if !svc
        .store
        .move_number(&t, &old, &actor(ctx), svc.clock.now())
        .await?
    {
        return Err(FlowError::conflict(
            "phone: this number routes to another tenant",
        ));
    }
    Ok(NumberMoved {
        tenant: TenantView::from(&t),
        previous_number: old,
    })
}

/// A tenant's API credentials (never their values).
pub async fn credentials(svc: &Services, tenant_id: &str) -> Result<Vec<CredentialRow>, FlowError> {
    tenant(svc, tenant_id).await?;
    Ok(svc.store.credentials(tenant_id).await?)
}

/// A key as issued: its value is shown this once.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct IssuedKey {
    pub credential: CredentialRow,
    pub key: String,
    /// On a rotation: the old key's id and when it stops working.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<Value>,
}

/// A new key value and its stored row (id from the hash, never the value).
fn new_credential(
    tenant_id: &str,
    name: &str,
    role: Role,
    now: DateTime<Utc>,
) -> (String, CredentialRow) {
    let (key, hash) = new_secret(API_KEY_PREFIX);
    let row = CredentialRow {
        id: format!("key_{}", &hash[..12]),
        tenant_id: tenant_id.to_string(),
        name: name.to_string(),
        role,
        created_at: now.to_rfc3339(),
        expires_at: None,
        last_used_at: None,
        replaced_by: None,
        hash,
    };
    (key, row)
}

/// Issues an owner or staff API key for a tenant.
pub async fn issue_credential(
    svc: &Services,
    ctx: &AuthContext,
    tenant_id: &str,
    body: NewCredential,
) -> Result<IssuedKey, FlowError> {
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(FlowError::Invalid(
            "name: must be 1 to 80 characters".into(),
        ));
    }
    if body.role == Role::Admin {
        return Err(FlowError::Invalid("role: must be owner or staff".into()));
    }
    tenant(svc, tenant_id).await?;
    let now = svc.clock.now();
    let (key, row) = new_credential(tenant_id, name, body.role, now);
    svc.store.put_credential(&row, &actor(ctx), now).await?;
    Ok(IssuedKey {
        credential: row,
        key,
        previous: None,
    })
}

async fn credential(svc: &Services, tenant_id: &str, id: &str) -> Result<CredentialRow, FlowError> {
    svc.store
        .credential_by_id(tenant_id, id)
        .await?
        .ok_or(FlowError::NotFound("credential"))
}

/// Replaces a key with a new one; the old one keeps working for `overlap_hours` (0–168).
pub async fn rotate_credential(
    svc: &Services,
    ctx: &AuthContext,
    tenant_id: &str,
    id: &str,
    body: RotateCredential,
) -> Result<IssuedKey, FlowError> {
    if body.overlap_hours > 168 {
        return Err(FlowError::Invalid("overlap_hours: must be 0 to 168".into()));
    }
    let old = credential(svc, tenant_id, id).await?;
    if old.expires_at.is_some() {
        return Err(FlowError::conflict(
            "this credential was already rotated or revoked",
        ));
    }
    let now = svc.clock.now();
    let (key, new) = new_credential(tenant_id, &old.name, old.role, now);
    svc.store.put_credential(&new, &actor(ctx), now).await?;
    let ends = now + Duration::hours(body.overlap_hours as i64);
    svc.store
        .expire_credential(&old, ends, Some(&new.id), &actor(ctx), now)
        .await?;
    Ok(IssuedKey {
        credential: new,
        key,
        previous: Some(json!({"id": old.id, "expires_at": ends.to_rfc3339()})),
    })
}

/// Ends a key now.
pub async fn revoke_credential(
    svc: &Services,
    ctx: &AuthContext,
    tenant_id: &str,
    id: &str,
) -> Result<(), FlowError> {
    let old = credential(svc, tenant_id, id).await?;
    let now = svc.clock.now();
    svc.store
        .expire_credential(&old, now, None, &actor(ctx), now)
        .await?;
    Ok(())
}

/// One tenant's use of the platform in a month.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct UsageRow {
    pub tenant_id: String,
    /// Voice calls.
    pub calls: usize,
    /// Billed minutes: each call's started minutes (Twilio bills a started minute).
    pub minutes: i64,
    /// Text messages in and out.
    pub texts: usize,
    /// Text conversations (and website chats).
    pub text_conversations: usize,
    /// Calls and conversations that booked or moved a job.
    pub bookings: usize,
}

/// `GET /v1/admin/usage`: `[from, to)` and a row per tenant.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Usage {
    /// RFC 3339.
    pub from: String,
    pub to: String,
    pub items: Vec<UsageRow>,
    /// Always `null`: every tenant is on one page.
    pub next: Option<String>,
}

/// Each tenant's calls, billed minutes, texts and bookings in `[from, to)`.
pub async fn usage(
    svc: &Services,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Usage, FlowError> {
    let mut items = Vec::new();
    for t in all_tenants(svc).await? {
        let calls = svc.store.calls_between(&t.id, from, to).await?;
        let voice: Vec<_> = calls.iter().filter(|c| c.channel == "voice").collect();
        // Twilio bills each started minute.
        let minutes: i64 = voice
            .iter()
            .map(|c| (c.duration_s.unwrap_or(0) + 59) / 60)
            .sum();
        let texts = svc.store.count_messages_between(&t.id, from, to).await?;
        let bookings = calls
            .iter()
            .filter(|c| matches!(c.outcome.as_str(), "booked" | "rescheduled"))
            .count();
        items.push(UsageRow {
            tenant_id: t.id,
            calls: voice.len(),
            minutes,
            texts: texts as usize,
            text_conversations: calls.len() - voice.len(),
            bookings,
        });
    }
    Ok(Usage {
        from: from.to_rfc3339(),
        to: to.to_rfc3339(),
        items,
        next: None,
    })
}

/// A dead-letter queue's depth.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DlqDepth {
    pub name: String,
    pub messages: i64,
}

/// A queue's depth (SQS's approximate counts) and its dead-letter queue's.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct QueueDepth {
    pub name: String,
    pub messages: i64,
    /// Received and not yet deleted.
    pub in_flight: i64,
    pub dlq: Option<DlqDepth>,
    /// Why the queue could not be read (then the counts are 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A scheduled job's last run.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct JobRun {
    pub job: String,
    /// RFC 3339.
    pub last_run: String,
    /// What the run reported (counts, per job).
    pub summary: Value,
}

/// `GET /v1/admin/health`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Health {
    /// `ok`, or `attention` when a dead-letter queue holds a message.
    pub status: String,
    pub queues: Vec<QueueDepth>,
    pub dlq_messages: i64,
    pub scheduled_jobs: Vec<JobRun>,
    /// RFC 3339.
    pub checked_at: String,
}

/// Depth of a queue and of its dead-letter queue (found through its redrive policy).
async fn queue_depth(sqs: &aws_sdk_sqs::Client, url: &str) -> QueueDepth {
    let name = url.rsplit('/').next().unwrap_or_default().to_string();
    let attrs = |url: String| async move {
        sqs.get_queue_attributes()
            .queue_url(url)
            .attribute_names(A::ApproximateNumberOfMessages)
            .attribute_names(A::ApproximateNumberOfMessagesNotVisible)
            .attribute_names(A::RedrivePolicy)
            .send()
            .await
            .map(|o| o.attributes().cloned().unwrap_or_default())
    };
    let Ok(main) = attrs(url.to_string()).await else {
        return QueueDepth {
            name,
            messages: 0,
            in_flight: 0,
            dlq: None,
            error: Some("queue unavailable".into()),
        };
    };
    let num = |m: &std::collections::HashMap<A, String>, k: A| {
        m.get(&k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0)
    };
    let dlq_name = main
        .get(&A::RedrivePolicy)
        .and_then(|p| serde_json::from_str::<Value>(p).ok())
        .and_then(|p| p["deadLetterTargetArn"].as_str().map(String::from))
        .and_then(|arn| arn.rsplit(':').next().map(String::from));
    let mut dlq = None;
    if let Some(name) = dlq_name {
        if let Ok(u) = sqs.get_queue_url().queue_name(&name).send().await {
            if let Ok(d) = attrs(u.queue_url().unwrap_or_default().to_string()).await {
                dlq = Some(DlqDepth {
                    name,
                    messages: num(&d, A::ApproximateNumberOfMessages),
                });
            }
        }
    }
    QueueDepth {
        name,
        messages: num(&main, A::ApproximateNumberOfMessages),
        in_flight: num(&main, A::ApproximateNumberOfMessagesNotVisible),
        dlq,
        error: None,
    }
}

/// Queue and DLQ depths and the last run of each schedule; `attention` when any DLQ
/// holds a message.
pub async fn health(svc: &Services) -> Result<Health, FlowError> {
    let mut queues = Vec::new();
    for url in [
        &svc.config.notifications_queue_url,
        &svc.config.integrations_queue_url,
    ] {
        if !url.is_empty() {
            queues.push(queue_depth(&svc.sqs, url).await);
        }
    }
    let dlq_total: i64 = queues
        .iter()
        .filter_map(|q| q.dlq.as_ref().map(|d| d.messages))
        .sum();
    let runs: Vec<JobRun> = svc
        .store
        .schedule_runs()
        .await?
        .into_iter()
        .map(|(job, last_run, summary)| JobRun {
            job,
            last_run,
            summary,
        })
        .collect();
    Ok(Health {
        status: if dlq_total == 0 { "ok" } else { "attention" }.into(),
        queues,
        dlq_messages: dlq_total,
        scheduled_jobs: runs,
        checked_at: svc.clock.now().to_rfc3339(),
    })
}
