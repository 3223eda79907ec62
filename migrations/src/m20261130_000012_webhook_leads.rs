//! Webhook delivery attempts name their lead: `webhook_attempts.lead_id`.

use sea_orm_migration::prelude::*;

const SCHEMA: &str = include_str!("webhook_leads.sql");

/// Adds the lead of each delivery attempt.
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
