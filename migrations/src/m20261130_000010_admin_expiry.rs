//! Admin tokens that expire: `admins.expires_at`.

use sea_orm_migration::prelude::*;

const SCHEMA: &str = include_str!("admin_expiry.sql");

/// Adds the expiry of admins' tokens.
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
