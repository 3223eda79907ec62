//! Who is asking, and which clients they may see and change.

use crate::ClientId;

use super::AdminError;

/// The caller of an administrative use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// The bootstrap super-admin (`HOTLINE_ADMIN_TOKEN`): everything.
    SuperAdmin,
    /// An admin created by the super-admin, limited to some clients.
    Admin {
        /// The admin's id.
        id: uuid::Uuid,
        /// The clients granted.
        clients: Vec<ClientId>,
    },
}

impl Principal {
    /// Whether the caller may see and change `client`.
    pub fn may_see(&self, client: ClientId) -> bool {
        match self {
            Self::SuperAdmin => true,
            Self::Admin { clients, .. } => clients.contains(&client),
        }
    }

    /// Refuses unless the caller may see and change `client`.
    ///
    /// # Errors
    ///
    /// [`AdminError::Forbidden`].
    pub fn require(&self, client: ClientId) -> Result<(), AdminError> {
        if self.may_see(client) {
            Ok(())
        } else {
            Err(AdminError::Forbidden)
        }
    }

    /// Refuses unless the caller is the super-admin.
    ///
    /// # Errors
    ///
    /// [`AdminError::Forbidden`].
    pub fn require_super(&self) -> Result<(), AdminError> {
        match self {
            Self::SuperAdmin => Ok(()),
            Self::Admin { .. } => Err(AdminError::Forbidden),
        }
    }

    /// The clients visible to the caller; `None` means all.
    pub fn visible(&self) -> Option<&[ClientId]> {
        match self {
            Self::SuperAdmin => None,
            Self::Admin { clients, .. } => Some(clients),
        }
    }

    /// The admin's id; `None` for the super-admin.
    pub fn admin_id(&self) -> Option<uuid::Uuid> {
        match self {
            Self::SuperAdmin => None,
            Self::Admin { id, .. } => Some(*id),
        }
    }
}
