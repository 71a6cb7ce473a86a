//! Bearer tokens: HS256 JWTs signed with a key from Secrets Manager. Claims carry the
//! tenant and role, so the tenant of every API request comes from a verified token only.

use crate::http::problem;
use crate::tenancy::{AuthContext, Role};
use crate::Services;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use lambda_http::{Body, Request, Response};
use serde::{Deserialize, Serialize};

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

#[derive(Deserialize)]
struct JwtSecret {
    signing_key: String,
}

async fn key(svc: &Services) -> Result<String, Response<Body>> {
    svc.secrets
        .get_json::<JwtSecret>(&svc.config.jwt_secret_id)
        .await
        .map(|k| k.signing_key)
        .map_err(|e| {
            tracing::error!(error = %e, "jwt key unavailable");
            problem(503, "Service Unavailable", "signing key unavailable")
        })
}

/// Issues an access token for `ctx`, valid for `ACCESS_TOKEN_TTL_S`.
pub async fn issue(svc: &Services, ctx: &AuthContext) -> Result<(String, i64), Response<Body>> {
    let now = chrono::Utc::now().timestamp();
    let ttl = svc.config.access_token_ttl_s;
    let claims = Claims {
        sub: ctx.user.clone(),
        tenant: ctx.tenant_id.clone(),
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
    .map_err(|_| problem(500, "Internal Server Error", "could not sign token"))?;
    Ok((token, ttl))
}

/// The verified caller of an API request, or a 401 problem. Only HS256 is accepted
/// (`alg: none` and other algorithms fail validation).
pub async fn authenticate(req: &Request, svc: &Services) -> Result<AuthContext, Response<Body>> {
    let header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(token) = header.strip_prefix("Bearer ").map(str::trim) else {
        return Err(problem(401, "Unauthorized", "missing bearer token"));
    };
    let k = key(svc).await?;
    let mut v = Validation::new(Algorithm::HS256);
    v.set_issuer(&[ISSUER]);
    let data = decode::<Claims>(token, &DecodingKey::from_secret(k.as_bytes()), &v)
        .map_err(|_| problem(401, "Unauthorized", "invalid or expired token"))?;
    Ok(AuthContext {
        tenant_id: data.claims.tenant,
        user: data.claims.sub,
        role: data.claims.role,
    })
}
