//! The `jobs` table is written several times per row and fast (a claim,
//! a renewal, a finish), and its claim queries walk partial indexes that
//! fill with dead entries until vacuumed. On PostgreSQL this vacuums it
//! after 1 % of its rows changed (the default is 20 %), so claims stay
//! quick under load. SQLite has no autovacuum settings: nothing to do.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// Tunes autovacuum of `jobs` on PostgreSQL.
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
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE jobs SET (autovacuum_vacuum_scale_factor = 0.01, \
                 autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0.02)",
            )
            .await?;
        Ok(())
    }
}
