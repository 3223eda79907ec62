//! A `Telephony` that places nothing and logs what it would have done.

use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use hotline_domain::PhoneNumber;
use hotline_domain::routing::model::CallSid;
use hotline_domain::routing::ports::{OutboundCall, Telephony, TelephonyError};

/// Logs each call and text instead of sending it; used when Hotline runs
/// without Twilio credentials.
#[derive(Debug, Default)]
pub struct SandboxTelephony {
    next: AtomicU64,
}

#[async_trait]
impl Telephony for SandboxTelephony {
    async fn place_call(&self, call: &OutboundCall) -> Result<CallSid, TelephonyError> {
        let n = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let sid = CallSid(format!("CAsandbox{n:024}"));
        tracing::info!(to = %call.to.redacted(), from = %call.from, call_sid = %sid.0, "sandbox: would place a call");
        Ok(sid)
    }

    async fn cancel_call(&self, sid: &CallSid) -> Result<(), TelephonyError> {
        tracing::info!(call_sid = %sid.0, "sandbox: would cancel a call");
        Ok(())
    }

    async fn complete_call(&self, sid: &CallSid) -> Result<(), TelephonyError> {
        tracing::info!(call_sid = %sid.0, "sandbox: would complete a call");
        Ok(())
    }

    async fn send_sms(
        &self,
        from: &PhoneNumber,
        to: &PhoneNumber,
        body: &str,
    ) -> Result<(), TelephonyError> {
        tracing::info!(to = %to.redacted(), from = %from, chars = body.chars().count(), "sandbox: would send a text");
        Ok(())
    }
}
