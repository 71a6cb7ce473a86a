//! The bearer credential of an API request, verified (`flows::accounts::tokens`: the
//! tenant of every API request comes from a verified token only), and the route's role
//! check.

use crate::flows::accounts::tokens;
use crate::http::problem;
use crate::tenancy::{AuthContext, Role};
use crate::Services;
use lambda_http::{Body, Request, Response};

/// The verified caller of an API request, or a 401 problem (`flows::accounts::tokens`).
pub async fn authenticate(req: &Request, svc: &Services) -> Result<AuthContext, Response<Body>> {
    let header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(token) = header.strip_prefix("Bearer ").map(str::trim) else {
        return Err(problem(401, "Unauthorized", "missing bearer token"));
    };
    tokens::verify(svc, token)
        .await
        .map_err(super::account::account_problem)
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
