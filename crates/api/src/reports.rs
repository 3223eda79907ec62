//! Read endpoints of the admin API: leads, call attempts, escalations and
//! stats, through the domain's [`ReportService`].
//!
//! [`ReportService`]: hotline_domain::reports::ReportService

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use hotline_domain::admin::{AdminError, Invalid};
use hotline_domain::reports::{LeadFilter, LeadQuery, Period, PeriodError};
use hotline_domain::{LeadId, Timestamp};
use serde::Deserialize;

use crate::admin::{client_id, visible_client};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiPath as Path, ApiQuery as Query};
use crate::state::AppState;

/// `?limit=&offset=`: at most 200 per page, 50 by default.
#[derive(Debug, Deserialize)]
pub struct Page {
    limit: Option<u32>,
    offset: Option<u32>,
}

/// The leads list's query: a page, and `?status=` one kind of lead only.
#[derive(Debug, Deserialize)]
pub struct LeadsQuery {
    limit: Option<u32>,
    offset: Option<u32>,
    status: Option<String>,
}

/// Leads skipped by `offset` at most when a status is asked for.
const MAX_FILTERED_OFFSET: u32 = 10_000;

impl Page {
    fn limit(&self) -> u32 {
        self.limit.unwrap_or(50).clamp(1, 200)
    }

    fn offset(&self) -> u32 {
        self.offset.unwrap_or(0)
    }
}

/// `GET /api/clients/{id}/leads`.
#[utoipa::path(get, path = "/api/clients/{id}/leads", params(("id" = String, Path, description = "Client id"), ("limit" = Option<u32>, Query, description = "At most 200, default 50"), ("offset" = Option<u32>, Query, description = "Rows to skip"), ("status" = Option<String>, Query, description = "waiting, hot, after_hours, booked or all")), responses((status = 200, body = Object), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn leads(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<LeadsQuery>,
) -> Result<Response, ApiError> {
    let page = &Page {
        limit: query.limit,
        offset: query.offset,
    };
    let client = client_id(&id)?;
    let Some(status) = query.status.as_deref() else {
        let leads = state
            .reports
            .leads(&caller.0, client, page.limit(), page.offset())
            .await?;
        return Ok(Json(leads).into_response());
    };
    let filter = LeadFilter::parse(status).ok_or_else(|| {
        ApiError::from(AdminError::Invalid(Invalid::new(
            "status",
            "unknown_status",
            "must be waiting, hot, after_hours, booked or all",
        )))
    })?;
    let skip = page.offset();
    if skip > MAX_FILTERED_OFFSET {
        return Err(AdminError::Invalid(Invalid::new(
            "offset",
            "offset_too_large",
            format!("with status, at most {MAX_FILTERED_OFFSET}"),
        ))
        .into());
    }
    let leads = state
        .reports
        .lead_page(
            &caller.0,
            client,
            &LeadQuery {
                filter,
                since: None,
                until: None,
                before: None,
                limit: page.limit() + skip,
            },
        )
        .await?;
    let leads: Vec<_> = leads.into_iter().skip(skip as usize).collect();
    Ok(Json(leads).into_response())
}

/// `GET /api/clients/{id}/leads/{lead_id}`.
#[utoipa::path(get, path = "/api/clients/{id}/leads/{lead_id}", params(("id" = String, Path, description = "Client id"), ("lead_id" = String, Path, description = "Lead id")), responses((status = 200, body = Object), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn lead(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, lead)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let client = client_id(&id)?;
    let lead_id = LeadId::parse(&lead).map_err(|_| ApiError::NotFound(format!("lead {lead}")))?;
    let detail = state.reports.lead(&caller.0, client, lead_id).await?;
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
    let attempts = state
        .reports
        .call_attempts(
            &caller.0,
            client_id(&id)?,
            None,
            page.limit(),
            page.offset(),
        )
        .await?;
    Ok(Json(attempts).into_response())
}

/// `GET /api/clients/{id}/escalations`: newest first.
#[utoipa::path(get, path = "/api/clients/{id}/escalations", params(("id" = String, Path, description = "Client id"), ("limit" = Option<u32>, Query, description = "At most 200, default 50"), ("offset" = Option<u32>, Query, description = "Rows to skip")), responses((status = 200, body = Object)), security(("bearer" = [])))]
pub async fn escalations(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(page): Query<Page>,
) -> Result<Response, ApiError> {
    let escalations = state
        .reports
        .escalations(
            &caller.0,
            client_id(&id)?,
            None,
            page.limit(),
            page.offset(),
        )
        .await?;
    Ok(Json(escalations).into_response())
}

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD`, local dates of the client, both included.
#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
}

impl PeriodQuery {
    /// The period in the client's zone.
    ///
    /// # Errors
    ///
    /// [`ApiError::BadRequest`] naming `from` or `to`.
    pub fn period(&self, zone: &jiff::tz::TimeZone) -> Result<Period, ApiError> {
        Period::parse(
            zone,
            self.from.as_deref(),
            self.to.as_deref(),
            Timestamp::now(),
        )
        .map_err(period_error)
    }
}

fn period_error(error: PeriodError) -> ApiError {
    ApiError::BadRequest {
        code: "invalid_period",
        message: error.message,
        field: Some(error.field.to_owned()),
    }
}

/// `GET /api/clients/{id}/stats?from=&to=`: today when no dates are given.
#[utoipa::path(get, path = "/api/clients/{id}/stats", params(("id" = String, Path, description = "Client id"), ("from" = Option<String>, Query, description = "First local date, YYYY-MM-DD"), ("to" = Option<String>, Query, description = "Last local date, YYYY-MM-DD")), responses((status = 200, body = Object), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
pub async fn stats(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    let client = visible_client(&state, &caller, &id).await?;
    let period = query.period(client.timezone.zone())?;
    let stats = state.reports.stats(&caller.0, client.id, &period).await?;
    Ok(Json(stats).into_response())
}
