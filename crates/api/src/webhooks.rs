//! The routes Twilio calls: inbound SMS, leg status callbacks, and the
//! voice URLs of an agent's leg (answered, keys pressed, bridge ended).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use hotline_domain::routing::model::{CallAttemptId, RingGroupId};
use hotline_domain::routing::voice::VoiceResponse;
use hotline_twilio::{twiml, webhook};
use serde::Deserialize;

use crate::error::ApiError;
use crate::extract::{ApiPath as Path, ApiQuery as Query};
use crate::state::AppState;
use crate::twilio_request::{bad_form, verified_form};

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], body).into_response()
}

fn voice(response: &VoiceResponse) -> Response {
    xml(twiml::voice(response))
}

fn attempt_id(text: &str) -> Result<CallAttemptId, ApiError> {
    uuid::Uuid::try_parse(text)
        .map(CallAttemptId)
        .map_err(|_| ApiError::NotFound(format!("call attempt {text}")))
}

/// `POST /api/webhook/sms`: an inbound SMS. Answers once the message and its
/// routing decision are stored; calls and texts follow in the background.
pub async fn sms(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form = verified_form(&state, &uri, &headers, &body)?;
    let sms = webhook::inbound_sms(&form).map_err(bad_form)?;
    let handled = state.routing.inbound_sms(&sms).await?;
    state.metrics.sms_received();
    tracing::info!(message_sid = %sms.sid.0, from = %sms.from.redacted(), reply = handled.reply.message.is_some(), "inbound sms");
    state.work_stored(&handled.follow_ups);
    Ok(xml(twiml::messaging(&handled.reply)))
}

/// Query of the status callback URL.
#[derive(Debug, Deserialize)]
pub struct RingGroupQuery {
    attempt: Option<String>,
}

/// `POST /api/webhook/ring-group`: a status callback of an agent leg.
pub async fn ring_group(
    State(state): State<AppState>,
    Query(query): Query<RingGroupQuery>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form = verified_form(&state, &uri, &headers, &body)?;
    let (sid, update) = webhook::leg_status(&form).map_err(bad_form)?;
    let attempt = query
        .attempt
        .as_deref()
        .and_then(|a| uuid::Uuid::try_parse(a).ok())
        .map(CallAttemptId);
    let follow_ups = state.routing.leg_status(attempt, &sid, &update).await?;
    state.work_stored(&follow_ups);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /api/voice/answer/{attempt}`: an agent picked up.
pub async fn voice_answer(
    State(state): State<AppState>,
    Path(attempt): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form = verified_form(&state, &uri, &headers, &body)?;
    let handled = state
        .routing
        .leg_answered(attempt_id(&attempt)?, form.get("AnsweredBy"))
        .await?;
    state.work_stored(&handled.follow_ups);
    Ok(voice(&handled.response))
}

/// `POST /api/voice/accept/{attempt}`: the agent pressed keys.
pub async fn voice_accept(
    State(state): State<AppState>,
    Path(attempt): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form = verified_form(&state, &uri, &headers, &body)?;
    let digits = form.get("Digits").unwrap_or_default().to_owned();
    let handled = state
        .routing
        .agent_pressed(attempt_id(&attempt)?, &digits)
        .await?;
    state.work_stored(&handled.follow_ups);
    Ok(voice(&handled.response))
}

/// `POST /api/voice/bridged/{attempt}`: the bridge to the lead ended.
pub async fn voice_bridged(
    State(state): State<AppState>,
    Path(attempt): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    verified_form(&state, &uri, &headers, &body)?;
    attempt_id(&attempt)?;
    Ok(voice(&state.routing.dial_finished()))
}

fn group_id(text: &str) -> Result<RingGroupId, ApiError> {
    uuid::Uuid::try_parse(text)
        .map(RingGroupId)
        .map_err(|_| ApiError::NotFound(format!("ring group {text}")))
}

/// `POST /api/voice/lead/{group}`: the lead answered Hotline's call
/// (`lead_first`): a `<Dial>` rings the team.
pub async fn lead_answer(
    State(state): State<AppState>,
    Path(group): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form = verified_form(&state, &uri, &headers, &body)?;
    let handled = state
        .routing
        .lead_answered(group_id(&group)?, form.get("AnsweredBy"))
        .await?;
    state.work_stored(&handled.follow_ups);
    Ok(voice(&handled.response))
}

/// `POST /api/voice/lead/{group}/status`: the lead's call changed status.
pub async fn lead_status(
    State(state): State<AppState>,
    Path(group): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form = verified_form(&state, &uri, &headers, &body)?;
    let status = form.get("CallStatus").unwrap_or_default().to_owned();
    let follow_ups = state
        .routing
        .lead_call_status(group_id(&group)?, &status)
        .await?;
    state.work_stored(&follow_ups);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /api/voice/lead/{group}/dial`: the lead's `<Dial>` ended.
pub async fn lead_dial(
    State(state): State<AppState>,
    Path(group): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form = verified_form(&state, &uri, &headers, &body)?;
    let status = form.get("DialCallStatus").unwrap_or_default().to_owned();
    let handled = state
        .routing
        .lead_dial_finished(group_id(&group)?, &status)
        .await?;
    state.work_stored(&handled.follow_ups);
    Ok(voice(&handled.response))
}
