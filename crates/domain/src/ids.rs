//! Identifiers of Hotline's records.
//!
//! Each kind of record has its own id type so that a lead's id can never be
//! passed where a client's is expected. Ids are UUIDs; they are created by
//! whoever stores the record and parsed from text at the edge.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The text given is not an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} must be a UUID, got {input:?}")]
pub struct IdError {
    /// Which kind of id was expected, such as `client id`.
    pub kind: &'static str,
    /// The text that failed to parse.
    pub input: String,
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps an existing UUID.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The UUID inside.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }

            /// Parses the hyphenated text form.
            ///
            /// # Errors
            ///
            /// Returns [`IdError`] when `input` is not a UUID.
            pub fn parse(input: &str) -> Result<Self, IdError> {
                Uuid::try_parse(input).map(Self).map_err(|_| IdError {
                    kind: $kind,
                    input: input.to_owned(),
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}

id_type!(
    /// Identifies a client: one business with its own Twilio number.
    ClientId,
    "client id"
);
id_type!(
    /// Identifies a member of a client's team.
    TeamMemberId,
    "team member id"
);
id_type!(
    /// Identifies a lead: one phone number that texted one client.
    LeadId,
    "lead id"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays_the_hyphenated_form() {
        let text = "0192f0c1-7e5a-7cc3-9a57-3f1b2c4d5e6f";
        assert_eq!(
            ClientId::parse(text).map(|id| id.to_string()),
            Ok(text.to_owned())
        );
    }

    #[test]
    fn names_the_kind_of_id_on_error() {
        let err = LeadId::parse("42").err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("lead id must be a UUID, got \"42\""));
    }
}
