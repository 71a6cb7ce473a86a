//! Calls (and text conversations) as the office reviews them: a filtered page, and one
//! call with its triage, transcript and the job it booked.

use crate::crm::CallSummary;
use crate::crm::CallView;
use crate::flows::FlowError;
use crate::store::Page;
use crate::Services;
use chrono::{DateTime, Utc};

/// Which calls to list: those that started in `[from, to)`.
#[derive(Debug, Clone)]
pub struct CallFilter<'a> {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// `booked`, `emergency`, `message_taken`, `abandoned`, …
    pub outcome: Option<&'a str>,
    pub emergency: Option<bool>,
    pub limit: usize,
    /// An opaque cursor from the previous page's `next`.
    pub cursor: Option<&'a str>,
}

/// A page of the tenant's calls, newest first.
pub async fn list(
    svc: &Services,
    tenant_id: &str,
    f: CallFilter<'_>,
) -> Result<Page<CallSummary>, FlowError> {
    let all: Vec<_> = svc
        .store
        .calls_between(tenant_id, f.from, f.to)
        .await?
        .into_iter()
        .filter(|c| f.outcome.is_none_or(|o| c.outcome == o))
        .filter(|c| f.emergency.is_none_or(|e| c.emergency == e))
        .collect();
    let offset = crate::store::parse_offset(f.cursor)?;
    Ok(crate::store::page_of(&all, offset, f.limit))
}

/// One call: what was said, how it was judged, and the appointment it made.
pub async fn get(svc: &Services, tenant_id: &str, sid: &str) -> Result<CallView, FlowError> {
    let c = svc
        .store
        .get_call(tenant_id, sid)
        .await?
        .ok_or(FlowError::NotFound("call"))?;
    let customer = c
        .state
        .known
        .as_ref()
        .map(|k| k.id.clone())
        .unwrap_or_else(|| crate::store::customer_id_for(tenant_id, &c.state.caller));
    let appointment = svc
        .store
        .appointment_for_call(tenant_id, &customer, sid)
        .await?;
    let mut view = CallView::new(&c.state, c.status.clone(), appointment);
    view.voicemail = svc.store.voicemail(tenant_id, sid).await?;
    Ok(view)
}
