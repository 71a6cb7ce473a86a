//! Customers: create, update, merge a duplicate into a record, and the CSV import. Phone
//! numbers are unique per tenant (a collision is a 409 naming the other customer); every
//! change is audited under the signed-in user.

use super::actor;
use crate::crm::input::{CustomerInput, CustomerPatch, ImportRequest, MergeRequest, RowError};
use crate::crm::{Customer, TimelineEntry};
use crate::flows::FlowError;
use crate::store::{CustomerConflict, Page};
use crate::tenancy::AuthContext;
use crate::Services;
use serde::Serialize;

fn refused(c: CustomerConflict) -> FlowError {
    match c {
        CustomerConflict::PhoneTaken(id) => FlowError::Conflict {
            detail: "phone: another customer has this number".into(),
            with: Some(id),
        },
        CustomerConflict::Changed => FlowError::changed("customer"),
    }
}

/// The customer `id` of the caller's tenant.
pub async fn get(svc: &Services, ctx: &AuthContext, id: &str) -> Result<Customer, FlowError> {
    svc.store
        .customer(&ctx.tenant_id, id)
        .await?
        .ok_or(FlowError::NotFound("customer"))
}

/// A page of customers matching `q`: a phone number in any format, or words that must
/// all appear in the name, address or email.
pub async fn search(
    svc: &Services,
    ctx: &AuthContext,
    q: &str,
    limit: usize,
    cursor: Option<&str>,
) -> Result<Page<Customer>, FlowError> {
    Ok(svc
        .store
        .search_customer_page(&ctx.tenant_id, q, limit, cursor)
        .await?)
}

/// A page of customer `id`'s history (calls, texts, jobs, notes), newest first.
pub async fn timeline(
    svc: &Services,
    ctx: &AuthContext,
    id: &str,
    limit: usize,
    cursor: Option<&str>,
) -> Result<Page<TimelineEntry>, FlowError> {
    let c = get(svc, ctx, id).await?;
    Ok(svc
        .store
        .timeline(&ctx.tenant_id, &c, limit, cursor)
        .await?)
}

/// A likely duplicate of a customer, and why it looks like one.
#[derive(Debug, Serialize)]
pub struct Duplicate {
    pub customer: Customer,
    /// What they share: `phone`, `email`, `address`.
    pub reasons: Vec<&'static str>,
}

/// The customers that look like duplicates of customer `id`.
pub async fn duplicates(
    svc: &Services,
    ctx: &AuthContext,
    id: &str,
) -> Result<Vec<Duplicate>, FlowError> {
    let c = get(svc, ctx, id).await?;
    Ok(svc
        .store
        .duplicates(&ctx.tenant_id, &c)
        .await?
        .into_iter()
        .map(|(customer, reasons)| Duplicate { customer, reasons })
        .collect())
}

/// Creates a customer (422 naming the field when the input breaks a rule).
pub async fn create(
    svc: &Services,
    ctx: &AuthContext,
    input: CustomerInput,
) -> Result<Customer, FlowError> {
    let c = input
        .validate()
        .map_err(|e| FlowError::Invalid(e.to_string()))?;
    svc.store
        .create_customer(&ctx.tenant_id, &c, &actor(ctx), svc.clock.now())
        .await?
        .map_err(refused)
}

/// Applies a patch to customer `id`.
pub async fn update(
    svc: &Services,
    ctx: &AuthContext,
    id: &str,
    patch: CustomerPatch,
) -> Result<Customer, FlowError> {
    let cur = get(svc, ctx, id).await?;
    let next = patch
        .apply(&cur.fields())
        .map_err(|e| FlowError::Invalid(e.to_string()))?;
    svc.store
        .update_customer(&ctx.tenant_id, &cur, &next, &actor(ctx), svc.clock.now())
        .await?
        .map_err(refused)
}

/// What a merge did.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Merged {
    /// The kept customer, after the merge.
    pub customer: Option<Customer>,
    /// How many timeline items moved to it.
    pub moved: usize,
    /// The duplicate's id, now gone.
    pub removed: String,
}

/// Folds the duplicate named in `body` into customer `id`.
pub async fn merge(
    svc: &Services,
    ctx: &AuthContext,
    id: &str,
    body: MergeRequest,
) -> Result<Merged, FlowError> {
    if body.duplicate_id == id {
        return Err(FlowError::Invalid(
            "duplicate_id: a customer cannot be merged into itself".into(),
        ));
    }
    let t = &ctx.tenant_id;
    let (Some(keep), Some(dup)) = (
        svc.store.customer(t, id).await?,
        svc.store.customer(t, &body.duplicate_id).await?,
    ) else {
        return Err(FlowError::NotFound("customer"));
    };
    let moved = svc
        .store
        .merge_customers(t, &keep, &dup, &actor(ctx), svc.clock.now())
        .await?;
    Ok(Merged {
        customer: svc.store.customer(t, id).await?,
        moved,
        removed: dup.id,
    })
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Imported {
    pub dry_run: bool,
    /// Data rows read.
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Rows not imported, each in `errors`.
    pub skipped: usize,
    pub errors: Vec<RowError>,
}

/// Imports customers from CSV: rows with a phone already held update that customer.
pub async fn import(
    svc: &Services,
    ctx: &AuthContext,
    body: ImportRequest,
) -> Result<Imported, FlowError> {
    let parsed =
        crate::crm::input::parse_import(&body).map_err(|e| FlowError::Invalid(e.to_string()))?;
    let rows: Vec<_> = parsed.rows.iter().map(|(_, c)| c.clone()).collect();
    let counts = svc
        .store
        .import_customers(
            &ctx.tenant_id,
            &rows,
            body.dry_run,
            &actor(ctx),
            svc.clock.now(),
        )
        .await?;
    Ok(Imported {
        dry_run: body.dry_run,
        rows: rows.len() + parsed.errors.len(),
        created: counts.created,
        updated: counts.updated,
        unchanged: counts.unchanged,
        skipped: parsed.errors.len(),
        errors: parsed.errors,
    })
}
