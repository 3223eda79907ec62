//! The admin use cases of webhook endpoints: create (with a secret shown
//! once), list, delete, and read the delivery log.

use std::sync::Arc;

use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use jiff::Timestamp;

use super::{
    AddressGuard, DeliveryAttempt, EVENT_TYPES, EndpointId, WebhookEndpoint, WebhookStore,
};
use crate::ClientId;
use crate::admin::{AdminError, Invalid, Principal, Randomness};

/// An endpoint to create, as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEndpointInput {
    /// Where to post (http or https).
    pub url: String,
    /// Event types; every type when `None` or empty.
    pub events: Option<Vec<String>>,
    /// What it is for.
    pub description: Option<String>,
}

/// Bytes of a new signing key (the contract asks for at least 24).
const SECRET_BYTES: usize = 32;

/// Endpoints, checked and scoped to the caller's clients.
#[derive(Clone)]
pub struct WebhookService {
    store: Arc<dyn WebhookStore>,
    guard: Arc<dyn AddressGuard>,
    randomness: Arc<dyn Randomness>,
}

impl std::fmt::Debug for WebhookService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookService").finish_non_exhaustive()
    }
}

impl WebhookService {
    /// The use cases over `store`, checking addresses with `guard`.
    pub fn new(
        store: Arc<dyn WebhookStore>,
        guard: Arc<dyn AddressGuard>,
        randomness: Arc<dyn Randomness>,
    ) -> Self {
        Self {
            store,
            guard,
            randomness,
        }
    }

    /// Creates an endpoint; the answer holds its secret, shown only here.
    ///
    /// # Errors
    ///
    /// `Forbidden`; `Invalid` for a URL that is not http(s), a refused
    /// address, an unknown event type or a bad description.
    pub async fn create(
        &self,
        principal: &Principal,
        client: ClientId,
        new: NewEndpointInput,
        now: Timestamp,
    ) -> Result<WebhookEndpoint, AdminError> {
        principal.require(client)?;
        let url = new.url.trim().to_owned();
        let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
        if !scheme_ok || url.len() > 2048 || crate::admin::has_control_characters(&url) {
            return Err(Invalid::new("url", "invalid_url", "must be an http or https URL").into());
        }
        if let Err(reason) = self.guard.check(&url).await {
            return Err(Invalid::new("url", "address_not_allowed", reason).into());
        }
        let events = new.events.unwrap_or_default();
        if let Some(unknown) = events.iter().find(|e| !EVENT_TYPES.contains(&e.as_str())) {
            return Err(Invalid::new(
                "events",
                "unknown_event",
                format!("unknown event type {unknown:?}"),
            )
            .into());
        }
        let description = new
            .description
            .as_deref()
            .map(|d| crate::admin::validate_text("description", d))
            .transpose()?;
        let mut key = [0_u8; SECRET_BYTES];
        self.randomness
            .fill(&mut key)
            .map_err(|e| AdminError::Unavailable(e.0))?;
        let endpoint = WebhookEndpoint {
            id: EndpointId(uuid::Uuid::now_v7()),
            client_id: client,
            url,
            events,
            description,
            secret: format!("whsec_{}", BASE64_STANDARD.encode(key)),
            created_at: now,
        };
        self.store.insert_endpoint(&endpoint).await?;
        Ok(endpoint)
    }

    /// The client's endpoints.
    ///
    /// # Errors
    ///
    /// `Forbidden`; `Unavailable`.
    pub async fn list(
        &self,
        principal: &Principal,
        client: ClientId,
    ) -> Result<Vec<WebhookEndpoint>, AdminError> {
        principal.require(client)?;
        Ok(self.store.endpoints(client).await?)
    }

    /// Removes one of the client's endpoints.
    ///
    /// # Errors
    ///
    /// `Forbidden`; `NotFound` for an endpoint of another client or none.
    pub async fn delete(
        &self,
        principal: &Principal,
        client: ClientId,
        id: EndpointId,
    ) -> Result<(), AdminError> {
        self.endpoint_of(principal, client, id).await?;
        self.store.delete_endpoint(id).await?;
        Ok(())
    }

    /// The endpoint's recent delivery attempts, newest first.
    ///
    /// # Errors
    ///
    /// As [`Self::delete`].
    pub async fn attempts(
        &self,
        principal: &Principal,
        client: ClientId,
        id: EndpointId,
        limit: u32,
    ) -> Result<Vec<DeliveryAttempt>, AdminError> {
        self.endpoint_of(principal, client, id).await?;
        Ok(self.store.attempts(id, limit).await?)
    }

    /// The attempts to deliver events about one of the client's leads,
    /// oldest first, each with its endpoint's URL.
    ///
    /// # Errors
    ///
    /// `Forbidden`; `Unavailable`.
    pub async fn lead_attempts(
        &self,
        principal: &Principal,
        client: ClientId,
        lead: crate::LeadId,
        limit: u32,
    ) -> Result<Vec<(String, DeliveryAttempt)>, AdminError> {
        principal.require(client)?;
        Ok(self.store.lead_attempts(client, lead, limit).await?)
    }

    async fn endpoint_of(
        &self,
        principal: &Principal,
        client: ClientId,
        id: EndpointId,
    ) -> Result<WebhookEndpoint, AdminError> {
        principal.require(client)?;
        self.store
            .endpoint(id)
            .await?
            .filter(|e| e.client_id == client)
            .ok_or_else(|| AdminError::NotFound(format!("webhook {id}")))
    }
}
