//! [`WebhookStore`] on the database: endpoints and their delivery log.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::ClientId;
use hotline_domain::routing::ports::StoreError;
use hotline_domain::webhooks::{DeliveryAttempt, EndpointId, WebhookEndpoint, WebhookStore};
use sea_orm::QueryResult;
use uuid::Uuid;

use crate::codec::{from_db_time, to_db_time};
use crate::db::{Db, exec, get, query_all, query_one};

const ENDPOINT_COLUMNS: &str = "id, client_id, url, events, description, secret, created_at";

fn endpoint_row(row: &QueryResult) -> Result<WebhookEndpoint, StoreError> {
    let events: String = get(row, "events")?;
    Ok(WebhookEndpoint {
        id: EndpointId(get(row, "id")?),
        client_id: ClientId::from_uuid(get(row, "client_id")?),
        url: get(row, "url")?,
        events: events
            .split(',')
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect(),
        description: get(row, "description")?,
        secret: get(row, "secret")?,
        created_at: from_db_time(get::<DateTime<Utc>>(row, "created_at")?),
    })
}

#[async_trait]
impl WebhookStore for Db {
    async fn insert_endpoint(&self, endpoint: &WebhookEndpoint) -> Result<(), StoreError> {
        let inserted = exec(
            &self.conn,
            "INSERT INTO webhook_endpoints (id, client_id, url, events, description, secret, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            vec![
                endpoint.id.0.into(),
                endpoint.client_id.as_uuid().into(),
                endpoint.url.clone().into(),
                endpoint.events.join(",").into(),
                endpoint.description.clone().into(),
                endpoint.secret.clone().into(),
                to_db_time(endpoint.created_at).into(),
            ],
        )
        .await;
        // The client's "has webhooks" flag is read with the client.
        self.cache.forget();
        inserted.map(drop)
    }

    async fn endpoints(&self, client: ClientId) -> Result<Vec<WebhookEndpoint>, StoreError> {
        // Read with every hot decision of a client with endpoints: cached.
        if let Some(cached) = self.cache.endpoints(client) {
            return Ok(cached);
        }
        let generation = self.cache.generation();
        let endpoints = query_all(
            &self.conn,
            &format!(
                "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE client_id = $1 ORDER BY created_at, id"
            ),
            vec![client.as_uuid().into()],
        )
        .await?
        .iter()
        .map(endpoint_row)
        .collect::<Result<Vec<_>, _>>()?;
        self.cache
            .put_endpoints(generation, client, endpoints.clone());
        Ok(endpoints)
    }

    async fn endpoint(&self, id: EndpointId) -> Result<Option<WebhookEndpoint>, StoreError> {
        // Read by every delivery: cached, as the client's list is.
        if let Some(cached) = self.cache.endpoint(id.0) {
            return Ok(cached);
        }
        let generation = self.cache.generation();
        let endpoint = query_one(
            &self.conn,
            &format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1"),
            vec![id.0.into()],
        )
        .await?
        .as_ref()
        .map(endpoint_row)
        .transpose()?;
        self.cache.put_endpoint(generation, id.0, endpoint.clone());
        Ok(endpoint)
    }

    async fn delete_endpoint(&self, id: EndpointId) -> Result<bool, StoreError> {
        let deleted = exec(
            &self.conn,
            "DELETE FROM webhook_endpoints WHERE id = $1",
            vec![id.0.into()],
        )
        .await;
        self.cache.forget();
        Ok(deleted? == 1)
    }

    async fn record_attempt(
        &self,
        endpoint: EndpointId,
        attempt: &DeliveryAttempt,
    ) -> Result<(), StoreError> {
        let at = attempt
            .at
            .parse::<hotline_domain::Timestamp>()
            .map_err(|e| StoreError::Unavailable(format!("attempt time: {e}")))?;
        exec(
            &self.conn,
            "INSERT INTO webhook_attempts (id, endpoint_id, event_id, event_type, attempt, status_code, error, at, lead_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            vec![
                Uuid::now_v7().into(),
                endpoint.0.into(),
                attempt.event_id.clone().into(),
                attempt.event_type.clone().into(),
                i32::try_from(attempt.attempt).unwrap_or(i32::MAX).into(),
                attempt.status_code.map(i32::from).into(),
                attempt.error.clone().into(),
                to_db_time(at).into(),
                attempt
                    .lead_id
                    .as_deref()
                    .and_then(|id| Uuid::try_parse(id).ok())
                    .into(),
            ],
        )
        .await
        .map(drop)
    }

    async fn lead_attempts(
        &self,
        client: hotline_domain::ClientId,
        lead: hotline_domain::LeadId,
        limit: u32,
    ) -> Result<Vec<(String, DeliveryAttempt)>, StoreError> {
        let rows = query_all(
            &self.conn,
            "SELECT w.url, a.event_id, a.event_type, a.attempt, a.status_code, a.error, a.at, a.lead_id \
             FROM webhook_attempts a JOIN webhook_endpoints w ON w.id = a.endpoint_id \
             WHERE a.lead_id = $1 AND w.client_id = $2 ORDER BY a.at DESC, a.id DESC LIMIT $3",
            vec![lead.as_uuid().into(), client.as_uuid().into(), i64::from(limit).into()],
        )
        .await?;
        // The newest `limit`, oldest first.
        rows.iter()
            .rev()
            .map(|row| Ok((get(row, "url")?, attempt_of(row)?)))
            .collect()
    }

    async fn attempts(
        &self,
        endpoint: EndpointId,
        limit: u32,
    ) -> Result<Vec<DeliveryAttempt>, StoreError> {
        let rows = query_all(
            &self.conn,
            "SELECT event_id, event_type, attempt, status_code, error, at, lead_id FROM webhook_attempts \
             WHERE endpoint_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
            vec![endpoint.0.into(), i64::from(limit).into()],
        )
        .await?;
        rows.iter().map(attempt_of).collect()
    }
}

/// A delivery attempt as its row holds it.
fn attempt_of(row: &sea_orm::QueryResult) -> Result<DeliveryAttempt, StoreError> {
    Ok(DeliveryAttempt {
        event_id: get(row, "event_id")?,
        event_type: get(row, "event_type")?,
        attempt: u32::try_from(get::<i32>(row, "attempt")?).unwrap_or(0),
        status_code: get::<Option<i32>>(row, "status_code")?.and_then(|s| u16::try_from(s).ok()),
        error: get(row, "error")?,
        at: from_db_time(get::<DateTime<Utc>>(row, "at")?).to_string(),
        lead_id: get::<Option<Uuid>>(row, "lead_id")?.map(|id| id.to_string()),
    })
}
