//! Twilio: webhook signatures, webhook forms, TwiML rendering and the REST client.
//!
//! Sources: Twilio "Webhooks security" (X-Twilio-Signature), "TwiML for Programmable
//! Voice" (`<Gather>`, `<Say>`, `<Dial>`), the Messages resource of the REST API.

pub mod form;
pub mod replies;
pub mod rest;
pub mod signature;
pub mod twiml;

pub use form::WebhookForm;
pub use rest::{TwilioClient, TwilioCredentials, TwilioError};
pub use signature::{sign, validate};
pub use twiml::{Twiml, Verb};
