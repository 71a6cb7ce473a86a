//! The OpenAPI 3.1 document served at `GET /v1/openapi.json`, generated from the route
//! table ([`super::routes::ROUTES`]) and the request body types' `JsonSchema` derives
//! (JSON Schema 2020-12, which OpenAPI 3.1 uses as is). CI holds its paths equal to
//! `template.yaml`'s routes.

use super::routes::{Access, Answer, Route, ROUTES};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

/// The `$ref` schema of a named request body, registering it (and what it uses) in `g`.
/// `None` for a name no type answers to (a test keeps the table free of those).
pub fn body_schema(name: &str, g: &mut SchemaGenerator) -> Option<Schema> {
    use crate::crm::input as crm;
    use crate::flows::chat::session as chat;
    use crate::http::account as auth;
    use crate::tenancy as ten;
    fn of<T: JsonSchema>(g: &mut SchemaGenerator) -> Option<Schema> {
        Some(g.subschema_for::<T>())
    }
    match name {
        "LoginRequest" => of::<auth::LoginRequest>(g),
        "RefreshRequest" => of::<auth::RefreshRequest>(g),
        "ResetRequest" => of::<auth::ResetRequest>(g),
        "ResetConfirm" => of::<auth::ResetConfirm>(g),
        "NewUser" => of::<auth::NewUser>(g),
        "UserPatch" => of::<auth::UserPatch>(g),
        "LineCellRequest" => of::<auth::LineCellRequest>(g),
        "LineCodeRequest" => of::<auth::LineCodeRequest>(g),
        "LinePinRequest" => of::<auth::LinePinRequest>(g),
        "CustomerInput" => of::<crm::CustomerInput>(g),
        "CustomerPatch" => of::<crm::CustomerPatch>(g),
        "MergeRequest" => of::<crm::MergeRequest>(g),
        "AppointmentPatch" => of::<crm::AppointmentPatch>(g),
        "RescheduleRequest" => of::<crm::RescheduleRequest>(g),
        "NewAppointment" => of::<crm::NewAppointment>(g),
        "ImportRequest" => of::<crm::ImportRequest>(g),
        "ResolveCallback" => of::<crm::ResolveCallback>(g),
        "GeneralSettings" => of::<ten::GeneralSettings>(g),
        "SchedulingSettings" => of::<ten::SchedulingSettings>(g),
        "NewTenant" => of::<ten::NewTenant>(g),
        "NumberRouteInput" => of::<ten::NumberRouteInput>(g),
        "NewCredential" => of::<ten::NewCredential>(g),
        "RotateCredential" => of::<ten::RotateCredential>(g),
        "NewWidgetKey" => of::<ten::widget::NewWidgetKey>(g),
        "StartChat" => of::<chat::StartChat>(g),
        "VisitorMessage" => of::<chat::VisitorMessage>(g),
        _ => None,
    }
}

