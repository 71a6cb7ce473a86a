//! The owner manages the shop's logins: a role changed, a login disabled or enabled, a
//! login removed. Each signs that login out everywhere at once (its refresh tokens die;
//! an access token lives out its few minutes). Nobody changes their own login here, and
//! the shop always keeps an owner who can sign in.

use super::AccountError;
use crate::store::UserRow;
use crate::tenancy::{AuthContext, Email, Role};
use crate::Services;

/// The target login of the caller's tenant, checked: an email, not the caller's own.
async fn target(
    svc: &Services,
    ctx: &AuthContext,
    email: &str,
) -> Result<crate::store::LoginState, AccountError> {
    let email = Email::parse(email)
        .map_err(|_| AccountError::NoSuchLogin)?
        .into_string();
    if email.eq_ignore_ascii_case(&ctx.user) {
        return Err(AccountError::Invalid {
            field: "email",
            reason: "you cannot change or remove your own login".into(),
        });
    }
    match svc.store.login_state(&email).await? {
        Some(s) if s.login.tenant_id == ctx.tenant_id.as_str() => Ok(s),
        _ => Err(AccountError::NoSuchLogin),
    }
}

/// Whether another owner than `email` can still sign in.
async fn another_owner(
    svc: &Services,
    ctx: &AuthContext,
    email: &str,
) -> Result<bool, AccountError> {
    Ok(svc
        .store
        .users(&ctx.tenant_id)
        .await?
        .iter()
        .any(|u| u.role == Role::Owner && !u.disabled && !u.email.eq_ignore_ascii_case(email)))
}

/// Changes a login's role and/or disables or enables it; the login as it now stands.
pub async fn update_user(
    svc: &Services,
    ctx: &AuthContext,
    email: &str,
    role: Option<Role>,
    disabled: Option<bool>,
) -> Result<UserRow, AccountError> {
    // Another shop's login is not found, whatever the body says.
    let state = target(svc, ctx, email).await?;
    if role.is_none() && disabled.is_none() {
        return Err(AccountError::Invalid {
            field: "role",
            reason: "give a role or disabled".into(),
        });
    }
    if role == Some(Role::Admin) {
        return Err(AccountError::Invalid {
            field: "role",
            reason: "must be owner or staff".into(),
        });
    }
    let mut login = state.login;
    let disabled = disabled.unwrap_or(state.disabled);
    let role = role.unwrap_or(login.role);
    let stays_owner = role == Role::Owner && !disabled;
    if login.role == Role::Owner && !stays_owner && !another_owner(svc, ctx, &login.email).await? {
        return Err(AccountError::LastOwner(
            "role: the shop needs at least one owner who can sign in",
        ));
    }
    login.role = role;
    let actor = super::super::office::actor(ctx);
    if !svc
        .store
        .update_member(&login, disabled, &actor, svc.clock.now())
        .await?
    {
        return Err(AccountError::NoSuchLogin);
    }
    Ok(UserRow {
        email: login.email,
        role,
        disabled,
    })
}

/// Removes a login from the shop.
pub async fn remove_user(
    svc: &Services,
    ctx: &AuthContext,
    email: &str,
) -> Result<(), AccountError> {
    let state = target(svc, ctx, email).await?;
    if state.login.role == Role::Owner && !another_owner(svc, ctx, &state.login.email).await? {
        return Err(AccountError::LastOwner(
            "email: the shop needs at least one owner who can sign in",
        ));
    }
    let actor = super::super::office::actor(ctx);
    if !svc
        .store
        .remove_member(&ctx.tenant_id, &state.login.email, &actor, svc.clock.now())
        .await?
    {
        return Err(AccountError::NoSuchLogin);
    }
    Ok(())
}
