//! Frontline's domain and adapters, shared by every Lambda function and the local runner.
//!
//! The domain (`triage`, `dialogue`, `scheduling`) is pure: no I/O, deterministic for a
//! given input and clock. `store` is the only module that knows DynamoDB key shapes;
//! `twilio`, `notify` and `http` adapt the outside world. See `DESIGN.md` in the shared
//! folder for the map.

pub mod abuse;
pub mod assist;
pub mod aws_usage;
pub mod clock;
pub mod config;
pub mod crm;
pub mod dialogue;
pub mod email;
pub mod flows;
pub mod google;
pub mod http;
pub mod ids;
pub mod notify;
pub mod owner_line;
pub mod phone;
pub mod queue;
pub mod schedules;
pub mod scheduling;
pub mod secrets;
pub mod services;
pub mod store;
pub mod telemetry;
pub mod tenancy;
pub mod triage;
pub mod twilio;

pub use services::Services;
