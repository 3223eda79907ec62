//! The admin API's admins (super-admin only): create one with a one-time
//! token, list them, revoke one.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiPath as Path;
use crate::json::parse;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewAdmin {
    email: String,
    #[serde(default)]
    client_ids: Vec<String>,
    /// When the token stops working (RFC 3339); absent or null: never.
    #[serde(default)]
    expires_at: Option<String>,
}

/// `POST /api/admins` (super-admin): answers the new token once.
#[utoipa::path(post, path = "/api/admins", request_body = NewAdmin, responses((status = 201, description = "The admin with a one-time token", body = Object), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_admin(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let new: NewAdmin = parse(&body)?;
    let account = state
        .access
        .create_admin(
            &caller.0,
            &new.email,
            &new.client_ids,
            new.expires_at.as_deref(),
            state.routing.now(),
        )
        .await?;
    let body = json!({
        "id": account.id.to_string(),
        "email": account.email,
        "client_ids": account.client_ids.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "expires_at": account.expires_at.map(|at| at.to_string()),
        "token": account.token,
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// `GET /api/admins` (super-admin): every admin, without tokens.
#[utoipa::path(get, path = "/api/admins", responses((status = 200, description = "Admins, oldest first", body = Object), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_admins(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let now = state.routing.now();
    let admins: Vec<_> = state
        .access
        .admins(&caller.0)
        .await?
        .into_iter()
        .map(|admin| {
            json!({
                "id": admin.id.to_string(),
                "email": admin.email,
                "client_ids": admin.client_ids.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "created_at": admin.created_at.to_string(),
                "expires_at": admin.expires_at.map(|at| at.to_string()),
                "expired": admin.expires_at.is_some_and(|at| at <= now),
            })
        })
        .collect();
    Ok(Json(admins).into_response())
}

/// `DELETE /api/admins/{id}` (super-admin): the admin's token and web
/// sessions stop working at once.
#[utoipa::path(delete, path = "/api/admins/{admin_id}", params(("admin_id" = String, Path, description = "Admin id")), responses((status = 204), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn revoke_admin(
    State(state): State<AppState>,
    caller: Caller,
    Path(admin_id): Path<String>,
) -> Result<Response, ApiError> {
    let id = uuid::Uuid::parse_str(admin_id.trim())
        .map_err(|_| ApiError::NotFound(format!("admin {admin_id}")))?;
    state.access.revoke_admin(&caller.0, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
