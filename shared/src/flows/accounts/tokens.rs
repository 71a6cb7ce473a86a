//! Bearer credentials: HS256 JWTs signed with a key from Secrets Manager (claims carry
//! the tenant and role, so the tenant of every API request comes from a verified token
//! only), and integrator API keys (`fk_…`, kept as their SHA-256).

use super::AccountError;
use crate::ids::TenantId;
use crate::tenancy::credentials::sha256_hex;
use crate::tenancy::{AuthContext, Role};
use crate::Services;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// An access token's claims (RFC 7519).
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The login (email).
    pub sub: String,
    pub tenant: String,
    pub role: Role,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    pub iat: i64,
    pub iss: String,
}

const ISSUER: &str = "frontline";

/// Seconds a token is still accepted after its `exp` (jsonwebtoken's default leeway).
const EXP_LEEWAY_S: i64 = 60;

/// Prefix of API credential values (integrator keys); anything else is a JWT.
pub const API_KEY_PREFIX: &str = "fk_";

/// The API's HS256 signing keys (Secrets Manager `JWT_SECRET_ID`: `{"signing_key": …,
/// "previous_key": …}`), shared by dashboard tokens and the website chat's session
/// tokens. Tokens are signed with `signing_key` and name it in the JWT header's `kid`
/// (RFC 7515 §4.1.4: the first 8 hex digits of its SHA-256, which reveal nothing of it).
/// A rotation moves the old key to `previous_key`: tokens it signed are still accepted
/// until they expire, so rotating signs nobody out; a later change drops it.
#[derive(Deserialize)]
pub(crate) struct SigningKeys {
    signing_key: String,
    #[serde(default)]
    previous_key: Option<String>,
}

impl SigningKeys {
    fn kid(key: &str) -> String {
        sha256_hex(key)[..8].to_string()
    }

    /// The header and key a new token is signed with.
    pub(crate) fn signer(&self) -> (Header, EncodingKey) {
        let mut h = Header::new(Algorithm::HS256);
        h.kid = Some(Self::kid(&self.signing_key));
        (h, EncodingKey::from_secret(self.signing_key.as_bytes()))
    }

    /// The key `token` names: the current one (also for a token from before `kid`s), or
    /// the previous one during a rotation; `None` for any other `kid`.
    pub(crate) fn verifier(&self, token: &str) -> Option<DecodingKey> {
        let kid = jsonwebtoken::decode_header(token).ok()?.kid;
        let key = match kid {
            None => &self.signing_key,
            Some(k) if k == Self::kid(&self.signing_key) => &self.signing_key,
            Some(k) => self.previous_key.as_ref().filter(|p| Self::kid(p) == k)?,
        };
        Some(DecodingKey::from_secret(key.as_bytes()))
    }
}

/// The signing keys; `None`, logged, when the secret cannot be read.
pub(crate) async fn signing_keys(svc: &Services) -> Option<SigningKeys> {
    svc.secrets
        .get_json::<SigningKeys>(&svc.config.jwt_secret_id)
        .await
        .map_err(|e| tracing::error!(error = %e, "jwt key unavailable"))
        .ok()
}

async fn keys(svc: &Services) -> Result<SigningKeys, AccountError> {
    signing_keys(svc).await.ok_or(AccountError::KeyUnavailable)
}

/// Issues an access token for `ctx`: the token and its lifetime, seconds
/// (`ACCESS_TOKEN_TTL_S`).
pub async fn issue(svc: &Services, ctx: &AuthContext) -> Result<(String, i64), AccountError> {
    let now = svc.clock.now().timestamp();
    let ttl = svc.config.access_token_ttl_s;
    let claims = Claims {
        sub: ctx.user.clone(),
        tenant: ctx.tenant_id.to_string(),
        role: ctx.role,
        exp: now + ttl,
        iat: now,
        iss: ISSUER.into(),
    };
    let (header, key) = keys(svc).await?.signer();
    let token = encode(&header, &claims, &key).map_err(|_| AccountError::Signing)?;
    Ok((token, ttl))
}

