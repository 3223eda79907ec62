//! Ring groups: started for a hot lead, their calls placed, timed out,
//! and exhausted into an escalation when nobody accepts.

use jiff::{SignedDuration, Timestamp};

use super::super::model::{
    CallAttempt, CallAttemptId, Client, Escalation, EscalationId, EscalationReason, Lead,
    LeadStatus, LegStatus, LegUpdate, NewRingGroup, RingGroup, RingGroupId, RingGroupStart,
    RingGroupStatus, RoutingOutcome, TeamMember,
};
use super::super::ports::OutboundCall;
use super::{FollowUp, RoutingError, RoutingService};

impl RoutingService {
    pub(super) async fn hot_transfer_team(
        &self,
        client: &Client,
    ) -> Result<Vec<TeamMember>, RoutingError> {
        let team = self.ports.clients.active_team(client.id).await?;
        Ok(team
            .into_iter()
            .filter(|m| m.active && m.receives_hot_transfers)
            .collect())
    }

    pub(super) async fn start_ring_group(
        &self,
        lead: &Lead,
        team: &[TeamMember],
        now: Timestamp,
        follow_ups: &mut Vec<FollowUp>,
    ) -> Result<RoutingOutcome, RoutingError> {
        let p = &self.ports;
        let plan = self.strategy.plan(team);
        let window = self
            .strategy
            .ring_window(
                &plan,
                SignedDuration::from_secs(i64::from(self.config.ring_timeout_seconds)),
            )
            .saturating_add(SignedDuration::from_secs(i64::from(
                self.config.grace_seconds,
            )));
        let group = RingGroup {
            id: RingGroupId(p.ids.new_uuid()),
            client_id: lead.client_id,
            lead_id: lead.id,
            status: RingGroupStatus::Ringing,
            winner: None,
            started_at: now,
            deadline: now.saturating_add(window).unwrap_or(now),
        };
        let attempts = plan
            .iter()
            .map(|leg| CallAttempt {
                id: CallAttemptId(p.ids.new_uuid()),
                ring_group_id: group.id,
                lead_id: lead.id,
                client_id: lead.client_id,
                team_member_id: leg.member.id,
                phone: leg.member.phone.clone(),
                call_sid: None,
                status: LegStatus::Pending,
                last_sequence: None,
                answered_by: None,
                answered: false,
                transferred_to_agent: false,
                duration_seconds: None,
                created_at: now,
            })
            .collect();
        let group_id = group.id;
        match p
            .ring_groups
            .start_ring_group(&NewRingGroup { group, attempts })
            .await?
        {
            RingGroupStart::Started => {
                follow_ups.push(FollowUp::PlaceCalls(group_id));
                Ok(RoutingOutcome::RingGroup)
            }
            RingGroupStart::AlreadyRinging(active) => {
                // Placing calls is idempotent; after a crash between starting
                // the group and placing its calls, this retry places them.
                follow_ups.push(FollowUp::PlaceCalls(active));
                Ok(RoutingOutcome::AlreadyRinging)
            }
        }
    }

    pub(super) async fn place_calls(
        &self,
        group_id: RingGroupId,
    ) -> Result<Vec<FollowUp>, RoutingError> {
        let p = &self.ports;
        let mut follow_ups = Vec::new();
        let claimed = p.ring_groups.claim_pending_legs(group_id).await?;
        let Some(first) = claimed.first() else {
            // A retry with nothing left to dial, or a group that ended: the
            // group may still need ending if its legs all ended meanwhile.
            self.exhaust_if_all_legs_ended(group_id, &mut follow_ups)
                .await?;
            return Ok(follow_ups);
        };
        // Should this fail, the claimed legs stay unplaced and the group's
        // deadline ends it with an escalation.
        let client = self.client(first.client_id).await?;
        // Every phone is dialled at once: speed to lead is the slowest
        // single call, not the sum of them (pacing, if any, is the adapter's).
        let dialled = futures_util::future::join_all(
            claimed
                .into_iter()
                .map(|attempt| self.dial(&client, attempt)),
        )
        .await;
        let mut some_leg_failed = false;
        for result in dialled {
            some_leg_failed |= result?;
        }
        // Legs end here only when a call could not be placed; status
        // callbacks run their own check.
        if some_leg_failed {
            self.exhaust_if_all_legs_ended(group_id, &mut follow_ups)
                .await?;
        }
        Ok(follow_ups)
    }

