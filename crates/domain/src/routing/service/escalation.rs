//! Escalations: opened, texted to the team, claimed by SMS or API, the
//! claim announced; and a lead marked booked.

use jiff::Timestamp;

use super::super::model::{
    ClaimOutcome, Escalation, EscalationId, EscalationOpen, EscalationReason, Lead, LeadStatus,
    RoutingOutcome,
};
use super::super::words;
use super::{FollowUp, RoutingError, RoutingService};
use crate::admin::Principal;
use crate::ids::{ClientId, LeadId, TeamMemberId};

impl RoutingService {
    /// Opens an escalation; `Some(AlreadyEscalated)` when one was open.
    pub(super) async fn escalate(
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

    pub(super) async fn notify_escalation(&self, id: EscalationId) -> Result<(), RoutingError> {
        let p = &self.ports;
        let Some(escalation) = p.escalations.escalation(id).await? else {
            return Ok(());
        };
        if escalation.claimed_by.is_some() {
            return Ok(());
        }
        let client = self.client(escalation.client_id).await?;
        let lead = self.lead(escalation.lead_id).await?;
        if lead.opted_out {
            // A lead who texted STOP is not to be called: no "call them now".
            return Ok(());
        }
        let body = p
            .leads
            .last_message_body(lead.id)
            .await?
            .unwrap_or_default();
        let text = words::escalation_text(&client, &lead.phone, escalation.reason, &body);
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

    pub(super) async fn announce_claim(&self, id: EscalationId) -> Result<(), RoutingError> {
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
        let text = words::claim_announcement(&owner_name, &lead.phone);
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
