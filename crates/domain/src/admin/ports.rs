//! Ports of administration: where clients, teams, hours, admins and web
//! sessions are kept. Each method's doc says what it MUST answer.

use async_trait::async_trait;

use crate::routing::model::{Client, TeamMember};
use crate::{ClientId, TeamMemberId, Timestamp, WeeklySchedule};

use super::AdminError;

/// Why a store refused or failed; only the conflicts a method names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdminStoreError {
    /// Another client has this Twilio number.
    #[error("Twilio number taken")]
    TwilioNumberTaken,
    /// Another member of the client has this phone.
    #[error("phone taken")]
    PhoneTaken,
    /// Another admin has this email.
    #[error("email taken")]
    EmailTaken,
    /// A record the operation needs does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The store is unreachable or failed; retry later.
    #[error("store unavailable: {0}")]
    Unavailable(String),
}

impl From<AdminStoreError> for AdminError {
    fn from(error: AdminStoreError) -> Self {
        match error {
            AdminStoreError::TwilioNumberTaken => Self::TwilioNumberTaken,
            AdminStoreError::PhoneTaken => Self::PhoneTaken,
            AdminStoreError::EmailTaken => Self::EmailTaken,
            AdminStoreError::NotFound(what) => Self::NotFound(what),
            AdminStoreError::Unavailable(detail) => Self::Unavailable(detail),
        }
    }
}

/// Clients, their teams and their business hours, as admins change them.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AdminStore: Send + Sync {
    /// Stores a new client. MUST answer `TwilioNumberTaken` when another
    /// client has its number, storing nothing.
    async fn insert_client(&self, client: &Client, now: Timestamp) -> Result<(), AdminStoreError>;
    /// Saves every field of an existing client. MUST answer
    /// `TwilioNumberTaken` when another client has its number and `NotFound`
    /// when it does not exist, changing nothing.
    async fn update_client(&self, client: &Client, now: Timestamp) -> Result<(), AdminStoreError>;
    /// The client with `id`; MUST answer `Ok(None)` when absent.
    async fn client(&self, id: ClientId) -> Result<Option<Client>, AdminStoreError>;
    /// Every client, or only those in `only`, ordered by name.
    async fn clients(&self, only: Option<Vec<ClientId>>) -> Result<Vec<Client>, AdminStoreError>;
    /// Stores a new team member. MUST answer `PhoneTaken` when another
    /// member of the client has the phone and `NotFound` for an unknown
    /// client, storing nothing.
    async fn insert_team_member(
        &self,
        member: &TeamMember,
        now: Timestamp,
    ) -> Result<(), AdminStoreError>;
    /// Saves every field of an existing member. MUST answer `PhoneTaken`
    /// and `NotFound` as [`Self::insert_team_member`] does.
    async fn update_team_member(
        &self,
        member: &TeamMember,
        now: Timestamp,
    ) -> Result<(), AdminStoreError>;
    /// The member with `id`, active or not; MUST answer `Ok(None)` when absent.
    async fn team_member(&self, id: TeamMemberId) -> Result<Option<TeamMember>, AdminStoreError>;
    /// Every member of the client, active or not, in a stable order.
    async fn team(&self, client: ClientId) -> Result<Vec<TeamMember>, AdminStoreError>;
    /// The client's schedule; MUST answer `Ok(None)` when no hours were set.
    async fn schedule(&self, client: ClientId) -> Result<Option<WeeklySchedule>, AdminStoreError>;
    /// Replaces the client's hours, closures and time zone at once. MUST
    /// answer `NotFound` for an unknown client.
    async fn replace_schedule(
        &self,
        client: ClientId,
        schedule: &WeeklySchedule,
        now: Timestamp,
    ) -> Result<(), AdminStoreError>;
}

/// An admin's grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminGrants {
    /// The admin's id.
    pub admin_id: uuid::Uuid,
    /// The clients they may see and change.
    pub client_ids: Vec<ClientId>,
    /// When their token stops working; `None`: never.
    pub expires_at: Option<Timestamp>,
}

impl AdminGrants {
    /// Whether the admin's token still works at `now`.
    pub fn valid_at(&self, now: Timestamp) -> bool {
        self.expires_at.is_none_or(|expires| now < expires)
    }
}

/// An admin as the super-admin lists them (never their token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminAccount {
    /// The admin's id.
    pub id: uuid::Uuid,
    /// Their email, lower-cased.
    pub email: String,
    /// The clients granted.
    pub client_ids: Vec<ClientId>,
    /// When they were created.
    pub created_at: Timestamp,
    /// When their token stops working; `None`: never.
    pub expires_at: Option<Timestamp>,
}

/// Who a web session belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionOwner {
    /// The super-admin, signed in with the token whose digest is held here,
    /// so that changing `HOTLINE_ADMIN_TOKEN` ends the session.
    SuperAdmin {
        /// Hex SHA-256 of the token used to sign in.
        token_digest: String,
    },
    /// An admin created through the API.
    Admin(uuid::Uuid),
}

/// A stored web session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    /// Whose session it is.
    pub owner: SessionOwner,
    /// The token every form of the session must carry.
    pub csrf_token: String,
}

/// Admins, their bearer tokens and web sessions. Tokens are only ever
/// stored as digests ([`super::token_digest`]).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AccessStore: Send + Sync {
    /// Stores a new admin with their grants at once, their token working
    /// until `expires_at` (`None`: for ever). MUST answer `NotFound` when a
    /// granted client does not exist and `EmailTaken` when another admin
    /// has the email, storing nothing.
    async fn insert_admin(
        &self,
        email: &str,
        token_digest: &str,
        clients: &[ClientId],
        now: Timestamp,
        expires_at: Option<Timestamp>,
    ) -> Result<uuid::Uuid, AdminStoreError>;
    /// Every admin, oldest first.
    async fn admins(&self) -> Result<Vec<AdminAccount>, AdminStoreError>;
    /// Removes the admin with `id` and their grants; their token and web
    /// sessions stop working. MUST answer `Ok(false)` when there is none.
    async fn delete_admin(&self, id: uuid::Uuid) -> Result<bool, AdminStoreError>;
    /// The admin whose token has this digest, expired or not; `Ok(None)`
    /// when none.
    async fn admin_by_token(
        &self,
        token_digest: &str,
    ) -> Result<Option<AdminGrants>, AdminStoreError>;
    /// The admin with `id`, expired or not; `Ok(None)` once removed.
    async fn admin(&self, id: uuid::Uuid) -> Result<Option<AdminGrants>, AdminStoreError>;
    /// Stores a session under its token's digest until `expires_at`, and
    /// MAY remove expired ones.
    async fn insert_web_session(
        &self,
        token_digest: &str,
        session: &WebSession,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), AdminStoreError>;
    /// The session stored under `token_digest`; MUST answer `Ok(None)` when
    /// absent or expired at `now`.
    async fn web_session(
        &self,
        token_digest: &str,
        now: Timestamp,
    ) -> Result<Option<WebSession>, AdminStoreError>;
    /// Ends the session stored under `token_digest`, if any.
    async fn delete_web_session(&self, token_digest: &str) -> Result<(), AdminStoreError>;
}
