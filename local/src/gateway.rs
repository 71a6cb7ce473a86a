//! The API Gateway stand-in: an HTTP request becomes the same API Gateway v2 (HTTP API,
//! payload 2.0) event Lambda would receive, parsed by `lambda_http` itself, and the
//! function's response goes back to the client.

use crate::routes;
use frontline::aws_usage::FUNCTION;
use frontline::Services;
use lambda_http::Body as LBody;
use serde_json::json;
use std::collections::BTreeMap;

/// A request as it arrived.
pub struct Incoming {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub host: String,
}

/// A response to send back.
pub struct Outgoing {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

fn problem(status: u16, detail: &str) -> Outgoing {
    Outgoing {
        status,
        headers: vec![("content-type".into(), "application/problem+json".into())],
        body: serde_json::to_vec(&json!({"type": "about:blank", "title": "Not Found", "status": status, "detail": detail})).unwrap_or_default(),
    }
}

/// Builds the API Gateway v2 event for a matched route.
pub fn event(inc: &Incoming, route: &str, params: &[(String, String)]) -> serde_json::Value {
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in &inc.headers {
        headers
            .entry(k.to_lowercase())
            .and_modify(|e| {
                e.push(',');
                e.push_str(v)
            })
            .or_insert_with(|| v.clone());
    }
    headers.insert("host".into(), inc.host.clone());
    headers
        .entry("x-forwarded-proto".into())
        .or_insert_with(|| "http".into());
    let qs: BTreeMap<String, String> =
        serde_urlencoded::from_str::<Vec<(String, String)>>(&inc.query)
            .unwrap_or_default()
            .into_iter()
            .collect();
    let text = String::from_utf8(inc.body.clone());
    let (body, b64) = match text {
        Ok(t) => (t, false),
        Err(_) => {
            use base64::Engine as _;
            (
                base64::engine::general_purpose::STANDARD.encode(&inc.body),
                true,
            )
        }
    };
    let now = chrono::Utc::now();
    json!({
        "version": "2.0",
        "routeKey": format!("{} {}", inc.method, route),
        "rawPath": inc.path,
        "rawQueryString": inc.query,
        "headers": headers,
        "queryStringParameters": if qs.is_empty() { serde_json::Value::Null } else { json!(qs) },
        "pathParameters": if params.is_empty() { serde_json::Value::Null } else { json!(params.iter().cloned().collect::<BTreeMap<_, _>>()) },
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": inc.host,
            "domainPrefix": "local",
            "http": {"method": inc.method, "path": inc.path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": headers.get("user-agent").cloned().unwrap_or_default()},
            "requestId": uuid::Uuid::new_v4().to_string(),
            "routeKey": format!("{} {}", inc.method, route),
            "stage": "$default",
            "time": now.format("%d/%b/%Y:%H:%M:%S +0000").to_string(),
            "timeEpoch": now.timestamp_millis()
        },
        "body": if inc.body.is_empty() { serde_json::Value::Null } else { json!(body) },
        "isBase64Encoded": b64
    })
}

/// Routes a request to its function's handler, as API Gateway and Lambda would.
pub async fn dispatch(svc: &Services, inc: Incoming) -> Outgoing {
    let Some((route, function, params)) = routes::find(&inc.method, &inc.path) else {
        return problem(404, &format!("no route {} {}", inc.method, inc.path));
    };
    let ev = event(&inc, route, &params);
    let req = match lambda_http::request::from_str(&ev.to_string()) {
        Ok(r) => r,
        Err(e) => return problem(500, &format!("event did not parse: {e}")),
    };
    let invoke = frontline::http::traced(req, |req| async move {
        Some(match function {
            "call-turn" => call_turn::handle(svc, req).await,
            "voice-fallback" => voice_fallback::handle(svc, req).await,
            "twilio-status" => twilio_status::handle(svc, req).await,
            "sms-inbound" => sms_inbound::handle(svc, req).await,
            "api-auth" => api_auth::handle(svc, req).await,
            "api-crm" => api_crm::handle(svc, req).await,
            "api-owner" => api_owner::handle(svc, req).await,
            "api-chat" => api_chat::handle(svc, req).await,
            "api-admin" => api_admin::handle(svc, req).await,
            _ => return None,
        })
    });
    let Some(resp) = FUNCTION.scope(function, invoke).await else {
        return problem(500, &format!("function {function} is not wired locally"));
    };
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    let body = match resp.into_body() {
        LBody::Text(t) => t.into_bytes(),
        LBody::Binary(b) => b,
        _ => Vec::new(),
    };
    Outgoing {
        status,
        headers,
        body,
    }
}

#[cfg(test)]
mod tests {
    /// Every sample event in `events/` parses as the event type its function receives.
    #[test]
    fn sample_events_parse() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../events");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let raw = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.starts_with("fanout") {
                serde_json::from_str::<aws_lambda_events::event::dynamodb::Event>(&raw).unwrap();
            } else if name.starts_with("notify") {
                serde_json::from_str::<aws_lambda_events::event::sqs::SqsEvent>(&raw).unwrap();
            } else if frontline::schedules::Schedule::ALL
                .iter()
                .any(|j| name == format!("{}-schedule.json", j.name()))
            {
                serde_json::from_str::<aws_lambda_events::event::cloudwatch_events::CloudWatchEvent>(&raw)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
            } else if name.starts_with("calendar-sync") {
                let ev: aws_lambda_events::event::sqs::SqsEvent =
                    serde_json::from_str(&raw).unwrap();
                for r in ev.records {
                    serde_json::from_str::<frontline::google::sync::IntegrationMessage>(
                        r.body.as_deref().unwrap_or_default(),
                    )
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                }
            } else {
                lambda_http::request::from_str(&raw).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            n += 1;
        }
        assert!(n >= 9);
    }
}
