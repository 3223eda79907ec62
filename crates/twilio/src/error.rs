//! What can go wrong talking to Twilio's REST API.

use hotline_domain::routing::ports::TelephonyError;

/// A request to Twilio's REST API failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TwilioError {
    /// Twilio answered with an error status and (usually) its JSON error.
    #[error("Twilio answered {status}: {message} (code {code:?}, {more_info:?})")]
    Api {
        /// HTTP status.
        status: u16,
        /// Twilio's error code, such as 21211 (invalid `To`).
        code: Option<i64>,
        /// Twilio's message.
        message: String,
        /// Link to Twilio's documentation of the code.
        more_info: Option<String>,
    },
    /// No answer within the request timeout; the request may have been applied.
    #[error("Twilio did not answer in time")]
    Timeout,
    /// No connection could be made: nothing reached Twilio.
    #[error("cannot connect to Twilio: {0}")]
    Connect(String),
    /// The request failed on the way (the connection dropped): Twilio may
    /// or may not have acted on it.
    #[error("cannot reach Twilio: {0}")]
    Transport(String),
    /// Twilio answered with something that is not what the API promises.
    #[error("unexpected answer from Twilio: {0}")]
    BadResponse(String),
}

impl From<TwilioError> for TelephonyError {
    fn from(error: TwilioError) -> Self {
        match &error {
            TwilioError::Api { status, .. } if *status != 429 && (400..500).contains(status) => {
                Self::Rejected(error.to_string())
            }
            TwilioError::Api { .. } | TwilioError::Connect(_) => {
                Self::Unavailable(error.to_string())
            }
            TwilioError::Timeout | TwilioError::Transport(_) | TwilioError::BadResponse(_) => {
                Self::Unknown(error.to_string())
            }
        }
    }
}
