//! `lead_first`: Hotline calls the lead from the number they texted; when
//! a person answers, one `<Dial>` rings every member at once (Twilio does
//! not pace `<Dial>` legs), each `<Number>` whispering the lead to the
//! member, and the first to press 1 is bridged. A machine, no answer, or a
//! `<Dial>` that bridged nobody escalates.

use super::super::model::{RingGroup, RingGroupId, RingGroupStatus};
use super::super::ports::{OutboundCall, TelephonyError};
use super::super::voice::{DialNumber, VoiceResponse, VoiceVerb};
use super::super::words;
use super::{FollowUp, RoutingError, RoutingService, VoiceHandled};
use crate::work::JobOutcome;

impl RoutingService {
    /// Places the call to the lead of a `lead_first` group, once.
    pub(super) async fn call_lead(
        &self,
        group_id: RingGroupId,
    ) -> Result<JobOutcome, RoutingError> {
        let p = &self.ports;
        let Some(group) = p.ring_groups.ring_group(group_id).await? else {
            return Ok(JobOutcome::Done);
        };
        if group.status != RingGroupStatus::Ringing || group.lead_call_sid.is_some() {
            return Ok(JobOutcome::Done);
        }
        let client = self.client(group.client_id).await?;
        let lead = self.lead(group.lead_id).await?;
        if lead.opted_out {
            return Ok(JobOutcome::Done);
        }
        let call = OutboundCall {
            to: lead.phone.clone(),
            from: client.twilio_number.clone(),
            answer_url: p.links.lead_answer_url(group.id),
            status_callback_url: p.links.lead_status_url(group.id),
            timeout_seconds: self.config.ring_timeout_seconds,
            machine_detection: true,
        };
        match p.telephony.place_call(&call).await {
            Ok(sid) => {
                p.ring_groups.record_lead_call(group.id, &sid).await?;
                self.observer
                    .first_call_placed(p.clock.now().duration_since(group.started_at));
                Ok(JobOutcome::Done)
            }
            Err(TelephonyError::Rejected(error)) => {
                let mut ignored = Vec::new();
                self.exhaust_and_escalate(&group, &mut ignored).await?;
                Ok(JobOutcome::Failed(error))
            }
            Err(TelephonyError::Unavailable(error) | TelephonyError::Unknown(error)) => {
                Ok(JobOutcome::Retry(error))
            }
        }
    }

    /// The lead's call was answered: a person hears a short line and the
    /// team is rung through one `<Dial>`; a machine is hung up on and the
    /// lead escalated.
    ///
    /// # Errors
    ///
    /// Store failures.
    pub async fn lead_answered(
        &self,
        group_id: RingGroupId,
        answered_by: Option<&str>,
    ) -> Result<VoiceHandled, RoutingError> {
        let p = &self.ports;
        let Some(group) = self.ringing_group(group_id).await? else {
            return Ok(VoiceHandled::only(VoiceResponse::hang_up()));
        };
        if answered_by.is_some_and(super::legs::is_machine) {
            return self
                .lead_not_reached(&group, VoiceResponse::hang_up())
                .await;
        }
        let legs = p.ring_groups.claim_pending_legs(group.id, None).await?;
        if legs.is_empty() {
            let sorry = VoiceResponse::say_and_hang_up(words::NOBODY_AVAILABLE);
            return self.lead_not_reached(&group, sorry).await;
        }
        let client = self.client(group.client_id).await?;
        let numbers = legs
            .iter()
            .map(|leg| DialNumber {
                number: leg.phone.to_string(),
                url: p.links.answer_url(leg.id),
                status_callback: p.links.status_callback_url(leg.id),
            })
            .collect();
        Ok(VoiceHandled::only(VoiceResponse {
            verbs: vec![
                VoiceVerb::Say(words::lead_first_intro(&client)),
                VoiceVerb::DialNumbers {
                    caller_id: client.twilio_number.to_string(),
                    timeout_seconds: self.config.ring_timeout_seconds,
                    action: p.links.lead_dial_action_url(group.id),
                    answer_on_bridge: true,
                    record: client.record_calls,
                    numbers,
                },
            ],
        }))
    }

    /// A status callback of the lead's call: a call that ended before a
    /// person answered (busy, no answer, failed, canceled) escalates.
    ///
    /// # Errors
    ///
    /// Store failures.
    pub async fn lead_call_status(
        &self,
        group_id: RingGroupId,
        call_status: &str,
    ) -> Result<Vec<FollowUp>, RoutingError> {
        let mut follow_ups = Vec::new();
        let Some(group) = self.ringing_group(group_id).await? else {
            return Ok(follow_ups);
        };
        let unanswered = matches!(call_status, "busy" | "no-answer" | "failed" | "canceled");
        // A completed call whose group still rings: the lead hung up
        // before anyone took it.
        let hung_up = call_status == "completed";
        if unanswered || hung_up {
            self.exhaust_and_escalate(&group, &mut follow_ups).await?;
        }
        Ok(follow_ups)
    }

    /// The lead's `<Dial>` ended: when nobody was bridged, the lead hears
    /// a short line and is escalated.
    ///
    /// # Errors
    ///
    /// Store failures.
    pub async fn lead_dial_finished(
        &self,
        group_id: RingGroupId,
        dial_status: &str,
    ) -> Result<VoiceHandled, RoutingError> {
        if dial_status == "completed" || dial_status == "answered" {
            return Ok(VoiceHandled::only(VoiceResponse::hang_up()));
        }
        let Some(group) = self.ringing_group(group_id).await? else {
            return Ok(VoiceHandled::only(VoiceResponse::hang_up()));
        };
        let sorry = VoiceResponse::say_and_hang_up(words::NOBODY_AVAILABLE);
        self.lead_not_reached(&group, sorry).await
    }

    async fn ringing_group(&self, id: RingGroupId) -> Result<Option<RingGroup>, RoutingError> {
        Ok(self
            .ports
            .ring_groups
            .ring_group(id)
            .await?
            .filter(|g| g.status == RingGroupStatus::Ringing))
    }

    async fn lead_not_reached(
        &self,
        group: &RingGroup,
        response: VoiceResponse,
    ) -> Result<VoiceHandled, RoutingError> {
        let mut follow_ups = Vec::new();
        self.exhaust_and_escalate(group, &mut follow_ups).await?;
        Ok(VoiceHandled {
            response,
            follow_ups,
        })
    }
}
