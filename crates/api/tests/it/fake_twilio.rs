//! A local stand-in for Twilio's REST API that records each request.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::http::Uri;

/// One request received.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub form: Vec<(String, String)>,
}

impl Received {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// How the fake answers `Calls.json` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// 201 with a sid.
    Normal,
    /// This status with Twilio's error JSON, every time.
    CallsFail(u16),
    /// No answer for two seconds (past the client's timeout), then 201.
    CallsHang,
}

/// The running fake.
#[derive(Clone)]
pub struct FakeTwilio {
    pub base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl FakeTwilio {
    /// A fake whose `Calls.json` creates behave as told.
    pub async fn start_with(behaviour: Behaviour) -> Self {
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let log = received.clone();
        let app = Router::new().fallback(move |uri: Uri, body: Bytes| {
            let log = log.clone();
            async move {
                let form: Vec<(String, String)> = form_urlencoded::parse(&body)
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                let n = log
                    .lock()
                    .map(|mut l| {
                        l.push(Received {
                            path: uri.path().to_owned(),
                            form,
                        });
                        l.len()
                    })
                    .unwrap_or(0);
                let creates_call = uri.path().ends_with("/Calls.json");
                match behaviour {
                    Behaviour::CallsFail(status) if creates_call => {
                        return (
                            axum::http::StatusCode::from_u16(status)
                                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
                            [("content-type", "application/json")],
                            format!(
                                r#"{{"code": 20001, "message": "refused", "status": {status}}}"#
                            ),
                        );
                    }
                    Behaviour::CallsHang if creates_call => {
                        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                    }
                    _ => {}
                }
                let sid = if uri.path().ends_with("Messages.json") {
                    "SM"
                } else {
                    "CA"
                };
                (
                    axum::http::StatusCode::CREATED,
                    [("content-type", "application/json")],
                    format!(r#"{{"sid": "{sid}{:032}"}}"#, n),
                )
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base_url: format!("http://{address}"),
            received,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Waits (up to 5 s) until `count` requests to paths ending in `suffix` arrived.
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
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!(
            "fewer than {count} requests to *{suffix}: {:?}",
            self.received()
        );
    }
}
