//! The hot-transfer policy: one entry point per outside event.
//!
//! Each entry point reads and writes through the ports and returns what the
//! caller must answer (a text back, a voice response) plus the follow-ups
//! to run once it has answered (place the calls, text the team, cancel the
//! losing legs). Follow-ups start from durable records, so a caller that
//! dies before running them loses nothing: a sweeper can run them again,
//! and each is safe to repeat.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};

use super::model::CallAttempt;
use super::model::{
    Acceptance, CallAttemptId, CallSid, ClaimOutcome, Client, Escalation, EscalationId,
    EscalationOpen, EscalationReason, InboundMessage, Lead, LeadStatus, LegStatus, LegUpdate,
    MessageRecorded, MessageSid, NewRingGroup, RingGroup, RingGroupId, RingGroupStart,
    RingGroupStatus, RoutingDecision, RoutingOutcome, SettledDecision, TeamMember,
};
use super::ports::{
    CallbackLinks, ClientStore, Clock, EscalationStore, IdSource, LeadStore, OutboundCall,
    RingGroupStore, StoreError, Telephony,
};
use super::voice::{SmsReply, VoiceResponse, VoiceVerb};
use crate::admin::Principal;
use crate::ids::{ClientId, LeadId, TeamMemberId};
use crate::intent::{IntentScorer, IntentScorerError};
use crate::phone::PhoneNumber;

/// Settings of the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoutingConfig {
    /// How long each agent phone rings, in seconds.
    pub ring_timeout_seconds: u32,
    /// Extra time after the ring timeout before a group with no callbacks
    /// is declared exhausted.
    pub grace_seconds: u32,
}

impl Default for RoutingConfig {
    fn default() -> Self {
        Self {
            ring_timeout_seconds: 30,
            grace_seconds: 15,
        }
    }
}

/// Why an event could not be handled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    /// No client has this Twilio number.
    #[error("no client has the number {0}")]
    UnknownNumber(PhoneNumber),
    /// A record the event refers to does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The escalation was already claimed by another member.
    #[error("already claimed by team member {0}")]
    AlreadyClaimed(TeamMemberId),
    /// The caller may not act on this client's leads.
    #[error("this token may not access this client")]
    Forbidden,
    /// A store failed; the event should be retried.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The intent scorer failed; the event should be retried.
    #[error(transparent)]
    Scorer(#[from] IntentScorerError),
}

/// Work to run after answering an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUp {
    /// Place the pending calls of a ring group.
    PlaceCalls(RingGroupId),
    /// Text the team about an escalation.
    NotifyEscalation(EscalationId),
    /// Cancel or hang up every leg of the group but the winner.
    CancelOtherLegs {
        /// The ring group.
        group: RingGroupId,
        /// The accepted leg.
        winner: CallAttemptId,
    },
    /// Tell the rest of the team who claimed an escalation.
    AnnounceClaim(EscalationId),
}

/// An inbound SMS as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundSms {
    /// Twilio's message id.
    pub sid: MessageSid,
    /// The sender.
    pub from: PhoneNumber,
    /// The client's number it was sent to.
    pub to: PhoneNumber,
    /// The text.
    pub body: String,
}

/// A text back to the sender, and the follow-ups.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SmsHandled {
    /// What to answer the webhook with.
    pub reply: SmsReply,
    /// What to run after answering.
    pub follow_ups: Vec<FollowUp>,
}

/// A voice response, and the follow-ups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceHandled {
    /// What the leg hears and does.
    pub response: VoiceResponse,
    /// What to run after answering.
    pub follow_ups: Vec<FollowUp>,
}

impl VoiceHandled {
    fn only(response: VoiceResponse) -> Self {
        Self {
            response,
            follow_ups: Vec::new(),
        }
    }
}

/// The ports the policy runs on.
#[derive(Clone)]
pub struct RoutingPorts {
    /// Clients, teams and schedules.
    pub clients: Arc<dyn ClientStore>,
    /// Leads, messages and decisions.
    pub leads: Arc<dyn LeadStore>,
    /// Ring groups and call legs.
    pub ring_groups: Arc<dyn RingGroupStore>,
    /// Escalations and claims.
    pub escalations: Arc<dyn EscalationStore>,
    /// Calls and texts.
    pub telephony: Arc<dyn Telephony>,
    /// Callback URLs for call legs.
    pub links: Arc<dyn CallbackLinks>,
    /// Hot-intent scoring.
    pub scorer: Arc<dyn IntentScorer>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// New ids.
    pub ids: Arc<dyn IdSource>,
}

