//! JSON request bodies, parsed with the failing field named.

use axum::body::Bytes;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Parses `body` as `T`; a malformed body is a 400 naming the field.
///
/// # Errors
///
/// [`ApiError::BadRequest`] with the JSON path of the problem.
pub fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let mut json = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut json).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner().to_string();
        let missing = inner
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
            .map(|field| {
                if path == "." {
                    field.to_owned()
                } else {
                    format!("{path}.{field}")
                }
            });
        let field = missing.or_else(|| (path != "." && path != "?").then_some(path));
        ApiError::BadRequest {
            code: "malformed_json",
            message: inner,
            field,
        }
    })
}
