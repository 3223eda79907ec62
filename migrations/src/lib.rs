//! Hotline's database schema.
//!
//! This crate will hold the migrations that create Hotline's tables on both
//! PostgreSQL and SQLite, written once with sea-orm-migration.
