//! Hotline's database schema.
//!
//! One migration so far, `m20261124_000001_initial`, written once as SQL
//! with four type placeholders filled in per backend (see `schema.sql`).
//! [`migrate`] applies pending migrations; on PostgreSQL it holds a
//! transaction-scoped advisory lock while doing so, so several processes
//! starting at once apply each migration exactly once.

mod m20261124_000001_initial;

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, TransactionTrait,
};

/// Hotline's migrations, in order.
#[derive(Debug)]
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m20261124_000001_initial::Migration)]
    }
}

/// Key of the PostgreSQL advisory lock taken while migrating ("hotline" in ASCII).
const MIGRATION_LOCK_KEY: i64 = 0x0068_6f74_6c69_6e65;

/// Applies every pending migration, safely when several processes do so at once.
///
/// # Errors
///
/// The database's error when a migration fails; nothing of that migration
/// is kept on PostgreSQL, where each runs in the locking transaction.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let txn = db.begin().await?;
            txn.execute_unprepared(&format!(
                "SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"
            ))
            .await?;
            Migrator::up(&txn, None).await?;
            txn.commit().await
        }
        _ => Migrator::up(db, None).await,
    }
}
