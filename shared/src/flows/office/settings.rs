//! The tenant's settings (general, and scheduling: owner only), and privacy: everything
//! held about one customer, exported or erased, each audited.

use super::actor;
use crate::crm::Customer;
use crate::flows::FlowError;
use crate::tenancy::{AuthContext, GeneralSettings, Role, SchedulingSettings, Tenant};
use crate::Services;
use serde::Serialize;

/// Applies the general settings (name, contacts, greeting, emergency policy, …).
pub async fn put_general(
    svc: &Services,
    mut tenant: Tenant,
    ctx: &AuthContext,
    settings: GeneralSettings,
) -> Result<GeneralSettings, FlowError> {
    settings
        .apply(&mut tenant)
        .map_err(|e| FlowError::Invalid(e.to_string()))?;
    let now = svc.clock.now();
    svc.store
        .update_tenant(&tenant, &actor(ctx), "settings_general_updated", now)
        .await?;
    Ok(GeneralSettings::of(&tenant))
}

/// Applies the scheduling settings (hours, closures, lead time, limits, buffers,
/// resources, service catalogue, after-hours policy); only the owner (or an admin).
pub async fn put_scheduling(
    svc: &Services,
    mut tenant: Tenant,
    ctx: &AuthContext,
    settings: SchedulingSettings,
) -> Result<SchedulingSettings, FlowError> {
    if !matches!(ctx.role, Role::Owner | Role::Admin) {
        return Err(FlowError::Forbidden(
            "only the owner can change scheduling settings".into(),
        ));
    }
    settings
        .validate()
        .map_err(|e| FlowError::Invalid(e.to_string()))?;
    settings.apply(&mut tenant);
    let now = svc.clock.now();
    svc.store
        .update_tenant(&tenant, &actor(ctx), "settings_scheduling_updated", now)
        .await?;
    Ok(SchedulingSettings::of(&tenant))
}

/// Everything held about one customer (a subject access request).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CustomerExport {
    pub customer: Customer,
    pub opted_out: bool,
    /// Every item that names the customer, as stored.
    pub records: Vec<serde_json::Value>,
    pub exported_at: String,
}

/// Exports customer `id`'s records; the export is audited.
pub async fn privacy_export(
    svc: &Services,
    tenant: &Tenant,
    ctx: &AuthContext,
    id: &str,
) -> Result<CustomerExport, FlowError> {
    let c = super::customers::get(svc, ctx, id).await?;
    let records = svc.store.customer_export(&tenant.id, &c).await?;
    let opted_out = svc.store.is_opted_out(&tenant.id, &c.phone).await?;
    let now = svc.clock.now();
    svc.store
        .audit(&tenant.id, &actor(ctx), "customer_exported", &c.id, now)
        .await?;
    Ok(CustomerExport {
        customer: c,
        opted_out,
        records,
        exported_at: now.to_rfc3339(),
    })
}

/// What an erasure did.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Erased {
    /// The customer's id.
    pub erased: String,
    pub records_redacted: usize,
}

/// Erases customer `id`: the profile goes; calls, texts and jobs keep their business
/// facts (time, service, outcome, status) but lose names, numbers, addresses, transcripts
/// and bodies. Audited.
pub async fn privacy_erase(
    svc: &Services,
    tenant: &Tenant,
    ctx: &AuthContext,
    id: &str,
) -> Result<Erased, FlowError> {
    let c = super::customers::get(svc, ctx, id).await?;
    // Their voicemails first, at Twilio too: if that fails nothing is erased yet, and the
    // erase can be asked again.
    for sid in svc.store.customer_call_sids(&tenant.id, &c).await? {
        crate::flows::voicemail::purge(svc, &tenant.id, &sid).await?;
    }
    let n = svc
        .store
        .erase_customer(&tenant.id, &c, &actor(ctx), svc.clock.now())
        .await?;
    Ok(Erased {
        erased: c.id,
        records_redacted: n,
    })
}
