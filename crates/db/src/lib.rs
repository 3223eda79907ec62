//! SeaORM adapters for Hotline's store ports, on PostgreSQL and SQLite.
//!
//! [`Db`] implements every store port of the routing policy. The operations
//! that decide a race are single atomic statements or short transactions
//! guarded by a primary key: one ringing group per lead
//! (`active_ring_groups`), one open escalation per lead (`open_escalations`),
//! a leg accepted only while its group rings and has no winner, a claim only
//! while unclaimed, a message or webhook delivery recorded once. The same SQL
//! runs on both backends (`$n` parameters, `ON CONFLICT DO NOTHING`).

mod admin;
mod admin_store;
mod cache;
mod codec;
mod db;
mod error;
mod intent_labels;
mod reports;
mod sessions;
mod stores;
mod webhooks;

pub use cache::CONFIG_TTL;
pub use db::{DEFAULT_POSTGRES_POOL, Db, Pruned};
pub use error::DbError;

/// New ids as time-ordered UUIDs (v7), which keep B-tree inserts local.
#[derive(Debug, Clone, Copy, Default)]
pub struct UuidV7Ids;

impl hotline_domain::routing::ports::IdSource for UuidV7Ids {
    fn new_uuid(&self) -> uuid::Uuid {
        uuid::Uuid::now_v7()
    }
}
