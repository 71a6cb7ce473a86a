//! Connecting and disconnecting a tenant's Google Calendar (the OAuth 2.0 web-server flow
//! with PKCE). The consent's `state` is the only thing that ties Google's redirect back to
//! a tenant, so it is random, single use and short-lived.

use super::seal::TokenKeys;
use super::sync::{self, IntegrationMessage, PROVIDER};
use super::{GoogleError, OAuthApp};
use crate::scheduling::blocks;
use crate::store::{Integration, IntegrationStatus, OAuthState};
use crate::Services;
use chrono::{DateTime, Duration, Utc};

/// How long an owner has to finish Google's consent screen.
pub const CONSENT_TTL_MIN: i64 = 15;

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// Unknown, used or expired `state`: start again from the dashboard.
    #[error("this calendar link has expired or was already used; start again from the dashboard")]
    UnknownState,
    /// Google answered but did not give offline access (no refresh token).
    #[error("Google did not grant offline access; connect again and allow access")]
    NoRefreshToken,
    #[error("Google refused the connection: {0}")]
    Google(#[from] GoogleError),
    #[error("{0}")]
    Unavailable(String),
}

fn unavailable(e: impl ToString) -> ConnectError {
    ConnectError::Unavailable(e.to_string())
}

/// Starts a connection: records the consent and returns Google's consent URL.
pub async fn start(
    svc: &Services,
    tenant_id: &str,
    actor: &str,
    redirect_uri: &str,
    now: DateTime<Utc>,
) -> Result<String, ConnectError> {
    let app: OAuthApp = svc
        .secrets
        .get_json(&svc.config.google_oauth_secret_id)
        .await
        .map_err(unavailable)?;
    let state = uuid::Uuid::new_v4().simple().to_string();
    // RFC 7636: 43–128 unreserved characters; two v4 UUIDs give 244 random bits.
    let verifier = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    svc.store
        .put_oauth_state(
            &state,
            &OAuthState {
                tenant_id: tenant_id.into(),
                actor: actor.into(),
                code_verifier: verifier.clone(),
                expires_at: now + Duration::minutes(CONSENT_TTL_MIN),
            },
        )
        .await
        .map_err(unavailable)?;
    Ok(app.authorization_url(&svc.config.google.auth_url, redirect_uri, &state, &verifier))
}

/// Forgets a consent the owner declined (Google redirected with `error=`).
pub async fn decline(svc: &Services, state: &str, now: DateTime<Utc>) -> Result<(), ConnectError> {
    svc.store
        .take_oauth_state(state, now)
        .await
        .map_err(unavailable)?;
    Ok(())
}

/// Finishes a connection from Google's redirect: exchanges the code, seals the refresh
/// token, saves the connection (audited) and queues the first import. Returns the tenant.
pub async fn finish(
    svc: &Services,
    state: &str,
    code: &str,
    redirect_uri: &str,
    now: DateTime<Utc>,
) -> Result<String, ConnectError> {
    let st = svc
        .store
        .take_oauth_state(state, now)
        .await
        .map_err(unavailable)?
        .ok_or(ConnectError::UnknownState)?;
    let app: OAuthApp = svc
        .secrets
        .get_json(&svc.config.google_oauth_secret_id)
        .await
        .map_err(unavailable)?;
    let grant = svc
        .google
        .exchange_code(&app, code, redirect_uri, &st.code_verifier)
        .await?;
    let refresh = grant.refresh_token.ok_or(ConnectError::NoRefreshToken)?;
    let keys: TokenKeys = svc
        .secrets
        .get_json(&svc.config.calendar_key_secret_id)
        .await
        .map_err(unavailable)?;
    let sealed = keys.seal(&st.tenant_id, &refresh).map_err(unavailable)?;
    let tenant = svc
        .store
        .tenant(&st.tenant_id)
        .await
        .map_err(unavailable)?
        .ok_or_else(|| unavailable("tenant not found"))?;
    let previous = svc
        .store
        .integration(&st.tenant_id, PROVIDER)
        .await
        .map_err(unavailable)?;
    let resource = previous
        .as_ref()
        .map(|p| p.resource.clone())
        .or_else(|| tenant.resources.first().map(|r| r.id.clone()))
        .unwrap_or_else(|| "owner".into());
    let integ = Integration {
        provider: PROVIDER.into(),
        calendar_id: previous
            .map(|p| p.calendar_id)
            .unwrap_or_else(|| "primary".into()),
        resource,
        sealed_refresh_token: sealed,
        status: IntegrationStatus::Connected,
    };
    svc.store
        .connect_integration(&st.tenant_id, &integ, &st.actor, now)
        .await
        .map_err(unavailable)?;
    if let Ok(mut m) = svc.google_tokens.lock() {
        let until = std::time::Instant::now()
            + std::time::Duration::from_secs(grant.expires_in.saturating_sub(60));
        m.insert(st.tenant_id.clone(), (grant.access_token, until));
    }
    // The first import also pushes every upcoming job. If the queue is down the schedule
    // does it on its next tick.
    if let Err(e) = sync::send(
        svc,
        &[IntegrationMessage::Import {
            tenant_id: st.tenant_id.clone(),
        }],
    )
    .await
    {
        tracing::warn!(tenant = %st.tenant_id, error = %e, "first calendar import not queued");
    }
    Ok(st.tenant_id)
}

/// Disconnects: revokes the grant at Google (best effort), removes the connection
/// (audited) and releases the imported busy time. Jobs' events stay in the owner's
/// calendar. Returns false when nothing was connected.
pub async fn disconnect(
    svc: &Services,
    tenant_id: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<bool, ConnectError> {
    let Some(integ) = svc
        .store
        .integration(tenant_id, PROVIDER)
        .await
        .map_err(unavailable)?
    else {
        return Ok(false);
    };
    if let Ok(keys) = svc
        .secrets
        .get_json::<TokenKeys>(&svc.config.calendar_key_secret_id)
        .await
    {
        if let Ok(refresh) = keys.open(tenant_id, &integ.sealed_refresh_token) {
            if let Err(e) = svc.google.revoke(&refresh).await {
                tracing::warn!(tenant = %tenant_id, error = %e, "google token revoke failed; disconnecting anyway");
            }
        }
    }
    svc.store
        .disconnect_integration(tenant_id, PROVIDER, actor, now)
        .await
        .map_err(unavailable)?;
    if let Ok(mut m) = svc.google_tokens.lock() {
        m.remove(tenant_id);
    }
    let from = now - Duration::days(1);
    let to = now + Duration::days(sync::IMPORT_DAYS + 1);
    let (held, locked) = svc
        .store
        .lock_granules(tenant_id, &integ.resource, from, to)
        .await
        .map_err(unavailable)?;
    let plan = blocks::plan(&[], &[], &held, &locked);
    svc.store
        .apply_block_plan(tenant_id, &integ.resource, &plan, (from, to), now)
        .await
        .map_err(unavailable)?;
    Ok(true)
}
