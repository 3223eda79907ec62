//! Hotline's wiring: configuration, the composition root ([`compose`]) and
//! the long-running commands, shared by the `hotline` binary and by every
//! test that boots Hotline.

pub mod compose;
pub mod config;
pub mod counted_telephony;
pub mod http_server;
pub mod log_writer;
pub mod serve;
pub mod webhooks;
pub mod worker;
