//! Rendering the account flows (`flows::accounts`) for `api-auth`, and the request bodies
//! of its routes (named in the OpenAPI document).

pub use super::no_content;
use super::{json, problem};
use crate::flows::accounts::{AccountError, Session};
use lambda_http::{Body, Response};

/// `GET /v1/auth/me`: who the bearer is.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Me {
    /// The login's email, or an API key's id.
    pub email: String,
    pub tenant_id: String,
    pub role: crate::tenancy::Role,
}

impl Me {
    pub fn of(ctx: &crate::tenancy::AuthContext) -> Self {
        Me {
            email: ctx.user.clone(),
            tenant_id: ctx.tenant_id.to_string(),
            role: ctx.role,
        }
    }
}

/// `202` to a password reset request, whether or not the login exists (no account
/// discovery).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ResetAccepted {
    pub detail: String,
}

impl Default for ResetAccepted {
    fn default() -> Self {
        ResetAccepted {
            detail: "if the account exists, a reset link is on its way".into(),
        }
    }
}

/// A session as `200 application/json`.
pub fn session(s: &Session) -> Response<Body> {
    json(200, s)
}

/// The problem+json for an account flow's refusal; store and key failures are a logged
/// 503 that says nothing of the cause.
pub fn account_problem(e: AccountError) -> Response<Body> {
    let detail = e.to_string();
    match e {
        AccountError::BadCredentials
        | AccountError::RefreshInvalid
        | AccountError::RefreshReused
        | AccountError::TokenInvalid
        | AccountError::ApiKeyInvalid
        | AccountError::Disabled => problem(401, "Unauthorized", detail),
        AccountError::NoSuchLogin => problem(404, "Not Found", detail),
        AccountError::LastOwner(_) => problem(409, "Conflict", detail),
        AccountError::Locked {
            retry_after_s: secs,
        } => {
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
        AccountError::ResetInvalid => problem(400, "Bad Request", detail),
        AccountError::Invalid { .. } => problem(422, "Unprocessable Entity", detail),
        AccountError::EmailTaken => problem(409, "Conflict", detail),
        AccountError::KeyUnavailable => problem(503, "Service Unavailable", detail),
        AccountError::Signing => problem(500, "Internal Server Error", detail),
        AccountError::Store(e) => {
            tracing::error!(error = %e, "account store unavailable");
            problem(503, "Service Unavailable", "try again shortly")
        }
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

/// `PATCH /v1/auth/users/{email}` body: a login's role, or whether it is disabled. Either
/// change signs the login out everywhere (its refresh tokens die at once).
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// `owner` or `staff`.
    pub role: Option<crate::tenancy::Role>,
    /// A disabled login cannot sign in or refresh until enabled again.
    pub disabled: Option<bool>,
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

/// `PUT /v1/auth/me/line` body: the login's own cell for the owner's line.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LineCellRequest {
    /// E.164 (`+19135550100`); a code is texted to it.
    pub cell: String,
}

/// `POST /v1/auth/me/line/verify` body: the code texted to the cell.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LineCodeRequest {
    /// Six digits, valid for 10 minutes, spent once.
    pub code: String,
}

/// `PUT /v1/auth/me/line/pin` body.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinePinRequest {
    /// 4 to 6 digits; stored only as an argon2 hash.
    pub pin: String,
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
