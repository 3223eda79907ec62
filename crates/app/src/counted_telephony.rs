//! The telephony port counted for `/metrics`: every request to Twilio's
//! REST API by operation and outcome (`hotline_twilio_requests_total`).

use std::sync::Arc;

use async_trait::async_trait;
use hotline_api::Metrics;
use hotline_domain::PhoneNumber;
use hotline_domain::routing::model::CallSid;
use hotline_domain::routing::ports::{OutboundCall, Telephony, TelephonyError};

/// Counts each request the wrapped telephony makes.
pub struct CountedTelephony {
    /// The telephony that makes the requests.
    pub inner: Arc<dyn Telephony>,
    /// Where they are counted.
    pub metrics: Arc<Metrics>,
}

impl CountedTelephony {
    fn count<T>(&self, operation: &str, result: &Result<T, TelephonyError>) {
        let outcome = match result {
            Ok(_) => "ok",
            Err(TelephonyError::Rejected(_)) => "rejected",
            Err(TelephonyError::Unavailable(_)) => "unavailable",
            Err(TelephonyError::Unknown(_)) => "unknown",
        };
        self.metrics.twilio_request(operation, outcome);
    }
}

#[async_trait]
impl Telephony for CountedTelephony {
    async fn place_call(&self, call: &OutboundCall) -> Result<CallSid, TelephonyError> {
        let result = self.inner.place_call(call).await;
        self.count("create_call", &result);
        result
    }

    async fn cancel_call(&self, sid: &CallSid) -> Result<(), TelephonyError> {
        let result = self.inner.cancel_call(sid).await;
        self.count("cancel_call", &result);
        result
    }

    async fn complete_call(&self, sid: &CallSid) -> Result<(), TelephonyError> {
        let result = self.inner.complete_call(sid).await;
        self.count("complete_call", &result);
        result
    }

    async fn send_sms(
        &self,
        from: &PhoneNumber,
        to: &PhoneNumber,
        body: &str,
    ) -> Result<(), TelephonyError> {
        let result = self.inner.send_sms(from, to, body).await;
        self.count("send_sms", &result);
        result
    }
}
