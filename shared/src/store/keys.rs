//! Every DynamoDB key shape of the single table, and nothing else.
//!
//! Layout (see DESIGN.md, "The table"): `PK`/`SK` strings; GSI1 (`GSI1PK`/`GSI1SK`) is the
//! customer timeline; GSI2 (`GSI2PK`/`GSI2SK`) is the sparse reminder hour bucket.
//! Timestamps inside keys are RFC 3339 UTC with seconds (`2026-11-24T15:00:00Z`) so that
//! lexical order is time order.

use chrono::{DateTime, SecondsFormat, Utc};

/// Partition and sort key of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Every tenant, one item each (`TENANTS` / `T#{tenant}`): the scheduled jobs list them
/// with one Query instead of a Scan. Not in DESIGN.md's table.
pub fn tenant_member(tenant: &str) -> Key {
    Key {
        pk: "TENANTS".into(),
        sk: tenant_pk(tenant),
    }
}

/// Partition of [`tenant_member`] items.
pub const TENANTS_PK: &str = "TENANTS";

/// `T#{tenant}`: the partition of everything a tenant owns.
pub fn tenant_pk(tenant: &str) -> String {
    format!("{TENANT_PREFIX}{tenant}")
}

pub fn tenant_profile(tenant: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: "PROFILE".into(),
    }
}

pub fn number_route(e164: &str) -> Key {
    Key {
        pk: format!("NUM#{e164}"),
        sk: "ROUTE".into(),
    }
}

pub fn customer(tenant: &str, customer: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("CUST#{customer}"),
    }
}

/// Sort-key prefix of all customers of a tenant.
pub const CUSTOMER_PREFIX: &str = "CUST#";

/// GSI1 partition of one customer's timeline (calls, messages, jobs).
pub fn customer_timeline(tenant: &str, customer: &str) -> String {
    format!("T#{tenant}#CUST#{customer}")
}

pub fn customer_phone(tenant: &str, e164: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("CUSTPHONE#{e164}"),
    }
}

pub fn appointment(tenant: &str, start: DateTime<Utc>, appt: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("APPT#{}#{appt}", ts(start)),
    }
}

/// Sort-key bounds of appointments starting in `[from, to)`.
pub fn appointment_range(from: DateTime<Utc>, to: DateTime<Utc>) -> (String, String) {
    (format!("APPT#{}", ts(from)), format!("APPT#{}", ts(to)))
}

/// GSI1 sort key of an appointment on its customer's timeline.
pub fn timeline_appointment(start: DateTime<Utc>, appt: &str) -> String {
    format!("APPT#{}#{appt}", ts(start))
}

/// GSI2 partition: the UTC hour in which a booked job starts (`REMIND#2026-11-24T15`). The
/// hourly reminder job reads the buckets one reminder lead ahead (24 h, 2 h, …), across
/// all tenants at once.
pub fn reminder_bucket(hour: DateTime<Utc>) -> String {
    format!("REMIND#{}", hour.format("%Y-%m-%dT%H"))
}

/// Partition of one calendar resource (technician or van).
pub fn calendar_pk(tenant: &str, resource: &str) -> String {
    format!("T#{tenant}#CAL#{resource}")
}

pub fn slot_lock(tenant: &str, resource: &str, granule_start: DateTime<Utc>) -> Key {
    Key {
        pk: calendar_pk(tenant, resource),
        sk: format!("SLOT#{}", ts(granule_start)),
    }
}

/// Jobs booked on one resource on one local day (`DAY#2026-11-24`): the daily limit is a
/// condition on this counter inside the booking transaction.
pub fn day_load(tenant: &str, resource: &str, date: chrono::NaiveDate) -> Key {
    Key {
        pk: calendar_pk(tenant, resource),
        sk: format!("DAY#{date}"),
    }
}

