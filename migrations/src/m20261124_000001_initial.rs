//! The initial schema: clients, teams, leads, messages, decisions, business
//! hours and closures, ring groups and call attempts, escalations and claims,
//! webhook deliveries, admins and their client grants.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

const SCHEMA: &str = include_str!("schema.sql");

/// Creates every table and index.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The schema's statements with the type placeholders filled in for `backend`.
pub fn statements(backend: DbBackend) -> Vec<String> {
    let (uuid, ts, boolean, float) = match backend {
        DbBackend::Postgres => ("UUID", "TIMESTAMPTZ", "BOOLEAN", "DOUBLE PRECISION"),
        _ => ("BLOB", "TEXT", "BOOLEAN", "REAL"),
    };
    let without_comments: String = SCHEMA
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

// The trait is declared with an elided lifetime; naming it breaks the match.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        for statement in statements(manager.get_database_backend()) {
            connection.execute_unprepared(&statement).await?;
        }
        Ok(())
    }
}
