//! [`WebhookStore`] on the in-memory store.

use async_trait::async_trait;

use super::super::ports::StoreError;
use super::MemoryStore;
use crate::ids::ClientId;
use crate::webhooks::{DeliveryAttempt, EndpointId, WebhookEndpoint, WebhookStore};

#[async_trait]
impl WebhookStore for MemoryStore {
    async fn insert_endpoint(&self, endpoint: &WebhookEndpoint) -> Result<(), StoreError> {
        self.with(|s| {
            s.webhook_endpoints.push(endpoint.clone());
            if let Some(client) = s.clients.get_mut(&endpoint.client_id) {
                client.has_webhooks = true;
            }
        })
    }

    async fn endpoints(&self, client: ClientId) -> Result<Vec<WebhookEndpoint>, StoreError> {
        self.with(|s| {
            s.webhook_endpoints
                .iter()
                .filter(|e| e.client_id == client)
                .cloned()
                .collect()
        })
    }

    async fn endpoint(&self, id: EndpointId) -> Result<Option<WebhookEndpoint>, StoreError> {
        self.with(|s| s.webhook_endpoints.iter().find(|e| e.id == id).cloned())
    }

    async fn delete_endpoint(&self, id: EndpointId) -> Result<bool, StoreError> {
        self.with(|s| {
            let Some(found) = s.webhook_endpoints.iter().position(|e| e.id == id) else {
                return false;
            };
            let removed = s.webhook_endpoints.remove(found);
            let any_left = s
                .webhook_endpoints
                .iter()
                .any(|e| e.client_id == removed.client_id);
            if let Some(client) = s.clients.get_mut(&removed.client_id) {
                client.has_webhooks = any_left;
            }
            s.webhook_attempts.retain(|(endpoint, _)| *endpoint != id);
            true
        })
    }

    async fn record_attempt(
        &self,
        endpoint: EndpointId,
        attempt: &DeliveryAttempt,
    ) -> Result<(), StoreError> {
        self.with(|s| s.webhook_attempts.push((endpoint, attempt.clone())))
    }

    async fn lead_attempts(
        &self,
        client: crate::ClientId,
        lead: crate::LeadId,
        limit: u32,
    ) -> Result<Vec<(String, DeliveryAttempt)>, StoreError> {
        let lead = lead.to_string();
        self.with(|s| {
            let mine = |id: &EndpointId| {
                s.webhook_endpoints
                    .iter()
                    .any(|e| e.id == *id && e.client_id == client)
            };
            let all: Vec<(String, DeliveryAttempt)> = s
                .webhook_attempts
                .iter()
                .filter(|(e, a)| a.lead_id.as_deref() == Some(lead.as_str()) && mine(e))
                .map(|(e, a)| {
                    let url = s
                        .webhook_endpoints
                        .iter()
                        .find(|endpoint| endpoint.id == *e)
                        .map_or_else(String::new, |endpoint| endpoint.url.clone());
                    (url, a.clone())
                })
                .collect();
            // The newest `limit`, oldest first.
            let keep = usize::try_from(limit).unwrap_or(usize::MAX);
            all[all.len().saturating_sub(keep)..].to_vec()
        })
    }

    async fn attempts(
        &self,
        endpoint: EndpointId,
        limit: u32,
    ) -> Result<Vec<DeliveryAttempt>, StoreError> {
        self.with(|s| {
            s.webhook_attempts
                .iter()
                .rev()
                .filter(|(e, _)| *e == endpoint)
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
                .map(|(_, a)| a.clone())
                .collect()
        })
    }
}
