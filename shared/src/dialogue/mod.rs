//! The call (and text) conversation as a pure state machine.
//!
//! `step(state, input, ctx)` returns the next state, what to say, and the actions the
//! handler must carry out in one write. It performs no I/O: when it needs the calendar or
//! the caller's upcoming jobs it says so ([`Step::NeedAvailability`],
//! [`Step::NeedAppointments`]) and the handler calls it again with them loaded.

mod booking;
mod emergency;
mod existing;
pub mod extract;
mod faq;
mod messages;
mod phrases;
mod replies;
mod requests;
mod spoken;
mod state;
mod step;
mod suggest;

pub use extract::Address;
pub use replies::Lang;
pub use state::MESSAGE_IDS_KEPT;
pub use state::{
    Action, Alert, AlertKind, Booking, Channel, Conversation, Input, KnownCustomer, Outcome, Reply,
    Stage, TurnRecord, UpcomingAppointment,
};
pub use step::{hang_up, step, times_taken, Context, Step, StepOutput};
pub use suggest::quick_replies;

#[cfg(test)]
mod tests;
