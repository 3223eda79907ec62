//! Durable work (`jobs`), the state of each escalation text (`escalation_texts`), leg redials and closed escalations.

use sea_orm_migration::prelude::*;

const SCHEMA: &str = include_str!("jobs.sql");

/// Creates `jobs` and `escalation_texts`; adds `call_attempts.redials` and `escalations.closed_at`.
#[derive(DeriveMigrationName)]
pub struct Migration;

// The trait is declared with an elided lifetime; naming it breaks the match.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::apply_sql(manager, SCHEMA).await
    }
}
