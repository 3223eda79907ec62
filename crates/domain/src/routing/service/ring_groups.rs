//! Ring groups: started for a hot lead, their calls placed, timed out,
//! and exhausted into an escalation when nobody accepts.

use jiff::{SignedDuration, Timestamp};

use super::super::model::{
    CallAttempt, CallAttemptId, Client, Escalation, EscalationId, EscalationReason, Lead,
    LeadStatus, LegStatus, LegUpdate, NewRingGroup, RingGroup, RingGroupId, RingGroupStart,
    RingGroupStatus, RingStrategyKind, RoutingOutcome, TeamMember,
};
use super::super::ports::{OutboundCall, RingGroupOutcome, TelephonyError};
use super::super::strategy::{RingStrategy, strategy_for};
use super::{FollowUp, RoutingError, RoutingService};
use crate::webhooks::EventData;
use crate::work::{JobId, JobOutcome, NewJob};

/// How often in all a leg whose create was cut off is placed again.
const MAX_REDIALS: u32 = 1;

/// What placing one leg came to.
pub(super) enum Dialled {
    /// Twilio took the call of this leg; when its create returned.
    Placed(CallAttemptId, Timestamp),
    /// Twilio refused it for good (the leg failed); its error.
    Refused(String),
    /// Not placed yet (refused for now, or cut off); to retry.
    NotYet(String),
}

impl RoutingService {
    /// The members a hot lead rings now: active, receiving hot transfers
    /// and available.
    pub(super) async fn hot_transfer_team(
        &self,
        client: &Client,
    ) -> Result<Vec<TeamMember>, RoutingError> {
        let team = self.ports.clients.active_team(client.id).await?;
        Ok(team
            .into_iter()
            .filter(|m| m.active && m.receives_hot_transfers && m.available)
            .collect())
    }

    /// The client's ring strategy.
    pub(super) fn strategy(&self, client: &Client) -> Box<dyn RingStrategy> {
        strategy_for(
            client.ring_strategy,
            SignedDuration::from_secs(i64::from(client.tier_delay_seconds)),
        )
    }

    pub(super) fn ring_timeout_duration(&self) -> SignedDuration {
        SignedDuration::from_secs(i64::from(self.config.ring_timeout_seconds))
    }

