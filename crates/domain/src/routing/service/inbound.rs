//! Inbound SMS: a lead's message stored, scored and routed, or a team
//! member's reply (a claim).

use jiff::Timestamp;

use super::super::model::{
    Client, Escalation, EscalationReason, InboundMessage, Lead, MessageRecorded, RoutingDecision,
    RoutingOutcome, SettledDecision, TeamMember,
};
use super::super::ports::RingGroupOutcome;
use super::super::voice::SmsReply;
use super::super::words;
use super::{FollowUp, InboundSms, RoutingError, RoutingService, SmsHandled};
use crate::webhooks::EventData;
use crate::work::JobId;

impl RoutingService {
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
        self.decide(&client, &lead, &sms.body, &mut decision, &mut follow_ups)
            .await?;
        p.leads.record_decision(&decision).await?;
        Ok(SmsHandled {
            reply: SmsReply {
                message: decision.reply,
            },
            follow_ups,
        })
    }

    /// What a new message from a lead leads to: an opt-out, nothing, a ring
    /// group, or an escalation (with the out-of-hours reply), recorded in
    /// `decision`; the work to run after answering goes to `follow_ups`.
    pub(super) async fn decide(
        &self,
        client: &Client,
        lead: &Lead,
        body: &str,
        decision: &mut RoutingDecision,
        follow_ups: &mut Vec<FollowUp>,
    ) -> Result<(), RoutingError> {
        let now = decision.decided_at;
        let assessment = &decision.assessment;
        // `lead.hot`, stored with the ring group or escalation it causes.
        let hot = || EventData::LeadHot {
            phone: lead.phone.to_string(),
            message: body.to_owned(),
            score: assessment.score.value(),
            signals: assessment.signals.iter().map(ToString::to_string).collect(),
            within_hours: decision.open,
        };
        decision.outcome = if assessment.is_opt_out() {
            self.ports.leads.set_opted_out(lead.id).await?;
            // Phones ringing for this lead stop now, with no escalation,
            // and an escalation waiting for a claim is closed.
            let end_legs = JobId(self.ports.ids.new_uuid());
            if let Some(group) = self
                .ports
                .ring_groups
                .end_ringing_group(lead.id, now, end_legs)
                .await?
            {
                self.observer.ring_group_ended(RingGroupOutcome::Ended);
                follow_ups.push(FollowUp::EndAllLegs { group });
            }
            self.ports
                .escalations
                .close_open_escalation(lead.id, now)
                .await?;
            self.publish_now(client, lead.id, EventData::LeadOptedOut {})
                .await?;
            RoutingOutcome::OptedOut
        } else if !assessment.hot {
            RoutingOutcome::NotHot
        } else if lead.opted_out {
            RoutingOutcome::LeadOptedOut
        } else if decision.open {
            let team = self.hot_transfer_team(client).await?;
            if team.is_empty() {
                let reason = EscalationReason::NoTeam;
                let events = self.event_jobs(client, lead.id, hot(), now).await?;
                self.escalate(client, lead, reason, now, events, follow_ups)
                    .await?
                    .unwrap_or(RoutingOutcome::EscalatedNoTeam)
            } else {
                let events = self.event_jobs(client, lead.id, hot(), now).await?;
                let outcome = self
                    .start_ring_group(client, lead, &team, now, events, follow_ups)
                    .await?;
                if outcome == RoutingOutcome::RingGroup {
                    // "Thanks, we're calling you right now."
                    decision
                        .reply
                        .clone_from(&client.follow_through.lead_ack_reply);
                }
                outcome
            }
        } else {
            let events = self.event_jobs(client, lead.id, hot(), now).await?;
            decision.reply = words::out_of_hours_reply(client, decision.next_open, now);
            let reason = EscalationReason::OutOfHours;
            self.escalate(client, lead, reason, now, events, follow_ups)
                .await?
                .unwrap_or(RoutingOutcome::EscalatedClosed)
        };
        Ok(())
    }

    pub(super) async fn team_reply(
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
        if let Some(available) = parse_availability(&sms.body) {
            p.clients
                .set_member_available(member.id, available, now)
                .await?;
            let text = if available {
                words::BACK_ON_DUTY
            } else {
                words::OFF_DUTY
            };
            return Ok(SmsHandled {
                reply: SmsReply {
                    message: Some(text.to_owned()),
                },
                follow_ups: Vec::new(),
            });
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
            let text = words::NOTHING_TO_CLAIM.to_owned();
            return Ok(SmsHandled {
                reply: SmsReply {
                    message: Some(text),
                },
                follow_ups: Vec::new(),
            });
        };
        let lead = self.lead(escalation.lead_id).await?;
        let (text, follow_ups) = match self.claim_escalation(escalation.id, member.id).await {
            Ok(follow_ups) => (words::claim_won(&lead.phone), follow_ups),
            Err(RoutingError::AlreadyClaimed(by)) => {
                let name = p
                    .clients
                    .team_member(by)
                    .await?
                    .map_or_else(|| "Someone".to_owned(), |m| m.name);
                (words::claim_lost(&name, &lead.phone), Vec::new())
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
}

/// `AWAY`/`OFF`: `Some(false)`; `BACK`/`ON`: `Some(true)` (any case,
/// surrounding spaces ignored); anything else `None`.
fn parse_availability(body: &str) -> Option<bool> {
    match body.trim().to_uppercase().as_str() {
        "AWAY" | "OFF" => Some(false),
        "BACK" | "ON" => Some(true),
        _ => None,
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
