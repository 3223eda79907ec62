//! The hot-transfer policy: routing a lead's SMS to ringing phones or an
//! escalation, behind ports.
//!
//! [`RoutingService`] has one entry point per outside event (an inbound SMS,
//! a leg's status change, a leg answered, an agent pressing 1, a ring group
//! timing out, a claim, a booking). It reads and writes only through the
//! traits in [`ports`], so it can be embedded with any storage and telephony.
//! [`memory`] holds in-memory adapters for tests and for embedding without
//! a database.

pub mod model;
pub mod ports;
pub mod service;
pub mod voice;

#[cfg(any(test, feature = "mocks"))]
pub mod memory;

pub use service::{
    FollowUp, InboundSms, RoutingConfig, RoutingError, RoutingPorts, RoutingService, SmsHandled,
    VoiceHandled,
};
