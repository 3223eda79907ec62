//! The admin API: clients, team members, business hours, claims and
//! appointments, each checked against the caller's grants (admins
//! themselves are in `admins.rs`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotline_domain::admin::{
    ClientChanges, DEFAULT_OUT_OF_HOURS_REPLY, FollowThroughChanges, FollowThroughInput,
    MemberChanges, NewClient as NewClientInput, NewMember as NewMemberInput,
};
use hotline_domain::routing::model::{Client, EscalationId, TeamMember};
use hotline_domain::{ClientId, LeadId, ScheduleDocument, TeamMemberId, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiPath as Path;
use crate::json::parse;
use crate::state::AppState;

fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::Invalid {
        code,
        message: message.into(),
        field: field.to_owned(),
    }
}

/// A client id from the path; one that cannot be an id names no client.
pub(crate) fn client_id(text: &str) -> Result<ClientId, ApiError> {
    ClientId::parse(text).map_err(|_| ApiError::NotFound(format!("client {text}")))
}

fn team_member_id(text: &str) -> Result<TeamMemberId, ApiError> {
    TeamMemberId::parse(text).map_err(|_| ApiError::NotFound(format!("team member {text}")))
}

/// A client as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClientView {
    id: String,
    name: String,
    twilio_number: String,
    timezone: String,
    out_of_hours_reply: Option<String>,
    record_calls: bool,
    /// `simultaneous`, `lead_first`, `sequential` or `tiered`.
    ring_strategy: &'static str,
    /// For `tiered`: seconds a tier rings alone before the next joins.
    tier_delay_seconds: u32,
    /// The reply to a lead whose ring group starts.
    lead_ack_reply: Option<String>,
    /// Texted to a lead nobody accepted.
    lead_missed_text: Option<String>,
    /// An unclaimed escalation's reminder to the team, after this long.
    escalation_reminder_seconds: Option<u32>,
    /// Texted once about an escalation still unclaimed after
    /// `escalation_manager_after_seconds`.
    escalation_manager_phone: Option<String>,
    /// See `escalation_manager_phone`.
    escalation_manager_after_seconds: Option<u32>,
}

impl From<&Client> for ClientView {
    fn from(c: &Client) -> Self {
        Self {
            id: c.id.to_string(),
            name: c.name.clone(),
            twilio_number: c.twilio_number.to_string(),
            timezone: c.timezone.to_string(),
            out_of_hours_reply: c.out_of_hours_reply.clone(),
            record_calls: c.record_calls,
            ring_strategy: c.ring_strategy.as_str(),
            tier_delay_seconds: c.tier_delay_seconds,
            lead_ack_reply: c.follow_through.lead_ack_reply.clone(),
            lead_missed_text: c.follow_through.lead_missed_text.clone(),
            escalation_reminder_seconds: c.follow_through.reminder_after_seconds,
            escalation_manager_phone: c
                .follow_through
                .manager_phone
                .as_ref()
                .map(ToString::to_string),
            escalation_manager_after_seconds: c.follow_through.manager_after_seconds,
        }
    }
}

/// A team member as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MemberView {
    id: String,
    client_id: String,
    name: String,
    phone: String,
    receives_hot_transfers: bool,
    active: bool,
    /// 1..1000, lower rings first.
    priority: u32,
    /// On duty: rung and texted.
    available: bool,
}

