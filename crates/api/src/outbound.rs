//! `/api/clients/{id}/webhooks`: outbound webhook endpoints, their secret
//! shown once, and each endpoint's delivery log.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotline_domain::Timestamp;
use hotline_domain::webhooks::{EVENT_TYPES, EndpointId, NewEndpointInput, WebhookEndpoint};
use serde::{Deserialize, Serialize};

use crate::admin::client_id;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiPath as Path;
use crate::json::parse;
use crate::state::AppState;

/// An endpoint as listed (no secret).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EndpointView {
    id: String,
    url: String,
    /// The event types delivered.
    events: Vec<String>,
    description: Option<String>,
    created_at: String,
    /// Only in the answer to its creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
}

impl EndpointView {
    fn of(endpoint: &WebhookEndpoint, with_secret: bool) -> Self {
        let events = if endpoint.events.is_empty() {
            EVENT_TYPES.iter().map(|e| (*e).to_owned()).collect()
        } else {
            endpoint.events.clone()
        };
        Self {
            id: endpoint.id.to_string(),
            url: endpoint.url.clone(),
            events,
            description: endpoint.description.clone(),
            created_at: endpoint.created_at.to_string(),
            secret: with_secret.then(|| endpoint.secret.clone()),
        }
    }
}

/// A new endpoint.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewEndpoint {
    url: String,
    #[serde(default)]
    events: Option<Vec<String>>,
    #[serde(default)]
    description: Option<String>,
}

fn endpoint_id(text: &str) -> Result<EndpointId, ApiError> {
    uuid::Uuid::try_parse(text)
        .map(EndpointId)
        .map_err(|_| ApiError::NotFound(format!("webhook {text}")))
}

/// `POST /api/clients/{id}/webhooks`: the answer holds the secret, once.
#[utoipa::path(post, path = "/api/clients/{id}/webhooks", params(("id" = String, Path, description = "Client id")), request_body = NewEndpoint, responses((status = 201, body = EndpointView), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let new: NewEndpoint = parse(&body)?;
    let endpoint = state
        .webhooks
        .create(
            &caller.0,
            client_id(&id)?,
            NewEndpointInput {
                url: new.url,
                events: new.events,
                description: new.description,
            },
            Timestamp::now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(EndpointView::of(&endpoint, true))).into_response())
}

/// `GET /api/clients/{id}/webhooks`: without secrets.
#[utoipa::path(get, path = "/api/clients/{id}/webhooks", params(("id" = String, Path, description = "Client id")), responses((status = 200, body = [EndpointView])), security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let endpoints = state.webhooks.list(&caller.0, client_id(&id)?).await?;
    let views: Vec<EndpointView> = endpoints
        .iter()
        .map(|e| EndpointView::of(e, false))
        .collect();
    Ok(Json(views).into_response())
}

/// `DELETE /api/clients/{id}/webhooks/{webhook_id}`.
#[utoipa::path(delete, path = "/api/clients/{id}/webhooks/{webhook_id}", params(("id" = String, Path, description = "Client id"), ("webhook_id" = String, Path, description = "Endpoint id")), responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, webhook)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    state
        .webhooks
        .delete(&caller.0, client_id(&id)?, endpoint_id(&webhook)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /api/clients/{id}/webhooks/{webhook_id}/deliveries`: the latest
/// attempts, newest first.
#[utoipa::path(get, path = "/api/clients/{id}/webhooks/{webhook_id}/deliveries", params(("id" = String, Path, description = "Client id"), ("webhook_id" = String, Path, description = "Endpoint id")), responses((status = 200, body = Object)), security(("bearer" = [])))]
pub async fn deliveries(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, webhook)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let attempts = state
        .webhooks
        .attempts(&caller.0, client_id(&id)?, endpoint_id(&webhook)?, 200)
        .await?;
    Ok(Json(attempts).into_response())
}
