//! Escalations: opened, texted to the team, claimed by SMS or API, the
//! claim announced; and a lead marked booked.

use jiff::Timestamp;

use super::super::model::{
    ClaimOutcome, Client, Escalation, EscalationId, EscalationOpen, EscalationReason, Lead,
    LeadStatus, RoutingOutcome, TeamMember, TextPurpose, TextState,
};
use super::super::ports::TelephonyError;
use super::super::words;
use super::{FollowUp, RoutingError, RoutingService};
use crate::admin::Principal;
use crate::ids::{ClientId, LeadId, TeamMemberId};
use crate::webhooks::EventData;
use crate::work::{JobOutcome, NewJob};

impl RoutingService {
    /// Opens an escalation; `Some(AlreadyEscalated)` when one was open.
    pub(super) async fn escalate(
        &self,
        client: &Client,
        lead: &Lead,
        reason: EscalationReason,
        now: Timestamp,
        events: Vec<NewJob>,
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
        let notify = self.job(
            FollowUp::NotifyEscalation {
                escalation: escalation.id,
            },
            now,
        );
        let mut then = vec![notify.clone()];
        then.extend(self.chase_jobs(client, escalation.id, now));
        then.extend(events);
        let opened = EventData::EscalationOpened {
            escalation_id: escalation.id.to_string(),
            reason: super::ring_groups::escalation_reason(reason).to_owned(),
        };
        then.extend(self.event_jobs(client, lead.id, opened, now).await?);
        match p.escalations.open_escalation(&escalation, &then).await? {
            EscalationOpen::Opened => {
                p.leads
                    .set_lead_status(lead.id, LeadStatus::Escalated, p.clock.now())
                    .await?;
                follow_ups.push(notify.work);
                Ok(None)
            }
            // The open escalation already has its texts under way.
            EscalationOpen::AlreadyOpen(_) => Ok(Some(RoutingOutcome::AlreadyEscalated)),
        }
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
        let now = p.clock.now();
        let announce = self.job(
            FollowUp::AnnounceClaim {
                escalation: escalation.id,
            },
            now,
        );
        let client = self.client(escalation.client_id).await?;
        let claimed = EventData::EscalationClaimed {
            escalation_id: escalation.id.to_string(),
            team_member_id: member.id.to_string(),
            name: member.name.clone(),
        };
        let mut then = vec![announce.clone()];
        then.extend(
            self.event_jobs(&client, escalation.lead_id, claimed, now)
                .await?,
        );
        match p
            .escalations
            .claim(escalation.id, member.id, now, &then)
            .await?
        {
            ClaimOutcome::Claimed => {
                p.leads
                    .set_lead_status(escalation.lead_id, LeadStatus::Claimed, p.clock.now())
                    .await?;
                Ok(vec![announce.work])
            }
            ClaimOutcome::AlreadyClaimed(by) => Err(RoutingError::AlreadyClaimed(by)),
        }
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

    /// Texts each active member about an open escalation, once each:
    /// a text Twilio refuses for good is recorded failed; one refused for
    /// now, or cut off, stays pending and the job runs again.
    pub(super) async fn notify_escalation(
        &self,
        id: EscalationId,
    ) -> Result<JobOutcome, RoutingError> {
        let p = &self.ports;
        let Some(escalation) = p.escalations.escalation(id).await? else {
            return Ok(JobOutcome::Done);
        };
        if escalation.claimed_by.is_some() {
            return Ok(JobOutcome::Done);
        }
        let client = self.client(escalation.client_id).await?;
        let lead = self.lead(escalation.lead_id).await?;
        if lead.opted_out {
            // A lead who texted STOP is not to be called: no "call them now".
            return Ok(JobOutcome::Done);
        }
        let body = p
            .leads
            .last_message_body(lead.id)
            .await?
            .unwrap_or_default();
        let text = words::escalation_text(&client, &lead.phone, escalation.reason, &body);
        let team = p.clients.active_team(client.id).await?;
        // Members off duty are not texted.
        let recipients: Vec<_> = team.iter().filter(|m| m.available).collect();
        self.text_members(&client, id, TextPurpose::Escalation, &recipients, &text)
            .await
    }

    /// Tells the rest of the team who claimed the escalation, once each,
    /// retrying texts refused for now as [`Self::notify_escalation`] does.
    pub(super) async fn announce_claim(
        &self,
        id: EscalationId,
    ) -> Result<JobOutcome, RoutingError> {
        let p = &self.ports;
        let Some(escalation) = p.escalations.escalation(id).await? else {
            return Ok(JobOutcome::Done);
        };
        let Some(owner_id) = escalation.claimed_by else {
            return Ok(JobOutcome::Done);
        };
        let client = self.client(escalation.client_id).await?;
        let lead = self.lead(escalation.lead_id).await?;
        let owner = p.clients.team_member(owner_id).await?;
        let owner_name = owner.map_or_else(|| "A team member".to_owned(), |m| m.name);
        let text = words::claim_announcement(&owner_name, &lead.phone);
        let team = p.clients.active_team(client.id).await?;
        let recipients: Vec<_> = team
            .iter()
            .filter(|m| m.id != owner_id && m.available)
            .collect();
        self.text_members(&client, id, TextPurpose::Claim, &recipients, &text)
            .await
    }

    /// Sends `text` to each of `members` whose text is still to send,
    /// recording each outcome; `Retry` while any is refused for now.
    pub(super) async fn text_members(
        &self,
        client: &Client,
        id: EscalationId,
        purpose: TextPurpose,
        members: &[&TeamMember],
        text: &str,
    ) -> Result<JobOutcome, RoutingError> {
        let p = &self.ports;
        let mut retry = None;
        let mut refused = None;
        for member in members {
            if !p
                .escalations
                .begin_text(id, member.id, purpose, p.clock.now())
                .await?
            {
                continue;
            }
            let sent = p
                .telephony
                .send_sms(&client.twilio_number, &member.phone, text)
                .await;
            let (state, error) = match sent {
                Ok(()) => (TextState::Sent, None),
                Err(TelephonyError::Rejected(error)) => {
                    refused = Some(error.clone());
                    (TextState::Failed, Some(error))
                }
                Err(TelephonyError::Unavailable(error) | TelephonyError::Unknown(error)) => {
                    retry = Some(error.clone());
                    (TextState::Pending, Some(error))
                }
            };
            p.escalations
                .record_text(id, member.id, purpose, state, error, p.clock.now())
                .await?;
        }
        Ok(match (retry, refused) {
            (Some(error), _) => JobOutcome::Retry(error),
            (None, Some(error)) => JobOutcome::Failed(error),
            (None, None) => JobOutcome::Done,
        })
    }

    /// The lead booked an appointment.
    ///
    /// # Errors
    ///
    /// [`RoutingError::NotFound`] for an unknown lead; store failures.
    pub async fn appointment_booked(&self, lead: LeadId) -> Result<(), RoutingError> {
        let found = self.lead(lead).await?;
        self.ports
            .leads
            .set_lead_status(lead, LeadStatus::Booked, self.ports.clock.now())
            .await?;
        let client = self.client(found.client_id).await?;
        self.publish_now(&client, lead, EventData::LeadBooked {})
            .await
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
}
