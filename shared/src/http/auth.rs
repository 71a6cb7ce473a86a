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

/// Seconds a token is still accepted after its `exp` (jsonwebtoken's default leeway).
const EXP_LEEWAY_S: i64 = 60;

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
    let now = svc.clock.now().timestamp();
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

/// Prefix of API credential values (integrator keys); anything else is a JWT.
pub const API_KEY_PREFIX: &str = "fk_";

/// The verified caller of an API request, or a 401 problem. A bearer value is either an
/// HS256 JWT (only HS256: `alg: none` and other algorithms fail validation) or an API
/// credential (`fk_…`, looked up by its SHA-256; a rotated key works until its overlap
/// ends).
pub async fn authenticate(req: &Request, svc: &Services) -> Result<AuthContext, Response<Body>> {
    let header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(token) = header.strip_prefix("Bearer ").map(str::trim) else {
        return Err(problem(401, "Unauthorized", "missing bearer token"));
    };
    if token.starts_with(API_KEY_PREFIX) {
        return api_key(svc, token).await;
    }
    let k = key(svc).await?;
    let mut v = Validation::new(Algorithm::HS256);
    v.set_issuer(&[ISSUER]);
    // Expiry is checked below against the services' clock (jsonwebtoken's own check
    // reads the system time, which the local runner's clock may not be).
    v.validate_exp = false;
    v.set_required_spec_claims(&["exp", "iss"]);
    let invalid = || problem(401, "Unauthorized", "invalid or expired token");
    let data = decode::<Claims>(token, &DecodingKey::from_secret(k.as_bytes()), &v)
        .map_err(|_| invalid())?;
    if data.claims.exp + EXP_LEEWAY_S <= svc.clock.now().timestamp() {
        return Err(invalid());
    }
    Ok(AuthContext {
        tenant_id: data.claims.tenant,
        user: data.claims.sub,
        role: data.claims.role,
    })
}

async fn api_key(svc: &Services, token: &str) -> Result<AuthContext, Response<Body>> {
    let now = svc.clock.now();
    let hash = super::account::sha256_hex(token);
    let cred = svc.store.credential(&hash).await.map_err(|e| {
        tracing::error!(error = %e, "credential lookup failed");
        problem(503, "Service Unavailable", "try again shortly")
    })?;
    let live = cred.filter(|c| {
        c.expires_at
            .as_deref()
            .and_then(crate::store::parse_time)
            .is_none_or(|end| end > now)
    });
    let Some(cred) = live else {
        return Err(problem(401, "Unauthorized", "invalid or expired API key"));
    };
    if let Err(e) = svc.store.touch_credential(&hash, now).await {
        tracing::warn!(error = %e, "could not record credential use");
    }
    Ok(AuthContext {
        tenant_id: cred.tenant_id,
        user: format!("key:{}", cred.id),
        role: cred.role,
    })
}

/// Authenticates the caller and checks their role against the route's [`Access`]: 401
/// without a valid credential, 403 when the role may not call this route.
///
/// [`Access`]: super::routes::Access
pub async fn authorize(req: &Request, svc: &Services) -> Result<AuthContext, Response<Body>> {
    let ctx = authenticate(req, svc).await?;
    if !super::routes::permitted(&ctx, req.method().as_str(), req.uri().path()) {
        return Err(problem(
            403,
            "Forbidden",
            format!("a {} may not call this route", role_name(ctx.role)),
        ));
    }
    Ok(ctx)
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Owner => "owner",
        Role::Staff => "staff member",
        Role::Admin => "platform admin",
    }
}
