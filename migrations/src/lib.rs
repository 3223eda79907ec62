//! Hotline's database schema.
//!
//! Each migration is written once as SQL with four type placeholders
//! filled in per backend (see `schema.sql`): `m20261124_000001_initial`,
//! then `m20261124_000002_web_sessions` for the web pages' sign-in,
//! `m20261124_000003_lead_scoped_keys`, which drops per-message client keys
//! on PostgreSQL (see its documentation), and `m20261130_000004_intent_labels`
//! for admins' verdicts on scored messages, and `m20261130_000005_jobs` for
//! durable work and the state of each text to the team, and
//! `m20261130_000006_ring_strategies` for ring strategies and availability,
//! `m20261130_000007_follow_through` for following a lead through, and
//! `m20261130_000008_webhooks` for outbound webhooks, and
//! `m20261130_000009_jobs_vacuum` to vacuum `jobs` often on PostgreSQL, and
//! `m20261130_000010_admin_expiry` for admin tokens that expire, and
//! `m20261130_000011_calendar` for holidays and special hours, and
//! `m20261130_000012_webhook_leads` for the lead of each webhook delivery,
//! and `m20261130_000013_report_indexes` for the owner's pages at scale.
//! [`migrate`] applies pending migrations; on PostgreSQL it holds a
//! transaction-scoped advisory lock while doing so, so several processes
//! starting at once apply each migration exactly once.

mod m20261124_000001_initial;
mod m20261124_000002_web_sessions;
mod m20261124_000003_lead_scoped_keys;
mod m20261130_000004_intent_labels;
mod m20261130_000005_jobs;
mod m20261130_000006_ring_strategies;
mod m20261130_000007_follow_through;
mod m20261130_000008_webhooks;
mod m20261130_000009_jobs_vacuum;
mod m20261130_000010_admin_expiry;
mod m20261130_000011_calendar;
mod m20261130_000012_webhook_leads;
mod m20261130_000013_report_indexes;

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, TransactionTrait,
};

/// Hotline's migrations, in order.
#[derive(Debug)]
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_initial::Migration),
            Box::new(m20261124_000002_web_sessions::Migration),
            Box::new(m20261124_000003_lead_scoped_keys::Migration),
            Box::new(m20261130_000004_intent_labels::Migration),
            Box::new(m20261130_000005_jobs::Migration),
            Box::new(m20261130_000006_ring_strategies::Migration),
            Box::new(m20261130_000007_follow_through::Migration),
            Box::new(m20261130_000008_webhooks::Migration),
            Box::new(m20261130_000009_jobs_vacuum::Migration),
            Box::new(m20261130_000010_admin_expiry::Migration),
            Box::new(m20261130_000011_calendar::Migration),
            Box::new(m20261130_000012_webhook_leads::Migration),
            Box::new(m20261130_000013_report_indexes::Migration),
        ]
    }
}

/// The statements of `sql` with the type placeholders (`{uuid}`, `{ts}`,
/// `{bool}`, `{float}`) filled in for `backend`, comments dropped.
pub(crate) fn statements_for(sql: &str, backend: DbBackend) -> Vec<String> {
    let (uuid, ts, boolean, float) = match backend {
        DbBackend::Postgres => ("UUID", "TIMESTAMPTZ", "BOOLEAN", "DOUBLE PRECISION"),
        _ => ("BLOB", "TEXT", "BOOLEAN", "REAL"),
    };
    let without_comments: String = sql
        .lines()
        .filter(|line| !line.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    without_comments
        .split(';')
        .map(str::trim)
        .filter(|statement| !statement.is_empty())
        .map(|statement| {
            statement
                .replace("{uuid}", uuid)
                .replace("{ts}", ts)
                .replace("{bool}", boolean)
                .replace("{float}", float)
        })
        .collect()
}

/// Runs every statement of a migration's SQL on the manager's connection.
pub(crate) async fn apply_sql(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    let connection = manager.get_connection();
    for statement in statements_for(sql, manager.get_database_backend()) {
        connection.execute_unprepared(&statement).await?;
    }
    Ok(())
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
