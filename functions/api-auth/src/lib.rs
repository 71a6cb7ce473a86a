//! `api-auth`: sign-in, token refresh and logout, password reset, the signed-in user, a
//! tenant's logins, and the OpenAPI document. The flows live in
//! [`frontline::http::account`]; this crate parses and routes.

use chrono::Utc;
use frontline::http::account::{
    self, LoginRequest, NewUser, RefreshRequest, ResetConfirm, ResetRequest,
};
use frontline::http::{
    auth, body_bytes, json, openapi, parse_json_bounded, problem, store_problem, MAX_BODY_BYTES,
};
use frontline::store::Login;
use frontline::tenancy::Role;
use frontline::Services;
use lambda_http::{http::Method, Body, Request, Response};

pub async fn handle(svc: &Services, req: Request) -> Response<Body> {
    let now = svc.clock.now();
    let path = req.uri().path().to_string();
    // The routes a stranger can call with guesses are metered per client address.
    if req.method() == Method::POST
        && matches!(
            path.as_str(),
            "/v1/auth/login"
                | "/v1/auth/refresh"
                | "/v1/auth/password-reset"
                | "/v1/auth/password-reset/confirm"
        )
    {
        if let Some(limited) = frontline::http::limit_auth(svc, &req).await {
            return limited;
        }
    }
    match (req.method().clone(), path.as_str()) {
        (Method::GET, "/v1/openapi.json") => json(200, &openapi::document()),
        (Method::POST, "/v1/auth/login") => {
            let raw = body_bytes(&req);
            if raw.len() <= MAX_BODY_BYTES
                && serde_json::from_slice::<serde_json::Value>(raw).is_err()
            {
                return problem(
                    400,
                    "Bad Request",
                    "body must be JSON: {\"email\": string, \"password\": string}",
                );
            }
            match parse_json_bounded::<LoginRequest>(&req) {
                Ok(b) => account::login(svc, &b.email, &b.password, now).await,
                Err(r) => r,
            }
        }
        (Method::POST, "/v1/auth/refresh") => match parse_json_bounded::<RefreshRequest>(&req) {
            Ok(b) => account::refresh(svc, &b.refresh_token, now).await,
            Err(r) => r,
        },
        (Method::POST, "/v1/auth/logout") => match parse_json_bounded::<RefreshRequest>(&req) {
            Ok(b) => account::logout(svc, &b.refresh_token, now).await,
            Err(r) => r,
        },
        (Method::POST, "/v1/auth/password-reset") => {
            match parse_json_bounded::<ResetRequest>(&req) {
                Ok(b) => account::request_reset(svc, &b.email, now).await,
                Err(r) => r,
            }
        }
        (Method::POST, "/v1/auth/password-reset/confirm") => {
            match parse_json_bounded::<ResetConfirm>(&req) {
                Ok(b) => account::confirm_reset(svc, &b.token, &b.password, now).await,
                Err(r) => r,
            }
        }
        (Method::GET, "/v1/auth/me") => match auth::authorize(&req, svc).await {
            Ok(ctx) => json(
                200,
                &serde_json::json!({"email": ctx.user, "tenant_id": ctx.tenant_id, "role": ctx.role}),
            ),
            Err(r) => r,
        },
        (Method::GET, "/v1/auth/users") => match auth::authorize(&req, svc).await {
            Ok(ctx) => match svc.store.users(&ctx.tenant_id).await {
                Ok(items) => json(200, &serde_json::json!({"items": items, "next": null})),
                Err(e) => store_problem(e),
            },
            Err(r) => r,
        },
        (Method::POST, "/v1/auth/users") => match auth::authorize(&req, svc).await {
            Ok(ctx) => create_user(svc, &ctx, &req, now).await,
            Err(r) => r,
        },
        (m, p) => problem(404, "Not Found", format!("no route {m} {p}")),
    }
}

async fn create_user(
    svc: &Services,
    ctx: &frontline::tenancy::AuthContext,
    req: &Request,
    now: chrono::DateTime<Utc>,
) -> Response<Body> {
    let body: NewUser = match parse_json_bounded(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Some(p) =
        account::email_problem(&body.email).or_else(|| account::password_problem(&body.password))
    {
        return problem(422, "Unprocessable Entity", p);
    }
    if body.role == Role::Admin {
        return problem(422, "Unprocessable Entity", "role: must be owner or staff");
    }
    let login = Login {
        email: body.email.trim().to_lowercase(),
        password_hash: account::hash_password(&body.password),
        tenant_id: ctx.tenant_id.clone(),
        role: body.role,
    };
    match svc
        .store
        .create_login(&login, &format!("user:{}", ctx.user), now)
        .await
    {
        Ok(true) => json(
            201,
            &serde_json::json!({"email": login.email, "role": login.role}),
        ),
        Ok(false) => problem(
            409,
            "Conflict",
            "email: a login with this email already exists",
        ),
        Err(e) => store_problem(e),
    }
}
