//! A local stand-in for Twilio's REST API: records every request and
//! answers from a script, else as its [`Behaviour`] says (by default 201
//! with a fresh sid: `SM…` for a message, `CA…` for a call).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hotline_twilio::{Credentials, TwilioClient, TwilioConfig};

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The request's path.
    pub path: String,
    /// Its `Authorization` header.
    pub authorization: Option<String>,
    /// Its `Content-Type` header.
    pub content_type: Option<String>,
    /// Its form fields, in order.
    pub form: Vec<(String, String)>,
    /// When it arrived.
    pub at: Instant,
}

impl Received {
    /// The first value of form field `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// How the fake answers `Calls.json` creates when nothing is scripted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// 201 with a sid.
    Normal,
    /// This status with Twilio's error JSON, every time.
    CallsFail(u16),
    /// No answer for two seconds (past a short client timeout), then 201.
    CallsHang,
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: String,
    /// How long to wait before answering.
    pub delay: Duration,
    /// A `Retry-After` header, in seconds.
    pub retry_after: Option<u64>,
}

impl Answer {
    /// An immediate answer with this status and body.
    pub fn status(status: u16, body: &str) -> Self {
        Self {
            status,
            body: body.to_owned(),
            delay: Duration::ZERO,
            retry_after: None,
        }
    }
}

struct State {
    received: Vec<Received>,
    script: VecDeque<Answer>,
    behaviour: Behaviour,
    subscribers: Vec<tokio::sync::mpsc::UnboundedSender<Received>>,
}

/// A running fake.
#[derive(Clone)]
pub struct FakeTwilio {
    /// Where it listens, as `TWILIO_API_BASE` takes it.
    pub base_url: String,
    state: Arc<Mutex<State>>,
}

impl FakeTwilio {
    /// Starts the fake on a free local port, answering 201 to everything.
    pub async fn start() -> Self {
        Self::start_with(Behaviour::Normal).await
    }

    /// Starts the fake with `Calls.json` creates behaving as told.
    pub async fn start_with(behaviour: Behaviour) -> Self {
        let state = Arc::new(Mutex::new(State {
            received: Vec::new(),
            script: VecDeque::new(),
            behaviour,
            subscribers: Vec::new(),
        }));
        let shared = state.clone();
        let app = Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: Bytes| {
            let state = shared.clone();
            async move { answer(state, uri, headers, body).await }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("cannot bind: {e}"));
        let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base_url: format!("http://{address}"),
            state,
        }
    }

    /// Queues answers for the next requests.
    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        if let Ok(mut state) = self.state.lock() {
            state.script.extend(answers);
        }
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.state
            .lock()
            .map(|s| s.received.clone())
            .unwrap_or_default()
    }

    /// Every request from now on, as it arrives (for a harness that
    /// measures when calls reach Twilio).
    pub fn subscribe(&self) -> tokio::sync::mpsc::UnboundedReceiver<Received> {
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
        if let Ok(mut state) = self.state.lock() {
            state.subscribers.push(sender);
        }
        receiver
    }

    /// How many requests to paths ending in `suffix` arrived so far.
    pub fn count(&self, suffix: &str) -> usize {
        self.state
            .lock()
            .map(|s| {
                s.received
                    .iter()
                    .filter(|r| r.path.ends_with(suffix))
                    .count()
            })
            .unwrap_or(0)
    }

    /// Waits (up to 5 s) until `count` requests to paths ending in `suffix`
    /// arrived, and answers them.
    ///
    /// # Panics
    ///
    /// When they have not arrived in time.
    pub async fn wait_for(&self, suffix: &str, count: usize) -> Vec<Received> {
        for _ in 0..100 {
            let matching: Vec<Received> = self
                .received()
                .into_iter()
                .filter(|r| r.path.ends_with(suffix))
                .collect();
            if matching.len() >= count {
                return matching;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "fewer than {count} requests to *{suffix}: {:?}",
            self.received()
        );
    }

    /// A client for this fake with fast retries and the given pacing.
    pub fn client(&self, calls_per_second: f64) -> TwilioClient {
        self.client_with(
            Credentials::AuthToken("secret-token".to_owned()),
            calls_per_second,
            Duration::from_secs(2),
        )
    }

    /// A client for this fake with these credentials, pacing and timeout.
    pub fn client_with(
        &self,
        credentials: Credentials,
        calls_per_second: f64,
        timeout: Duration,
    ) -> TwilioClient {
        let mut config = TwilioConfig::new("AC123", credentials);
        config.base_url = self.base_url.clone();
        config.calls_per_second = calls_per_second;
        config.retry_delay = Duration::from_millis(10);
        config.request_timeout = timeout;
        TwilioClient::new(config).unwrap_or_else(|e| panic!("{e}"))
    }
}

async fn answer(state: Arc<Mutex<State>>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let form = form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let scripted = {
        let Ok(mut state) = state.lock() else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let n = state.received.len() + 1;
        let received = Received {
            path: uri.path().to_owned(),
            authorization: header("authorization"),
            content_type: header("content-type"),
            form,
            at: Instant::now(),
        };
        state
            .subscribers
            .retain(|subscriber| subscriber.send(received.clone()).is_ok());
        state.received.push(received);
        let creates_call = uri.path().ends_with("/Calls.json");
        let prefix = if uri.path().ends_with("/Messages.json") {
            "SM"
        } else {
            "CA"
        };
        let created = Answer::status(201, &format!(r#"{{"sid": "{prefix}{n:032}"}}"#));
        match (state.script.pop_front(), state.behaviour) {
            (Some(scripted), _) => scripted,
            (None, Behaviour::CallsFail(status)) if creates_call => Answer::status(
                status,
                &format!(r#"{{"code": 20001, "message": "refused", "status": {status}}}"#),
            ),
            (None, Behaviour::CallsHang) if creates_call => Answer {
                delay: Duration::from_secs(2),
                ..created
            },
            (None, _) => created,
        }
    };
    tokio::time::sleep(scripted.delay).await;
    let status = StatusCode::from_u16(scripted.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (
        status,
        [("content-type", "application/json")],
        scripted.body,
    )
        .into_response();
    if let Some(seconds) = scripted.retry_after
        && let Ok(value) = seconds.to_string().parse()
    {
        response.headers_mut().insert("retry-after", value);
    }
    response
}
