//! Port: whether the service can do its work now (its store answers).

use async_trait::async_trait;

/// Answers readiness probes.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait Readiness: Send + Sync {
    /// Whether the store answers now; MUST NOT wait longer than a probe's
    /// patience (a few seconds).
    async fn is_ready(&self) -> bool;
}
