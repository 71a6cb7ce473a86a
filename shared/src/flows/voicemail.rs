//! Voicemail: Twilio's recording and transcription callbacks stored on the call, the
//! audio played to a signed-in office through our own route (the browser never holds
//! Twilio credentials), and the recording deleted at Twilio when the call ages out.

use super::conversation::tenant_for;
use super::FlowError;
use crate::phone::E164;
use crate::Services;

/// A recording or transcription callback (Twilio "Recording status callback",
/// "transcribeCallback" parameters), for a call to the shop's number `to`.
#[derive(Debug, Clone)]
pub struct RecordingIn<'a> {
    pub to: &'a E164,
    pub call_sid: &'a str,
    pub recording_sid: &'a str,
    /// `RecordingUrl`.
    pub recording_url: Option<&'a str>,
    /// `RecordingDuration`, seconds.
    pub duration_s: Option<i64>,
    /// `TranscriptionText`, on the transcription callback.
    pub transcription: Option<&'a str>,
}

/// Why a callback was not stored (Twilio retries a 5xx).
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    #[error("number is not routed")]
    NotRouted,
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Stores what the callback brought: the recording, or its transcription.
pub async fn recorded(svc: &Services, r: &RecordingIn<'_>) -> Result<(), RecordingError> {
    let tenant = tenant_for(svc, r.to)
        .await?
        .ok_or(RecordingError::NotRouted)?;
    match (r.transcription, r.recording_url) {
        (Some(text), _) => {
            svc.store
                .put_transcription(&tenant.id, r.call_sid, r.recording_sid, text)
                .await?
        }
        (None, url) => {
            svc.store
                .put_recording(
                    &tenant.id,
                    r.call_sid,
                    r.recording_sid,
                    url.unwrap_or_default(),
                    r.duration_s,
                    svc.clock.now(),
                )
                .await?
        }
    }
    tracing::info!(call_sid = %r.call_sid, tenant = %tenant.id, "voicemail stored");
    Ok(())
}

/// The voicemail's audio (WAV) for a signed-in member of the tenant; 404 when the call
/// left none, 503 when Twilio cannot be reached.
pub async fn audio(svc: &Services, tenant_id: &str, call_sid: &str) -> Result<Vec<u8>, FlowError> {
    let vm = svc
        .store
        .voicemail(tenant_id, call_sid)
        .await?
        .ok_or(FlowError::NotFound("voicemail"))?;
    let creds = svc
        .twilio_credentials()
        .await
        .map_err(|e| FlowError::Unavailable(format!("recording unavailable: {e}")))?;
    svc.twilio
        .fetch_recording(&creds, &vm.recording_sid)
        .await
        .map_err(|e| match e {
            crate::twilio::TwilioError::Permanent { status: 404, .. } => {
                FlowError::NotFound("recording")
            }
            e => FlowError::Unavailable(format!("recording unavailable: {e}")),
        })
}

/// Deletes a call's voicemail at Twilio, then forgets it (retention). Nothing to do when
/// the call left none.
pub async fn purge(svc: &Services, tenant_id: &str, call_sid: &str) -> Result<bool, FlowError> {
    let Some(vm) = svc.store.voicemail(tenant_id, call_sid).await? else {
        return Ok(false);
    };
    let creds = svc
        .twilio_credentials()
        .await
        .map_err(|e| FlowError::Unavailable(e.to_string()))?;
    svc.twilio
        .delete_recording(&creds, &vm.recording_sid)
        .await
        .map_err(|e| FlowError::Unavailable(e.to_string()))?;
    svc.store.delete_voicemail(tenant_id, call_sid).await?;
    Ok(true)
}
