//! Feedback from the people who know: an admin's verdict on a scored
//! message, stored so it can be listed and exported into the training data.

use async_trait::async_trait;

use crate::{ClientId, LeadId, Timestamp};

/// Which message a verdict is about: its id, or Twilio's `MessageSid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageRef {
    /// The id Hotline gave the message.
    Id(uuid::Uuid),
    /// Twilio's `MessageSid`.
    Sid(String),
}

impl MessageRef {
    /// Reads a path segment: a UUID is an id, anything else a `MessageSid`.
    pub fn parse(text: &str) -> Self {
        uuid::Uuid::try_parse(text).map_or_else(|_| Self::Sid(text.to_owned()), Self::Id)
    }
}

/// An admin's verdict on one scored message.
#[derive(Debug, Clone, PartialEq)]
pub struct IntentLabel {
    /// The message's id.
    pub message_id: uuid::Uuid,
    /// Twilio's `MessageSid`.
    pub message_sid: String,
    /// The lead who sent it.
    pub lead_id: LeadId,
    /// The message as received.
    pub text: String,
    /// The score it was given when it arrived.
    pub score: f64,
    /// Whether it was called hot when it arrived.
    pub scored_hot: bool,
    /// The admin's verdict: hot or not.
    pub hot: bool,
    /// The admin who gave it; `None` for the super-admin.
    pub labelled_by: Option<uuid::Uuid>,
    /// When the verdict was given.
    pub labelled_at: Timestamp,
}

/// A verdict that cannot be stored or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedbackError {
    /// No such message of that lead of that client.
    #[error("no such message of this lead")]
    MessageNotFound,
    /// The store failed; the text is for logs, never for callers.
    #[error("feedback store unavailable: {0}")]
    Unavailable(String),
}

/// A verdict to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewIntentLabel {
    /// The client whose lead sent the message.
    pub client: ClientId,
    /// The lead.
    pub lead: LeadId,
    /// The message.
    pub message: MessageRef,
    /// Hot or not.
    pub hot: bool,
    /// The admin giving it; `None` for the super-admin.
    pub labelled_by: Option<uuid::Uuid>,
    /// When.
    pub at: Timestamp,
}

/// Port: where admins' verdicts on scored messages are kept.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait IntentFeedbackStore: Send + Sync {
    /// Stores a verdict and answers it with the message it is about.
    ///
    /// MUST answer [`FeedbackError::MessageNotFound`] unless the message
    /// belongs to `label.lead` and that lead to `label.client`, so no admin
    /// can label another client's message. A second verdict on the same
    /// message MUST replace the first (the latest word wins; repeating a
    /// request changes nothing).
    ///
    /// # Errors
    ///
    /// [`FeedbackError`].
    async fn record_label(&self, label: NewIntentLabel) -> Result<IntentLabel, FeedbackError>;

    /// The verdicts on a client's messages, newest first, `offset` skipped,
    /// at most `limit`.
    ///
    /// # Errors
    ///
    /// [`FeedbackError::Unavailable`].
    async fn labels(
        &self,
        client: ClientId,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<IntentLabel>, FeedbackError>;
}
