//! Chat session tokens: HS256 JWTs (RFC 7519) signed with the API's signing key from
//! Secrets Manager, under their own issuer (`frontline-chat`) and audience (`chat`), so a
//! chat token is never taken for a dashboard token nor the reverse. A token names the
//! session, its tenant, the widget key and the page origin it was opened from; it lives
//! [`IDLE_S`] and every answer carries a fresh one, so a chat expires after that long idle.

use crate::flows::accounts::tokens::{signing_keys, SigningKeys};
use crate::Services;
use jsonwebtoken::{decode, encode, Algorithm, Validation};
use serde::{Deserialize, Serialize};

/// Seconds a chat may sit idle before its token expires (the widget then starts afresh).
pub const IDLE_S: i64 = 30 * 60;

const ISSUER: &str = "frontline-chat";
const AUDIENCE: &str = "chat";

/// A chat session token's claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatClaims {
    /// The session id (`cs_…`).
    pub sub: String,
    pub tenant: String,
    /// The widget key the session was opened with.
    pub key: String,
    /// The page origin it was opened from; every later request must come from it.
    pub origin: String,
    /// The visitor's phone number (E.164).
    pub phone: String,
    /// Expiry and issue time, seconds since the epoch.
    pub exp: i64,
    pub iat: i64,
    pub iss: String,
    pub aud: String,
}

/// Why no token was issued or accepted.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the signing key is unavailable")]
    KeyUnavailable,
    #[error("the token is missing, invalid or expired")]
    Invalid,
}

async fn keys(svc: &Services) -> Result<SigningKeys, TokenError> {
    signing_keys(svc).await.ok_or(TokenError::KeyUnavailable)
}

/// Signs `claims` afresh: `iat` now, `exp` [`IDLE_S`] later (the services' clock).
pub async fn issue(svc: &Services, mut claims: ChatClaims) -> Result<String, TokenError> {
    let now = svc.clock.now().timestamp();
    claims.iat = now;
    claims.exp = now + IDLE_S;
    claims.iss = ISSUER.into();
    claims.aud = AUDIENCE.into();
    let (header, key) = keys(svc).await?.signer();
    encode(&header, &claims, &key).map_err(|_| TokenError::KeyUnavailable)
}

/// The claims of a valid, unexpired chat token (HS256 only; expiry read against the
/// services' clock, with no leeway).
pub async fn verify(svc: &Services, token: &str) -> Result<ChatClaims, TokenError> {
    let key = keys(svc)
        .await?
        .verifier(token)
        .ok_or(TokenError::Invalid)?;
    let mut v = Validation::new(Algorithm::HS256);
    v.set_issuer(&[ISSUER]);
    v.set_audience(&[AUDIENCE]);
    v.validate_exp = false;
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    let data = decode::<ChatClaims>(token, &key, &v).map_err(|_| TokenError::Invalid)?;
    if data.claims.exp <= svc.clock.now().timestamp() {
        return Err(TokenError::Invalid);
    }
    Ok(data.claims)
}
