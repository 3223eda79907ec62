//! Signing in to the web pages: the admin token is exchanged for a session
//! cookie (HttpOnly, SameSite=Strict, Secure behind https), every form
//! carries the session's CSRF token, and signing out ends the session.

use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hotline_domain::Timestamp;
use hotline_domain::admin::AdminError;
pub use hotline_domain::admin::same_secret;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "hotline_session";
/// Name of the cookie that guards the sign-in form.
pub const SIGN_IN_COOKIE: &str = "hotline_sign_in";

/// A signed-in admin on a web page.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// What the admin may touch.
    pub caller: Caller,
    /// The token every form must carry.
    pub csrf_token: String,
    /// The session cookie's token, to sign out.
    session_token: String,
}

impl Viewer {
    /// Refuses unless `submitted` is this session's CSRF token.
    ///
    /// # Errors
    ///
    /// [`PageError::Forbidden`] when the token is missing or wrong.
    pub fn check_csrf(&self, submitted: Option<&str>) -> Result<(), PageError> {
        match submitted {
            Some(token) if same_secret(token, &self.csrf_token) => Ok(()),
            _ => Err(PageError::Csrf),
        }
    }
}

/// Why a page could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// Nobody is signed in: go to the sign-in page.
    #[error("sign in first")]
    SignIn,
    /// A form came without this session's CSRF token.
    #[error("this form has expired; reload the page and try again")]
    Csrf,
    /// The API's answer (403, 404, 503...).
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl From<AdminError> for PageError {
    fn from(error: AdminError) -> Self {
        Self::Api(error.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            Self::SignIn => return redirect("/login"),
            Self::Csrf => (StatusCode::FORBIDDEN, self.to_string()),
            Self::Api(ApiError::Forbidden) => (
                StatusCode::FORBIDDEN,
                "You do not have access to this client.".to_owned(),
            ),
            Self::Api(ApiError::NotFound(what)) => {
                (StatusCode::NOT_FOUND, format!("Not found: {what}."))
            }
            Self::Api(ApiError::Unavailable(detail)) => {
                tracing::error!(%detail, "page failed");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Hotline cannot reach its database right now. Try again in a moment."
                        .to_owned(),
                )
            }
            Self::Api(other) => (StatusCode::BAD_REQUEST, other.to_string()),
        };
        (status, super::layout::message_page(status, &message)).into_response()
    }
}

/// A 303 to `location`.
pub fn redirect(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// The value of cookie `name` in the request's headers.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Secure when served
/// over https; `max_age` 0 deletes it.
pub fn set_cookie(state: &AppState, name: &str, value: &str, path: &str, max_age: i64) -> String {
    let secure = if state.config.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}")
}

/// Exchanges an admin token for a session: the `Set-Cookie` value, or
/// `None` when the token is not valid.
///
/// # Errors
///
/// [`ApiError`] when the database fails.
pub async fn sign_in(state: &AppState, token: &str) -> Result<Option<String>, ApiError> {
    let Some(session_token) = state.access.sign_in(token, Timestamp::now()).await? else {
        return Ok(None);
    };
    Ok(Some(set_cookie(
        state,
        SESSION_COOKIE,
        &session_token,
        "/",
        state.access.session_seconds(),
    )))
}

/// Ends the viewer's session; the `Set-Cookie` value that clears it.
///
/// # Errors
///
/// [`ApiError`] when the database fails.
pub async fn sign_out(state: &AppState, viewer: &Viewer) -> Result<String, ApiError> {
    state.access.sign_out(&viewer.session_token).await?;
    Ok(set_cookie(state, SESSION_COOKIE, "", "/", 0))
}

/// Adds a `Set-Cookie` header to `response`.
pub fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = cookie(&parts.headers, SESSION_COOKIE)
            .filter(|t| !t.is_empty())
            .ok_or(PageError::SignIn)?;
        let signed_in = state
            .access
            .session(token, Timestamp::now())
            .await?
            .ok_or(PageError::SignIn)?;
        Ok(Self {
            caller: Caller(signed_in.principal),
            csrf_token: signed_in.csrf_token,
            session_token: token.to_owned(),
        })
    }
}
