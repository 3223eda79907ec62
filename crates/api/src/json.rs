//! JSON documents parsed with the failing field named, for request bodies
//! and for the command line's schedule files alike.

use axum::body::Bytes;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON document that does not fit the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// The path of the offending field (`hours[0].start_time`), when known;
    /// a missing field is named by its own path.
    pub field: Option<String>,
    /// serde's description of the problem.
    pub message: String,
}

/// Parses `bytes` as `T`, naming the failing field.
///
/// # Errors
///
/// [`JsonError`] with the JSON path of the problem.
pub fn from_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    let mut json = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut json).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        // serde names a missing field only in its message; put it in the path.
        let missing = message
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
        JsonError { field, message }
    })
}

/// Parses a request body as `T`; a malformed body is a 400 naming the
/// field, and a string holding a control character (NUL, escape…; tab and
/// line breaks are fine) a 422 naming it.
///
/// # Errors
///
/// [`ApiError::BadRequest`] or [`ApiError::Invalid`] with the JSON path of
/// the problem.
pub fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let value: T = from_json(body).map_err(|e| ApiError::BadRequest {
        code: "malformed_json",
        message: e.message,
        field: e.field,
    })?;
    if let Ok(document) = serde_json::from_slice::<serde_json::Value>(body)
        && let Some(field) = control_character_at(&document, String::new())
    {
        return Err(ApiError::Invalid {
            code: "control_characters",
            message: "must not contain control characters".to_owned(),
            field,
        });
    }
    Ok(value)
}

/// The path of the first string (or key) in `value` that holds a control
/// character other than tab and line breaks.
fn control_character_at(value: &serde_json::Value, path: String) -> Option<String> {
    use hotline_domain::admin::has_control_characters;
    match value {
        serde_json::Value::String(text) if has_control_characters(text) => {
            Some(if path.is_empty() {
                ".".to_owned()
            } else {
                path
            })
        }
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| control_character_at(item, format!("{path}[{i}]"))),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let here = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            if has_control_characters(key) {
                return Some(here);
            }
            control_character_at(item, here)
        }),
        _ => None,
    }
}
