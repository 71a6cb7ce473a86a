//! The owner's website chat widget keys (`/v1/owner/widget-keys`): create one bound to
//! the shop's origins, list them with the snippet to paste, rotate (a new value, the old
//! one revoked at once: a widget key is public, so rotation is for a key being misused)
//! and revoke. Every change is audited and drops the key from this process's cache.

use super::actor;
use crate::flows::FlowError;
use crate::tenancy::widget::{self, NewWidgetKey, WidgetKey};
use crate::tenancy::AuthContext;
use crate::Services;

/// RFC 3339 UTC with seconds, as every stored time.
fn ts(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Keys a tenant may hold, revoked ones included (the list stays one small Query).
pub const MAX_KEYS: usize = 20;

fn with_snippet(mut k: WidgetKey, widget_url: &str) -> WidgetKey {
    k.snippet = if k.active() {
        widget::snippet(widget_url, &k.key)
    } else {
        String::new()
    };
    k
}

/// The tenant's keys, newest first, each active one with its snippet (loading the widget
/// from `widget_url`).
pub async fn list(
    svc: &Services,
    ctx: &AuthContext,
    widget_url: &str,
) -> Result<Vec<WidgetKey>, FlowError> {
    let keys = svc.store.widget_keys(ctx.tenant_id.as_str()).await?;
    Ok(keys
        .into_iter()
        .map(|k| with_snippet(k, widget_url))
        .collect())
}

/// A new key for `input.origins`.
///
/// Errors: 422 naming `origins` when one is not an `https://host[:port]` origin or there
/// are none or too many; 409 when the tenant already holds [`MAX_KEYS`].
pub async fn create(
    svc: &Services,
    ctx: &AuthContext,
    input: NewWidgetKey,
    widget_url: &str,
) -> Result<WidgetKey, FlowError> {
    let origins = widget::normalize_origins(&input.origins).map_err(FlowError::Invalid)?;
    let tenant = ctx.tenant_id.as_str();
    if svc.store.widget_keys(tenant).await?.len() >= MAX_KEYS {
        return Err(FlowError::conflict(format!(
            "a shop may hold at most {MAX_KEYS} widget keys"
        )));
    }
    let now = svc.clock.now();
    let row = WidgetKey {
        key: widget::new_key(),
        tenant_id: tenant.to_string(),
        origins,
        created_at: ts(now),
        revoked_at: None,
        replaced_by: None,
        snippet: String::new(),
    };
    svc.store.put_widget_key(&row, &actor(ctx), now).await?;
    Ok(with_snippet(row, widget_url))
}

async fn active(svc: &Services, ctx: &AuthContext, key: &str) -> Result<WidgetKey, FlowError> {
    let found = if widget::is_key(key) {
        svc.store.widget_key(key).await?
    } else {
        None
    };
    match found {
        Some(k) if k.tenant_id == ctx.tenant_id.as_str() && k.active() => Ok(k),
        _ => Err(FlowError::NotFound("widget key")),
    }
}

/// Revokes `key` at once: its chats stop opening and its sessions stop answering.
///
/// Errors: 404 when the tenant has no such active key.
pub async fn revoke(svc: &Services, ctx: &AuthContext, key: &str) -> Result<(), FlowError> {
    let mut k = active(svc, ctx, key).await?;
    let now = svc.clock.now();
    k.revoked_at = Some(ts(now));
    svc.store.end_widget_key(&k, None, &actor(ctx), now).await?;
    svc.tenants.forget_widget(key);
    Ok(())
}

/// Replaces `key` with a new value for the same origins; the old one is revoked at once.
///
/// Errors: 404 when the tenant has no such active key.
pub async fn rotate(
    svc: &Services,
    ctx: &AuthContext,
    key: &str,
    widget_url: &str,
) -> Result<WidgetKey, FlowError> {
    let mut old = active(svc, ctx, key).await?;
    let now = svc.clock.now();
    let new = WidgetKey {
        key: widget::new_key(),
        tenant_id: old.tenant_id.clone(),
        origins: old.origins.clone(),
        created_at: ts(now),
        revoked_at: None,
        replaced_by: None,
        snippet: String::new(),
    };
    old.revoked_at = Some(ts(now));
    old.replaced_by = Some(new.key.clone());
    svc.store
        .end_widget_key(&old, Some(&new), &actor(ctx), now)
        .await?;
    svc.tenants.forget_widget(key);
    Ok(with_snippet(new, widget_url))
}
