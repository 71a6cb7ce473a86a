//! Sign-in, token refresh, logout and password reset (`api-auth`).
//!
//! - Passwords are argon2id hashes (PHC strings); a password is 10–256 characters.
//! - Five consecutive failed sign-ins lock a login for 15 minutes (429 with
//!   `Retry-After`); the response never says whether an email exists.
//! - The access token is a short-lived HS256 JWT ([`super::auth`]). The refresh token is
//!   an opaque random value stored only as its SHA-256, valid 30 days and single use:
//!   each refresh returns a new one in the same family, and presenting a spent one revokes
//!   the whole family (a stolen token is then useless to both parties). Logout revokes the
//!   family; a password change kills every refresh token issued before it.
//! - A reset token is random, single use, valid 30 minutes, and reaches the user through
//!   the notification pipeline (outbox → `fanout` → `notify` → email).

use super::{auth, json, problem};
use crate::notify::{Audience, OutboundMessage, OutboxEvent};
use crate::store::{Login, RefreshRow};
use crate::tenancy::AuthContext;
use crate::Services;
use aes_gcm::aead::rand_core::RngCore;
use aes_gcm::aead::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use chrono::{DateTime, Duration, Utc};
use lambda_http::{Body, Response};
use sha2::{Digest, Sha256};

/// Consecutive failures that lock a login.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long a lock lasts, minutes.
pub const LOCK_MINUTES: i64 = 15;
/// Refresh token lifetime, days.
pub const REFRESH_TTL_DAYS: i64 = 30;
/// Password reset token lifetime, minutes.
pub const RESET_TTL_MINUTES: i64 = 30;

/// An argon2id PHC hash of `password` with a random salt.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters hashes any input")
        .to_string()
}

/// Whether `password` matches the PHC hash.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// The password rule: 10 to 256 characters.
pub fn password_problem(password: &str) -> Option<String> {
    let n = password.chars().count();
    (!(10..=256).contains(&n)).then(|| "password: must be 10 to 256 characters long".to_string())
}

/// A new random secret `{prefix}{43 base64url chars}` and its SHA-256 hex.
pub fn new_secret(prefix: &str) -> (String, String) {
    let mut raw = [0u8; 32];
    OsRng.fill_bytes(&mut raw);
    let value = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(raw));
    let hash = sha256_hex(&value);
    (value, hash)
}

