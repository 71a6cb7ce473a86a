//! Every HTTP route: its method, path template, the function that serves it, who may call
//! it, and what the OpenAPI document says about it. `template.yaml`, the local runner and
//! `/v1/openapi.json` are all held equal to this table (tests in `tests/tests/template.rs`
//! and `tests/tests/isolation.rs`).

use crate::tenancy::{AuthContext, Role};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Twilio webhooks: `X-Twilio-Signature` over the public URL.
    Twilio,
    /// No credential (sign-in, token refresh, password reset, Google's redirect, the
    /// OpenAPI document). Each such route carries its own proof (password, single-use
    /// token, `state`).
    Public,
    /// Any signed-in member of a tenant: the owner or staff.
    Member,
    /// The tenant's owner only.
    Owner,
    /// Platform administrators only.
    Admin,
    /// The website chat: a widget key bound to the page's `Origin` opens a session; the
    /// session's own token (`Authorization: Bearer`, audience `chat`) carries the rest.
    /// No dashboard login is accepted, and a chat token opens nothing else.
    Widget,
}

impl Access {
    /// Whether `role` may call a route with this access.
    pub fn allows(self, role: Role) -> bool {
        match self {
            Access::Twilio | Access::Public | Access::Widget => true,
            Access::Member => matches!(role, Role::Owner | Role::Staff),
            Access::Owner => role == Role::Owner,
            Access::Admin => role == Role::Admin,
        }
    }

    /// The OpenAPI `security` requirement name, if any.
    pub fn scheme(self) -> Option<&'static str> {
        match self {
            Access::Twilio => Some("twilioSignature"),
            Access::Public => None,
            Access::Widget => Some("chatSession"),
            _ => Some("bearer"),
        }
    }
}

/// One route of the HTTP API.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: &'static str,
    /// Path template with `{param}` segments, as API Gateway writes it.
    pub path: &'static str,
    /// The Lambda function (crate and binary name) that serves it.
    pub function: &'static str,
    pub access: Access,
    pub summary: &'static str,
    /// Query parameters the route reads, `name: description`.
    pub query: &'static [&'static str],
    /// The request body's schema (a name in [`crate::http::openapi`]'s components).
    pub body: Option<&'static str>,
    /// What a success answers (see [`Answer`]).
    pub answer: Answer,
}

