//! The administration ports ([`AdminStore`], [`AccessStore`]) on [`Db`]:
//! each unique rule of the schema becomes the typed conflict its port
//! names, so no driver text reaches a caller.

use async_trait::async_trait;
use hotline_domain::admin::ports::{
    AccessStore, AdminAccount, AdminGrants, AdminStore, AdminStoreError, WebSession,
};
use hotline_domain::routing::model::{Client, TeamMember};
use hotline_domain::routing::ports::{ClientStore, StoreError};
use hotline_domain::{ClientId, TeamMemberId, Timestamp, WeeklySchedule};

use crate::db::Db;

/// A store error where the only unique rule in play is `conflict`.
fn with_conflict(conflict: AdminStoreError) -> impl FnOnce(StoreError) -> AdminStoreError {
    move |error| match error {
        StoreError::Conflict(_) => conflict,
        other => plain(other),
    }
}

/// A store error of an operation with no unique rule.
fn plain(error: StoreError) -> AdminStoreError {
    match error {
        StoreError::NotFound(what) => AdminStoreError::NotFound(what),
        StoreError::Conflict(what) | StoreError::Unavailable(what) => {
            AdminStoreError::Unavailable(what)
        }
    }
}

#[async_trait]
impl AdminStore for Db {
    async fn insert_client(&self, client: &Client, now: Timestamp) -> Result<(), AdminStoreError> {
        Db::insert_client(self, client, now)
            .await
            .map_err(with_conflict(AdminStoreError::TwilioNumberTaken))
    }

    async fn update_client(&self, client: &Client, now: Timestamp) -> Result<(), AdminStoreError> {
        Db::update_client(self, client, now)
            .await
            .map_err(with_conflict(AdminStoreError::TwilioNumberTaken))
    }

    async fn client(&self, id: ClientId) -> Result<Option<Client>, AdminStoreError> {
        ClientStore::client(self, id).await.map_err(plain)
    }

    async fn clients(&self, only: Option<Vec<ClientId>>) -> Result<Vec<Client>, AdminStoreError> {
        self.list_clients(only.as_deref()).await.map_err(plain)
    }

    async fn insert_team_member(
        &self,
        member: &TeamMember,
        now: Timestamp,
    ) -> Result<(), AdminStoreError> {
        Db::insert_team_member(self, member, now)
            .await
            .map_err(with_conflict(AdminStoreError::PhoneTaken))
    }

    async fn update_team_member(
        &self,
        member: &TeamMember,
        now: Timestamp,
    ) -> Result<(), AdminStoreError> {
        Db::update_team_member(self, member, now)
            .await
            .map_err(with_conflict(AdminStoreError::PhoneTaken))
    }

    async fn team_member(&self, id: TeamMemberId) -> Result<Option<TeamMember>, AdminStoreError> {
        ClientStore::team_member(self, id).await.map_err(plain)
    }

    async fn team(&self, client: ClientId) -> Result<Vec<TeamMember>, AdminStoreError> {
        self.list_team(client).await.map_err(plain)
    }

    async fn schedule(&self, client: ClientId) -> Result<Option<WeeklySchedule>, AdminStoreError> {
        ClientStore::schedule(self, client).await.map_err(plain)
    }

    async fn replace_schedule(
        &self,
        client: ClientId,
        schedule: &WeeklySchedule,
        now: Timestamp,
    ) -> Result<(), AdminStoreError> {
        Db::replace_schedule(self, client, schedule, now)
            .await
            .map_err(plain)
    }
}

#[async_trait]
impl AccessStore for Db {
    async fn insert_admin(
        &self,
        email: &str,
        token_digest: &str,
        clients: &[ClientId],
        now: Timestamp,
        expires_at: Option<Timestamp>,
    ) -> Result<uuid::Uuid, AdminStoreError> {
        Db::insert_admin(self, email, token_digest, clients, now, expires_at)
            .await
            .map_err(with_conflict(AdminStoreError::EmailTaken))
    }

    async fn admins(&self) -> Result<Vec<AdminAccount>, AdminStoreError> {
        self.list_admins().await.map_err(plain)
    }

    async fn delete_admin(&self, id: uuid::Uuid) -> Result<bool, AdminStoreError> {
        Db::delete_admin(self, id).await.map_err(plain)
    }

    async fn admin_by_token(
        &self,
        token_digest: &str,
    ) -> Result<Option<AdminGrants>, AdminStoreError> {
        self.admin_by_token_hash(token_digest).await.map_err(plain)
    }

    async fn admin(&self, id: uuid::Uuid) -> Result<Option<AdminGrants>, AdminStoreError> {
        self.admin_grants(id).await.map_err(plain)
    }

    async fn insert_web_session(
        &self,
        token_digest: &str,
        session: &WebSession,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), AdminStoreError> {
        Db::insert_web_session(self, token_digest, session, now, expires_at)
            .await
            .map_err(plain)
    }

    async fn web_session(
        &self,
        token_digest: &str,
        now: Timestamp,
    ) -> Result<Option<WebSession>, AdminStoreError> {
        Db::web_session(self, token_digest, now)
            .await
            .map_err(plain)
    }

    async fn delete_web_session(&self, token_digest: &str) -> Result<(), AdminStoreError> {
        Db::delete_web_session(self, token_digest)
            .await
            .map_err(plain)
    }
}
