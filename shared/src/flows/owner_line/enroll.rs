//! A login's own owner's-line settings (`/v1/auth/me/line`): its cell, verified by a
//! six-digit code texted to it (10 minutes, spent once), and its PIN (4 to 6 digits,
//! argon2-hashed) for calling in from any other phone. A verified cell is added to the
//! tenant's profile so routing a call costs no extra read.

use crate::flows::FlowError;
use crate::phone::E164;
use crate::tenancy::credentials::{hash_password, sha256_hex};
use crate::tenancy::{AuthContext, LineCell};
use crate::Services;
use chrono::Duration;

/// How long a texted verification code works, minutes.
pub const CODE_MINUTES: i64 = 10;

/// Wrong tries that spend a verification code.
pub const MAX_CODE_TRIES: i64 = 5;

/// `GET /v1/auth/me/line`: the signed-in login's line settings (never the PIN).
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct LineSettings {
    /// The login's cell (E.164), verified or waiting for its code.
    pub cell: Option<String>,
    /// Whether calls and texts from `cell` reach the owner's line.
    pub verified: bool,
    /// Whether a PIN is set (for calling in from another phone).
    pub pin_set: bool,
    /// The shop's number to call (E.164).
    pub shop_number: String,
}

async fn member(svc: &Services, ctx: &AuthContext) -> Result<crate::store::LineMember, FlowError> {
    svc.store
        .line_member(&ctx.tenant_id, &ctx.user)
        .await?
        .ok_or_else(|| {
            FlowError::Forbidden("the owner's line is for a shop's logins, not API keys".into())
        })
}

/// The signed-in login's settings.
pub async fn settings(svc: &Services, ctx: &AuthContext) -> Result<LineSettings, FlowError> {
    let m = member(svc, ctx).await?;
    let tenant = svc
        .store
        .tenant(&ctx.tenant_id)
        .await?
        .ok_or(FlowError::NotFound("tenant"))?;
    Ok(LineSettings {
        cell: m.cell,
        verified: m.verified,
        pin_set: m.pin_hash.is_some(),
        shop_number: tenant.phone,
    })
}

fn code_hash(ctx: &AuthContext, code: &str) -> String {
    sha256_hex(&format!(
        "{}|{}|{}",
        ctx.tenant_id.as_str(),
        ctx.user,
        code.trim()
    ))
}

/// Sets the login's cell (unverified) and texts it a code. 422 naming `cell` for a number
/// that is not E.164 or is the shop's own.
pub async fn set_cell(
    svc: &Services,
    ctx: &AuthContext,
    cell: &str,
) -> Result<LineSettings, FlowError> {
    let cell = E164::parse(cell).map_err(|e| FlowError::Invalid(format!("cell: {e}")))?;
    member(svc, ctx).await?;
    let tenant = svc
        .store
        .tenant(&ctx.tenant_id)
        .await?
        .ok_or(FlowError::NotFound("tenant"))?;
    if cell.as_str() == tenant.phone {
        return Err(FlowError::Invalid(
            "cell: must be your own cell, not the shop's number".into(),
        ));
    }
    if tenant
        .owner_line
        .iter()
        .any(|c| c.cell == cell.as_str() && c.email != ctx.user)
    {
        return Err(FlowError::conflict(
            "cell: another login already answers the owner's line from this cell",
        ));
    }
    let now = svc.clock.now();
    let code = format!("{:06}", uuid::Uuid::new_v4().as_u128() % 1_000_000);
    let expires = now + Duration::minutes(CODE_MINUTES);
    if !svc
        .store
        .set_line_cell(
            &tenant.id,
            &ctx.user,
            cell.as_str(),
            &code_hash(ctx, &code),
            expires,
        )
        .await?
    {
        return Err(FlowError::NotFound("login"));
    }
    // A new, unverified cell no longer reaches the line (before the text: if it fails,
    // the old cell must not still route).
    drop_cell(svc, ctx, None).await?;
    // Straight to Twilio, not through the outbox: no stored notification holds the code.
    let creds = svc
        .twilio_credentials()
        .await
        .map_err(|e| FlowError::Unavailable(format!("the code could not be texted: {e}")))?;
    let body = format!(
        "{}: your owner's line code is {code}. It works for {CODE_MINUTES} minutes.",
        tenant.name
    );
    svc.twilio
        .send_sms(&creds, &tenant.phone, cell.as_str(), &body, None)
        .await
        .map_err(|e| FlowError::Unavailable(format!("the code could not be texted: {e}")))?;
    settings(svc, ctx).await
}

/// Removes the login's entries from the tenant's line (and `add`s one), audited.
async fn drop_cell(svc: &Services, ctx: &AuthContext, add: Option<&str>) -> Result<(), FlowError> {
    let mut tenant = svc
        .store
        .tenant(&ctx.tenant_id)
        .await?
        .ok_or(FlowError::NotFound("tenant"))?;
    let before = tenant.owner_line.clone();
    tenant
        .owner_line
        .retain(|c| c.email != ctx.user && Some(c.cell.as_str()) != add);
    if let Some(cell) = add {
        tenant.owner_line.push(LineCell {
            cell: cell.to_string(),
            email: ctx.user.clone(),
        });
    }
    if tenant.owner_line != before {
        let action = if add.is_some() {
            "owner_line_cell_added"
        } else {
            "owner_line_cell_removed"
        };
        svc.store
            .update_tenant(&tenant, &ctx.user, action, svc.clock.now())
            .await?;
        // This process routes with the change at once; other warm ones within the
        // directory's TTL (a minute).
        svc.tenants.forget(&tenant.phone);
    }
    Ok(())
}

/// Verifies the cell with the texted code. 422 naming `code` when it is wrong, spent or
/// expired.
pub async fn verify_cell(
    svc: &Services,
    ctx: &AuthContext,
    code: &str,
) -> Result<LineSettings, FlowError> {
    let m = member(svc, ctx).await?;
    let now = svc.clock.now();
    let wrong = || FlowError::Invalid("code: wrong or expired; ask for a new one".into());
    let (Some(cell), Some(hash), Some(expires)) = (m.cell, m.code_hash, m.code_expires) else {
        return Err(wrong());
    };
    if expires <= now {
        return Err(wrong());
    }
    if hash != code_hash(ctx, code) {
        // Five wrong tries spend the code.
        svc.store
            .wrong_line_code(&ctx.tenant_id, &ctx.user, MAX_CODE_TRIES)
            .await?;
        return Err(wrong());
    }
    if !svc
        .store
        .verify_line_cell(&ctx.tenant_id, &ctx.user, &hash, now)
        .await?
    {
        return Err(wrong());
    }
    drop_cell(svc, ctx, Some(&cell)).await?;
    settings(svc, ctx).await
}

/// Sets the login's PIN: 4 to 6 digits (422 naming `pin` otherwise).
pub async fn set_pin(
    svc: &Services,
    ctx: &AuthContext,
    pin: &str,
) -> Result<LineSettings, FlowError> {
    let pin = pin.trim();
    if !(4..=6).contains(&pin.len()) || !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(FlowError::Invalid("pin: must be 4 to 6 digits".into()));
    }
    member(svc, ctx).await?;
    if !svc
        .store
        .set_line_pin(
            &ctx.tenant_id,
            &ctx.user,
            &hash_password(pin),
            svc.clock.now(),
        )
        .await?
    {
        return Err(FlowError::NotFound("login"));
    }
    settings(svc, ctx).await
}