/// A route's success: its status and, for JSON, the schema's name in
/// [`crate::http::openapi`] (`Page<X>` is a page of `X`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Twilio routes: TwiML or an empty 200.
    TwiML,
    /// `200 application/json`.
    Ok(&'static str),
    /// `201 application/json`: what was created.
    Created(&'static str),
    /// `202 application/json`.
    Accepted(&'static str),
    /// `204`, no body.
    Empty,
    /// `302` to the dashboard.
    Redirect,
    /// `200 text/csv`.
    Csv,
    /// `200 audio/x-wav`.
    Wav,
}

const fn r(
    method: &'static str,
    path: &'static str,
    function: &'static str,
    access: Access,
    summary: &'static str,
) -> Route {
    Route {
        method,
        path,
        function,
        access,
        summary,
        query: &[],
        body: None,
        answer: match access {
            Access::Twilio => Answer::TwiML,
            _ => Answer::Empty,
        },
    }
}

impl Route {
    const fn q(mut self, query: &'static [&'static str]) -> Self {
        self.query = query;
        self
    }

    const fn b(mut self, schema: &'static str) -> Self {
        self.body = Some(schema);
        self
    }

    const fn ok(mut self, schema: &'static str) -> Self {
        self.answer = Answer::Ok(schema);
        self
    }

    const fn created(mut self, schema: &'static str) -> Self {
        self.answer = Answer::Created(schema);
        self
    }

    const fn accepted(mut self, schema: &'static str) -> Self {
        self.answer = Answer::Accepted(schema);
        self
    }

    const fn answers(mut self, answer: Answer) -> Self {
        self.answer = answer;
        self
    }
}

use Access::*;

const PAGE: &[&str] = &[
    "limit: page size (1-500, default 100)",
    "cursor: the `next` value of the previous page",
];

/// Every route. Order is the OpenAPI document's order.
pub const ROUTES: &[Route] = &[
    r("POST", "/twilio/voice", "call-turn", Twilio, "A call starts: greeting TwiML"),
    r("POST", "/twilio/voice/turn", "call-turn", Twilio, "One <Gather> result: the next TwiML"),
    r("POST", "/twilio/voice/owner", "call-turn", Twilio, "A turn on the owner's line (a PIN or a question): the next TwiML"),
    r("POST", "/twilio/voice/fallback", "voice-fallback", Twilio, "Twilio's fallback URL: takes a message"),
    r("POST", "/twilio/voice/status", "twilio-status", Twilio, "Call status callback"),
    r("POST", "/twilio/voice/recording", "twilio-status", Twilio, "A voicemail's recording or transcription callback (`?to=` the number called)"),
    r("POST", "/twilio/sms/status", "twilio-status", Twilio, "Message status callback"),
    r("POST", "/twilio/sms", "sms-inbound", Twilio, "An inbound text: TwiML reply"),
    r("GET", "/v1/openapi.json", "api-auth", Public, "This OpenAPI 3.1 document").ok("OpenApiDocument"),
    r("POST", "/v1/auth/login", "api-auth", Public, "Sign in: access token and refresh token").b("LoginRequest").ok("Session"),
    r("POST", "/v1/auth/refresh", "api-auth", Public, "Trade a refresh token for new tokens (rotating; reuse revokes the family)").b("RefreshRequest").ok("Session"),
    r("POST", "/v1/auth/logout", "api-auth", Public, "Revoke a refresh token's family").b("RefreshRequest"),
    r("POST", "/v1/auth/password-reset", "api-auth", Public, "Email a one-time password reset token (always 202)").b("ResetRequest").accepted("ResetAccepted"),
    r("POST", "/v1/auth/password-reset/confirm", "api-auth", Public, "Set a new password with a reset token").b("ResetConfirm"),
    r("GET", "/v1/auth/me", "api-auth", Member, "The signed-in user").ok("Me"),
    r("GET", "/v1/auth/me/line", "api-auth", Member, "The signed-in login's owner's line: its cell, whether it is verified, whether a PIN is set").ok("LineSettings"),
    r("PUT", "/v1/auth/me/line", "api-auth", Member, "Set the login's cell for the owner's line; a six-digit code is texted to it").b("LineCellRequest").ok("LineSettings"),
    r("POST", "/v1/auth/me/line/verify", "api-auth", Member, "Verify the login's cell with the texted code: calls and texts from it reach the owner's line").b("LineCodeRequest").ok("LineSettings"),
    r("PUT", "/v1/auth/me/line/pin", "api-auth", Member, "Set the login's 4 to 6 digit PIN, for calling the owner's line from another phone").b("LinePinRequest").ok("LineSettings"),
    r("GET", "/v1/auth/users", "api-auth", Owner, "The tenant's logins").ok("Page<UserRow>"),
    r("POST", "/v1/auth/users", "api-auth", Owner, "Add an owner or staff login").b("NewUser").created("NewLogin"),
    r("PATCH", "/v1/auth/users/{email}", "api-auth", Owner, "Change a login's role, or disable or enable it; it is signed out everywhere at once").b("UserPatch").ok("UserRow"),
    r("DELETE", "/v1/auth/users/{email}", "api-auth", Owner, "Remove a login from the shop; it is signed out everywhere at once"),
    r("GET", "/v1/crm/customers", "api-crm", Member, "Search customers by name, phone or address")
        .q(&["q: name, phone or address text", "limit: page size (1-200, default 50)", "cursor: the `next` value of the previous page"]).ok("Page<Customer>"),
    r("POST", "/v1/crm/customers", "api-crm", Member, "Create a customer").b("CustomerInput").created("Customer"),
    r("GET", "/v1/crm/customers/{customer_id}", "api-crm", Member, "One customer").ok("Customer"),
    r("PATCH", "/v1/crm/customers/{customer_id}", "api-crm", Member, "Update a customer").b("CustomerPatch").ok("Customer"),
    r("GET", "/v1/crm/customers/{customer_id}/timeline", "api-crm", Member, "The customer's calls, texts and jobs, newest first").q(PAGE).ok("Page<TimelineEntry>"),
    r("GET", "/v1/crm/customers/{customer_id}/duplicates", "api-crm", Member, "Customers with the same phone, email or address").ok("Page<Customer>"),
    r("POST", "/v1/crm/customers/{customer_id}/merge", "api-crm", Owner, "Merge a duplicate into this customer").b("MergeRequest").ok("Merged"),
    r("GET", "/v1/crm/appointments", "api-crm", Member, "Appointments starting in [from, to)")
        .q(&["from: RFC 3339 (default now)", "to: RFC 3339 (default from + 30 days)", "limit: page size (1-500, default 100)", "cursor: the `next` value of the previous page"]).ok("Page<Appointment>"),
    r("POST", "/v1/crm/appointments", "api-crm", Member, "Book a job taken by hand: the same slot locks, day limit and customer text as a phone booking; 409 when the time is taken").b("NewAppointment").created("Appointment"),
    r("GET", "/v1/crm/appointments/{appointment_id}", "api-crm", Member, "One appointment with its notes").ok("Appointment"),
    r("PATCH", "/v1/crm/appointments/{appointment_id}", "api-crm", Member, "Move an appointment along its lifecycle; add a note").b("AppointmentPatch").ok("Appointment"),
    r("POST", "/v1/crm/appointments/{appointment_id}/reschedule", "api-crm", Member, "Move a booked job to another time or technician; the customer is texted").b("RescheduleRequest").ok("Appointment"),
    r("GET", "/v1/crm/calls", "api-crm", Member, "Calls, newest first")
        .q(&["from: RFC 3339 (default 7 days ago)", "to: RFC 3339 (default now)", "outcome: one terminal outcome", "emergency: true or false", "limit: page size (1-200, default 50)", "cursor: the `next` value of the previous page"]).ok("Page<CallSummary>"),
    r("GET", "/v1/crm/calls/{call_sid}", "api-crm", Member, "One call: outcome, triage reasons, transcript").ok("CallView"),
    r("GET", "/v1/crm/calls/{call_sid}/recording", "api-crm", Member, "The call's voicemail audio (WAV), fetched from Twilio for the signed-in office; 404 when none was left").answers(Answer::Wav),
    r("GET", "/v1/crm/notifications", "api-crm", Member, "Notification audit trail").q(&["limit: 1-500, default 100", "call_sid: only this call's", "customer_id: only those sent to this customer's numbers"]).ok("Page<NotificationRow>"),
    r("POST", "/v1/crm/import/customers", "api-crm", Owner, "Import customers from CSV (dry run previews row errors)").b("ImportRequest").ok("Imported"),
    r("GET", "/v1/crm/export/{kind}", "api-crm", Owner, "CSV export of customers, appointments or calls").answers(Answer::Csv),
    r("GET", "/v1/owner/today", "api-owner", Member, "Today and tomorrow: jobs, emergencies, callbacks, a speakable summary").ok("Today"),
    r("GET", "/v1/owner/schedule", "api-owner", Member, "One day's jobs and busy time").q(&["date: YYYY-MM-DD (default today)"]).ok("DaySchedule"),
    r("GET", "/v1/owner/availability", "api-owner", Member, "Free starts on a day for a service").q(&["date: YYYY-MM-DD (default today)", "service: service type"]).ok("Availability"),
    r("GET", "/v1/owner/callbacks", "api-owner", Member, "The callback queue").q(&["status: open (default) or done", "reason: missed_call, voicemail, handoff, …"]).ok("Page<CallbackTask>"),
    r("POST", "/v1/owner/callbacks/{callback_id}/resolve", "api-owner", Member, "Resolve a callback with an outcome and a note").b("ResolveCallback").ok("CallbackTask"),
    r("GET", "/v1/owner/analytics", "api-owner", Owner, "Jobs per week, service mix, emergencies, booking and missed-call rates, revenue estimate, top ZIP codes").q(&["weeks: 1-52 (default 12)"]).ok("Analytics"),
    r("GET", "/v1/owner/settings", "api-owner", Member, "Emergency keywords, notification contacts, retention").ok("GeneralSettings"),
    r("PUT", "/v1/owner/settings", "api-owner", Owner, "Change emergency keywords, notification contacts, retention").b("GeneralSettings").ok("GeneralSettings"),
    r("GET", "/v1/owner/settings/scheduling", "api-owner", Member, "Hours, closures, services, booking rules").ok("SchedulingSettings"),
    r("PUT", "/v1/owner/settings/scheduling", "api-owner", Owner, "Change hours, closures, services, booking rules").b("SchedulingSettings").ok("SchedulingSettings"),
    r("GET", "/v1/owner/audit", "api-owner", Owner, "Who changed what, newest first").q(&["limit: 1-500, default 100"]).ok("Page<AuditRow>"),
    r("GET", "/v1/owner/privacy/customers/{customer_id}", "api-owner", Owner, "Everything held about one customer (JSON export)").ok("CustomerExport"),
    r("DELETE", "/v1/owner/privacy/customers/{customer_id}", "api-owner", Owner, "Erase one customer: profile, calls, texts, jobs' personal data").ok("Erased"),
    r("POST", "/v1/owner/integrations/google/connect", "api-owner", Owner, "Start connecting Google Calendar").ok("AuthorizationUrl"),
    r("GET", "/v1/owner/integrations/google/callback", "api-owner", Public, "Google's OAuth redirect").q(&["state: single-use consent id", "code: authorization code", "error: consent error"]).answers(Answer::Redirect),
    r("GET", "/v1/owner/integrations/google", "api-owner", Member, "Google Calendar connection status").ok("CalendarStatus"),
    r("DELETE", "/v1/owner/integrations/google", "api-owner", Owner, "Disconnect Google Calendar"),
    r("GET", "/v1/admin/tenants", "api-admin", Admin, "Every tenant").ok("Page<TenantView>"),
    r("POST", "/v1/admin/tenants", "api-admin", Admin, "Create a tenant with its number and owner login").b("NewTenant").created("TenantView"),
    r("POST", "/v1/admin/tenants/{tenant_id}/suspend", "api-admin", Admin, "Suspend a tenant (calls take messages, nothing books)").ok("TenantView"),
    r("POST", "/v1/admin/tenants/{tenant_id}/lockdown", "api-admin", Admin, "Lock a tenant down under abuse (calls take messages, texts get no reply, only emergency alerts go out)").ok("TenantView"),
    r("POST", "/v1/admin/tenants/{tenant_id}/resume", "api-admin", Admin, "Resume a suspended or locked-down tenant").ok("TenantView"),
    r("PUT", "/v1/admin/tenants/{tenant_id}/number", "api-admin", Admin, "Route a Twilio number to a tenant").b("NumberRouteInput").ok("NumberMoved"),
    r("GET", "/v1/admin/tenants/{tenant_id}/credentials", "api-admin", Admin, "A tenant's API keys with last-used times").ok("Page<CredentialRow>"),
    r("POST", "/v1/admin/tenants/{tenant_id}/credentials", "api-admin", Admin, "Issue an API key (shown once)").b("NewCredential").created("IssuedKey"),
    r("POST", "/v1/admin/tenants/{tenant_id}/credentials/{credential_id}/rotate", "api-admin", Admin, "Rotate an API key; the old one works until the overlap ends").b("RotateCredential").created("IssuedKey"),
    r("DELETE", "/v1/admin/tenants/{tenant_id}/credentials/{credential_id}", "api-admin", Admin, "Revoke an API key now"),
    r("GET", "/v1/admin/usage", "api-admin", Admin, "Calls, minutes, texts and bookings per tenant").q(&["month: YYYY-MM (default this month)"]).ok("Usage"),
    r("GET", "/v1/admin/health", "api-admin", Admin, "Queue depths, DLQ counts, last scheduled-job runs").ok("Health"),
    r("GET", "/v1/owner/widget-keys", "api-owner", Owner, "The website chat widget's keys, each with the snippet to paste").ok("Page<WidgetKey>"),
    r("POST", "/v1/owner/widget-keys", "api-owner", Owner, "Create a widget key bound to the shop's site origins").b("NewWidgetKey").created("WidgetKey"),
    r("POST", "/v1/owner/widget-keys/{widget_key}/rotate", "api-owner", Owner, "Replace a widget key with a new value; the old one stops at once").created("WidgetKey"),
    r("DELETE", "/v1/owner/widget-keys/{widget_key}", "api-owner", Owner, "Revoke a widget key: its chats stop"),
    r("POST", "/v1/chat/sessions", "api-chat", Widget, "Open a website chat (widget key for the page's origin, the visitor's phone): the greeting and a session token").b("StartChat").created("ChatState"),
    r("OPTIONS", "/v1/chat/sessions", "api-chat", Public, "CORS preflight (grants nothing; the request itself is checked against the key's origins)"),
    r("GET", "/v1/chat/sessions/{session_id}", "api-chat", Widget, "The chat so far, to resume after a reload").ok("ChatState"),
    r("OPTIONS", "/v1/chat/sessions/{session_id}", "api-chat", Public, "CORS preflight"),
    r("POST", "/v1/chat/sessions/{session_id}/messages", "api-chat", Widget, "A visitor's message: the chat after the receptionist's answer").b("VisitorMessage").ok("ChatState"),
    r("OPTIONS", "/v1/chat/sessions/{session_id}/messages", "api-chat", Public, "CORS preflight"),
];

/// A matched route and its path parameters.
pub type Matched = (&'static Route, Vec<(String, String)>);

/// The route serving `method` `path`, with its path parameters.
pub fn find(method: &str, path: &str) -> Option<Matched> {
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    ROUTES.iter().find_map(|route| {
        if route.method != method {
            return None;
        }
        let t: Vec<&str> = route.path.split('/').collect();
        if t.len() != segs.len() {
            return None;
        }
        let mut params = Vec::new();
        for (a, b) in t.iter().zip(&segs) {
            if let Some(name) = a.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
                if b.is_empty() {
                    return None;
                }
                params.push((name.to_string(), b.to_string()));
            } else if a != b {
                return None;
            }
        }
        Some((route, params))
    })
}

/// The access a request's route requires (`Public` for no route: the handler's 404).
pub fn access_of(method: &str, path: &str) -> Access {
    find(method, path).map_or(Public, |(r, _)| r.access)
}

/// Whether `ctx` may call `method path`.
pub fn permitted(ctx: &AuthContext, method: &str, path: &str) -> bool {
    access_of(method, path).allows(ctx.role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_unique_and_found() {
        for r in ROUTES {
            let concrete = r.path.replace('{', "x").replace('}', "");
            let (found, _) = find(r.method, &concrete).unwrap();
            assert_eq!(found.path, r.path, "{} {}", r.method, r.path);
        }
    }

    #[test]
    fn path_parameters_are_extracted() {
        let (r, p) = find("GET", "/v1/crm/calls/CA123").unwrap();
        assert_eq!(r.function, "api-crm");
        assert_eq!(p, vec![("call_sid".to_string(), "CA123".to_string())]);
        assert_eq!(
            find("GET", "/v1/crm/calls/").unwrap().0.path,
            "/v1/crm/calls"
        );
        assert!(find("GET", "/v1/crm/calls//x").is_none());
    }

    #[test]
    fn roles() {
        assert!(Member.allows(Role::Staff));
        assert!(!Owner.allows(Role::Staff));
        assert!(!Member.allows(Role::Admin));
        assert!(!Admin.allows(Role::Owner));
    }
}
