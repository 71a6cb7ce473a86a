//! Abuse limits on the public routes: token buckets (`store::take_token`, conditional
//! updates in DynamoDB) per tenant for calls and texts, per sending number for texts, and
//! per client address for the sign-in routes. A limited call still hears a person-like
//! answer (take a message); a limited text gets no reply; a limited sign-in gets 429.
//! The limiter fails open: when DynamoDB cannot answer, the request goes on (a caller is
//! never turned away because a counter is unreachable).

use crate::store::{LimitScope, Rate};
use crate::Services;

/// Bucket shapes, from the environment (README, Configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Calls answered per tenant: `LIMIT_CALLS_PER_MINUTE` (default 60; burst the same).
    pub calls: Rate,
    /// Texts received per tenant: `LIMIT_TEXTS_PER_MINUTE` (default 60; burst the same).
    pub texts: Rate,
    /// Texts received per tenant from one number: `LIMIT_TEXTS_PER_NUMBER_PER_MINUTE`
    /// (default 10, burst 20).
    pub texts_per_number: Rate,
    /// Sign-in, refresh and password-reset requests per client address:
    /// `LIMIT_AUTH_PER_IP_PER_MINUTE` (default 20, burst 30).
    pub auth_per_ip: Rate,
    /// Website chat sessions opened from one client address:
    /// `LIMIT_CHAT_SESSIONS_PER_IP_PER_MINUTE` (default 5, burst 10).
    pub chat_sessions_per_ip: Rate,
    /// Chat sessions opened with one widget key, from every address together:
    /// `LIMIT_CHAT_SESSIONS_PER_KEY_PER_MINUTE` (default 60; burst the same). Messages
    /// within a session are limited by the session itself (`flows::chat::session`).
    pub chat_sessions_per_key: Rate,
}

fn env_u32(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|v| *v > 0)
        .unwrap_or(default)
}

/// Per-minute rates of the defaults; bursts follow from them in [`Limits::at`].
const DEFAULT_CALLS: u32 = 60;
const DEFAULT_TEXTS: u32 = 60;
const DEFAULT_TEXTS_PER_NUMBER: u32 = 10;
const DEFAULT_AUTH_PER_IP: u32 = 20;
const DEFAULT_CHAT_SESSIONS_PER_IP: u32 = 5;
const DEFAULT_CHAT_SESSIONS_PER_KEY: u32 = 60;

impl Limits {
    /// The `LIMIT_*` variables, each falling back to its default (unset, unparsable or 0).
    pub fn from_env() -> Self {
        Self::at(
            env_u32("LIMIT_CALLS_PER_MINUTE", DEFAULT_CALLS),
            env_u32("LIMIT_TEXTS_PER_MINUTE", DEFAULT_TEXTS),
            env_u32(
                "LIMIT_TEXTS_PER_NUMBER_PER_MINUTE",
                DEFAULT_TEXTS_PER_NUMBER,
            ),
            env_u32("LIMIT_AUTH_PER_IP_PER_MINUTE", DEFAULT_AUTH_PER_IP),
        )
        .with_chat(
            env_u32(
                "LIMIT_CHAT_SESSIONS_PER_IP_PER_MINUTE",
                DEFAULT_CHAT_SESSIONS_PER_IP,
            ),
            env_u32(
                "LIMIT_CHAT_SESSIONS_PER_KEY_PER_MINUTE",
                DEFAULT_CHAT_SESSIONS_PER_KEY,
            ),
        )
    }

    /// These limits with the website chat's rates: one address may open twice its rate of
    /// sessions in a burst (a few reloads); a key's whole site shares one bucket.
    fn with_chat(mut self, sessions_per_ip: u32, per_key: u32) -> Self {
        self.chat_sessions_per_ip =
            Rate::per_minute(sessions_per_ip, sessions_per_ip.saturating_mul(2));
        self.chat_sessions_per_key = Rate::per_minute(per_key, per_key);
        self
    }

    /// Buckets for these per-minute rates: a tenant's calls and texts may all come at
    /// once; one number may send twice its rate in a burst (a conversation), one address
    /// half as much again as its rate (a mistyped password or two).
    fn at(calls: u32, texts: u32, per_number: u32, auth: u32) -> Self {
        Self {
            calls: Rate::per_minute(calls, calls),
            texts: Rate::per_minute(texts, texts),
            texts_per_number: Rate::per_minute(per_number, per_number.saturating_mul(2)),
            auth_per_ip: Rate::per_minute(auth, auth.saturating_add(auth / 2)),
            chat_sessions_per_ip: Rate::per_minute(0, 0),
            chat_sessions_per_key: Rate::per_minute(0, 0),
        }
        .with_chat(DEFAULT_CHAT_SESSIONS_PER_IP, DEFAULT_CHAT_SESSIONS_PER_KEY)
    }

    /// Limits no test or load run reaches (the bucket's finest rate, 60,000 a minute,
    /// with a burst of a million): for measuring the call path itself.
    pub fn unlimited() -> Self {
        let r = Rate::per_minute(1_000_000, 1_000_000);
        Self {
            calls: r,
            texts: r,
            texts_per_number: r,
            auth_per_ip: r,
            chat_sessions_per_ip: r,
            chat_sessions_per_key: r,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::at(
            DEFAULT_CALLS,
            DEFAULT_TEXTS,
            DEFAULT_TEXTS_PER_NUMBER,
            DEFAULT_AUTH_PER_IP,
        )
    }
}

/// Takes a token from every bucket in `scopes` (in order, stopping at the first empty
/// one): `true` when the request may go on.
pub async fn allow(svc: &Services, scopes: &[(LimitScope<'_>, Rate)]) -> bool {
    for (scope, rate) in scopes {
        match svc.store.take_token(scope, *rate, svc.clock.now()).await {
            Ok(true) => {}
            Ok(false) => {
                let kind = match scope {
                    LimitScope::TenantCalls(_) => "tenant_calls",
                    LimitScope::TenantTexts(_) => "tenant_texts",
                    LimitScope::NumberTexts { .. } => "number_texts",
                    LimitScope::AuthIp(_) => "auth_ip",
                    LimitScope::ChatKey(_) => "chat_key",
                    LimitScope::ChatIp(_) => "chat_ip",
                };
                crate::telemetry::emf_count(
                    crate::telemetry::NAMESPACE,
                    "RateLimited",
                    1.0,
                    &[("Scope", kind)],
                );
                tracing::warn!(scope = kind, "rate limited");
                return false;
            }
            Err(e) => {
                tracing::error!(error = %e, "rate limiter unavailable; request allowed");
                return true;
            }
        }
    }
    true
}