impl From<&TeamMember> for MemberView {
    fn from(m: &TeamMember) -> Self {
        Self {
            id: m.id.to_string(),
            client_id: m.client_id.to_string(),
            name: m.name.clone(),
            phone: m.phone.to_string(),
            receives_hot_transfers: m.receives_hot_transfers,
            active: m.active,
            priority: m.priority,
            available: m.available,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewClient {
    name: String,
    twilio_number: String,
    #[serde(default)]
    timezone: Option<String>,
    /// Absent: the default reply ([`DEFAULT_OUT_OF_HOURS_REPLY`]); `null`: none.
    #[serde(default = "default_out_of_hours_reply")]
    out_of_hours_reply: Option<String>,
    #[serde(default)]
    record_calls: bool,
    #[serde(default)]
    ring_strategy: Option<String>,
    #[serde(default)]
    tier_delay_seconds: Option<i64>,
    #[serde(default)]
    lead_ack_reply: Option<String>,
    #[serde(default)]
    lead_missed_text: Option<String>,
    #[serde(default)]
    escalation_reminder_seconds: Option<i64>,
    #[serde(default)]
    escalation_manager_phone: Option<String>,
    #[serde(default)]
    escalation_manager_after_seconds: Option<i64>,
}

/// A new client replies to hot leads who text while it is closed unless
/// told not to.
fn default_out_of_hours_reply() -> Option<String> {
    Some(DEFAULT_OUT_OF_HOURS_REPLY.to_owned())
}

/// `POST /api/clients` (super-admin).
#[utoipa::path(post, path = "/api/clients", request_body = NewClient, responses((status = 201, body = ClientView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_client(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let new: NewClient = parse(&body)?;
    let input = NewClientInput {
        name: new.name,
        twilio_number: new.twilio_number,
        timezone: new.timezone,
        out_of_hours_reply: new.out_of_hours_reply,
        record_calls: new.record_calls,
        ring_strategy: new.ring_strategy,
        tier_delay_seconds: new.tier_delay_seconds,
        follow_through: FollowThroughInput {
            lead_ack_reply: new.lead_ack_reply,
            lead_missed_text: new.lead_missed_text,
            escalation_reminder_seconds: new.escalation_reminder_seconds,
            escalation_manager_phone: new.escalation_manager_phone,
            escalation_manager_after_seconds: new.escalation_manager_after_seconds,
        },
    };
    let client = state
        .admin
        .create_client(&caller.0, input, Timestamp::now())
        .await?;
    Ok((StatusCode::CREATED, Json(ClientView::from(&client))).into_response())
}

/// `GET /api/clients`: the clients this token may see.
#[utoipa::path(get, path = "/api/clients", responses((status = 200, body = [ClientView])), security(("bearer" = [])))]
pub async fn list_clients(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let clients = state.admin.clients(&caller.0).await?;
    Ok(Json(clients.iter().map(ClientView::from).collect::<Vec<_>>()).into_response())
}

/// The client with `id`, when the caller may see it (403 otherwise).
pub(crate) async fn visible_client(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Client, ApiError> {
    Ok(state.admin.client(&caller.0, client_id(id)?).await?)
}

/// `GET /api/clients/{id}`.
#[utoipa::path(get, path = "/api/clients/{id}", params(("id" = String, Path, description = "Client id")), responses((status = 200, body = ClientView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get_client(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let client = visible_client(&state, &caller, &id).await?;
    Ok(Json(ClientView::from(&client)).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ClientPatch {
    name: Option<String>,
    twilio_number: Option<String>,
    timezone: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    out_of_hours_reply: Option<Option<String>>,
    record_calls: Option<bool>,
    ring_strategy: Option<String>,
    tier_delay_seconds: Option<i64>,
    #[serde(default, deserialize_with = "double_option")]
    lead_ack_reply: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    lead_missed_text: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    escalation_reminder_seconds: Option<Option<i64>>,
    #[serde(default, deserialize_with = "double_option")]
    escalation_manager_phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    escalation_manager_after_seconds: Option<Option<i64>>,
}

/// A field that may be absent (`None`: unchanged) or null (`Some(None)`:
/// turned off).
fn double_option<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// `PATCH /api/clients/{id}`: changes the fields given.
#[utoipa::path(patch, path = "/api/clients/{id}", params(("id" = String, Path, description = "Client id")), request_body = ClientPatch, responses((status = 200, body = ClientView), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn patch_client(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let patch: ClientPatch = parse(&body)?;
    let changes = ClientChanges {
        name: patch.name,
        twilio_number: patch.twilio_number,
        timezone: patch.timezone,
        out_of_hours_reply: patch.out_of_hours_reply,
        record_calls: patch.record_calls,
        ring_strategy: patch.ring_strategy,
        tier_delay_seconds: patch.tier_delay_seconds,
        follow_through: FollowThroughChanges {
            lead_ack_reply: patch.lead_ack_reply,
            lead_missed_text: patch.lead_missed_text,
            escalation_reminder_seconds: patch.escalation_reminder_seconds,
            escalation_manager_phone: patch.escalation_manager_phone,
            escalation_manager_after_seconds: patch.escalation_manager_after_seconds,
        },
    };
    let client = state
        .admin
        .update_client(&caller.0, client_id(&id)?, changes, Timestamp::now())
        .await?;
    Ok(Json(ClientView::from(&client)).into_response())
}

/// `GET /api/clients/{id}/ring-plan`: what a hot lead would ring now, in
/// dialling order, with each phone's latest start (call pacing included)
/// and warnings.
#[utoipa::path(get, path = "/api/clients/{id}/ring-plan", params(("id" = String, Path, description = "Client id")), responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn ring_plan(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let plan = state
        .routing
        .ring_plan_as(&caller.0, client_id(&id)?)
        .await?;
    Ok(Json(plan).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewMember {
    name: String,
    phone: String,
    #[serde(default = "yes")]
    receives_hot_transfers: bool,
    #[serde(default)]
    priority: Option<i64>,
    #[serde(default)]
    available: Option<bool>,
}

fn yes() -> bool {
    true
}

/// `POST /api/clients/{id}/team-members`.
#[utoipa::path(post, path = "/api/clients/{id}/team-members", params(("id" = String, Path, description = "Client id")), request_body = NewMember, responses((status = 201, body = MemberView), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_member(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let new: NewMember = parse(&body)?;
    let input = NewMemberInput {
        name: new.name,
        phone: new.phone,
        receives_hot_transfers: new.receives_hot_transfers,
        priority: new.priority,
        available: new.available,
    };
    let member = state
        .admin
        .add_member(&caller.0, client_id(&id)?, input, Timestamp::now())
        .await?;
    Ok((StatusCode::CREATED, Json(MemberView::from(&member))).into_response())
}

/// `GET /api/clients/{id}/team-members`.
#[utoipa::path(get, path = "/api/clients/{id}/team-members", params(("id" = String, Path, description = "Client id")), responses((status = 200, body = [MemberView])), security(("bearer" = [])))]
pub async fn list_members(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let team = state.admin.team(&caller.0, client_id(&id)?).await?;
    Ok(Json(team.iter().map(MemberView::from).collect::<Vec<_>>()).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MemberPatch {
    name: Option<String>,
    phone: Option<String>,
    receives_hot_transfers: Option<bool>,
    active: Option<bool>,
    priority: Option<i64>,
    available: Option<bool>,
}

/// `PATCH /api/clients/{id}/team-members/{member_id}`.
#[utoipa::path(patch, path = "/api/clients/{id}/team-members/{member_id}", params(("id" = String, Path, description = "Client id"), ("member_id" = String, Path, description = "Team member id")), request_body = MemberPatch, responses((status = 200, body = MemberView)), security(("bearer" = [])))]
pub async fn patch_member(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, member_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let patch: MemberPatch = parse(&body)?;
    let changes = MemberChanges {
        name: patch.name,
        phone: patch.phone,
        receives_hot_transfers: patch.receives_hot_transfers,
        active: patch.active,
        priority: patch.priority,
        available: patch.available,
    };
    let member = state
        .admin
        .update_member(
            &caller.0,
            client_id(&id)?,
            team_member_id(&member_id)?,
            changes,
            Timestamp::now(),
        )
        .await?;
    Ok(Json(MemberView::from(&member)).into_response())
}

/// `DELETE /api/clients/{id}/team-members/{member_id}`: deactivates the
/// member, keeping their history.
#[utoipa::path(delete, path = "/api/clients/{id}/team-members/{member_id}", params(("id" = String, Path, description = "Client id"), ("member_id" = String, Path, description = "Team member id")), responses((status = 204, description = "Deactivated")), security(("bearer" = [])))]
pub async fn delete_member(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, member_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    state
        .admin
        .deactivate_member(
            &caller.0,
            client_id(&id)?,
            team_member_id(&member_id)?,
            Timestamp::now(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /api/clients/{id}/business-hours`: the schedule document.
#[utoipa::path(get, path = "/api/clients/{id}/business-hours", params(("id" = String, Path, description = "Client id")), responses((status = 200, description = "The schedule document", body = Object)), security(("bearer" = [])))]
pub async fn get_hours(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let document = state
        .admin
        .schedule_document(&caller.0, client_id(&id)?)
        .await?;
    Ok(Json(document).into_response())
}

/// Query of the business-hours preview.
#[derive(Debug, Deserialize)]
pub struct PreviewQuery {
    from: Option<String>,
    days: Option<String>,
}

/// `GET /api/clients/{id}/business-hours/preview?from=&days=`: each local
/// date's opening and what decided it (CONTRACT section 8).
#[utoipa::path(get, path = "/api/clients/{id}/business-hours/preview", params(("id" = String, Path, description = "Client id"), ("from" = Option<String>, Query, description = "First local date, YYYY-MM-DD; today in the client's zone by default"), ("days" = Option<u32>, Query, description = "1 to 400, default 14")), responses((status = 200, description = "The preview", body = Object), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
pub async fn preview_hours(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    crate::extract::ApiQuery(query): crate::extract::ApiQuery<PreviewQuery>,
) -> Result<Response, ApiError> {
    let bad = |field: &str, message: &str| ApiError::BadRequest {
        code: "invalid_query",
        message: message.to_owned(),
        field: Some(field.to_owned()),
    };
    let from = match query
        .from
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(text) => Some(
            text.parse::<jiff::civil::Date>()
                .map_err(|_| bad("from", "must be a date, YYYY-MM-DD"))?,
        ),
    };
    let days = match query
        .days
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => 14,
        Some(text) => text
            .parse::<u32>()
            .map_err(|_| bad("days", "must be a whole number from 1 to 400"))?,
    };
    let preview = state
        .admin
        .schedule_preview(&caller.0, client_id(&id)?, from, days, state.routing.now())
        .await?;
    Ok(Json(preview).into_response())
}

/// `PUT /api/clients/{id}/business-hours`: replaces the schedule; 422 names
/// the first invalid field.
#[utoipa::path(put, path = "/api/clients/{id}/business-hours", params(("id" = String, Path, description = "Client id")), request_body(content = Object, description = "The schedule document"), responses((status = 200, body = Object), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn put_hours(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let document: ScheduleDocument = parse(&body)?;
    let schedule = state
        .admin
        .replace_schedule(&caller.0, client_id(&id)?, &document, Timestamp::now())
        .await?;
    Ok(Json(schedule.to_document()).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ClaimBody {
    team_member_id: String,
}

/// `POST /api/escalations/{id}/claim`: 409 when already claimed.
#[utoipa::path(post, path = "/api/escalations/{id}/claim", params(("id" = String, Path, description = "Escalation id")), request_body = ClaimBody, responses((status = 200, body = Object), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn claim(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let escalation_id = uuid::Uuid::try_parse(&id)
        .map(EscalationId)
        .map_err(|_| ApiError::NotFound(format!("escalation {id}")))?;
    let body: ClaimBody = parse(&body)?;
    let member = TeamMemberId::parse(&body.team_member_id)
        .map_err(|e| invalid("team_member_id", "invalid_id", e.to_string()))?;
    let follow_ups = state
        .routing
        .claim_escalation_as(&caller.0, escalation_id, member)
        .await?;
    state.work_stored(&follow_ups);
    Ok(Json(json!({"id": id, "claimed_by": member.to_string()})).into_response())
}

/// `POST /api/clients/{id}/leads/{lead_id}/appointment`.
#[utoipa::path(post, path = "/api/clients/{id}/leads/{lead_id}/appointment", params(("id" = String, Path, description = "Client id"), ("lead_id" = String, Path, description = "Lead id")), responses((status = 200, body = Object)), security(("bearer" = [])))]
pub async fn appointment(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, lead)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let lead_id = LeadId::parse(&lead).map_err(|_| ApiError::NotFound(format!("lead {lead}")))?;
    state
        .routing
        .book_appointment_as(&caller.0, client_id(&id)?, lead_id)
        .await?;
    Ok(Json(json!({"id": lead, "status": "booked"})).into_response())
}
