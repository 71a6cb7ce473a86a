//! Which texts a turn's actions cause, and their wording.

use super::{AppointmentRef, Audience, OutboundMessage, OutboxEvent};
use crate::dialogue::{Action, AlertKind, Booking, Conversation, Lang, UpcomingAppointment};
use crate::phone;
use crate::scheduling::{speak_slot, speak_slot_es};
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

/// The customer's and the owner's texts about a booked (or moved) job.
fn booking_messages(tenant: &Tenant, b: &Booking) -> (&'static str, Vec<OutboundMessage>) {
    let from = &tenant.phone;
    let es = b.lang == Lang::Es;
    let when = if es {
        speak_slot_es(&b.slot, tenant)
    } else {
        speak_slot(&b.slot, tenant)
    };
    let label = tenant.label(b.service);
    let addr = b.address.as_ref().map(|a| a.display()).unwrap_or_default();
    let street = b
        .address
        .as_ref()
        .map(|a| a.street_line())
        .unwrap_or_default();
    let moved = b.replaces.is_some() && !b.replaces_hold;
    let number = phone::display(from);
    let customer = match (moved, es) {
        (true, false) => format!("{}: your {label} has been moved to {when}. Reply C to confirm or call {number} to change it. Reply STOP to opt out.", tenant.name),
        (false, false) => format!("{}: you're booked for {label} on {when} at {street}. Reply C to confirm or call {number} to change it. Reply STOP to opt out.", tenant.name),
        (true, true) => format!("{}: su cita se cambió para {when}. Responda C para confirmar o llame al {number} para cambiarla. Responda STOP para no recibir mensajes.", tenant.name),
        (false, true) => format!("{}: su cita quedó para {when} en {street}. Responda C para confirmar o llame al {number} para cambiarla. Responda STOP para no recibir mensajes.", tenant.name),
    };
    let caller = phone::display(&b.phone);
    let in_spanish = if es { " (habla español)" } else { "" };
    let owner_text = if moved {
        format!(
            "Job moved: {} ({caller}){in_spanish}, {label}, now {when_en}, {addr}.",
            b.name,
            when_en = speak_slot(&b.slot, tenant)
        )
    } else {
        format!(
            "New job booked: {} ({caller}){in_spanish}, {label}, {when_en}, {addr}.",
            b.name,
            when_en = speak_slot(&b.slot, tenant)
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
            sms(
                Audience::Owner,
                &tenant.contacts.owner_cell,
                from,
                owner_text,
            ),
        ],
    )
}

/// The booking a confirmed hold is, from the call's state.
fn confirmed_booking(state: &Conversation, held: &UpcomingAppointment) -> Booking {
    Booking {
        appointment_id: held.id.clone(),
        slot: held.slot.clone(),
        service: held.service,
        name: state.name.clone().unwrap_or_default(),
        phone: state.callback_number().to_string(),
        address: state.address.clone(),
        replaces: None,
        emergency: false,
        held: false,
        replaces_hold: false,
        lang: state.lang,
    }
}

/// Outbox events for the actions of one turn (`seq` is the turn being written).
pub fn events_for_turn(
    tenant: &Tenant,
    state: &Conversation,
    actions: &[Action],
    seq: u64,
    now: DateTime<Utc>,
) -> Vec<OutboxEvent> {
    let owner = &tenant.contacts.owner_cell;
    let from = &tenant.phone;
    let mut out = Vec::new();
    for (n, action) in actions.iter().enumerate() {
        let id = format!("{}-{seq}-{n}", state.id);
        let mut appointment = None;
        let (kind, messages) = match action {
            // A held offer tells nobody until the caller says yes.
            Action::Book(b) if b.held => continue,
            Action::Book(b) => {
                appointment = Some(AppointmentRef {
                    id: b.appointment_id.clone(),
                    start: b.slot.start,
                });
                booking_messages(tenant, b)
            }
            Action::Confirm(held) => {
                appointment = Some(AppointmentRef {
                    id: held.id.clone(),
                    start: held.slot.start,
                });
                booking_messages(tenant, &confirmed_booking(state, held))
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
                        sms(Audience::Customer, state.callback_number(), from, format!("{}: your {label} on {when} is cancelled. Call {} to book again. Reply STOP to opt out.", tenant.name, phone::display(from))),
                        sms(Audience::Owner, owner, from, format!("Cancelled: {name} ({}), {label} on {when}.", phone::display(state.callback_number()))),
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
            Action::SaveCustomer | Action::Callback { .. } | Action::Release(_) => continue,
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
pub fn missed_call_event(tenant: &Tenant, state: &Conversation, now: DateTime<Utc>) -> OutboxEvent {
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
        id: format!("{}-abandoned", state.id),
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