/// The caller a bearer value names: an HS256 JWT (only HS256: `alg: none` and other
/// algorithms fail validation; expiry read against the services' clock) or an API
/// credential (looked up by its SHA-256; a rotated key works until its overlap ends).
pub async fn verify(svc: &Services, bearer: &str) -> Result<AuthContext, AccountError> {
    if bearer.starts_with(API_KEY_PREFIX) {
        return api_key(svc, bearer).await;
    }
    let key = keys(svc)
        .await?
        .verifier(bearer)
        .ok_or(AccountError::TokenInvalid)?;
    let mut v = Validation::new(Algorithm::HS256);
    v.set_issuer(&[ISSUER]);
    // Expiry is checked below against the services' clock (jsonwebtoken's own check
    // reads the system time, which the local runner's clock may not be).
    v.validate_exp = false;
    v.set_required_spec_claims(&["exp", "iss"]);
    let data = decode::<Claims>(bearer, &key, &v).map_err(|_| AccountError::TokenInvalid)?;
    if data.claims.exp + EXP_LEEWAY_S <= svc.clock.now().timestamp() {
        return Err(AccountError::TokenInvalid);
    }
    Ok(AuthContext {
        tenant_id: TenantId::parse(&data.claims.tenant).map_err(|_| AccountError::TokenInvalid)?,
        user: data.claims.sub,
        role: data.claims.role,
    })
}

async fn api_key(svc: &Services, token: &str) -> Result<AuthContext, AccountError> {
    let now = svc.clock.now();
    let hash = sha256_hex(token);
    let cred = svc.store.credential(&hash).await?;
    let live = cred.filter(|c| {
        c.expires_at
            .as_deref()
            .and_then(crate::store::parse_time)
            .is_none_or(|end| end > now)
    });
    let Some(cred) = live else {
        return Err(AccountError::ApiKeyInvalid);
    };
    if let Err(e) = svc.store.touch_credential(&hash, now).await {
        tracing::warn!(error = %e, "could not record credential use");
    }
    Ok(AuthContext {
        tenant_id: TenantId::parse(&cred.tenant_id).map_err(|_| AccountError::ApiKeyInvalid)?,
        user: format!("key:{}", cred.id),
        role: cred.role,
    })
}

#[cfg(test)]
mod rotation_tests {
    use super::*;

    fn keys(current: &str, previous: Option<&str>) -> SigningKeys {
        SigningKeys {
            signing_key: current.into(),
            previous_key: previous.map(String::from),
        }
    }

    fn token(k: &SigningKeys) -> String {
        let (h, key) = k.signer();
        encode(&h, &serde_json::json!({"sub": "x", "exp": 1}), &key).unwrap()
    }

    fn accepts(k: &SigningKeys, t: &str) -> bool {
        let Some(key) = k.verifier(t) else {
            return false;
        };
        let mut v = Validation::new(Algorithm::HS256);
        v.validate_exp = false;
        v.required_spec_claims.clear();
        decode::<serde_json::Value>(t, &key, &v).is_ok()
    }

    #[test]
    fn a_rotation_keeps_old_tokens_until_the_old_key_is_dropped() {
        let old = keys("old-key-0123456789", None);
        let issued_before = token(&old);
        let rotated = keys("new-key-9876543210", Some("old-key-0123456789"));
        assert!(
            accepts(&rotated, &issued_before),
            "signed by the previous key"
        );
        assert!(accepts(&rotated, &token(&rotated)), "signed by the new key");
        assert!(
            !accepts(&old, &token(&rotated)),
            "the old setup knows no new key"
        );
        let done = keys("new-key-9876543210", None);
        assert!(!accepts(&done, &issued_before), "dropped: its tokens end");
        // A token from before `kid`s is checked against the current key only.
        let bare = encode(
            &Header::new(Algorithm::HS256),
            &serde_json::json!({"sub": "x"}),
            &EncodingKey::from_secret(b"old-key-0123456789"),
        )
        .unwrap();
        assert!(accepts(&old, &bare));
        assert!(!accepts(&rotated, &bare));
        // The header names the key without revealing it.
        let kid = jsonwebtoken::decode_header(token(&rotated))
            .unwrap()
            .kid
            .unwrap();
        assert_eq!(kid.len(), 8);
        assert!(!"new-key-9876543210".contains(&kid));
    }
}
