//! The application layer: one module per use case. A flow loads what its case needs,
//! asks the pure domain (`dialogue`, `scheduling`, `crm`) to decide, writes once through
//! `store`, and says who to tell. Function crates parse an event, call one flow and render
//! its answer; `http` holds parsing, auth, problem+json and rendering only.

pub mod accounts;
pub mod admin;
pub mod calls;
pub mod chat;
pub mod conversation;
pub mod delivery;
pub mod office;
pub mod owner_line;
pub mod texting;
pub mod voicemail;

use crate::store::StoreError;

/// Why an office, account or admin flow did not do what was asked. `http` renders each
/// as problem+json (RFC 9457): the status is in the variant's doc.
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    /// 404: the named thing does not exist for this tenant.
    #[error("no such {0}")]
    NotFound(&'static str),
    /// 403: the caller's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// 422: the request is well-formed but breaks a rule; the detail names the field.
    #[error("{0}")]
    Invalid(String),
    /// 409: the record changed, or the request collides with another record (`with`:
    /// the id of the record it collides with, given to the client as `customer_id`).
    #[error("{detail}")]
    Conflict {
        detail: String,
        with: Option<String>,
    },
    /// A provider this flow needs (Google, Stripe) failed; 503.
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl FlowError {
    /// 409 for a record read, changed by someone else, then written.
    pub fn changed(what: &str) -> Self {
        FlowError::Conflict {
            detail: format!("the {what} changed since it was read; reload and try again"),
            with: None,
        }
    }

    /// 409 with a detail.
    pub fn conflict(detail: impl Into<String>) -> Self {
        FlowError::Conflict {
            detail: detail.into(),
            with: None,
        }
    }
}
