//! The port reports read through.

use async_trait::async_trait;

use crate::routing::ports::StoreError;
use crate::{ClientId, LeadId, Timestamp};

use super::{AttemptView, EscalationView, LeadDetail, LeadQuery, LeadSummary, StatsFacts};

/// Read models of a client's leads, calls and escalations.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ReportStore: Send + Sync {
    /// The client's leads, newest first, `offset` skipped, at most `limit`.
    async fn leads(
        &self,
        client: ClientId,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<LeadSummary>, StoreError>;
    /// One page of the client's leads that `query` keeps (waiting for a
    /// callback: an escalation nobody has claimed or closed), newest first
    /// (by first text, then id), read on from `query.before` when given.
    async fn lead_page(
        &self,
        client: ClientId,
        query: &LeadQuery,
    ) -> Result<Vec<LeadSummary>, StoreError>;
    /// How many of the client's leads wait for a callback.
    async fn waiting_count(&self, client: ClientId) -> Result<u64, StoreError>;
    /// One lead of the client with its history; MUST answer `Ok(None)` when
    /// the lead is absent or another client's.
    async fn lead_detail(
        &self,
        client: ClientId,
        lead: LeadId,
    ) -> Result<Option<LeadDetail>, StoreError>;
    /// The client's call attempts, newest first; only those created in
    /// `[from, to)` when `within` is given.
    async fn call_attempts(
        &self,
        client: ClientId,
        within: Option<(Timestamp, Timestamp)>,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<AttemptView>, StoreError>;
    /// The client's escalations, newest first; only those opened in
    /// `[from, to)` when `within` is given.
    async fn escalations(
        &self,
        client: ClientId,
        within: Option<(Timestamp, Timestamp)>,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<EscalationView>, StoreError>;
    /// What the statistics of instants in `[from, to)` are computed from,
    /// in one query: every fact whose own instant lies in the range.
    async fn stats_facts(
        &self,
        client: ClientId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<StatsFacts, StoreError>;
}
