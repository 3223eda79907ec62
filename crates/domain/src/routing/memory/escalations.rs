//! [`EscalationStore`] on the in-memory store.

use async_trait::async_trait;
use jiff::Timestamp;

use super::super::model::{ClaimOutcome, Escalation, EscalationId, EscalationOpen};
use super::super::ports::{EscalationStore, StoreError};
use super::MemoryStore;
use crate::ids::{ClientId, TeamMemberId};

#[async_trait]
impl EscalationStore for MemoryStore {
    async fn open_escalation(&self, escalation: &Escalation) -> Result<EscalationOpen, StoreError> {
        self.with(|s| {
            if let Some(open) = s
                .escalations
                .iter()
                .find(|e| e.lead_id == escalation.lead_id && e.claimed_by.is_none())
            {
                return EscalationOpen::AlreadyOpen(open.id);
            }
            s.escalations.push(escalation.clone());
            EscalationOpen::Opened
        })
    }

    async fn escalation(&self, id: EscalationId) -> Result<Option<Escalation>, StoreError> {
        self.with(|s| s.escalations.iter().find(|e| e.id == id).cloned())
    }

    async fn open_escalations(&self, client: ClientId) -> Result<Vec<Escalation>, StoreError> {
        self.with(|s| {
            s.escalations
                .iter()
                .rev()
                .filter(|e| e.client_id == client && e.claimed_by.is_none())
                .cloned()
                .collect()
        })
    }

    async fn claim(
        &self,
        id: EscalationId,
        member: TeamMemberId,
        now: Timestamp,
    ) -> Result<ClaimOutcome, StoreError> {
        self.with(|s| match s.escalations.iter_mut().find(|e| e.id == id) {
            None => Err(StoreError::NotFound(format!("escalation {id}"))),
            Some(found) => match found.claimed_by {
                Some(owner) if owner == member => Ok(ClaimOutcome::Claimed),
                Some(owner) => Ok(ClaimOutcome::AlreadyClaimed(owner)),
                None => {
                    found.claimed_by = Some(member);
                    found.claimed_at = Some(now);
                    Ok(ClaimOutcome::Claimed)
                }
            },
        })?
    }

    async fn mark_notified(
        &self,
        id: EscalationId,
        member: TeamMemberId,
        _at: Timestamp,
    ) -> Result<bool, StoreError> {
        self.with(|s| s.notified.insert((id, member)))
    }
}