/// The hot-transfer policy.
#[derive(Clone)]
pub struct RoutingService {
    ports: RoutingPorts,
    config: RoutingConfig,
}

const LEAD_TAKEN: &str = "Thanks. Another team member already took this lead. Goodbye.";
const NOT_ACCEPTED: &str = "Okay, not accepted. Goodbye.";
const NO_LONGER_NEEDED: &str = "This call is no longer needed. Goodbye.";

impl RoutingService {
    /// A policy running on `ports` with `config`.
    pub fn new(ports: RoutingPorts, config: RoutingConfig) -> Self {
        Self { ports, config }
    }

    /// An SMS reached a client's number: from a lead (stored, scored and
    /// routed) or from a team member (a reply such as `CLAIM`).
    ///
    /// Repeated deliveries of one message sid are routed once and answered
    /// with the same reply.
    ///
    /// # Errors
    ///
    /// [`RoutingError::UnknownNumber`] when no client has the `to` number;
    /// store and scorer failures, which the caller answers with a 5xx so the
    /// message is delivered again.
    pub async fn inbound_sms(&self, sms: &InboundSms) -> Result<SmsHandled, RoutingError> {
        let p = &self.ports;
        let now = p.clock.now();
        let client = p
            .clients
            .client_by_number(&sms.to)
            .await?
            .ok_or_else(|| RoutingError::UnknownNumber(sms.to.clone()))?;
        if let Some(member) = p.clients.team_member_by_phone(client.id, &sms.from).await? {
            return self.team_reply(&client, &member, sms, now).await;
        }
        let assessment = p.scorer.score(&sms.body).await?;
        let status = p
            .clients
            .schedule(client.id)
            .await?
            .map(|schedule| schedule.status(now));
        let open = status.is_some_and(|s| s.open);
        let next_open = status.and_then(|s| s.next_open);
        // A message neither hot nor an opt-out needs no action whoever sent
        // it: its decision is stored with it.
        let settled = (!assessment.hot && !assessment.is_opt_out())
            .then_some(SettledDecision { open, next_open });
        let (lead, recorded) = p
            .leads
            .record_inbound(&InboundMessage {
                sid: sms.sid.clone(),
                client_id: client.id,
                from: sms.from.clone(),
                body: sms.body.clone(),
                assessment: assessment.clone(),
                received_at: now,
                settled,
            })
            .await?;
        match recorded {
            MessageRecorded::AlreadyStored {
                decision: Some(decision),
            } => {
                return Ok(SmsHandled {
                    reply: SmsReply {
                        message: decision.reply,
                    },
                    ..Default::default()
                });
            }
            MessageRecorded::New if settled.is_some() => return Ok(SmsHandled::default()),
            _ => {}
        }

        let mut decision = RoutingDecision {
            message_sid: sms.sid.clone(),
            client_id: client.id,
            lead_id: lead.id,
            outcome: RoutingOutcome::NotHot,
            assessment: assessment.clone(),
            open,
            next_open,
            reply: None,
            decided_at: now,
        };
        let mut follow_ups = Vec::new();

        if assessment.is_opt_out() {
            p.leads.set_opted_out(lead.id).await?;
            decision.outcome = RoutingOutcome::OptedOut;
        } else if !assessment.hot {
            decision.outcome = RoutingOutcome::NotHot;
        } else if lead.opted_out {
            decision.outcome = RoutingOutcome::LeadOptedOut;
        } else if decision.open {
            let team = self.hot_transfer_team(&client).await?;
            if team.is_empty() {
                decision.outcome = self
                    .escalate(&lead, EscalationReason::NoTeam, now, &mut follow_ups)
                    .await?
                    .unwrap_or(RoutingOutcome::EscalatedNoTeam);
            } else {
                decision.outcome = self
                    .start_ring_group(&lead, &team, now, &mut follow_ups)
                    .await?;
            }
        } else {
            decision.outcome = self
                .escalate(&lead, EscalationReason::OutOfHours, now, &mut follow_ups)
                .await?
                .unwrap_or(RoutingOutcome::EscalatedClosed);
            decision.reply = out_of_hours_reply(&client, decision.next_open, now);
        }
        p.leads.record_decision(&decision).await?;
        Ok(SmsHandled {
            reply: SmsReply {
                message: decision.reply,
            },
            follow_ups,
        })
    }

