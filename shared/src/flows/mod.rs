//! The application layer: one module per use case. A flow loads what its case needs,
//! asks the pure domain (`dialogue`, `scheduling`, `crm`) to decide, writes once through
//! `store`, and says who to tell. Function crates parse an event, call one flow and render
//! its answer; `http` holds parsing, auth, problem+json and rendering only.

pub mod calls;
pub mod conversation;
pub mod delivery;
pub mod texting;
