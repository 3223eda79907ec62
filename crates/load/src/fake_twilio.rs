//! A local stand-in for Twilio's REST API: answers every create with a sid
//! and reports each `Calls.json` arrival (when, and the caller ID) to the
//! harness.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::http::{StatusCode, Uri};
use tokio::sync::mpsc;

/// A call creation seen by the fake.
#[derive(Debug, Clone)]
pub struct CallCreated {
    /// When it arrived.
    pub at: Instant,
    /// The `From` of the call: the client's number.
    pub from: String,
}

/// Counts of what the fake received.
#[derive(Debug, Default)]
pub struct Counts {
    /// `Calls.json` creates.
    pub calls: AtomicU64,
    /// `Messages.json` creates.
    pub messages: AtomicU64,
    /// Anything else (call updates).
    pub other: AtomicU64,
}

/// Starts the fake on a free port: its base URL, the counts, and a stream
/// of call creations.
pub async fn start() -> anyhow::Result<(String, Arc<Counts>, mpsc::UnboundedReceiver<CallCreated>)>
{
    let counts = Arc::new(Counts::default());
    let (sender, receiver) = mpsc::unbounded_channel();
    let seen = counts.clone();
    let app = Router::new().fallback(move |uri: Uri, body: Bytes| {
        let seen = seen.clone();
        let sender = sender.clone();
        async move {
            let at = Instant::now();
            let path = uri.path();
            let n;
            if path.ends_with("/Calls.json") {
                n = seen.calls.fetch_add(1, Ordering::Relaxed);
                let from = form_urlencoded::parse(&body)
                    .find(|(k, _)| k == "From")
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default();
                let _ = sender.send(CallCreated { at, from });
            } else if path.ends_with("/Messages.json") {
                n = seen.messages.fetch_add(1, Ordering::Relaxed);
            } else {
                seen.other.fetch_add(1, Ordering::Relaxed);
                return (
                    StatusCode::OK,
                    [("content-type", "application/json")],
                    "{\"sid\": \"CA0\"}".to_owned(),
                );
            }
            let prefix = if path.ends_with("/Messages.json") {
                "SM"
            } else {
                "CA"
            };
            (
                StatusCode::CREATED,
                [("content-type", "application/json")],
                format!("{{\"sid\": \"{prefix}{n:032}\", \"status\": \"queued\"}}"),
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((format!("http://{address}"), counts, receiver))
}