/// The `$ref` schema of a named response (`Page<X>`: a page of `X`), registering it in
/// `g`. `None` for a name no type answers to (a test keeps the table free of those).
pub fn response_schema(name: &str, g: &mut SchemaGenerator) -> Option<Schema> {
    use crate::crm;
    use crate::flows::office::{calendar, customers, day, settings};
    use crate::flows::{accounts, admin};
    use crate::http::account::{Me, ResetAccepted};
    use crate::store::{self, Page};
    use crate::tenancy as ten;
    fn of<T: JsonSchema>(g: &mut SchemaGenerator) -> Option<Schema> {
        Some(g.subschema_for::<T>())
    }
    if let Some(item) = name.strip_prefix("Page<").and_then(|n| n.strip_suffix('>')) {
        return match item {
            "UserRow" => of::<Page<store::UserRow>>(g),
            "Customer" => of::<Page<crm::Customer>>(g),
            "TimelineEntry" => of::<Page<crm::TimelineEntry>>(g),
            "Appointment" => of::<Page<crm::Appointment>>(g),
            "CallSummary" => of::<Page<crm::CallSummary>>(g),
            "NotificationRow" => of::<Page<store::NotificationRow>>(g),
            "CallbackTask" => of::<Page<crm::CallbackTask>>(g),
            "AuditRow" => of::<Page<store::AuditRow>>(g),
            "TenantView" => of::<Page<admin::TenantView>>(g),
            "CredentialRow" => of::<Page<store::CredentialRow>>(g),
            "WidgetKey" => of::<Page<ten::widget::WidgetKey>>(g),
            _ => None,
        };
    }
    match name {
        // The document describes itself only as far as OpenAPI's own schema goes.
        "OpenApiDocument" => Some(Schema::from(
            json!({"type": "object", "required": ["openapi", "info", "paths"]})
                .as_object()?
                .clone(),
        )),
        "Session" => of::<accounts::Session>(g),
        "ResetAccepted" => of::<ResetAccepted>(g),
        "Me" => of::<Me>(g),
        "NewLogin" => of::<accounts::NewLogin>(g),
        "UserRow" => of::<store::UserRow>(g),
        "LineSettings" => of::<crate::flows::owner_line::enroll::LineSettings>(g),
        "Customer" => of::<crm::Customer>(g),
        "Merged" => of::<customers::Merged>(g),
        "Appointment" => of::<crm::Appointment>(g),
        "CallView" => of::<crm::CallView>(g),
        "Imported" => of::<customers::Imported>(g),
        "Today" => of::<day::Today>(g),
        "DaySchedule" => of::<day::DaySchedule>(g),
        "Availability" => of::<day::Availability>(g),
        "CallbackTask" => of::<crm::CallbackTask>(g),
        "Analytics" => of::<crm::analytics::Analytics>(g),
        "GeneralSettings" => of::<ten::GeneralSettings>(g),
        "SchedulingSettings" => of::<ten::SchedulingSettings>(g),
        "CustomerExport" => of::<settings::CustomerExport>(g),
        "Erased" => of::<settings::Erased>(g),
        "AuthorizationUrl" => of::<calendar::AuthorizationUrl>(g),
        "CalendarStatus" => of::<calendar::CalendarStatus>(g),
        "TenantView" => of::<admin::TenantView>(g),
        "NumberMoved" => of::<admin::NumberMoved>(g),
        "IssuedKey" => of::<admin::IssuedKey>(g),
        "Usage" => of::<admin::Usage>(g),
        "Health" => of::<admin::Health>(g),
        "WidgetKey" => of::<ten::widget::WidgetKey>(g),
        "ChatState" => of::<crate::flows::chat::session::ChatState>(g),
        _ => None,
    }
}

fn path_params(path: &str) -> Vec<Value> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|x| x.strip_suffix('}')))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect()
}

