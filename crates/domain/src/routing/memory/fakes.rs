//! Fakes of the outside world: a telephony adapter that records what it
//! was asked, a settable clock, sequential ids and fixed callback links.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use jiff::Timestamp;

use super::super::model::{CallAttemptId, CallSid, RingGroupId};
use super::super::ports::{
    CallbackLinks, Clock, IdSource, OutboundCall, Telephony, TelephonyError,
};
use crate::phone::PhoneNumber;

/// One request the telephony fake received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TelephonyRequest {
    /// A call was placed.
    Call(OutboundCall),
    /// A leg was cancelled.
    Cancel(CallSid),
    /// A leg was hung up.
    Complete(CallSid),
    /// A text was sent.
    Sms {
        /// Sender.
        from: PhoneNumber,
        /// Recipient.
        to: PhoneNumber,
        /// Text.
        body: String,
    },
}

/// A telephony fake: records requests, answers calls with `CA1`, `CA2`, …,
/// and fails calls to the numbers in `failing_numbers`.
#[derive(Debug, Default)]
pub struct RecordingTelephony {
    /// Every request, in order.
    pub requests: Mutex<Vec<TelephonyRequest>>,
    /// Calls to these numbers fail.
    pub failing_numbers: Mutex<HashSet<PhoneNumber>>,
    next_sid: AtomicU64,
}

impl RecordingTelephony {
    /// A copy of the requests so far.
    pub fn requests(&self) -> Vec<TelephonyRequest> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    fn push(&self, request: TelephonyRequest) {
        if let Ok(mut requests) = self.requests.lock() {
            requests.push(request);
        }
    }
}

#[async_trait]
impl Telephony for RecordingTelephony {
    async fn place_call(&self, call: &OutboundCall) -> Result<CallSid, TelephonyError> {
        self.push(TelephonyRequest::Call(call.clone()));
        let failing = self
            .failing_numbers
            .lock()
            .map(|f| f.contains(&call.to))
            .unwrap_or(false);
        if failing {
            return Err(TelephonyError::Rejected("unreachable number".to_owned()));
        }
        let n = self.next_sid.fetch_add(1, Ordering::SeqCst) + 1;
        Ok(CallSid(format!("CA{n}")))
    }

    async fn cancel_call(&self, sid: &CallSid) -> Result<(), TelephonyError> {
        self.push(TelephonyRequest::Cancel(sid.clone()));
        Ok(())
    }

    async fn complete_call(&self, sid: &CallSid) -> Result<(), TelephonyError> {
        self.push(TelephonyRequest::Complete(sid.clone()));
        Ok(())
    }

    async fn send_sms(
        &self,
        from: &PhoneNumber,
        to: &PhoneNumber,
        body: &str,
    ) -> Result<(), TelephonyError> {
        self.push(TelephonyRequest::Sms {
            from: from.clone(),
            to: to.clone(),
            body: body.to_owned(),
        });
        Ok(())
    }
}

/// A clock that stands still until moved.
#[derive(Debug)]
pub struct ManualClock(pub Mutex<Timestamp>);

impl ManualClock {
    /// A clock at `at`.
    pub fn at(at: Timestamp) -> Self {
        Self(Mutex::new(at))
    }

    /// Moves the clock to `at`.
    pub fn set(&self, at: Timestamp) {
        if let Ok(mut now) = self.0.lock() {
            *now = at;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        self.0.lock().map(|t| *t).unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

/// Ids 1, 2, 3, … as UUIDs.
#[derive(Debug, Default)]
pub struct SequentialIds(AtomicU64);

impl IdSource for SequentialIds {
    fn new_uuid(&self) -> uuid::Uuid {
        uuid::Uuid::from_u128(u128::from(self.0.fetch_add(1, Ordering::SeqCst) + 1))
    }
}

/// Callback links under `https://hotline.test`.
#[derive(Debug, Default)]
pub struct TestLinks;

impl CallbackLinks for TestLinks {
    fn answer_url(&self, attempt: CallAttemptId) -> String {
        format!("https://hotline.test/voice/answer/{attempt}")
    }

    fn status_callback_url(&self, attempt: CallAttemptId) -> String {
        format!("https://hotline.test/api/webhook/ring-group?attempt={attempt}")
    }

    fn gather_action_url(&self, attempt: CallAttemptId) -> String {
        format!("https://hotline.test/voice/accept/{attempt}")
    }

    fn dial_action_url(&self, attempt: CallAttemptId) -> String {
        format!("https://hotline.test/voice/bridged/{attempt}")
    }

    fn lead_answer_url(&self, group: RingGroupId) -> String {
        format!("https://hotline.test/voice/lead/{group}")
    }

    fn lead_status_url(&self, group: RingGroupId) -> String {
        format!("https://hotline.test/voice/lead/{group}/status")
    }

    fn lead_dial_action_url(&self, group: RingGroupId) -> String {
        format!("https://hotline.test/voice/lead/{group}/dial")
    }
}

/// A webhook sender that records each delivery and answers as told
/// (200 unless `failing` holds a status).
#[derive(Debug, Default)]
pub struct RecordingWebhooks {
    /// `(endpoint url, event, attempt)` of each delivery, in order.
    pub delivered: Mutex<Vec<(String, crate::webhooks::Event, u32)>>,
    /// When set, every delivery gets this status.
    pub failing: Mutex<Option<u16>>,
}

impl RecordingWebhooks {
    /// The event types delivered so far, in order.
    pub fn types(&self) -> Vec<String> {
        self.delivered
            .lock()
            .map(|d| {
                d.iter()
                    .map(|(_, e, _)| e.data.type_name().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[async_trait]
impl crate::webhooks::WebhookSender for RecordingWebhooks {
    async fn deliver(
        &self,
        endpoint: &crate::webhooks::WebhookEndpoint,
        event: &crate::webhooks::Event,
        attempt: u32,
    ) -> Result<u16, crate::webhooks::DeliveryError> {
        if let Ok(mut delivered) = self.delivered.lock() {
            delivered.push((endpoint.url.clone(), event.clone(), attempt));
        }
        match self.failing.lock().ok().and_then(|f| *f) {
            Some(status) => Err(crate::webhooks::DeliveryError::Status(status)),
            None => Ok(200),
        }
    }
}
