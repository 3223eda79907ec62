//! The REST client behind the domain's `Telephony` port.
//!
//! Retries never create a duplicate call or text: a create (a call, a
//! message) is retried only when Twilio answered 429 or the request provably
//! never reached it (the connection could not be made). A timeout or a 5xx on
//! a create is not retried, because Twilio may have acted on it. Cancels and
//! completes are idempotent and are retried on 429, 5xx, timeouts and
//! connection failures. Call creation is paced to the configured calls per
//! second.

use std::time::Duration;

use async_trait::async_trait;
use hotline_domain::PhoneNumber;
use hotline_domain::routing::model::CallSid;
use hotline_domain::routing::ports::{OutboundCall, Telephony, TelephonyError};
use reqwest::StatusCode;
use serde::Deserialize;

use crate::error::TwilioError;
use crate::pacing::Pacer;

/// How REST requests authenticate.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// The account SID and its auth token.
    AuthToken(String),
    /// An API key SID and its secret (Twilio's recommendation for servers).
    ApiKey {
        /// The key's SID (`SK…`).
        sid: String,
        /// The key's secret.
        secret: String,
    },
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AuthToken(_) => f.write_str("AuthToken(…)"),
            Self::ApiKey { sid, .. } => write!(f, "ApiKey({sid}, …)"),
        }
    }
}

/// Settings of the REST client.
#[derive(Debug, Clone)]
pub struct TwilioConfig {
    /// The account the calls and texts belong to (`AC…`).
    pub account_sid: String,
    /// How requests authenticate.
    pub credentials: Credentials,
    /// Base URL of the API, `https://api.twilio.com` in production.
    pub base_url: String,
    /// Limit on establishing a connection.
    pub connect_timeout: Duration,
    /// Limit on a whole request.
    pub request_timeout: Duration,
    /// Calls created per second at most; 0 turns pacing off.
    pub calls_per_second: f64,
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// Wait before the first retry; doubles each time (a `Retry-After` wins).
    pub retry_delay: Duration,
    /// Ask Twilio to detect answering machines (`MachineDetection=Enable`),
    /// so a voicemail pickup is reported as such and hung up on.
    pub machine_detection: bool,
}

impl TwilioConfig {
    /// Defaults for `account_sid` and `credentials`: the production API,
    /// 3 s to connect, 10 s per request, 1 call per second, 3 attempts.
    pub fn new(account_sid: impl Into<String>, credentials: Credentials) -> Self {
        Self {
            account_sid: account_sid.into(),
            credentials,
            base_url: "https://api.twilio.com".to_owned(),
            connect_timeout: Duration::from_secs(3),
            request_timeout: Duration::from_secs(10),
            calls_per_second: 1.0,
            max_attempts: 3,
            retry_delay: Duration::from_millis(250),
            machine_detection: false,
        }
    }
}

/// Twilio's REST API as a `Telephony`.
#[derive(Debug)]
pub struct TwilioClient {
    http: reqwest::Client,
    config: TwilioConfig,
    pacer: Pacer,
}

/// Whether a request may be sent again after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Retry {
    /// Creates: only after 429 or a connection that was never made.
    OnlyIfNotApplied,
    /// Idempotent updates: also after 5xx and timeouts.
    Idempotent,
}

#[derive(Deserialize)]
struct ErrorBody {
    code: Option<i64>,
    message: Option<String>,
    more_info: Option<String>,
}

#[derive(Deserialize)]
struct SidBody {
    sid: String,
}

impl TwilioClient {
    /// A client for `config`.
    ///
    /// # Errors
    ///
    /// [`TwilioError::Transport`] when the HTTP client cannot be built.
    pub fn new(config: TwilioConfig) -> Result<Self, TwilioError> {
        // One TLS crypto provider for the process (ring, as sqlx uses);
        // already installed is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("hotline/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| TwilioError::Transport(e.to_string()))?;
        let pacer = Pacer::new(config.calls_per_second);
        Ok(Self {
            http,
            config,
            pacer,
        })
    }

    fn url(&self, path: &str) -> String {
        format!(
            "{}/2010-04-01/Accounts/{}/{path}",
            self.config.base_url.trim_end_matches('/'),
            self.config.account_sid
        )
    }

    /// Creates a call; returns its sid.
    ///
    /// # Errors
    ///
    /// [`TwilioError`] as described in the module documentation.
    pub async fn create_call(&self, call: &OutboundCall) -> Result<CallSid, TwilioError> {
        let timeout = call.timeout_seconds.to_string();
        let mut form: Vec<(&str, &str)> = vec![
            ("To", call.to.as_str()),
            ("From", call.from.as_str()),
            ("Url", &call.answer_url),
            ("Method", "POST"),
            ("StatusCallback", &call.status_callback_url),
            ("StatusCallbackMethod", "POST"),
            ("StatusCallbackEvent", "initiated"),
            ("StatusCallbackEvent", "ringing"),
            ("StatusCallbackEvent", "answered"),
            ("StatusCallbackEvent", "completed"),
            ("Timeout", &timeout),
        ];
        if self.config.machine_detection || call.machine_detection {
            form.push(("MachineDetection", "Enable"));
        }
        self.pacer.wait().await;
        let body = self
            .post("Calls.json", &form, Retry::OnlyIfNotApplied)
            .await?;
        sid_of(&body).map(CallSid)
    }

