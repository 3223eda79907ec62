//! Events for outbound webhooks: one `deliver_webhook` job per subscribed
//! endpoint, stored with the decision the event describes (only for
//! clients with an endpoint), each delivery logged.

use jiff::Timestamp;

use super::super::model::Client;
use super::{FollowUp, RoutingError, RoutingService};
use crate::LeadId;
use crate::webhooks::{DeliveryAttempt, DeliveryError, EndpointId, Event, EventData};
use crate::work::{JobId, JobOutcome, NewJob};

impl RoutingService {
    /// The jobs delivering `data` about `lead` at `now` to each endpoint of
    /// the client subscribed to it (none when the client has no endpoint),
    /// to store with the decision the event describes.
    pub(super) async fn event_jobs(
        &self,
        client: &Client,
        lead: LeadId,
        data: EventData,
        now: Timestamp,
    ) -> Result<Vec<NewJob>, RoutingError> {
        if !client.has_webhooks {
            return Ok(Vec::new());
        }
        let event = Event {
            id: self.ports.ids.new_uuid(),
            client_id: client.id,
            lead_id: lead,
            timestamp: now.to_string(),
            data,
        };
        Ok(self.delivery_jobs(&event, now).await?)
    }

    /// One delivery job per endpoint subscribed to `event`, due at `now`;
    /// the job ids are fixed per (event, endpoint), so a repeat stores none.
    async fn delivery_jobs(
        &self,
        event: &Event,
        now: Timestamp,
    ) -> Result<Vec<NewJob>, crate::routing::ports::StoreError> {
        Ok(self
            .ports
            .webhooks
            .endpoints(event.client_id)
            .await?
            .into_iter()
            .filter(|endpoint| endpoint.wants(event.data.type_name()))
            .map(|endpoint| NewJob {
                id: JobId(uuid::Uuid::from_u128(
                    event.id.as_u128() ^ endpoint.id.0.as_u128().rotate_left(1),
                )),
                work: FollowUp::DeliverWebhook {
                    endpoint: endpoint.id,
                    event: event.clone(),
                },
                due_at: now,
            })
            .collect())
    }

    /// Stores the deliveries of `data` on their own (for decisions that
    /// store no jobs).
    pub(super) async fn publish_now(
        &self,
        client: &Client,
        lead: LeadId,
        data: EventData,
    ) -> Result<(), RoutingError> {
        let jobs = self
            .event_jobs(client, lead, data, self.ports.clock.now())
            .await?;
        self.ports.jobs.enqueue(&jobs).await?;
        Ok(())
    }

    /// A `publish` job (stored by earlier versions): stores its deliveries.
    pub(super) async fn fan_out(&self, event: &Event) -> Result<JobOutcome, RoutingError> {
        let jobs = self.delivery_jobs(event, self.ports.clock.now()).await?;
        self.ports.jobs.enqueue(&jobs).await?;
        Ok(JobOutcome::Done)
    }

    /// Delivers an event to one endpoint (try `attempt`) and logs it.
    pub(super) async fn deliver(
        &self,
        endpoint_id: EndpointId,
        event: &Event,
        attempt: u32,
    ) -> Result<JobOutcome, RoutingError> {
        let p = &self.ports;
        let Some(endpoint) = p.webhooks.endpoint(endpoint_id).await? else {
            return Ok(JobOutcome::Done);
        };
        let sent = p.webhook_sender.deliver(&endpoint, event, attempt).await;
        let (status_code, error) = match &sent {
            Ok(status) => (Some(*status), None),
            Err(DeliveryError::Status(status)) => {
                (Some(*status), Some(format!("answered {status}")))
            }
            Err(DeliveryError::Unreachable(reason)) => (None, Some(reason.clone())),
        };
        p.webhooks
            .record_attempt(
                endpoint.id,
                &DeliveryAttempt {
                    event_id: event.id.to_string(),
                    event_type: event.data.type_name().to_owned(),
                    attempt,
                    status_code,
                    error: error.clone(),
                    at: p.clock.now().to_string(),
                    lead_id: Some(event.lead_id.to_string()),
                },
            )
            .await?;
        Ok(match error {
            None => JobOutcome::Done,
            Some(error) => JobOutcome::Retry(error),
        })
    }
}
