//! Administration: who may see which client ([`Principal`]), clients, their
//! team and business hours ([`AdminService`]), admins, bearer tokens and
//! web sessions ([`AccessService`]).
//!
//! The rules live here, where mocked ports reach them: a scoped admin sees
//! only the clients granted; deleting a team member deactivates them; a new
//! client's time zone defaults to America/Edmonton; a member's phone may not
//! be the client's own Twilio number; text fields are trimmed, 1 to 500
//! characters, without control characters. The HTTP API and the web pages
//! call the same service functions.

mod access;
mod error;
pub mod ports;
mod principal;
mod service;
mod validate;

pub use access::{
    AccessService, NewAdminAccount, Randomness, RandomnessUnavailable, SignedIn, same_secret,
    token_digest,
};
pub use error::{AdminError, Invalid};
pub use principal::Principal;
pub use service::{
    AdminService, ClientChanges, DEFAULT_OUT_OF_HOURS_REPLY, FollowThroughChanges,
    FollowThroughInput, MemberChanges, NewClient, NewMember,
};
pub(crate) use validate::text as validate_text;
pub use validate::{MAX_TEXT, has_control_characters, strip_control_characters};
