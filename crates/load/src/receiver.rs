//! A local webhook receiver for the load: answers every delivery 200 and
//! counts them.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::http::StatusCode;

/// A running receiver.
pub struct Receiver {
    /// Where endpoints point.
    pub url: String,
    count: Arc<AtomicU64>,
}

impl Receiver {
    /// Deliveries received so far.
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}

/// Starts a receiver on a free local port.
pub async fn start() -> anyhow::Result<Receiver> {
    let count = Arc::new(AtomicU64::new(0));
    let counted = count.clone();
    let app = Router::new().fallback(move || {
        let counted = counted.clone();
        async move {
            counted.fetch_add(1, Ordering::Relaxed);
            StatusCode::OK
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(Receiver {
        url: format!("http://{address}/hooks"),
        count,
    })
}
