//! Following a lead through: the acknowledgement reply, the text to a lead nobody reached, escalation reminders and the manager's text.

use sea_orm_migration::prelude::*;

const SCHEMA: &str = include_str!("follow_through.sql");

/// Adds the follow-through columns of clients.
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
