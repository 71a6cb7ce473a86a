//! Write helpers shared by the store modules: transaction puts and conditional updates.

use super::attrs::Item;
use super::StoreError;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::{
    TransactWriteItemsError, TransactWriteItemsOutput,
};
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};

/// A `Put` for a TransactWriteItems, with an optional condition expression.
pub(crate) fn put(table: &str, it: Item, cond: Option<&str>) -> TransactWriteItem {
    TransactWriteItem::builder()
        .put(
            Put::builder()
                .table_name(table)
                .set_item(Some(it))
                .set_condition_expression(cond.map(String::from))
                .build()
                .expect("put"),
        )
        .build()
}

/// A `Put` whose condition compares against `values` (`":me" → customer id`).
pub(crate) fn put_when(
    table: &str,
    it: Item,
    cond: &str,
    values: &[(&str, &str)],
) -> TransactWriteItem {
    TransactWriteItem::builder()
        .put(
            Put::builder()
                .table_name(table)
                .set_item(Some(it))
                .condition_expression(cond)
                .set_expression_attribute_values(Some(
                    values
                        .iter()
                        .map(|(k, v)| (k.to_string(), super::attrs::s(*v)))
                        .collect(),
                ))
                .build()
                .expect("put"),
        )
        .build()
}

/// A conditional write's result (PutItem, UpdateItem, DeleteItem): `true` when applied,
/// `false` when its condition did not hold; any other failure is a store error.
pub(crate) fn applied<O, E, R>(res: Result<O, SdkError<E, R>>) -> Result<bool, StoreError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match res {
        Ok(_) => Ok(true),
        Err(e)
            if e.as_service_error().and_then(|s| s.code())
                == Some("ConditionalCheckFailedException") =>
        {
            Ok(false)
        }
        Err(e) => Err(StoreError::sdk(e)),
    }
}

/// A TransactWriteItems result: `Ok(None)` when applied, `Ok(Some(indexes))` when it was
/// cancelled because the conditions of those items (in request order) did not hold; any
/// other failure is a store error.
pub(crate) fn transaction_outcome<R: std::fmt::Debug>(
    res: Result<TransactWriteItemsOutput, SdkError<TransactWriteItemsError, R>>,
) -> Result<Option<Vec<usize>>, StoreError> {
    match res {
        Ok(_) => Ok(None),
        Err(e) => match e.as_service_error() {
            Some(TransactWriteItemsError::TransactionCanceledException(c)) => {
                let failed: Vec<usize> = c
                    .cancellation_reasons()
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.code() == Some("ConditionalCheckFailed"))
                    .map(|(i, _)| i)
                    .collect();
                if failed.is_empty() {
                    Err(StoreError::sdk(e))
                } else {
                    Ok(Some(failed))
                }
            }
            _ => Err(StoreError::sdk(e)),
        },
    }
}
