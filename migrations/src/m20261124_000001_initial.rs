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
    crate::statements_for(SCHEMA, backend)
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
