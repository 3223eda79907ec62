//! [`RingGroupStore`] on the in-memory store.

use async_trait::async_trait;
use jiff::Timestamp;

use super::super::model::{
    Acceptance, CallAttempt, CallAttemptId, CallSid, Escalation, EscalationId, LeadStatus,
    LegStatus, LegUpdate, NewRingGroup, RingGroup, RingGroupId, RingGroupStart, RingGroupStatus,
};
use super::super::ports::{RingGroupStore, StoreError};
use super::super::service::FollowUp;
use super::MemoryStore;
use crate::ids::LeadId;
use crate::work::{JobId, NewJob};

#[async_trait]
impl RingGroupStore for MemoryStore {
    async fn start_ring_group(&self, new: &NewRingGroup) -> Result<RingGroupStart, StoreError> {
        self.with(|s| {
            if let Some(active) = s
                .ring_groups
                .iter()
                .find(|g| g.lead_id == new.group.lead_id && g.status == RingGroupStatus::Ringing)
            {
                return RingGroupStart::AlreadyRinging(active.id);
            }
            s.ring_groups.push(new.group.clone());
            s.attempts.extend(new.attempts.iter().cloned());
            s.store_jobs(&new.then, new.group.started_at);
            if let Some(lead) = s.leads.iter_mut().find(|l| l.id == new.group.lead_id) {
                lead.status = LeadStatus::Ringing;
            }
            RingGroupStart::Started
        })
    }

    async fn ring_group(&self, id: RingGroupId) -> Result<Option<RingGroup>, StoreError> {
        self.with(|s| s.ring_groups.iter().find(|g| g.id == id).cloned())
    }

    async fn end_ringing_group(
        &self,
        lead: LeadId,
        at: Timestamp,
        end_legs: JobId,
    ) -> Result<Option<RingGroupId>, StoreError> {
        self.with(|s| {
            let group = s
                .ring_groups
                .iter_mut()
                .find(|g| g.lead_id == lead && g.status == RingGroupStatus::Ringing)?;
            group.status = RingGroupStatus::Exhausted;
            let id = group.id;
            let job = NewJob {
                id: end_legs,
                work: FollowUp::EndAllLegs { group: id },
                due_at: at,
            };
            s.store_jobs(&[job], at);
            Some(id)
        })
    }

    async fn attempts(&self, group: RingGroupId) -> Result<Vec<CallAttempt>, StoreError> {
        self.with(|s| {
            s.attempts
                .iter()
                .filter(|a| a.ring_group_id == group)
                .cloned()
                .collect()
        })
    }

    async fn attempt(&self, id: CallAttemptId) -> Result<Option<CallAttempt>, StoreError> {
        self.with(|s| s.attempts.iter().find(|a| a.id == id).cloned())
    }

    async fn attempt_by_call_sid(&self, sid: &CallSid) -> Result<Option<CallAttempt>, StoreError> {
        self.with(|s| {
            s.attempts
                .iter()
                .find(|a| a.call_sid.as_ref() == Some(sid))
                .cloned()
        })
    }

    async fn record_lead_call(&self, group: RingGroupId, sid: &CallSid) -> Result<(), StoreError> {
        self.with(|s| {
            if let Some(found) = s.ring_groups.iter_mut().find(|g| g.id == group) {
                found.lead_call_sid = Some(sid.clone());
            }
        })
    }

    async fn claim_pending_legs(
        &self,
        group: RingGroupId,
        up_to_tier: Option<u32>,
    ) -> Result<Vec<CallAttempt>, StoreError> {
        self.with(|s| {
            let ringing = s
                .ring_groups
                .iter()
                .any(|g| g.id == group && g.status == RingGroupStatus::Ringing);
            if !ringing {
                return Vec::new();
            }
            s.attempts
                .iter_mut()
                .filter(|a| {
                    a.ring_group_id == group
                        && a.status == LegStatus::Pending
                        && up_to_tier.is_none_or(|tier| a.tier <= tier)
                })
                .map(|a| {
                    a.status = LegStatus::Dialing;
                    a.clone()
                })
                .collect()
        })
    }

    async fn release_leg(&self, attempt: CallAttemptId) -> Result<(), StoreError> {
        self.with(|s| {
            if let Some(found) = s
                .attempts
                .iter_mut()
                .find(|a| a.id == attempt && a.status == LegStatus::Dialing && a.call_sid.is_none())
            {
                found.status = LegStatus::Pending;
            }
        })
    }

