//! Voicemails: one item per call, written by the recording callback and completed by the
//! transcription callback (either may come first; both are idempotent).

use super::attrs::*;
use super::{keys, Store, StoreError};
use crate::crm::Voicemail;
use chrono::{DateTime, Utc};

impl Store {
    /// Stores the recording of `call_sid` (from the recording status callback).
    pub async fn put_recording(
        &self,
        tenant_id: &str,
        call_sid: &str,
        recording_sid: &str,
        recording_url: &str,
        duration_s: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut req = self
            .ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::voicemail(tenant_id, call_sid))))
            .expression_attribute_values(":e", s("voicemail"))
            .expression_attribute_values(":r", s(recording_sid))
            .expression_attribute_values(":u", s(recording_url))
            .expression_attribute_values(":at", s(ts(now)));
        let mut set = "SET entity = :e, recording_sid = :r, recording_url = :u, recorded_at = if_not_exists(recorded_at, :at)".to_string();
        if let Some(d) = duration_s {
            set.push_str(", duration_s = :d");
            req = req.expression_attribute_values(":d", n(d));
        }
        req.update_expression(set)
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }

    /// Stores the transcription of `call_sid`'s voicemail.
    pub async fn put_transcription(
        &self,
        tenant_id: &str,
        call_sid: &str,
        recording_sid: &str,
        text: &str,
    ) -> Result<(), StoreError> {
        self.ddb
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::voicemail(tenant_id, call_sid))))
            .update_expression("SET entity = :e, recording_sid = :r, transcription = :t")
            .expression_attribute_values(":e", s("voicemail"))
            .expression_attribute_values(":r", s(recording_sid))
            .expression_attribute_values(":t", s(text))
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }

    /// The voicemail of `call_sid`, if one was left.
    pub async fn voicemail(
        &self,
        tenant_id: &str,
        call_sid: &str,
    ) -> Result<Option<Voicemail>, StoreError> {
        let Some(it) = self
            .get_item(&keys::voicemail(tenant_id, call_sid), false)
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(Voicemail {
            recording_sid: req_s(&it, "recording_sid")?.into(),
            recording_url: get_s(&it, "recording_url").map(String::from),
            duration_s: get_n(&it, "duration_s"),
            transcription: get_s(&it, "transcription").map(String::from),
            recorded_at: get_s(&it, "recorded_at").map(String::from),
            audio: format!("/v1/crm/calls/{call_sid}/recording"),
        }))
    }

    /// The CallSids of the tenant's voicemails (kept no longer than call retention).
    pub async fn voicemail_calls(
        &self,
        tenant_id: &str,
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        Ok(self
            .query_all(&keys::tenant_pk(tenant_id), keys::VOICEMAIL_PREFIX)
            .await?
            .iter()
            .filter_map(|it| {
                get_s(it, "SK")?
                    .strip_prefix(keys::VOICEMAIL_PREFIX)
                    .map(String::from)
            })
            .collect())
    }

    /// Forgets a voicemail (after its recording was deleted at Twilio).
    pub async fn delete_voicemail(
        &self,
        tenant_id: &str,
        call_sid: &str,
    ) -> Result<(), StoreError> {
        self.ddb
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_map(&keys::voicemail(tenant_id, call_sid))))
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }
}
