//! A local stand-in for Twilio's REST API: records every request and
//! answers from a script (default: 201 with a fresh sid).

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
    pub path: String,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub form: Vec<(String, String)>,
    pub at: Instant,
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub delay: Duration,
    pub retry_after: Option<u64>,
}

impl Answer {
    pub fn status(status: u16, body: &str) -> Self {
        Self {
            status,
            body: body.to_owned(),
            delay: Duration::ZERO,
            retry_after: None,
        }
    }
}

#[derive(Default)]
struct State {
    received: Vec<Received>,
    script: VecDeque<Answer>,
}

/// A running fake.
#[derive(Clone)]
pub struct FakeTwilio {
    pub base_url: String,
    state: Arc<Mutex<State>>,
}

impl FakeTwilio {
    /// Starts the fake on a free local port.
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(State::default()));
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

    /// A client for this fake with fast retries and the given pacing.
    pub fn client(&self, calls_per_second: f64) -> TwilioClient {
        self.client_with(
            Credentials::AuthToken("secret-token".to_owned()),
            calls_per_second,
            Duration::from_secs(2),
        )
    }

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
        state.received.push(Received {
            path: uri.path().to_owned(),
            authorization: header("authorization"),
            content_type: header("content-type"),
            form,
            at: Instant::now(),
        });
        state
            .script
            .pop_front()
            .unwrap_or_else(|| Answer::status(201, &format!(r#"{{"sid": "CA{n:032}"}}"#)))
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
