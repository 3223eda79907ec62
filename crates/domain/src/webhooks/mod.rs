//! Outbound webhooks (CONTRACT section 10): endpoints per client, each
//! event delivered to the endpoints subscribed to it as a durable job,
//! signed by the adapter as the Standard Webhooks specification says.
//!
//! The policy emits [`Event`]s in the same commit as the decision they
//! describe (a `publish` job); running it stores one `deliver_webhook` job
//! per subscribed endpoint, whose runs the [`WebhookSender`] port carries
//! out and [`WebhookStore::record_attempt`] logs.

mod events;
mod service;

use async_trait::async_trait;
use jiff::Timestamp;

pub use events::{EVENT_TYPES, Event, EventData};
pub use service::{NewEndpointInput, WebhookService};

use crate::ids::ClientId;
use crate::routing::ports::StoreError;

/// Identifies a webhook endpoint.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct EndpointId(pub uuid::Uuid);

impl std::fmt::Display for EndpointId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// A URL a client's events are delivered to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    /// The endpoint's id.
    pub id: EndpointId,
    /// The client.
    pub client_id: ClientId,
    /// Where events are posted (http or https).
    pub url: String,
    /// The event types delivered; every type when empty.
    pub events: Vec<String>,
    /// What it is for.
    pub description: Option<String>,
    /// `whsec_` and the base64 of the signing key.
    pub secret: String,
    /// When it was created.
    pub created_at: Timestamp,
}

impl WebhookEndpoint {
    /// Whether `event_type` is delivered here.
    pub fn wants(&self, event_type: &str) -> bool {
        self.events.is_empty() || self.events.iter().any(|e| e == event_type)
    }
}

/// One delivery attempt, as the log shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeliveryAttempt {
    /// The event's id (the `webhook-id` header).
    pub event_id: String,
    /// Its type.
    pub event_type: String,
    /// Which attempt, from 1.
    pub attempt: u32,
    /// The receiver's HTTP status, when it answered.
    pub status_code: Option<u16>,
    /// Why it failed, when it did not answer 2xx.
    pub error: Option<String>,
    /// When (RFC 3339).
    pub at: String,
    /// The lead the event is about.
    pub lead_id: Option<String>,
}

/// Webhook endpoints and their delivery log.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait WebhookStore: Send + Sync {
    /// Stores an endpoint.
    async fn insert_endpoint(&self, endpoint: &WebhookEndpoint) -> Result<(), StoreError>;
    /// The client's endpoints, oldest first.
    async fn endpoints(&self, client: ClientId) -> Result<Vec<WebhookEndpoint>, StoreError>;
    /// The endpoint with `id`; MUST return `Ok(None)` when absent.
    async fn endpoint(&self, id: EndpointId) -> Result<Option<WebhookEndpoint>, StoreError>;
    /// Removes an endpoint and its log; `false` when it was absent.
    async fn delete_endpoint(&self, id: EndpointId) -> Result<bool, StoreError>;
    /// Logs one delivery attempt.
    async fn record_attempt(
        &self,
        endpoint: EndpointId,
        attempt: &DeliveryAttempt,
    ) -> Result<(), StoreError>;
    /// The endpoint's most recent attempts, newest first, at most `limit`.
    async fn attempts(
        &self,
        endpoint: EndpointId,
        limit: u32,
    ) -> Result<Vec<DeliveryAttempt>, StoreError>;
    /// The newest `limit` attempts to deliver events about `lead` to any of
    /// the client's endpoints, oldest first, each with its endpoint's URL.
    async fn lead_attempts(
        &self,
        client: ClientId,
        lead: crate::LeadId,
        limit: u32,
    ) -> Result<Vec<(String, DeliveryAttempt)>, StoreError>;
}

/// Why a delivery did not get a 2xx.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// The receiver answered with this non-2xx status.
    #[error("answered {0}")]
    Status(u16),
    /// No answer: connection refused, timeout, a refused address.
    #[error("{0}")]
    Unreachable(String),
}

/// Posts a signed event to an endpoint.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait WebhookSender: Send + Sync {
    /// Delivers `event` to `endpoint` (attempt `attempt`); the status of a
    /// 2xx answer.
    async fn deliver(
        &self,
        endpoint: &WebhookEndpoint,
        event: &Event,
        attempt: u32,
    ) -> Result<u16, DeliveryError>;
}

/// Checks an endpoint's address before it is stored.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AddressGuard: Send + Sync {
    /// `Err` with the reason when `url`'s host is, or resolves to, an
    /// address Hotline must not call (loopback, private, link-local,
    /// unspecified) and such addresses are not allowed.
    async fn check(&self, url: &str) -> Result<(), String>;
}
