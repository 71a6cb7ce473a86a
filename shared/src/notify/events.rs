//! Which texts a turn's actions cause, and their wording.

use super::{AppointmentRef, Audience, OutboundMessage, OutboxEvent};
use crate::dialogue::{Action, AlertKind, CallState};
use crate::phone;
use crate::scheduling::speak_slot;
use crate::tenancy::Tenant;
use chrono::{DateTime, Utc};

fn sms(audience: Audience, to: &str, from: &str, body: String) -> OutboundMessage {
    OutboundMessage {
        channel: "sms".into(),
        audience,
        to: to.into(),
        from: from.into(),
        body,
    }
}

/// Outbox events for the actions of one turn (`seq` is the turn being written).
pub fn events_for_turn(
    tenant: &Tenant,
    state: &CallState,
    actions: &[Action],
    seq: u64,
    now: DateTime<Utc>,
) -> Vec<OutboxEvent> {
    let owner = &tenant.contacts.owner_cell;
    let from = &tenant.phone;
    let mut out = Vec::new();
    for (n, action) in actions.iter().enumerate() {
        let id = format!("{}-{seq}-{n}", state.call_sid);
        let mut appointment = None;
        let (kind, messages) = match action {
            Action::Book(b) => {
                let when = speak_slot(&b.slot, tenant);
                let label = tenant.label(b.service);
                let addr = b.address.as_ref().map(|a| a.display()).unwrap_or_default();
                let moved = b.replaces.is_some();
                appointment = Some(AppointmentRef {
                    id: b.appointment_id.clone(),
                    start: b.slot.start,
                });
                let customer = if moved {
                    format!("{}: your {label} has been moved to {when}. Reply C to confirm or call {} to change it. Reply STOP to opt out.", tenant.name, phone::display(from))
                } else {
                    format!("{}: you're booked for {label} on {when} at {}. Reply C to confirm or call {} to change it. Reply STOP to opt out.", tenant.name, b.address.as_ref().map(|a| a.street_line()).unwrap_or_default(), phone::display(from))
                };
                let owner_text = if moved {
                    format!(
                        "Job moved: {} ({}), {label}, now {when}, {addr}.",
                        b.name,
                        phone::display(&b.phone)
                    )
                } else {
                    format!(
                        "New job booked: {} ({}), {label}, {when}, {addr}.",
                        b.name,
                        phone::display(&b.phone)
                    )
                };
                (
                    if moved {
                        "appointment_rescheduled"
                    } else {
                        "appointment_booked"
                    },
                    vec![
                        sms(Audience::Customer, &b.phone, from, customer),
                        sms(Audience::Owner, owner, from, owner_text),
                    ],
                )
            }
            Action::Cancel(a) => {
                appointment = Some(AppointmentRef {
                    id: a.id.clone(),
                    start: a.slot.start,
                });
                let when = speak_slot(&a.slot, tenant);
                let label = tenant.label(a.service);
                let name = state.name.clone().unwrap_or_else(|| "A customer".into());
                (
                    "appointment_cancelled",
                    vec![
                        sms(Audience::Customer, state.callback(), from, format!("{}: your {label} on {when} is cancelled. Call {} to book again. Reply STOP to opt out.", tenant.name, phone::display(from))),
                        sms(Audience::Owner, owner, from, format!("Cancelled: {name} ({}), {label} on {when}.", phone::display(state.callback()))),
                    ],
                )
            }
            Action::AlertOwner(a) => {
                let kind = match a.kind {
                    AlertKind::Emergency => "emergency_alert",
                    AlertKind::EmergencyDetails => "emergency_details",
                    AlertKind::Message => "message_taken",
                    AlertKind::MissedCall => "missed_call",
                };
                (
                    kind,
                    vec![sms(
                        Audience::Owner,
                        owner,
                        from,
                        format!("{}: {}", tenant.name, a.text),
                    )],
                )
            }
            Action::SaveCustomer | Action::Callback { .. } => continue,
        };
        out.push(OutboxEvent {
            id,
            tenant_id: tenant.id.clone(),
            kind: kind.into(),
            created_at: now,
            messages,
            appointment,
        });
    }
    out
}

/// The owner's text for a caller who hung up before any outcome.
pub fn missed_call_event(tenant: &Tenant, state: &CallState, now: DateTime<Utc>) -> OutboxEvent {
    let said = state
        .transcript
        .iter()
        .find(|t| t.speaker == "caller")
        .map(|t| {
            format!(
                " They said: \"{}\"",
                t.text.chars().take(120).collect::<String>()
            )
        })
        .unwrap_or_default();
    let who = state.name.clone().unwrap_or_else(|| "A caller".into());
    OutboxEvent {
        id: format!("{}-abandoned", state.call_sid),
        tenant_id: tenant.id.clone(),
        kind: "missed_call".into(),
        created_at: now,
        messages: vec![sms(
            Audience::Owner,
            &tenant.contacts.owner_cell,
            &tenant.phone,
            format!(
                "{}: {who} ({}) hung up before finishing.{said} Call them back.",
                tenant.name,
                phone::display(&state.caller)
            ),
        )],
        appointment: None,
    }
}
