//! The notification audit: what was sent to whom (numbers masked), when, and what became
//! of it; for the whole shop, one call (its texts and alerts) or one customer (the texts
//! sent to their numbers).

use crate::flows::FlowError;
use crate::store::NotificationRow;
use crate::Services;

/// Which notifications to list.
#[derive(Debug, Default)]
pub struct NotificationFilter {
    /// The call's CallSid: notifications of the events its turns wrote.
    pub call_sid: Option<String>,
    /// The customer's id: notifications sent to any of their numbers.
    pub customer_id: Option<String>,
    /// Most rows, newest first.
    pub limit: i32,
}

/// The tenant's notifications that pass `filter`, newest first. 404 for an unknown
/// customer.
pub async fn list(
    svc: &Services,
    tenant_id: &str,
    filter: NotificationFilter,
) -> Result<Vec<NotificationRow>, FlowError> {
    // Recipients are stored masked, so a customer's rows are those to their masked numbers.
    let masks: Option<Vec<String>> = match &filter.customer_id {
        Some(id) => {
            let c = svc
                .store
                .customer(tenant_id, id)
                .await?
                .ok_or(FlowError::NotFound("customer"))?;
            Some(
                std::iter::once(&c.phone)
                    .chain(&c.other_phones)
                    .map(|p| crate::phone::mask(p))
                    .collect(),
            )
        }
        None => None,
    };
    let prefix = filter.call_sid.as_ref().map(|sid| format!("{sid}-"));
    Ok(svc
        .store
        .list_notifications(tenant_id, filter.limit, |r| {
            prefix.as_ref().is_none_or(|p| r.event_id.starts_with(p))
                && masks.as_ref().is_none_or(|m| m.contains(&r.recipient))
        })
        .await?)
}
