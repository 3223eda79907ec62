//! Indexes of the owner's pages at scale.

use sea_orm_migration::prelude::*;

const SCHEMA: &str = include_str!("report_indexes.sql");

/// Adds the indexes of the leads pages and the statistics.
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