fn operation(r: &Route, g: &mut SchemaGenerator) -> Value {
    let mut params = path_params(r.path);
    for q in r.query {
        let (name, desc) = q.split_once(": ").unwrap_or((q, ""));
        params.push(json!({"name": name, "in": "query", "required": false, "description": desc, "schema": {"type": "string"}}));
    }
    let mut op = Map::new();
    op.insert(
        "operationId".into(),
        json!(format!(
            "{}{}",
            r.method.to_lowercase(),
            r.path
                .split(['/', '-', '.', '{', '}'])
                .filter(|s| !s.is_empty())
                .map(|s| {
                    let mut c = s.chars();
                    c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default()
                })
                .collect::<String>()
        )),
    );
    op.insert("summary".into(), json!(r.summary));
    op.insert("tags".into(), json!([r.function]));
    if !params.is_empty() {
        op.insert("parameters".into(), json!(params));
    }
    op.insert(
        "security".into(),
        match r.access.scheme() {
            // Opening a chat takes a widget key in the body, not a token.
            Some(_) if r.body == Some("StartChat") => json!([]),
            Some(s) => json!([{ s: [] }]),
            None => json!([]),
        },
    );
    if let Some(schema) = r.body.and_then(|b| body_schema(b, g)) {
        op.insert(
            "requestBody".into(),
            json!({"required": true, "content": {"application/json": {"schema": schema}}}),
        );
    } else if r.access == Access::Twilio {
        op.insert(
            "requestBody".into(),
            json!({"required": true, "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "additionalProperties": {"type": "string"}}}}}),
        );
    }
    let json_body = |description: &str, name: &str, g: &mut SchemaGenerator| {
        let schema = response_schema(name, g).map_or(Value::Null, Value::from);
        json!({"description": description, "content": {"application/json": {"schema": schema}}})
    };
    let (status, ok) = match r.answer {
        Answer::TwiML => (
            "200",
            json!({"description": "TwiML or an empty 200", "content": {"text/xml": {"schema": {"type": "string"}}}}),
        ),
        Answer::Csv => (
            "200",
            json!({"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}),
        ),
        Answer::Wav => (
            "200",
            json!({"description": "WAV audio", "content": {"audio/x-wav": {"schema": {"type": "string", "contentMediaType": "audio/x-wav"}}}}),
        ),
        Answer::Ok(name) => ("200", json_body("OK", name, g)),
        Answer::Created(name) => ("201", json_body("Created", name, g)),
        Answer::Accepted(name) => ("202", json_body("Accepted", name, g)),
        Answer::Empty => ("204", json!({"description": "Done; no body"})),
        Answer::Redirect => (
            "302",
            json!({"description": "To the dashboard, with the outcome in the query", "headers": {"Location": {"schema": {"type": "string"}}}}),
        ),
    };
    let problem = json!({"$ref": "#/components/responses/Problem"});
    let mut responses = Map::new();
    responses.insert(status.into(), ok);
    responses.insert("4XX".into(), problem.clone());
    responses.insert("5XX".into(), problem);
    op.insert("responses".into(), Value::Object(responses));
    if r.access.scheme() == Some("bearer") {
        op.insert(
            "x-frontline-roles".into(),
            json!(match r.access {
                Access::Member => vec!["owner", "staff"],
                Access::Owner => vec!["owner"],
                _ => vec!["admin"],
            }),
        );
    }
    Value::Object(op)
}

/// The whole document.
pub fn document() -> Value {
    let mut g = SchemaSettings::draft2020_12()
        .with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        })
        .into_generator();
    let mut paths: Map<String, Value> = Map::new();
    for r in ROUTES {
        let op = operation(r, &mut g);
        let entry = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        entry[r.method.to_lowercase()] = op;
    }
    let mut schemas = g.take_definitions(true);
    schemas.insert(
        "Problem".into(),
        json!({
            "type": "object",
            "description": "RFC 9457 problem details",
            "required": ["type", "title", "status", "detail"],
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string", "description": "What is wrong; names the field at fault (`booking.lead_time_min: …`)"}
            }
        }),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Frontline API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The AI receptionist's Twilio webhooks and the owner's, CRM and admin APIs. The tenant of every bearer request comes from the token. Lists return {items, next}; pass `next` back as `cursor`."
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                "Problem": {"description": "An error", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            },
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "An access token from /v1/auth/login (JWT) or an API key (fk_…)"},
                "chatSession": {"type": "http", "scheme": "bearer", "description": "The website chat: POST /v1/chat/sessions takes a widget key (wk_…) allowed for the page's Origin and answers a session token (JWT, 30 minutes idle); the session's routes take that token"},
                "twilioSignature": {"type": "apiKey", "in": "header", "name": "X-Twilio-Signature", "description": "Twilio's HMAC-SHA1 request signature (Twilio docs, \"Webhooks security\")"}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_body_name_has_a_type() {
        let mut g = SchemaGenerator::default();
        for r in ROUTES {
            if let Some(b) = r.body {
                assert!(body_schema(b, &mut g).is_some(), "{b} has no schema");
            }
        }
    }

    #[test]
    fn every_json_answer_has_a_real_schema() {
        let mut g = SchemaGenerator::default();
        for r in ROUTES {
            if let Answer::Ok(n) | Answer::Created(n) | Answer::Accepted(n) = r.answer {
                assert!(response_schema(n, &mut g).is_some(), "{n} has no schema");
            }
        }
        // No JSON answer is a bare `object`: each names its fields.
        let doc = document();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for (method, op) in ops.as_object().unwrap() {
                for (status, resp) in op["responses"].as_object().unwrap() {
                    let schema = &resp["content"]["application/json"]["schema"];
                    if status.starts_with('2') && !schema.is_null() {
                        assert_ne!(schema, &json!({"type": "object"}), "{method} {path}");
                    }
                }
            }
        }
    }

    #[test]
    fn document_lists_every_route_and_resolves_refs() {
        let doc = document();
        let n: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|p| p.as_object().unwrap().len())
            .sum();
        assert_eq!(n, ROUTES.len());
        let text = doc.to_string();
        for part in text.split("\"$ref\":\"#/components/").skip(1) {
            let target = part.split('"').next().unwrap();
            let mut at = &doc["components"];
            for seg in target.split('/') {
                at = &at[seg];
            }
            assert!(!at.is_null(), "dangling $ref {target}");
        }
        let login = &doc["paths"]["/v1/auth/login"]["post"]["requestBody"]["content"]
            ["application/json"]["schema"]["$ref"];
        assert_eq!(login, "#/components/schemas/LoginRequest");
    }
}
