//! [`AdminStore`] on the in-memory store, with the same unique rules as the
//! database: one client per Twilio number, one member per phone in a client.

use async_trait::async_trait;
use jiff::Timestamp;

use super::MemoryStore;
use crate::admin::ports::{AdminStore, AdminStoreError};
use crate::ids::{ClientId, TeamMemberId};
use crate::routing::model::{Client, TeamMember};
use crate::schedule::WeeklySchedule;

impl MemoryStore {
    fn admin<T>(
        &self,
        f: impl FnOnce(&mut super::MemoryState) -> Result<T, AdminStoreError>,
    ) -> Result<T, AdminStoreError> {
        let mut state = self
            .state
            .lock()
            .map_err(|_| AdminStoreError::Unavailable("lock poisoned".to_owned()))?;
        f(&mut state)
    }
}

#[async_trait]
impl AdminStore for MemoryStore {
    async fn insert_client(&self, client: &Client, _now: Timestamp) -> Result<(), AdminStoreError> {
        self.admin(|s| {
            if s.clients
                .values()
                .any(|c| c.twilio_number == client.twilio_number)
            {
                return Err(AdminStoreError::TwilioNumberTaken);
            }
            s.clients.insert(client.id, client.clone());
            Ok(())
        })
    }

    async fn update_client(&self, client: &Client, _now: Timestamp) -> Result<(), AdminStoreError> {
        self.admin(|s| {
            if !s.clients.contains_key(&client.id) {
                return Err(AdminStoreError::NotFound(format!("client {}", client.id)));
            }
            if s.clients
                .values()
                .any(|c| c.id != client.id && c.twilio_number == client.twilio_number)
            {
                return Err(AdminStoreError::TwilioNumberTaken);
            }
            s.clients.insert(client.id, client.clone());
            Ok(())
        })
    }

    async fn client(&self, id: ClientId) -> Result<Option<Client>, AdminStoreError> {
        self.admin(|s| Ok(s.clients.get(&id).cloned()))
    }

    async fn clients(&self, only: Option<Vec<ClientId>>) -> Result<Vec<Client>, AdminStoreError> {
        self.admin(|s| {
            let mut clients: Vec<Client> = s
                .clients
                .values()
                .filter(|c| only.as_ref().is_none_or(|ids| ids.contains(&c.id)))
                .cloned()
                .collect();
            clients.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
            Ok(clients)
        })
    }

    async fn insert_team_member(
        &self,
        member: &TeamMember,
        _now: Timestamp,
    ) -> Result<(), AdminStoreError> {
        self.admin(|s| {
            if !s.clients.contains_key(&member.client_id) {
                return Err(AdminStoreError::NotFound(format!(
                    "client {}",
                    member.client_id
                )));
            }
            if s.team
                .iter()
                .any(|m| m.client_id == member.client_id && m.phone == member.phone)
            {
                return Err(AdminStoreError::PhoneTaken);
            }
            s.team.push(member.clone());
            Ok(())
        })
    }

    async fn update_team_member(
        &self,
        member: &TeamMember,
        _now: Timestamp,
    ) -> Result<(), AdminStoreError> {
        self.admin(|s| {
            if s.team.iter().any(|m| {
                m.id != member.id && m.client_id == member.client_id && m.phone == member.phone
            }) {
                return Err(AdminStoreError::PhoneTaken);
            }
            let stored = s
                .team
                .iter_mut()
                .find(|m| m.id == member.id)
                .ok_or_else(|| AdminStoreError::NotFound(format!("team member {}", member.id)))?;
            *stored = member.clone();
            Ok(())
        })
    }

    async fn team_member(&self, id: TeamMemberId) -> Result<Option<TeamMember>, AdminStoreError> {
        self.admin(|s| Ok(s.team.iter().find(|m| m.id == id).cloned()))
    }

    async fn team(&self, client: ClientId) -> Result<Vec<TeamMember>, AdminStoreError> {
        self.admin(|s| {
            Ok(s.team
                .iter()
                .filter(|m| m.client_id == client)
                .cloned()
                .collect())
        })
    }

    async fn schedule(&self, client: ClientId) -> Result<Option<WeeklySchedule>, AdminStoreError> {
        self.admin(|s| Ok(s.schedules.get(&client).cloned()))
    }

    async fn replace_schedule(
        &self,
        client: ClientId,
        schedule: &WeeklySchedule,
        _now: Timestamp,
    ) -> Result<(), AdminStoreError> {
        self.admin(|s| {
            if !s.clients.contains_key(&client) {
                return Err(AdminStoreError::NotFound(format!("client {client}")));
            }
            s.schedules.insert(client, schedule.clone());
            Ok(())
        })
    }
}
