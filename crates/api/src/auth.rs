//! Who is calling the admin API, and which clients they may touch.
//!
//! `Authorization: Bearer TOKEN`. The super-admin token comes from the
//! environment and may do everything; admins created through the API are
//! stored as the SHA-256 of their token and see only the clients granted to
//! them. Tokens are compared as hashes, so timing reveals nothing useful.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use hotline_domain::ClientId;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// The authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// The bootstrap super-admin.
    SuperAdmin,
    /// An admin limited to some clients.
    Admin {
        /// The admin's id.
        id: uuid::Uuid,
        /// Clients this admin may see and change.
        clients: Vec<ClientId>,
    },
}

impl Caller {
    /// Refuses with 403 unless the caller may touch `client`.
    ///
    /// # Errors
    ///
    /// [`ApiError::Forbidden`].
    pub fn require(&self, client: ClientId) -> Result<(), ApiError> {
        match self {
            Self::SuperAdmin => Ok(()),
            Self::Admin { clients, .. } if clients.contains(&client) => Ok(()),
            Self::Admin { .. } => Err(ApiError::Forbidden),
        }
    }

    /// Refuses with 403 unless the caller is the super-admin.
    ///
    /// # Errors
    ///
    /// [`ApiError::Forbidden`].
    pub fn require_super(&self) -> Result<(), ApiError> {
        if *self == Self::SuperAdmin {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The admin's id; `None` for the super-admin.
    pub fn admin_id(&self) -> Option<uuid::Uuid> {
        match self {
            Self::SuperAdmin => None,
            Self::Admin { id, .. } => Some(*id),
        }
    }

    /// The clients visible to the caller; `None` means all.
    pub fn visible(&self) -> Option<&[ClientId]> {
        match self {
            Self::SuperAdmin => None,
            Self::Admin { clients, .. } => Some(clients),
        }
    }
}

/// Hex SHA-256 of a token, as stored.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new random token: 32 bytes from the operating system, hex.
///
/// # Errors
///
/// [`ApiError::Unavailable`] when the system has no randomness to give.
pub fn new_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Unavailable(e.to_string()))?;
    Ok(format!(
        "hl_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::Unauthorized)?;
        let hash = token_hash(token);
        if let Some(super_token) = &state.config.admin_token
            && token_hash(super_token) == hash
        {
            return Ok(Self::SuperAdmin);
        }
        match state.db.admin_by_token_hash(&hash).await? {
            Some(grants) => Ok(Self::Admin {
                id: grants.admin_id,
                clients: grants.client_ids,
            }),
            None => Err(ApiError::Unauthorized),
        }
    }
}
