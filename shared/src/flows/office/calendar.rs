//! The owner's Google Calendar connection from the dashboard: connect (owner only; the
//! consent URL), Google's redirect back, how the sync is doing, disconnect (owner only).
//! The OAuth exchange itself is `google::connect`.

use super::actor;
use crate::flows::FlowError;
use crate::google::connect::{self, ConnectError};
use crate::google::sync::{PROVIDER, REPAIR_DAYS};
use crate::store::IntegrationView;
use crate::tenancy::{AuthContext, Role};
use crate::Services;
use chrono::Duration;
use serde::Serialize;

/// Path of Google's redirect back to Frontline (register `{PUBLIC_BASE_URL}` + this in the
/// Google Cloud console).
pub const CALLBACK_PATH: &str = "/v1/owner/integrations/google/callback";

fn owner_only(ctx: &AuthContext) -> Result<(), FlowError> {
    if matches!(ctx.role, Role::Owner | Role::Admin) {
        Ok(())
    } else {
        Err(FlowError::Forbidden(
            "only the owner can connect or disconnect a calendar".into(),
        ))
    }
}

fn unavailable(e: ConnectError) -> FlowError {
    tracing::error!(error = %e, "calendar connect failed");
    FlowError::Unavailable(e.to_string())
}

/// Starts a connection: the Google consent URL to open, which comes back to
/// `redirect_uri` with a single-use `state`.
pub async fn connect(
    svc: &Services,
    ctx: &AuthContext,
    redirect_uri: &str,
) -> Result<String, FlowError> {
    owner_only(ctx)?;
    connect::start(
        svc,
        &ctx.tenant_id,
        &actor(ctx),
        redirect_uri,
        svc.clock.now(),
    )
    .await
    .map_err(unavailable)
}

/// What Google's redirect came back with.
#[derive(Debug, Clone, Copy)]
pub enum Consent<'a> {
    /// The owner declined (`error=`).
    Declined,
    /// The owner agreed: the authorisation `code`.
    Granted(&'a str),
}

/// Finishes (or abandons) the consent named by `state`; the dashboard's word for the
/// outcome: `connected`, `denied`, `expired` or `error`.
pub async fn consent_returned(
    svc: &Services,
    state: &str,
    consent: Consent<'_>,
    redirect_uri: &str,
) -> &'static str {
    let now = svc.clock.now();
    match consent {
        Consent::Declined => {
            let _ = connect::decline(svc, state, now).await;
            "denied"
        }
        Consent::Granted(code) => {
            match connect::finish(svc, state, code, redirect_uri, now).await {
                Ok(tenant) => {
                    tracing::info!(tenant = %tenant, "google calendar connected");
                    "connected"
                }
                Err(ConnectError::UnknownState) => "expired",
                Err(e) => {
                    tracing::warn!(error = %e, "google calendar connect failed");
                    "error"
                }
            }
        }
    }
}

/// `POST /v1/owner/integrations/google/connect`: where to send the owner to consent.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct AuthorizationUrl {
    /// Google's consent page, with PKCE and a single-use `state`.
    pub authorization_url: String,
}

/// `GET /v1/owner/integrations/google`: the connection (its `status` is
/// `not_connected` when there is none) and the upcoming jobs not in the calendar yet.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CalendarStatus {
    #[serde(flatten)]
    pub connection: IntegrationView,
    pub jobs_not_in_calendar: usize,
    pub unsynced_job_ids: Vec<String>,
}

/// The connection's status, last sync and import, last error, and the upcoming jobs not
/// in the calendar yet.
pub async fn status(svc: &Services, ctx: &AuthContext) -> Result<CalendarStatus, FlowError> {
    let Some(connection) = svc.store.integration_view(&ctx.tenant_id, PROVIDER).await? else {
        return Ok(CalendarStatus {
            connection: IntegrationView::not_connected(PROVIDER),
            jobs_not_in_calendar: 0,
            unsynced_job_ids: Vec::new(),
        });
    };
    let now = svc.clock.now();
    let jobs = svc
        .store
        .appointments_between(&ctx.tenant_id, now, now + Duration::days(REPAIR_DAYS))
        .await?;
    let unsynced: Vec<String> = jobs
        .iter()
        .filter(|j| {
            j.status == crate::crm::AppointmentStatus::Booked
                && j.calendar_sync.as_deref() != Some("synced")
        })
        .map(|j| j.id.clone())
        .collect();
    Ok(CalendarStatus {
        connection,
        jobs_not_in_calendar: unsynced.len(),
        unsynced_job_ids: unsynced,
    })
}

/// Revokes and forgets the connection.
pub async fn disconnect(svc: &Services, ctx: &AuthContext) -> Result<(), FlowError> {
    owner_only(ctx)?;
    match connect::disconnect(svc, &ctx.tenant_id, &actor(ctx), svc.clock.now()).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(FlowError::NotFound("Google Calendar connection")),
        Err(e) => Err(unavailable(e)),
    }
}