/// Sort-key bounds of slot locks in `[from, to)`.
pub fn slot_range(from: DateTime<Utc>, to: DateTime<Utc>) -> (String, String) {
    (format!("SLOT#{}", ts(from)), format!("SLOT#{}", ts(to)))
}

/// Parses the granule start back out of a slot-lock sort key.
pub fn parse_slot_sk(sk: &str) -> Option<DateTime<Utc>> {
    let raw = sk.strip_prefix("SLOT#")?;
    DateTime::parse_from_rfc3339(raw)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub fn call(tenant: &str, call_sid: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("CALL#{call_sid}"),
    }
}

/// GSI1 sort key of a call on its customer's timeline.
pub fn timeline_call(started: DateTime<Utc>, call_sid: &str) -> String {
    format!("CALL#{}#{call_sid}", ts(started))
}

pub fn sms_message(tenant: &str, e164: &str, at: DateTime<Utc>) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!(
            "MSG#{e164}#{}",
            at.to_rfc3339_opts(SecondsFormat::Millis, true)
        ),
    }
}

/// GSI1 sort key of a text message on its customer's timeline.
pub fn timeline_message(at: DateTime<Utc>) -> String {
    format!("MSG#{}", at.to_rfc3339_opts(SecondsFormat::Millis, true))
}

/// Which text conversation (a `CALL#` item with a `tx_` id) is current for a number.
/// Not in DESIGN.md's table: one small pointer keeps "find this texter's conversation"
/// to one GetItem.
pub fn sms_conversation(tenant: &str, e164: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("CONV#{e164}"),
    }
}

/// Customer texts sent to one number in one UTC hour (`ADD` counter with a TTL): the
/// per-number throttle that stops message loops. Not in DESIGN.md's table.
pub fn send_throttle(tenant: &str, e164: &str, hour: DateTime<Utc>) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("THROTTLE#{e164}#{}", hour.format("%Y-%m-%dT%H")),
    }
}

/// Callback task; `status` is `open` or `done`.
pub fn callback(tenant: &str, status: &str, at: DateTime<Utc>, id: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("CB#{status}#{}#{id}", ts(at)),
    }
}

/// Sort-key prefix of callbacks with one status.
pub fn callback_prefix(status: &str) -> String {
    format!("CB#{status}#")
}

pub fn opt_out(tenant: &str, e164: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("OPTOUT#{e164}"),
    }
}

pub fn outbox(tenant: &str, at: DateTime<Utc>, event: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("OUTBOX#{}#{event}", ts(at)),
    }
}

/// Sort-key prefix of outbox events: the stream consumer selects on it.
pub const OUTBOX_PREFIX: &str = "OUTBOX#";

pub fn notification(tenant: &str, event: &str, channel: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("NOTIF#{event}#{channel}"),
    }
}

pub fn idempotency(scope: &str, key: &str) -> Key {
    Key {
        pk: format!("IDEM#{scope}#{key}"),
        sk: "IDEM".into(),
    }
}

/// Sort-key prefix of a tenant's audit records.
pub const AUDIT_PREFIX: &str = "AUDIT#";

pub fn audit(tenant: &str, at: DateTime<Utc>, id: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("AUDIT#{}#{id}", ts(at)),
    }
}

pub fn credential(sha256_hex: &str) -> Key {
    Key {
        pk: format!("CRED#{sha256_hex}"),
        sk: "CRED".into(),
    }
}

/// A dashboard login (owner, staff or admin), keyed by lower-cased email.
///
/// Not in DESIGN.md's table, which is silent on user accounts: one item per login keeps
/// sign-in to a single GetItem without a tenant in hand.
pub fn login(email: &str) -> Key {
    Key {
        pk: format!("LOGIN#{}", email.trim().to_lowercase()),
        sk: "LOGIN".into(),
    }
}

/// A tenant's connection to an outside provider (`INTEG#google`): status and the sealed
/// refresh token. Not in DESIGN.md's table.
pub fn integration(tenant: &str, provider: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("INTEG#{provider}"),
    }
}