    /// Places one claimed leg's call and records the sid, cancelling the call
    /// if the group ended meanwhile; a call Twilio refuses marks the leg
    /// failed (`true`).
    pub(super) async fn dial(
        &self,
        client: &Client,
        attempt: CallAttempt,
    ) -> Result<bool, RoutingError> {
        let p = &self.ports;
        let call = OutboundCall {
            to: attempt.phone.clone(),
            from: client.twilio_number.clone(),
            answer_url: p.links.answer_url(attempt.id),
            status_callback_url: p.links.status_callback_url(attempt.id),
            timeout_seconds: self.config.ring_timeout_seconds,
        };
        match p.telephony.place_call(&call).await {
            Ok(sid) => {
                let still_ringing = p.ring_groups.record_call_placed(attempt.id, &sid).await?;
                if !still_ringing {
                    // The group ended while this call was being placed.
                    let _ = p.telephony.cancel_call(&sid).await;
                }
            }
            Err(_) => {
                let failed = LegUpdate {
                    status: LegStatus::Failed,
                    sequence: None,
                    answered_by: None,
                    duration_seconds: None,
                };
                p.ring_groups.advance_leg(attempt.id, &failed).await?;
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Fires every ring-group timer due now (at most `limit`): each group
    /// past its deadline is timed out as by [`Self::ring_group_timed_out`].
    /// A failure of one group is logged by the caller and leaves it due.
    ///
    /// # Errors
    ///
    /// Store failures reading what is due; each group's own outcome is in
    /// the answer.
    pub async fn fire_due_timers(
        &self,
        limit: u32,
    ) -> Result<Vec<(RingGroupId, Result<Vec<FollowUp>, RoutingError>)>, RoutingError> {
        let due = self
            .ports
            .ring_groups
            .due_ring_groups(self.ports.clock.now(), limit)
            .await?;
        let mut outcomes = Vec::with_capacity(due.len());
        for group in due {
            outcomes.push((group, self.ring_group_timed_out(group).await));
        }
        Ok(outcomes)
    }

    /// The ring group's deadline may have passed: when it still rings with
    /// no winner, it is exhausted, its legs ended and the lead escalated,
    /// exactly once however often this is called.
    ///
    /// # Errors
    ///
    /// Store failures.
    pub async fn ring_group_timed_out(
        &self,
        group_id: RingGroupId,
    ) -> Result<Vec<FollowUp>, RoutingError> {
        let p = &self.ports;
        let mut follow_ups = Vec::new();
        let Some(group) = p.ring_groups.ring_group(group_id).await? else {
            return Ok(follow_ups);
        };
        let now = p.clock.now();
        if group.status != RingGroupStatus::Ringing || now < group.deadline {
            return Ok(follow_ups);
        }
        let attempts = p.ring_groups.attempts(group.id).await?;
        // An agent on the line may still be hearing the prompt: give them
        // one more ring timeout before giving up on the group.
        let last_chance = group
            .deadline
            .saturating_add(SignedDuration::from_secs(i64::from(
                self.config.ring_timeout_seconds,
            )))
            .unwrap_or(group.deadline);
        if now < last_chance && attempts.iter().any(|a| a.status == LegStatus::InProgress) {
            return Ok(follow_ups);
        }
        if self.exhaust_and_escalate(&group, &mut follow_ups).await? {
            for attempt in attempts {
                self.end_leg(&attempt).await;
            }
        }
        Ok(follow_ups)
    }

    pub(super) async fn exhaust_if_all_legs_ended(
        &self,
        group_id: RingGroupId,
        follow_ups: &mut Vec<FollowUp>,
    ) -> Result<(), RoutingError> {
        let p = &self.ports;
        let Some(group) = p.ring_groups.ring_group(group_id).await? else {
            return Ok(());
        };
        if group.status != RingGroupStatus::Ringing {
            return Ok(());
        }
        let attempts = p.ring_groups.attempts(group.id).await?;
        if attempts.iter().all(|a| a.status.is_terminal()) {
            self.exhaust_and_escalate(&group, follow_ups).await?;
        }
        Ok(())
    }

    /// Exhausts a ringing group and escalates its lead in one atomic store
    /// operation; `true` for the one caller that did it.
    pub(super) async fn exhaust_and_escalate(
        &self,
        group: &RingGroup,
        follow_ups: &mut Vec<FollowUp>,
    ) -> Result<bool, RoutingError> {
        let p = &self.ports;
        let escalation = Escalation {
            id: EscalationId(p.ids.new_uuid()),
            client_id: group.client_id,
            lead_id: group.lead_id,
            reason: EscalationReason::NoAnswer,
            claimed_by: None,
            created_at: p.clock.now(),
            claimed_at: None,
        };
        let Some(open) = p.ring_groups.exhaust(group.id, &escalation).await? else {
            return Ok(false);
        };
        follow_ups.push(FollowUp::NotifyEscalation(open));
        // The escalation stands; a failed status write only delays the display.
        let _ = p
            .leads
            .set_lead_status(group.lead_id, LeadStatus::Escalated, p.clock.now())
            .await;
        Ok(true)
    }
}
