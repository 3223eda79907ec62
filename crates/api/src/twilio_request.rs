//! Reading a Twilio webhook: its form, after checking its signature.

use axum::body::Bytes;
use axum::http::{HeaderMap, Uri};
use hotline_domain::admin::{has_control_characters, strip_control_characters};
use hotline_twilio::signature;
use hotline_twilio::webhook::{FormParams, WebhookError};

use crate::error::ApiError;
use crate::state::AppState;

/// The webhook's form parameters, once `X-Twilio-Signature` proves it came
/// from Twilio, with control characters other than tab and line breaks
/// removed from every value. The URL checked is the public URL plus the request's path
/// and query. In sandbox mode (no auth token) every request is accepted.
///
/// # Errors
///
/// [`ApiError::BadSignature`] when the signature is missing or wrong.
pub fn verified_form(
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<FormParams, ApiError> {
    let mut form = FormParams::parse(body);
    if let Some(token) = &state.config.twilio_auth_token {
        let path_and_query = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
        let url = format!("{}{path_and_query}", state.config.public_url);
        let header = headers
            .get("x-twilio-signature")
            .and_then(|v| v.to_str().ok());
        if !signature::is_valid(token, &url, &form.0, header) {
            tracing::warn!(
                path = uri.path(),
                "rejected a webhook with an invalid signature"
            );
            state.metrics.bad_signature();
            return Err(ApiError::BadSignature);
        }
    }
    // Checked as sent; stored without control characters (a NUL would make
    // the message unstorable and Twilio would retry it for ever). Values
    // are copied only when they hold one.
    for (_, value) in &mut form.0 {
        if has_control_characters(value) {
            *value = strip_control_characters(value).into_owned();
        }
    }
    Ok(form)
}

/// A malformed webhook form as a 400 naming the field.
pub fn bad_form(error: WebhookError) -> ApiError {
    ApiError::BadRequest {
        code: "invalid_form",
        message: error.to_string(),
        field: Some(error.field.to_owned()),
    }
}
