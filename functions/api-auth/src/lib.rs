//! `api-auth`: sign-in, token refresh and logout, password reset, the signed-in user (and
//! its owner's-line cell and PIN), a
//! tenant's logins (added, role changed, disabled, removed), and the OpenAPI document. The flows live in
//! [`frontline::flows::accounts`]; this crate parses, routes and renders
//! ([`frontline::http::account`]).

use frontline::flows::accounts::{self, staff};
use frontline::flows::owner_line::enroll;
use frontline::http::account::{
    account_problem, no_content, session, LineCellRequest, LineCodeRequest, LinePinRequest,
    LoginRequest, Me, NewUser, RefreshRequest, ResetAccepted, ResetConfirm, ResetRequest,
    UserPatch,
};
use frontline::http::MAX_BODY_BYTES;
use frontline::http::{auth, body_bytes, flow_problem, json, openapi, parse_json_bounded, problem};
use frontline::store::Page;
use frontline::Services;
use lambda_http::{http::Method, Body, Request, Response};

/// A parsed body, or its problem.
macro_rules! body {
    ($req:expr, $t:ty) => {
        match parse_json_bounded::<$t>($req) {
            Ok(b) => b,
            Err(r) => return r,
        }
    };
}

/// A signed-in caller, or the 401/403.
macro_rules! caller {
    ($req:expr, $svc:expr) => {
        match auth::authorize($req, $svc).await {
            Ok(c) => c,
            Err(r) => return r,
        }
    };
}

fn done(r: Result<(), accounts::AccountError>) -> Response<Body> {
    r.map_or_else(account_problem, |()| no_content())
}

fn line(r: Result<enroll::LineSettings, frontline::flows::FlowError>) -> Response<Body> {
    r.map_or_else(flow_problem, |s| json(200, &s))
}

pub async fn handle(svc: &Services, req: Request) -> Response<Body> {
    let path = req.uri().path().to_string();
    // The routes a stranger can call with guesses are metered per client address.
    // So are the owner's-line code routes: one texts any number, the other takes guesses.
    if matches!(
        (req.method(), path.as_str()),
        (
            &Method::POST,
            "/v1/auth/login"
                | "/v1/auth/refresh"
                | "/v1/auth/password-reset"
                | "/v1/auth/password-reset/confirm"
                | "/v1/auth/me/line/verify"
        ) | (&Method::PUT, "/v1/auth/me/line")
    ) {
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
            let b = body!(&req, LoginRequest);
            accounts::login(svc, &b.email, &b.password)
                .await
                .map_or_else(account_problem, |s| session(&s))
        }
        (Method::POST, "/v1/auth/refresh") => {
            let b = body!(&req, RefreshRequest);
            accounts::refresh(svc, &b.refresh_token)
                .await
                .map_or_else(account_problem, |s| session(&s))
        }
        (Method::POST, "/v1/auth/logout") => {
            let b = body!(&req, RefreshRequest);
            done(accounts::logout(svc, &b.refresh_token).await)
        }
        (Method::POST, "/v1/auth/password-reset") => {
            let b = body!(&req, ResetRequest);
            match accounts::request_reset(svc, &b.email).await {
                // 202 whether or not the login exists (no account discovery).
                Ok(()) => json(202, &ResetAccepted::default()),
                Err(e) => account_problem(e),
            }
        }
        (Method::POST, "/v1/auth/password-reset/confirm") => {
            let b = body!(&req, ResetConfirm);
            done(accounts::confirm_reset(svc, &b.token, &b.password).await)
        }
        (Method::GET, "/v1/auth/me") => {
            let ctx = caller!(&req, svc);
            json(200, &Me::of(&ctx))
        }
        (Method::GET, "/v1/auth/me/line") => {
            let ctx = caller!(&req, svc);
            line(enroll::settings(svc, &ctx).await)
        }
        (Method::PUT, "/v1/auth/me/line") => {
            let ctx = caller!(&req, svc);
            let b = body!(&req, LineCellRequest);
            line(enroll::set_cell(svc, &ctx, &b.cell).await)
        }
        (Method::POST, "/v1/auth/me/line/verify") => {
            let ctx = caller!(&req, svc);
            let b = body!(&req, LineCodeRequest);
            line(enroll::verify_cell(svc, &ctx, &b.code).await)
        }
        (Method::PUT, "/v1/auth/me/line/pin") => {
            let ctx = caller!(&req, svc);
            let b = body!(&req, LinePinRequest);
            line(enroll::set_pin(svc, &ctx, &b.pin).await)
        }
        (Method::GET, "/v1/auth/users") => {
            let ctx = caller!(&req, svc);
            match accounts::users(svc, &ctx).await {
                Ok(items) => json(200, &Page::whole(items)),
                Err(e) => account_problem(e),
            }
        }
        (Method::POST, "/v1/auth/users") => {
            let ctx = caller!(&req, svc);
            let b = body!(&req, NewUser);
            match accounts::create_user(svc, &ctx, &b.email, &b.password, b.role).await {
                Ok(login) => json(201, &login),
                Err(e) => account_problem(e),
            }
        }
        (m @ (Method::PATCH | Method::DELETE), p) if p.starts_with("/v1/auth/users/") => {
            let ctx = caller!(&req, svc);
            let Some(email) = frontline::http::path_tail(p, "/v1/auth/users/") else {
                return problem(404, "Not Found", format!("no route {m} {p}"));
            };
            if m == Method::DELETE {
                return done(staff::remove_user(svc, &ctx, &email).await);
            }
            let b = body!(&req, UserPatch);
            match staff::update_user(svc, &ctx, &email, b.role, b.disabled).await {
                Ok(row) => json(200, &row),
                Err(e) => account_problem(e),
            }
        }
        (m, p) => problem(404, "Not Found", format!("no route {m} {p}")),
    }
}
