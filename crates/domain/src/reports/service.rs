//! The report use cases, each checked against the caller's grants.

use std::sync::Arc;

use crate::admin::{AdminError, Principal};
use crate::{ClientId, LeadId};

use super::ports::ReportStore;
use super::{AttemptView, DayFigures, EscalationView, LeadDetail, LeadSummary, Period, Stats};

/// Reports for admins.
#[derive(Clone)]
pub struct ReportService {
    store: Arc<dyn ReportStore>,
}

impl std::fmt::Debug for ReportService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportService").finish_non_exhaustive()
    }
}

impl ReportService {
    /// Reports over `store`.
    pub fn new(store: Arc<dyn ReportStore>) -> Self {
        Self { store }
    }

    /// The client's leads, newest first.
    ///
    /// # Errors
    ///
    /// `Forbidden` when the client is not the caller's; `Unavailable`.
    pub async fn leads(
        &self,
        principal: &Principal,
        client: ClientId,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<LeadSummary>, AdminError> {
        principal.require(client)?;
        Ok(self.store.leads(client, limit, offset).await?)
    }

    /// One page of the client's leads that `query` keeps, newest first.
    ///
    /// # Errors
    ///
    /// `Forbidden` when the client is not the caller's; `Unavailable`.
    pub async fn lead_page(
        &self,
        principal: &Principal,
        client: ClientId,
        query: &super::LeadQuery,
    ) -> Result<Vec<LeadSummary>, AdminError> {
        principal.require(client)?;
        Ok(self.store.lead_page(client, query).await?)
    }

    /// How many of the client's leads wait for a callback.
    ///
    /// # Errors
    ///
    /// `Forbidden`; `Unavailable`.
    pub async fn waiting_count(
        &self,
        principal: &Principal,
        client: ClientId,
    ) -> Result<u64, AdminError> {
        principal.require(client)?;
        Ok(self.store.waiting_count(client).await?)
    }

    /// One lead with everything that happened to it.
    ///
    /// # Errors
    ///
    /// `Forbidden`; `NotFound` when absent or another client's; `Unavailable`.
    pub async fn lead(
        &self,
        principal: &Principal,
        client: ClientId,
        lead: LeadId,
    ) -> Result<LeadDetail, AdminError> {
        principal.require(client)?;
        self.store
            .lead_detail(client, lead)
            .await?
            .ok_or_else(|| AdminError::NotFound(format!("lead {lead}")))
    }

    /// The client's call attempts, newest first.
    ///
    /// # Errors
    ///
    /// `Forbidden`; `Unavailable`.
    pub async fn call_attempts(
        &self,
        principal: &Principal,
        client: ClientId,
        within: Option<(crate::Timestamp, crate::Timestamp)>,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<AttemptView>, AdminError> {
        principal.require(client)?;
        Ok(self
            .store
            .call_attempts(client, within, limit, offset)
            .await?)
    }

    /// The client's escalations, newest first.
    ///
    /// # Errors
    ///
    /// `Forbidden`; `Unavailable`.
    pub async fn escalations(
        &self,
        principal: &Principal,
        client: ClientId,
        within: Option<(crate::Timestamp, crate::Timestamp)>,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<EscalationView>, AdminError> {
        principal.require(client)?;
        Ok(self
            .store
            .escalations(client, within, limit, offset)
            .await?)
    }

    /// The figures of a period, in one read of the store.
    ///
    /// # Errors
    ///
    /// `Forbidden`; `Unavailable`.
    pub async fn stats(
        &self,
        principal: &Principal,
        client: ClientId,
        period: &Period,
    ) -> Result<Stats, AdminError> {
        principal.require(client)?;
        let facts = self
            .store
            .stats_facts(client, period.start, period.end)
            .await?;
        Ok(Stats::from_facts(&facts, period.start, period.end))
    }

    /// The figures of a period, of `previous` (to compare with) and of
    /// each of `days`, in one read of the store.
    ///
    /// # Errors
    ///
    /// `Forbidden`; `Unavailable`.
    pub async fn stats_with_previous(
        &self,
        principal: &Principal,
        client: ClientId,
        period: &Period,
        previous: Option<&Period>,
        days: &[Period],
    ) -> Result<(Stats, Option<Stats>, Vec<DayFigures>), AdminError> {
        principal.require(client)?;
        let spans = || days.iter().chain([period]).chain(previous);
        let start = spans().map(|d| d.start).min().unwrap_or(period.start);
        let end = spans().map(|d| d.end).max().unwrap_or(period.end);
        let facts = self.store.stats_facts(client, start, end).await?;
        let daily = days
            .iter()
            .map(|d| DayFigures::from_facts(&facts, d.from, d.start, d.end))
            .collect();
        Ok((
            Stats::from_facts(&facts, period.start, period.end),
            previous.map(|p| Stats::from_facts(&facts, p.start, p.end)),
            daily,
        ))
    }
}
