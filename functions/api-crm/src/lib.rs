//! `api-crm`: customers (create, update, search, timeline, duplicates, merge), appointments
//! (list, one, lifecycle and notes, reschedule), calls (list, one), the notification
//! trail, CSV import and export. The tenant comes from the bearer token only; the route
//! table ([`frontline::http::routes`]) says who may call what; the work is
//! `frontline::flows::office`.

use chrono::Duration;
use frontline::flows::office::{appointments, calls, customers, exports, notifications};
use frontline::flows::FlowError;
use frontline::http::params::{flag, page, segment, window};
use frontline::http::{
    auth, csv, flow_problem, json, parse_json_bounded, parse_json_limit, problem, query,
};
use frontline::store::Page;
use frontline::Services;
use lambda_http::{http::Method, Body, Request, Response};
use serde::Serialize;

/// Largest CSV import body, bytes (5,000 rows of a typical customer list fit in ~1 MB).
pub const MAX_IMPORT_BYTES: usize = 4 * 1024 * 1024;

fn ok<T: Serialize>(r: Result<T, FlowError>) -> Response<Body> {
    r.map_or_else(flow_problem, |v| json(200, &v))
}

/// A list with no further page, as every list route answers.
fn items<T: Serialize>(r: Result<Vec<T>, FlowError>) -> Response<Body> {
    ok(r.map(Page::whole))
}

/// A parsed body or parameter, or its problem.
macro_rules! body {
    ($parse:expr) => {
        match $parse {
            Ok(b) => b,
            Err(r) => return r,
        }
    };
}

pub async fn handle(svc: &Services, req: Request) -> Response<Body> {
    let ctx = match auth::authorize(&req, svc).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let path = req.uri().path().trim_end_matches('/').to_string();
    let segs: Vec<&str> = path.split('/').skip(3).collect();
    let customer = || segment(&req, "customer_id", "/v1/crm/customers/");
    let appointment = || segment(&req, "appointment_id", "/v1/crm/appointments/");
    let (t, now) = (ctx.tenant_id.as_str(), svc.clock.now());
    match (req.method().clone(), segs.as_slice()) {
        (Method::GET, ["customers"]) => {
            let (limit, cursor) = page(&req, 50, 200);
            let q = query(&req, "q").unwrap_or("");
            ok(customers::search(svc, &ctx, q, limit, cursor).await)
        }
        (Method::POST, ["customers"]) => {
            let input = body!(parse_json_bounded(&req));
            match customers::create(svc, &ctx, input).await {
                Ok(c) => json(201, &c),
                Err(e) => flow_problem(e),
            }
        }
        (Method::GET, ["customers", _]) => ok(customers::get(svc, &ctx, &customer()).await),
        (Method::PATCH, ["customers", _]) => {
            let patch = body!(parse_json_bounded(&req));
            ok(customers::update(svc, &ctx, &customer(), patch).await)
        }
        (Method::GET, ["customers", _, "timeline"]) => {
            let (limit, cursor) = page(&req, 100, 500);
            ok(customers::timeline(svc, &ctx, &customer(), limit, cursor).await)
        }
        (Method::GET, ["customers", _, "duplicates"]) => {
            items(customers::duplicates(svc, &ctx, &customer()).await)
        }
        (Method::POST, ["customers", _, "merge"]) => {
            let merge = body!(parse_json_bounded(&req));
            ok(customers::merge(svc, &ctx, &customer(), merge).await)
        }
        (Method::GET, ["appointments"]) => {
            let (from, to) = body!(window(&req, now, Duration::days(30)));
            let (limit, cursor) = page(&req, 100, 500);
            let listed = svc
                .store
                .list_appointments(t, from, to, limit as i32, cursor)
                .await;
            ok(listed.map_err(FlowError::from))
        }
        (Method::POST, ["appointments"]) => {
            let new = body!(parse_json_bounded(&req));
            match appointments::create(svc, &ctx, new).await {
                Ok(a) => json(201, &a),
                Err(e) => flow_problem(e),
            }
        }
        (Method::GET, ["appointments", _]) => ok(appointments::get(svc, t, &appointment()).await),
        (Method::PATCH, ["appointments", _]) => {
            let patch = body!(parse_json_bounded(&req));
            ok(appointments::patch(svc, &ctx, &appointment(), patch).await)
        }
        (Method::POST, ["appointments", _, "reschedule"]) => {
            let to = body!(parse_json_bounded(&req));
            ok(appointments::reschedule(svc, &ctx, &appointment(), to).await)
        }
        (Method::GET, ["calls"]) => {
            let (from, mut to) = body!(window(&req, now - Duration::days(7), Duration::days(7)));
            if query(&req, "to").is_none() && query(&req, "from").is_none() {
                to = now + Duration::minutes(1);
            }
            let emergency = body!(flag(&req, "emergency"));
            let (limit, cursor) = page(&req, 50, 200);
            let filter = calls::CallFilter {
                from,
                to,
                outcome: query(&req, "outcome"),
                emergency,
                limit,
                cursor,
            };
            ok(calls::list(svc, t, filter).await)
        }
        (Method::GET, ["calls", _]) => {
            let sid = segment(&req, "call_sid", "/v1/crm/calls/");
            ok(calls::get(svc, t, &sid).await)
        }
        (Method::GET, ["calls", _, "recording"]) => {
            let sid = segment(&req, "call_sid", "/v1/crm/calls/");
            match frontline::flows::voicemail::audio(svc, t, &sid).await {
                Ok(wav) => frontline::http::audio(wav),
                Err(e) => flow_problem(e),
            }
        }
        (Method::GET, ["notifications"]) => {
            // The notification audit trail: what went to whom (masked), when, and its fate.
            let (limit, _) = page(&req, 100, 500);
            let filter = notifications::NotificationFilter {
                call_sid: query(&req, "call_sid").map(String::from),
                customer_id: query(&req, "customer_id").map(String::from),
                limit: limit as i32,
            };
            items(notifications::list(svc, t, filter).await)
        }
        (Method::POST, ["import", "customers"]) => {
            let import = body!(parse_json_limit(&req, MAX_IMPORT_BYTES));
            ok(customers::import(svc, &ctx, import).await)
        }
        (Method::GET, ["export", kind]) => match exports::ExportKind::named(kind) {
            Some(kind) => match exports::export(svc, t, kind).await {
                Ok(text) => csv(kind.name(), text),
                Err(e) => flow_problem(e),
            },
            None => problem(
                404,
                "Not Found",
                "kind: export one of customers, appointments, calls",
            ),
        },
        (m, _) => problem(404, "Not Found", format!("no route {m} {path}")),
    }
}
