//! SeaORM adapters for Hotline's store ports.
//!
//! This crate will hold the implementations of the domain's store ports
//! (clients, team members, leads, schedules, ring groups, escalations and
//! webhook idempotency records) on PostgreSQL and on embedded SQLite, with
//! the policy's atomic operations done atomically in the database.
