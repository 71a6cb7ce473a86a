//! The single DynamoDB table: the only module that knows key shapes ([`keys`]) and item
//! layouts. Conditional writes keep it correct under replays and races: calls advance
//! only from the `seq` they were read at, slot locks exist at most once, and every
//! notification starts as an outbox item written in the same transaction as its change.

mod accounts;
mod attrs;
mod calls;
mod counter;
mod crm;
mod customers;
mod integrations;
pub mod keys;
mod lifecycle;
mod limits;
mod notifications;
mod office;
mod office_jobs;
mod owner_line;
mod platform;
mod sms;
mod stream;
mod table;
mod tenants;
mod voicemail;
mod widgets;
mod write;
pub use accounts::{CredentialRow, LoginState, RefreshRow, UserRow};
pub use tenants::{AuditRow, Login};

pub use calls::{customer_id_for, short_id, CallVersion, CommitError, StoredCall, TurnWrite};
pub use counter::RequestCounter;
pub use crm::Page;
pub use customers::{offset_cursor, page_of, parse_offset, CustomerConflict, ImportCounts};
pub use integrations::{
    Integration, IntegrationStatus, IntegrationView, OAuthState, SyncReport, GOOGLE_SOURCE,
};
pub use keys::LimitScope;
pub use lifecycle::WinbackCandidate;
pub use limits::Rate;
pub use notifications::{ClaimOutcome, NotificationRef, NotificationRow, SendResult, StatusChange};
pub use office::{AppointmentRefusal, MoveRefusal};
pub use office_jobs::{BookRefusal, OfficeBooking};
pub use owner_line::{LineMember, PinGate, StoredLineSession};
pub use sms::{Direction, SmsTurn};
pub use stream::inserted_outbox_event;
pub use table::{create_table, table_definition};

use aws_sdk_dynamodb::error::DisplayErrorContext;

/// Store failures. `Unavailable` is worth a graceful fallback on the call path.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("DynamoDB unavailable: {0}")]
    Unavailable(String),
    #[error("conditional check failed")]
    Conflict,
    #[error("stored item is malformed: {0}")]
    Corrupt(String),
    #[error("invalid request: {0}")]
    Invalid(String),
}

impl StoreError {
    pub(crate) fn sdk<E: std::error::Error + 'static, R: std::fmt::Debug>(
        e: aws_sdk_dynamodb::error::SdkError<E, R>,
    ) -> Self {
        StoreError::Unavailable(DisplayErrorContext(e).to_string())
    }
}

/// Items per Query page when reading a whole range.
pub(crate) const QUERY_PAGE: i32 = 500;

/// A handle on the table; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pub(crate) ddb: aws_sdk_dynamodb::Client,
    pub(crate) table: String,
}

impl Store {
    pub fn new(ddb: aws_sdk_dynamodb::Client, table: &str) -> Self {
        Self {
            ddb,
            table: table.to_string(),
        }
    }

    pub fn table_name(&self) -> &str {
        &self.table
    }

    pub fn client(&self) -> &aws_sdk_dynamodb::Client {
        &self.ddb
    }

    /// One GetItem of a key no item has (`PK = SK = "PREWARM"`): opens the connection
    /// and signs a request, as a function's init does before its first caller.
    pub async fn touch(&self) -> Result<(), StoreError> {
        self.ddb
            .get_item()
            .table_name(&self.table)
            .key(
                "PK",
                aws_sdk_dynamodb::types::AttributeValue::S("PREWARM".into()),
            )
            .key(
                "SK",
                aws_sdk_dynamodb::types::AttributeValue::S("PREWARM".into()),
            )
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }

    /// One TransactWriteItems: `Ok(None)` when applied, `Ok(Some(indexes))` when the
    /// conditions of those items (in request order) cancelled it.
    pub(crate) async fn transact(
        &self,
        items: Vec<aws_sdk_dynamodb::types::TransactWriteItem>,
    ) -> Result<Option<Vec<usize>>, StoreError> {
        let res = self
            .ddb
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await;
        write::transaction_outcome(res)
    }

    /// [`Self::transact`] where a failed condition is a [`StoreError::Conflict`].
    pub(crate) async fn transact_all(
        &self,
        items: Vec<aws_sdk_dynamodb::types::TransactWriteItem>,
    ) -> Result<(), StoreError> {
        match self.transact(items).await? {
            None => Ok(()),
            Some(_) => Err(StoreError::Conflict),
        }
    }

    /// One unconditional PutItem.
    pub(crate) async fn put_plain(&self, it: attrs::Item) -> Result<(), StoreError> {
        self.ddb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(it))
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }

    /// One GetItem by key; `consistent` asks for a strongly consistent read.
    pub(crate) async fn get_item(
        &self,
        key: &keys::Key,
        consistent: bool,
    ) -> Result<Option<attrs::Item>, StoreError> {
        let out = self
            .ddb
            .get_item()
            .table_name(&self.table)
            .set_key(Some(attrs::key_map(key)))
            .consistent_read(consistent)
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(out.item)
    }

    /// One Query page of a tenant's partition: items whose sort key starts with `prefix`,
    /// at most `limit`, newest (highest sort key) first when `newest_first`.
    pub(crate) async fn query_prefix(
        &self,
        tenant_id: &str,
        prefix: &str,
        limit: Option<i32>,
        newest_first: bool,
    ) -> Result<Vec<attrs::Item>, StoreError> {
        let out = self
            .ddb
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :p)")
            .expression_attribute_values(":pk", attrs::s(keys::tenant_pk(tenant_id)))
            .expression_attribute_values(":p", attrs::s(prefix))
            .scan_index_forward(!newest_first)
            .set_limit(limit)
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(out.items.unwrap_or_default())
    }

    /// Every item a Query returns, all pages.
    pub(crate) async fn query_pages(
        &self,
        q: aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder,
    ) -> Result<Vec<attrs::Item>, StoreError> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let res = q
                .clone()
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(StoreError::sdk)?;
            out.extend(res.items().iter().cloned());
            match res.last_evaluated_key() {
                Some(k) => start = Some(k.clone()),
                None => return Ok(out),
            }
        }
    }

    /// Every item of partition `pk` whose sort key starts with `prefix`, all pages.
    pub(crate) async fn query_all(
        &self,
        pk: &str,
        prefix: &str,
    ) -> Result<Vec<attrs::Item>, StoreError> {
        let q = self
            .ddb
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :p)")
            .expression_attribute_values(":pk", attrs::s(pk))
            .expression_attribute_values(":p", attrs::s(prefix))
            // Small pages keep each request well inside the per-call timeout.
            .limit(QUERY_PAGE);
        self.query_pages(q).await
    }
}
pub use attrs::parse_ts as parse_time;
