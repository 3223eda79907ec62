//! Hotline's Twilio adapter.
//!
//! - [`TwilioClient`]: the REST client behind the domain's `Telephony` port:
//!   creates calls, cancels or completes them, sends texts; retries only
//!   when no duplicate can result, and paces call creation.
//! - [`SandboxTelephony`]: a `Telephony` that only logs, for running without
//!   Twilio credentials.
//! - [`twiml`]: renders the domain's voice responses and SMS replies as TwiML.
//! - [`signature`]: validates `X-Twilio-Signature` on webhooks.
//! - [`webhook`]: parses webhook forms into domain events.

mod client;
mod error;
mod pacing;
mod sandbox;
pub mod signature;
pub mod twiml;
pub mod webhook;

pub use client::{Credentials, TwilioClient, TwilioConfig};
pub use error::TwilioError;
pub use sandbox::SandboxTelephony;
