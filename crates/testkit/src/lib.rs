//! What Hotline's tests share, so each is written once: a local stand-in
//! for Twilio's REST API ([`twilio::FakeTwilio`]) and fresh databases that
//! are dropped afterwards ([`database::TestDatabase`]). The in-memory
//! adapters of the ports live with the domain (`hotline_domain::routing::memory`)
//! and the port contract suite with the storage adapter (`crates/db/tests`).

pub mod database;
pub mod twilio;
