//! The admin API: clients, team members, business hours, claims,
//! appointments and admins, each checked against the caller's grants.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotline_domain::routing::model::{Client, EscalationId, TeamMember};
use hotline_domain::routing::ports::{ClientStore, EscalationStore, LeadStore};
use hotline_domain::{
    ClientId, LeadId, PhoneNumber, ScheduleDocument, TeamMemberId, TimeZoneName, Timestamp,
    WeeklySchedule,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::auth::{Caller, new_token, token_hash};
use crate::error::{ApiError, ErrorBody};
use crate::json::parse;
use crate::state::AppState;

/// Longest accepted name or reply text.
const MAX_TEXT: usize = 500;

fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::Invalid {
        code,
        message: message.into(),
        field: field.to_owned(),
    }
}

pub(crate) fn phone(field: &str, value: &str) -> Result<PhoneNumber, ApiError> {
    PhoneNumber::parse(value).map_err(|e| invalid(field, "invalid_phone", e.to_string()))
}

pub(crate) fn text(field: &str, value: &str) -> Result<String, ApiError> {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.chars().count() > MAX_TEXT {
        return Err(invalid(
            field,
            "invalid_text",
            format!("must be 1 to {MAX_TEXT} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

fn client_id(text: &str) -> Result<ClientId, ApiError> {
    ClientId::parse(text).map_err(|_| ApiError::NotFound(format!("client {text}")))
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
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewClient {
    name: String,
    twilio_number: String,
    #[serde(default)]
    timezone: Option<String>,
    #[serde(default)]
    out_of_hours_reply: Option<String>,
    #[serde(default)]
    record_calls: bool,
}

/// `POST /api/clients` (super-admin).
#[utoipa::path(post, path = "/api/clients", request_body = NewClient, responses((status = 201, body = ClientView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_client(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_super()?;
    let new: NewClient = parse(&body)?;
    let timezone = new.timezone.as_deref().unwrap_or("America/Edmonton");
    let client = Client {
        id: ClientId::from_uuid(uuid::Uuid::now_v7()),
        name: text("name", &new.name)?,
        twilio_number: phone("twilio_number", &new.twilio_number)?,
        timezone: TimeZoneName::parse(timezone)
            .map_err(|e| invalid("timezone", "unknown_timezone", e.to_string()))?,
        out_of_hours_reply: new
            .out_of_hours_reply
            .as_deref()
            .map(|r| text("out_of_hours_reply", r))
            .transpose()?,
        record_calls: new.record_calls,
    };
    state.db.insert_client(&client, Timestamp::now()).await?;
    Ok((StatusCode::CREATED, Json(ClientView::from(&client))).into_response())
}

/// `GET /api/clients`: the clients this token may see.
#[utoipa::path(get, path = "/api/clients", responses((status = 200, body = [ClientView])), security(("bearer" = [])))]
pub async fn list_clients(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let clients = state.db.list_clients(caller.visible()).await?;
    Ok(Json(clients.iter().map(ClientView::from).collect::<Vec<_>>()).into_response())
}

/// The client with `id`, when the caller may see it (403 otherwise).
pub(crate) async fn visible_client(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Client, ApiError> {
    let id = client_id(id)?;
    caller.require(id)?;
    state
        .db
        .client(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("client {id}")))
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
}

fn double_option<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// `PATCH /api/clients/{id}`: changes the fields given.
#[utoipa::path(patch, path = "/api/clients/{id}", params(("id" = String, Path, description = "Client id")), request_body = ClientPatch, responses((status = 200, body = ClientView), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn patch_client(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut client = visible_client(&state, &caller, &id).await?;
    let patch: ClientPatch = parse(&body)?;
    if let Some(name) = &patch.name {
        client.name = text("name", name)?;
    }
    if let Some(number) = &patch.twilio_number {
        client.twilio_number = phone("twilio_number", number)?;
    }
    if let Some(timezone) = &patch.timezone {
        client.timezone = TimeZoneName::parse(timezone)
            .map_err(|e| invalid("timezone", "unknown_timezone", e.to_string()))?;
    }
    if let Some(reply) = patch.out_of_hours_reply {
        client.out_of_hours_reply = reply
            .as_deref()
            .map(|r| text("out_of_hours_reply", r))
            .transpose()?;
    }
    if let Some(record) = patch.record_calls {
        client.record_calls = record;
    }
    state.db.update_client(&client, Timestamp::now()).await?;
    Ok(Json(ClientView::from(&client)).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewMember {
    name: String,
    phone: String,
    #[serde(default = "yes")]
    receives_hot_transfers: bool,
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
    let client = visible_client(&state, &caller, &id).await?;
    let new: NewMember = parse(&body)?;
    let member = TeamMember {
        id: TeamMemberId::from_uuid(uuid::Uuid::now_v7()),
        client_id: client.id,
        name: text("name", &new.name)?,
        phone: phone("phone", &new.phone)?,
        receives_hot_transfers: new.receives_hot_transfers,
        active: true,
    };
    state
        .db
        .insert_team_member(&member, Timestamp::now())
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
    let client = visible_client(&state, &caller, &id).await?;
    let team = state.db.list_team(client.id).await?;
    Ok(Json(team.iter().map(MemberView::from).collect::<Vec<_>>()).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MemberPatch {
    name: Option<String>,
    phone: Option<String>,
    receives_hot_transfers: Option<bool>,
    active: Option<bool>,
}

async fn member_of(
    state: &AppState,
    client: &Client,
    member: &str,
) -> Result<TeamMember, ApiError> {
    let id = TeamMemberId::parse(member)
        .map_err(|_| ApiError::NotFound(format!("team member {member}")))?;
    state
        .db
        .team_member(id)
        .await?
        .filter(|m| m.client_id == client.id)
        .ok_or_else(|| ApiError::NotFound(format!("team member {member}")))
}

/// `PATCH /api/clients/{id}/team-members/{member_id}`.
#[utoipa::path(patch, path = "/api/clients/{id}/team-members/{member_id}", params(("id" = String, Path, description = "Client id"), ("member_id" = String, Path, description = "Team member id")), request_body = MemberPatch, responses((status = 200, body = MemberView)), security(("bearer" = [])))]
pub async fn patch_member(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, member_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let client = visible_client(&state, &caller, &id).await?;
    let mut member = member_of(&state, &client, &member_id).await?;
    let patch: MemberPatch = parse(&body)?;
    if let Some(name) = &patch.name {
        member.name = text("name", name)?;
    }
    if let Some(number) = &patch.phone {
        member.phone = phone("phone", number)?;
    }
    if let Some(value) = patch.receives_hot_transfers {
        member.receives_hot_transfers = value;
    }
    if let Some(value) = patch.active {
        member.active = value;
    }
    state
        .db
        .update_team_member(&member, Timestamp::now())
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
    let client = visible_client(&state, &caller, &id).await?;
    let mut member = member_of(&state, &client, &member_id).await?;
    member.active = false;
    state
        .db
        .update_team_member(&member, Timestamp::now())
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
    let client = visible_client(&state, &caller, &id).await?;
    let document = match state.db.schedule(client.id).await? {
        Some(schedule) => schedule.to_document(),
        None => ScheduleDocument {
            timezone: client.timezone.to_string(),
            hours: Vec::new(),
            closures: Vec::new(),
        },
    };
    Ok(Json(document).into_response())
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
    let client = visible_client(&state, &caller, &id).await?;
    let document: ScheduleDocument = parse(&body)?;
    let schedule = WeeklySchedule::from_document(&document).map_err(|e| ApiError::Invalid {
        code: e.problem.code(),
        message: e.problem.to_string(),
        field: e.field.clone(),
    })?;
    state
        .db
        .replace_schedule(client.id, &schedule, Timestamp::now())
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
    let escalation = state
        .db
        .escalation(escalation_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("escalation {id}")))?;
    caller.require(escalation.client_id)?;
    let body: ClaimBody = parse(&body)?;
    let member = TeamMemberId::parse(&body.team_member_id)
        .map_err(|e| invalid("team_member_id", "invalid_id", e.to_string()))?;
    let follow_ups = state
        .routing
        .claim_escalation(escalation_id, member)
        .await?;
    state.spawn_follow_ups(follow_ups);
    Ok(Json(json!({"id": id, "claimed_by": member.to_string()})).into_response())
}

/// `POST /api/clients/{id}/leads/{lead_id}/appointment`.
#[utoipa::path(post, path = "/api/clients/{id}/leads/{lead_id}/appointment", params(("id" = String, Path, description = "Client id"), ("lead_id" = String, Path, description = "Lead id")), responses((status = 200, body = Object)), security(("bearer" = [])))]
pub async fn appointment(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, lead)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let client = visible_client(&state, &caller, &id).await?;
    let lead_id = LeadId::parse(&lead).map_err(|_| ApiError::NotFound(format!("lead {lead}")))?;
    let found = state
        .db
        .lead(lead_id)
        .await?
        .filter(|l| l.client_id == client.id);
    if found.is_none() {
        return Err(ApiError::NotFound(format!("lead {lead}")));
    }
    state.routing.appointment_booked(lead_id).await?;
    Ok(Json(json!({"id": lead, "status": "booked"})).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewAdmin {
    email: String,
    #[serde(default)]
    client_ids: Vec<String>,
}

/// `POST /api/admins` (super-admin): answers the new token once.
#[utoipa::path(post, path = "/api/admins", request_body = NewAdmin, responses((status = 201, description = "The admin with a one-time token", body = Object), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_admin(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_super()?;
    let new: NewAdmin = parse(&body)?;
    let email = new.email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 254 {
        return Err(invalid(
            "email",
            "invalid_email",
            "must be an email address",
        ));
    }
    let mut clients = Vec::new();
    for (index, raw) in new.client_ids.iter().enumerate() {
        let field = format!("client_ids[{index}]");
        let id = ClientId::parse(raw).map_err(|e| invalid(&field, "invalid_id", e.to_string()))?;
        if state.db.client(id).await?.is_none() {
            return Err(invalid(&field, "unknown_client", format!("no client {id}")));
        }
        clients.push(id);
    }
    let token = new_token()?;
    let admin_id = state
        .db
        .insert_admin(&email, &token_hash(&token), &clients, Timestamp::now())
        .await?;
    let body = json!({
        "id": admin_id.to_string(),
        "email": email,
        "client_ids": clients.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "token": token,
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}
