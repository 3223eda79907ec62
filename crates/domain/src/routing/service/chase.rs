//! Chasing a lead nobody took (CONTRACT section 9): the text to a lead
//! whose ring group ended with nobody accepting, the reminder of an
//! unclaimed escalation to each available member, and the manager's text.
//! Each is a job with a due time, stored with the escalation or the ring
//! group's end; none goes to an opted-out lead, and nothing is sent once
//! the escalation is claimed or closed.

use jiff::{SignedDuration, Timestamp};

use super::super::model::{Client, EscalationId, RingGroupId, TextPurpose};
use super::super::ports::TelephonyError;
use super::super::words;
use super::{FollowUp, RoutingError, RoutingService};
use crate::work::{JobOutcome, NewJob};

impl RoutingService {
    /// The reminder and the manager's text of an escalation opened at
    /// `opened`, as the client has them set.
    pub(super) fn chase_jobs(
        &self,
        client: &Client,
        escalation: EscalationId,
        opened: Timestamp,
    ) -> Vec<NewJob> {
        let after = |seconds: u32| {
            opened
                .saturating_add(SignedDuration::from_secs(i64::from(seconds)))
                .unwrap_or(opened)
        };
        let chase = &client.follow_through;
        let mut jobs = Vec::new();
        if let Some(seconds) = chase.reminder_after_seconds {
            jobs.push(self.job(FollowUp::RemindEscalation { escalation }, after(seconds)));
        }
        if let (Some(_), Some(seconds)) = (&chase.manager_phone, chase.manager_after_seconds) {
            jobs.push(self.job(FollowUp::AlertManager { escalation }, after(seconds)));
        }
        jobs
    }

    /// Texts the lead of a ring group that ended with nobody accepting.
    pub(super) async fn text_lead_missed(
        &self,
        group_id: RingGroupId,
    ) -> Result<JobOutcome, RoutingError> {
        let p = &self.ports;
        let Some(group) = p.ring_groups.ring_group(group_id).await? else {
            return Ok(JobOutcome::Done);
        };
        let client = self.client(group.client_id).await?;
        let lead = self.lead(group.lead_id).await?;
        let Some(text) = &client.follow_through.lead_missed_text else {
            return Ok(JobOutcome::Done);
        };
        if lead.opted_out || group.winner.is_some() {
            return Ok(JobOutcome::Done);
        }
        Ok(text_outcome(
            p.telephony
                .send_sms(&client.twilio_number, &lead.phone, text)
                .await,
        ))
    }

    /// Whether the escalation still waits for a claim: open, unclaimed,
    /// its lead not opted out. Its client and lead phone when it does.
    async fn still_waiting(
        &self,
        id: EscalationId,
    ) -> Result<Option<(Client, crate::PhoneNumber, Timestamp)>, RoutingError> {
        let p = &self.ports;
        let Some(escalation) = p.escalations.escalation(id).await? else {
            return Ok(None);
        };
        if escalation.claimed_by.is_some() {
            return Ok(None);
        }
        let open = p
            .escalations
            .open_escalations(escalation.client_id)
            .await?
            .iter()
            .any(|e| e.id == id);
        let lead = self.lead(escalation.lead_id).await?;
        if !open || lead.opted_out {
            return Ok(None);
        }
        let client = self.client(escalation.client_id).await?;
        Ok(Some((client, lead.phone, escalation.created_at)))
    }

    /// Texts each available member once more about an unclaimed escalation.
    pub(super) async fn remind_escalation(
        &self,
        id: EscalationId,
    ) -> Result<JobOutcome, RoutingError> {
        let Some((client, lead_phone, opened)) = self.still_waiting(id).await? else {
            return Ok(JobOutcome::Done);
        };
        let waited = self.ports.clock.now().duration_since(opened);
        let text = words::reminder_text(&client, &lead_phone, waited);
        let team = self.ports.clients.active_team(client.id).await?;
        let recipients: Vec<_> = team.iter().filter(|m| m.available).collect();
        self.text_members(&client, id, TextPurpose::Reminder, &recipients, &text)
            .await
    }

    /// Texts the client's manager about an unclaimed escalation, once.
    pub(super) async fn alert_manager(&self, id: EscalationId) -> Result<JobOutcome, RoutingError> {
        let Some((client, lead_phone, opened)) = self.still_waiting(id).await? else {
            return Ok(JobOutcome::Done);
        };
        let Some(manager) = &client.follow_through.manager_phone else {
            return Ok(JobOutcome::Done);
        };
        let waited = self.ports.clock.now().duration_since(opened);
        let text = words::manager_text(&client, &lead_phone, waited);
        Ok(text_outcome(
            self.ports
                .telephony
                .send_sms(&client.twilio_number, manager, &text)
                .await,
        ))
    }
}

/// How one text's send ends its job: refused for good is a failure,
/// refused for now or cut off is retried.
fn text_outcome(sent: Result<(), TelephonyError>) -> JobOutcome {
    match sent {
        Ok(()) => JobOutcome::Done,
        Err(TelephonyError::Rejected(error)) => JobOutcome::Failed(error),
        Err(TelephonyError::Unavailable(error) | TelephonyError::Unknown(error)) => {
            JobOutcome::Retry(error)
        }
    }
}