    /// A status callback for an agent leg. Stale, repeated and unknown
    /// callbacks change nothing; when the last leg ends with no acceptance,
    /// the ring group is exhausted and the lead escalated, once.
    ///
    /// # Errors
    ///
    /// Store failures, which the caller answers with a 5xx.
    pub async fn leg_status(
        &self,
        attempt_id: Option<CallAttemptId>,
        sid: &CallSid,
        update: &LegUpdate,
    ) -> Result<Vec<FollowUp>, RoutingError> {
        let p = &self.ports;
        let found = match attempt_id {
            Some(id) => p.ring_groups.attempt(id).await?,
            None => p.ring_groups.attempt_by_call_sid(sid).await?,
        };
        let Some(attempt) = found.filter(|a| a.call_sid.as_ref().is_none_or(|known| known == sid))
        else {
            return Ok(Vec::new());
        };
        if attempt.call_sid.is_none() {
            // The callback beat the answer to the create request.
            p.ring_groups.record_call_placed(attempt.id, sid).await?;
        }
        let (attempt, _changed) = p.ring_groups.advance_leg(attempt.id, update).await?;
        let mut follow_ups = Vec::new();
        if attempt.status.is_terminal() {
            self.exhaust_if_all_legs_ended(attempt.ring_group_id, &mut follow_ups)
                .await?;
        }
        Ok(follow_ups)
    }

    /// An agent picked up: what they hear. A person is told who the lead is
    /// and asked to press 1; voicemail is hung up on; a leg whose group
    /// already has a winner hears that the lead was taken.
    ///
    /// # Errors
    ///
    /// Store failures.
    pub async fn leg_answered(
        &self,
        attempt_id: CallAttemptId,
        answered_by: Option<&str>,
    ) -> Result<VoiceHandled, RoutingError> {
        let p = &self.ports;
        let Some((attempt, group)) = self.attempt_and_group(attempt_id).await? else {
            return Ok(VoiceHandled::only(VoiceResponse::say_and_hang_up(
                NO_LONGER_NEEDED,
            )));
        };
        if answered_by.is_some_and(is_machine) {
            return Ok(VoiceHandled::only(VoiceResponse::hang_up()));
        }
        if group.status != RingGroupStatus::Ringing {
            let text = if group.status == RingGroupStatus::Answered {
                LEAD_TAKEN
            } else {
                NO_LONGER_NEEDED
            };
            return Ok(VoiceHandled::only(VoiceResponse::say_and_hang_up(text)));
        }
        let client = self.client(attempt.client_id).await?;
        let lead = self.lead(attempt.lead_id).await?;
        let body = p
            .leads
            .last_message_body(lead.id)
            .await?
            .unwrap_or_default();
        let mut prompt = vec![format!(
            "Hot lead for {}. Phone number {}.",
            client.name,
            spoken_digits(lead.phone.as_str())
        )];
        if !body.is_empty() {
            prompt.push(format!("They wrote: {}", excerpt(&body, 200)));
        }
        prompt.push("Press 1 to take this lead now.".to_owned());
        let response = VoiceResponse {
            verbs: vec![
                VoiceVerb::Gather {
                    num_digits: 1,
                    action: p.links.gather_action_url(attempt.id),
                    timeout_seconds: 10,
                    prompt,
                },
                VoiceVerb::Say("No answer received. Goodbye.".to_owned()),
                VoiceVerb::Hangup,
            ],
        };
        Ok(VoiceHandled::only(response))
    }

