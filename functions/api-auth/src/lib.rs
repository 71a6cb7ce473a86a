//! `api-auth`: `POST /v1/auth/login` {email, password} → {access_token, token_type,
//! expires_in, tenant_id, role}. Passwords are argon2id hashes.

use argon2::{Argon2, PasswordHash, PasswordVerifier};
use frontline::http::{auth, body_bytes, json, problem, MAX_BODY_BYTES};
use frontline::tenancy::AuthContext;
use frontline::Services;
use lambda_http::{Body, Request, Response};
use serde::Deserialize;

#[derive(Deserialize)]
struct LoginRequest {
    email: String,
    password: String,
}

pub async fn handle(svc: &Services, req: Request) -> Response<Body> {
    match req.uri().path() {
        "/v1/auth/login" => login(svc, req).await,
        other => problem(404, "Not Found", format!("no route {other}")),
    }
}

async fn login(svc: &Services, req: Request) -> Response<Body> {
    let body = body_bytes(&req);
    if body.len() > MAX_BODY_BYTES {
        return problem(
            413,
            "Payload Too Large",
            format!("body exceeds {MAX_BODY_BYTES} bytes"),
        );
    }
    let parsed: LoginRequest = match serde_json::from_slice(body) {
        Ok(p) => p,
        Err(e) => {
            return problem(
                400,
                "Bad Request",
                format!(
                "invalid login body: {e} (expected {{\"email\": string, \"password\": string}})"
            ),
            )
        }
    };
    let login = match svc.store.login(&parsed.email).await {
        Ok(l) => l,
        Err(e) => return problem(503, "Service Unavailable", e.to_string()),
    };
    let verified = login.as_ref().is_some_and(|l| {
        PasswordHash::new(&l.password_hash).is_ok_and(|h| {
            Argon2::default()
                .verify_password(parsed.password.as_bytes(), &h)
                .is_ok()
        })
    });
    let Some(login) = login.filter(|_| verified) else {
        return problem(401, "Unauthorized", "email or password is incorrect");
    };
    let ctx = AuthContext {
        tenant_id: login.tenant_id.clone(),
        user: login.email.clone(),
        role: login.role,
    };
    match auth::issue(svc, &ctx).await {
        Ok((token, ttl)) => json(
            200,
            &serde_json::json!({"access_token": token, "token_type": "Bearer", "expires_in": ttl, "tenant_id": ctx.tenant_id, "role": ctx.role}),
        ),
        Err(r) => r,
    }
}
