//! [`ClientStore`] on the in-memory store.

use async_trait::async_trait;

use super::super::model::{Client, TeamMember};
use super::super::ports::{ClientStore, StoreError};
use super::MemoryStore;
use crate::ids::{ClientId, TeamMemberId};
use crate::phone::PhoneNumber;
use crate::schedule::WeeklySchedule;

#[async_trait]
impl ClientStore for MemoryStore {
    async fn client_by_number(&self, number: &PhoneNumber) -> Result<Option<Client>, StoreError> {
        self.with(|s| {
            s.clients
                .values()
                .find(|c| &c.twilio_number == number)
                .cloned()
        })
    }

    async fn client(&self, id: ClientId) -> Result<Option<Client>, StoreError> {
        self.with(|s| s.clients.get(&id).cloned())
    }

    async fn schedule(&self, id: ClientId) -> Result<Option<WeeklySchedule>, StoreError> {
        self.with(|s| s.schedules.get(&id).cloned())
    }

    async fn team_member_by_phone(
        &self,
        client: ClientId,
        phone: &PhoneNumber,
    ) -> Result<Option<TeamMember>, StoreError> {
        self.with(|s| {
            s.team
                .iter()
                .find(|m| m.client_id == client && &m.phone == phone && m.active)
                .cloned()
        })
    }

    async fn team_member(&self, id: TeamMemberId) -> Result<Option<TeamMember>, StoreError> {
        self.with(|s| s.team.iter().find(|m| m.id == id).cloned())
    }

    async fn active_team(&self, client: ClientId) -> Result<Vec<TeamMember>, StoreError> {
        self.with(|s| {
            s.team
                .iter()
                .filter(|m| m.client_id == client && m.active)
                .cloned()
                .collect()
        })
    }

    async fn set_member_available(
        &self,
        member: TeamMemberId,
        available: bool,
        _at: jiff::Timestamp,
    ) -> Result<(), StoreError> {
        self.with(|s| match s.team.iter_mut().find(|m| m.id == member) {
            Some(found) => {
                found.available = available;
                Ok(())
            }
            None => Err(StoreError::NotFound(format!("team member {member}"))),
        })?
    }
}