    /// Sets a call's status to `canceled` or `completed`.
    ///
    /// # Errors
    ///
    /// [`TwilioError`] after the retries are spent.
    pub async fn update_call_status(&self, sid: &CallSid, status: &str) -> Result<(), TwilioError> {
        let path = format!("Calls/{}.json", sid.0);
        self.post(&path, &[("Status", status)], Retry::Idempotent)
            .await
            .map(drop)
    }

    /// Sends a text; returns its sid.
    ///
    /// # Errors
    ///
    /// [`TwilioError`] as described in the module documentation.
    pub async fn create_message(
        &self,
        from: &PhoneNumber,
        to: &PhoneNumber,
        body: &str,
    ) -> Result<String, TwilioError> {
        let form = [("To", to.as_str()), ("From", from.as_str()), ("Body", body)];
        let answer = self
            .post("Messages.json", &form, Retry::OnlyIfNotApplied)
            .await?;
        sid_of(&answer)
    }

    async fn post(
        &self,
        path: &str,
        form: &[(&str, &str)],
        retry: Retry,
    ) -> Result<Vec<u8>, TwilioError> {
        let url = self.url(path);
        let mut attempt = 1;
        let mut delay = self.config.retry_delay;
        loop {
            let request = self.http.post(&url).form(form);
            let request = match &self.config.credentials {
                Credentials::AuthToken(token) => {
                    request.basic_auth(&self.config.account_sid, Some(token))
                }
                Credentials::ApiKey { sid, secret } => request.basic_auth(sid, Some(secret)),
            };
            let (error, retry_after) = match request.send().await {
                Ok(response) if response.status().is_success() => {
                    return response
                        .bytes()
                        .await
                        .map(|b| b.to_vec())
                        .map_err(|e| TwilioError::BadResponse(e.to_string()));
                }
                Ok(response) => {
                    let status = response.status();
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(|s| Duration::from_secs(s.min(5)));
                    let body = response.bytes().await.unwrap_or_default();
                    let error = api_error(status, &body);
                    let may_retry = status == StatusCode::TOO_MANY_REQUESTS
                        || (retry == Retry::Idempotent && status.is_server_error());
                    if !may_retry {
                        return Err(error);
                    }
                    (error, retry_after)
                }
                Err(e) if e.is_connect() => (TwilioError::Connect(e.to_string()), None),
                Err(e) if e.is_timeout() => {
                    if retry == Retry::OnlyIfNotApplied {
                        return Err(TwilioError::Timeout);
                    }
                    (TwilioError::Timeout, None)
                }
                Err(e) => return Err(TwilioError::Transport(e.to_string())),
            };
            if attempt >= self.config.max_attempts {
                return Err(error);
            }
            tracing::warn!(path, attempt, %error, "Twilio request failed; retrying");
            tokio::time::sleep(retry_after.unwrap_or(delay)).await;
            delay = delay.saturating_mul(2);
            attempt += 1;
        }
    }
}

fn sid_of(body: &[u8]) -> Result<String, TwilioError> {
    serde_json::from_slice::<SidBody>(body)
        .map(|b| b.sid)
        .map_err(|e| TwilioError::BadResponse(format!("no sid in the answer: {e}")))
}

fn api_error(status: StatusCode, body: &[u8]) -> TwilioError {
    let parsed = serde_json::from_slice::<ErrorBody>(body).ok();
    TwilioError::Api {
        status: status.as_u16(),
        code: parsed.as_ref().and_then(|b| b.code),
        message: parsed
            .as_ref()
            .and_then(|b| b.message.clone())
            .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned()),
        more_info: parsed.and_then(|b| b.more_info),
    }
}

#[async_trait]
impl Telephony for TwilioClient {
    async fn place_call(&self, call: &OutboundCall) -> Result<CallSid, TelephonyError> {
        Ok(self.create_call(call).await?)
    }

    async fn cancel_call(&self, sid: &CallSid) -> Result<(), TelephonyError> {
        Ok(self.update_call_status(sid, "canceled").await?)
    }

    async fn complete_call(&self, sid: &CallSid) -> Result<(), TelephonyError> {
        Ok(self.update_call_status(sid, "completed").await?)
    }

    async fn send_sms(
        &self,
        from: &PhoneNumber,
        to: &PhoneNumber,
        body: &str,
    ) -> Result<(), TelephonyError> {
        self.create_message(from, to, body)
            .await
            .map(drop)
            .map_err(Into::into)
    }
}
