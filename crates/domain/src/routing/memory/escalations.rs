//! [`EscalationStore`] on the in-memory store.

use async_trait::async_trait;
use jiff::Timestamp;

use super::super::model::{
    ClaimOutcome, Escalation, EscalationId, EscalationOpen, EscalationText, TextPurpose, TextState,
};
use super::super::ports::{EscalationStore, StoreError};
use super::MemoryStore;
use crate::ids::{ClientId, LeadId, TeamMemberId};
use crate::work::NewJob;

#[async_trait]
impl EscalationStore for MemoryStore {
    async fn open_escalation(
        &self,
        escalation: &Escalation,
        then: &[NewJob],
    ) -> Result<EscalationOpen, StoreError> {
        self.with(|s| {
            if let Some(open) = s.escalations.iter().find(|e| {
                e.lead_id == escalation.lead_id
                    && e.claimed_by.is_none()
                    && !s.closed_escalations.contains(&e.id)
            }) {
                return EscalationOpen::AlreadyOpen(open.id);
            }
            s.escalations.push(escalation.clone());
            s.store_jobs(then, escalation.created_at);
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
                .filter(|e| {
                    e.client_id == client
                        && e.claimed_by.is_none()
                        && !s.closed_escalations.contains(&e.id)
                })
                .cloned()
                .collect()
        })
    }

    async fn claim(
        &self,
        id: EscalationId,
        member: TeamMemberId,
        now: Timestamp,
        then: &[NewJob],
    ) -> Result<ClaimOutcome, StoreError> {
        let closed = self.with(|s| s.closed_escalations.contains(&id))?;
        self.with(|s| match s.escalations.iter_mut().find(|e| e.id == id) {
            None => Err(StoreError::NotFound(format!("escalation {id}"))),
            Some(found) if closed && found.claimed_by.is_none() => {
                Err(StoreError::NotFound(format!("escalation {id} (closed)")))
            }
            Some(found) => match found.claimed_by {
                Some(owner) if owner == member => Ok(ClaimOutcome::Claimed),
                Some(owner) => Ok(ClaimOutcome::AlreadyClaimed(owner)),
                None => {
                    found.claimed_by = Some(member);
                    found.claimed_at = Some(now);
                    s.store_jobs(then, now);
                    Ok(ClaimOutcome::Claimed)
                }
            },
        })?
    }

    async fn close_open_escalation(
        &self,
        lead: LeadId,
        _at: Timestamp,
    ) -> Result<Option<EscalationId>, StoreError> {
        self.with(|s| {
            let open = s
                .escalations
                .iter()
                .find(|e| {
                    e.lead_id == lead
                        && e.claimed_by.is_none()
                        && !s.closed_escalations.contains(&e.id)
                })
                .map(|e| e.id)?;
            s.closed_escalations.insert(open);
            Some(open)
        })
    }

    async fn begin_text(
        &self,
        id: EscalationId,
        member: TeamMemberId,
        purpose: TextPurpose,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        self.with(|s| {
            match s
                .texts
                .iter_mut()
                .find(|(e, t)| *e == id && t.team_member_id == member && t.purpose == purpose)
            {
                Some((_, text)) => {
                    if text.state == TextState::Pending {
                        text.tries += 1;
                    }
                    text.state == TextState::Pending
                }
                None => {
                    s.texts.push((
                        id,
                        EscalationText {
                            team_member_id: member,
                            purpose,
                            state: TextState::Pending,
                            tries: 1,
                            error: None,
                            updated_at: at,
                        },
                    ));
                    true
                }
            }
        })
    }

    async fn record_text(
        &self,
        id: EscalationId,
        member: TeamMemberId,
        purpose: TextPurpose,
        state: TextState,
        error: Option<String>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.with(|s| {
            if let Some((_, text)) = s
                .texts
                .iter_mut()
                .find(|(e, t)| *e == id && t.team_member_id == member && t.purpose == purpose)
            {
                text.state = state;
                text.error = error;
                text.updated_at = at;
            }
        })
    }

    async fn texts(&self, id: EscalationId) -> Result<Vec<EscalationText>, StoreError> {
        self.with(|s| {
            s.texts
                .iter()
                .filter(|(e, _)| *e == id)
                .map(|(_, t)| t.clone())
                .collect()
        })
    }
}
