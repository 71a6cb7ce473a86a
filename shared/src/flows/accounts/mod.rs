//! Sign-in, token refresh, logout, password reset and a tenant's logins.
//!
//! - Passwords are argon2id hashes (PHC strings); a password is 10–256 characters.
//! - Five consecutive failed sign-ins lock a login for 15 minutes; nothing says whether an
//!   email exists.
//! - The access token is a short-lived HS256 JWT ([`tokens`]). The refresh token is an
//!   opaque random value stored only as its SHA-256, valid 30 days and single use: each
//!   refresh returns a new one in the same family, and presenting a spent one revokes the
//!   whole family (a stolen token is then useless to both parties). Logout revokes the
//!   family; a password change kills every refresh token issued before it, and so does
//!   the owner changing a login's role, disabling it or removing it ([`staff`]).
//! - A reset token is random, single use, valid 30 minutes, and reaches the user through
//!   the notification pipeline (outbox → `fanout` → `notify` → email).

pub mod staff;
pub mod tokens;

use crate::ids::TenantId;
use crate::notify::{Audience, OutboundMessage, OutboxEvent};
use crate::store::{Login, RefreshRow, StoreError, UserRow};
use crate::tenancy::credentials::{new_secret, sha256_hex, verify_password};
use crate::tenancy::{AuthContext, CredentialError, Email, Password, Role};
use crate::Services;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// Consecutive failures that lock a login.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long a lock lasts, minutes.
pub const LOCK_MINUTES: i64 = 15;
/// Refresh token lifetime, days.
pub const REFRESH_TTL_DAYS: i64 = 30;
/// Password reset token lifetime, minutes.
pub const RESET_TTL_MINUTES: i64 = 30;

/// Why an account flow refused. `http::account` renders each (the status is in the doc).
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// 401: unknown email or wrong password (never says which).
    #[error("email or password is incorrect")]
    BadCredentials,
    /// 429 with `Retry-After`: too many failed sign-ins; the lock ends in this many
    /// seconds.
    #[error("too many failed sign-ins")]
    Locked { retry_after_s: i64 },
    /// 401.
    #[error("refresh token is invalid or expired")]
    RefreshInvalid,
    /// 401: a spent refresh token came back; its family is revoked.
    #[error("refresh token was already used; sign in again")]
    RefreshReused,
    /// 400.
    #[error("token: reset token is invalid, used or expired")]
    ResetInvalid,
    /// 401.
    #[error("invalid or expired token")]
    TokenInvalid,
    /// 401.
    #[error("invalid or expired API key")]
    ApiKeyInvalid,
    /// 422 naming the field.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// 409.
    #[error("email: a login with this email already exists")]
    EmailTaken,
    /// 401: the shop's owner disabled this login.
    #[error("this login is disabled; ask the shop's owner")]
    Disabled,
    /// 404: no such login in the caller's tenant.
    #[error("no such login")]
    NoSuchLogin,
    /// 409: the change would leave the shop without an owner who can sign in.
    #[error("{0}")]
    LastOwner(&'static str),
    /// 503: the signing key could not be read.
    #[error("signing key unavailable")]
    KeyUnavailable,
    /// 500.
    #[error("could not sign token")]
    Signing,
    /// 503.
    #[error("account store unavailable")]
    Store(#[from] StoreError),
}

impl AccountError {
    fn locked(until: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        AccountError::Locked {
            retry_after_s: (until - now).num_seconds().max(1),
        }
    }

    fn invalid(field: &'static str, e: CredentialError) -> Self {
        AccountError::Invalid {
            field,
            reason: e.to_string(),
        }
    }
}

/// A signed-in session: what `login` and `refresh` answer (RFC 6749 §5.1 names).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Session {
    pub access_token: String,
    pub token_type: &'static str,
    /// Seconds.
    pub expires_in: i64,
    pub refresh_token: String,
    /// Seconds.
    pub refresh_expires_in: i64,
    pub tenant_id: String,
    pub role: Role,
}

/// Issues an access token and a refresh token of `family` for `login`.
async fn session(
    svc: &Services,
    login: &Login,
    family: &str,
    now: DateTime<Utc>,
) -> Result<Session, AccountError> {
    let ctx = AuthContext {
        tenant_id: TenantId::parse(&login.tenant_id)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        user: login.email.clone(),
        role: login.role,
    };
    let (access, ttl) = tokens::issue(svc, &ctx).await?;
    let (refresh, hash) = new_secret("rt_");
    let row = RefreshRow {
        email: login.email.clone(),
        family: family.to_string(),
        issued_at: now,
        expires_at: now + Duration::days(REFRESH_TTL_DAYS),
        used_at: None,
    };
    svc.store.put_refresh(&hash, &row).await?;
    Ok(Session {
        access_token: access,
        token_type: "Bearer",
        expires_in: ttl,
        refresh_token: refresh,
        refresh_expires_in: REFRESH_TTL_DAYS * 86_400,
        tenant_id: ctx.tenant_id.to_string(),
        role: ctx.role,
    })
}

/// A valid argon2id hash of a random string: verified against when the email is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2kqKc1xW3xG1hJkS8o9x0c5fJbqvQ1fz3Xn0k0bqv0M";

