//! Intent feedback: an admin's verdict on a scored message, and the list of
//! verdicts (JSON, or the corpus's TSV to train on).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use hotline_domain::intent::{FeedbackError, IntentLabel, MessageRef, NewIntentLabel};
use hotline_domain::{LeadId, Timestamp};
use serde::{Deserialize, Serialize};

use crate::admin::client_id;
use crate::extract::{ApiPath as Path, ApiQuery as Query};
use crate::json::parse;
use crate::{ApiError, AppState, Caller};

/// The body of a verdict.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelBody {
    /// Whether the message was hot.
    hot: bool,
}

/// `POST /api/clients/{id}/leads/{lead_id}/messages/{message_id}/label`:
/// 204; `message_id` is the message's id or its `MessageSid`.
#[utoipa::path(post, path = "/api/clients/{id}/leads/{lead_id}/messages/{message_id}/label", request_body = LabelBody, params(("id" = String, Path, description = "Client id"), ("lead_id" = String, Path, description = "Lead id"), ("message_id" = String, Path, description = "Message id or MessageSid")), responses((status = 204, description = "Verdict stored"), (status = 404, body = crate::error::ErrorBody)), security(("bearer" = [])))]
pub async fn label(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, lead, message)): Path<(String, String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let client = client_id(&id)?;
    caller.0.require(client)?;
    let lead_id = LeadId::parse(&lead).map_err(|_| ApiError::NotFound(format!("lead {lead}")))?;
    let body: LabelBody = parse(&body)?;
    state
        .feedback
        .record_label(NewIntentLabel {
            client,
            lead: lead_id,
            message: MessageRef::parse(&message),
            hot: body.hot,
            labelled_by: caller.0.admin_id(),
            at: Timestamp::now(),
        })
        .await
        .map_err(|error| feedback_error(error, &message))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Paging and format of the verdict list.
#[derive(Debug, Deserialize)]
pub struct LabelsQuery {
    limit: Option<u32>,
    offset: Option<u32>,
    format: Option<String>,
}

/// One verdict as the API shows it.
#[derive(Debug, Serialize)]
struct LabelView {
    message_id: String,
    message_sid: String,
    lead_id: String,
    text: String,
    score: f64,
    scored_hot: bool,
    hot: bool,
    labelled_by: Option<String>,
    labelled_at: String,
}

impl From<IntentLabel> for LabelView {
    fn from(label: IntentLabel) -> Self {
        Self {
            message_id: label.message_id.to_string(),
            message_sid: label.message_sid,
            lead_id: label.lead_id.to_string(),
            text: label.text,
            score: label.score,
            scored_hot: label.scored_hot,
            hot: label.hot,
            labelled_by: label.labelled_by.map(|id| id.to_string()),
            labelled_at: label.labelled_at.to_string(),
        }
    }
}

/// `GET /api/clients/{id}/intent/labels`: newest first; `?format=tsv`
/// answers the corpus's columns (`label trade lang kind text`) for
/// `hotline-intent train --extra`.
#[utoipa::path(get, path = "/api/clients/{id}/intent/labels", params(("id" = String, Path, description = "Client id"), ("limit" = Option<u32>, Query, description = "At most 1000, default 50; 10000 for tsv"), ("offset" = Option<u32>, Query, description = "Rows to skip"), ("format" = Option<String>, Query, description = "json (default) or tsv")), responses((status = 200, body = Object)), security(("bearer" = [])))]
pub async fn labels(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<LabelsQuery>,
) -> Result<Response, ApiError> {
    let client = client_id(&id)?;
    caller.0.require(client)?;
    let tsv = match query.format.as_deref() {
        None | Some("json") => false,
        Some("tsv") => true,
        Some(_) => {
            return Err(ApiError::BadRequest {
                code: "invalid_query",
                message: "format must be json or tsv".to_owned(),
                field: Some("format".to_owned()),
            });
        }
    };
    let (default_limit, most) = if tsv { (10_000, 10_000) } else { (50, 1000) };
    let limit = query.limit.unwrap_or(default_limit).clamp(1, most);
    let labels = state
        .feedback
        .labels(client, limit, query.offset.unwrap_or(0))
        .await
        .map_err(|error| feedback_error(error, ""))?;
    if tsv {
        let mut out = String::from("label\ttrade\tlang\tkind\ttext\n");
        for label in &labels {
            let text: String = label
                .text
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            out.push_str(if label.hot { "hot" } else { "not" });
            out.push_str("\t\t\tadmin_label\t");
            out.push_str(text.trim());
            out.push('\n');
        }
        return Ok((
            [(
                header::CONTENT_TYPE,
                "text/tab-separated-values; charset=utf-8",
            )],
            out,
        )
            .into_response());
    }
    let views: Vec<LabelView> = labels.into_iter().map(LabelView::from).collect();
    Ok(Json(views).into_response())
}

pub(crate) fn feedback_error(error: FeedbackError, message: &str) -> ApiError {
    match error {
        FeedbackError::MessageNotFound => ApiError::NotFound(format!("message {message}")),
        FeedbackError::Unavailable(detail) => ApiError::Unavailable(detail),
    }
}
