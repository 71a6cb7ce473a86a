//! Every HTTP route and the function that serves it. `template.yaml` must list exactly
//! these (a test holds them equal).

/// `(method, path template, function)`.
pub const ROUTES: &[(&str, &str, &str)] = &[
    ("POST", "/twilio/voice", "call-turn"),
    ("POST", "/twilio/voice/turn", "call-turn"),
    ("POST", "/twilio/voice/fallback", "voice-fallback"),
    ("POST", "/twilio/voice/status", "twilio-status"),
    ("POST", "/twilio/voice/recording", "twilio-status"),
    ("POST", "/twilio/sms/status", "twilio-status"),
    ("POST", "/twilio/sms", "sms-inbound"),
    ("POST", "/v1/auth/login", "api-auth"),
    ("GET", "/v1/crm/calls/{call_sid}", "api-crm"),
    ("GET", "/v1/crm/appointments", "api-crm"),
    ("GET", "/v1/crm/customers", "api-crm"),
    ("GET", "/v1/crm/notifications", "api-crm"),
    ("GET", "/v1/owner/schedule", "api-owner"),
    ("GET", "/v1/owner/availability", "api-owner"),
    ("GET", "/v1/owner/settings/scheduling", "api-owner"),
    ("PUT", "/v1/owner/settings/scheduling", "api-owner"),
    ("POST", "/v1/owner/integrations/google/connect", "api-owner"),
    ("GET", "/v1/owner/integrations/google/callback", "api-owner"),
    ("GET", "/v1/owner/integrations/google", "api-owner"),
    ("DELETE", "/v1/owner/integrations/google", "api-owner"),
];

/// A matched route: its path template, its function, and the path parameters.
pub type Matched = (&'static str, &'static str, Vec<(String, String)>);

/// The route matching a request, with its path parameters.
pub fn find(method: &str, path: &str) -> Option<Matched> {
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    ROUTES.iter().find_map(|(m, tpl, f)| {
        if *m != method {
            return None;
        }
        let t: Vec<&str> = tpl.split('/').collect();
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
        Some((*tpl, *f, params))
    })
}
