//! [`LeadStore`] on the in-memory store.

use async_trait::async_trait;
use jiff::Timestamp;

use super::super::model::{Lead, LeadStatus, MessageRecorded, NewMessage, RoutingDecision};
use super::super::ports::{LeadStore, StoreError};
use super::MemoryStore;
use crate::ids::{ClientId, LeadId};
use crate::phone::PhoneNumber;

#[async_trait]
impl LeadStore for MemoryStore {
    async fn upsert_lead(
        &self,
        client: ClientId,
        phone: &PhoneNumber,
        _now: Timestamp,
    ) -> Result<Lead, StoreError> {
        self.with(|s| {
            if let Some(lead) = s
                .leads
                .iter()
                .find(|l| l.client_id == client && &l.phone == phone)
            {
                return lead.clone();
            }
            let n = s.leads.len() as u128 + 1;
            let lead = Lead {
                id: LeadId::from_uuid(uuid::Uuid::from_u128(0x1ead_0000_0000 + n)),
                client_id: client,
                phone: phone.clone(),
                status: LeadStatus::New,
                opted_out: false,
            };
            s.leads.push(lead.clone());
            lead
        })
    }

    async fn lead(&self, id: LeadId) -> Result<Option<Lead>, StoreError> {
        self.with(|s| s.leads.iter().find(|l| l.id == id).cloned())
    }

    async fn record_message(&self, message: &NewMessage) -> Result<MessageRecorded, StoreError> {
        self.with(|s| {
            if s.messages.iter().any(|m| m.sid == message.sid) {
                let decision = s
                    .decisions
                    .iter()
                    .find(|d| d.message_sid == message.sid)
                    .cloned();
                return MessageRecorded::AlreadyStored { decision };
            }
            s.messages.push(message.clone());
            MessageRecorded::New
        })
    }

    async fn record_decision(&self, decision: &RoutingDecision) -> Result<(), StoreError> {
        self.with(|s| {
            if !s
                .decisions
                .iter()
                .any(|d| d.message_sid == decision.message_sid)
            {
                s.decisions.push(decision.clone());
            }
        })
    }

    async fn last_message_body(&self, lead: LeadId) -> Result<Option<String>, StoreError> {
        self.with(|s| {
            s.messages
                .iter()
                .rev()
                .find(|m| m.lead_id == lead)
                .map(|m| m.body.clone())
        })
    }

    async fn set_lead_status(
        &self,
        lead: LeadId,
        status: LeadStatus,
        _at: Timestamp,
    ) -> Result<(), StoreError> {
        self.with(|s| match s.leads.iter_mut().find(|l| l.id == lead) {
            Some(found) => {
                found.status = status;
                Ok(())
            }
            None => Err(StoreError::NotFound(format!("lead {lead}"))),
        })?
    }

    async fn set_opted_out(&self, lead: LeadId) -> Result<(), StoreError> {
        self.with(|s| match s.leads.iter_mut().find(|l| l.id == lead) {
            Some(found) => {
                found.opted_out = true;
                Ok(())
            }
            None => Err(StoreError::NotFound(format!("lead {lead}"))),
        })?
    }

    async fn first_delivery(&self, key: &str, _now: Timestamp) -> Result<bool, StoreError> {
        self.with(|s| s.deliveries.insert(key.to_owned()))
    }
}
