//! The callback URLs Hotline hands Twilio, under its public URL.

use hotline_domain::routing::model::{CallAttemptId, RingGroupId};
use hotline_domain::routing::ports::CallbackLinks;

/// Callback URLs under `HOTLINE_PUBLIC_URL`.
#[derive(Debug, Clone)]
pub struct PublicLinks {
    base: String,
}

impl PublicLinks {
    /// Links under `public_url` (a trailing slash is ignored).
    pub fn new(public_url: &str) -> Self {
        Self {
            base: public_url.trim_end_matches('/').to_owned(),
        }
    }
}

impl CallbackLinks for PublicLinks {
    fn answer_url(&self, attempt: CallAttemptId) -> String {
        format!("{}/api/voice/answer/{attempt}", self.base)
    }

    fn status_callback_url(&self, attempt: CallAttemptId) -> String {
        format!("{}/api/webhook/ring-group?attempt={attempt}", self.base)
    }

    fn gather_action_url(&self, attempt: CallAttemptId) -> String {
        format!("{}/api/voice/accept/{attempt}", self.base)
    }

    fn dial_action_url(&self, attempt: CallAttemptId) -> String {
        format!("{}/api/voice/bridged/{attempt}", self.base)
    }

    fn lead_answer_url(&self, group: RingGroupId) -> String {
        format!("{}/api/voice/lead/{group}", self.base)
    }

    fn lead_status_url(&self, group: RingGroupId) -> String {
        format!("{}/api/voice/lead/{group}/status", self.base)
    }

    fn lead_dial_action_url(&self, group: RingGroupId) -> String {
        format!("{}/api/voice/lead/{group}/dial", self.base)
    }
}
