//! Path and query extractors whose rejections are the contract's JSON
//! error, naming the parameter that could not be read.

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Path parameters; an unreadable one is a 400 naming it.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(rejection) => Err(path_error(rejection)),
        }
    }
}

fn path_error(rejection: PathRejection) -> ApiError {
    use axum::extract::path::ErrorKind;
    let field = match &rejection {
        PathRejection::FailedToDeserializePathParams(error) => match error.kind() {
            ErrorKind::InvalidUtf8InPathParam { key }
            | ErrorKind::ParseErrorAtKey { key, .. }
            | ErrorKind::DeserializeError { key, .. } => Some(key.clone()),
            _ => None,
        },
        _ => None,
    };
    ApiError::BadRequest {
        code: "invalid_path",
        message: match &field {
            Some(key) => format!("the path parameter {key} cannot be read"),
            None => "the path cannot be read".to_owned(),
        },
        field,
    }
}

/// Query parameters; a malformed, repeated or unknown-typed one is a 400
/// naming it.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or("")).map(Self)
    }
}

/// Reads a query string as `T`, naming the failing parameter.
///
/// # Errors
///
/// [`ApiError::BadRequest`] with code `invalid_query`.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let pairs = form_urlencoded::parse(query.as_bytes());
    let deserializer = serde_urlencoded::Deserializer::new(pairs);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        // serde names a repeated or missing field only in its message.
        let named = ["duplicate field `", "missing field `"]
            .iter()
            .find_map(|prefix| message.strip_prefix(prefix))
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned);
        let field = named.or_else(|| (path != "." && path != "?").then_some(path));
        ApiError::BadRequest {
            code: "invalid_query",
            message: match &field {
                Some(name) => format!("the query parameter {name} is not valid: {message}"),
                None => format!("the query is not valid: {message}"),
            },
            field,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Page {
        limit: Option<u32>,
    }

    fn field_of(query: &str) -> Option<String> {
        match parse_query::<Page>(query) {
            Err(ApiError::BadRequest { field, .. }) => field,
            other => panic!("{query}: {other:?}"),
        }
    }

    #[test]
    fn a_bad_query_parameter_is_named() {
        assert_eq!(field_of("limit=-1").as_deref(), Some("limit"));
        assert_eq!(field_of("limit=1&limit=2").as_deref(), Some("limit"));
        assert_eq!(field_of("limit=x").as_deref(), Some("limit"));
        assert!(parse_query::<Page>("limit=5&other=1").is_ok_and(|p| p.limit == Some(5)));
        assert!(parse_query::<Page>("").is_ok_and(|p| p.limit.is_none()));
    }
}
