//! Follow-ups: the work that runs after an event has been answered, one
//! stored job at a time.

use super::super::model::{EscalationId, RingGroupId, TextPurpose, TextState};
use super::{FollowUp, RoutingError, RoutingService};
use crate::work::JobOutcome;

impl RoutingService {
    /// Runs one follow-up. Each is safe to run again: a leg's call is
    /// placed again only when its create was cut off (once at most), and
    /// each member's text goes out until Twilio takes it.
    ///
    /// # Errors
    ///
    /// Store failures (the job is then retried); telephony failures are
    /// in the outcome.
    pub async fn run(&self, follow_up: &FollowUp) -> Result<JobOutcome, RoutingError> {
        self.run_attempt(follow_up, 1).await
    }

    /// Runs one follow-up as try `attempt` of its job (the webhook
    /// delivery log counts tries).
    ///
    /// # Errors
    ///
    /// As [`Self::run`].
    pub async fn run_attempt(
        &self,
        follow_up: &FollowUp,
        attempt: u32,
    ) -> Result<JobOutcome, RoutingError> {
        match follow_up {
            FollowUp::PlaceCalls { group, up_to_tier } => {
                self.place_calls(*group, *up_to_tier, attempt).await
            }
            FollowUp::CallLead { group } => self.call_lead(*group).await,
            FollowUp::RingDeadline { group } => self.ring_group_timed_out(*group).await,
            FollowUp::NotifyEscalation { escalation } => self.notify_escalation(*escalation).await,
            FollowUp::EndAllLegs { group } => self.end_legs_but(*group, None).await,
            FollowUp::CancelOtherLegs { group, winner } => {
                self.end_legs_but(*group, Some(*winner)).await
            }
            FollowUp::AnnounceClaim { escalation } => self.announce_claim(*escalation).await,
            FollowUp::TextLeadMissed { group } => self.text_lead_missed(*group).await,
            FollowUp::RemindEscalation { escalation } => self.remind_escalation(*escalation).await,
            FollowUp::AlertManager { escalation } => self.alert_manager(*escalation).await,
            FollowUp::Publish { event } => self.fan_out(event).await,
            FollowUp::DeliverWebhook { endpoint, event } => {
                self.deliver(*endpoint, event, attempt).await
            }
        }
    }

    /// Called when a job's retries ran out: what it left pending is marked
    /// failed, so nothing shows as pending for ever.
    ///
    /// # Errors
    ///
    /// Store failures.
    pub async fn abandon(&self, follow_up: &FollowUp, error: &str) -> Result<(), RoutingError> {
        match follow_up {
            FollowUp::PlaceCalls { group, .. } | FollowUp::CallLead { group } => {
                self.cancel_unplaced_legs(*group).await
            }
            FollowUp::NotifyEscalation { escalation } => {
                self.fail_pending_texts(*escalation, TextPurpose::Escalation, error)
                    .await
            }
            FollowUp::AnnounceClaim { escalation } => {
                self.fail_pending_texts(*escalation, TextPurpose::Claim, error)
                    .await
            }
            FollowUp::RemindEscalation { escalation } => {
                self.fail_pending_texts(*escalation, TextPurpose::Reminder, error)
                    .await
            }
            _ => Ok(()),
        }
    }

    async fn fail_pending_texts(
        &self,
        id: EscalationId,
        purpose: TextPurpose,
        error: &str,
    ) -> Result<(), RoutingError> {
        let p = &self.ports;
        for text in p.escalations.texts(id).await? {
            if text.purpose == purpose && text.state == TextState::Pending {
                p.escalations
                    .record_text(
                        id,
                        text.team_member_id,
                        purpose,
                        TextState::Failed,
                        Some(error.to_owned()),
                        p.clock.now(),
                    )
                    .await?;
            }
        }
        Ok(())
    }

    /// Ends every live leg of the group but `keep`; legs never placed are
    /// marked canceled. Ending is best effort: a leg that cannot be ended
    /// rings out on its own timeout.
    async fn end_legs_but(
        &self,
        group: RingGroupId,
        keep: Option<super::super::model::CallAttemptId>,
    ) -> Result<JobOutcome, RoutingError> {
        for attempt in self.ports.ring_groups.attempts(group).await? {
            if Some(attempt.id) != keep {
                self.end_leg(&attempt).await;
            }
        }
        self.cancel_unplaced_legs(group).await?;
        Ok(JobOutcome::Done)
    }
}
