//! Hotline's HTTP service.
//!
//! This crate will hold the axum routes: the Twilio webhooks, the admin API
//! with its multi-client access rules, health and metrics endpoints, and the
//! server-rendered settings and dashboard pages.
