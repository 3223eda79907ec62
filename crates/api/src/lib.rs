//! Hotline's HTTP service.
//!
//! The Twilio-facing routes (`/api/webhook/sms`, `/api/webhook/ring-group`
//! and the voice URLs Hotline hands out), health endpoints, the admin API
//! and the web pages for admins. Every Twilio-facing route checks
//! `X-Twilio-Signature` unless the server runs in sandbox mode.

mod admin;
mod admins;
mod auth;
pub mod auth_limit;
mod error;
mod extract;
mod feedback;
mod health;
pub mod json;
mod links;
mod metrics;
mod openapi;
mod outbound;
mod reports;
mod state;
mod twilio_request;
mod web;
mod webhooks;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use tokio::sync::Semaphore;
use tower_http::timeout::TimeoutLayer;

pub use auth::Caller;
pub use error::ApiError;
pub use links::PublicLinks;
pub use metrics::Metrics;
pub use openapi::ApiDoc;
pub use state::{ApiConfig, AppState, FollowUpsRunning};

/// The largest request body accepted, in bytes.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// How long a request may take before it is answered with 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// How long a request's body may take to arrive. Bodies are read in full
/// before any handler runs (and before a webhook takes one of its slots),
/// so stalled clients hold no slot and are dropped after this long.
pub const BODY_DEADLINE: Duration = Duration::from_secs(5);

/// Every route of the service.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .route("/api/openapi.json", get(openapi::openapi_json))
        .merge(twilio_routes(state.config.max_webhooks_in_flight))
        .route(
            "/api/clients",
            post(admin::create_client).get(admin::list_clients),
        )
        .route(
            "/api/clients/{id}",
            get(admin::get_client).patch(admin::patch_client),
        )
        .route(
            "/api/clients/{id}/team-members",
            post(admin::create_member).get(admin::list_members),
        )
        .route(
            "/api/clients/{id}/team-members/{member_id}",
            axum::routing::patch(admin::patch_member).delete(admin::delete_member),
        )
        .route(
            "/api/clients/{id}/business-hours",
            get(admin::get_hours).put(admin::put_hours),
        )
        .route(
            "/api/clients/{id}/business-hours/preview",
            get(admin::preview_hours),
        )
        .route(
            "/api/clients/{id}/leads/{lead_id}/appointment",
            post(admin::appointment),
        )
        .route("/api/escalations/{id}/claim", post(admin::claim))
        .route(
            "/api/admins",
            post(admins::create_admin).get(admins::list_admins),
        )
        .route(
            "/api/admins/{admin_id}",
            axum::routing::delete(admins::revoke_admin),
        )
        .route("/api/clients/{id}/leads", get(reports::leads))
        .route("/api/clients/{id}/leads/{lead_id}", get(reports::lead))
        .route(
            "/api/clients/{id}/call-attempts",
            get(reports::call_attempts),
        )
        .route("/api/clients/{id}/escalations", get(reports::escalations))
        .route(
            "/api/clients/{id}/leads/{lead_id}/messages/{message_id}/label",
            post(feedback::label),
        )
        .route("/api/clients/{id}/intent/labels", get(feedback::labels))
        .route("/api/clients/{id}/stats", get(reports::stats))
        .route("/api/clients/{id}/ring-plan", get(admin::ring_plan))
        .route(
            "/api/clients/{id}/webhooks",
            post(outbound::create).get(outbound::list),
        )
        .route(
            "/api/clients/{id}/webhooks/{webhook_id}",
            axum::routing::delete(outbound::delete),
        )
        .route(
            "/api/clients/{id}/webhooks/{webhook_id}/deliveries",
            get(outbound::deliveries),
        )
        .merge(web::routes())
        .layer(axum::middleware::from_fn(read_body_in_time))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            count_and_log,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn(error::json_errors))
        .with_state(state)
}

/// The routes Twilio calls, behind a bound on how many run at once.
fn twilio_routes(max_in_flight: usize) -> Router<AppState> {
    let slots = Arc::new(Semaphore::new(max_in_flight.max(1)));
    Router::new()
        .route("/api/webhook/sms", post(webhooks::sms))
        .route("/api/webhook/ring-group", post(webhooks::ring_group))
        .route("/api/voice/answer/{attempt}", post(webhooks::voice_answer))
        .route("/api/voice/accept/{attempt}", post(webhooks::voice_accept))
        .route(
            "/api/voice/bridged/{attempt}",
            post(webhooks::voice_bridged),
        )
        .route("/api/voice/lead/{group}", post(webhooks::lead_answer))
        .route(
            "/api/voice/lead/{group}/status",
            post(webhooks::lead_status),
        )
        .route("/api/voice/lead/{group}/dial", post(webhooks::lead_dial))
        .route_layer(axum::middleware::from_fn_with_state(slots, shed_load))
}

/// Answers 503 with `Retry-After` at once when every slot is taken, so an
/// overload delays none of the requests already accepted; Twilio delivers
/// the refused ones again.
async fn shed_load(
    axum::extract::State(slots): axum::extract::State<Arc<Semaphore>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    // Each refusal shows in the request's log line and in /metrics as a 503.
    let Ok(_slot) = slots.try_acquire_owned() else {
        return (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            [(axum::http::header::RETRY_AFTER, "1")],
        )
            .into_response();
    };
    next.run(request).await
}

/// Reads the whole body within [`BODY_DEADLINE`] before the request goes
/// on: 408 (and the connection closed) when it does not arrive in time, 413
/// past [`MAX_BODY_BYTES`].
async fn read_body_in_time(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    let (parts, body) = request.into_parts();
    let declared_too_long = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|length| length > MAX_BODY_BYTES as u64);
    if declared_too_long {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            [(header::CONNECTION, "close")],
        )
            .into_response();
    }
    let read = tokio::time::timeout(BODY_DEADLINE, axum::body::to_bytes(body, MAX_BODY_BYTES));
    match read.await {
        Ok(Ok(bytes)) => {
            let request = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
            next.run(request).await
        }
        Ok(Err(error)) => {
            let too_long = error.into_inner().is::<http_body_util::LengthLimitError>();
            if too_long {
                (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    [(header::CONNECTION, "close")],
                )
                    .into_response()
            } else {
                // The client went away mid-body; nobody reads this answer.
                (StatusCode::BAD_REQUEST, [(header::CONNECTION, "close")]).into_response()
            }
        }
        Err(_) => {
            tracing::info!(
                path = parts.uri.path(),
                "dropped a request whose body did not arrive within 5 s"
            );
            (StatusCode::REQUEST_TIMEOUT, [(header::CONNECTION, "close")]).into_response()
        }
    }
}

/// Logs each request with a request id (method, path, status, duration; never
/// bodies or phone numbers) and counts its status for `/metrics`.
async fn count_and_log(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let request_id = uuid::Uuid::now_v7();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let started = std::time::Instant::now();
    let span = tracing::info_span!("request", %request_id, %method, %path);
    let mut response = tracing::Instrument::instrument(next.run(request), span.clone()).await;
    let status = response.status().as_u16();
    state
        .metrics
        .record_request(&route, status, started.elapsed().as_secs_f64());
    span.in_scope(|| {
        tracing::info!(
            status,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "request"
        )
    });
    if let Ok(value) = axum::http::HeaderValue::from_str(&request_id.to_string()) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}