    async fn reclaim_unsure_legs(
        &self,
        group: RingGroupId,
        max_redials: u32,
    ) -> Result<Vec<CallAttempt>, StoreError> {
        self.with(|s| {
            let ringing = s
                .ring_groups
                .iter()
                .any(|g| g.id == group && g.status == RingGroupStatus::Ringing);
            if !ringing {
                return Vec::new();
            }
            let mut again = Vec::new();
            for attempt in s.attempts.iter_mut().filter(|a| {
                a.ring_group_id == group && a.status == LegStatus::Dialing && a.call_sid.is_none()
            }) {
                let redials = s.redials.entry(attempt.id).or_insert(0);
                if *redials < max_redials {
                    *redials += 1;
                    again.push(attempt.clone());
                } else {
                    attempt.status = LegStatus::Failed;
                }
            }
            again
        })
    }

    async fn record_call_placed(
        &self,
        attempt: CallAttemptId,
        sid: &CallSid,
    ) -> Result<bool, StoreError> {
        self.with(|s| {
            let Some(found) = s.attempts.iter_mut().find(|a| a.id == attempt) else {
                return Err(StoreError::NotFound(format!("call attempt {attempt}")));
            };
            found.call_sid = Some(sid.clone());
            if found.status < LegStatus::Queued {
                found.status = LegStatus::Queued;
            }
            let group = found.ring_group_id;
            Ok(s.ring_groups
                .iter()
                .any(|g| g.id == group && g.status == RingGroupStatus::Ringing))
        })?
    }

    async fn advance_leg(
        &self,
        attempt: CallAttemptId,
        update: &LegUpdate,
    ) -> Result<(CallAttempt, bool), StoreError> {
        self.with(|s| {
            let Some(found) = s.attempts.iter_mut().find(|a| a.id == attempt) else {
                return Err(StoreError::NotFound(format!("call attempt {attempt}")));
            };
            let stale_sequence = matches!(
                (update.sequence, found.last_sequence),
                (Some(new), Some(old)) if new <= old
            );
            if stale_sequence || !found.status.can_advance_to(update.status) {
                return Ok((found.clone(), false));
            }
            found.status = update.status;
            if update.sequence.is_some() {
                found.last_sequence = update.sequence;
            }
            if update.answered_by.is_some() {
                found.answered_by.clone_from(&update.answered_by);
            }
            if update.duration_seconds.is_some() {
                found.duration_seconds = update.duration_seconds;
            }
            Ok((found.clone(), true))
        })?
    }

    async fn accept(
        &self,
        attempt: CallAttemptId,
        at: Timestamp,
        then: &[NewJob],
    ) -> Result<Acceptance, StoreError> {
        self.with(|s| {
            let Some(group_id) = s
                .attempts
                .iter()
                .find(|a| a.id == attempt)
                .map(|a| a.ring_group_id)
            else {
                return Err(StoreError::NotFound(format!("call attempt {attempt}")));
            };
            let Some(group) = s.ring_groups.iter_mut().find(|g| g.id == group_id) else {
                return Err(StoreError::NotFound(format!("ring group {group_id}")));
            };
            match group.winner {
                Some(winner) if winner == attempt => return Ok(Acceptance::Won),
                Some(_) => return Ok(Acceptance::Lost),
                None if group.status != RingGroupStatus::Ringing => return Ok(Acceptance::Lost),
                None => {}
            }
            group.winner = Some(attempt);
            group.status = RingGroupStatus::Answered;
            if let Some(found) = s.attempts.iter_mut().find(|a| a.id == attempt) {
                found.answered = true;
                found.transferred_to_agent = true;
            }
            s.store_jobs(then, at);
            Ok(Acceptance::Won)
        })?
    }

    async fn exhaust(
        &self,
        group: RingGroupId,
        escalation: &Escalation,
        then: &[NewJob],
    ) -> Result<Option<EscalationId>, StoreError> {
        self.with(|s| {
            let found = s.ring_groups.iter_mut().find(|g| g.id == group)?;
            if found.status != RingGroupStatus::Ringing {
                return None;
            }
            found.status = RingGroupStatus::Exhausted;
            s.store_jobs(then, escalation.created_at);
            let open = s
                .escalations
                .iter()
                .find(|e| e.lead_id == escalation.lead_id && e.claimed_by.is_none())
                .map(|e| e.id);
            Some(open.unwrap_or_else(|| {
                s.escalations.push(escalation.clone());
                escalation.id
            }))
        })
    }
}
