//! Access: bearer tokens, admins and web sessions.
//!
//! The super-admin's token comes from configuration; admins' tokens are
//! made here from the [`Randomness`] port and stored only as digests. A web
//! session is a random token exchanged for a valid admin token; a
//! super-admin session ends when the configured token changes.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::{ClientId, Timestamp};

use super::ports::{AccessStore, AdminAccount, SessionOwner, WebSession};
use super::validate::has_control_characters;
use super::{AdminError, Invalid, Principal};

/// How long a web session lasts (12 hours).
const SESSION_SECONDS: i64 = 12 * 3600;

/// The operating system's randomness could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no randomness available: {0}")]
pub struct RandomnessUnavailable(pub String);

/// Port: secure random bytes, for tokens.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait Randomness: Send + Sync {
    /// Fills `bytes` with secure random bytes.
    ///
    /// # Errors
    ///
    /// [`RandomnessUnavailable`] when none can be had.
    fn fill(&self, bytes: &mut [u8]) -> Result<(), RandomnessUnavailable>;
}

/// Hex SHA-256 of a token: how tokens are stored and compared.
pub fn token_digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A new admin and their token, shown once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAdminAccount {
    /// The admin's id.
    pub id: uuid::Uuid,
    /// Their email, lower-cased.
    pub email: String,
    /// The clients granted.
    pub client_ids: Vec<ClientId>,
    /// Their bearer token; only its digest is stored.
    pub token: String,
    /// When the token stops working; `None`: never.
    pub expires_at: Option<Timestamp>,
}

/// A web session, as a page needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// Who is signed in.
    pub principal: Principal,
    /// The token every form must carry.
    pub csrf_token: String,
}

/// Authentication, admins and web sessions.
#[derive(Clone)]
pub struct AccessService {
    store: Arc<dyn AccessStore>,
    randomness: Arc<dyn Randomness>,
    super_token_digest: Option<String>,
}

impl std::fmt::Debug for AccessService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessService").finish_non_exhaustive()
    }
}

impl AccessService {
    /// Access over `store`, with the super-admin's token when one is configured.
    pub fn new(
        store: Arc<dyn AccessStore>,
        randomness: Arc<dyn Randomness>,
        super_token: Option<&str>,
    ) -> Self {
        Self {
            store,
            randomness,
            super_token_digest: super_token.map(token_digest),
        }
    }

    /// Who presents `token` at `now`.
    ///
    /// # Errors
    ///
    /// [`AdminError::Unauthenticated`] for an empty, unknown, revoked or
    /// expired token; [`AdminError::Unavailable`] when the store fails.
    pub async fn authenticate(&self, token: &str, now: Timestamp) -> Result<Principal, AdminError> {
        let token = token.trim();
        if token.is_empty() {
            return Err(AdminError::Unauthenticated);
        }
        let digest = token_digest(token);
        if self.is_super_digest(&digest) {
            return Ok(Principal::SuperAdmin);
        }
        match self.store.admin_by_token(&digest).await? {
            Some(grants) if grants.valid_at(now) => Ok(Principal::Admin {
                id: grants.admin_id,
                clients: grants.client_ids,
            }),
            _ => Err(AdminError::Unauthenticated),
        }
    }

    /// Creates an admin limited to `client_ids` (super-admin only), their
    /// token working until `expires_at` (an RFC 3339 instant in the future)
    /// or for ever; the token is in the answer and nowhere else.
    ///
    /// # Errors
    ///
    /// `Forbidden` for anyone but the super-admin; `Invalid` naming
    /// `email`, `client_ids[i]` (not an id, or the same id twice) or
    /// `expires_at`; `EmailTaken`; `Unavailable`.
    pub async fn create_admin(
        &self,
        principal: &Principal,
        email: &str,
        client_ids: &[String],
        expires_at: Option<&str>,
        now: Timestamp,
    ) -> Result<NewAdminAccount, AdminError> {
        principal.require_super()?;
        let email = email.trim().to_lowercase();
        if has_control_characters(&email) {
            return Err(Invalid::new(
                "email",
                "control_characters",
                "must not contain control characters",
            )
            .into());
        }
        if !email.contains('@') || email.len() > 254 {
            return Err(Invalid::new("email", "invalid_email", "must be an email address").into());
        }
        let mut clients = Vec::with_capacity(client_ids.len());
        for (index, raw) in client_ids.iter().enumerate() {
            let field = format!("client_ids[{index}]");
            let id = ClientId::parse(raw)
                .map_err(|e| Invalid::new(&field, "invalid_id", e.to_string()))?;
            if clients.contains(&id) {
                return Err(
                    Invalid::new(&field, "duplicate", "each client may be granted once").into(),
                );
            }
            clients.push(id);
        }
        let expires_at = expires_at
            .map(|text| {
                let at = text.trim().parse::<Timestamp>().map_err(|_| {
                    Invalid::new(
                        "expires_at",
                        "invalid_time",
                        "must be an RFC 3339 instant, such as 2027-01-31T00:00:00Z",
                    )
                })?;
                if at <= now {
                    return Err(Invalid::new(
                        "expires_at",
                        "in_the_past",
                        "must be in the future",
                    ));
                }
                Ok(at)
            })
            .transpose()?;
        let token = self.new_token()?;
        let id = self
            .store
            .insert_admin(&email, &token_digest(&token), &clients, now, expires_at)
            .await
            .map_err(|error| match error {
                super::ports::AdminStoreError::NotFound(_) => AdminError::Invalid(Invalid::new(
                    "client_ids",
                    "unknown_client",
                    "every granted client must exist",
                )),
                other => other.into(),
            })?;
        Ok(NewAdminAccount {
            id,
            email,
            client_ids: clients,
            token,
            expires_at,
        })
    }

