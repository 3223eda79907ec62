//! Call legs: status callbacks, an answered leg's whisper, an agent
//! pressing 1, and ending legs no longer needed.

use super::super::model::{
    Acceptance, CallAttempt, CallAttemptId, CallSid, LeadStatus, LegStatus, LegUpdate, RingGroup,
    RingGroupStatus, RingStrategyKind,
};
use super::super::ports::RingGroupOutcome;
use super::super::voice::{VoiceResponse, VoiceVerb};
use super::super::words;
use super::{FollowUp, RoutingError, RoutingService, VoiceHandled};
use crate::webhooks::EventData;

impl RoutingService {
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
            // The next wave of a sequential group, or the end of the group.
            if let Some(group) = p.ring_groups.ring_group(attempt.ring_group_id).await? {
                self.next_wave_if_due(&group, &mut follow_ups).await?;
            }
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
                words::NO_LONGER_NEEDED,
            )));
        };
        if answered_by.is_some_and(is_machine) {
            return Ok(VoiceHandled::only(VoiceResponse::hang_up()));
        }
        if group.status != RingGroupStatus::Ringing {
            let text = if group.status == RingGroupStatus::Answered {
                words::LEAD_TAKEN
            } else {
                words::NO_LONGER_NEEDED
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
        let prompt = words::whisper(&client, &lead.phone, &body);
        let response = VoiceResponse {
            verbs: vec![
                VoiceVerb::Gather {
                    num_digits: 1,
                    action: p.links.gather_action_url(attempt.id),
                    timeout_seconds: 10,
                    prompt,
                },
                VoiceVerb::Say(words::NO_ANSWER_RECEIVED.to_owned()),
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
        let Some((attempt, group)) = self.attempt_and_group(attempt_id).await? else {
            return Ok(VoiceHandled::only(VoiceResponse::say_and_hang_up(
                words::NO_LONGER_NEEDED,
            )));
        };
        // A `lead_first` leg is a `<Number>` of the lead's `<Dial>`: its
        // whisper ends with an empty answer, and Twilio bridges it.
        let through_dial = group.strategy == RingStrategyKind::LeadFirst;
        if digits.trim() != "1" {
            return Ok(VoiceHandled::only(if through_dial {
                VoiceResponse::hang_up()
            } else {
                VoiceResponse::say_and_hang_up(words::NOT_ACCEPTED)
            }));
        }
        // Read everything the bridge needs first: once the acceptance wins,
        // nothing may fail before the agent is connected.
        let client = self.client(attempt.client_id).await?;
        let lead = self.lead(attempt.lead_id).await?;
        if lead.opted_out {
            return Ok(VoiceHandled::only(VoiceResponse::say_and_hang_up(
                words::NO_LONGER_NEEDED,
            )));
        }
        let now = p.clock.now();
        let cancel_others = self.job(
            FollowUp::CancelOtherLegs {
                group: attempt.ring_group_id,
                winner: attempt.id,
            },
            now,
        );
        let mut then = vec![cancel_others.clone()];
        if client.has_webhooks {
            let name = p
                .clients
                .team_member(attempt.team_member_id)
                .await?
                .map(|m| m.name)
                .unwrap_or_default();
            let accepted = EventData::LeadAccepted {
                team_member_id: attempt.team_member_id.to_string(),
                name,
                seconds_to_accept: now.duration_since(group.started_at).as_secs_f64(),
            };
            then.extend(self.event_jobs(&client, lead.id, accepted, now).await?);
        }
        if p.ring_groups.accept(attempt.id, now, &then).await? == Acceptance::Lost {
            // Say what really happened: another agent took the lead, or the
            // group ended with nobody accepting (the team was texted).
            let taken_by_another = p
                .ring_groups
                .ring_group(attempt.ring_group_id)
                .await?
                .is_some_and(|g| g.winner.is_some_and(|w| w != attempt.id));
            let text = if taken_by_another {
                words::LEAD_TAKEN
            } else {
                words::TOO_LATE
            };
            return Ok(VoiceHandled::only(VoiceResponse::say_and_hang_up(text)));
        }
        if group.winner.is_none() {
            // Not a repeat of this leg's own acceptance.
            self.observer.ring_group_ended(RingGroupOutcome::Accepted);
        }
        // The acceptance stands; a failed status write must not undo the bridge.
        let _ = p
            .leads
            .set_lead_status(lead.id, LeadStatus::Connected, p.clock.now())
            .await;
        if through_dial {
            return Ok(VoiceHandled {
                response: VoiceResponse::default(),
                follow_ups: vec![cancel_others.work],
            });
        }
        let response = VoiceResponse {
            verbs: vec![
                VoiceVerb::Say(words::CONNECTING.to_owned()),
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
            follow_ups: vec![cancel_others.work],
        })
    }

    /// The bridge to the lead ended: the agent's leg hangs up.
    pub fn dial_finished(&self) -> VoiceResponse {
        VoiceResponse::hang_up()
    }

    /// Ends a leg that is still live: cancel before answer, complete after.
    /// Best effort: a leg that cannot be ended rings out on its own timeout.
    pub(super) async fn end_leg(&self, attempt: &CallAttempt) {
        let Some(sid) = &attempt.call_sid else { return };
        let telephony = &self.ports.telephony;
        let _ = match attempt.status {
            LegStatus::InProgress => telephony.complete_call(sid).await,
            status if status.is_terminal() => Ok(()),
            _ => telephony.cancel_call(sid).await,
        };
    }

    pub(super) async fn attempt_and_group(
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
}

/// Whether Twilio's `AnsweredBy` names a machine (or a fax).
pub(super) fn is_machine(answered_by: &str) -> bool {
    answered_by.starts_with("machine") || answered_by == "fax"
}