    pub(super) async fn start_ring_group(
        &self,
        client: &Client,
        lead: &Lead,
        team: &[TeamMember],
        now: Timestamp,
        events: Vec<NewJob>,
        follow_ups: &mut Vec<FollowUp>,
    ) -> Result<RoutingOutcome, RoutingError> {
        let p = &self.ports;
        let strategy = self.strategy(client);
        let plan = strategy.plan(team, self.ring_timeout_duration());
        let window = strategy
            .ring_window(&plan, self.ring_timeout_duration())
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
            strategy: strategy.kind(),
            lead_call_sid: None,
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
                tier: leg.tier,
            })
            .collect();
        let mut then = Vec::new();
        if strategy.kind() == RingStrategyKind::LeadFirst {
            then.push(self.job(FollowUp::CallLead { group: group.id }, now));
        } else if strategy.waves_follow_endings() {
            then.push(self.wave_job(group.id, 1, now));
        } else {
            // Each wave is a job due at its delay; the first is due now.
            let mut waves: Vec<(u32, SignedDuration)> = plan
                .iter()
                .map(|leg| (leg.tier, leg.starts_after))
                .collect();
            waves.sort_unstable();
            waves.dedup_by_key(|wave| wave.0);
            for (tier, delay) in waves {
                let due = now.saturating_add(delay).unwrap_or(now);
                then.push(self.wave_job(group.id, tier, due));
            }
        }
        then.push(self.job(FollowUp::RingDeadline { group: group.id }, group.deadline));
        then.extend(events);
        let started = EventData::RingGroupStarted {
            ring_group_id: group.id.to_string(),
            strategy: strategy.kind().as_str().to_owned(),
            phones: plan
                .iter()
                .map(|leg| leg.member.phone.to_string())
                .collect(),
        };
        then.extend(self.event_jobs(client, lead.id, started, now).await?);
        let new = NewRingGroup {
            group,
            attempts,
            then,
        };
        match p.ring_groups.start_ring_group(&new).await? {
            RingGroupStart::Started => {
                follow_ups.extend(new.then.into_iter().map(|job| job.work));
                Ok(RoutingOutcome::RingGroup)
            }
            // The group that rings already has its jobs.
            RingGroupStart::AlreadyRinging(_) => Ok(RoutingOutcome::AlreadyRinging),
        }
    }

    /// The job placing wave `tier` of `group` (and any earlier wave left):
    /// its id is the same for the same wave, so a wave is stored once
    /// however many leg endings ask for it.
    pub(super) fn wave_job(&self, group: RingGroupId, tier: u32, due_at: Timestamp) -> NewJob {
        NewJob {
            id: JobId(uuid::Uuid::from_u128(
                group.0.as_u128() ^ (u128::from(tier) << 64 | 0x5741_5645),
            )),
            work: FollowUp::PlaceCalls {
                group,
                up_to_tier: Some(tier),
            },
            due_at,
        }
    }

    /// A leg of a group whose waves follow endings has ended: the next
    /// wave starts when no leg rings any more and some wait.
    pub(super) async fn next_wave_if_due(
        &self,
        group: &RingGroup,
        follow_ups: &mut Vec<FollowUp>,
    ) -> Result<(), RoutingError> {
        let p = &self.ports;
        let strategy = strategy_for(group.strategy, SignedDuration::ZERO);
        if group.status != RingGroupStatus::Ringing || !strategy.waves_follow_endings() {
            return Ok(());
        }
        let attempts = p.ring_groups.attempts(group.id).await?;
        let ringing = attempts
            .iter()
            .any(|a| a.status != LegStatus::Pending && !a.status.is_terminal());
        let next = attempts
            .iter()
            .filter(|a| a.status == LegStatus::Pending)
            .map(|a| a.tier)
            .min();
        if let (false, Some(tier)) = (ringing, next) {
            let job = self.wave_job(group.id, tier, p.clock.now());
            p.jobs.enqueue(std::slice::from_ref(&job)).await?;
            follow_ups.push(job.work);
        }
        Ok(())
    }

    /// Places the calls of a ring group that are still to place: legs not
    /// dialled yet, legs whose create was refused for now, and (at most
    /// once more) legs whose create was cut off by a crash or a timeout.
    /// Asks to run again while any create is to be retried.
    pub(super) async fn place_calls(
        &self,
        group_id: RingGroupId,
        up_to_tier: Option<u32>,
        attempt: u32,
    ) -> Result<JobOutcome, RoutingError> {
        let p = &self.ports;
        let Some(group) = p.ring_groups.ring_group(group_id).await? else {
            return Ok(JobOutcome::Done);
        };
        if group.status != RingGroupStatus::Ringing {
            self.cancel_unplaced_legs(group_id).await?;
            return Ok(JobOutcome::Done);
        }
        // Legs left mid-create by an earlier run first: Twilio may have
        // placed them, so each is placed again at most once.
        let mut legs = p
            .ring_groups
            .reclaim_unsure_legs(group_id, MAX_REDIALS)
            .await?;
        legs.extend(
            p.ring_groups
                .claim_pending_legs(group_id, up_to_tier)
                .await?,
        );
        if legs.is_empty() {
            // Nothing left to dial: the group may still need ending if its
            // legs all ended meanwhile.
            let mut ignored = Vec::new();
            self.exhaust_if_all_legs_ended(group_id, &mut ignored)
                .await?;
            return Ok(JobOutcome::Done);
        }
        let client = self.client(group.client_id).await?;
        // A member who went off duty (or was removed) since the group
        // started is not rung: their leg ends as canceled.
        let on_duty: std::collections::HashSet<_> = self
            .hot_transfer_team(&client)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        let (legs, off_duty): (Vec<_>, Vec<_>) = legs
            .into_iter()
            .partition(|leg| on_duty.contains(&leg.team_member_id));
        let canceled = LegUpdate::to(LegStatus::Canceled);
        for leg in &off_duty {
            p.ring_groups.advance_leg(leg.id, &canceled).await?;
        }
        // Every phone is dialled at once: speed to lead is the slowest
        // single call, not the sum of them (pacing, if any, is the adapter's).
        let dialled = futures_util::future::join_all(
            legs.into_iter().map(|attempt| self.dial(&client, attempt)),
        )
        .await;
        let mut retry = None;
        let mut refused = None;
        let mut placed = Vec::new();
        for result in dialled {
            match result? {
                Dialled::Placed(leg, at) => placed.push((leg, at)),
                Dialled::Refused(error) => refused = Some(error),
                Dialled::NotYet(error) => retry = Some(error),
            }
        }
        self.observe_first_call(&group, up_to_tier, attempt, &placed)
            .await?;
        // Legs end here only when a call could not be placed (or was not
        // placed); status callbacks run their own check.
        if refused.is_some() || !off_duty.is_empty() {
            let mut ignored = Vec::new();
            if let Some(group) = p.ring_groups.ring_group(group_id).await? {
                self.next_wave_if_due(&group, &mut ignored).await?;
            }
            self.exhaust_if_all_legs_ended(group_id, &mut ignored)
                .await?;
        }
        // A refused leg is reported (the job records Twilio's error) once
        // nothing is left to retry.
        Ok(match (retry, refused) {
            (Some(error), _) => JobOutcome::Retry(error),
            (None, Some(error)) => JobOutcome::Failed(error),
            (None, None) => JobOutcome::Done,
        })
    }

    /// Reports speed to lead when `placed` (legs and when their creates
    /// returned) holds the group's first call: always on the first run of
    /// the first wave, otherwise when no other leg of the group was placed.
    async fn observe_first_call(
        &self,
        group: &RingGroup,
        up_to_tier: Option<u32>,
        attempt: u32,
        placed: &[(CallAttemptId, Timestamp)],
    ) -> Result<(), RoutingError> {
        let Some(first_at) = placed.iter().map(|(_, at)| *at).min() else {
            return Ok(());
        };
        let first_run_of_first_wave = attempt <= 1 && up_to_tier.is_none_or(|tier| tier <= 1);
        let first = first_run_of_first_wave
            || self
                .ports
                .ring_groups
                .attempts(group.id)
                .await?
                .iter()
                .all(|leg| leg.call_sid.is_none() || placed.iter().any(|(id, _)| *id == leg.id));
        if first {
            self.observer
                .first_call_placed(first_at.duration_since(group.started_at));
        }
        Ok(())
    }

    /// Places one claimed leg's call and records the sid, cancelling the call
    /// if the group ended meanwhile. A call Twilio refuses for good marks
    /// the leg failed; one refused for now goes back to pending; one cut
    /// off stays dialling with no sid, to be placed again at most once.
    pub(super) async fn dial(
        &self,
        client: &Client,
        attempt: CallAttempt,
    ) -> Result<Dialled, RoutingError> {
        let p = &self.ports;
        let call = OutboundCall {
            to: attempt.phone.clone(),
            from: client.twilio_number.clone(),
            answer_url: p.links.answer_url(attempt.id),
            status_callback_url: p.links.status_callback_url(attempt.id),
            timeout_seconds: self.config.ring_timeout_seconds,
            machine_detection: false,
        };
        match p.telephony.place_call(&call).await {
            Ok(sid) => {
                let still_ringing = p.ring_groups.record_call_placed(attempt.id, &sid).await?;
                if !still_ringing {
                    // The group ended while this call was being placed.
                    let _ = p.telephony.cancel_call(&sid).await;
                }
                Ok(Dialled::Placed(attempt.id, p.clock.now()))
            }
            Err(TelephonyError::Rejected(error)) => {
                let failed = LegUpdate::to(LegStatus::Failed);
                p.ring_groups.advance_leg(attempt.id, &failed).await?;
                Ok(Dialled::Refused(error))
            }
            Err(TelephonyError::Unavailable(error)) => {
                p.ring_groups.release_leg(attempt.id).await?;
                Ok(Dialled::NotYet(error))
            }
            Err(TelephonyError::Unknown(error)) => Ok(Dialled::NotYet(error)),
        }
    }

    /// Marks the legs of an ended group that never got a call as canceled,
    /// so none shows as dialling forever.
    pub(super) async fn cancel_unplaced_legs(
        &self,
        group_id: RingGroupId,
    ) -> Result<(), RoutingError> {
        let p = &self.ports;
        let canceled = LegUpdate::to(LegStatus::Canceled);
        for attempt in p.ring_groups.attempts(group_id).await? {
            if attempt.call_sid.is_none() && !attempt.status.is_terminal() {
                p.ring_groups.advance_leg(attempt.id, &canceled).await?;
            }
        }
        Ok(())
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
    ) -> Result<JobOutcome, RoutingError> {
        let p = &self.ports;
        let mut follow_ups = Vec::new();
        let Some(group) = p.ring_groups.ring_group(group_id).await? else {
            return Ok(JobOutcome::Done);
        };
        let now = p.clock.now();
        if group.status != RingGroupStatus::Ringing {
            return Ok(JobOutcome::Done);
        }
        if now < group.deadline {
            return Ok(JobOutcome::Later(group.deadline));
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
            return Ok(JobOutcome::Later(last_chance));
        }
        self.exhaust_and_escalate(&group, &mut follow_ups).await?;
        Ok(JobOutcome::Done)
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
    /// operation, with the jobs that text the team and end the group's
    /// live legs; `true` for the one caller that did it.
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
        let now = p.clock.now();
        let client = self.client(group.client_id).await?;
        let mut then = vec![
            self.job(
                FollowUp::NotifyEscalation {
                    escalation: escalation.id,
                },
                now,
            ),
            self.job(FollowUp::EndAllLegs { group: group.id }, now),
        ];
        if client.follow_through.lead_missed_text.is_some() {
            then.push(self.job(FollowUp::TextLeadMissed { group: group.id }, now));
        }
        then.extend(self.chase_jobs(&client, escalation.id, now));
        let exhausted = EventData::RingGroupExhausted {
            ring_group_id: group.id.to_string(),
        };
        then.extend(
            self.event_jobs(&client, group.lead_id, exhausted, now)
                .await?,
        );
        let opened = EventData::EscalationOpened {
            escalation_id: escalation.id.to_string(),
            reason: escalation_reason(escalation.reason).to_owned(),
        };
        then.extend(self.event_jobs(&client, group.lead_id, opened, now).await?);
        if p.ring_groups
            .exhaust(group.id, &escalation, &then)
            .await?
            .is_none()
        {
            return Ok(false);
        }
        self.observer.ring_group_ended(RingGroupOutcome::Unanswered);
        follow_ups.extend(then.into_iter().map(|job| job.work));
        // The escalation stands; a failed status write only delays the display.
        let _ = p
            .leads
            .set_lead_status(group.lead_id, LeadStatus::Escalated, p.clock.now())
            .await;
        Ok(true)
    }
}

/// An escalation's reason as events name it.
pub(super) fn escalation_reason(reason: super::super::model::EscalationReason) -> &'static str {
    use super::super::model::EscalationReason;
    match reason {
        EscalationReason::OutOfHours => "out_of_hours",
        EscalationReason::NoAnswer => "no_answer",
        EscalationReason::NoTeam => "no_team",
    }
}
