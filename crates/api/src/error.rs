//! The one place errors become HTTP answers: the contract's JSON shape,
//! the right status, and never internal error text.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotline_domain::routing::RoutingError;
use hotline_domain::routing::ports::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// The detail of an error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable snake_case code.
    pub code: String,
    /// A human sentence.
    pub message: String,
    /// The offending field as a path, or null.
    pub field: Option<String>,
}

/// An error answer.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed (400).
    #[error("{message}")]
    BadRequest {
        /// A stable code.
        code: &'static str,
        /// What is wrong, for people.
        message: String,
        /// The offending field, when one is.
        field: Option<String>,
    },
    /// A value is well-formed but not valid (422).
    #[error("{message}")]
    Invalid {
        /// A stable code.
        code: &'static str,
        /// What is wrong, for people.
        message: String,
        /// The offending field.
        field: String,
    },
    /// The Twilio signature is missing or wrong (403).
    #[error("invalid Twilio signature")]
    BadSignature,
    /// No or bad bearer token (401).
    #[error("missing or invalid bearer token")]
    Unauthorized,
    /// The token may not touch this (403).
    #[error("this token may not access this client")]
    Forbidden,
    /// Something is missing (404).
    #[error("{0} not found")]
    NotFound(String),
    /// A conflict with stored data (409).
    #[error("{0}")]
    Conflict(String),
    /// The service cannot do it now; the caller should retry (503).
    #[error("temporarily unavailable")]
    Unavailable(String),
}

impl From<RoutingError> for ApiError {
    fn from(error: RoutingError) -> Self {
        match error {
            RoutingError::UnknownNumber(number) => Self::NotFound(format!("client for {number}")),
            RoutingError::NotFound(what) => Self::NotFound(what),
            RoutingError::AlreadyClaimed(by) => {
                Self::Conflict(format!("already claimed by team member {by}"))
            }
            RoutingError::Store(store) => store.into(),
            RoutingError::Scorer(scorer) => Self::Unavailable(scorer.to_string()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(what) => Self::NotFound(what),
            StoreError::Conflict(what) => Self::Conflict(what),
            StoreError::Unavailable(detail) => Self::Unavailable(detail),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, field) = match &self {
            Self::BadRequest {
                code,
                message,
                field,
            } => (
                StatusCode::BAD_REQUEST,
                *code,
                message.clone(),
                field.clone(),
            ),
            Self::Invalid {
                code,
                message,
                field,
            } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                *code,
                message.clone(),
                Some(field.clone()),
            ),
            Self::BadSignature => (
                StatusCode::FORBIDDEN,
                "invalid_signature",
                self.to_string(),
                None,
            ),
            Self::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                self.to_string(),
                None,
            ),
            Self::Forbidden => (StatusCode::FORBIDDEN, "forbidden", self.to_string(), None),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", self.to_string(), None),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict", self.to_string(), None),
            Self::Unavailable(detail) => {
                tracing::error!(%detail, "request failed");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "temporarily unavailable, retry later".to_owned(),
                    None,
                )
            }
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message,
                field,
            },
        };
        (status, Json(body)).into_response()
    }
}