/// The tenants connected to a provider, one item each under `INTEG#{provider}`: the
/// scheduled import lists them with one Query instead of a Scan.
pub fn integration_member(provider: &str, tenant: &str) -> Key {
    Key {
        pk: integration_registry(provider),
        sk: tenant_pk(tenant),
    }
}

/// Partition of [`integration_member`] items.
pub fn integration_registry(provider: &str) -> String {
    format!("INTEG#{provider}")
}

/// A pending OAuth consent (`state` parameter): single use, short TTL.
pub fn oauth_state(state: &str) -> Key {
    Key {
        pk: format!("OAUTH#{state}"),
        sk: "OAUTH".into(),
    }
}

/// Busy time imported from the owner's calendar on one resource. It sorts among the
/// appointments (`APPT#{start}#blk_…`) so the call path's one slot Query sees it.
pub fn busy_block(tenant: &str, resource: &str, start: DateTime<Utc>) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("APPT#{}#blk_{resource}", ts(start)),
    }
}

/// A login's membership in its tenant (`T#{tenant}` / `USER#{email}`): lists a tenant's
/// users with one Query. Not in DESIGN.md's table.
pub fn user_member(tenant: &str, email: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("USER#{}", email.trim().to_lowercase()),
    }
}

/// Sort-key prefix of a tenant's users.
pub const USER_PREFIX: &str = "USER#";

/// A refresh token, by the SHA-256 hex of its value (the value itself is never stored).
pub fn refresh_token(sha256_hex: &str) -> Key {
    Key {
        pk: format!("RTOK#{sha256_hex}"),
        sk: "RTOK".into(),
    }
}

/// A refresh-token family (every token rotated from one sign-in): revoked as a whole on
/// logout or on reuse of a spent token.
pub fn refresh_family(family: &str) -> Key {
    Key {
        pk: format!("RFAM#{family}"),
        sk: "RFAM".into(),
    }
}

/// A one-time password reset token, by the SHA-256 hex of its value.
pub fn password_reset(sha256_hex: &str) -> Key {
    Key {
        pk: format!("PWRESET#{sha256_hex}"),
        sk: "PWRESET".into(),
    }
}

/// An API credential's entry under its tenant (`APIKEY#{credential_id}`), pointing at the
/// hashed [`credential`] item: lists and rotates a tenant's keys.
pub fn credential_member(tenant: &str, credential_id: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("APIKEY#{credential_id}"),
    }
}

/// Sort-key prefix of a tenant's API credentials.
pub const CREDENTIAL_PREFIX: &str = "APIKEY#";

/// A website chat widget key by its public value (`WIDGET#{wk_…}` / `WIDGET`): the chat
/// API finds the tenant and the allowed origins with one GetItem. Not in DESIGN.md's
/// table (the widget came after it).
pub fn widget_key(key: &str) -> Key {
    Key {
        pk: format!("WIDGET#{key}"),
        sk: "WIDGET".into(),
    }
}

/// A widget key's copy under its tenant (`WIDGETKEY#{wk_…}`): lists a tenant's keys with
/// one Query. Written in the same transaction as [`widget_key`].
pub fn widget_key_member(tenant: &str, key: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("{WIDGET_KEY_PREFIX}{key}"),
    }
}

/// Sort-key prefix of a tenant's widget keys.
pub const WIDGET_KEY_PREFIX: &str = "WIDGETKEY#";

/// Where an appointment id's item is (`APPTREF#{appt}` → its start): the APIs address an
/// appointment by id alone. Written with the appointment.
pub fn appointment_ref(tenant: &str, appt: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("APPTREF#{appt}"),
    }
}

/// The last run of a scheduled job (`JOBRUN` / `RUN#{name}`), for the admin health view.
pub fn job_run(name: &str) -> Key {
    Key {
        pk: JOB_RUN_PK.into(),
        sk: format!("{JOB_RUN_PREFIX}{name}"),
    }
}