    /// An agent pressed keys on an answered leg. `1` accepts: the first
    /// acceptance wins atomically and is bridged to the lead with the
    /// client's number as caller ID; a later acceptor hears the lead was taken.
    ///
    /// # Errors
    ///
    /// Store failures.
    pub async fn agent_pressed(
        &self,
        attempt_id: CallAttemptId,
        digits: &str,
    ) -> Result<VoiceHandled, RoutingError> {
        let p = &self.ports;
        if digits.trim() != "1" {
            return Ok(VoiceHandled::only(VoiceResponse::say_and_hang_up(
                NOT_ACCEPTED,
            )));
        }
        let Some((attempt, _group)) = self.attempt_and_group(attempt_id).await? else {
            return Ok(VoiceHandled::only(VoiceResponse::say_and_hang_up(
                NO_LONGER_NEEDED,
            )));
        };
        // Read everything the bridge needs first: once the acceptance wins,
        // nothing may fail before the agent is connected.
        let client = self.client(attempt.client_id).await?;
        let lead = self.lead(attempt.lead_id).await?;
        if lead.opted_out {
            return Ok(VoiceHandled::only(VoiceResponse::say_and_hang_up(
                NO_LONGER_NEEDED,
            )));
        }
        if p.ring_groups.accept(attempt.id, p.clock.now()).await? == Acceptance::Lost {
            return Ok(VoiceHandled::only(VoiceResponse::say_and_hang_up(
                LEAD_TAKEN,
            )));
        }
        // The acceptance stands; a failed status write must not undo the bridge.
        let _ = p
            .leads
            .set_lead_status(lead.id, LeadStatus::Connected, p.clock.now())
            .await;
        let response = VoiceResponse {
            verbs: vec![
                VoiceVerb::Say("Connecting you to the lead now.".to_owned()),
                VoiceVerb::Dial {
                    number: lead.phone.to_string(),
                    caller_id: client.twilio_number.to_string(),
                    timeout_seconds: self.config.ring_timeout_seconds,
                    action: p.links.dial_action_url(attempt.id),
                    answer_on_bridge: true,
                    record: client.record_calls,
                },
            ],
        };
        Ok(VoiceHandled {
            response,
            follow_ups: vec![FollowUp::CancelOtherLegs {
                group: attempt.ring_group_id,
                winner: attempt.id,
            }],
        })
    }

