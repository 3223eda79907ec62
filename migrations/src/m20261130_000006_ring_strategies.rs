//! Ring strategies: the client's strategy and tier delay, each member's priority and availability, each leg's tier, each group's strategy and call to the lead.

use sea_orm_migration::prelude::*;

const SCHEMA: &str = include_str!("ring_strategies.sql");

/// Adds the ring-strategy columns.
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