/// Sort-key prefix of [`job_run`] items.
pub const JOB_RUN_PREFIX: &str = "RUN#";

/// Partition of [`job_run`] items.
pub const JOB_RUN_PK: &str = "JOBRUN";

/// Prefixes of a tenant's items by kind.
pub const CALL_PREFIX: &str = "CALL#";
pub const MESSAGE_PREFIX: &str = "MSG#";
pub const APPOINTMENT_PREFIX: &str = "APPT#";
pub const CALLBACK_PREFIX: &str = "CB#";
pub const NOTIFICATION_PREFIX: &str = "NOTIF#";
/// Sort-key prefix of a tenant's phone-number index items ([`customer_phone`]).
pub const CUSTOMER_PHONE_PREFIX: &str = "CUSTPHONE#";
/// Prefix of [`tenant_pk`] (also the sort key of [`tenant_member`] and
/// [`integration_member`] items).
pub const TENANT_PREFIX: &str = "T#";

/// GSI1 sort-key bounds of a customer's appointments starting at or after `from` (on
/// [`customer_timeline`]; `~` sorts after every timestamp).
pub fn timeline_appointments_from(from: DateTime<Utc>) -> (String, String) {
    (format!("APPT#{}", ts(from)), "APPT#~".to_string())
}

/// What a rate-limit bucket meters (see `store::limits`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitScope<'a> {
    /// Calls answered for one tenant.
    TenantCalls(&'a str),
    /// Texts received by one tenant.
    TenantTexts(&'a str),
    /// Texts received by one tenant from one number.
    NumberTexts { tenant: &'a str, from: &'a str },
    /// Sign-in, refresh and password-reset requests from one client address.
    AuthIp(&'a str),
    /// Chat sessions opened with one widget key.
    ChatKey(&'a str),
    /// Chat sessions opened from one client address.
    ChatIp(&'a str),
}

/// `LIMIT#{scope}` / `BUCKET`: one rate-limit bucket, outside every tenant partition so
/// that a flood on one bucket never shares a partition with a tenant's data.
pub fn rate_bucket(scope: &LimitScope<'_>) -> Key {
    let pk = match scope {
        LimitScope::TenantCalls(t) => format!("LIMIT#T#{t}#CALLS"),
        LimitScope::TenantTexts(t) => format!("LIMIT#T#{t}#TEXTS"),
        LimitScope::NumberTexts { tenant, from } => format!("LIMIT#T#{tenant}#TEXTS#{from}"),
        LimitScope::AuthIp(ip) => format!("LIMIT#IP#{ip}#AUTH"),
        LimitScope::ChatKey(key) => format!("LIMIT#WIDGET#{key}"),
        LimitScope::ChatIp(ip) => format!("LIMIT#IP#{ip}#CHAT"),
    };
    Key {
        pk,
        sk: "BUCKET".into(),
    }
}

/// One owner's-line conversation (`T#{tenant}` / `LINE#S#{id}`: a CallSid, or `sms:` and
/// the texting cell). Expires a day after its last turn. Not in DESIGN.md's table.
pub fn line_session(tenant: &str, id: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("LINE#S#{id}"),
    }
}

/// The owner's line's wrong-PIN counter and lock, shop-wide (`T#{tenant}` / `LINE#PIN`).
pub fn line_pin_lock(tenant: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: "LINE#PIN".into(),
    }
}

/// A call's voicemail (`T#{tenant}` / `VM#{CallSid}`): the recording's SID and URL, its
/// length and transcription. Not in DESIGN.md's table.
pub fn voicemail(tenant: &str, call_sid: &str) -> Key {
    Key {
        pk: tenant_pk(tenant),
        sk: format!("{VOICEMAIL_PREFIX}{call_sid}"),
    }
}

/// Sort-key prefix of a tenant's voicemails.
pub const VOICEMAIL_PREFIX: &str = "VM#";