/// Signs in with an email and password.
pub async fn login(svc: &Services, email: &str, password: &str) -> Result<Session, AccountError> {
    let now = svc.clock.now();
    let Some(state) = svc.store.login_state(email).await? else {
        // Same work as a real check, so timing does not reveal which emails exist.
        let _ = verify_password(DUMMY_HASH, password);
        return Err(AccountError::BadCredentials);
    };
    if let Some(until) = state.locked_until.filter(|u| *u > now) {
        return Err(AccountError::locked(until, now));
    }
    let verified = verify_password(&state.login.password_hash, password);
    // Only someone who knows the password learns the login is disabled.
    if verified && state.disabled {
        return Err(AccountError::Disabled);
    }
    if !verified {
        let lock = Duration::minutes(LOCK_MINUTES);
        return match svc
            .store
            .record_failed_login(email, MAX_FAILED_LOGINS, lock, now)
            .await?
        {
            Some(until) => {
                tracing::warn!("login locked after repeated failures");
                Err(AccountError::locked(until, now))
            }
            None => Err(AccountError::BadCredentials),
        };
    }
    if state.failed_attempts > 0 || state.locked_until.is_some() {
        svc.store.clear_failed_logins(email).await?;
    }
    let family = uuid::Uuid::new_v4().simple().to_string();
    session(svc, &state.login, &family, now).await
}

/// Trades a refresh token for a new session of the same family.
pub async fn refresh(svc: &Services, token: &str) -> Result<Session, AccountError> {
    let now = svc.clock.now();
    let hash = sha256_hex(token);
    let row = match svc.store.refresh(&hash).await? {
        Some(r) if r.expires_at > now => r,
        _ => return Err(AccountError::RefreshInvalid),
    };
    if svc.store.family_revoked(&row.family).await? {
        return Err(AccountError::RefreshInvalid);
    }
    if !svc.store.spend_refresh(&hash, now).await? {
        // A spent token came back: someone else may hold the family. End it.
        tracing::warn!("refresh token reuse; family revoked");
        svc.store.revoke_family(&row.family, "reuse", now).await?;
        return Err(AccountError::RefreshReused);
    }
    let Some(state) = svc.store.login_state(&row.email).await? else {
        return Err(AccountError::RefreshInvalid);
    };
    if state.disabled || state.tokens_after.is_some_and(|t| row.issued_at < t) {
        return Err(AccountError::RefreshInvalid);
    }
    session(svc, &state.login, &row.family, now).await
}

/// Ends the refresh token's family, whether or not the token was known.
pub async fn logout(svc: &Services, token: &str) -> Result<(), AccountError> {
    if let Some(row) = svc.store.refresh(&sha256_hex(token)).await? {
        let now = svc.clock.now();
        svc.store.revoke_family(&row.family, "logout", now).await?;
    }
    Ok(())
}

/// Emails a one-time reset link to a known login; says nothing either way.
pub async fn request_reset(svc: &Services, email: &str) -> Result<(), AccountError> {
    let Some(state) = svc.store.login_state(email).await? else {
        return Ok(());
    };
    let now = svc.clock.now();
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
    svc.store
        .put_password_reset(&hash, &state.login.email, expires, &event)
        .await?;
    Ok(())
}

/// Sets a new password with a reset token (which is spent).
pub async fn confirm_reset(
    svc: &Services,
    token: &str,
    password: &str,
) -> Result<(), AccountError> {
    let password = Password::parse(password).map_err(|e| AccountError::invalid("password", e))?;
    let now = svc.clock.now();
    let Some(email) = svc
        .store
        .take_password_reset(&sha256_hex(token), now)
        .await?
    else {
        return Err(AccountError::ResetInvalid);
    };
    svc.store
        .set_password(&email, &password.hash(), now)
        .await?;
    Ok(())
}

/// The tenant's logins.
pub async fn users(svc: &Services, ctx: &AuthContext) -> Result<Vec<UserRow>, AccountError> {
    Ok(svc.store.users(&ctx.tenant_id).await?)
}

/// A login made by [`create_user`].
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct NewLogin {
    pub email: String,
    pub role: Role,
}

/// Adds an owner or staff login to the caller's tenant.
pub async fn create_user(
    svc: &Services,
    ctx: &AuthContext,
    email: &str,
    password: &str,
    role: Role,
) -> Result<NewLogin, AccountError> {
    let email = Email::parse(email).map_err(|e| AccountError::invalid("email", e))?;
    let password = Password::parse(password).map_err(|e| AccountError::invalid("password", e))?;
    if role == Role::Admin {
        return Err(AccountError::Invalid {
            field: "role",
            reason: "must be owner or staff".into(),
        });
    }
    let login = Login {
        email: email.into_string(),
        password_hash: password.hash(),
        tenant_id: ctx.tenant_id.to_string(),
        role,
    };
    let actor = super::office::actor(ctx);
    if !svc
        .store
        .create_login(&login, &actor, svc.clock.now())
        .await?
    {
        return Err(AccountError::EmailTaken);
    }
    Ok(NewLogin {
        email: login.email,
        role: login.role,
    })
}