    /// The bridge to the lead ended: the agent's leg hangs up.
    pub fn dial_finished(&self) -> VoiceResponse {
        VoiceResponse::hang_up()
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

    /// A team member claims an escalation (through the API or a `CLAIM`
    /// text). The first claim wins; the rest of the team is told who took it.
    ///
    /// # Errors
    ///
    /// [`RoutingError::AlreadyClaimed`] when another member holds it;
    /// [`RoutingError::NotFound`] for an unknown escalation or a member of
    /// another client.
    pub async fn claim_escalation(
        &self,
        escalation_id: EscalationId,
        member_id: TeamMemberId,
    ) -> Result<Vec<FollowUp>, RoutingError> {
        let p = &self.ports;
        let escalation = p
            .escalations
            .escalation(escalation_id)
            .await?
            .ok_or_else(|| RoutingError::NotFound(format!("escalation {escalation_id}")))?;
        let member = p
            .clients
            .team_member(member_id)
            .await?
            .filter(|m| m.client_id == escalation.client_id && m.active)
            .ok_or_else(|| RoutingError::NotFound(format!("team member {member_id}")))?;
        match p
            .escalations
            .claim(escalation.id, member.id, p.clock.now())
            .await?
        {
            ClaimOutcome::Claimed => {
                p.leads
                    .set_lead_status(escalation.lead_id, LeadStatus::Claimed, p.clock.now())
                    .await?;
                Ok(vec![FollowUp::AnnounceClaim(escalation.id)])
            }
            ClaimOutcome::AlreadyClaimed(by) => Err(RoutingError::AlreadyClaimed(by)),
        }
    }

    /// The lead booked an appointment.
    ///
    /// # Errors
    ///
    /// [`RoutingError::NotFound`] for an unknown lead; store failures.
    pub async fn appointment_booked(&self, lead: LeadId) -> Result<(), RoutingError> {
        self.lead(lead).await?;
        self.ports
            .leads
            .set_lead_status(lead, LeadStatus::Booked, self.ports.clock.now())
            .await?;
        Ok(())
    }

    /// An admin claims an escalation for a team member: as
    /// [`Self::claim_escalation`], for an escalation of a client the
    /// principal may see.
    ///
    /// # Errors
    ///
    /// [`RoutingError::Forbidden`] for another client's escalation, and
    /// those of [`Self::claim_escalation`].
    pub async fn claim_escalation_as(
        &self,
        principal: &Principal,
        escalation_id: EscalationId,
        member_id: TeamMemberId,
    ) -> Result<Vec<FollowUp>, RoutingError> {
        let escalation = self
            .ports
            .escalations
            .escalation(escalation_id)
            .await?
            .ok_or_else(|| RoutingError::NotFound(format!("escalation {escalation_id}")))?;
        if !principal.may_see(escalation.client_id) {
            return Err(RoutingError::Forbidden);
        }
        self.claim_escalation(escalation_id, member_id).await
    }

    /// An admin marks a lead of `client` booked.
    ///
    /// # Errors
    ///
    /// [`RoutingError::Forbidden`] for a client the principal may not see;
    /// `NotFound` when the lead is absent or another client's.
    pub async fn book_appointment_as(
        &self,
        principal: &Principal,
        client: ClientId,
        lead: LeadId,
    ) -> Result<(), RoutingError> {
        if !principal.may_see(client) {
            return Err(RoutingError::Forbidden);
        }
        let found = self.lead(lead).await?;
        if found.client_id != client {
            return Err(RoutingError::NotFound(format!("lead {lead}")));
        }
        self.appointment_booked(lead).await
    }

    /// Runs one follow-up. Each is safe to run again: calls are placed once
    /// per attempt, each member is texted once per escalation and claim.
    ///
    /// # Errors
    ///
    /// Store failures; telephony failures are recorded on the leg or skipped.
    pub async fn run(&self, follow_up: &FollowUp) -> Result<Vec<FollowUp>, RoutingError> {
        match follow_up {
            FollowUp::PlaceCalls(group) => self.place_calls(*group).await,
            FollowUp::NotifyEscalation(id) => {
                self.notify_escalation(*id).await.map(|()| Vec::new())
            }
            FollowUp::CancelOtherLegs { group, winner } => {
                for attempt in self.ports.ring_groups.attempts(*group).await? {
                    if attempt.id != *winner {
                        self.end_leg(&attempt).await;
                    }
                }
                Ok(Vec::new())
            }
            FollowUp::AnnounceClaim(id) => self.announce_claim(*id).await.map(|()| Vec::new()),
        }
    }

    async fn place_calls(&self, group_id: RingGroupId) -> Result<Vec<FollowUp>, RoutingError> {
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
    async fn dial(&self, client: &Client, attempt: CallAttempt) -> Result<bool, RoutingError> {
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

    async fn notify_escalation(&self, id: EscalationId) -> Result<(), RoutingError> {
        let p = &self.ports;
        let Some(escalation) = p.escalations.escalation(id).await? else {
            return Ok(());
        };
        if escalation.claimed_by.is_some() {
            return Ok(());
        }
        let client = self.client(escalation.client_id).await?;
        let lead = self.lead(escalation.lead_id).await?;
        let body = p
            .leads
            .last_message_body(lead.id)
            .await?
            .unwrap_or_default();
        let why = match escalation.reason {
            EscalationReason::OutOfHours => "after hours",
            EscalationReason::NoAnswer => "nobody answered",
            EscalationReason::NoTeam => "nobody to ring",
        };
        let text = format!(
            "Hotline: hot lead {} for {} ({why}): \"{}\". Reply CLAIM {} to take it.",
            lead.phone,
            client.name,
            excerpt(&body, 120),
            last_four(&lead.phone)
        );
        for member in p.clients.active_team(client.id).await? {
            if p.escalations
                .mark_notified(id, member.id, p.clock.now())
                .await?
            {
                // At most once: a text that fails is not sent again, rather
                // than risk texting a member twice.
                let _ = p
                    .telephony
                    .send_sms(&client.twilio_number, &member.phone, &text)
                    .await;
            }
        }
        Ok(())
    }

    async fn announce_claim(&self, id: EscalationId) -> Result<(), RoutingError> {
        let p = &self.ports;
        let Some(escalation) = p.escalations.escalation(id).await? else {
            return Ok(());
        };
        let Some(owner_id) = escalation.claimed_by else {
            return Ok(());
        };
        if !p
            .leads
            .first_delivery(&format!("announce-claim:{id}"), p.clock.now())
            .await?
        {
            return Ok(());
        }
        let client = self.client(escalation.client_id).await?;
        let lead = self.lead(escalation.lead_id).await?;
        let owner = p.clients.team_member(owner_id).await?;
        let owner_name = owner.map_or_else(|| "A team member".to_owned(), |m| m.name);
        let text = format!("Hotline: {owner_name} claimed the lead {}.", lead.phone);
        for member in p.clients.active_team(client.id).await? {
            if member.id != owner_id {
                let _ = p
                    .telephony
                    .send_sms(&client.twilio_number, &member.phone, &text)
                    .await;
            }
        }
        Ok(())
    }

    async fn team_reply(
        &self,
        client: &Client,
        member: &TeamMember,
        sms: &InboundSms,
        now: Timestamp,
    ) -> Result<SmsHandled, RoutingError> {
        let p = &self.ports;
        if !p
            .leads
            .first_delivery(&format!("team-sms:{}", sms.sid.0), now)
            .await?
        {
            return Ok(SmsHandled::default());
        }
        let Some(code) = parse_claim(&sms.body) else {
            return Ok(SmsHandled::default());
        };
        let mut open = p.escalations.open_escalations(client.id).await?;
        let mut chosen: Option<Escalation> = None;
        for escalation in open.drain(..) {
            let lead = self.lead(escalation.lead_id).await?;
            if code
                .as_deref()
                .is_none_or(|code| lead.phone.as_str().ends_with(code))
            {
                chosen = Some(escalation);
                break;
            }
        }
        let Some(escalation) = chosen else {
            let text = "Hotline: no open lead to claim.".to_owned();
            return Ok(SmsHandled {
                reply: SmsReply {
                    message: Some(text),
                },
                follow_ups: Vec::new(),
            });
        };
        let lead = self.lead(escalation.lead_id).await?;
        let (text, follow_ups) = match self.claim_escalation(escalation.id, member.id).await {
            Ok(follow_ups) => (
                format!("Hotline: the lead {} is yours. Call them now.", lead.phone),
                follow_ups,
            ),
            Err(RoutingError::AlreadyClaimed(by)) => {
                let name = p
                    .clients
                    .team_member(by)
                    .await?
                    .map_or_else(|| "Someone".to_owned(), |m| m.name);
                (
                    format!("Hotline: {name} already claimed the lead {}.", lead.phone),
                    Vec::new(),
                )
            }
            Err(other) => return Err(other),
        };
        Ok(SmsHandled {
            reply: SmsReply {
                message: Some(text),
            },
            follow_ups,
        })
    }

    async fn hot_transfer_team(&self, client: &Client) -> Result<Vec<TeamMember>, RoutingError> {
        let team = self.ports.clients.active_team(client.id).await?;
        Ok(team
            .into_iter()
            .filter(|m| m.active && m.receives_hot_transfers)
            .collect())
    }

    async fn start_ring_group(
        &self,
        lead: &Lead,
        team: &[TeamMember],
        now: Timestamp,
        follow_ups: &mut Vec<FollowUp>,
    ) -> Result<RoutingOutcome, RoutingError> {
        let p = &self.ports;
        let window =
            i64::from(self.config.ring_timeout_seconds) + i64::from(self.config.grace_seconds);
        let group = RingGroup {
            id: RingGroupId(p.ids.new_uuid()),
            client_id: lead.client_id,
            lead_id: lead.id,
            status: RingGroupStatus::Ringing,
            winner: None,
            started_at: now,
            deadline: now
                .saturating_add(SignedDuration::from_secs(window))
                .unwrap_or(now),
        };
        let mut seen_phones = std::collections::HashSet::new();
        let attempts = team
            .iter()
            .filter(|member| seen_phones.insert(member.phone.clone()))
            .map(|member| CallAttempt {
                id: CallAttemptId(p.ids.new_uuid()),
                ring_group_id: group.id,
                lead_id: lead.id,
                client_id: lead.client_id,
                team_member_id: member.id,
                phone: member.phone.clone(),
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

    /// Opens an escalation; `Some(AlreadyEscalated)` when one was open.
    async fn escalate(
        &self,
        lead: &Lead,
        reason: EscalationReason,
        now: Timestamp,
        follow_ups: &mut Vec<FollowUp>,
    ) -> Result<Option<RoutingOutcome>, RoutingError> {
        let p = &self.ports;
        let escalation = Escalation {
            id: EscalationId(p.ids.new_uuid()),
            client_id: lead.client_id,
            lead_id: lead.id,
            reason,
            claimed_by: None,
            created_at: now,
            claimed_at: None,
        };
        match p.escalations.open_escalation(&escalation).await? {
            EscalationOpen::Opened => {
                p.leads
                    .set_lead_status(lead.id, LeadStatus::Escalated, p.clock.now())
                    .await?;
                follow_ups.push(FollowUp::NotifyEscalation(escalation.id));
                Ok(None)
            }
            EscalationOpen::AlreadyOpen(open) => {
                // Texting the team is idempotent per member; see PlaceCalls.
                follow_ups.push(FollowUp::NotifyEscalation(open));
                Ok(Some(RoutingOutcome::AlreadyEscalated))
            }
        }
    }

    async fn exhaust_if_all_legs_ended(
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
    async fn exhaust_and_escalate(
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

    /// Ends a leg that is still live: cancel before answer, complete after.
    /// Best effort: a leg that cannot be ended rings out on its own timeout.
    async fn end_leg(&self, attempt: &CallAttempt) {
        let Some(sid) = &attempt.call_sid else { return };
        let telephony = &self.ports.telephony;
        let _ = match attempt.status {
            LegStatus::InProgress => telephony.complete_call(sid).await,
            status if status.is_terminal() => Ok(()),
            _ => telephony.cancel_call(sid).await,
        };
    }

    async fn attempt_and_group(
        &self,
        attempt_id: CallAttemptId,
    ) -> Result<Option<(CallAttempt, RingGroup)>, RoutingError> {
        let p = &self.ports;
        let Some(attempt) = p.ring_groups.attempt(attempt_id).await? else {
            return Ok(None);
        };
        let Some(group) = p.ring_groups.ring_group(attempt.ring_group_id).await? else {
            return Ok(None);
        };
        Ok(Some((attempt, group)))
    }

    async fn client(&self, id: crate::ids::ClientId) -> Result<Client, RoutingError> {
        self.ports
            .clients
            .client(id)
            .await?
            .ok_or_else(|| RoutingError::NotFound(format!("client {id}")))
    }

    async fn lead(&self, id: LeadId) -> Result<Lead, RoutingError> {
        self.ports
            .leads
            .lead(id)
            .await?
            .ok_or_else(|| RoutingError::NotFound(format!("lead {id}")))
    }
}

/// `CLAIM` or `CLAIM 0142` (the last four digits of the lead's phone):
/// `Some(code)`; anything else `None`.
fn parse_claim(body: &str) -> Option<Option<String>> {
    let upper = body.trim().to_uppercase();
    let rest = upper.strip_prefix("CLAIM")?;
    if rest.chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        0 => Some(None),
        4 => Some(Some(digits)),
        _ => None,
    }
}

fn is_machine(answered_by: &str) -> bool {
    answered_by.starts_with("machine") || answered_by == "fax"
}

fn last_four(phone: &PhoneNumber) -> &str {
    let s = phone.as_str();
    &s[s.len().saturating_sub(4)..]
}

/// Digits spoken one by one ("4 0 3 …"), so text-to-speech reads a number.
fn spoken_digits(phone: &str) -> String {
    let digits: Vec<String> = phone
        .chars()
        .filter(char::is_ascii_digit)
        .map(|c| c.to_string())
        .collect();
    digits.join(" ")
}

fn excerpt(text: &str, max_chars: usize) -> String {
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    if clean.chars().count() <= max_chars {
        clean
    } else {
        let cut: String = clean.chars().take(max_chars).collect();
        format!("{cut}…")
    }
}

/// The client's out-of-hours text with `{next_open}` filled in, in the
/// client's time zone: "today at 5:00 PM", "tomorrow at 9:00 AM",
/// "Monday at 9:00 AM".
fn out_of_hours_reply(
    client: &Client,
    next_open: Option<Timestamp>,
    now: Timestamp,
) -> Option<String> {
    let template = client.out_of_hours_reply.as_ref()?;
    let when = next_open.map_or_else(
        || "soon".to_owned(),
        |at| describe_opening(at, now, client.timezone.zone()),
    );
    Some(template.replace("{next_open}", &when))
}

/// Names an opening relative to now, in `zone`.
pub fn describe_opening(at: Timestamp, now: Timestamp, zone: &jiff::tz::TimeZone) -> String {
    let local = zone.to_datetime(at);
    let today = zone.to_datetime(now).date();
    let hour = local.hour();
    let (h12, meridiem) = match hour {
        0 => (12, "AM"),
        1..=11 => (hour, "AM"),
        12 => (12, "PM"),
        _ => (hour - 12, "PM"),
    };
    let clock = format!("{h12}:{:02} {meridiem}", local.minute());
    let day = if local.date() == today {
        "today".to_owned()
    } else if today.tomorrow().ok() == Some(local.date()) {
        "tomorrow".to_owned()
    } else {
        format!("{:?}", local.weekday())
    };
    format!("{day} at {clock}")
}
