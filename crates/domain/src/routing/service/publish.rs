//! Events for outbound webhooks: emitted as `publish` jobs with the
//! decision they describe (only for clients with an endpoint), fanned out
//! to one `deliver_webhook` job per subscribed endpoint, each delivery
//! logged.

use jiff::Timestamp;

use super::super::model::Client;
use super::{FollowUp, RoutingError, RoutingService};
use crate::LeadId;
use crate::webhooks::{DeliveryAttempt, DeliveryError, EndpointId, Event, EventData};
use crate::work::{JobId, JobOutcome, NewJob};

impl RoutingService {
    /// The job publishing `data` about `lead` at `now`, when the client has
    /// an endpoint to hear it.
    pub(super) fn event_job(
        &self,
        client: &Client,
        lead: LeadId,
        data: EventData,
        now: Timestamp,
    ) -> Option<NewJob> {
        client.has_webhooks.then(|| {
            let event = Event {
                id: self.ports.ids.new_uuid(),
                client_id: client.id,
                lead_id: lead,
                timestamp: now.to_string(),
                data,
            };
            self.job(FollowUp::Publish { event }, now)
        })
    }

    /// Publishes `data` on its own (for decisions that store no jobs).
    pub(super) async fn publish_now(
        &self,
        client: &Client,
        lead: LeadId,
        data: EventData,
    ) -> Result<(), RoutingError> {
        if let Some(job) = self.event_job(client, lead, data, self.ports.clock.now()) {
            self.ports.jobs.enqueue(std::slice::from_ref(&job)).await?;
        }
        Ok(())
    }

    /// Stores one delivery job per endpoint subscribed to the event; the
    /// job ids are fixed per (event, endpoint), so a repeat stores none.
    pub(super) async fn fan_out(&self, event: &Event) -> Result<JobOutcome, RoutingError> {
        let p = &self.ports;
        let now = p.clock.now();
        let jobs: Vec<NewJob> = p
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
            .collect();
        p.jobs.enqueue(&jobs).await?;
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
                },
            )
            .await?;
        Ok(match error {
            None => JobOutcome::Done,
            Some(error) => JobOutcome::Retry(error),
        })
    }
}
