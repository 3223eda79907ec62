//! Holidays and special hours of a client's schedule.

use sea_orm_migration::prelude::*;

const SCHEMA: &str = include_str!("calendar.sql");

/// Adds `business_holidays` and `business_special_hours`.
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
