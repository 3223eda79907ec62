//! Read endpoints of the admin API: leads, call attempts, escalations and stats.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use hotline_domain::{LeadId, Timestamp};
use serde::Deserialize;

use crate::admin::visible_client;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// `?limit=&offset=`: at most 200 per page, 50 by default.
#[derive(Debug, Deserialize)]
pub struct Page {
    limit: Option<u32>,
    offset: Option<u32>,
}

impl Page {
    fn limit(&self) -> u32 {
        self.limit.unwrap_or(50).clamp(1, 200)
    }

    fn offset(&self) -> u32 {
        self.offset.unwrap_or(0)
    }
}

/// `GET /api/clients/{id}/leads`.
#[utoipa::path(get, path = "/api/clients/{id}/leads", params(("id" = String, Path, description = "Client id"), ("limit" = Option<u32>, Query, description = "At most 200, default 50"), ("offset" = Option<u32>, Query, description = "Rows to skip")), responses((status = 200, body = Object)), security(("bearer" = [])))]
pub async fn leads(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(page): Query<Page>,
) -> Result<Response, ApiError> {
    let client = visible_client(&state, &caller, &id).await?;
    Ok(Json(
        state
            .db
            .list_leads(client.id, page.limit(), page.offset())
            .await?,
    )
    .into_response())
}

/// `GET /api/clients/{id}/leads/{lead_id}`.
#[utoipa::path(get, path = "/api/clients/{id}/leads/{lead_id}", params(("id" = String, Path, description = "Client id"), ("lead_id" = String, Path, description = "Lead id")), responses((status = 200, body = Object), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn lead(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, lead)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let client = visible_client(&state, &caller, &id).await?;
    let lead_id = LeadId::parse(&lead).map_err(|_| ApiError::NotFound(format!("lead {lead}")))?;
    let detail = state
        .db
        .lead_detail(client.id, lead_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("lead {lead}")))?;
    Ok(Json(detail).into_response())
}

/// `GET /api/clients/{id}/call-attempts`: newest first.
#[utoipa::path(get, path = "/api/clients/{id}/call-attempts", params(("id" = String, Path, description = "Client id"), ("limit" = Option<u32>, Query, description = "At most 200, default 50"), ("offset" = Option<u32>, Query, description = "Rows to skip")), responses((status = 200, body = Object)), security(("bearer" = [])))]
pub async fn call_attempts(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(page): Query<Page>,
) -> Result<Response, ApiError> {
    let client = visible_client(&state, &caller, &id).await?;
    Ok(Json(
        state
            .db
            .list_call_attempts(client.id, page.limit(), page.offset())
            .await?,
    )
    .into_response())
}

/// `GET /api/clients/{id}/escalations`: newest first.
#[utoipa::path(get, path = "/api/clients/{id}/escalations", params(("id" = String, Path, description = "Client id"), ("limit" = Option<u32>, Query, description = "At most 200, default 50"), ("offset" = Option<u32>, Query, description = "Rows to skip")), responses((status = 200, body = Object)), security(("bearer" = [])))]
pub async fn escalations(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(page): Query<Page>,
) -> Result<Response, ApiError> {
    let client = visible_client(&state, &caller, &id).await?;
    Ok(Json(
        state
            .db
            .list_escalations(client.id, page.limit(), page.offset())
            .await?,
    )
    .into_response())
}

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD`, local dates of the client, both included.
#[derive(Debug, Deserialize)]
pub struct Period {
    from: Option<String>,
    to: Option<String>,
}

fn local_date(field: &str, text: &str) -> Result<jiff::civil::Date, ApiError> {
    text.parse().map_err(|_| ApiError::BadRequest {
        code: "invalid_date",
        message: format!("{text:?} is not a date in YYYY-MM-DD form"),
        field: Some(field.to_owned()),
    })
}

/// `GET /api/clients/{id}/stats?from=&to=`: today when no dates are given.
#[utoipa::path(get, path = "/api/clients/{id}/stats", params(("id" = String, Path, description = "Client id"), ("from" = Option<String>, Query, description = "First local date, YYYY-MM-DD"), ("to" = Option<String>, Query, description = "Last local date, YYYY-MM-DD")), responses((status = 200, body = Object), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
pub async fn stats(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(period): Query<Period>,
) -> Result<Response, ApiError> {
    let client = visible_client(&state, &caller, &id).await?;
    let (_, _, start, end) = resolve_period(
        client.timezone.zone(),
        period.from.as_deref(),
        period.to.as_deref(),
    )?;
    Ok(Json(state.db.stats(client.id, start, end).await?).into_response())
}

/// The local dates `from..=to` in `zone` (today when absent; `to` defaults
/// to the later of `from` and today) and the instants `[start, end)` they span.
///
/// # Errors
///
/// [`ApiError::BadRequest`] naming `from` or `to`.
pub(crate) fn resolve_period(
    zone: &jiff::tz::TimeZone,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(jiff::civil::Date, jiff::civil::Date, Timestamp, Timestamp), ApiError> {
    let today = zone.to_datetime(Timestamp::now()).date();
    let from = from
        .filter(|t| !t.is_empty())
        .map(|t| local_date("from", t))
        .transpose()?
        .unwrap_or(today);
    let to = to
        .filter(|t| !t.is_empty())
        .map(|t| local_date("to", t))
        .transpose()?
        .unwrap_or(from.max(today));
    if to < from {
        return Err(ApiError::BadRequest {
            code: "invalid_period",
            message: "to is before from".to_owned(),
            field: Some("to".to_owned()),
        });
    }
    let (Some(start), Some(end)) = (
        start_of(zone, from),
        to.tomorrow().ok().and_then(|d| start_of(zone, d)),
    ) else {
        return Err(ApiError::BadRequest {
            code: "invalid_period",
            message: "dates out of range".to_owned(),
            field: Some("from".to_owned()),
        });
    };
    Ok((from, to, start, end))
}

/// The first instant of local `date` in `zone`.
pub(crate) fn start_of(zone: &jiff::tz::TimeZone, date: jiff::civil::Date) -> Option<Timestamp> {
    zone.to_ambiguous_timestamp(date.at(0, 0, 0, 0))
        .compatible()
        .ok()
}