/// Lower-case hex SHA-256 of `v`.
pub fn sha256_hex(v: &str) -> String {
    Sha256::digest(v.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn unavailable(e: impl std::fmt::Display) -> Response<Body> {
    tracing::error!(error = %e, "account store unavailable");
    problem(503, "Service Unavailable", "try again shortly")
}

fn bad_credentials() -> Response<Body> {
    problem(401, "Unauthorized", "email or password is incorrect")
}

/// Issues an access token and a refresh token of `family` for `login`.
async fn tokens(
    svc: &Services,
    login: &Login,
    family: &str,
    now: DateTime<Utc>,
) -> Result<Response<Body>, Response<Body>> {
    let ctx = AuthContext {
        tenant_id: login.tenant_id.clone(),
        user: login.email.clone(),
        role: login.role,
    };
    let (access, ttl) = auth::issue(svc, &ctx).await?;
    let (refresh, hash) = new_secret("rt_");
    let row = RefreshRow {
        email: login.email.clone(),
        family: family.to_string(),
        issued_at: now,
        expires_at: now + Duration::days(REFRESH_TTL_DAYS),
        used_at: None,
    };
    svc.store
        .put_refresh(&hash, &row)
        .await
        .map_err(unavailable)?;
    Ok(json(
        200,
        &serde_json::json!({
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": ttl,
            "refresh_token": refresh,
            "refresh_expires_in": REFRESH_TTL_DAYS * 86_400,
            "tenant_id": ctx.tenant_id,
            "role": ctx.role,
        }),
    ))
}

/// `POST /v1/auth/login`.
pub async fn login(
    svc: &Services,
    email: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Response<Body> {
    let state = match svc.store.login_state(email).await {
        Ok(s) => s,
        Err(e) => return unavailable(e),
    };
    let Some(state) = state else {
        // Same work as a real check, so timing does not reveal which emails exist.
        let _ = verify_password(DUMMY_HASH, password);
        return bad_credentials();
    };
    if let Some(until) = state.locked_until.filter(|u| *u > now) {
        return locked(until, now);
    }
    if !verify_password(&state.login.password_hash, password) {
        return match svc
            .store
            .record_failed_login(
                email,
                MAX_FAILED_LOGINS,
                Duration::minutes(LOCK_MINUTES),
                now,
            )
            .await
        {
            Ok(Some(until)) => {
                tracing::warn!("login locked after repeated failures");
                locked(until, now)
            }
            Ok(None) => bad_credentials(),
            Err(e) => unavailable(e),
        };
    }
    if state.failed_attempts > 0 || state.locked_until.is_some() {
        if let Err(e) = svc.store.clear_failed_logins(email).await {
            return unavailable(e);
        }
    }
    let family = uuid::Uuid::new_v4().simple().to_string();
    tokens(svc, &state.login, &family, now)
        .await
        .unwrap_or_else(|r| r)
}

/// A valid argon2id hash of a random string: verified against when the email is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2kqKc1xW3xG1hJkS8o9x0c5fJbqvQ1fz3Xn0k0bqv0M";

fn locked(until: DateTime<Utc>, now: DateTime<Utc>) -> Response<Body> {
    let secs = (until - now).num_seconds().max(1);
    let mut r = problem(
        429,
        "Too Many Requests",
        format!(
            "too many failed sign-ins; try again in {} minutes or reset the password",
            (secs + 59) / 60
        ),
    );
    r.headers_mut()
        .insert("retry-after", secs.to_string().parse().expect("digits"));
    r
}

/// `POST /v1/auth/refresh`.
pub async fn refresh(svc: &Services, token: &str, now: DateTime<Utc>) -> Response<Body> {
    let expired = || problem(401, "Unauthorized", "refresh token is invalid or expired");
    let hash = sha256_hex(token);
    let row = match svc.store.refresh(&hash).await {
        Ok(Some(r)) if r.expires_at > now => r,
        Ok(_) => return expired(),
        Err(e) => return unavailable(e),
    };
    match svc.store.family_revoked(&row.family).await {
        Ok(true) => return expired(),
        Ok(false) => {}
        Err(e) => return unavailable(e),
    }
    match svc.store.spend_refresh(&hash, now).await {
        Ok(true) => {}
        Ok(false) => {
            // A spent token came back: someone else may hold the family. End it.
            tracing::warn!("refresh token reuse; family revoked");
            if let Err(e) = svc.store.revoke_family(&row.family, "reuse", now).await {
                return unavailable(e);
            }
            return problem(
                401,
                "Unauthorized",
                "refresh token was already used; sign in again",
            );
        }
        Err(e) => return unavailable(e),
    }
    let state = match svc.store.login_state(&row.email).await {
        Ok(Some(s)) => s,
        Ok(None) => return expired(),
        Err(e) => return unavailable(e),
    };
    if state.tokens_after.is_some_and(|t| row.issued_at < t) {
        return expired();
    }
    tokens(svc, &state.login, &row.family, now)
        .await
        .unwrap_or_else(|r| r)
}

/// `POST /v1/auth/logout`: 204 whether or not the token was known.
pub async fn logout(svc: &Services, token: &str, now: DateTime<Utc>) -> Response<Body> {
    match svc.store.refresh(&sha256_hex(token)).await {
        Ok(Some(row)) => {
            if let Err(e) = svc.store.revoke_family(&row.family, "logout", now).await {
                return unavailable(e);
            }
        }
        Ok(None) => {}
        Err(e) => return unavailable(e),
    }
    no_content()
}

pub fn no_content() -> Response<Body> {
    Response::builder()
        .status(204)
        .body(Body::Empty)
        .expect("static response parts")
}

/// `POST /v1/auth/password-reset`: 202 always (no account discovery); a known login gets
/// an email with a one-time token.
pub async fn request_reset(svc: &Services, email: &str, now: DateTime<Utc>) -> Response<Body> {
    let accepted = || {
        json(
            202,
            &serde_json::json!({"detail": "if the account exists, a reset link is on its way"}),
        )
    };
    let state = match svc.store.login_state(email).await {
        Ok(Some(s)) => s,
        Ok(None) => return accepted(),
        Err(e) => return unavailable(e),
    };
    let (token, hash) = new_secret("pr_");
    let expires = now + Duration::minutes(RESET_TTL_MINUTES);
    let link = svc
        .config
        .dashboard_url
        .as_deref()
        .map(|d| format!("{}/#/reset?token={token}", d.trim_end_matches('/')))
        .unwrap_or_else(|| format!("reset token: {token}"));
    let event = OutboxEvent {
        id: format!("pwreset-{}", &hash[..16]),
        tenant_id: state.login.tenant_id.clone(),
        kind: "password_reset".into(),
        created_at: now,
        messages: vec![OutboundMessage {
            channel: "email".into(),
            audience: Audience::Owner,
            to: state.login.email.clone(),
            from: svc.config.alert_email_from.clone().unwrap_or_default(),
            body: format!(
                "Reset your Frontline password\nSomeone (hopefully you) asked to reset the password for {}.\n\n{link}\n\nThe link works once, for {RESET_TTL_MINUTES} minutes. If you did not ask, ignore this email.",
                state.login.email
            ),
        }],
        appointment: None,
    };
    match svc
        .store
        .put_password_reset(&hash, &state.login.email, expires, &event)
        .await
    {
        Ok(()) => accepted(),
        Err(e) => unavailable(e),
    }
}

/// `POST /v1/auth/password-reset/confirm`: 204, or 400 for an unknown, spent or expired
/// token, 422 for a password that breaks the rule.
pub async fn confirm_reset(
    svc: &Services,
    token: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Response<Body> {
    if let Some(p) = password_problem(password) {
        return problem(422, "Unprocessable Entity", p);
    }
    let email = match svc.store.take_password_reset(&sha256_hex(token), now).await {
        Ok(Some(e)) => e,
        Ok(None) => {
            return problem(
                400,
                "Bad Request",
                "token: reset token is invalid, used or expired",
            )
        }
        Err(e) => return unavailable(e),
    };
    match svc
        .store
        .set_password(&email, &hash_password(password), now)
        .await
    {
        Ok(_) => no_content(),
        Err(e) => unavailable(e),
    }
}

/// `POST /v1/auth/login` body.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// `POST /v1/auth/refresh` and `/v1/auth/logout` body.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The `refresh_token` of the last sign-in or refresh.
    pub refresh_token: String,
}

/// `POST /v1/auth/password-reset` body.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
}

/// `POST /v1/auth/password-reset/confirm` body.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirm {
    /// The token from the reset email.
    pub token: String,
    /// The new password, 10 to 256 characters.
    pub password: String,
}

/// `POST /v1/auth/users` body: a new owner or staff login in the caller's tenant.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    /// 10 to 256 characters.
    pub password: String,
    /// `owner` or `staff`.
    pub role: crate::tenancy::Role,
}

/// A plausible email address: one `@`, a dot in the domain, no spaces, at most 254 bytes.
pub fn email_problem(email: &str) -> Option<String> {
    let e = email.trim();
    let ok = e.len() <= 254
        && !e.contains(char::is_whitespace)
        && e.split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'));
    (!ok).then(|| "email: not a valid email address".to_string())
}
