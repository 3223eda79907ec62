//! Hotline's routing policy, free of I/O.
//!
//! This crate decides what happens to a lead: whether a client is open at a
//! given instant ([`schedule`]), whether a lead's message is hot ([`intent`]),
//! and the value types every other crate speaks
//! in ([`PhoneNumber`], [`TimeZoneName`], ids). It depends on no database,
//! HTTP or Twilio library, so other Rust services can embed it and bring
//! their own adapters.

pub mod admin;
pub mod ids;
pub mod intent;
pub mod national_phone;
pub mod phone;
pub mod readiness;
pub mod reports;
pub mod routing;
pub mod schedule;
pub mod timezone;
pub mod webhooks;
pub mod work;

pub use ids::{ClientId, IdError, LeadId, TeamMemberId};
pub use intent::{
    BuiltinIntentScorer, Evidence, IntentAssessment, IntentModel, IntentScore, IntentScorer,
    IntentThreshold, Signal,
};
pub use phone::{PhoneNumber, PhoneNumberError};
pub use schedule::{ScheduleDocument, ScheduleError, ScheduleStatus, WeeklySchedule};
pub use timezone::{TimeZoneName, UnknownTimeZone};

/// An instant on the UTC time line; the domain's only notion of "when".
pub use jiff::Timestamp;
