//! What an administrative use case can refuse, typed per cause so that one
//! place maps each to HTTP and no store's own text ever reaches a caller.

use crate::routing::ports::StoreError;

/// A value that is well formed but not acceptable, naming its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    /// The field, as a path (`hours[1].end_time`, `phone`).
    pub field: String,
    /// A stable snake_case code (`invalid_phone`).
    pub code: &'static str,
    /// A sentence for people.
    pub message: String,
}

impl Invalid {
    /// An invalid `field`.
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

/// Why an administrative use case refused or failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdminError {
    /// The caller may not see or change this.
    #[error("this token may not access this client")]
    Forbidden,
    /// No bearer token, or one that is unknown.
    #[error("missing or invalid bearer token")]
    Unauthenticated,
    /// The thing named does not exist (or is not the caller's to see).
    #[error("{0} not found")]
    NotFound(String),
    /// A value is not acceptable.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// Another client already uses this Twilio number.
    #[error("this Twilio number is already in use")]
    TwilioNumberTaken,
    /// Another member of this client already has this phone.
    #[error("another team member of this client already has this phone")]
    PhoneTaken,
    /// An admin with this email already exists.
    #[error("an admin with this email already exists")]
    EmailTaken,
    /// The store failed; retry later. The text is for logs only.
    #[error("temporarily unavailable")]
    Unavailable(String),
}

impl From<StoreError> for AdminError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(what) => Self::NotFound(what),
            // A store reports only the conflicts its port names; any other
            // is a bug, kept out of answers.
            StoreError::Conflict(what) => Self::Unavailable(format!("unexpected conflict: {what}")),
            StoreError::Unavailable(detail) => Self::Unavailable(detail),
        }
    }
}
