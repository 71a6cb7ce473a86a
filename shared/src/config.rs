//! Configuration from environment variables (each is listed in README.md with its default).

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// Abuse limits on the public routes (`LIMIT_*`, see `abuse::Limits`).
    pub limits: crate::abuse::Limits,
    /// `TABLE_NAME` (default `frontline`).
    pub table_name: String,
    /// `NOTIFICATIONS_QUEUE_URL`: the SQS queue `fanout` sends to.
    pub notifications_queue_url: String,
    /// `TWILIO_SECRET_ID`: Secrets Manager id of `{"account_sid","auth_token"}`.
    pub twilio_secret_id: String,
    /// `JWT_SECRET_ID`: Secrets Manager id of `{"signing_key"}`.
    pub jwt_secret_id: String,
    /// `TWILIO_API_BASE` (default `https://api.twilio.com`).
    pub twilio_api_base: String,
    /// `PUBLIC_BASE_URL`: the URL Twilio calls (signatures are computed over it). When
    /// unset, the request's `Host` and `X-Forwarded-Proto` headers are used.
    pub public_base_url: Option<String>,
    /// `DDB_TIMEOUT_MS` (default 2500): per-operation timeout of DynamoDB calls.
    pub ddb_timeout: Duration,
    /// `ACCESS_TOKEN_TTL_S` (default 900): lifetime of dashboard access tokens.
    pub access_token_ttl_s: i64,
    /// `NOTIFY_RETRY_BASE_S` (default 10): first retry delay of a text Twilio refused for
    /// now (429/5xx); doubles per receive, capped at 15 minutes.
    pub notify_retry_base_s: u32,
    /// `LLM_BASE_URL`: an OpenAI-compatible API root; unset disables the extraction assist.
    pub llm_base_url: Option<String>,
    /// `LLM_MODEL` (default `gpt-4o-mini`).
    pub llm_model: String,
    /// `LLM_SECRET_ID` (default `frontline/llm`): Secrets Manager id of `{"api_key"}`.
    pub llm_secret_id: String,
    /// `ALERT_EMAIL_FROM`: an SES-verified sender address; unset disables the email
    /// fallback of owner alerts.
    pub alert_email_from: Option<String>,
    /// `INTEGRATIONS_QUEUE_URL`: the SQS queue of calendar sync jobs; empty disables the
    /// sync (fanout sends nothing there).
    pub integrations_queue_url: String,
    /// `GOOGLE_OAUTH_SECRET_ID` (default `frontline/google-oauth`): Secrets Manager id of
    /// the Google OAuth client `{"client_id","client_secret"}`.
    pub google_oauth_secret_id: String,
    /// `CALENDAR_KEY_SECRET_ID` (default `frontline/calendar-key`): Secrets Manager id of
    /// the key that seals refresh tokens (`{"key_id","key","previous"}`, see
    /// `google::seal`).
    pub calendar_key_secret_id: String,
    /// `GOOGLE_AUTH_URL`, `GOOGLE_TOKEN_URL`, `GOOGLE_REVOKE_URL`, `GOOGLE_CALENDAR_API`:
    /// Google's endpoints (defaults are Google's own).
    pub google: crate::google::GoogleEndpoints,
    /// `DASHBOARD_URL`: where the owner lands after connecting a calendar (default: the
    /// API's own base URL + `/`).
    pub dashboard_url: Option<String>,
    /// `BACKUP_KEEP` (default 7): on-demand backups the `backup` job keeps.
    pub backup_keep: usize,
}

fn var(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

impl Config {
    pub fn from_env() -> Self {
        Self {
            table_name: var("TABLE_NAME", "frontline"),
            notifications_queue_url: var("NOTIFICATIONS_QUEUE_URL", ""),
            twilio_secret_id: var("TWILIO_SECRET_ID", "frontline/twilio"),
            jwt_secret_id: var("JWT_SECRET_ID", "frontline/jwt"),
            twilio_api_base: var("TWILIO_API_BASE", "https://api.twilio.com"),
            public_base_url: std::env::var("PUBLIC_BASE_URL")
                .ok()
                .filter(|v| !v.is_empty()),
            ddb_timeout: Duration::from_millis(
                var("DDB_TIMEOUT_MS", "2500").parse().unwrap_or(2500),
            ),
            access_token_ttl_s: var("ACCESS_TOKEN_TTL_S", "900").parse().unwrap_or(900),
            notify_retry_base_s: var("NOTIFY_RETRY_BASE_S", "10").parse().unwrap_or(10),
            llm_base_url: std::env::var("LLM_BASE_URL").ok().filter(|v| !v.is_empty()),
            llm_model: var("LLM_MODEL", "gpt-4o-mini"),
            llm_secret_id: var("LLM_SECRET_ID", "frontline/llm"),
            alert_email_from: std::env::var("ALERT_EMAIL_FROM")
                .ok()
                .filter(|v| !v.is_empty()),
            integrations_queue_url: var("INTEGRATIONS_QUEUE_URL", ""),
            google_oauth_secret_id: var("GOOGLE_OAUTH_SECRET_ID", "frontline/google-oauth"),
            calendar_key_secret_id: var("CALENDAR_KEY_SECRET_ID", "frontline/calendar-key"),
            google: {
                let d = crate::google::GoogleEndpoints::default();
                crate::google::GoogleEndpoints {
                    auth_url: var("GOOGLE_AUTH_URL", &d.auth_url),
                    token_url: var("GOOGLE_TOKEN_URL", &d.token_url),
                    revoke_url: var("GOOGLE_REVOKE_URL", &d.revoke_url),
                    api_base: var("GOOGLE_CALENDAR_API", &d.api_base),
                }
            },
            dashboard_url: std::env::var("DASHBOARD_URL")
                .ok()
                .filter(|v| !v.is_empty()),
            backup_keep: var("BACKUP_KEEP", "7").parse().unwrap_or(7),
            limits: crate::abuse::Limits::from_env(),
        }
    }
}
