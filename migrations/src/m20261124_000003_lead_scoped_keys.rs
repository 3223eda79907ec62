//! On PostgreSQL, drops the `client_id` foreign keys of the per-message
//! tables (messages, routing_decisions, ring_groups, call_attempts,
//! escalations).
//!
//! Each of those rows also references its lead, which references the
//! client, so deleting a client still cascades to all of them. The direct
//! key made every insert take a `FOR KEY SHARE` lock on the client's row;
//! at hundreds of messages a second for one client those shared locks
//! pile up as multixacts and slow every write down over minutes. SQLite
//! has no such locks and keeps its keys.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// Tables whose `client_id` key is dropped.
const TABLES: [&str; 5] = [
    "messages",
    "routing_decisions",
    "ring_groups",
    "call_attempts",
    "escalations",
];

/// Drops the keys on PostgreSQL.
#[derive(DeriveMigrationName)]
pub struct Migration;

// The trait is declared with an elided lifetime; naming it breaks the match.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let connection = manager.get_connection();
        for table in TABLES {
            connection
                .execute_unprepared(&format!(
                    "ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {table}_client_id_fkey"
                ))
                .await?;
        }
        Ok(())
    }
}
