//! Who is calling the admin API: `Authorization: Bearer TOKEN`, the scheme
//! matched in any case. The domain's [`AccessService`] decides who the
//! token belongs to and which clients they may touch.
//!
//! [`AccessService`]: hotline_domain::admin::AccessService

use std::time::Instant;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use hotline_domain::admin::Principal;

use crate::error::ApiError;
use crate::state::AppState;

/// The authenticated caller of an API route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller(pub Principal);

/// The token of an `Authorization` header value: `Bearer TOKEN`, the
/// scheme in any case, surrounding spaces ignored.
pub(crate) fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = crate::auth_limit::peer(&parts.extensions);
        state.auth_limit.begin(peer, Instant::now())?;
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer_token)
            .ok_or(ApiError::Unauthorized)?;
        match state.access.authenticate(token, state.routing.now()).await {
            Ok(principal) => {
                state.auth_limit.succeeded(peer);
                Ok(Self(principal))
            }
            Err(hotline_domain::admin::AdminError::Unauthenticated) => Err(ApiError::Unauthorized),
            Err(other) => {
                // The store failed: not the caller's failure.
                state.auth_limit.succeeded(peer);
                Err(other.into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn the_scheme_is_matched_in_any_case() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer abc"), Some("abc"));
        assert_eq!(bearer_token("BEARER   abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("Bearerabc"), None);
    }
}