    /// Every admin, oldest first, without tokens (super-admin only).
    ///
    /// # Errors
    ///
    /// `Forbidden` for anyone but the super-admin; `Unavailable`.
    pub async fn admins(&self, principal: &Principal) -> Result<Vec<AdminAccount>, AdminError> {
        principal.require_super()?;
        Ok(self.store.admins().await?)
    }

    /// Revokes an admin (super-admin only): their token and web sessions
    /// stop working at once.
    ///
    /// # Errors
    ///
    /// `Forbidden` for anyone but the super-admin; `NotFound` for an
    /// unknown admin; `Unavailable`.
    pub async fn revoke_admin(
        &self,
        principal: &Principal,
        id: uuid::Uuid,
    ) -> Result<(), AdminError> {
        principal.require_super()?;
        if self.store.delete_admin(id).await? {
            Ok(())
        } else {
            Err(AdminError::NotFound(format!("admin {id}")))
        }
    }

    /// Exchanges an admin token for a web session: the session's token,
    /// or `None` when the admin token is not valid.
    ///
    /// # Errors
    ///
    /// [`AdminError::Unavailable`].
    pub async fn sign_in(&self, token: &str, now: Timestamp) -> Result<Option<String>, AdminError> {
        let owner = match self.authenticate(token, now).await {
            Ok(Principal::SuperAdmin) => SessionOwner::SuperAdmin {
                token_digest: token_digest(token.trim()),
            },
            Ok(Principal::Admin { id, .. }) => SessionOwner::Admin(id),
            Err(AdminError::Unauthenticated) => return Ok(None),
            Err(other) => return Err(other),
        };
        let session_token = self.new_token()?;
        let session = WebSession {
            owner,
            csrf_token: self.new_token()?,
        };
        let expires = now
            .checked_add(jiff::SignedDuration::from_secs(SESSION_SECONDS))
            .map_err(|e| AdminError::Unavailable(e.to_string()))?;
        self.store
            .insert_web_session(&token_digest(&session_token), &session, now, expires)
            .await?;
        Ok(Some(session_token))
    }

    /// The session's principal and CSRF token; `None` when the session is
    /// unknown, expired, its admin removed, or the super-admin token it was
    /// opened with no longer configured.
    ///
    /// # Errors
    ///
    /// [`AdminError::Unavailable`].
    pub async fn session(
        &self,
        session_token: &str,
        now: Timestamp,
    ) -> Result<Option<SignedIn>, AdminError> {
        let Some(session) = self
            .store
            .web_session(&token_digest(session_token), now)
            .await?
        else {
            return Ok(None);
        };
        let principal = match &session.owner {
            SessionOwner::SuperAdmin { token_digest } if self.is_super_digest(token_digest) => {
                Principal::SuperAdmin
            }
            SessionOwner::SuperAdmin { .. } => return Ok(None),
            SessionOwner::Admin(id) => match self.store.admin(*id).await? {
                Some(grants) if grants.valid_at(now) => Principal::Admin {
                    id: grants.admin_id,
                    clients: grants.client_ids,
                },
                _ => return Ok(None),
            },
        };
        Ok(Some(SignedIn {
            principal,
            csrf_token: session.csrf_token,
        }))
    }

    /// Ends a session everywhere.
    ///
    /// # Errors
    ///
    /// [`AdminError::Unavailable`].
    pub async fn sign_out(&self, session_token: &str) -> Result<(), AdminError> {
        Ok(self
            .store
            .delete_web_session(&token_digest(session_token))
            .await?)
    }

    /// How long a session lasts, in seconds.
    pub fn session_seconds(&self) -> i64 {
        SESSION_SECONDS
    }

    /// A new random token: `hl_` and 32 random bytes in hex.
    ///
    /// # Errors
    ///
    /// [`AdminError::Unavailable`] when no randomness can be had.
    pub fn new_token(&self) -> Result<String, AdminError> {
        let mut bytes = [0u8; 32];
        self.randomness
            .fill(&mut bytes)
            .map_err(|e| AdminError::Unavailable(e.to_string()))?;
        Ok(format!(
            "hl_{}",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        ))
    }

    fn is_super_digest(&self, digest: &str) -> bool {
        self.super_token_digest
            .as_deref()
            .is_some_and(|expected| same_secret(expected, digest))
    }
}
