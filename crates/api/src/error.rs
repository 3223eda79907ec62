//! The one place errors become HTTP answers: the contract's JSON shape,
//! the right status, and never internal error text.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotline_domain::admin::AdminError;
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
    /// Too many failed sign-ins or token checks from this address (429):
    /// retry after this many seconds.
    #[error("too many failed attempts from this address; retry in {0} s")]
    TooManyFailures(u64),
    /// Something is missing (404).
    #[error("{0} not found")]
    NotFound(String),
    /// A conflict with stored data (409).
    #[error("{message}")]
    Conflict {
        /// A stable code (`twilio_number_taken`).
        code: &'static str,
        /// What conflicts, for people.
        message: String,
        /// The field in conflict, when one is.
        field: Option<String>,
    },
    /// The service cannot do it now; the caller should retry (503).
    #[error("temporarily unavailable")]
    Unavailable(String),
}

impl From<RoutingError> for ApiError {
    fn from(error: RoutingError) -> Self {
        match error {
            RoutingError::UnknownNumber(number) => Self::NotFound(format!("client for {number}")),
            RoutingError::NotFound(what) => Self::NotFound(what),
            RoutingError::AlreadyClaimed(by) => Self::Conflict {
                code: "conflict",
                message: format!("already claimed by team member {by}"),
                field: None,
            },
            RoutingError::Forbidden => Self::Forbidden,
            RoutingError::Store(store) => store.into(),
            RoutingError::Scorer(scorer) => Self::Unavailable(scorer.to_string()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(what) => Self::NotFound(what),
            // Conflicts a port names are typed; any other is not for callers.
            StoreError::Conflict(what) => Self::Unavailable(format!("unexpected conflict: {what}")),
            StoreError::Unavailable(detail) => Self::Unavailable(detail),
        }
    }
}

impl From<AdminError> for ApiError {
    fn from(error: AdminError) -> Self {
        // Every 409 keeps the code clients already know; the field says
        // what is taken.
        let conflict = |field: &str| Self::Conflict {
            code: "conflict",
            message: error.to_string(),
            field: Some(field.to_owned()),
        };
        match &error {
            AdminError::Forbidden => Self::Forbidden,
            AdminError::Unauthenticated => Self::Unauthorized,
            AdminError::NotFound(what) => Self::NotFound(what.clone()),
            AdminError::Invalid(invalid) => Self::Invalid {
                code: invalid.code,
                message: invalid.message.clone(),
                field: invalid.field.clone(),
            },
            AdminError::TwilioNumberTaken => conflict("twilio_number"),
            AdminError::PhoneTaken => conflict("phone"),
            AdminError::EmailTaken => conflict("email"),
            AdminError::Unavailable(detail) => Self::Unavailable(detail.clone()),
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
            Self::TooManyFailures(seconds) => {
                let body = ErrorBody {
                    error: ErrorDetail {
                        code: "too_many_attempts".to_owned(),
                        message: self.to_string(),
                        field: None,
                    },
                };
                return (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(axum::http::header::RETRY_AFTER, seconds.to_string())],
                    Json(body),
                )
                    .into_response();
            }
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", self.to_string(), None),
            Self::Conflict {
                code,
                message,
                field,
            } => (StatusCode::CONFLICT, *code, message.clone(), field.clone()),
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

/// Gives every answer under `/api/` that is not 2xx the contract's JSON
/// error body when it has none: axum's own 404 (no such route), 405, 413
/// (body over the limit), 408 (request timeout) and the 503 of load
/// shedding. Headers such as `Allow` and `Retry-After` are kept.
pub async fn json_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let under_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !under_api || status.is_success() || status.is_redirection() || is_json {
        return response;
    }
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("not_found", "no such route"),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this method is not allowed on this route",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "the request body is larger than allowed",
        ),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long"),
        StatusCode::SERVICE_UNAVAILABLE => ("unavailable", "temporarily unavailable, retry later"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "the request body's content type is not accepted",
        ),
        _ if status.is_client_error() => ("bad_request", "the request cannot be read"),
        _ => ("internal", "the request failed"),
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(axum::http::header::CONTENT_TYPE);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let body = Json(ErrorBody {
        error: ErrorDetail {
            code: code.to_owned(),
            message: message.to_owned(),
            field: None,
        },
    })
    .into_response();
    let (body_parts, body) = body.into_parts();
    parts.headers.extend(body_parts.headers);
    Response::from_parts(parts, body)
}
