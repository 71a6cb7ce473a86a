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

#[derive(Deserialize)]
struct JwtSecret {
    signing_key: String,
}

/// The HS256 signing key (Secrets Manager `JWT_SECRET_ID`, `{"signing_key": …}`), shared
/// by dashboard tokens and the website chat's session tokens; `None`, logged, when the
/// secret cannot be read.
pub(crate) async fn signing_key(svc: &Services) -> Option<String> {
    svc.secrets
        .get_json::<JwtSecret>(&svc.config.jwt_secret_id)
        .await
        .map(|k| k.signing_key)
        .map_err(|e| tracing::error!(error = %e, "jwt key unavailable"))
        .ok()
}

async fn key(svc: &Services) -> Result<String, AccountError> {
    signing_key(svc).await.ok_or(AccountError::KeyUnavailable)
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
    let k = key(svc).await?;
    let token = encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(k.as_bytes()),
    )
    .map_err(|_| AccountError::Signing)?;
    Ok((token, ttl))
}

/// The caller a bearer value names: an HS256 JWT (only HS256: `alg: none` and other
/// algorithms fail validation; expiry read against the services' clock) or an API
/// credential (looked up by its SHA-256; a rotated key works until its overlap ends).
pub async fn verify(svc: &Services, bearer: &str) -> Result<AuthContext, AccountError> {
    if bearer.starts_with(API_KEY_PREFIX) {
        return api_key(svc, bearer).await;
    }
    let k = key(svc).await?;
    let mut v = Validation::new(Algorithm::HS256);
    v.set_issuer(&[ISSUER]);
    // Expiry is checked below against the services' clock (jsonwebtoken's own check
    // reads the system time, which the local runner's clock may not be).
    v.validate_exp = false;
    v.set_required_spec_claims(&["exp", "iss"]);
    let data = decode::<Claims>(bearer, &DecodingKey::from_secret(k.as_bytes()), &v)
        .map_err(|_| AccountError::TokenInvalid)?;
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
