//! Mapping database errors onto the ports' error variants.

use hotline_domain::routing::ports::StoreError;
use sea_orm::{DbErr, SqlErr};

/// Opening or migrating the database failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL is not a PostgreSQL or SQLite URL Hotline can use.
    #[error("unsupported database URL (expected postgres://… or sqlite://…)")]
    UnsupportedUrl,
    /// The database refused or failed.
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

/// A driver error as the ports' [`StoreError`]: a unique violation is a
/// conflict, a missing referenced row is not-found, anything else is
/// "unavailable" (retry later).
pub fn store_error(error: DbErr) -> StoreError {
    match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(message)) => StoreError::Conflict(message),
        // The driver's text never reaches a caller: only what is missing.
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
            StoreError::NotFound("a record it refers to".to_owned())
        }
        _ => StoreError::Unavailable(error.to_string()),
    }
}
